"""The figures the department argues with, as plain functions: hours per year, full-time equivalents,
totals and shares per aspect, distributions across districts, and two rounds side by side.

One code path for pages, API and exports: each of them calls these, none recomputes.
- hours per year of an answer = volume × (days × hours-per-day + hours), with the round's parameters;
- full-time equivalents (FTE) = hours per year ÷ (working days per year × hours-per-day);
- answers to retired questions are kept but not counted: the round's active catalog is what is measured.
"""
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum

from workload.domain import ASPECTS, Answer, Parameters, full_time_equivalents, hours_per_year


class Basis(str, Enum):
    """Which districts' records a total adds up."""
    CONFIRMED = "confirmed"
    COMPLETE = "complete"
    ALL = "all"


BASIS_LABELS = {
    Basis.CONFIRMED: "เฉพาะอำเภอที่จังหวัดยืนยันข้อมูลแล้ว",
    Basis.COMPLETE: "เฉพาะอำเภอที่บันทึกข้อมูลครบถ้วน",
    Basis.ALL: "ทุกอำเภอที่มีการบันทึกข้อมูล (รวมที่ยังไม่ครบ)",
}


def parse_basis(raw: str | None, default: Basis = Basis.COMPLETE) -> Basis:
    try:
        return Basis(raw) if raw else default
    except ValueError:
        return default


def in_basis(basis: Basis, has_record: bool, complete: bool, confirmed: bool) -> bool:
    if basis is Basis.CONFIRMED:
        return confirmed
    if basis is Basis.COMPLETE:
        return complete
    return has_record


def answer_hours(volume: int, days: int, hours: float, params: Parameters) -> float:
    return hours_per_year(Answer(volume, days, hours), params)


@dataclass(frozen=True)
class Totals:
    """Hours per year of one record, or of many added up: per aspect and the custom rows."""
    by_aspect: dict[int, float] = field(default_factory=lambda: dict.fromkeys(ASPECTS, 0.0))
    custom: float = 0.0

    @property
    def aspects(self) -> float:
        return sum(self.by_aspect.values())

    @property
    def total(self) -> float:
        return self.aspects + self.custom

    def fte(self, params: Parameters) -> float:
        return full_time_equivalents(self.total, params)

    def aspect_fte(self, aspect: int, params: Parameters) -> float:
        return full_time_equivalents(self.by_aspect[aspect], params)

    def share(self, aspect: int | None) -> float:
        """An aspect's share of the total (None: the custom rows' share); 0 when nothing was recorded."""
        part = self.custom if aspect is None else self.by_aspect[aspect]
        return part / self.total if self.total else 0.0

    def __add__(self, other: "Totals") -> "Totals":
        return Totals({n: self.by_aspect[n] + other.by_aspect[n] for n in ASPECTS}, self.custom + other.custom)


def totals_of(aspect_hours: Iterable[tuple[int, float]], custom_hours: Iterable[float] = ()) -> Totals:
    """Totals from (aspect, hours per year) pairs and the custom rows' hours per year."""
    by_aspect = dict.fromkeys(ASPECTS, 0.0)
    for aspect, hours in aspect_hours:
        by_aspect[aspect] += hours
    return Totals(by_aspect, float(sum(custom_hours)))


def add_up(many: Iterable[Totals]) -> Totals:
    result = Totals()
    for totals in many:
        result = result + totals
    return result


@dataclass(frozen=True)
class Distribution:
    """How one figure spreads across districts: quartiles and Tukey's fences for outliers."""
    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float

    @property
    def low_fence(self) -> float:
        return self.q1 - 1.5 * (self.q3 - self.q1)

    @property
    def high_fence(self) -> float:
        return self.q3 + 1.5 * (self.q3 - self.q1)

    def is_outlier(self, value: float) -> bool:
        return value < self.low_fence or value > self.high_fence


