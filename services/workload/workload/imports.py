"""The Excel import's previews (README "The Excel round-trip"): an uploaded workbook checked by the form's rules
against the record as it is now, stored as a preview in the database (any instance can apply it; its uploader
only; for 30 minutes), then applied in one transaction with a history entry naming the file."""
import secrets
from datetime import timedelta

from sqlalchemy import delete

from shared.auth import Identity
from shared.clock import utcnow
from shared.uploads import Upload, display_name
from workload import domain, permissions, plausibility, read_models, saving, workbook_import
from workload.domain import ValidationFailed, WorkloadError
from workload.messages import FIELD
from workload.models import ImportPreview, Record, Round, db
from workload.rounds import window
from workload.workbook_export import (
    CONTACT_FIELDS,
    CONTACT_SHEET,
    CUSTOM_SHEET,
    NOT_DONE,
    aspect_sheet_name,
    catalog_hash,
)

LIFETIME = timedelta(minutes=30)
NO_CHANGE = "ไม่มีการเปลี่ยนแปลง"
NUMBER_LABELS = {"volume": ("ปริมาณงาน", 4), "days": ("จำนวนวัน", 5), "hours": ("จำนวนชั่วโมง", 6)}
CUSTOM_LABELS = {"detail": ("รายละเอียด", 2), "unit": ("หน่วยนับ", 3), **NUMBER_LABELS}


def _answer(answer: domain.Answer | None) -> dict | None:
    return None if answer is None else {"volume": answer.volume, "days": answer.days, "hours": answer.hours}


def _check_file(parsed: workbook_import.Parsed, round_: Round, district_code: str,
                view: read_models.RecordView) -> None:
    """Refuse a file of another record, or made from another catalog (naming the questions that differ)."""
    if parsed.meta.get("fiscal_year") != str(round_.fiscal_year) or parsed.meta.get("district") != district_code:
        raise WorkloadError("xlsx_other_record")
    current = {q.id: (q.aspect, q.code) for aspect in view.aspects.values() for q in aspect.questions}
    in_file = {int(key.split("_", 1)[1]): code for key, code in parsed.meta.items()
               if key.startswith("question_") and key.split("_", 1)[1].isdigit()}
    if parsed.meta.get("catalog") == catalog_hash([(qid, code) for qid, (_a, code) in current.items()]) and \
            in_file == {qid: code for qid, (_a, code) in current.items()}:
        return
    differ = sorted({code for qid, code in in_file.items() if current.get(qid, (0, None))[1] != code} |
                    {code for qid, (_a, code) in current.items() if in_file.get(qid) != code})
    raise WorkloadError("xlsx_catalog", questions=differ or ["ข้อคำถามในระบบ"])


def _aspect_changes(parsed, view, previous: dict[str, float], errors: list) -> tuple[list, dict]:
    params = domain.Parameters(view.round.hours_per_day, view.round.days_per_year)
    shown, plan = [], {}
    for number, aspect in view.aspects.items():
        sheet, rows = aspect_sheet_name(number), parsed.aspects.get(number, {})
        answers, changed = {}, []
        for question in aspect.questions:
            row, (volume, days, hours, not_done) = rows.get(question.code, (0, (None, None, None, None)))
            if not_done not in (None, ""):
                if not_done != NOT_DONE:
                    parsed.error(sheet, row, 7, NOT_DONE, f"เลือกได้เฉพาะ \"{NOT_DONE}\" หรือเว้นว่าง")
                elif any(value not in (None, "", "0") for value in (volume, days, hours)):
                    parsed.error(sheet, row, 7, NOT_DONE, "เลือกแล้ว ตัวเลขทั้ง 3 ช่องต้องว่างหรือเป็น 0")
                volume, days, hours = "0", "0", "0"
            new, field_errors = domain.parse_answer(volume, days, hours)
            for name, code in field_errors.items():
                label, column = NUMBER_LABELS[name]
                parsed.error(sheet, row, column, label, FIELD[code])
            answers[question.id] = [new.volume, new.days, new.hours] if new else None
            old = aspect.answers.get(question.id)
            if new != old and not field_errors:
                flag = domain.implausible(domain.hours_per_year(new, params), previous.get(question.code),
                                          params) if new else None
                changed.append({"question_id": question.id, "code": question.code, "detail": question.detail,
                                "old": _answer(old), "new": _answer(new), "flag": flag})
        if changed:
            version = int(parsed.meta.get(f"aspect_{number}", -1))
            stale = version != aspect.version
            if stale:
                errors.append({"sheet": sheet, "cell": None, "message": f"{sheet}: มีผู้บันทึกข้อมูลด้านนี้ในระบบหลังจาก"
                               "ดาวน์โหลดไฟล์ กรุณาดาวน์โหลดแบบฟอร์มใหม่"})
            shown.append({"number": number, "title": aspect.title, "stale": stale, "answers": changed})
            plan[str(number)] = {"version": version, "answers": {str(qid): a for qid, a in answers.items()}}
    return shown, plan


