"""Calls between the center's own services on the internal network, never through the gateway.

A service proves it is one with the secret the services and nginx already share (DCC_GATEWAY_SECRET) in its
own header, X-DCC-Service. nginx blanks that header on everything it forwards and answers 404 for /internal/,
so a user reaches these endpoints neither through the gateway nor, without the secret, on a service's own port.
"""
import hmac
import threading
from functools import wraps

import requests
from flask import abort, current_app, request

from shared import config
from shared.upstream import service_url

HEADER = "X-DCC-Service"
_local = threading.local()


def service_headers(secret: str | None) -> dict:
    return {HEADER: secret} if secret else {}


def from_a_service(proof: str | None, secret: str | None) -> bool:
    return bool(secret and proof and hmac.compare_digest(proof.encode(), secret.encode()))


def service_only(view):
    """A Flask view only the center's services may call: anyone else is told it does not exist (404)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not from_a_service(request.headers.get(HEADER), current_app.config.get("DCC_SERVICE_SECRET")):
            abort(404)
        return view(*args, **kwargs)
    return wrapped


def portal_urls() -> str:
    """Where the portal's instances answer the services (PORTAL_INTERNAL_URL, by default where nginx finds it)."""
    return config.env_str("PORTAL_INTERNAL_URL") or service_url("portal", 8091)


class InternalUnavailable(Exception):
    """No instance of the other service answered the call."""


def _session() -> requests.Session:
    """One keep-alive session per thread: every page asks the portal for its bell, and a new TCP connection per
    call cost both sides more than the answer (make loadtest). requests' Session is not shared across threads."""
    session = getattr(_local, "session", None)
    if session is None:
        session = _local.session = requests.Session()
    return session


def call(base_urls: str, method: str, path: str, secret: str | None, timeout: float, **kwargs) -> requests.Response:
    """One call to a sibling service, trying its instances in turn while one refuses the connection;
    InternalUnavailable when none answered (a 4xx or 5xx answer is returned, for the caller to judge)."""
    headers = {**kwargs.pop("headers", {}), **service_headers(secret)}
    failure = "no address"
    for base_url in config.addresses(base_urls):
        try:
            return _session().request(method, base_url.rstrip("/") + path, timeout=timeout, headers=headers,
                                      **kwargs)
        except requests.RequestException as exc:
            failure = str(exc)  # that instance is down or slow: the next one
    raise InternalUnavailable(f"{path}: no instance answered ({failure})")
