"""The latest published news for the home page, from the news service's API.

The portal never reads the news database: it asks GET /api/news/items through shared.upstream (a short
timeout, a short memory), so that a slow or stopped news service costs the home page at most one short
wait per period, and the page still renders (with a note) without it.
"""
from datetime import date

from shared.upstream import CachedJson

LATEST = 4


def client(app_config: dict) -> CachedJson:
    return CachedJson(app_config["PORTAL_NEWS_URL"], app_config["PORTAL_NEWS_TIMEOUT"],
                      app_config["PORTAL_NEWS_CACHE_SECONDS"], shape=_items)


def latest(news: CachedJson) -> list[dict] | None:
    """The newest approved items, or None when the news service did not answer."""
    return news.get("/api/news/items", per_page=LATEST)


def _items(body: dict) -> list[dict]:
    return [{"title": item["title"], "path": _local(item["path"]),
             "activity_date": date.fromisoformat(item["activity_date"]),
             "district": item["district"]["name"], "province": item["province"]["name"],
             "thumbnail": _local((item.get("cover") or {}).get("thumbnail_url"))} for item in body["items"]]


def _local(path: str | None) -> str | None:
    """Only links into the news pages are taken from another service's answer."""
    if path is None:
        return None
    if not path.startswith("/news/"):
        raise ValueError(f"unexpected news link {path!r}")
    return path
