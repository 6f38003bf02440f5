"""A district's writes to its record: the answers of one aspect or of several at once, the contact data,
custom rows. Each is one transaction with its history entry, refused outside the window, after the
province's confirmation, and when the version read is no longer the latest (another tab saved)."""
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from shared import geography, metrics
from shared.auth import Identity
from shared.clock import utcnow
from workload import completion, domain, notices, permissions, save_statements
from workload.domain import WorkloadError
from workload.models import AuditEntry, CustomRow, Record, Round, db
from workload.read_models import contact_of
from workload.rounds import window


def lock_record(connection, round_id: int, round_window: domain.Window, district_code: str) -> int:
    """The id of the district's record of the round, created if need be and locked until commit;
    refused when the window is closed or the province has confirmed the record."""
    found = geography.district(district_code)
    record_id, confirmed_at = connection.execute(save_statements.for_engine().record, {
        "round_id": round_id, "district_code": district_code, "province_code": found.province_code,
        "now": utcnow()}).one()
    domain.check_writable(round_window, utcnow(), confirmed=confirmed_at is not None)
    return record_id


def _writable_record(user: Identity, round_: Round, district_code: str) -> Record:
    permissions.require_record(user, district_code, permissions.write_record)
    round_window = window(round_)
    domain.check_writable(round_window, utcnow())
    return db.session.get(Record, lock_record(db.session.connection(), round_.id, round_window, district_code))


def audit(user: Identity, record: Record, action: str, target: str, old, new) -> None:
    db.session.add(AuditEntry(at=utcnow(), actor=user.username, actor_name=user.name, record_id=record.id,
                              action=action, target=target, old_values=old, new_values=new))


# --- Answers: the season's hot path --------------------------------------------------------------------

def save_aspect(user: Identity, fiscal_year: int, district_code: str, aspect: int, version: int,
                raw: dict[int, tuple]) -> int:
    """Save every answer of one aspect at once, with its history entry; the new version.

    This is the season's hot path: set-based, a fixed number of statements whatever the number of questions.
    """
    return save_aspects(user, fiscal_year, district_code, {aspect: (version, raw)})[aspect]


def save_aspects(user: Identity, fiscal_year: int, district_code: str,
                 changes: dict[int, tuple[int, dict[int, tuple]]], then: Callable[[], None] | None = None
                 ) -> dict[int, int]:
    """Save several aspects' answers in one transaction, all or nothing (the Excel import): `changes` maps
    an aspect to (the version it was read at, question id → (volume, days, hours)); the new versions.

    Every aspect is parsed before anything is written; a refusal of any one (an invalid answer, a stale
    version: `WorkloadError("stale", aspect=n)`) leaves every aspect as it was. Each aspect gets its own
    version bump and history entry, as if saved one after the other. `then` runs in the same transaction
    after the aspects, before the commit (the import's contact data, custom rows and history entry).
    """
    if not changes or any(aspect not in domain.ASPECTS for aspect in changes):
        raise WorkloadError("no_row")
    save = save_path(db.engine.dialect.name)
    if len(changes) == 1 and save is save_aspect_postgresql and then is None:
        # One statement, atomic by itself: on a connection of its own in autocommit, without the two round
        # trips of BEGIN and COMMIT (the season's hot path; README "Benchmark").
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            saved = _save(connection, save, user, fiscal_year, district_code, changes)
        # Whether the record just became complete, in a short transaction of its own right after it (the
        # statement above has none to share; a crash between the two is caught up by the daily `remind`); only
        # when the saved aspect left no question blank and the record could be complete and untold.
        if saved.could_complete and saved.untold:
            _note_completion(saved.round_id, fiscal_year, district_code, commit=True)
    else:
        try:
            saved = _save(db.session.connection(), save, user, fiscal_year, district_code, changes)
            if then is not None:
                then()
            if saved.could_complete or then is not None:
                completion.note_if_complete(saved.round_id, fiscal_year, district_code)  # the same transaction
        except BaseException:
            db.session.rollback()  # an aspect saved before the refused one is undone too
            raise
        db.session.commit()
    metrics.SAVES.labels("aspect").inc(len(changes))
    return {aspect: version + 1 for aspect, (version, _raw) in changes.items()}


@dataclass(frozen=True)
class Saved:
    round_id: int
    could_complete: bool  # every saved aspect has all its questions answered: the record may be complete now
    untold: bool = True  # the save's statement found contact data and no "complete" notice yet (PostgreSQL)


