"""District records: contact data, answers per aspect, custom rows, history. One transaction per write."""
import json
from collections import Counter
from datetime import datetime
from functools import cache
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from shared import geography, metrics
from shared.auth import Identity
from shared.clock import utcnow
from workload import domain, notices, permissions
from workload.domain import WorkloadError
from workload.models import AnswerRow, AspectSave, AuditEntry, Correction, CustomRow, Question, Record, Round, db
from workload.rounds import hold_catalog, questions, window


def _insert(table):
    """INSERT with ON CONFLICT for the database in use (PostgreSQL in production, SQLite on a laptop)."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def contact_version(round_: Round, district_code: str) -> int:
    record = find_record(round_.id, district_code)
    return record.contact_version if record else 0


# On PostgreSQL a save is two statements (plus reading the questions): data-modifying CTEs, which all
# see the tables as they were before the statement, so `old` holds the values being replaced.
SAVE_VERSION_POSTGRESQL = text("""
WITH record AS (
    INSERT INTO records (round_id, district_code, province_code, contact_version, created_at)
    VALUES (:round_id, :district_code, :province_code, 0, :now)
    ON CONFLICT (round_id, district_code) DO UPDATE SET round_id = EXCLUDED.round_id
    RETURNING id, confirmed_at
), bumped AS (
    INSERT INTO aspect_saves (record_id, aspect, version, saved_at, saved_by)
    SELECT id, :aspect, 1, :now, :actor FROM record WHERE confirmed_at IS NULL
    ON CONFLICT (record_id, aspect) DO UPDATE
    SET version = aspect_saves.version + 1, saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by
    WHERE aspect_saves.version = :old_version
    RETURNING version
)
SELECT record.id, record.confirmed_at, (SELECT version FROM bumped) FROM record
""")

REPLACE_ANSWERS_POSTGRESQL = text("""
WITH old AS (
    SELECT question_id, volume, days, hours FROM answers
    WHERE record_id = :record_id AND question_id = ANY(CAST(:question_ids AS integer[]))
), cleared AS (
    DELETE FROM answers WHERE record_id = :record_id AND question_id = ANY(CAST(:blank_ids AS integer[]))
), saved AS (
    INSERT INTO answers (record_id, question_id, volume, days, hours)
    SELECT :record_id, unnest(CAST(:given_ids AS integer[])), unnest(CAST(:volumes AS integer[])),
           unnest(CAST(:days AS integer[])), unnest(CAST(:hours AS double precision[]))
    ON CONFLICT (record_id, question_id)
    DO UPDATE SET volume = EXCLUDED.volume, days = EXCLUDED.days, hours = EXCLUDED.hours
), corrected AS (
    UPDATE corrections SET cleared_at = :now
    WHERE record_id = :record_id AND aspect = :aspect AND cleared_at IS NULL
), codes AS (
    SELECT * FROM unnest(CAST(:question_ids AS integer[]), CAST(:codes AS text[])) AS c (question_id, code)
)
INSERT INTO audit_log (at, actor, record_id, action, target, old_values, new_values)
SELECT :now, :actor, :record_id, 'save_aspect', :target,
       (SELECT COALESCE(json_object_agg(codes.code, json_build_object(
                'volume', old.volume, 'days', old.days, 'hours', old.hours)), '{}'::json)
        FROM old JOIN codes USING (question_id)),
       CAST(:new_values AS json)
