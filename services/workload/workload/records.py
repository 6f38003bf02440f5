"""District records: contact data, answers per aspect, custom rows, history. One transaction per write."""
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from shared import geography
from shared.auth import Identity, can_access_district, can_write_district
from shared.clock import utcnow
from workload import domain
from workload.domain import WorkloadError
from workload.models import AnswerRow, AspectSave, AuditEntry, CustomRow, Question, Record, Round, db
from workload.rounds import questions, window


def _insert(table):
    """INSERT with ON CONFLICT for the database in use (PostgreSQL in production, SQLite on a laptop)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


# --- Permissions ----------------------------------------------------------------------------------

def authorize(user: Identity, district_code: str, write: bool = False) -> None:
    if geography.district(district_code) is None:
        raise WorkloadError("no_district")
    allowed = can_write_district if write else can_access_district
    if not allowed(user, district_code):
        raise WorkloadError("forbidden")


def now() -> datetime:
    return utcnow()


def can_edit(user: Identity, district_code: str) -> bool:
    return can_write_district(user, district_code)


def contact_version(round_: Round, district_code: str) -> int:
    record = find_record(round_.id, district_code)
    return record.contact_version if record else 0


def _writable_record(user: Identity, round_: Round, district_code: str) -> Record:
    """The district's record of the round, created if need be and locked for this transaction."""
    authorize(user, district_code, write=True)
    domain.check_writable(window(round_), utcnow())
    found = geography.district(district_code)
    db.session.execute(_insert(Record).values(
        round_id=round_.id, district_code=district_code, province_code=found.province_code,
        contact_version=0, created_at=utcnow()).on_conflict_do_nothing())
    record = db.session.scalar(select(Record).where(Record.round_id == round_.id,
                                                    Record.district_code == district_code).with_for_update())
    domain.check_writable(window(round_), utcnow(), confirmed=record.confirmed_at is not None)
    return record


def _audit(user: Identity, record: Record, action: str, target: str, old, new) -> None:
    db.session.add(AuditEntry(at=utcnow(), actor=user.username, record_id=record.id, action=action,
                              target=target, old_values=old, new_values=new))


# --- Reading a record -----------------------------------------------------------------------------

def find_record(round_id: int, district_code: str) -> Record | None:
    return db.session.scalar(select(Record).where(Record.round_id == round_id, Record.district_code == district_code))


def contact_of(record: Record | None) -> domain.Contact | None:
    if record is None or record.contact_version == 0:
        return None
    return domain.Contact(record.office_address or "", record.office_phone or "", record.person_name or "",
                          record.person_mobile or "", record.person_email or "",
                          (record.responsible_districts or "").split(",") if record.responsible_districts else [])


def previous_contact(round_: Round, district_code: str) -> domain.Contact | None:
    """Last round's contact data: where a new round starts from."""
    previous = db.session.scalar(
        select(Record).join(Round, Round.id == Record.round_id)
        .where(Record.district_code == district_code, Round.fiscal_year < round_.fiscal_year,
               Record.contact_version > 0)
        .order_by(Round.fiscal_year.desc()).limit(1))
    return contact_of(previous)


def record_view(round_: Round, district_code: str) -> dict:
    """Everything a page or the API shows of one district's record, in five queries."""
    record = find_record(round_.id, district_code)
    active = questions(round_.id)
    answers, versions, rows = {}, {}, []
    if record is not None:
        answers = {a.question_id: domain.Answer(a.volume, a.days, a.hours)
                   for a in db.session.scalars(select(AnswerRow).where(AnswerRow.record_id == record.id))}
        versions = {s.aspect: s for s in db.session.scalars(select(AspectSave).where(AspectSave.record_id == record.id))}
        rows = list(db.session.scalars(select(CustomRow).where(CustomRow.record_id == record.id).order_by(CustomRow.id)))
    aspects = {}
    for number, title in domain.ASPECTS.items():
        aspect_questions = [q for q in active if q.aspect == number]
        ids = {q.id for q in aspect_questions}
        save = versions.get(number)
        aspects[number] = {
            "number": number, "title": title, "questions": aspect_questions,
            "answers": {qid: answers[qid] for qid in ids if qid in answers},
            "status": domain.aspect_status(ids, set(answers)),
            "version": save.version if save else 0,
            "saved_at": save.saved_at if save else None,
        }
    contact = contact_of(record)
    own = district_code
    return {
        "round": round_, "district_code": district_code, "record": record,
        "contact": contact, "contact_version": record.contact_version if record else 0,
        "aspects": aspects, "custom_rows": rows,
        "complete": domain.record_complete({n: a["status"] for n, a in aspects.items()}, contact, own),
        "confirmed_at": record.confirmed_at if record else None,
        "writable": window(round_).is_open(utcnow()) and not (record and record.confirmed_at),
    }


# --- Writing --------------------------------------------------------------------------------------

def _answer_dict(answer: domain.Answer | None) -> dict | None:
    return None if answer is None else {"volume": answer.volume, "days": answer.days, "hours": answer.hours}


