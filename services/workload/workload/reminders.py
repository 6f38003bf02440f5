"""Reminders of a round (`flask --app workload remind`, daily): "window opened" to every district once the
round's window has opened, and the countdown before it closes — to the districts whose record is not complete,
to the provinces while some complete records of theirs wait for confirmation.

The countdown's days are the round's own (`reminder_days`, set by the central office; "14,7,3,1" by default).
Each event's id names the round, the mark (14, 7 …) and the office, so a second run on a day, or two runs at
once, emit nothing twice. A day the run missed is caught up: 6 days before closing the 7-day reminder is sent
if it was not, and nothing more until the 3-day one.
"""
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shared.thai import to_bangkok
from workload import completion, domain, notices, read_models
from workload.models import Round, db, outbox


def days_left(round_: Round, today: date) -> int:
    """Whole days from `today` to the day the window closes (Bangkok dates): 0 on the closing day."""
    return (to_bangkok(round_.closes_at).date() - today).days


def due_mark(days: list[int], left: int) -> int | None:
    """The reminder due with `left` days to go: the nearest mark not yet passed (7 with 7, 6 or 4 days left)."""
    marks = [d for d in days if d >= left]
    return min(marks) if marks and left >= 0 else None


def open_on(today: date) -> list[Round]:
    """The rounds whose window covers `today` (Bangkok dates)."""
    return [r for r in db.session.scalars(select(Round).order_by(Round.fiscal_year))
            if to_bangkok(r.opens_at).date() <= today <= to_bangkok(r.closes_at).date()]


@dataclass
class Emitted:
    window_opened: int = 0
    districts: int = 0
    provinces: int = 0
    caught_up: int = 0  # "complete, waits for confirmation" notices a crash after a save had left unwritten

    def __str__(self):
        return (f"window opened: {self.window_opened}, countdown to districts: {self.districts}, "
                f"to provinces: {self.provinces}, complete records caught up: {self.caught_up}")


def _known(prefix: str) -> set[str]:
    model = outbox.model
    return set(db.session.scalars(select(model.event_id).where(model.event_id.like(f"workload:{prefix}%"))))


def behind(row: read_models.DistrictRow) -> bool:
    """Whose record is not complete, unless another record covers the district (the manual's
    อำเภอที่รับผิดชอบ: one office records for several districts)."""
    return not row.complete and len(row.covered_by) != 1


def _remind_round(round_: Round, today: date, emitted: Emitted) -> None:
    year = round_.fiscal_year
    rows = read_models.district_rows(round_, None, with_flags=False)
    known = _known(f"window_opened:{year}:")
    for row in rows:
        event_id = f"window_opened:{year}:{row.district.code}"
        if f"workload:{event_id}" not in known:
            notices.window_opened(round_, row, event_id)
            emitted.window_opened += 1
    # The PostgreSQL save tells the province in a short transaction right after its one statement: a crash
    # between the two would leave a complete record untold. The daily run tells it then.
    known = _known(f"record_complete:{year}:")
    for row in rows:
        if (row.complete and row.confirmed_at is None
                and f"workload:{notices.record_complete_id(year, row.district.code)}" not in known
                and completion.note_if_complete(round_.id, year, row.district.code)):
            emitted.caught_up += 1
    left = days_left(round_, today)
    mark = due_mark(domain.reminder_days(round_.reminder_days), left)
    if mark is None:
        return
    prefix = f"countdown:{year}:{mark}:"
    known = _known(prefix)
    waiting: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.complete and row.confirmed_at is None:
            waiting[row.district.province_code] += 1
        event_id = f"{prefix}district:{row.district.code}"
        if behind(row) and f"workload:{event_id}" not in known:
            notices.countdown_district(round_, row, left, event_id)
            emitted.districts += 1
    for province_code, count in sorted(waiting.items()):
        event_id = f"{prefix}province:{province_code}"
        if f"workload:{event_id}" not in known:
            notices.countdown_province(round_, province_code, count, left, event_id)
            emitted.provinces += 1


def remind(today: date) -> Emitted:
    """Emit the reminders due on `today` for every round open then, in one transaction. Another run that
    committed the same events first wins; this one then looks again and finds them known."""
    for attempt in range(2):
        emitted = Emitted()
        try:
            for round_ in open_on(today):
                _remind_round(round_, today, emitted)
            db.session.commit()
            return emitted
        except IntegrityError:
            db.session.rollback()
            if attempt:
                raise
    return emitted
