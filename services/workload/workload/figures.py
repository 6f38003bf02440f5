"""Read what evidence.py computes on: each district's hours per aspect, a district's questions, and a
scope's hours per question code. Hours are computed in Python by evidence.answer_hours, the same code
that the pages, the API and the exports show, so that no two places can disagree by a rounding."""
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import select

from shared import geography
from workload import evidence, read_models, rounds
from workload.domain import WorkloadError
from workload.models import AnswerRow, CustomRow, Question, Record, db


def district_figures(round_, province_code: str | None = None) -> list[evidence.DistrictFigures]:
    """Every district of a province, or of the nation, with its totals; three queries plus the status's."""
    params = rounds.parameters(round_)
    scope = [Record.round_id == round_.id, *([Record.province_code == province_code] if province_code else [])]
    aspect_hours: dict[int, list[tuple[int, float]]] = {}
    for record_id, aspect, volume, days, hours in db.session.execute(
            select(AnswerRow.record_id, Question.aspect, AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
            .join(Question, Question.id == AnswerRow.question_id).join(Record, Record.id == AnswerRow.record_id)
            .where(*scope, Question.retired_at.is_(None))):
        aspect_hours.setdefault(record_id, []).append((aspect, evidence.answer_hours(volume, days, hours, params)))
    custom_hours: dict[int, list[float]] = {}
    for record_id, volume, days, hours in db.session.execute(
            select(CustomRow.record_id, CustomRow.volume, CustomRow.days, CustomRow.hours)
            .join(Record, Record.id == CustomRow.record_id).where(*scope)):
        custom_hours.setdefault(record_id, []).append(evidence.answer_hours(volume, days, hours, params))
    figures = []
    for row in read_models.district_rows(round_, province_code, with_flags=False):
        record = row.record
        record_id = record.id if record else None
        figures.append(evidence.DistrictFigures(
            code=row.district.code, province_code=row.district.province_code, has_record=record is not None,
            complete=row.complete, confirmed=row.confirmed_at is not None,
            totals=evidence.totals_of(aspect_hours.get(record_id, ()), custom_hours.get(record_id, ()))))
    return figures


def record_totals(view: read_models.RecordView) -> evidence.Totals:
    """The totals of one record as read_models.record_view shows it (its active questions and custom rows)."""
    params = rounds.parameters(view.round)
    return evidence.totals_of(
        [(number, evidence.answer_hours(a.volume, a.days, a.hours, params))
         for number, aspect in view.aspects.items() for a in aspect.answers.values()],
        [evidence.answer_hours(r.volume, r.days, r.hours, params) for r in view.custom_rows])


def question_lines(round_, district_codes: list[str] | None) -> list[evidence.CatalogLine]:
    """Every active question of the round with the hours per year these districts recorded for it
    (None: every district)."""
    params = rounds.parameters(round_)
    hours_by_question: dict[int, float] = {}
    query = (select(AnswerRow.question_id, AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
             .join(Record, Record.id == AnswerRow.record_id).where(Record.round_id == round_.id))
    if district_codes is not None:
        if not district_codes:
            query = query.where(False)
        else:
            query = query.where(Record.district_code.in_(district_codes))
    for question_id, volume, days, hours in db.session.execute(query):
        hours_by_question[question_id] = (hours_by_question.get(question_id, 0.0)
                                          + evidence.answer_hours(volume, days, hours, params))
    return [evidence.CatalogLine(q.code, q.aspect, q.detail, q.unit, hours_by_question.get(q.id, 0.0))
            for q in rounds.questions(round_.id)]


def counted_codes(figures: list[evidence.DistrictFigures], basis: evidence.Basis) -> list[str]:
    return [f.code for f in evidence.counted(figures, basis)]


def scope_name(province_code: str | None = None, district_code: str | None = None) -> str:
    if district_code:
        found = geography.district(district_code)
        return f"อำเภอ{found.name_th} จังหวัด{geography.province(found.province_code).name_th}"
    if province_code:
        return f"จังหวัด{geography.province(province_code).name_th}"
    return "ทั้งประเทศ (76 จังหวัด 878 อำเภอ)"


def scope_rows(round_, province_code: str | None = None, district_code: str | None = None):
    """The districts of a scope: one district, a province's, or the nation's."""
    load = geography.district(district_code).province_code if district_code else province_code
    rows = district_figures(round_, load)
    return [r for r in rows if r.code == district_code] if district_code else rows


@dataclass(frozen=True)
class Side:
    """One round of a comparison: `summary` adds up only the districts counted in both rounds; `counted`
    is how many this round counts on the basis by itself."""
    round: object
    params: object
    summary: evidence.Summary
    counted: int


@dataclass(frozen=True)
class Comparison:
    earlier: Side
    later: Side
    lines: list[evidence.ComparedLine]
    common: int  # districts counted on the basis in both rounds: the only ones compared

    @property
    def note(self) -> str:
        """What the comparison compares, said on the page and in the API."""
        sides = f"ปี {self.earlier.round.fiscal_year} นับได้ {self.earlier.counted:,} อำเภอ" \
                f" ปี {self.later.round.fiscal_year} นับได้ {self.later.counted:,} อำเภอ"
        return f"เทียบเฉพาะ {self.common:,} อำเภอที่มีข้อมูลทั้งสองปี ({sides})"


def comparison(year: int, other_year: int, basis: evidence.Basis, province_code: str | None = None,
               district_code: str | None = None) -> Comparison:
    """The earlier and the later round of a scope side by side, and their questions matched by code: only
    the districts counted on the basis in both rounds, so that a district recorded in one year only does
    not count as a change (#20: eight districts set against one)."""
    if other_year == year:
        raise WorkloadError("same_round")
    rounds_ = [rounds.get_round(fiscal_year) for fiscal_year in sorted((year, other_year))]
    rows = [scope_rows(round_, province_code, district_code) for round_ in rounds_]
    counted = [set(counted_codes(each, basis)) for each in rows]
    common = counted[0] & counted[1]
    sides, lines = [], []
    for round_, each, alone in zip(rounds_, rows, counted, strict=True):
        sides.append(Side(round_, rounds.parameters(round_),
                          evidence.summarize([f for f in each if f.code in common], basis), len(alone)))
        lines.append(question_lines(round_, sorted(common)))
    return Comparison(sides[0], sides[1], evidence.compare(*lines), len(common))


# --- Where a user's figures start ----------------------------------------------------------------

def home_scope(user) -> tuple[str | None, str | None]:
    """Where a user's figures start: (province, district)."""
    if user.has_role("central"):
        return None, None
    if user.has_role("province"):
        return user.province_code, None
    return None, user.district_code


# --- Every answer row of a scope, one at a time: the "คำตอบ" sheet, the CSV, the district summary ----


@dataclass(frozen=True)
class AnswerLine:
    """One answer (or one custom row: aspect None, code "") of a district, with its hours per year."""
    district_code: str
    aspect: int | None
    code: str
    detail: str
    unit: str
    volume: int
    days: int
    hours: float
    hours_per_year: float


def answer_lines(round_, district_codes: list[str], province_code: str | None = None) -> Iterator[AnswerLine]:
    """The answers to active questions, then the custom rows, of each of these districts, by district
    code, aspect and question order. Rows stream from the database (61,000 for the nation), and the
    scope is narrowed in SQL to the one district, or else by province: a set lookup is cheaper than an
    878-item IN list."""
    params = rounds.parameters(round_)
    wanted = set(district_codes)
    scope = [Record.round_id == round_.id, *([Record.province_code == province_code] if province_code else [])]
    if len(wanted) == 1:
        scope.append(Record.district_code == district_codes[0])
    custom: dict[str, list[AnswerLine]] = {}
    for code, detail, unit, volume, days, hours in db.session.execute(
            select(Record.district_code, CustomRow.detail, CustomRow.unit, CustomRow.volume, CustomRow.days,
                   CustomRow.hours).join(Record, Record.id == CustomRow.record_id).where(*scope)
            .order_by(Record.district_code, CustomRow.id)):
        if code in wanted:
            custom.setdefault(code, []).append(AnswerLine(code, None, "", detail, unit, volume, days, hours,
                                                          evidence.answer_hours(volume, days, hours, params)))
    answers = db.session.execute(
        select(Record.district_code, Question.aspect, Question.code, Question.detail, Question.unit,
               AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
        .join(Question, Question.id == AnswerRow.question_id).join(Record, Record.id == AnswerRow.record_id)
        .where(*scope, Question.retired_at.is_(None))
        .order_by(Record.district_code, Question.aspect, Question.position, Question.id)
        .execution_options(yield_per=2000))
    pending = sorted(custom)  # districts whose custom rows are still to come
    for district, rows in itertools.groupby(answers, key=lambda row: row[0]):
        if district not in wanted:
            continue
        while pending and pending[0] < district:  # a district with custom rows and no answers
            yield from custom[pending.pop(0)]
        for code, aspect, question, detail, unit, volume, days, hours in rows:
            yield AnswerLine(code, aspect, question, detail, unit, volume, days, hours,
                             evidence.answer_hours(volume, days, hours, params))
        if pending and pending[0] == district:
            yield from custom[pending.pop(0)]
    for code in pending:
        yield from custom[code]
