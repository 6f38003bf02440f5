"""Workload Tracking System pages under /workload/: the eleven sub-menus of "ข้อมูล สถอ." and rounds."""
from flask import Blueprint, abort, redirect, render_template, request, url_for

from shared import geography
from shared.clock import utcnow
from shared.collation import thai_key
from shared.inputs import whole_number
from shared.web import current_user, login_required, permission_required
from workload import confirmation, domain, evidence, figures, permissions, plausibility, read_models, rounds, saving
from workload.domain import ValidationFailed, WorkloadError
from workload.messages import ERROR, PLAUSIBILITY, STATUS_LABELS, field_messages
from workload.offices import office_of

bp = Blueprint("workload_pages", __name__, url_prefix="/workload")

# The season view and the province page link the downloads of their scope on the evidence pages' default basis.
DOWNLOADS = {"download_basis": evidence.Basis.COMPLETE, "basis_labels": evidence.BASIS_LABELS}



ACTION_LABELS = {
    "confirm": "จังหวัดยืนยันข้อมูล", "return": "จังหวัดส่งกลับแก้ไข",
    "save_aspect": "บันทึกข้อมูล", "save_contact": "บันทึกข้อมูลติดต่อ", "add_custom": "เพิ่มข้อมูลเฉพาะ สถอ.",
    "edit_custom": "แก้ไขข้อมูลเฉพาะ สถอ.", "delete_custom": "ลบข้อมูลเฉพาะ สถอ.",
    "import_xlsx": "นำเข้าจากไฟล์ Excel",
}




# What the history calls the values it lists: the forms' own labels (contact.html, custom.html).
HISTORY_LABELS = {
    "office_address": "ที่อยู่สำนักงาน", "office_phone": "โทรศัพท์สำนักงาน", "person_name": "ชื่อ-สกุล ผู้รับผิดชอบ",
    "person_mobile": "เบอร์โทรศัพท์มือถือ", "person_email": "E-mail Address", "responsible_districts": "อำเภอที่รับผิดชอบ",
    "detail": "รายละเอียดการปฏิบัติงาน", "unit": "หน่วยนับ", "volume": "ปริมาณงานต่อปี", "days": "จำนวนวัน",
    "hours": "จำนวนชั่วโมง", "aspects": "ด้านที่ต้องแก้ไข", "reason": "เหตุผล", "confirmed_by": "ผู้ยืนยัน",
}


def _history_value(key: str, value) -> str:
    if isinstance(value, dict) and set(value) >= {"volume", "days", "hours"}:
        return f"ปริมาณ {value['volume']:,} · {value['days']} วัน · {value['hours']:g} ชม."
    if key == "responsible_districts" and isinstance(value, list):
        return ", ".join(geography.district_name(v) for v in value)
    if key == "aspects" and isinstance(value, list):
        return ", ".join(f"ด้านที่ {n}" for n in value)
    if isinstance(value, float):
        return f"{value:,g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "ว่าง" if value in (None, "") else str(value)


def _history_label(key: str) -> str:
    """A form's label, a question by its number (ข้อ 1.1), or a key already in Thai (the import's ไฟล์)."""
    if key in HISTORY_LABELS:
        return HISTORY_LABELS[key]
    return f"ข้อ {key}" if key[:1].isdigit() else key


def _changes(entry) -> list[tuple[str, str, str]]:
    """The values an audit entry changed, in Thai: (item, old, new); a question by its number (ข้อ 1.1)."""
    old, new = entry.old_values or {}, entry.new_values or {}
    return [(_history_label(key), _history_value(key, old.get(key)),
             _history_value(key, new.get(key))) for key in sorted(set(old) | set(new)) if old.get(key) != new.get(key)]


def flag_text(year: int, code: str, flag) -> str:
    """One flagged answer for the province: the question, both years' hours and why (the page and the
    confirmation say the same)."""
    previous = "ไม่มีข้อมูล" if flag.previous is None else f"{flag.previous:,.0f} ชม./ปี"
    return (f"ข้อ {code}: ปี {year} {flag.hours:,.0f} ชม./ปี · ปี {year - 1} {previous}"
            f" — {PLAUSIBILITY[flag.reason]}")


