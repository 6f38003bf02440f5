"""CSRF protection for cookie-authenticated unsafe requests.

The token's `csrf` claim is a random value the page embeds in its forms (field `csrf_token`) or
scripts send as `X-CSRF-Token`. A cross-site page cannot read the HttpOnly cookie, so it cannot
know the value. Bearer-token clients are exempt: a browser never attaches that header cross-site.
"""
import hmac
from urllib.parse import urlsplit

from shared.auth import Identity

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def origin_allowed(origin: str | None, host: str) -> bool:
    """A present Origin (or Referer) must name this very host; browsers send it on cross-site POSTs."""
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == host


def csrf_failure(method: str, user: Identity | None, submitted: str | None,
                 origin: str | None, host: str) -> str | None:
    """Why an unsafe request must be refused, or None when it may proceed."""
    if method in SAFE_METHODS:
        return None
    if not origin_allowed(origin, host):
        return "cross-site request"
    if user is None or user.via != "cookie":
        return None
    if not submitted or not hmac.compare_digest(submitted, user.csrf):
        return "missing or wrong CSRF token"
    return None