def _contact_changes(parsed, view, errors: list) -> tuple[list, dict | None]:
    raw = {name: (value or "") for name, value in parsed.contact.items()}
    if not any(raw.values()) and view.contact is None:
        return [], None
    raw["responsible_districts"] = [code.strip() for code in raw.get("responsible_districts", "").split(",")
                                    if code.strip()]
    try:
        new = saving.parse_contact(raw, view.district_code)
    except ValidationFailed as failed:
        for name, code in failed.errors.items():
            row, label = next((row, label) for row, (field, label) in enumerate(CONTACT_FIELDS, 2) if field == name)
            parsed.error(CONTACT_SHEET, row, 2, label, FIELD.get(code, code))
        return [], None
    old = view.contact.__dict__ if view.contact else {}
    shown = [{"field": name, "label": label, "old": old.get(name), "new": new.__dict__[name]}
             for name, label in CONTACT_FIELDS if old.get(name) != new.__dict__[name]]
    if not shown:
        return [], None
    version = int(parsed.meta.get("contact", -1))
    if version != view.contact_version:
        errors.append({"sheet": CONTACT_SHEET, "cell": None, "message": f"{CONTACT_SHEET}: มีผู้บันทึกข้อมูลติดต่อในระบบ"
                       "หลังจากดาวน์โหลดไฟล์ กรุณาดาวน์โหลดแบบฟอร์มใหม่"})
    return shown, {"version": version, "raw": raw}


def _custom_changes(parsed, view) -> dict:
    current = {row.id: saving.custom_dict(row) for row in view.custom_rows}
    added, changed, seen, emptied = [], [], set(), set()
    for row, number, raw in parsed.custom:
        if number is not None and (not str(number).isdigit() or int(number) not in current):
            parsed.error(CUSTOM_SHEET, row, 1, "เลขที่", "ไม่พบรายการเลขที่นี้ (เพิ่มรายการใหม่ให้เว้นเลขที่ว่าง)")
            continue
        row_id = int(number) if number is not None else None
        if row_id is not None:
            seen.add(row_id)
            if all(value in (None, "") for value in raw.values()):
                emptied.add(row_id)
                continue
        try:
            values = saving.parse_custom(raw)
        except ValidationFailed as failed:
            for name, code in failed.errors.items():
                label, column = CUSTOM_LABELS[name]
                parsed.error(CUSTOM_SHEET, row, column, label, FIELD.get(code, code))
            continue
        if row_id is None:
            added.append(values)
        elif values != current[row_id]:
            changed.append({"id": row_id, "old": current[row_id], "new": values})
    removed = [{"id": row_id, "old": old} for row_id, old in current.items() if row_id not in seen or row_id in emptied]
    return {"added": added, "changed": changed, "removed": removed}


def _writable(user: Identity, round_: Round, district_code: str) -> read_models.RecordView:
    permissions.require_record(user, district_code, permissions.write_record)
    view = read_models.record_view(round_, district_code)
    domain.check_writable(window(round_), utcnow(), confirmed=view.confirmed_at is not None)
    return view