@bp.app_context_processor
def _labels():
    user = current_user()
    return {"status_labels": STATUS_LABELS, "aspect_titles": domain.ASPECTS, "action_labels": ACTION_LABELS,
            "geography_name": geography.district_name, "changes": _changes, "now": utcnow(),
            "plausibility_messages": PLAUSIBILITY, "flag_text": flag_text, **(permissions.flags(user) if user else {})}


@bp.get("/")
@login_required
def index():
    """The entry page: a district goes straight to its record of the current round."""
    user = current_user()
    if not permissions.use_workload(user):
        return redirect("/sso/admin/users")  # an SSO admin manages accounts; nothing here is for it
    current = rounds.current_round()
    if user.has_role("district") and current is not None:
        return redirect(url_for(".status", year=current.fiscal_year, district=user.district_code))
    if user.has_role("province") and user.province_code and current is not None:
        return redirect(url_for(".province", year=current.fiscal_year, province=user.province_code))
    if user.has_role("central") and current is not None:
        return redirect(url_for(".season", year=current.fiscal_year))
    return render_template("workload/index.html", office=office_of(user), rounds=rounds.rounds(),
                           current=current, window=rounds.window)


def _page(year: int, district: str, template: str, status: int = 200, **context):
    """Render one page of a district's record, with its left menu and read-only state."""
    user = current_user()
    permissions.require_record(user, district)
    round_ = rounds.get_round(year)
    view = read_models.record_view(round_, district)
    editable = view.writable and permissions.write_record(user, district)
    return render_template(template, view=view, round=round_, district=geography.district(district),
                           editable=editable, saved=request.args.get("saved") == "1",
                           is_open=rounds.window(round_).is_open(utcnow()), **context), status


@bp.get("/<int:year>/districts/<district>/")
@login_required
def status(year, district):
    """สถานะการบันทึกข้อมูล สถอ., with the record's hours per year and full-time equivalents."""
    permissions.require_record(current_user(), district)  # an unknown district is 404 before it is looked up
    covering = read_models.covered_elsewhere(rounds.get_round(year), district).get(district, [])
    return _page(year, district, "workload/status.html", active="status", record_totals=figures.record_totals,
                 covering=covering, covering_province=geography.province(district[:2]).name_th if covering else "")


@bp.get("/<int:year>/districts/<district>/history")
@login_required
def history(year, district):
    """Every save and delete of this record."""
    permissions.require_record(current_user(), district)
    entries = read_models.history(rounds.get_round(year), district)
    return _page(year, district, "workload/history.html", active="history", entries=entries)


@bp.route("/<int:year>/districts/<district>/contact", methods=["GET", "POST"])
@login_required
def contact(year, district):
    """ข้อมูล ติดต่อ สถอ."""
    province = geography.district(district).province_code if geography.district(district) else None
    choices = geography.by_name(geography.districts(province)) if province else ()
    if request.method == "GET":
        round_ = rounds.get_round(year)
        permissions.require_record(current_user(), district)
        saved = read_models.contact_of(read_models.find_record(round_.id, district))
        previous = None if saved else read_models.previous_contact(round_, district)
        form = (saved or previous or domain.Contact(responsible_districts=[district])).__dict__
        return _page(year, district, "workload/contact.html", active="contact", form=form, errors={},
                     choices=choices, from_previous=previous is not None,
                     version=read_models.contact_version(round_, district),
                     covered=read_models.covered_elsewhere(round_, district))
    permissions.require_writer(current_user(), district)  # before the form is read
    if asked := _separately(year, district):
        return asked
    raw = {name: request.form.get(name, "") for name in
           ("office_address", "office_phone", "person_name", "person_mobile", "person_email")}
    raw["responsible_districts"] = request.form.getlist("responsible_districts")
    version = _int(request.form.get("version"))
    try:
        saving.save_contact(current_user(), rounds.get_round(year), district, version, raw)
    except ValidationFailed as error:
        return _page(year, district, "workload/contact.html", 422, active="contact", form=raw,
                     errors=field_messages(error.errors), choices=choices, from_previous=False, version=version)
    except WorkloadError as error:
        if error.code != "stale":
            raise
        return _page(year, district, "workload/contact.html", 409, active="contact", form=raw, errors={},
                     choices=choices, from_previous=False, conflict=ERROR["stale"][1],
                     version=read_models.contact_version(rounds.get_round(year), district))
    return redirect(url_for(".contact", year=year, district=district, saved=1))


