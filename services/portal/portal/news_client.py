"""The latest published news for the home page, from the news service's API.

The portal never reads the news database: it asks GET /api/news/items with a short timeout and keeps
the answer for a short while, so that a slow or stopped news service costs the home page at most
one short wait per period, and the page still renders (with a note) without it.
"""
import threading
import time
from datetime import date

import requests

from shared import config


def settings() -> dict:
    upstream = config.env_str("GATEWAY_UPSTREAM_NEWS", "127.0.0.1:8094")
    return {
        "PORTAL_NEWS_URL": config.env_str("PORTAL_NEWS_URL", f"http://{upstream}"),
        "PORTAL_NEWS_TIMEOUT": config.env_int("PORTAL_NEWS_TIMEOUT_MS", 500) / 1000,
        "PORTAL_NEWS_CACHE_SECONDS": config.env_int("PORTAL_NEWS_CACHE_SECONDS", 30),
    }


class LatestNews:
    """One per app: the last answer (a list of items, or None when the news service failed) and its time."""

    # A failure is remembered for less time than an answer, so that news comes back soon after a restart.
    FAILURE_SECONDS = 5

    def __init__(self, base_url: str, timeout: float, cache_seconds: int, limit: int = 4):
        self.url = base_url.rstrip("/") + "/api/news/items"
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self.limit = limit
        self._lock = threading.Lock()
        self._value: list[dict] | None = None
        self._expires = 0.0

    def get(self) -> list[dict] | None:
        with self._lock:
            if time.monotonic() < self._expires:
                return self._value
            self._value = self._fetch()
            keep = self.cache_seconds if self._value is not None else min(self.FAILURE_SECONDS, self.cache_seconds)
            self._expires = time.monotonic() + keep
            return self._value

    def _fetch(self) -> list[dict] | None:
        try:
            response = requests.get(self.url, params={"per_page": self.limit}, timeout=self.timeout)
            response.raise_for_status()
            items = response.json()["items"]
            return [{"title": item["title"], "path": _local(item["path"]),
                     "activity_date": date.fromisoformat(item["activity_date"]),
                     "district": item["district"]["name"], "province": item["province"]["name"],
                     "thumbnail": _local((item.get("cover") or {}).get("thumbnail_url"))} for item in items]
        except (requests.RequestException, ValueError, KeyError, TypeError):
            return None


def _local(path: str | None) -> str | None:
    """Only links into the news pages are taken from another service's answer."""
    if path is None:
        return None
    if not path.startswith("/news/"):
        raise ValueError(f"unexpected news link {path!r}")
    return path