""")


@cache
def _statements(dialect: str) -> SimpleNamespace:
    """The save path's statements, built once per database kind: building SQLAlchemy constructs costs
    more Python time than running them, and this path runs for every save of the season."""
    dml = postgresql if dialect == "postgresql" else sqlite
    record = dml.insert(Record).values(round_id=bindparam("round_id"), district_code=bindparam("district_code"),
                                       province_code=bindparam("province_code"), contact_version=0,
                                       created_at=bindparam("now"))
    # DO UPDATE (not DO NOTHING) so that the existing row is returned and locked like a new one.
    record = record.on_conflict_do_update(index_elements=["round_id", "district_code"],
                                          set_={"round_id": record.excluded.round_id})
    # A first save inserts version 1; later ones add one, only if the version read is still the latest.
    # The caller accepts the result only if it is the version read plus one.
    bump = dml.insert(AspectSave).values(record_id=bindparam("record_id"), aspect=bindparam("aspect"), version=1,
                                         saved_at=bindparam("now"), saved_by=bindparam("actor"))
    bump = bump.on_conflict_do_update(
        index_elements=["record_id", "aspect"],
        set_={"version": AspectSave.version + 1, "saved_at": bump.excluded.saved_at, "saved_by": bump.excluded.saved_by},
        where=AspectSave.version == bindparam("old_version"))
    answers = dml.insert(AnswerRow)
    answers = answers.on_conflict_do_update(
        index_elements=["record_id", "question_id"],
        set_={"volume": answers.excluded.volume, "days": answers.excluded.days, "hours": answers.excluded.hours})
    return SimpleNamespace(
        record=record.returning(Record.id, Record.confirmed_at),
        bump=bump.returning(AspectSave.version),
        answers=answers,
        # The round's window and the aspect's active questions in one query.
        round_questions=select(Round.id, Round.opens_at, Round.closes_at, Question.id, Question.code)
        .select_from(Round).outerjoin(Question, and_(Question.round_id == Round.id,
                                                     Question.aspect == bindparam("aspect"),
                                                     Question.retired_at.is_(None)))
        .where(Round.fiscal_year == bindparam("year")),
        old=select(AnswerRow.question_id, AnswerRow.volume, AnswerRow.days, AnswerRow.hours).where(
            AnswerRow.record_id == bindparam("record_id"), AnswerRow.question_id.in_(bindparam("ids", expanding=True))),
        clear=delete(AnswerRow).where(AnswerRow.record_id == bindparam("record_id"),
                                      AnswerRow.question_id.in_(bindparam("ids", expanding=True))),
        audit=insert(AuditEntry),
        clear_corrections=update(Correction).where(
            Correction.record_id == bindparam("of_record"), Correction.aspect == bindparam("of_aspect"),
            Correction.cleared_at.is_(None)).values(cleared_at=bindparam("now")),
    )


def _sql() -> SimpleNamespace:
    return _statements(db.engine.dialect.name)


def _lock_record(user: Identity, round_id: int, round_window: domain.Window, district_code: str) -> int:
    """The id of the district's record of the round, created if need be and locked until commit;
    refused when the window is closed or the province has confirmed the record."""
    permissions.require_record(user, district_code, permissions.write_record)
    domain.check_writable(round_window, utcnow())
    return _lock_record_in(db.session.connection(), round_id, round_window, district_code)


def _lock_record_in(connection, round_id: int, round_window: domain.Window, district_code: str) -> int:
    found = geography.district(district_code)
    record_id, confirmed_at = connection.execute(_sql().record, {
        "round_id": round_id, "district_code": district_code, "province_code": found.province_code,
        "now": utcnow()}).one()
    domain.check_writable(round_window, utcnow(), confirmed=confirmed_at is not None)
    return record_id


def _writable_record(user: Identity, round_: Round, district_code: str) -> Record:
    return db.session.get(Record, _lock_record(user, round_.id, window(round_), district_code))


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


def covered_elsewhere(round_: Round, district_code: str) -> dict[str, list[str]]:
    """For a district's contact form: which districts of its province other records of the round already
    cover, and by which districts (codes only: no other record's contact data leaves here)."""
    province_code = geography.district(district_code).province_code
    rows = db.session.execute(select(Record.district_code, Record.responsible_districts).where(
        Record.round_id == round_.id, Record.province_code == province_code, Record.district_code != district_code,
        Record.contact_version > 0))
    return domain.covering_records({code: (districts or "").split(",") for code, districts in rows if districts})


def record_view(round_: Round, district_code: str) -> dict:
    """Everything a page or the API shows of one district's record, in five queries."""
    record = find_record(round_.id, district_code)
    active = questions(round_.id)
    answers, versions, rows, corrections = {}, {}, [], []
    if record is not None:
        corrections = open_corrections(record.id)
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
    flags = plausibility_flags(round_, [district_code]) if record is not None else {}
    for aspect in aspects.values():
        aspect["flags"] = {q.id: flags[district_code, q.code] for q in aspect["questions"]
                           if (district_code, q.code) in flags}
    contact = contact_of(record)
    own = district_code
    return {
        "round": round_, "district_code": district_code, "record": record,
        "contact": contact, "contact_version": record.contact_version if record else 0,
        "aspects": aspects, "custom_rows": rows, "corrections": corrections,
        "complete": domain.record_complete({n: a["status"] for n, a in aspects.items()}, contact, own),
        "confirmed_at": record.confirmed_at if record else None,
        "writable": window(round_).is_open(utcnow()) and not (record and record.confirmed_at),
    }


# --- Writing --------------------------------------------------------------------------------------

def _answer_dict(answer: domain.Answer | None) -> dict | None:
    return None if answer is None else {"volume": answer.volume, "days": answer.days, "hours": answer.hours}


def save_aspect(user: Identity, fiscal_year: int, district_code: str, aspect: int, version: int,
                raw: dict[int, tuple]) -> int:
    """Save every answer of one aspect at once, with its audit row; the new version.

    Refused when the version read is no longer the latest (another tab saved), outside the window and
    after the province's confirmation. This is the season's hot path: set-based, a fixed number of
    statements whatever the number of questions.
    """
    if aspect not in domain.ASPECTS:
        raise WorkloadError("no_row")
    connection = db.session.connection()
    rows = connection.execute(_sql().round_questions, {"year": fiscal_year, "aspect": aspect}).all()
    if not rows:
        raise WorkloadError("no_round")
    round_id, opens_at, closes_at = rows[0][:3]
    codes = {question_id: code for *_round, question_id, code in rows if question_id is not None}
    parsed = domain.parse_aspect_answers(list(codes), raw)
    permissions.require_record(user, district_code, permissions.write_record)
    round_window = domain.Window(opens_at, closes_at)
    domain.check_writable(round_window, utcnow())
    change = {"round_id": round_id, "district_code": district_code, "aspect": aspect, "version": version,
              "actor": user.username, "now": utcnow(), "codes": codes, "parsed": parsed}
    if db.engine.dialect.name == "postgresql":
        _save_aspect_postgresql(connection, change)
    else:
        _save_aspect_portable(connection, round_window, change)
    db.session.commit()
    metrics.SAVES.labels("aspect").inc()
    return version + 1


def _given_and_blank(parsed: dict) -> tuple[dict[int, domain.Answer], list[int]]:
    return ({qid: a for qid, a in parsed.items() if a is not None}, [qid for qid, a in parsed.items() if a is None])


def _save_aspect_postgresql(connection, change: dict) -> None:
    found = geography.district(change["district_code"])
    record_id, confirmed_at, bumped = connection.execute(SAVE_VERSION_POSTGRESQL, {
        "round_id": change["round_id"], "district_code": change["district_code"],
        "province_code": found.province_code, "aspect": change["aspect"],
        "old_version": change["version"], "now": change["now"], "actor": change["actor"]}).one()
    if confirmed_at is not None:
        raise WorkloadError("confirmed")
    if bumped != change["version"] + 1:
        raise WorkloadError("stale")
    given, blank = _given_and_blank(change["parsed"])
    codes, parsed = change["codes"], change["parsed"]
    connection.execute(REPLACE_ANSWERS_POSTGRESQL, {
        "record_id": record_id, "question_ids": list(codes), "codes": [codes[qid] for qid in codes],
        "blank_ids": blank, "given_ids": list(given), "volumes": [a.volume for a in given.values()],
        "days": [a.days for a in given.values()], "hours": [a.hours for a in given.values()],
        "now": change["now"], "actor": change["actor"], "target": f"aspect:{change['aspect']}",
        "aspect": change["aspect"], "new_values": json.dumps({codes[qid]: _answer_dict(a) for qid, a in parsed.items()}, ensure_ascii=False)})


def _save_aspect_portable(connection, round_window: domain.Window, change: dict) -> None:
    """The same as the PostgreSQL path, a statement at a time (SQLite on a laptop)."""
    sql = _sql()
    record_id = _lock_record_in(connection, change["round_id"], round_window, change["district_code"])
    bumped = connection.execute(sql.bump, {
        "record_id": record_id, "aspect": change["aspect"], "old_version": change["version"], "now": change["now"],
        "actor": change["actor"]}).scalar()
    if bumped != change["version"] + 1:
        raise WorkloadError("stale")
    codes, parsed = change["codes"], change["parsed"]
    old = {qid: domain.Answer(volume, days, hours) for qid, volume, days, hours in
           connection.execute(sql.old, {"record_id": record_id, "ids": list(parsed)})}
    given, blank = _given_and_blank(parsed)
    if blank:
        connection.execute(sql.clear, {"record_id": record_id, "ids": blank})
    if given:
        connection.execute(sql.answers, [{"record_id": record_id, "question_id": qid, "volume": a.volume,
                                          "days": a.days, "hours": a.hours} for qid, a in given.items()])
    connection.execute(sql.clear_corrections, {"of_record": record_id, "of_aspect": change["aspect"],
                                               "now": change["now"]})
    connection.execute(sql.audit, {
        "at": change["now"], "actor": change["actor"], "record_id": record_id, "action": "save_aspect",
        "target": f"aspect:{change['aspect']}", "old_values": {codes[qid]: _answer_dict(a) for qid, a in old.items()},
        "new_values": {codes[qid]: _answer_dict(a) for qid, a in parsed.items()}})


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
    metrics.SAVES.labels("contact").inc()
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
    metrics.SAVES.labels("custom_row").inc()
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
    metrics.SAVES.labels("custom_row").inc()
    return row


def delete_custom_row(user: Identity, round_: Round, district_code: str, row_id: int) -> None:
    record = _writable_record(user, round_, district_code)
    row = _custom_row(record, row_id)
    _audit(user, record, "delete_custom", f"custom:{row.id}", _custom_dict(row), None)
    db.session.delete(row)
    db.session.commit()
    metrics.SAVES.labels("custom_row").inc()


def history(round_: Round, district_code: str) -> list[AuditEntry]:
    record = find_record(round_.id, district_code)
    if record is None:
        return []
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.record_id == record.id)
                                   .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())))


