"""The central office's cockpit in the API (tag "Workload cockpit"): the reminder schedule, the records complete
and confirmed per day, the e-mail sent with its delivery status, and ส่งแจ้งเตือนตอนนี้ (preview, then send with
the preview's key: the same key twice sends once). Central office only; anyone else gets a problem document."""
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared.openapi import Answer
from shared.thai import iso_bangkok
from shared.web import current_user, permission_required
from workload import cockpit, cockpit_service, permissions, rounds
from workload.domain import WorkloadError

blp = Blueprint("workload_cockpit_api", __name__, url_prefix="/api/workload",
                description="The central office's cockpit of a round: reminders, their delivery, progress by day")

STATUSES = ("pending", "sent", "retrying", "failed")


class MarkSchema(Answer):
    days_before = fields.Integer(required=True)
    date = fields.String(required=True, metadata={"description": "the Bangkok date it is due (ISO)"})
    status = fields.String(required=True, metadata={"description": "sent, today, next, later or passed"})
    districts = fields.Integer(required=True)
    provinces = fields.Integer(required=True)
    first_sent_at = fields.String(allow_none=True)


class ScheduleSchema(Answer):
    fiscal_year = fields.Integer(required=True)
    closes_on = fields.String(required=True)
    window_opened = fields.Integer(required=True, metadata={"description": "districts told the window opened"})
    marks = fields.List(fields.Nested(MarkSchema), required=True)


class DaySchema(Answer):
    date = fields.String(required=True)
    complete = fields.Integer(required=True)
    confirmed = fields.Integer(required=True)


class ProgressSchema(Answer):
    fiscal_year = fields.Integer(required=True)
    districts = fields.Integer(required=True, metadata={"description": "the target: every district"})
    opens_on = fields.String(required=True)
    closes_on = fields.String(required=True, metadata={"description": "the deadline"})
    days = fields.List(fields.Nested(DaySchema), required=True,
                       metadata={"description": "from the opening day to today: records complete and confirmed "
                                                "at the end of each day, from the records' history"})


class DeliveriesQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))


class DeliveriesSchema(Answer):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    total = fields.Integer(required=True)
    items = fields.List(fields.Dict(), required=True, metadata={
        "description": "newest first: event_id, kind, recipient, to, cc, subject, status, attempts, last_error "
                       "(the mail server's answer), created_at, sent_at"})


class AudienceQuerySchema(Schema):
    audience = fields.String(required=True, validate=validate.OneOf(cockpit.AUDIENCES))


class PreviewSchema(Answer):
    audience = fields.String(required=True)
    recipients = fields.Integer(required=True, metadata={"description": "offices to be told"})
    days_left = fields.Integer(required=True)
    title = fields.String(allow_none=True, metadata={"description": "the notice's Thai title (null: the portal "
                                                                    "did not answer)"})
    text = fields.String(allow_none=True)
    sample_office = fields.String(allow_none=True)
    key = fields.String(required=True, metadata={"description": "send with this key; the same key sends once"})


class SendSchema(Schema):
    audience = fields.String(required=True, validate=validate.OneOf(cockpit.AUDIENCES))
    key = fields.String(required=True, validate=validate.Regexp(cockpit_service.KEY),
                        metadata={"description": "the preview's key (or an idempotency key of the client's)"})


class SentSchema(Answer):
    audience = fields.String(required=True)
    sent = fields.Integer(required=True, metadata={"description": "offices told"})
    repeated = fields.Boolean(required=True, metadata={"description": "this key was sent before: nothing more"})
    key = fields.String(required=True)


def _portal():
    return current_app.extensions["workload_portal"]


@blp.route("/rounds/<int:year>/cockpit/schedule")
class Schedule(MethodView):
    decorators = [permission_required(permissions.require_cockpit)]

    @blp.response(200, ScheduleSchema)
    def get(self, year):
        """The round's reminder days as dates, what went out on each (offices told), and which is next."""
        view = cockpit_service.schedule(rounds.get_round(year))
        return {"fiscal_year": year, "closes_on": view.closes_on.isoformat(), "window_opened": view.window_opened,
                "marks": [{"days_before": m.days_before, "date": m.day.isoformat(), "status": m.status,
                           "districts": m.sent.districts, "provinces": m.sent.provinces,
                           "first_sent_at": iso_bangkok(m.sent.first_at)} for m in view.marks]}


@blp.route("/rounds/<int:year>/cockpit/progress")
class Progress(MethodView):
    decorators = [permission_required(permissions.require_cockpit)]

    @blp.response(200, ProgressSchema)
    def get(self, year):
        """Records complete and confirmed at the end of each day of the window so far, against the deadline."""
        view = cockpit_service.progress(rounds.get_round(year))
        return {"fiscal_year": year, "districts": view.districts, "opens_on": view.opens_on.isoformat(),
                "closes_on": view.closes_on.isoformat(),
                "days": [{"date": d.day.isoformat(), "complete": d.complete, "confirmed": d.confirmed}
                         for d in view.days]}


@blp.route("/rounds/<int:year>/cockpit/deliveries")
class DeliveryList(MethodView):
    decorators = [permission_required(permissions.require_cockpit)]

    @blp.arguments(DeliveriesQuerySchema, location="query")
    @blp.response(200, DeliveriesSchema)
    def get(self, query, year):
        """The e-mail of the round's reminders (window opened, countdown, sent now), from the portal: to whom,
        when, sent / retrying / failed with the mail server's answer. 503 when the portal does not answer."""
        found = cockpit_service.deliveries(rounds.get_round(year), _portal(), query["status"])
        if found is None:
            raise WorkloadError("portal_unavailable")
        return {"counts": found.counts, "total": found.total, "items": found.items}


@blp.route("/rounds/<int:year>/cockpit/send-preview")
class SendPreview(MethodView):
    decorators = [permission_required(permissions.require_send_reminders)]

    @blp.arguments(AudienceQuerySchema, location="query")
    @blp.response(200, PreviewSchema)
    def get(self, query, year):
        """What ส่งแจ้งเตือนตอนนี้ would say and to how many offices, and the key to send it with (nothing is sent)."""
        found = cockpit_service.preview(current_user(), rounds.get_round(year), query["audience"], _portal())
        return {"audience": found.audience.which, "recipients": found.audience.count, "days_left": found.days_left,
                "title": found.sample.title if found.sample else None,
                "text": found.sample.text if found.sample else None, "sample_office": found.sample_office,
                "key": found.key}


@blp.route("/rounds/<int:year>/cockpit/sends")
class Sends(MethodView):
    @permission_required(permissions.require_send_reminders)  # before the body is read
    @blp.arguments(SendSchema)
    @blp.response(200, SentSchema)
    def post(self, data, year):
        """ส่งแจ้งเตือนตอนนี้: tell the offices of `audience` that are behind now (through the outbox, as the
        scheduled reminders). The same key again sends nothing more and answers what the first send did."""
        result = cockpit_service.send(current_user(), rounds.get_round(year), data["audience"], data["key"])
        return {"audience": result.which, "sent": result.sent, "repeated": result.repeated, "key": result.key}
