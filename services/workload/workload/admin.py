"""The central office's pages: rounds, their recording windows, and each round's question catalog."""
from datetime import datetime, timezone

from flask import Blueprint, redirect, render_template, request, url_for

from shared import geography
from shared.auth import Identity
from shared.inputs import parse_number, whole_number
from shared.thai import parse_datetime, thai_datetime
from shared.web import current_user, permission_required
from workload import domain, permissions, rounds
from workload.domain import ValidationFailed, WorkloadError
from workload.messages import ERROR, field_messages

bp = Blueprint("workload_admin", __name__, url_prefix="/workload/rounds")

CHANGE_LABELS = {
    "create": "สร้างรอบ", "window": "เปลี่ยนช่วงเวลาบันทึกข้อมูล", "plausibility": "เปลี่ยนเกณฑ์ข้อมูลที่ควรตรวจสอบ",
    "parameters": "เปลี่ยนชั่วโมงต่อวัน/วันทำงานต่อปี", "reminders": "เปลี่ยนวันแจ้งเตือนก่อนปิดระบบ",
    "add_question": "เพิ่มข้อคำถาม", "reword": "แก้ไขถ้อยคำข้อคำถาม", "retire": "ยกเลิกใช้งานข้อคำถาม",
    "restore": "นำข้อคำถามกลับมาใช้", "delete_question": "ลบข้อคำถาม", "import_catalog": "นำเข้าข้อคำถาม",
    "send_reminders": "ส่งแจ้งเตือนตอนนี้",
}


# What the change history calls a round's and a question's values (the rounds and catalog pages' own words).
CHANGE_FIELDS = {
    "opens_at": "เปิดระบบ", "closes_at": "ปิดระบบ", "hours_per_day": "ชั่วโมงทำงานต่อวัน",
    "days_per_year": "วันทำงานต่อปี", "reminder_days": "แจ้งเตือนก่อนปิดระบบ (วัน)",
    "plausibility_factor": "จำนวนเท่า", "plausibility_floor": "ชั่วโมงต่อปีขั้นต่ำ", "questions": "จำนวนข้อคำถาม",
    "aspect": "ด้าน", "code": "ข้อ", "detail": "รายละเอียด", "unit": "หน่วยนับ", "retired": "สถานะ",
    "audience": "ผู้รับ", "recipients": "จำนวนสำนักงานที่แจ้ง", "days_left": "เหลือเวลาก่อนปิดระบบ (วัน)",
}
AUDIENCES = {"districts": "อำเภอที่ยังบันทึกข้อมูลไม่ครบถ้วน", "provinces": "จังหวัดที่มีรายงานรอการยืนยัน"}


def _change_value(key: str, value) -> str:
    if value is None or value == "":
        return "ว่าง"
    if key in ("opens_at", "closes_at"):
        try:
            return thai_datetime(datetime.fromisoformat(value))
        except (TypeError, ValueError):
            return str(value)
    if key == "retired":
        return "ยกเลิกใช้งาน" if value else "ใช้งาน"
    if key == "aspect":
        return f"ด้านที่ {value}"
    if key == "audience":
        return AUDIENCES.get(value, str(value))
    if key == "reminder_days":
        return ", ".join(str(value).split(","))
    if isinstance(value, float):
        return f"{value:,g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def change_target(change) -> str:
    """What a round change was about, after its label: "ข้อ 1.01", "จากปีงบประมาณ 2568", "ถึงจังหวัด…"."""
    if not change.target:
        return ""
    if change.action == "import_catalog":
        return f"จาก{'ปีงบประมาณ ' if change.target.isdigit() else ''}{change.target}"
    if change.action == "send_reminders":  # target is "<audience>:<the send's key>": the key means nothing to a reader
        return f"ถึง{AUDIENCES.get(change.target.split(':')[0], '')}"
    return f"ข้อ {change.target}"


def change_items(values: dict | None) -> list[str]:
    """One side of a round change in Thai: "ปิดระบบ: 28 กุมภาพันธ์ 2575 เวลา 16:30 น.", never a raw key."""
    return [f"{CHANGE_FIELDS.get(key, key)}: {_change_value(key, value)}" for key, value in (values or {}).items()]


def _bangkok_input(value: str) -> datetime | None:
    """A date-and-time field in Bangkok time (1/12/2569 09:00, or ISO) → naive UTC, or None."""
    local = parse_datetime(value)
    return None if local is None else local.astimezone(timezone.utc).replace(tzinfo=None)


def _actor() -> Identity:
    return current_user()  # the round's history keeps the username and the person's name