# --- The province: every district's state, and the final confirmation ------------------------------

def district_rows(round_, province_code: str | None, with_flags: bool = True) -> list[dict]:
    """Every district of one province, or of all 76, with its eight aspect states, contact, coverage
    by another record and confirmation; three queries whatever the number of districts."""
    active = Counter(q.aspect for q in questions(round_.id))
    query = select(Record.__table__).where(Record.round_id == round_.id)  # rows, not ORM objects: 878 of them
    if province_code is not None:
        query = query.where(Record.province_code == province_code)
    by_district = {r.district_code: r for r in db.session.execute(query)}
    answered = Counter()
    for record_id, aspect, count in db.session.execute(
            select(AnswerRow.record_id, Question.aspect, func.count()).join(Question)
            .join(Record, Record.id == AnswerRow.record_id)
            .where(Record.round_id == round_.id, Question.retired_at.is_(None),
                   *([Record.province_code == province_code] if province_code else []))
            .group_by(AnswerRow.record_id, Question.aspect)):
        answered[record_id, aspect] = count
    contacts = {code: contact_of(record) for code, record in by_district.items()}
    covered = domain.covering_records({code: c.responsible_districts for code, c in contacts.items() if c})
    flagged = Counter()
    if with_flags:
        codes = [d.code for d in geography.districts(province_code)] if province_code else None
        flagged.update(district for district, _code in plausibility_flags(round_, codes))
    rows = []
    for district in geography.districts(province_code):
        record = by_district.get(district.code)
        states = {n: domain.status_from_counts(active[n], answered[record.id, n] if record else 0)
                  for n in domain.ASPECTS}
        contact = contacts.get(district.code)
        rows.append({
            "district": district, "record": record, "states": states, "contact": contact,
            "complete": domain.record_complete(states, contact, district.code),
            "confirmed_at": record.confirmed_at if record else None,
            "covered_by": covered.get(district.code, []),
            "flagged": flagged[district.code],
        })
    return rows


