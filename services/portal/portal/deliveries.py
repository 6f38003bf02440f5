"""What the central office's cockpit (a workload page) asks the portal, service to service only (shared.internal):
the e-mail of a set of events with its delivery status (portal_mail: sent, retrying or failed with the server's
last answer, pending), and how a notice would read before it is sent."""
from dataclasses import dataclass

from flask import Blueprint, request
from sqlalchemy import func, or_, select

from portal import notices
from portal.models import InboxEvent, MailMessage, db
from shared.errors import problem
from shared.internal import service_only
from shared.thai import iso_bangkok

bp = Blueprint("portal_deliveries", __name__)

STATUSES = ("pending", "sent", "retrying", "failed")
MAX_PREFIXES, MAX_LIMIT = 10, 500


@dataclass(frozen=True)
class Deliveries:
    counts: dict[str, int]
    total: int
    items: list[dict]


def _mail_json(mail: MailMessage, kind: str | None) -> dict:
    return {"event_id": mail.event_id, "kind": kind, "recipient": mail.recipient, "to": mail.to_addresses,
            "cc": mail.cc_addresses, "subject": mail.subject, "status": mail.status, "attempts": mail.attempts,
            "last_error": mail.last_error, "created_at": iso_bangkok(mail.created_at),
            "sent_at": iso_bangkok(mail.sent_at), "next_attempt_at": iso_bangkok(mail.next_attempt_at)}


def deliveries(prefixes: list[str], status: str | None = None, limit: int = 100) -> Deliveries:
    """The messages of the events whose id starts with one of `prefixes`: how many per status, and the newest
    `limit` (of one status, if given)."""
    matching = or_(*[MailMessage.event_id.startswith(prefix, autoescape=True) for prefix in prefixes])
    counts = dict.fromkeys(STATUSES, 0)
    counts.update(dict(db.session.execute(select(MailMessage.status, func.count()).where(matching)
                                          .group_by(MailMessage.status)).all()))
    query = (select(MailMessage, InboxEvent.kind).outerjoin(InboxEvent, InboxEvent.event_id == MailMessage.event_id)
             .where(matching))
    if status:
        query = query.where(MailMessage.status == status)
    rows = db.session.execute(query.order_by(MailMessage.created_at.desc(), MailMessage.id.desc()).limit(limit))
    return Deliveries(counts, sum(counts.values()), [_mail_json(mail, kind) for mail, kind in rows])


@bp.get("/internal/deliveries")
@service_only
def list_deliveries():
    """?prefix=workload:countdown:2569: (repeatable, at most 10), ?status=, ?limit= (≤ 500)."""
    prefixes = [p for p in request.args.getlist("prefix") if p]
    status = request.args.get("status") or None
    limit = request.args.get("limit", "100")
    if not prefixes or len(prefixes) > MAX_PREFIXES or any(len(p) > 120 for p in prefixes) \
            or (status and status not in STATUSES) or not limit.isdigit() or not 1 <= int(limit) <= MAX_LIMIT:
        return problem(400, detail="prefix: 1–10 event id prefixes; status: one of "
                                   f"{', '.join(STATUSES)}; limit: 1–{MAX_LIMIT}")
    found = deliveries(prefixes, status, int(limit))
    return {"counts": found.counts, "total": found.total, "items": found.items}


@bp.post("/internal/notices/preview")
@service_only
def preview():
    """How the notice of an event of `kind` with `payload` reads (title, text, link, who hears of it); nothing
    is kept."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("kind"), str):
        return problem(400, detail="{kind, payload}")
    try:
        notice = notices.compose(body["kind"], body.get("payload"))
    except notices.UnknownEvent as exc:
        return problem(422, detail=f"unknown event: {exc}")
    return {"title": notice.title, "text": notice.text, "link": notice.link, "office": list(notice.office)}
