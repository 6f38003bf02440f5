"""When a district's record becomes complete (all eight aspects and the contact data), its province hears that
it waits for confirmation; when the last district of a province is confirmed, the province hears that too.
Each once: the event's id names the record (the round and district) or the province and round."""
from sqlalchemy import and_, func, select

from workload import domain, notices, read_models
from workload.models import AnswerRow, Question, Record, db, outbox


def _known(event_id: str) -> bool:
    return db.session.scalar(select(outbox.model.id).where(outbox.model.event_id == f"workload:{event_id}")) is not None


def is_complete(record: Record) -> bool:
    """One query: each aspect's active questions against the record's answers to them."""
    counts = db.session.execute(
        select(Question.aspect, func.count(Question.id), func.count(AnswerRow.question_id))
        .outerjoin(AnswerRow, and_(AnswerRow.question_id == Question.id, AnswerRow.record_id == record.id))
        .where(Question.round_id == record.round_id, Question.retired_at.is_(None))
        .group_by(Question.aspect)).all()
    found = {aspect: (active, answered) for aspect, active, answered in counts}
    states = {n: domain.status_from_counts(*found.get(n, (0, 0))) for n in domain.ASPECTS}
    return domain.record_complete(states, read_models.contact_of(record), record.district_code)


def note_if_complete(round_id: int, fiscal_year: int, district_code: str) -> bool:
    """In the session's transaction: tell the province once that the record is complete and waits for its
    confirmation. True when the event was added."""
    event_id = notices.record_complete_id(fiscal_year, district_code)
    if _known(event_id):
        return False
    record = read_models.find_record(round_id, district_code)
    if record is None or record.confirmed_at is not None or not is_complete(record):
        return False
    notices.record_complete(fiscal_year, record, event_id)
    return True


def note_province_done(round_, province_code: str) -> bool:
    """In the confirmation's transaction: once every district of the province is confirmed (a district another
    confirmed record covers counts as done), tell the province once."""
    event_id = f"province_confirmed:{round_.fiscal_year}:{province_code}"
    if _known(event_id):
        return False
    rows = read_models.district_rows(round_, province_code, with_flags=False)
    confirmed = {row.district.code for row in rows if row.confirmed_at is not None}
    if not all(row.district.code in confirmed or (len(row.covered_by) == 1 and row.covered_by[0] in confirmed)
               for row in rows):
        return False
    notices.province_confirmed(round_, province_code, len(rows), event_id)
    return True


