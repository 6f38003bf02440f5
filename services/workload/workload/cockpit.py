"""The central office's cockpit of a round, as plain Python (no Flask, no SQL): the reminder schedule (the
round's reminder days as dates, which went out, which is next) and the records complete and confirmed at the
end of each day, replayed from the records' history (audit_log).

A record is complete, as domain.record_complete says, when every active question of the round's catalog is
answered and the contact data with its districts is filled. The history says which answers each save left
and what contact data each contact save wrote; replaying it in order gives the moment the record became
complete (and whether a later save made it incomplete again). It is judged against today's catalog: a
question added later counts on every day. A confirmation is final (records.confirmed_at).
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from workload import domain

AUDIENCES = ("districts", "provinces")


# --- The reminder schedule -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sent:
    """What the outbox holds of one reminder mark: how many offices, first when."""
    districts: int = 0
    provinces: int = 0
    first_at: datetime | None = None


@dataclass(frozen=True)
class Mark:
    days_before: int
    day: date  # the Bangkok date the reminder is due
    status: str  # "sent", "today", "next", "later", "passed" (its day is over and nothing went out)
    sent: Sent


def schedule(closes_on: date, reminder_days: list[int], today: date, sent: dict[int, Sent]) -> list[Mark]:
    """Each reminder day of the round as a date, earliest first, with what went out; the first one still to
    come is "next" (or "today" on its day)."""
    marks, next_given = [], False
    for days in sorted(reminder_days, reverse=True):
        day, done = closes_on - timedelta(days=days), sent.get(days, Sent())
        if done.districts or done.provinces:
            status = "sent"
        elif day < today:
            status = "passed"
        elif not next_given:
            status, next_given = ("today" if day == today else "next"), True
        else:
            status = "later"
        marks.append(Mark(days, day, status, done))
    return marks


# --- Complete and confirmed, day by day ------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One entry of a record's history: the answers an aspect's save left (question code → answered or not),
    or the contact data a contact save wrote."""
    at: date  # its Bangkok date
    answers: dict[str, bool] | None = None
    contact: dict | None = None


@dataclass
class RecordHistory:
    district_code: str
    steps: list[Step] = field(default_factory=list)  # in the order they happened
    confirmed_on: date | None = None
    # A record loaded without history (bulk data) that is complete now: the day of its last save.
    complete_on_without_history: date | None = None


@dataclass(frozen=True)
class Day:
    day: date
    complete: int
    confirmed: int


def _contact(values: dict | None) -> domain.Contact | None:
    if not isinstance(values, dict):
        return None
    districts = values.get("responsible_districts") or []
    if isinstance(districts, str):
        districts = districts.split(",")
    return domain.Contact(**{name: values.get(name) or "" for name in
                             ("office_address", "office_phone", "person_name", "person_mobile", "person_email")},
                          responsible_districts=list(districts))


def complete_changes(history: RecordHistory, required: set[str]) -> dict[date, bool]:
    """The day → whether the record was complete at the end of it, for each day its completeness changed."""
    if not history.steps:
        return {history.complete_on_without_history: True} if history.complete_on_without_history else {}
    answered: set[str] = set()
    contact: domain.Contact | None = None
    state, changes = False, {}
    for step in history.steps:
        if step.answers is not None:
            answered |= {code for code, given in step.answers.items() if given}
            answered -= {code for code, given in step.answers.items() if not given}
        if step.contact is not None:
            contact = _contact(step.contact)
        now = required <= answered and contact is not None and contact.is_complete(history.district_code)
        if now != state:
            changes[step.at] = now
            state = now
    # Two changes on one day: the later one is the day's end; drop days that end as the previous day did.
    result, previous = {}, False
    for day in sorted(changes):
        if changes[day] != previous:
            result[day] = changes[day]
            previous = changes[day]
    return result


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)] if last >= first else []


def daily_counts(histories: Iterable[RecordHistory], required: set[str], days: list[date]) -> list[Day]:
    """How many records were complete and how many confirmed at the end of each of `days` (ascending)."""
    if not days:
        return []
    first = days[0]
    complete_delta: dict[date, int] = {}
    confirmed_delta: dict[date, int] = {}
    for history in histories:
        for day, complete in complete_changes(history, required).items():
            key = max(day, first)
            complete_delta[key] = complete_delta.get(key, 0) + (1 if complete else -1)
        if history.confirmed_on is not None:
            key = max(history.confirmed_on, first)
            confirmed_delta[key] = confirmed_delta.get(key, 0) + 1
    result, complete, confirmed = [], 0, 0
    for day in days:
        complete += complete_delta.get(day, 0)
        confirmed += confirmed_delta.get(day, 0)
        result.append(Day(day, complete, confirmed))
    return result


# --- The chart (server-rendered SVG) -----------------------------------------------------------------------

@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    complete_points: str  # "x,y x,y …" for <polyline>
    confirmed_points: str
    target_y: float
    deadline_x: float
    today_x: float | None
    y_ticks: list[tuple[float, int]]  # (y, value)
    x_ticks: list[tuple[float, date]]
    left: int
    bottom: int
    right: int
    top: int


def chart(counts: list[Day], first: date, deadline: date, target: int, today: date | None,
          width: int = 640, height: int = 280) -> Chart:
    """Where the lines of `counts` go in an SVG of `width` × `height`: days from `first` to the deadline
    across, 0 to `target` (every district) up."""
    left, right, top, bottom = 48, 12, 12, 32
    span = max((deadline - first).days, 1)
    top_value = max(target, max((c.complete for c in counts), default=0), 1)

    def x(day: date) -> float:
        return round(left + (width - left - right) * (day - first).days / span, 1)

    def y(value: int) -> float:
        return round(height - bottom - (height - top - bottom) * value / top_value, 1)

    def points(name: str) -> str:
        return " ".join(f"{x(c.day)},{y(getattr(c, name))}" for c in counts)

    step = max(1, span // 6)
    x_ticks = [(x(first + timedelta(days=n)), first + timedelta(days=n)) for n in range(0, span + 1, step)]
    y_ticks = [(y(round(top_value * n / 4)), round(top_value * n / 4)) for n in range(5)]
    today_x = x(today) if today is not None and first <= today <= deadline else None
    return Chart(width, height, points("complete"), points("confirmed"), y(target), x(deadline), today_x,
                 y_ticks, x_ticks, left, height - bottom, width - right, top)
