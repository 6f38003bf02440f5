"""The province's acts on a district's record: the final confirmation, and ส่งกลับแก้ไข (returning aspects
for correction, with a reason the district sees until it saves that aspect again)."""
from datetime import datetime

from sqlalchemy import update

from shared import metrics
from shared.auth import Identity
from shared.clock import utcnow
from workload import completion, domain, notices, permissions, read_models
from workload.domain import WorkloadError
from workload.models import Correction, Record, db
from workload.rounds import hold_catalog, window
from workload.saving import audit


def confirm(user: Identity, round_, district_code: str) -> datetime:
    """The province's final confirmation of a complete record; confirming again changes nothing.

    The record row is locked first, as every save does, so a save racing with the confirmation either
    landed before it (and is what was confirmed) or is refused after it.
    """
    permissions.require_record(user, district_code, permissions.act_as_province)
    record = read_models.find_record(round_.id, district_code)
    if record is None:
        raise WorkloadError("not_complete")
    db.session.execute(update(Record).where(Record.id == record.id)  # the write lock, on SQLite too
                       .values(confirmed_by=Record.confirmed_by))
    db.session.refresh(record, with_for_update=True)
    hold_catalog(round_.id)  # the questions it is complete against stay as they are until commit
    view = read_models.record_view(round_, district_code)
    newly = domain.check_confirmable(view.complete, record.confirmed_at is not None)
    if newly:
        record.confirmed_at, record.confirmed_by = utcnow(), user.username
        audit(user, record, "confirm", "record", None, {"confirmed_by": user.name})
        notices.record_confirmed(round_, record, user.name)
        db.session.flush()
        completion.note_province_done(round_, record.province_code)
    db.session.commit()
    if newly:
        metrics.CONFIRMATIONS.inc()
    return record.confirmed_at


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
    record = read_models.find_record(round_.id, district_code)
    if record is None:
        raise WorkloadError("no_row")
    domain.check_writable(window(round_), utcnow(), confirmed=record.confirmed_at is not None)
    now = utcnow()
    corrections = [Correction(record_id=record.id, aspect=aspect, reason=reason.strip(), requested_by=user.username,
                              requested_at=now) for aspect in sorted(set(aspects))]
    db.session.add_all(corrections)
    audit(user, record, "return", "record", None, {"aspects": sorted(set(aspects)), "reason": reason.strip()})
    db.session.flush()  # the first correction's id names the event
    notices.aspects_returned(round_, record, sorted(set(aspects)), reason.strip(), user.name, corrections[0].id)
    db.session.commit()
    metrics.CORRECTIONS.inc(len(set(aspects)))
    return len(set(aspects))