def _rounds_page(status: int = 200, **context):
    return render_template("workload/rounds.html", rounds=rounds.rounds(), window=rounds.window,
                           changes=rounds.changes(), change_labels=CHANGE_LABELS, change_items=change_items,
                           change_target=change_target,
                           **context), status


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
        errors["opens_at"] = "กรุณาระบุวันเวลาเปิดเป็น วัน/เดือน/ปี พ.ศ. ชั่วโมง:นาที เช่น 1/12/2569 09:00"
    if closes_at is None:
        errors["closes_at"] = "กรุณาระบุวันเวลาปิดเป็น วัน/เดือน/ปี พ.ศ. ชั่วโมง:นาที เช่น 1/12/2569 09:00"
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
    """Open early, close now, or set new dates: each asks first what it will do (confirm.html), as it
    opens or closes recording for every district of the country. Or the days before closing that reminders
    go out (a setting of the round's own: no question asked)."""
    round_ = rounds.get_round(year)
    action = request.form.get("action")
    opens_at, closes_at = _bangkok_input(request.form.get("opens_at")), _bangkok_input(request.form.get("closes_at"))
    try:
        if action == "reminders":
            rounds.update_round(round_, actor=_actor(), reminder_days=request.form.get("reminder_days", ""))
            return redirect(url_for(".index", done="window"))
        if action not in ("open_now", "close_now") and (opens_at is None or closes_at is None
                                                        or closes_at <= opens_at):
            raise WorkloadError("bad_window")
        if request.form.get("confirmed") != "yes":
            return render_template("workload/confirm.html", ask=_window_question(round_, action, opens_at, closes_at))
        if action == "open_now":
            rounds.open_now(round_, actor=_actor())
        elif action == "close_now":
            rounds.close_now(round_, actor=_actor())
        else:
            rounds.update_round(round_, actor=_actor(), opens_at=opens_at, closes_at=closes_at)
    except ValidationFailed as error:
        return _rounds_page(422, errors={"form": field_messages(error.errors)["reminder_days"]})
    except WorkloadError as error:
        return _rounds_page(ERROR[error.code][0], errors={"form": ERROR[error.code][1]})
    return redirect(url_for(".index", done="window"))


def _window_question(round_, action: str, opens_at: datetime | None, closes_at: datetime | None) -> dict:
    """What the confirmation of a window change says will happen, naming the round and the districts."""
    everyone = f"ท้องถิ่นอำเภอทั้ง {len(geography.districts()):,} แห่ง"
    year = round_.fiscal_year
    if action == "close_now":
        title, button, fields = f"ปิดระบบทันที: ปีงบประมาณ {year}", "ยืนยันปิดระบบทันที", {"action": action}
        lines = [f"{everyone} จะบันทึกและแก้ไขข้อมูลของปีงบประมาณ {year} ไม่ได้อีกตั้งแต่ตอนนี้",
                 "ช่วงเวลาบันทึกข้อมูลจะสิ้นสุดเวลานี้ จนกว่าจะเปิดระบบหรือกำหนดช่วงเวลาใหม่"]
    elif action == "open_now":
        title, button, fields = f"เปิดระบบทันที: ปีงบประมาณ {year}", "ยืนยันเปิดระบบทันที", {"action": action}
        lines = [f"{everyone} จะบันทึกข้อมูลของปีงบประมาณ {year} ได้ตั้งแต่ตอนนี้ ถึง {thai_datetime(round_.closes_at)}"]
    else:
        title, button = f"เปลี่ยนช่วงเวลาบันทึกข้อมูล: ปีงบประมาณ {year}", "ยืนยันช่วงเวลาใหม่"
        fields = {"action": "dates", **{name: request.form.get(name) for name in ("opens_at", "closes_at")}}
        lines = [f"จาก {thai_datetime(round_.opens_at)} – {thai_datetime(round_.closes_at)}",
                 f"เป็น {thai_datetime(opens_at)} – {thai_datetime(closes_at)}",
                 f"{everyone} บันทึกข้อมูลได้เฉพาะในช่วงเวลาใหม่นี้"]
    return {"title": title, "consequences": lines, "listed": [], "fields": fields, "button": button,
            "action": url_for(".window", year=year), "back": url_for(".index")}


@bp.post("/<int:year>/plausibility")
@permission_required(permissions.require_manage_rounds)
def plausibility(year):
    """The round's plausibility check: how many times off the previous round, above how many hours a year."""
    round_ = rounds.get_round(year)
    try:
        factor = float(parse_number(request.form.get("plausibility_factor", "")))
        floor = float(parse_number(request.form.get("plausibility_floor", "")))
        rounds.update_round(round_, actor=_actor(), plausibility_factor=factor, plausibility_floor=floor)
    except ValueError:
        return _rounds_page(422, errors={"form": ERROR["bad_plausibility"][1]})
    except WorkloadError as error:
        return _rounds_page(ERROR[error.code][0], errors={"form": ERROR[error.code][1]})
    return redirect(url_for(".index", done="plausibility"))


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
