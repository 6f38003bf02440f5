"""The statements of the save path, the season's hot path: hand-written data-modifying CTEs for PostgreSQL,
and SQLAlchemy constructs for the portable path (SQLite on a laptop), built once per database kind."""
from functools import cache
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from workload.models import AnswerRow, AspectSave, AuditEntry, Correction, Question, Record, Round, db

# On PostgreSQL an aspect is saved by one statement (after reading the questions): data-modifying CTEs,
# which all see the tables as they were before the statement, so `old` holds the values being replaced.
# The record is locked (FOR UPDATE, or created: only by a first save, version 0) and the aspect's version
# bumped only if it is still the one read; every write after that joins `bumped`, so a stale or confirmed
# save writes nothing. One statement is atomic by itself: a single aspect's save needs no BEGIN or COMMIT.
SAVE_ASPECT_POSTGRESQL = text("""
WITH existing AS (
    SELECT id, confirmed_at, contact_version FROM records WHERE round_id = :round_id AND district_code = :district_code
    FOR UPDATE
), created AS (
    INSERT INTO records (round_id, district_code, province_code, contact_version, created_at)
    SELECT :round_id, :district_code, :province_code, 0, :now
    WHERE CAST(:old_version AS integer) = 0 AND NOT EXISTS (SELECT FROM existing)
    ON CONFLICT (round_id, district_code) DO UPDATE SET round_id = EXCLUDED.round_id
    RETURNING id, confirmed_at, contact_version
), record AS (
    SELECT id, confirmed_at, contact_version FROM existing
    UNION ALL SELECT id, confirmed_at, contact_version FROM created
), bumped AS (
    INSERT INTO aspect_saves (record_id, aspect, version, saved_at, saved_by)
    SELECT id, :aspect, 1, :now, :actor FROM record WHERE confirmed_at IS NULL
    -- a first save of the aspect only from version 0: a made-up version must not write version 1 (nothing
    -- rolls this statement back); the record is locked, so no other save adds the row meanwhile
    AND (CAST(:old_version AS integer) = 0
         OR EXISTS (SELECT FROM aspect_saves s WHERE s.record_id = record.id AND s.aspect = :aspect))
    ON CONFLICT (record_id, aspect) DO UPDATE
    SET version = aspect_saves.version + 1, saved_at = EXCLUDED.saved_at, saved_by = EXCLUDED.saved_by
    WHERE aspect_saves.version = :old_version
    RETURNING record_id, version
), old AS (
    SELECT question_id, volume, days, hours FROM answers
    WHERE record_id = (SELECT record_id FROM bumped) AND question_id = ANY(CAST(:question_ids AS integer[]))
), cleared AS (
    DELETE FROM answers
    WHERE record_id = (SELECT record_id FROM bumped) AND question_id = ANY(CAST(:blank_ids AS integer[]))
), saved AS (
    INSERT INTO answers (record_id, question_id, volume, days, hours)
    SELECT bumped.record_id, given.* FROM bumped,
           unnest(CAST(:given_ids AS integer[]), CAST(:volumes AS integer[]), CAST(:days AS integer[]),
                  CAST(:hours AS double precision[])) AS given (question_id, volume, days, hours)
    ON CONFLICT (record_id, question_id)
    DO UPDATE SET volume = EXCLUDED.volume, days = EXCLUDED.days, hours = EXCLUDED.hours
), corrected AS (
    UPDATE corrections SET cleared_at = :now FROM bumped
    WHERE corrections.record_id = bumped.record_id AND aspect = :aspect AND cleared_at IS NULL
), codes AS (
    SELECT * FROM unnest(CAST(:question_ids AS integer[]), CAST(:codes AS text[])) AS c (question_id, code)
), audited AS (
    INSERT INTO audit_log (at, actor, actor_name, record_id, action, target, old_values, new_values)
    SELECT :now, :actor, :actor_name, bumped.record_id, 'save_aspect', :target,
           (SELECT COALESCE(json_object_agg(codes.code, json_build_object(
                    'volume', old.volume, 'days', old.days, 'hours', old.hours)), '{}'::json)
            FROM old JOIN codes USING (question_id)),
           CAST(:new_values AS json)
    FROM bumped
)
SELECT (SELECT confirmed_at FROM record), (SELECT version FROM bumped),
       -- could the record now be complete and its province not yet told (completion.py)? Asked here, so that
       -- the season's saves need no extra round trip to find out that they have nothing to tell.
       COALESCE((SELECT contact_version > 0 FROM record), false)
       AND NOT EXISTS (SELECT FROM outbox_events WHERE event_id = :complete_event)
""")


@cache
def statements(dialect: str) -> SimpleNamespace:
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
        set_={"version": AspectSave.version + 1, "saved_at": bump.excluded.saved_at,
              "saved_by": bump.excluded.saved_by},
        where=AspectSave.version == bindparam("old_version"))
    answers = dml.insert(AnswerRow)
    answers = answers.on_conflict_do_update(
        index_elements=["record_id", "question_id"],
        set_={"volume": answers.excluded.volume, "days": answers.excluded.days, "hours": answers.excluded.hours})
    return SimpleNamespace(
        record=record.returning(Record.id, Record.confirmed_at),
        bump=bump.returning(AspectSave.version),
        answers=answers,
        # The round's window and the aspects' active questions in one query.
        round_questions=select(Round.id, Round.opens_at, Round.closes_at, Question.aspect, Question.id, Question.code)
        .select_from(Round).outerjoin(Question, and_(Question.round_id == Round.id,
                                                     Question.aspect.in_(bindparam("aspects", expanding=True)),
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


def for_engine() -> SimpleNamespace:
    return statements(db.engine.dialect.name)
