"""Rounds (fiscal years and their recording windows) and each round's question catalog.

Every change is audited (RoundChange: who, when, before → after). Once the province confirmed any record of
a round, what would change a confirmed record's totals or completeness is refused: adding, retiring,
restoring or deleting a question, and the hours per day or working days per year. Rewording stays allowed.
"""
import json
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import exists, func, select

from shared.auth import Identity
from shared.clock import utcnow
from workload import domain
from workload.domain import WorkloadError
from workload.models import AnswerRow, Question, Record, Round, RoundChange, db

CATALOG_DIR = Path(__file__).resolve().parent / "data"
SYSTEM = "ระบบ"  # the actor of loads from the command line (demo data, a catalog file)


def _audit(actor: Identity | str, round_id: int, action: str, target: str = "", old=None, new=None) -> None:
    """`actor`: the signed-in user (its username and display name are kept), or a name such as SYSTEM."""
    username, name = (actor, None) if isinstance(actor, str) else (actor.username, actor.name)
    db.session.add(RoundChange(actor=username, actor_name=name, round_id=round_id, action=action, target=target,
                               old_values=old, new_values=new, at=utcnow()))


def has_confirmed_records(round_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(Record.round_id == round_id,
                                                          Record.confirmed_at.is_not(None)))))


def hold_catalog(round_id: int, exclusive: bool = False) -> None:
    """Lock the round's row until commit (PostgreSQL; SQLite writes one at a time anyway): a confirmation
    holds it shared while it checks completeness, a catalog or parameter change exclusively while it checks
    for confirmations, so neither can slip in between the other's check and its commit."""
    db.session.execute(select(Round.id).where(Round.id == round_id).with_for_update(read=not exclusive))


def _check_unlocked(round_id: int) -> None:
    hold_catalog(round_id, exclusive=True)
    if has_confirmed_records(round_id):
        raise WorkloadError("round_locked")


def changes(limit: int = 200) -> list[tuple[RoundChange, int]]:
    """The newest changes of every round, with the round's fiscal year."""
    return list(db.session.execute(select(RoundChange, Round.fiscal_year).join(Round, Round.id == RoundChange.round_id)
                                   .order_by(RoundChange.id.desc()).limit(limit)))


def get_round(fiscal_year: int):
    """The round of a fiscal year as a read-only row (no ORM object: every request starts here)."""
    found = db.session.connection().execute(
        select(Round.__table__).where(Round.fiscal_year == fiscal_year)).one_or_none()
    if found is None:
        raise WorkloadError("no_round")
    return found


def rounds() -> list[Round]:
    return list(db.session.scalars(select(Round).order_by(Round.fiscal_year.desc())))


def current_round(now: datetime | None = None) -> Round | None:
    """The open round, else the newest one."""
    now = now or utcnow()
    all_rounds = rounds()
    open_rounds = [r for r in all_rounds if window(r).is_open(now)]
    return (open_rounds or all_rounds or [None])[0]


def window(round_: Round) -> domain.Window:
    return domain.Window(round_.opens_at, round_.closes_at)


def parameters(round_: Round) -> domain.Parameters:
    return domain.Parameters(round_.hours_per_day, round_.days_per_year)


def questions(round_id: int, aspect: int | None = None, active_only: bool = True) -> list[Question]:
    query = select(Question).where(Question.round_id == round_id)
    if aspect is not None:
        query = query.where(Question.aspect == aspect)
    if active_only:
        query = query.where(Question.retired_at.is_(None))
    return list(db.session.scalars(query.order_by(Question.aspect, Question.position, Question.id)))