def _note_completion(round_id: int, fiscal_year: int, district_code: str, commit: bool) -> None:
    try:
        completion.note_if_complete(round_id, fiscal_year, district_code)
        if commit:
            db.session.commit()
    except IntegrityError:  # another save of the same record told the province first
        db.session.rollback()


def _save(connection, save: Callable, user: Identity, fiscal_year: int, district_code: str, changes: dict) -> Saved:
    rows = connection.execute(save_statements.for_engine().round_questions,
                              {"year": fiscal_year, "aspects": sorted(changes)}).all()
    if not rows:
        raise WorkloadError("no_round")
    round_id, opens_at, closes_at = rows[0][:3]
    codes: dict[int, dict[int, str]] = {aspect: {} for aspect in changes}
    for *_round, aspect, question_id, code in rows:
        if question_id is not None:
            codes[aspect][question_id] = code
    parsed, errors = {}, {}
    for aspect, (_version, raw) in changes.items():
        try:
            parsed[aspect] = domain.parse_aspect_answers(list(codes[aspect]), raw)
        except domain.ValidationFailed as failed:
            errors.update(failed.errors)  # "<question id>.<field>": question ids are unique across aspects
    if errors:
        raise domain.ValidationFailed(errors)
    permissions.require_record(user, district_code, permissions.write_record)
    round_window = domain.Window(opens_at, closes_at)
    domain.check_writable(round_window, utcnow())
    now = utcnow()
    untold = True
    for aspect in sorted(changes):
        untold = save(connection, round_window, {
            "round_id": round_id, "district_code": district_code, "aspect": aspect,
            "version": changes[aspect][0], "actor": user.username, "actor_name": user.name, "now": now,
            "codes": codes[aspect],
            "parsed": parsed[aspect],
            "complete_event": f"workload:{notices.record_complete_id(fiscal_year, district_code)}"}) and untold
    return Saved(round_id, all(answer is not None for answers in parsed.values() for answer in answers.values()),
                 untold)


def _answer_dict(answer: domain.Answer | None) -> dict | None:
    return None if answer is None else {"volume": answer.volume, "days": answer.days, "hours": answer.hours}


def _given_and_blank(parsed: dict) -> tuple[dict[int, domain.Answer], list[int]]:
    return ({qid: a for qid, a in parsed.items() if a is not None}, [qid for qid, a in parsed.items() if a is None])


def _stale(change: dict) -> WorkloadError:
    return WorkloadError("stale", aspect=change["aspect"])


def save_aspect_postgresql(connection, _round_window: domain.Window, change: dict) -> bool:
    """One statement whatever the number of questions (save_statements.SAVE_ASPECT_POSTGRESQL); whether the
    record could now be complete with its province not yet told."""
    found = geography.district(change["district_code"])
    given, blank = _given_and_blank(change["parsed"])
    codes, parsed = change["codes"], change["parsed"]
    confirmed_at, bumped, untold = connection.execute(save_statements.SAVE_ASPECT_POSTGRESQL, {
        "round_id": change["round_id"], "district_code": change["district_code"],
        "province_code": found.province_code, "aspect": change["aspect"], "old_version": change["version"],
        "now": change["now"], "actor": change["actor"], "actor_name": change["actor_name"],
        "target": f"aspect:{change['aspect']}",
        "question_ids": list(codes), "codes": [codes[qid] for qid in codes],
        "blank_ids": blank, "given_ids": list(given), "volumes": [a.volume for a in given.values()],
        "days": [a.days for a in given.values()], "hours": [a.hours for a in given.values()],
        "new_values": json.dumps({codes[qid]: _answer_dict(a) for qid, a in parsed.items()}, ensure_ascii=False),
        "complete_event": change["complete_event"],
    }).one()
    if confirmed_at is not None:
        raise WorkloadError("confirmed")
    if bumped != change["version"] + 1:
        raise _stale(change)
    return bool(untold)


