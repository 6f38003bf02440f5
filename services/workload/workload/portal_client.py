"""The portal, for the central office's cockpit: the e-mail of the round's reminders with its delivery status,
and how a notice reads before it is sent. Service to service (shared.internal), a short timeout; None when the
portal does not answer, so that the page still renders with a note (messages.PORTAL_UNAVAILABLE)."""
from dataclasses import dataclass

from shared import internal

TIMEOUT_SECONDS = 1.5


@dataclass(frozen=True)
class Deliveries:
    counts: dict[str, int]
    total: int
    items: list[dict]


@dataclass(frozen=True)
class NoticeText:
    title: str
    text: str
    link: str


class PortalClient:
    def __init__(self, base_urls: str, secret: str | None, timeout: float = TIMEOUT_SECONDS):
        self.base_urls, self.secret, self.timeout = base_urls, secret, timeout

    def _call(self, method: str, path: str, **kwargs) -> dict | None:
        try:
            response = internal.call(self.base_urls, method, path, self.secret, self.timeout, **kwargs)
            return response.json() if response.status_code == 200 else None
        except (internal.InternalUnavailable, ValueError):
            return None

    def deliveries(self, prefixes: list[str], status: str | None = None, limit: int = 100) -> Deliveries | None:
        body = self._call("GET", "/internal/deliveries",
                          params={"prefix": prefixes, "limit": limit, **({"status": status} if status else {})})
        try:
            return Deliveries(dict(body["counts"]), int(body["total"]), list(body["items"]))
        except (KeyError, TypeError, ValueError):
            return None

    def preview(self, kind: str, payload: dict) -> NoticeText | None:
        body = self._call("POST", "/internal/notices/preview", json={"kind": kind, "payload": payload})
        try:
            return NoticeText(str(body["title"]), str(body["text"]), str(body["link"]))
        except (KeyError, TypeError):
            return None


def client(config) -> PortalClient:
    return PortalClient(internal.portal_urls(), config.get("DCC_SERVICE_SECRET"))