def create_round(fiscal_year: int, opens_at: datetime, closes_at: datetime, hours_per_day: float = 7.0,
                 days_per_year: int = 230, *, actor: Identity | str = SYSTEM) -> Round:
    if closes_at <= opens_at:
        raise WorkloadError("bad_window")
    if db.session.scalar(select(Round.id).where(Round.fiscal_year == fiscal_year)):
        raise WorkloadError("round_exists")
    round_ = Round(fiscal_year=fiscal_year, opens_at=opens_at, closes_at=closes_at,
                   hours_per_day=hours_per_day, days_per_year=days_per_year, created_at=utcnow())
    db.session.add(round_)
    db.session.flush()
    _audit(actor, round_.id, "create", "", None, _round_values(round_))
    db.session.commit()
    return round_


def _round_values(round_) -> dict:
    return {"opens_at": round_.opens_at.isoformat(), "closes_at": round_.closes_at.isoformat(),
            "hours_per_day": round_.hours_per_day, "days_per_year": round_.days_per_year,
            "reminder_days": round_.reminder_days, **{name: getattr(round_, name) for name in PLAUSIBILITY}}


# The plausibility check's settings: they flag answers for the province, never change a total, so they may
# change at any time.
PLAUSIBILITY = ("plausibility_factor", "plausibility_floor")


def update_round(round_: Round, *, actor: Identity | str = SYSTEM, **changes) -> Round:
    """Change the window (opens_at, closes_at), the parameters (hours_per_day, days_per_year; only while no
    record of the round is confirmed), the days before closing that reminders go out (reminder_days), or the
    plausibility check's factor and floor (positive numbers)."""
    if changes.get("closes_at", round_.closes_at) <= changes.get("opens_at", round_.opens_at):
        raise WorkloadError("bad_window")
    if "reminder_days" in changes:
        changes["reminder_days"] = ",".join(map(str, domain.reminder_days(changes["reminder_days"])))
    editable = db.session.get(Round, round_.id)
    changed = sorted(name for name, value in changes.items() if value != getattr(editable, name))
    parameters = {"hours_per_day", "days_per_year"} & set(changed)
    if parameters:
        _check_unlocked(editable.id)
    if any(changes.get(name, 1) <= 0 for name in PLAUSIBILITY):
        raise WorkloadError("bad_plausibility")
    before = _round_values(editable)
    for name in changed:
        setattr(editable, name, changes[name])
    after = _round_values(editable)
    if changed:
        kind = ("parameters" if parameters else "plausibility" if set(PLAUSIBILITY) & set(changed)
                else "window" if {"opens_at", "closes_at"} & set(changed) else "reminders")
        _audit(actor, editable.id, kind, "",
               {k: before[k] for k in changed}, {k: after[k] for k in changed})
    db.session.commit()
    return editable


def open_now(round_: Round, *, actor: Identity | str = SYSTEM) -> Round:
    """Open the window early: from now until its closing date."""
    now = utcnow()
    if round_.closes_at <= now:
        raise WorkloadError("bad_window")
    return update_round(round_, actor=actor, opens_at=min(round_.opens_at, now))


def close_now(round_: Round, *, actor: Identity | str = SYSTEM) -> Round:
    now = utcnow()
    return update_round(round_, actor=actor, opens_at=min(round_.opens_at, now - timedelta(seconds=1)), closes_at=now)


def has_answers(question_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(AnswerRow.question_id == question_id))))


