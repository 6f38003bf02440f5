"""The central office's cockpit page of a round (/workload/rounds/<year>/cockpit): the reminder schedule, the
e-mail sent with its delivery status (from the portal), ส่งแจ้งเตือนตอนนี้ (its text and recipients first, then
the confirmation), and the records complete and confirmed per day against the deadline (SVG beside its table)."""
from datetime import datetime

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from shared import geography
from shared.clock import utcnow
from shared.thai import thai_datetime
from shared.web import current_user, permission_required
from workload import cockpit, cockpit_service, permissions, rounds
from workload.domain import ValidationFailed, WorkloadError
from workload.messages import ERROR, field_messages

bp = Blueprint("workload_cockpit", __name__, url_prefix="/workload/rounds")

MARK_LABELS = {"sent": "ส่งแล้ว", "today": "ครบกำหนดวันนี้", "next": "ครั้งถัดไป", "later": "รอถึงกำหนด",
               "passed": "เลยกำหนดแล้ว ไม่มีการส่ง"}
MAIL_LABELS = {"pending": "รอส่ง", "sent": "ส่งแล้ว", "retrying": "กำลังลองส่งใหม่", "failed": "ส่งไม่สำเร็จ"}
KIND_LABELS = {"window_opened": "แจ้งเปิดระบบบันทึกข้อมูล", "countdown": "แจ้งเตือนก่อนปิดระบบ",
               "nudge": "ส่งแจ้งเตือนตอนนี้"}
AUDIENCE_LABELS = {"districts": "อำเภอที่ยังบันทึกข้อมูลไม่ครบถ้วน",
                   "provinces": "จังหวัดที่ยังไม่ยืนยันข้อมูลที่บันทึกครบถ้วนแล้ว"}
UNITS = {"districts": "อำเภอ", "provinces": "จังหวัด"}
PORTAL_UNAVAILABLE = ERROR["portal_unavailable"][1]


def _office(recipient: str) -> str:
    kind, _, code = recipient.partition(":")
    if kind == "district" and geography.district(code):
        return geography.district_office_name(code)
    if kind == "province" and geography.province(code):
        return geography.province_office_name(code)
    return recipient


def _kind(event_id: str) -> str:
    parts = event_id.split(":")
    return KIND_LABELS.get(parts[1] if len(parts) > 1 else "", event_id)


def _moment(iso: str | None) -> str:
    try:
        return thai_datetime(datetime.fromisoformat(iso)) if iso else ""
    except (TypeError, ValueError):
        return str(iso)


def _portal():
    return current_app.extensions["workload_portal"]


@bp.get("/<int:year>/cockpit")
@permission_required(permissions.require_cockpit)
def page(year):
    round_ = rounds.get_round(year)
    status = request.args.get("status") if request.args.get("status") in MAIL_LABELS else None
    audiences = {which: cockpit_service.audience(round_, which).count for which in cockpit.AUDIENCES}
    return render_template(
        "workload/cockpit.html", round=round_, schedule=cockpit_service.schedule(round_),
        progress=cockpit_service.progress(round_), deliveries=cockpit_service.deliveries(round_, _portal(), status),
        status=status, audiences=audiences, sends=cockpit_service.sends(round_),
        is_open=rounds.window(round_).is_open(utcnow()), mark_labels=MARK_LABELS, mail_labels=MAIL_LABELS,
        audience_labels=AUDIENCE_LABELS, units=UNITS, office=_office, kind=_kind, moment=_moment,
        portal_unavailable=PORTAL_UNAVAILABLE, sent=request.args.get("sent"), repeated=request.args.get("repeated"),
        sent_audience=request.args.get("audience"))


def _refused(round_, error: WorkloadError):
    status, message = ERROR[error.code]
    return render_template("workload/cockpit_send.html", round=round_, error=message, preview=None,
                           audience_labels=AUDIENCE_LABELS, units=UNITS), status


@bp.get("/<int:year>/cockpit/send")
@permission_required(permissions.require_send_reminders)
def preview(year):
    """Step 1: what would be sent, to how many offices; the confirmation's form carries a key of its own."""
    round_ = rounds.get_round(year)
    try:
        found = cockpit_service.preview(current_user(), round_, request.args.get("audience", ""), _portal())
    except ValidationFailed as error:
        return render_template("workload/cockpit_send.html", round=round_, error=field_messages(error.errors)
                               .get("audience"), preview=None, audience_labels=AUDIENCE_LABELS, units=UNITS), 422
    except WorkloadError as error:
        return _refused(round_, error)
    return render_template("workload/cockpit_send.html", round=round_, preview=found, error=None,
                           audience_labels=AUDIENCE_LABELS, units=UNITS, portal_unavailable=PORTAL_UNAVAILABLE)


@bp.post("/<int:year>/cockpit/send")
@permission_required(permissions.require_send_reminders)
def send(year):
    """Step 2, the confirmation: sends once per key, however often the form arrives."""
    round_ = rounds.get_round(year)
    which = request.form.get("audience", "")
    if request.form.get("confirmed") != "yes":
        return redirect(url_for(".preview", year=year, audience=which))
    try:
        result = cockpit_service.send(current_user(), round_, which, request.form.get("key", ""))
    except ValidationFailed as error:
        messages = field_messages(error.errors)
        return render_template("workload/cockpit_send.html", round=round_, preview=None,
                               error=messages.get("key") or messages.get("audience"),
                               audience_labels=AUDIENCE_LABELS, units=UNITS), 422
    except WorkloadError as error:
        return _refused(round_, error)
    return redirect(url_for(".page", year=year, sent=result.sent, audience=result.which,
                            repeated="1" if result.repeated else None, _anchor="send-now"))