def _counts(rows: list[dict]) -> dict:
    return {
        "districts": len(rows),
        "complete": sum(r["complete"] for r in rows),
        "confirmed": sum(r["confirmed_at"] is not None for r in rows),
        "covered": sum(not r["complete"] and len(r["covered_by"]) == 1 for r in rows),
        "missing": sum(not r["complete"] and not r["covered_by"] for r in rows),
        "claimed_twice": sum(len(r["covered_by"]) > 1 for r in rows),
    }


def province_status(round_, province_code: str) -> dict:
    """The province's page: every district of the province and the counts at the top."""
    rows = district_rows(round_, province_code)
    return {"round": round_, "province": geography.province(province_code), "rows": rows, "counts": _counts(rows)}


def season_status(round_) -> dict:
    """The central office's view of the season: the counts of every province and of the nation."""
    rows = district_rows(round_, None, with_flags=False)  # the national view counts, it does not flag
    by_province: dict[str, list[dict]] = {}
    for row in rows:
        by_province.setdefault(row["district"].province_code, []).append(row)
    return {"round": round_, "nation": _counts(rows),
            "provinces": [{"province": p, **_counts(by_province.get(p.code, []))} for p in geography.provinces()]}


def confirm(user: Identity, round_, district_code: str) -> datetime:
    """The province's final confirmation of a complete record; confirming again changes nothing.

    The record row is locked first, as every save does, so a save racing with the confirmation either
    landed before it (and is what was confirmed) or is refused after it.
    """
    permissions.require_record(user, district_code, permissions.act_as_province)
    record = find_record(round_.id, district_code)
    if record is None:
        raise WorkloadError("not_complete")
    db.session.execute(update(Record).where(Record.id == record.id)  # the write lock, on SQLite too
                       .values(confirmed_by=Record.confirmed_by))
    db.session.refresh(record, with_for_update=True)
    hold_catalog(round_.id)  # the questions it is complete against stay as they are until commit
    view = record_view(round_, district_code)
    newly = domain.check_confirmable(view["complete"], record.confirmed_at is not None)
    if newly:
        record.confirmed_at, record.confirmed_by = utcnow(), user.username
        _audit(user, record, "confirm", "record", None, {"confirmed_by": user.username})
        notices.record_confirmed(round_, record, user.name)
    db.session.commit()
    if newly:
        metrics.CONFIRMATIONS.inc()
    return record.confirmed_at


