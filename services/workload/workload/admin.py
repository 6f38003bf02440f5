"""The central office's pages: rounds, their recording windows, and each round's question catalog."""
from datetime import datetime, timezone

from flask import Blueprint, redirect, render_template, request, url_for

from shared.inputs import parse_number, whole_number
from shared.thai import BANGKOK
from shared.web import current_user, permission_required
from workload import domain, permissions, rounds
from workload.domain import ValidationFailed, WorkloadError
from workload.messages import ERROR, field_messages

bp = Blueprint("workload_admin", __name__, url_prefix="/workload/rounds")

CHANGE_LABELS = {
    "create": "สร้างรอบ", "window": "เปลี่ยนช่วงเวลาบันทึกข้อมูล", "parameters": "เปลี่ยนชั่วโมงต่อวัน/วันทำงานต่อปี",
    "reminders": "เปลี่ยนวันแจ้งเตือนก่อนปิดระบบ",
    "add_question": "เพิ่มข้อคำถาม", "reword": "แก้ไขถ้อยคำข้อคำถาม", "retire": "ยกเลิกใช้งานข้อคำถาม",
    "restore": "นำข้อคำถามกลับมาใช้", "delete_question": "ลบข้อคำถาม", "import_catalog": "นำเข้าข้อคำถาม",
}


def _bangkok_input(value: str) -> datetime | None:
    """A datetime-local field (Bangkok time) → naive UTC, or None."""
    try:
        local = datetime.fromisoformat(value).replace(tzinfo=BANGKOK)
    except (TypeError, ValueError):
        return None
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def _actor() -> str:
    return current_user().username


def _rounds_page(status: int = 200, **context):
    return render_template("workload/rounds.html", rounds=rounds.rounds(), window=rounds.window,
                           changes=rounds.changes(), change_labels=CHANGE_LABELS, **context), status


@bp.get("/")
@permission_required(permissions.require_manage_rounds)
def index():
    """Every round with its window, open / close now, and a form for a new round."""
    return _rounds_page(done=request.args.get("done"))


@bp.post("/")
@permission_required(permissions.require_manage_rounds)
def create():
    form = request.form
    opens_at, closes_at = _bangkok_input(form.get("opens_at")), _bangkok_input(form.get("closes_at"))
    errors = {}
    try:
        year = whole_number(form.get("fiscal_year", ""))
    except ValueError:
        year, errors["fiscal_year"] = None, "กรุณากรอกปีงบประมาณเป็นตัวเลข พ.ศ."
    try:
        hours_per_day = float(parse_number(form.get("hours_per_day") or 7))
        days_per_year = whole_number(form.get("days_per_year") or 230)
    except ValueError:
        hours_per_day, days_per_year = 7.0, 230
        errors["days_per_year"] = "กรุณากรอกชั่วโมงต่อวันและวันทำงานต่อปีเป็นตัวเลข"
    try:
        source = whole_number(form["copy_from"]) if form.get("copy_from") else None
    except ValueError:
        source, errors["copy_from"] = None, "กรุณาเลือกปีงบประมาณที่จะคัดลอกข้อคำถามจากรายการ"
    if not (1 <= hours_per_day <= 12 and 100 <= days_per_year <= 366):
        errors["days_per_year"] = "ชั่วโมงต่อวันต้องอยู่ระหว่าง 1–12 และวันทำงานต่อปีระหว่าง 100–366"
    if opens_at is None:
        errors["opens_at"] = "กรุณาระบุวันเวลาเปิด"
    if closes_at is None:
        errors["closes_at"] = "กรุณาระบุวันเวลาปิด"
    if errors:
        return _rounds_page(422, errors=errors, form=form)
    try:
        copied = rounds.get_round(source) if source else None  # a round that is not there creates nothing
        round_ = rounds.create_round(year, opens_at, closes_at, hours_per_day, days_per_year, actor=_actor())
        if copied:
            rounds.copy_catalog(copied, round_, actor=_actor())
    except WorkloadError as error:
        return _rounds_page(ERROR[error.code][0], errors={"form": ERROR[error.code][1]}, form=form)
    return redirect(url_for(".index", done="created"))


@bp.post("/<int:year>/window")
@permission_required(permissions.require_manage_rounds)
def window(year):
    """Open early, close now, set new dates, or the days before closing that reminders go out."""
    round_ = rounds.get_round(year)
    action = request.form.get("action")
    try:
        if action == "open_now":
            rounds.open_now(round_, actor=_actor())
        elif action == "close_now":
            rounds.close_now(round_, actor=_actor())
        elif action == "reminders":
            rounds.update_round(round_, actor=_actor(), reminder_days=request.form.get("reminder_days", ""))
        else:
            opens_at, closes_at = (_bangkok_input(request.form.get("opens_at")),
                                   _bangkok_input(request.form.get("closes_at")))
            if opens_at is None or closes_at is None:
                raise WorkloadError("bad_window")
            rounds.update_round(round_, actor=_actor(), opens_at=opens_at, closes_at=closes_at)
    except ValidationFailed as error:
        return _rounds_page(422, errors={"form": field_messages(error.errors)["reminder_days"]})
    except WorkloadError as error:
        return _rounds_page(ERROR[error.code][0], errors={"form": ERROR[error.code][1]})
    return redirect(url_for(".index", done="window"))


def _catalog_page(round_, status: int = 200, **context):
    questions = rounds.questions(round_.id, active_only=False)
    by_aspect = {n: [q for q in questions if q.aspect == n] for n in domain.ASPECTS}
    return render_template("workload/catalog.html", round=round_, by_aspect=by_aspect,
                           answered={q.id for q in questions if rounds.has_answers(q.id)}, **context), status


@bp.get("/<int:year>/catalog")
@permission_required(permissions.require_manage_rounds)
def catalog(year):
    """The round's questions by aspect: add, reword, retire, delete."""
    return _catalog_page(rounds.get_round(year), done=request.args.get("done"))


@bp.post("/<int:year>/catalog")
@permission_required(permissions.require_manage_rounds)
def change_catalog(year):
    round_ = rounds.get_round(year)
    form = request.form
    action = form.get("action")
    try:
        if action == "add":
            rounds.add_question(round_, {"aspect": whole_number(form.get("aspect", 0) or 0), "code": form.get("code"),
                                         "detail": form.get("detail"), "unit": form.get("unit")}, actor=_actor())
        else:
            question_id = whole_number(form.get("question_id", 0) or 0)
            if action == "delete":
                rounds.delete_question(round_, question_id, actor=_actor())
            elif action in ("retire", "restore"):
                rounds.update_question(round_, question_id, {"retired": action == "retire"}, actor=_actor())
            else:
                rounds.update_question(round_, question_id, {k: form.get(k) for k in ("code", "detail", "unit")},
                                       actor=_actor())
    except ValidationFailed as error:
        return _catalog_page(round_, 422, errors=field_messages(error.errors), form=form)
    except ValueError:  # an aspect or question id that is no whole number
        return _catalog_page(round_, 422, errors={"form": "ข้อมูลไม่ถูกต้อง กรุณาเลือกจากรายการ"}, form=form)
    except WorkloadError as error:
        return _catalog_page(round_, ERROR[error.code][0], errors={"form": ERROR[error.code][1]}, form=form)
    return redirect(url_for(".catalog", year=year, done=action))
