"""The portal service's tables: its content items and the record of every change to them."""
from sqlalchemy import false

from shared.clock import utcnow
from shared.db import make_db

db = make_db()


class ContentItem(db.Model):
    """One item of the portal's content; `kind` and which fields it uses follow content.py."""
    __tablename__ = "portal_items"
    __table_args__ = (db.Index("ix_portal_items_kind_position", "kind", "position"),)

    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(16), nullable=False)
    category = db.Column(db.String(200))
    title = db.Column(db.String(300), nullable=False)
    body_html = db.Column(db.Text, nullable=False, default="")  # sanitised before it is stored (shared.richtext)
    link_url = db.Column(db.String(500))  # http(s) only
    attachment_file = db.Column(db.String(64))  # stored name of the PDF
    attachment_name = db.Column(db.String(200))  # the name the editor uploaded it under
    attachment_size = db.Column(db.Integer)
    order_number = db.Column(db.String(100))
    order_date = db.Column(db.Date)
    course_tests = db.Column(db.String(500))
    # What the central office still has to fill in (a fact the manual does not give); shown as such.
    todo = db.Column(db.String(500))
    # An example the demo loaded (flask --app portal load-demo): shown with the badge "ตัวอย่าง", never real.
    example = db.Column(db.Boolean, nullable=False, default=False, server_default=false())
    position = db.Column(db.Integer, nullable=False)
    published = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_by = db.Column(db.String(64), nullable=False)
    updated_by_name = db.Column(db.String(200), nullable=False)
    version = db.Column(db.Integer, nullable=False, default=1)


class ContentChange(db.Model):
    """Every change: who, when, what. No foreign key, so that the record of a deleted item stays."""
    __tablename__ = "portal_changes"

    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    title = db.Column(db.String(300), nullable=False)
    action = db.Column(db.String(16), nullable=False)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor = db.Column(db.String(64), nullable=False)
    actor_name = db.Column(db.String(200), nullable=False)
    detail = db.Column(db.String(500))


class InboxEvent(db.Model):
    """An event another service handed over (shared.outbox): kept once per event id, whoever sends it again."""
    __tablename__ = "portal_inbox_events"

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.String(120), nullable=False, unique=True)
    kind = db.Column(db.String(64), nullable=False)
    payload = db.Column(db.JSON, nullable=False)
    received_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Notification(db.Model):
    """One notice in one user's inbox (the bell, /notifications/)."""
    __tablename__ = "portal_notifications"
    __table_args__ = (db.UniqueConstraint("event_id", "recipient", "channel",
                                          name="uq_portal_notifications_event_recipient_channel"),
                      db.Index("ix_portal_notifications_recipient_read", "recipient", "read_at"))

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.String(120), nullable=False)
    recipient = db.Column(db.String(64), nullable=False)  # the user name
    channel = db.Column(db.String(16), nullable=False, default="center")
    kind = db.Column(db.String(64), nullable=False)
    title = db.Column(db.String(300), nullable=False)
    text = db.Column(db.String(2000), nullable=False)
    link = db.Column(db.String(500), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    read_at = db.Column(db.DateTime)


class MailMessage(db.Model):
    """One e-mail of one event to one recipient (an office: its users, Cc its contact person), sent at least once
    with the same Message-ID; status pending → sent, or retrying with the server's last answer."""
    __tablename__ = "portal_mail"
    __table_args__ = (db.UniqueConstraint("event_id", "recipient", "channel",
                                          name="uq_portal_mail_event_recipient_channel"),
                      db.Index("ix_portal_mail_status_next", "status", "next_attempt_at"))

    id = db.Column(db.Integer, primary_key=True)
    event_id = db.Column(db.String(120), nullable=False)
    recipient = db.Column(db.String(80), nullable=False)  # "district:8101", "province:81", "user:<name>"
    channel = db.Column(db.String(16), nullable=False, default="email")
    message_id = db.Column(db.String(200), nullable=False)
    to_addresses = db.Column(db.JSON, nullable=False)
    cc_addresses = db.Column(db.JSON, nullable=False)
    subject = db.Column(db.String(300), nullable=False)
    text = db.Column(db.String(2000), nullable=False)
    link = db.Column(db.String(500), nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending")
    attempts = db.Column(db.Integer, nullable=False, default=0)
    next_attempt_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_error = db.Column(db.String(500))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    sent_at = db.Column(db.DateTime)


class MailOptOut(db.Model):
    """A user who turned off the e-mail of one kind of notice (its notices in the center stay)."""
    __tablename__ = "portal_mail_optouts"
    __table_args__ = (db.UniqueConstraint("username", "kind", name="uq_portal_mail_optouts_username_kind"),)

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), nullable=False)
    kind = db.Column(db.String(64), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
