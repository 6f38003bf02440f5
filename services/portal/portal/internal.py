"""What only the center's services call (shared.internal; nginx answers 404 for /internal/): events handed over
by a service's relay (shared.outbox), and a user's unread count for the bell in every service's header."""
from flask import Blueprint, current_app, request

from portal import inbox
from portal.models import db
from portal.recipients import RecipientsUnavailable
from shared.errors import problem
from shared.internal import service_only

bp = Blueprint("portal_internal", __name__)

MAX_BATCH = 500


def _events(body) -> list[dict] | None:
    events = body.get("events") if isinstance(body, dict) else None
    if not isinstance(events, list) or len(events) > MAX_BATCH:
        return None
    for event in events:
        if not (isinstance(event, dict) and isinstance(event.get("event_id"), str) and 0 < len(event["event_id"]) <= 120
                and isinstance(event.get("kind"), str) and 0 < len(event["kind"]) <= 64
                and isinstance(event.get("payload"), dict)):
            return None
    return events


@bp.post("/internal/events")
@service_only
def events():
    """Keep a batch of events (each event id once); answers the ids kept, or 503 when the SSO cannot say who
    the recipients are (then nothing was kept and the relay tries again)."""
    events = _events(request.get_json(silent=True))
    if events is None:
        return problem(400, detail="events: a list of {event_id, kind, payload}")
    try:
        taken = inbox.take(events, current_app.extensions["portal_recipients"], current_app.config["SMTP_FROM"])
    except RecipientsUnavailable as exc:
        db.session.rollback()
        return problem(503, detail=f"ผู้รับยังไม่ทราบ: {exc}", code="recipients_unavailable")
    return {"taken": taken}


@bp.get("/internal/unread")
@service_only
def unread():
    """How many notices of ?user= are unread."""
    return {"unread": inbox.unread_count(request.args.get("user", ""))}
