"""Which answers look implausible: over a whole working year of one officer, or many times off the previous
round above a floor (domain.implausible, with the round's factor and floor). Flagged for the province to
check, never blocked."""
from dataclasses import dataclass

from sqlalchemy import select

from workload import domain
from workload.models import AnswerRow, Question, Record, Round, db


def _hours_by_code(round_id: int, district_codes: list[str] | None, params: domain.Parameters) -> dict:
    """(district, question code) → hours per year of every answer of a round (one query)."""
    query = (select(Record.district_code, Question.code, AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
             .join(Record, Record.id == AnswerRow.record_id).join(Question, Question.id == AnswerRow.question_id)
             .where(Record.round_id == round_id))
    if district_codes is not None:
        query = query.where(Record.district_code.in_(district_codes))
    return {(district, code): domain.hours_per_year(domain.Answer(volume, days, hours), params)
            for district, code, volume, days, hours in db.session.execute(query)}


@dataclass(frozen=True)
class Flag:
    """Why an answer looks implausible, with its hours per year and the previous round's (None: no answer)."""
    reason: str
    hours: float
    previous: float | None


def flags(round_, district_codes: list[str] | None) -> dict[tuple[str, str], Flag]:
    """(district, question code) → why its answer looks implausible, against the previous round, with the
    round's own factor and floor."""
    params = domain.Parameters(round_.hours_per_day, round_.days_per_year)
    current = _hours_by_code(round_.id, district_codes, params)
    previous_round = db.session.scalar(select(Round).where(Round.fiscal_year == round_.fiscal_year - 1))
    previous = (_hours_by_code(previous_round.id, district_codes,
                               domain.Parameters(previous_round.hours_per_day, previous_round.days_per_year))
                if previous_round else {})
    found = {}
    for key, hours in current.items():
        reason = domain.implausible(hours, previous.get(key), params, round_.plausibility_factor,
                                    round_.plausibility_floor)
        if reason:
            found[key] = Flag(reason, hours, previous.get(key))
    return found


def previous_hours(round_, district_code: str) -> dict[str, float]:
    """Question code → hours per year of the district's answers in the previous round (to flag new answers)."""
    previous_round = db.session.scalar(select(Round).where(Round.fiscal_year == round_.fiscal_year - 1))
    if previous_round is None:
        return {}
    params = domain.Parameters(previous_round.hours_per_day, previous_round.days_per_year)
    return {code: hours for (_district, code), hours in
            _hours_by_code(previous_round.id, [district_code], params).items()}