def save_aspect(user: Identity, round_: Round, district_code: str, aspect: int, version: int,
                raw: dict[int, tuple]) -> int:
    """Save every answer of one aspect at once; the new version. Stale versions are refused."""
    if aspect not in domain.ASPECTS:
        raise WorkloadError("no_row")
    active = questions(round_.id, aspect)
    parsed = domain.parse_aspect_answers([q.id for q in active], raw)
    record = _writable_record(user, round_, district_code)
    now = utcnow()
    if version == 0:
        try:
            with db.session.begin_nested():
                db.session.add(AspectSave(record_id=record.id, aspect=aspect, version=1, saved_at=now,
                                          saved_by=user.username))
        except IntegrityError:
            raise WorkloadError("stale") from None
        new_version = 1
    else:
        bumped = db.session.execute(
            update(AspectSave).where(AspectSave.record_id == record.id, AspectSave.aspect == aspect,
                                     AspectSave.version == version)
            .values(version=version + 1, saved_at=now, saved_by=user.username))
        if bumped.rowcount != 1:
            raise WorkloadError("stale")
        new_version = version + 1
    ids = [q.id for q in active]
    old = {row.question_id: domain.Answer(row.volume, row.days, row.hours) for row in db.session.scalars(
        select(AnswerRow).where(AnswerRow.record_id == record.id, AnswerRow.question_id.in_(ids)))}
    blank = [qid for qid, answer in parsed.items() if answer is None]
    if blank:
        db.session.execute(delete(AnswerRow).where(AnswerRow.record_id == record.id,
                                                   AnswerRow.question_id.in_(blank)))
    given = [{"record_id": record.id, "question_id": qid, "volume": a.volume, "days": a.days, "hours": a.hours}
             for qid, a in parsed.items() if a is not None]
    if given:
        statement = _insert(AnswerRow)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=["record_id", "question_id"],
            set_={"volume": statement.excluded.volume, "days": statement.excluded.days,
                  "hours": statement.excluded.hours}), given)
    codes = {q.id: q.code for q in active}
    _audit(user, record, "save_aspect", f"aspect:{aspect}",
           {codes[qid]: _answer_dict(a) for qid, a in old.items()},
           {codes[qid]: _answer_dict(a) for qid, a in parsed.items()})
    db.session.commit()
    return new_version


def save_contact(user: Identity, round_: Round, district_code: str, version: int, raw: dict) -> int:
    found = geography.district(district_code)
    province_districts = {d.code for d in geography.districts(found.province_code)} if found else set()
    contact = domain.parse_contact(raw, district_code, province_districts)
    record = _writable_record(user, round_, district_code)
    if record.contact_version != version:
        raise WorkloadError("stale")
    old = contact_of(record)
    record.office_address, record.office_phone = contact.office_address, contact.office_phone
    record.person_name, record.person_mobile = contact.person_name, contact.person_mobile
    record.person_email = contact.person_email
    record.responsible_districts = ",".join(contact.responsible_districts)
    record.contact_version = version + 1
    record.contact_saved_at = utcnow()
    _audit(user, record, "save_contact", "contact", old.__dict__ if old else None, contact.__dict__)
    db.session.commit()
    return record.contact_version


def _parse_custom(raw: dict) -> dict:
    errors = {}
    for name, limit in (("detail", 500), ("unit", 50)):
        code = domain.check_text(raw.get(name), required=True, max_length=limit)
        if code:
            errors[name] = code
    answer, answer_errors = domain.parse_answer(raw.get("volume"), raw.get("days"), raw.get("hours"))
    if answer is None and not answer_errors:
        answer_errors = {"volume": "required", "days": "required", "hours": "required"}
    errors.update(answer_errors)
    if errors:
        raise domain.ValidationFailed(errors)
    return {"detail": raw["detail"].strip(), "unit": raw["unit"].strip(),
            "volume": answer.volume, "days": answer.days, "hours": answer.hours}


def _custom_dict(row: CustomRow) -> dict:
    return {"detail": row.detail, "unit": row.unit, "volume": row.volume, "days": row.days, "hours": row.hours}


def add_custom_row(user: Identity, round_: Round, district_code: str, raw: dict) -> CustomRow:
    values = _parse_custom(raw)
    record = _writable_record(user, round_, district_code)
    row = CustomRow(record_id=record.id, **values)
    db.session.add(row)
    db.session.flush()
    _audit(user, record, "add_custom", f"custom:{row.id}", None, values)
    db.session.commit()
    return row


def _custom_row(record: Record, row_id: int) -> CustomRow:
    row = db.session.get(CustomRow, row_id)
    if row is None or row.record_id != record.id:
        raise WorkloadError("no_row")
    return row


def update_custom_row(user: Identity, round_: Round, district_code: str, row_id: int, raw: dict) -> CustomRow:
    values = _parse_custom(raw)
    record = _writable_record(user, round_, district_code)
    row = _custom_row(record, row_id)
    old = _custom_dict(row)
    for name, value in values.items():
        setattr(row, name, value)
    _audit(user, record, "edit_custom", f"custom:{row.id}", old, values)
    db.session.commit()
    return row


def delete_custom_row(user: Identity, round_: Round, district_code: str, row_id: int) -> None:
    record = _writable_record(user, round_, district_code)
    row = _custom_row(record, row_id)
    _audit(user, record, "delete_custom", f"custom:{row.id}", _custom_dict(row), None)
    db.session.delete(row)
    db.session.commit()


def history(round_: Round, district_code: str) -> list[AuditEntry]:
    record = find_record(round_.id, district_code)
    if record is None:
        return []
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.record_id == record.id)
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


def answered_count(round_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(AnswerRow).join(Question)
                             .where(Question.round_id == round_id)) or 0