def _separately(year: int, district: str):
    """The first save of a district whose area another record of its province already covers asks first
    that it works separately (the form comes back with separate=yes); None when there is nothing to ask."""
    round_ = rounds.get_round(year)
    if request.form.get("separate") == "yes" or read_models.find_record(round_.id, district) is not None:
        return None
    covering = read_models.covered_elsewhere(round_, district).get(district)
    if not covering:
        return None
    own, others = geography.district_name(district), ", ".join(geography.district_name(c) for c in covering)
    fields = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"] + [("separate", "yes")]
    return render_template("workload/confirm.html", ask={
        "title": "บันทึกข้อมูลแยกต่างหาก", "listed": [], "fields": fields,
        "consequences": [f"อำเภอ{own}อยู่ในอำเภอที่รับผิดชอบของท้องถิ่นอำเภอ{others} ซึ่งบันทึกข้อมูลรวมไว้แล้ว",
                         f"บันทึกต่อเมื่อท้องถิ่นอำเภอ{own}ปฏิบัติงานแยกต่างหากเท่านั้น มิฉะนั้นจะเป็นข้อมูลซ้ำกัน"],
        "button": "ยืนยันว่าปฏิบัติงานแยกต่างหาก", "action": request.path,
        "back": url_for(".status", year=year, district=district)})


def _int(value) -> int:
    try:
        return whole_number(value)
    except ValueError:
        abort(400)


@bp.route("/<int:year>/districts/<district>/aspects/<int:number>", methods=["GET", "POST"])
@login_required
def aspect(year, district, number):
    """ด้านที่ 1–8: three numbers for each question; "บันทึกข้อมูล" saves the whole aspect."""
    if number not in domain.ASPECTS:
        abort(404)
    if request.method == "GET":
        return _page(year, district, "workload/aspect.html", active=f"aspect{number}", number=number,
                     typed=None, errors={})
    permissions.require_writer(current_user(), district)  # before the form is read
    if asked := _separately(year, district):
        return asked
    round_ = rounds.get_round(year)
    question_ids = [q.id for q in rounds.questions(round_.id, number)]
    raw = {qid: tuple(request.form.get(f"q{qid}_{part}", "") for part in ("volume", "days", "hours"))
           for qid in question_ids}
    version = _int(request.form.get("version"))
    try:
        saving.save_aspect(current_user(), year, district, number, version, raw)
    except ValidationFailed as error:
        return _page(year, district, "workload/aspect.html", 422, active=f"aspect{number}", number=number,
                     typed=raw, errors=field_messages(error.errors))
    except WorkloadError as error:
        if error.code != "stale":
            raise
        return _page(year, district, "workload/aspect.html", 409, active=f"aspect{number}", number=number,
                     typed=raw, errors={}, conflict=ERROR["stale"][1])
    return redirect(url_for(".aspect", year=year, district=district, number=number, saved=1))


CUSTOM_FIELDS = ("detail", "unit", "volume", "days", "hours")


@bp.route("/<int:year>/districts/<district>/custom", methods=["GET", "POST"])
@login_required
def custom(year, district):
    """ข้อมูลเฉพาะ สถอ.: add, edit and delete rows outside the eight aspects."""
    if request.method == "GET":
        return _page(year, district, "workload/custom.html", active="custom", new={}, errors={}, editing=None)
    permissions.require_writer(current_user(), district)  # before the form is read
    round_ = rounds.get_round(year)
    raw = {name: request.form.get(name, "") for name in CUSTOM_FIELDS}
    raw["detail"] = " ".join(raw["detail"].split())  # one line, typed in a box that wraps it (Enter → a space)
    row_id = request.form.get("row_id")
    try:
        if request.form.get("action") == "delete":
            saving.delete_custom_row(current_user(), round_, district, _int(row_id))
        elif row_id:
            saving.update_custom_row(current_user(), round_, district, _int(row_id), raw)
        else:
            saving.add_custom_row(current_user(), round_, district, raw)
    except ValidationFailed as error:
        return _page(year, district, "workload/custom.html", 422, active="custom",
                     new={} if row_id else raw, errors=field_messages(error.errors),
                     editing={"id": _int(row_id), **raw} if row_id else None)
    return redirect(url_for(".custom", year=year, district=district, saved=1))