def preview(user: Identity, round_: Round, district_code: str, upload: Upload) -> ImportPreview:
    """The upload's changes and errors, stored for `apply`; WorkloadError for a file that is refused whole."""
    view = _writable(user, round_, district_code)
    parsed = workbook_import.read(upload.data)
    _check_file(parsed, round_, district_code, view)
    errors: list = []
    aspects, plan_aspects = _aspect_changes(parsed, view, plausibility.previous_hours(round_, district_code), errors)
    contact, plan_contact = _contact_changes(parsed, view, errors)
    custom = _custom_changes(parsed, view)
    count = sum(len(a["answers"]) for a in aspects) + len(contact) + sum(map(len, custom.values()))
    changes = {"aspects": aspects, "contact": contact, "custom_rows": custom, "count": count,
               "summary": f"มีการเปลี่ยนแปลง {count} รายการ" if count else NO_CHANGE}
    now = utcnow()
    db.session.execute(delete(ImportPreview).where(ImportPreview.expires_at < now))
    stored = ImportPreview(id=secrets.token_hex(16), round_id=round_.id, district_code=district_code,
                           uploader=user.username, file_name=display_name(upload.filename, "แบบฟอร์ม.xlsx"),
                           created_at=now, expires_at=now + LIFETIME, changes=changes,
                           errors=parsed.errors + errors,
                           plan={"aspects": plan_aspects, "contact": plan_contact, "custom": custom})
    db.session.add(stored)
    db.session.commit()
    return stored


def get_preview(user: Identity, round_: Round, district_code: str, preview_id: str) -> ImportPreview:
    """The uploader's own live preview of this record; 404 for any other (another's id is not revealed)."""
    permissions.require_record(user, district_code, permissions.write_record)
    found = db.session.get(ImportPreview, preview_id)
    if found is None or found.round_id != round_.id or found.district_code != district_code \
            or found.uploader != user.username:
        raise WorkloadError("import_missing")
    if found.expires_at <= utcnow():
        raise WorkloadError("import_expired")
    return found


def apply(user: Identity, round_: Round, district_code: str, preview_id: str) -> ImportPreview:
    """Save every change of the preview in one transaction: aspects (a version moved since the download refuses
    them all: WorkloadError("stale", aspect=n)), contact data, custom rows, and the history entry of the file."""
    found = get_preview(user, round_, district_code, preview_id)
    if found.applied_at is not None:
        raise WorkloadError("import_applied")
    if found.errors:
        raise WorkloadError("import_errors")
    if not found.changes["count"]:
        raise WorkloadError("import_nothing")
    _writable(user, round_, district_code)
    plan = found.plan

    def rest() -> None:
        connection = db.session.connection()
        record = db.session.get(Record, saving.lock_record(connection, round_.id, window(round_), district_code))
        if plan["contact"]:
            contact = saving.parse_contact(plan["contact"]["raw"], district_code)
            saving.put_contact(user, record, plan["contact"]["version"], contact)
            record.contact_saved_at = utcnow()
        custom = plan["custom"]
        for values in custom["added"]:
            saving.insert_custom(user, record, values)
        for change in custom["changed"]:
            saving.change_custom(user, record, _unchanged_row(record, change), change["new"])
        for change in custom["removed"]:
            saving.remove_custom(user, record, _unchanged_row(record, change))
        saving.audit(user, record, "import_xlsx", "file", None, {"ไฟล์": found.file_name})
        found.applied_at = utcnow()

    aspects = {int(number): (entry["version"], {int(qid): tuple(a) if a else (None, None, None)
                                                for qid, a in entry["answers"].items()})
               for number, entry in plan["aspects"].items()}
    if aspects:
        saving.save_aspects(user, round_.fiscal_year, district_code, aspects, then=rest)
    else:
        try:
            rest()
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
    return found


def _unchanged_row(record: Record, change: dict):
    """The custom row as the preview saw it; stale when it was changed or deleted since."""
    try:
        row = saving.custom_row(record, change["id"])
    except WorkloadError:
        raise WorkloadError("stale") from None
    if saving.custom_dict(row) != change["old"]:
        raise WorkloadError("stale")
    return row