def distribution(values: list[float]) -> Distribution | None:
    """None for no values; quartiles by the inclusive method (a single value is its own quartiles)."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        q1 = median = q3 = ordered[0]
    else:
        q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return Distribution(len(ordered), ordered[0], q1, median, q3, ordered[-1])


def histogram(values: list[float], bins: int = 12) -> list[tuple[float, float, int]]:
    """(from, to, how many) for equal-width bins over the values; the last bin includes its upper end."""
    if not values:
        return []
    low, high = min(values), max(values)
    width = (high - low) / bins or 1.0
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1)] += 1
    return [(low + i * width, low + (i + 1) * width, count) for i, count in enumerate(counts)]


# --- Two rounds side by side ------------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogLine:
    """One question of a round's catalog with the hours per year the scope recorded for it."""
    code: str
    aspect: int
    detail: str
    unit: str
    hours: float


CHANGE_LABELS = {
    "same": "",
    "changed": "ข้อคำถามเปลี่ยนแปลง",
    "new": "ข้อคำถามใหม่",
    "removed": "ไม่มีในรอบหลัง",
}


@dataclass(frozen=True)
class ComparedLine:
    code: str
    aspect: int
    detail: str
    earlier: float | None
    later: float | None
    change: str  # a key of CHANGE_LABELS

    @property
    def difference(self) -> float | None:
        if self.earlier is None or self.later is None:
            return None
        return self.later - self.earlier


def compare(earlier: list[CatalogLine], later: list[CatalogLine]) -> list[ComparedLine]:
    """Questions matched by code; a question whose wording, unit or aspect changed is marked so its
    figures are not read as like for like. Ordered by aspect and code of the later round."""
    before = {line.code: line for line in earlier}
    after = {line.code: line for line in later}
    lines = []
    for code, line in after.items():
        old = before.get(code)
        if old is None:
            change = "new"
        elif (old.detail, old.unit, old.aspect) != (line.detail, line.unit, line.aspect):
            change = "changed"
        else:
            change = "same"
        lines.append(ComparedLine(code, line.aspect, line.detail, old.hours if old else None, line.hours, change))
    lines += [ComparedLine(code, old.aspect, old.detail, old.hours, None, "removed")
              for code, old in before.items() if code not in after]
    return sorted(lines, key=lambda line: (line.aspect, _code_key(line.code)))


def _code_key(code: str) -> tuple:
    """1.2 before 1.10; a part that is not a number ("1.ก", "²") after the numbers, never compared with one."""
    return tuple((0, int(part), "") if part.isascii() and part.isdigit() else (1, 0, part)
                 for part in code.replace("-", ".").split("."))


# --- Districts, provinces, the nation ---------------------------------------------------------------

@dataclass(frozen=True)
class DistrictFigures:
    """One district's record in one round, reduced to what the totals need."""
    code: str
    province_code: str
    has_record: bool
    complete: bool
    confirmed: bool
    totals: Totals


@dataclass(frozen=True)
class Summary:
    """The figures of a scope (a province, the nation, any set of districts) on one basis."""
    basis: Basis
    districts: int  # in the scope
    counted: int  # of those, on the basis
    totals: Totals
    spread: Distribution | None  # of the counted districts' hours per year
    outliers: tuple[str, ...]  # counted districts outside Tukey's fences

    @property
    def coverage(self) -> str:
        return f"{self.counted} จาก {self.districts} อำเภอ"


def counted(figures: Iterable[DistrictFigures], basis: Basis) -> list[DistrictFigures]:
    """The districts a total on this basis adds up."""
    return [f for f in figures if in_basis(basis, f.has_record, f.complete, f.confirmed)]


def summarize(figures: Iterable[DistrictFigures], basis: Basis) -> Summary:
    figures = list(figures)
    counted_ = counted(figures, basis)
    spread = distribution([f.totals.total for f in counted_])
    outliers = tuple(f.code for f in counted_ if spread and spread.is_outlier(f.totals.total))
    return Summary(basis, len(figures), len(counted_), add_up(f.totals for f in counted_), spread, outliers)


def by_province(figures: Iterable[DistrictFigures], basis: Basis) -> dict[str, Summary]:
    grouped: dict[str, list[DistrictFigures]] = {}
    for f in figures:
        grouped.setdefault(f.province_code, []).append(f)
    return {code: summarize(group, basis) for code, group in grouped.items()}