def open_corrections(record_id: int) -> list[Correction]:
    return list(db.session.scalars(select(Correction).where(Correction.record_id == record_id,
                                                            Correction.cleared_at.is_(None))
                                   .order_by(Correction.aspect, Correction.id)))


def return_for_correction(user: Identity, round_, district_code: str, aspects: list[int], reason: str) -> int:
    """ส่งกลับแก้ไข: the province notes aspects to correct, while the window is open; changes no data.
    The district sees the note until it saves that aspect again."""
    permissions.require_record(user, district_code, permissions.act_as_province)
    errors = {}
    if not aspects or any(a not in domain.ASPECTS for a in aspects):
        errors["aspects"] = "required"
    code = domain.check_text(reason, required=True)
    if code:
        errors["reason"] = code
    if errors:
        raise domain.ValidationFailed(errors)
    domain.check_writable(window(round_), utcnow())
    record = find_record(round_.id, district_code)
    if record is None:
        raise WorkloadError("no_row")
    domain.check_writable(window(round_), utcnow(), confirmed=record.confirmed_at is not None)
    now = utcnow()
    corrections = [Correction(record_id=record.id, aspect=aspect, reason=reason.strip(), requested_by=user.username,
                              requested_at=now) for aspect in sorted(set(aspects))]
    db.session.add_all(corrections)
    _audit(user, record, "return", "record", None, {"aspects": sorted(set(aspects)), "reason": reason.strip()})
    db.session.flush()
    notices.aspects_returned(round_, record, sorted(set(aspects)), reason.strip(), user.name, corrections[0].id)
    db.session.commit()
    metrics.CORRECTIONS.inc(len(set(aspects)))
    return len(set(aspects))


# --- Plausibility ----------------------------------------------------------------------------------

def _hours_by_code(round_id: int, district_codes: list[str] | None, params: domain.Parameters) -> dict:
    """(district, question code) → hours per year of every answer of a round (one query)."""
    query = (select(Record.district_code, Question.code, AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
             .join(Record, Record.id == AnswerRow.record_id).join(Question, Question.id == AnswerRow.question_id)
             .where(Record.round_id == round_id))
    if district_codes is not None:
        query = query.where(Record.district_code.in_(district_codes))
    return {(district, code): domain.hours_per_year(domain.Answer(volume, days, hours), params)
            for district, code, volume, days, hours in db.session.execute(query)}


def plausibility_flags(round_, district_codes: list[str]) -> dict[tuple[str, str], str]:
    """(district, question code) → why its answer looks implausible, against the previous round."""
    params = domain.Parameters(round_.hours_per_day, round_.days_per_year)
    current = _hours_by_code(round_.id, district_codes, params)
    previous_round = db.session.scalar(select(Round).where(Round.fiscal_year == round_.fiscal_year - 1))
    previous = (_hours_by_code(previous_round.id, district_codes,
                               domain.Parameters(previous_round.hours_per_day, previous_round.days_per_year))
                if previous_round else {})
    flags = {}
    for key, hours in current.items():
        reason = domain.implausible(hours, previous.get(key), params)
        if reason:
            flags[key] = reason
    return flags
