"""The portal's inbox: events taken from the services (once per event id), each user's notices, and the e-mail
each event asks for. Use cases: plain arguments, one transaction each."""
import hashlib
import logging
from email.utils import parseaddr

from sqlalchemy import func, select, update

from portal import notices, preferences
from portal.models import InboxEvent, MailMessage, Notification, db
from shared.clock import utcnow

log = logging.getLogger("dcc.portal.inbox")

LIST_LIMIT = 100


class NotFound(Exception):
    """No such notice of this user."""


def message_id(event_id: str, recipient: str, sender: str) -> str:
    """The same Message-ID for every try of one event's e-mail to one recipient, so that a resent copy is known
    as the same message."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "dcc.invalid"
    return f"<{hashlib.sha256(f'{event_id}|{recipient}'.encode()).hexdigest()[:40]}@{domain}>"


def take(events: list[dict], resolve, sender: str) -> list[str]:
    """Keep each event not kept yet, with a notice for every user of the office it concerns and one e-mail to
    them (Cc the record's contact person, addresses once). `resolve((kind, code))` → the office's users; it raises
    when the SSO cannot say, and then nothing of the batch is kept. Returns the event ids now kept.

    Every question to the SSO is asked before the first write: the transaction that writes (on SQLite, the
    database's one write lock) lasts as long as the inserts, not as long as a batch's calls."""
    taken: list[str] = []
    new: list[tuple[dict, notices.Notice | None, list[dict]]] = []
    for event in events:
        event_id, kind = event["event_id"], event["kind"]
        if event_id in taken or db.session.scalar(select(InboxEvent.id).where(InboxEvent.event_id == event_id)):
            taken.append(event_id)
            continue
        taken.append(event_id)
        try:
            notice = notices.compose(kind, event["payload"])
        except notices.UnknownEvent as exc:
            log.warning("event %s (%s) kept, nobody told: %s", event_id, kind, exc)
            new.append((event, None, []))
            continue
        new.append((event, notice, resolve(notice.office)))
    for event, notice, users in new:
        _keep(event, notice, users, sender)
    db.session.commit()
    return taken


def _keep(event: dict, notice: notices.Notice | None, users: list[dict], sender: str) -> None:
    event_id, kind = event["event_id"], event["kind"]
    db.session.add(InboxEvent(event_id=event_id, kind=kind, payload=event["payload"]))
    if notice is None:
        return
    for user in users:
        db.session.add(Notification(event_id=event_id, recipient=user["username"], channel="center", kind=kind,
                                    title=notice.title, text=notice.text, link=notice.link))
    # A user who turned this kind's e-mail off still has the notice above, and no e-mail.
    quiet = preferences.without_email(kind, [user["username"] for user in users])
    to = list(dict.fromkeys(u["email"].strip().lower() for u in users if u.get("email") and u["username"] not in quiet))
    cc = [address for address in dict.fromkeys(c.strip().lower() for c in notice.cc) if address not in to]
    if to or cc:
        recipient = ":".join(notice.office)
        db.session.add(MailMessage(event_id=event_id, recipient=recipient, channel="email",
                                   message_id=message_id(event_id, recipient, sender), to_addresses=to,
                                   cc_addresses=cc, subject=notice.title, text=notice.text, link=notice.link))


def notices_of(username: str) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.recipient == username)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc())
                                   .limit(LIST_LIMIT)))


def unread_count(username: str) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.recipient == username, Notification.read_at.is_(None)))


def mark_read(username: str, notification_id: int) -> Notification:
    """Only the user's own notice: another's is as absent as one that never was."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.recipient != username:
        raise NotFound(notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(username: str) -> int:
    done = db.session.execute(update(Notification).where(Notification.recipient == username,
                                                         Notification.read_at.is_(None))
                              .values(read_at=utcnow())).rowcount
    db.session.commit()
    return done
