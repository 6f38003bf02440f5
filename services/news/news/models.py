"""The news service's tables: items, their images, and every transition of an item."""
from shared.clock import utcnow
from shared.db import make_db
from shared.outbox import Outbox

db = make_db()


class NewsItem(db.Model):
    """One piece of district news. `state` follows domain.TRANSITIONS; a published item is an approved one
    whose `publish_at` has come."""
    __tablename__ = "news_items"
    __table_args__ = (db.Index("ix_news_items_state_publish_at", "state", "publish_at"),)

    id = db.Column(db.Integer, primary_key=True)
    # The feed's entry id: stable whatever host name or path the site is served under.
    public_id = db.Column(db.String(36), nullable=False, unique=True)
    district_code = db.Column(db.String(4), nullable=False, index=True)
    province_code = db.Column(db.String(2), nullable=False, index=True)
    author = db.Column(db.String(64), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    body_html = db.Column(db.Text, nullable=False)  # sanitised before it is stored (sanitize.py)
    activity_date = db.Column(db.Date, nullable=False)
    state = db.Column(db.String(16), nullable=False, default="draft")
    publish_at = db.Column(db.DateTime)  # set on approval: now, or the date the province chose
    reason = db.Column(db.String(1000))  # the last rejection's or unpublication's reason
    attachment_file = db.Column(db.String(64))  # stored name of the optional PDF
    attachment_name = db.Column(db.String(200))  # the name the user uploaded it under
    attachment_size = db.Column(db.Integer)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    version = db.Column(db.Integer, nullable=False, default=1)

    images = db.relationship("NewsImage", order_by="NewsImage.position", cascade="all, delete-orphan",
                             lazy="selectin")


class NewsImage(db.Model):
    """A re-encoded image of an item; position 0 is the cover."""
    __tablename__ = "news_images"

    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("news_items.id"), nullable=False, index=True)
    position = db.Column(db.Integer, nullable=False)
    file = db.Column(db.String(64), nullable=False, unique=True)
    thumb_file = db.Column(db.String(64), nullable=False, unique=True)
    width = db.Column(db.Integer, nullable=False)
    height = db.Column(db.Integer, nullable=False)
    content_type = db.Column(db.String(32), nullable=False)


class NewsEvent(db.Model):
    """Every transition of an item: who, when, from which state to which, and why."""
    __tablename__ = "news_events"

    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("news_items.id"), nullable=False, index=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    actor = db.Column(db.String(64), nullable=False)
    actor_name = db.Column(db.String(200), nullable=False)
    action = db.Column(db.String(16), nullable=False)
    from_state = db.Column(db.String(16))
    to_state = db.Column(db.String(16), nullable=False)
    reason = db.Column(db.String(1000))


# Events for the portal's notifications (approved, rejected, withdrawn, waiting for approval), written in the
# transaction of the transition (shared.outbox).
outbox = Outbox(db, "news")