def get_question(round_: Round, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.round_id != round_.id:
        raise WorkloadError("no_question")
    return question


def _check_question(raw: dict) -> dict:
    errors = {}
    for name, limit in (("code", 16), ("detail", 500), ("unit", 50)):
        code = domain.check_text(raw.get(name), required=True, max_length=limit)
        if code:
            errors[name] = code
    if raw.get("aspect") not in domain.ASPECTS:
        errors["aspect"] = "required"
    if errors:
        raise domain.ValidationFailed(errors)
    return {"aspect": raw["aspect"], "code": raw["code"].strip(), "detail": raw["detail"].strip(),
            "unit": raw["unit"].strip()}


def _question_values(question: Question) -> dict:
    return {"aspect": question.aspect, "code": question.code, "detail": question.detail, "unit": question.unit,
            "retired": question.retired_at is not None}


def add_question(round_: Round, raw: dict, *, actor: Identity | str = SYSTEM) -> Question:
    values = _check_question(raw)
    _check_unlocked(round_.id)
    if db.session.scalar(select(Question.id).where(Question.round_id == round_.id, Question.code == values["code"])):
        raise WorkloadError("code_taken")
    position = db.session.scalar(select(func.coalesce(func.max(Question.position), 0))
                                 .where(Question.round_id == round_.id, Question.aspect == values["aspect"]))
    question = Question(round_id=round_.id, position=position + 1, **values)
    db.session.add(question)
    db.session.flush()
    _audit(actor, round_.id, "add_question", question.code, None, _question_values(question))
    db.session.commit()
    return question


def update_question(round_: Round, question_id: int, raw: dict, *, actor: Identity | str = SYSTEM) -> Question:
    """Edit the wording, or retire / bring back a question (retired ones keep their answers)."""
    question = get_question(round_, question_id)
    before = _question_values(question)
    if "retired" in raw and bool(raw["retired"]) != before["retired"]:
        _check_unlocked(round_.id)
        question.retired_at = utcnow() if raw["retired"] else None
    wording = {k: raw[k] for k in ("code", "detail", "unit") if k in raw}
    if wording:
        values = _check_question({"aspect": question.aspect, "code": question.code, "detail": question.detail,
                                  "unit": question.unit, **wording})
        taken = db.session.scalar(select(Question.id).where(
            Question.round_id == round_.id, Question.code == values["code"], Question.id != question.id))
        if taken:
            raise WorkloadError("code_taken")
        question.code, question.detail, question.unit = values["code"], values["detail"], values["unit"]
    after = _question_values(question)
    changed = sorted(k for k in after if after[k] != before[k])
    if changed:
        action = ("retire" if after["retired"] else "restore") if "retired" in changed else "reword"
        _audit(actor, round_.id, action, before["code"], {k: before[k] for k in changed},
               {k: after[k] for k in changed})
    db.session.commit()
    return question


def delete_question(round_: Round, question_id: int, *, actor: Identity | str = SYSTEM) -> None:
    """Only a question nobody answered can go; an answered one is retired instead."""
    question = get_question(round_, question_id)
    if has_answers(question.id):
        raise WorkloadError("question_answered")
    _check_unlocked(round_.id)
    _audit(actor, round_.id, "delete_question", question.code, _question_values(question), None)
    db.session.delete(question)
    db.session.commit()


def import_catalog(round_: Round, aspects: list[dict], *, actor: Identity | str = SYSTEM, source: str = "") -> int:
    """Questions from a catalog document ({"aspects": [{"number", "questions": [...]}]}) into an empty round."""
    if db.session.scalar(select(func.count()).select_from(Question).where(Question.round_id == round_.id)):
        raise WorkloadError("catalog_not_empty")  # so never a round with a confirmed record
    count = 0
    for aspect in aspects:
        for position, question in enumerate(aspect["questions"], start=1):
            db.session.add(Question(round_id=round_.id, aspect=aspect["number"], code=question["code"],
                                    detail=question["detail"], unit=question["unit"], position=position))
            count += 1
    _audit(actor, round_.id, "import_catalog", source, None, {"questions": count})
    db.session.commit()
    return count


def copy_catalog(source: Round, target: Round, *, actor: Identity | str = SYSTEM) -> int:
    """Last year's active questions become the new round's catalog, ready to edit."""
    grouped: dict[int, list[dict]] = {}
    for question in questions(source.id):
        grouped.setdefault(question.aspect, []).append(
            {"code": question.code, "detail": question.detail, "unit": question.unit})
    return import_catalog(target, [{"number": n, "questions": qs} for n, qs in sorted(grouped.items())],
                          actor=actor, source=str(source.fiscal_year))


def catalog_file(fiscal_year: int) -> dict:
    return json.loads((CATALOG_DIR / f"catalog-{fiscal_year}.json").read_text(encoding="utf-8"))
