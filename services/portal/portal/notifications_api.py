"""Each user's notifications (the bell): GET /api/notifications, POST …/{id}/read and …/read-all; the user's
e-mail per kind: GET and PUT /api/notifications/settings.
Behind nginx's login (gateway/render.py) and checked again here; a user reaches only its own notices."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from portal import inbox, permissions, preferences
from shared.errors import ApiProblem
from shared.openapi import Answer
from shared.thai import iso_bangkok
from shared.web import allowed_if, current_user

blp = Blueprint("notifications_api", __name__, url_prefix="/api/notifications",
                description="การแจ้งเตือนของผู้ใช้แต่ละคน")

own_inbox = allowed_if(permissions.read_own_notifications)


class NotificationSchema(Answer):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    text = fields.String(required=True)
    link = fields.String(required=True, metadata={"description": "a path of this site"})
    created_at = fields.String(required=True)
    read_at = fields.String(allow_none=True)


class InboxSchema(Answer):
    items = fields.List(fields.Nested(NotificationSchema), required=True, metadata={"description": "newest first"})
    unread = fields.Integer(required=True)


class MarkedSchema(Answer):
    marked = fields.Integer(required=True)
    unread = fields.Integer(required=True)


def notification_json(notification) -> dict:
    return {"id": notification.id, "kind": notification.kind, "title": notification.title,
            "text": notification.text, "link": notification.link, "created_at": iso_bangkok(notification.created_at),
            "read_at": iso_bangkok(notification.read_at) if notification.read_at else None}


@blp.route("")
class Notifications(MethodView):
    @own_inbox
    @blp.response(200, InboxSchema)
    def get(self):
        """The signed-in user's notices, newest first, and how many are unread."""
        username = current_user().username
        return {"items": [notification_json(n) for n in inbox.notices_of(username)],
                "unread": inbox.unread_count(username)}


@blp.route("/<int:notification_id>/read")
class Read(MethodView):
    @own_inbox
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Mark one of the user's own notices read (another user's answers 404)."""
        try:
            return notification_json(inbox.mark_read(current_user().username, notification_id))
        except inbox.NotFound:
            raise ApiProblem(404, "ไม่พบการแจ้งเตือนนี้", code="not_found") from None


@blp.route("/read-all")
class ReadAll(MethodView):
    @own_inbox
    @blp.response(200, MarkedSchema)
    def post(self):
        """Mark every notice of the user read."""
        return {"marked": inbox.mark_all_read(current_user().username), "unread": 0}


class KindSettingSchema(Answer):
    kind = fields.String(required=True)
    label = fields.String(required=True)
    email = fields.Boolean(required=True, metadata={"description": "false: in the center only, no e-mail"})


class SettingsSchema(Answer):
    kinds = fields.List(fields.Nested(KindSettingSchema), required=True,
                        metadata={"description": "the kinds of notice the user's roles hear of"})


class SettingsChange(Schema):
    email = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True,
                        metadata={"description": "kind → whether its notices also come by e-mail; others stay"})


def settings_json(settings) -> dict:
    return {"kinds": [{"kind": s.kind, "label": s.label, "email": s.email} for s in settings]}


@blp.route("/settings")
class Settings(MethodView):
    @own_inbox
    @blp.response(200, SettingsSchema)
    def get(self):
        """The signed-in user's e-mail per kind of notice (its own only: no other user's can be named)."""
        return settings_json(preferences.settings_of(current_user()))

    @own_inbox
    @blp.arguments(SettingsChange)
    @blp.response(200, SettingsSchema)
    def put(self, data):
        """Turn the e-mail of kinds off or on again; the notices in the center stay. A kind the user's roles
        do not hear of is refused, and then nothing changes."""
        try:
            return settings_json(preferences.set_email(current_user(), data["email"]))
        except preferences.UnknownKinds as exc:
            raise ApiProblem(422, f"ไม่มีการแจ้งเตือนประเภทนี้สำหรับผู้ใช้งาน: {exc}", code="unknown_kind",
                             errors={"email": exc.kinds}) from None
