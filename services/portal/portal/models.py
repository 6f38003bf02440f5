"""The portal service's tables: its content items and the record of every change to them."""
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