def save_aspect_portable(connection, round_window: domain.Window, change: dict) -> bool:
    """The same as the PostgreSQL path, a statement at a time (SQLite on a laptop); the completion check after
    it, in the same transaction, finds out itself whether there is something to tell (so: True)."""
    sql = save_statements.for_engine()
    record_id = lock_record(connection, change["round_id"], round_window, change["district_code"])
    bumped = connection.execute(sql.bump, {
        "record_id": record_id, "aspect": change["aspect"], "old_version": change["version"], "now": change["now"],
        "actor": change["actor"]}).scalar()
    if bumped != change["version"] + 1:
        raise _stale(change)
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
        "at": change["now"], "actor": change["actor"], "actor_name": change["actor_name"], "record_id": record_id,
        "action": "save_aspect",
        "target": f"aspect:{change['aspect']}", "old_values": {codes[qid]: _answer_dict(a) for qid, a in old.items()},
        "new_values": {codes[qid]: _answer_dict(a) for qid, a in parsed.items()}})
    return True


def save_path(dialect: str) -> Callable:
    """Which path saves an aspect on this database (the tests run both on PostgreSQL)."""
    return save_aspect_postgresql if dialect == "postgresql" else save_aspect_portable


# --- The contact data and custom rows --------------------------------------------------------------------

def save_contact(user: Identity, round_: Round, district_code: str, version: int, raw: dict) -> int:
    contact = parse_contact(raw, district_code)
    record = _writable_record(user, round_, district_code)
    put_contact(user, record, version, contact)
    completion.note_if_complete(round_.id, round_.fiscal_year, district_code)
    db.session.commit()
    metrics.SAVES.labels("contact").inc()
    return record.contact_version


def parse_contact(raw: dict, district_code: str) -> domain.Contact:
    """The contact form's raw fields → Contact (ValidationFailed), the districts limited to the province's."""
    found = geography.district(district_code)
    province_districts = {d.code for d in geography.districts(found.province_code)} if found else set()
    return domain.parse_contact(raw, district_code, province_districts)


def put_contact(user: Identity, record: Record, version: int, contact: domain.Contact) -> None:
    """The contact data into a locked record, with its history entry; the caller commits."""
    if record.contact_version != version:
        raise WorkloadError("stale")
    old = contact_of(record)
    record.office_address, record.office_phone = contact.office_address, contact.office_phone
    record.person_name, record.person_mobile = contact.person_name, contact.person_mobile
    record.person_email = contact.person_email
    record.responsible_districts = ",".join(contact.responsible_districts)
    record.contact_version = version + 1
    record.contact_saved_at = utcnow()
    audit(user, record, "save_contact", "contact", old.__dict__ if old else None, contact.__dict__)


def parse_custom(raw: dict) -> dict:
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


def custom_dict(row: CustomRow) -> dict:
    return {"detail": row.detail, "unit": row.unit, "volume": row.volume, "days": row.days, "hours": row.hours}


def insert_custom(user: Identity, record: Record, values: dict) -> CustomRow:
    """A custom row into a locked record, with its history entry; the caller commits (so do the next two)."""
    row = CustomRow(record_id=record.id, **values)
    db.session.add(row)
    db.session.flush()
    audit(user, record, "add_custom", f"custom:{row.id}", None, values)
    return row


def change_custom(user: Identity, record: Record, row: CustomRow, values: dict) -> None:
    old = custom_dict(row)
    for name, value in values.items():
        setattr(row, name, value)
    audit(user, record, "edit_custom", f"custom:{row.id}", old, values)


def remove_custom(user: Identity, record: Record, row: CustomRow) -> None:
    audit(user, record, "delete_custom", f"custom:{row.id}", custom_dict(row), None)
    db.session.delete(row)


def add_custom_row(user: Identity, round_: Round, district_code: str, raw: dict) -> CustomRow:
    values = parse_custom(raw)
    record = _writable_record(user, round_, district_code)
    row = insert_custom(user, record, values)
    db.session.commit()
    metrics.SAVES.labels("custom_row").inc()
    return row


def custom_row(record: Record, row_id: int) -> CustomRow:
    row = db.session.get(CustomRow, row_id)
    if row is None or row.record_id != record.id:
        raise WorkloadError("no_row")
    return row


def update_custom_row(user: Identity, round_: Round, district_code: str, row_id: int, raw: dict) -> CustomRow:
    values = parse_custom(raw)
    record = _writable_record(user, round_, district_code)
    row = custom_row(record, row_id)
    change_custom(user, record, row, values)
    db.session.commit()
    metrics.SAVES.labels("custom_row").inc()
    return row


def delete_custom_row(user: Identity, round_: Round, district_code: str, row_id: int) -> None:
    record = _writable_record(user, round_, district_code)
    remove_custom(user, record, custom_row(record, row_id))
    db.session.commit()
    metrics.SAVES.labels("custom_row").inc()
