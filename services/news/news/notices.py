"""What the news service tells the portal about (shared.outbox): one event per transition that someone else
has to hear of, added to the session of the transition so that it is committed with it or not at all. The
Thai wording and the recipients are the portal's (portal/notices.py); the payload says what happened and where.
"""
from news.models import NewsEvent, NewsItem, db, outbox
from shared.thai import iso_bangkok

# Which transition tells whom: the province hears that an item waits for its approval; the district hears
# what became of its item.
KINDS = {"submit": "news.submitted", "approve": "news.approved", "reject": "news.rejected",
         "unpublish": "news.withdrawn"}


def transition(item: NewsItem, event: NewsEvent) -> None:
    """The item moved (`event`, flushed: its id names the event)."""
    kind = KINDS.get(event.action)
    if kind is None:
        return
    payload = {"item_id": item.id, "title": item.title, "district_code": item.district_code,
               "province_code": item.province_code, "by": event.actor_name}
    if event.action in ("reject", "unpublish"):
        payload["reason"] = event.reason
    if event.action == "approve" and item.publish_at is not None:
        payload["publish_at"] = iso_bangkok(item.publish_at)
    outbox.emit(db.session, kind, payload, f"{event.action}:{event.id}")
