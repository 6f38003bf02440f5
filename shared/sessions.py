"""Whether a token's session is still live, for a request that did not come through the gateway.

Behind nginx the SSO was asked moments ago and nginx says so with the gateway's secret (DCC_GATEWAY_SECRET).
A request without that proof (a service's own port, another pod) is asked about here: the SSO's
/internal/verify answers, and its verdict is kept no longer than SSO_VERDICT_SECONDS, the same bound as
nginx's. A token whose session ended is thus refused within that bound however the service is reached.

Plain Python, no Flask.
"""
import hmac
import threading
import time
from collections import OrderedDict

import requests

from shared import config


class SessionsUnavailable(Exception):
    """The SSO could not be asked: nothing can be said about the session, so it is not trusted."""


def verdict_seconds() -> int:
    """How long a verdict on a session may be trusted, by nginx and by a service (docs/tokens.md)."""
    return config.env_int("SSO_VERDICT_SECONDS", 3)


def gateway_vouches(proof: str | None, secret: str | None) -> bool:
    """Whether a request's X-Auth-Checked carries the gateway's secret: then nginx asked the SSO about its token."""
    return bool(secret and proof and hmac.compare_digest(proof.encode(), secret.encode()))


class SessionCheck:
    """token → the session id the SSO found live (None: ended or unknown); SessionsUnavailable when no SSO
    instance answered. Verdicts are kept `ttl` seconds, refusals too (a session never comes back)."""

    MAX_ENTRIES = 10_000

    def __init__(self, base_urls: str, ttl: float, timeout: float = 2.0):
        self.base_urls = [url.rstrip("/") for url in config.addresses(base_urls)]
        self.ttl = ttl
        self.timeout = timeout
        self._lock = threading.Lock()
        self._verdicts: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._unavailable_until = 0.0
        self._http = requests.Session()

    UNAVAILABLE_SECONDS = 1.0  # while no SSO answers, requests are refused at once rather than each waiting

    def __call__(self, token: str) -> str | None:
        asked_at = time.monotonic()
        with self._lock:
            if asked_at < self._unavailable_until:
                raise SessionsUnavailable("no SSO instance answered a moment ago")
            cached = self._verdicts.get(token)
            if cached and cached[0] > asked_at:
                return cached[1]
        try:
            live = self._ask(token)
        except SessionsUnavailable:
            with self._lock:
                self._unavailable_until = time.monotonic() + self.UNAVAILABLE_SECONDS
            raise
        with self._lock:
            # The verdict counts from when it was asked; of two asked meanwhile, the later one stays.
            if token not in self._verdicts or self._verdicts[token][0] <= asked_at + self.ttl:
                self._verdicts[token] = (asked_at + self.ttl, live)
                self._verdicts.move_to_end(token)
            while len(self._verdicts) > self.MAX_ENTRIES:
                self._verdicts.popitem(last=False)
        return live

    def _ask(self, token: str) -> str | None:
        for base_url in self.base_urls:
            try:
                response = self._http.get(base_url + "/internal/verify", timeout=self.timeout,
                                          headers={"Authorization": f"Bearer {token}"})
            except requests.RequestException:
                continue  # that instance is down or slow: the next one
            if response.status_code == 200:
                return response.headers.get("X-Auth-Session") or None
            if response.status_code == 401:
                return None
        raise SessionsUnavailable("no SSO instance answered")