# Sorts of the province page: by DOPA code (the default), by name in Thai dictionary order (shared.collation,
# not the database's collation), what still needs work first, or confirmation.
PROVINCE_SORTS = {
    "code": lambda row: row.district.code,
    "name": lambda row: thai_key(row.district.name_th),
    "complete": lambda row: (row.complete, row.district.code),
    "confirmed": lambda row: (row.confirmed_at is not None, row.district.code),
    "flagged": lambda row: (-row.flagged, row.district.code),
}


@bp.get("/<int:year>/provinces/<province>/")
@login_required
def province(year, province):
    """สถานะการบันทึกข้อมูล สถอ. of every district of a province, with the confirmation button."""
    permissions.require_province(current_user(), province)
    status = read_models.province_status(rounds.get_round(year), province)
    sort = request.args.get("sort", "code")
    status.rows.sort(key=PROVINCE_SORTS.get(sort, PROVINCE_SORTS["code"]))
    user = current_user()
    return render_template("workload/province.html", status=status, sort=sort,
                           can_confirm=permissions.act_as_province(user, status.rows[0].district.code),
                           done=request.args.get("done"),
                           returned=request.args.get("returned"),
                           is_open=rounds.window(status.round).is_open(utcnow()), **DOWNLOADS)


@bp.post("/<int:year>/districts/<district>/confirm")
@login_required
def confirm(year, district):
    """"ตกลง" in the dialog ยืนยันการทำรายงาน; without its confirmed=yes (no JavaScript), the same question
    as a page first: a confirmed record cannot be changed any more."""
    round_ = rounds.get_round(year)
    if request.form.get("confirmed") != "yes":
        permissions.require_province_act(current_user(), district)
        name = geography.district(district).name_th
        flags = sorted((code, flag) for (_d, code), flag in plausibility.flags(round_, [district]).items())
        return render_template("workload/confirm.html", ask={
            "title": f"ยืนยันการทำรายงาน: อำเภอ{name}", "fields": {}, "button": "ตกลง",
            "listed": [flag_text(year, code, flag) for code, flag in flags],
            "consequences": [f"ยืนยันข้อมูลของอำเภอ{name} ปีงบประมาณ {year} เมื่อยืนยันแล้วจะแก้ไขไม่ได้อีก"]
            + ([f"มีข้อมูลที่ควรตรวจสอบ {len(flags)} ข้อ:"] if flags else []),
            "action": url_for(".confirm", year=year, district=district),
            "back": url_for(".province", year=year, province=district[:2])})
    confirmation.confirm(current_user(), round_, district)
    return redirect(url_for(".province", year=year, province=district[:2], done=district))


@bp.get("/<int:year>/provinces/")
@permission_required(permissions.require_season)
def season(year):
    """The season at a glance for the central office: progress of every province."""
    round_ = rounds.get_round(year)
    now = utcnow()
    days_left = (round_.closes_at - now).days if rounds.window(round_).is_open(now) else None
    return render_template("workload/season.html", season=read_models.season_status(round_), rounds=rounds.rounds(),
                           days_left=days_left, **DOWNLOADS)


@bp.post("/<int:year>/districts/<district>/return")
@login_required
def return_for_correction(year, district):
    """ส่งกลับแก้ไข from the province's page."""
    try:
        aspects = [whole_number(a) for a in request.form.getlist("aspects")]
    except ValueError:
        abort(400)
    try:
        confirmation.return_for_correction(current_user(), rounds.get_round(year), district, aspects,
                                      request.form.get("reason", ""))
    except ValidationFailed:
        abort(422, description="กรุณาเลือกด้านที่ต้องแก้ไขและระบุเหตุผล")
    return redirect(url_for(".province", year=year, province=district[:2], returned=district))
