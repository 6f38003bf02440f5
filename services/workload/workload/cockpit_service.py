"""The central office's cockpit of a round: what it shows (the reminder schedule, the records complete and
confirmed day by day, the e-mail sent with its delivery status from the portal) and its one act, "ส่งแจ้งเตือนตอนนี้"
to the districts or provinces that are behind.

A send is told through the outbox like the scheduled reminders, with the countdown's own wording, under event
ids of its own (`nudge:<year>:<key>:district:<code>`), so the portal does not take it for the scheduled one.
`key` comes with the preview the user confirmed: sending again with the same key (a second click, the browser
resending the form) sends nothing more.
"""
import re
import secrets
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from shared import geography, thai
from shared.auth import Identity
from shared.clock import utcnow
from workload import cockpit, domain, notices, permissions, read_models, reminders
from workload.domain import ValidationFailed, WorkloadError
from workload.models import AspectSave, AuditEntry, Record, RoundChange, db, outbox
from workload.portal_client import Deliveries, NoticeText, PortalClient
from workload.rounds import _audit, questions, window

# At most 48: the history row's target is "provinces:<key>" in 64 characters (PostgreSQL refused a longer one
# with a 500, found by schemathesis), and the events' ids "workload:nudge:<year>:<key>:district:<code>" fit in 120.
KEY = re.compile(r"^[A-Za-z0-9_-]{16,48}$")
SEND_ACTION = "send_reminders"


def new_key() -> str:
    return secrets.token_urlsafe(18)


def _bangkok_day(moment) -> date:
    return thai.to_bangkok(moment).date()


# --- The schedule --------------------------------------------------------------------------------------

def _sent_marks(year: int) -> dict[int, cockpit.Sent]:
    """mark → what the outbox holds of the round's scheduled countdown (countdown:<year>:<mark>:<audience>:<code>)."""
    model, found = outbox.model, {}
    rows = db.session.execute(select(model.event_id, model.created_at)
                              .where(model.event_id.startswith(f"workload:countdown:{year}:", autoescape=True)))
    for event_id, created_at in rows:
        _service, _kind, _year, mark, audience, _code = event_id.split(":")
        sent = found.get(int(mark), cockpit.Sent())
        first = min(sent.first_at, created_at) if sent.first_at else created_at
        found[int(mark)] = cockpit.Sent(sent.districts + (audience == "district"),
                                        sent.provinces + (audience == "province"), first)
    return found


@dataclass(frozen=True)
class ScheduleView:
    round: object
    closes_on: date
    today: date
    marks: list[cockpit.Mark]
    window_opened: int  # districts told that the window opened


def schedule(round_, today: date | None = None) -> ScheduleView:
    today = today or thai.today()
    year = round_.fiscal_year
    opened = db.session.scalar(select(func.count()).select_from(outbox.model).where(
        outbox.model.event_id.startswith(f"workload:window_opened:{year}:", autoescape=True)))
    return ScheduleView(round_, _bangkok_day(round_.closes_at), today,
                        cockpit.schedule(_bangkok_day(round_.closes_at), domain.reminder_days(round_.reminder_days),
                                         today, _sent_marks(year)), opened)


# --- Complete and confirmed, day by day -------------------------------------------------------------------

@dataclass(frozen=True)
class ProgressView:
    round: object
    districts: int
    opens_on: date
    closes_on: date
    today: date
    days: list[cockpit.Day]  # from the opening day to today (or the closing day, if over)
    chart: cockpit.Chart


def histories(round_, rows: list[read_models.DistrictRow]) -> list[cockpit.RecordHistory]:
    """Every record of the round with its history (saves of aspects and of the contact data), in three queries."""
    records = {r.id: cockpit.RecordHistory(r.district_code, confirmed_on=_bangkok_day(r.confirmed_at)
                                           if r.confirmed_at else None)
               for r in db.session.execute(select(Record.id, Record.district_code, Record.confirmed_at)
                                           .where(Record.round_id == round_.id))}
    for record_id, at, action, values in db.session.execute(
            select(AuditEntry.record_id, AuditEntry.at, AuditEntry.action, AuditEntry.new_values)
            .join(Record, Record.id == AuditEntry.record_id)
            .where(Record.round_id == round_.id, AuditEntry.action.in_(("save_aspect", "save_contact")))
            .order_by(AuditEntry.at, AuditEntry.id)):
        values = values if isinstance(values, dict) else {}
        step = (cockpit.Step(_bangkok_day(at), answers={code: value is not None for code, value in values.items()})
                if action == "save_aspect" else cockpit.Step(_bangkok_day(at), contact=values))
        records[record_id].steps.append(step)
    # Records loaded without history (the demo's bulk data): complete since their last save.
    last_saves = dict(db.session.execute(select(AspectSave.record_id, func.max(AspectSave.saved_at))
                                         .join(Record, Record.id == AspectSave.record_id)
                                         .where(Record.round_id == round_.id).group_by(AspectSave.record_id)).all())
    for row in rows:
        record = row.record
        if record is not None and row.complete and not records[record.id].steps:
            last = max(filter(None, (last_saves.get(record.id), record.contact_saved_at)), default=record.created_at)
            records[record.id].complete_on_without_history = _bangkok_day(last)
    return list(records.values())


def progress(round_, today: date | None = None) -> ProgressView:
    today = today or thai.today()
    rows = read_models.district_rows(round_, None, with_flags=False)
    required = {q.code for q in questions(round_.id)}
    opens_on, closes_on = _bangkok_day(round_.opens_at), _bangkok_day(round_.closes_at)
    days = cockpit.days_between(opens_on, min(today, closes_on))
    counts = cockpit.daily_counts(histories(round_, rows), required, days)
    return ProgressView(round_, len(rows), opens_on, closes_on, today, counts,
                        cockpit.chart(counts, opens_on, closes_on, len(rows), today))


# --- What was sent, from the portal ------------------------------------------------------------------------

def reminder_prefixes(year: int) -> list[str]:
    return [f"workload:window_opened:{year}:", f"workload:countdown:{year}:", f"workload:nudge:{year}:"]


def deliveries(round_, portal: PortalClient, status: str | None = None, limit: int = 100) -> Deliveries | None:
    return portal.deliveries(reminder_prefixes(round_.fiscal_year), status, limit)


# --- ส่งแจ้งเตือนตอนนี้ ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Audience:
    which: str  # "districts" or "provinces"
    districts: list[read_models.DistrictRow]  # behind: not complete, not covered by another record
    provinces: dict[str, int]  # province code → complete records waiting for its confirmation

    @property
    def count(self) -> int:
        return len(self.districts) if self.which == "districts" else len(self.provinces)


def _check_audience(which: str) -> None:
    if which not in cockpit.AUDIENCES:
        raise ValidationFailed({"audience": "audience"})


def audience(round_, which: str) -> Audience:
    _check_audience(which)
    rows = read_models.district_rows(round_, None, with_flags=False)
    waiting: dict[str, int] = {}
    for row in rows:
        if row.complete and row.confirmed_at is None:
            waiting[row.district.province_code] = waiting.get(row.district.province_code, 0) + 1
    return Audience(which, [row for row in rows if reminders.behind(row)] if which == "districts" else [],
                    dict(sorted(waiting.items())) if which == "provinces" else {})


@dataclass(frozen=True)
class Preview:
    round: object
    audience: Audience
    days_left: int
    sample: NoticeText | None  # None when the portal does not answer
    sample_office: str | None  # whom the sample is addressed to
    key: str


def _left(round_) -> int:
    if not window(round_).is_open(utcnow()):
        raise WorkloadError("window_closed")
    return max(reminders.days_left(round_, thai.today()), 0)


def preview(user: Identity, round_, which: str, portal: PortalClient) -> Preview:
    """What a send would say and to how many offices, with the key its confirmation carries."""
    permissions.require(permissions.send_reminders(user), "central_only")
    left, found = _left(round_), audience(round_, which)
    sample = office = None
    if found.which == "districts" and found.districts:
        row = found.districts[0]
        office = geography.district_office_name(row.district.code)
        sample = portal.preview("workload.countdown_district",
                                {**notices._window(round_), **notices._district_row(row), "days_left": left})
    elif found.which == "provinces" and found.provinces:
        code, waiting = next(iter(found.provinces.items()))
        office = geography.province_office_name(code)
        sample = portal.preview("workload.countdown_province", {**notices._window(round_), "province_code": code,
                                                                "waiting": waiting, "days_left": left})
    return Preview(round_, found, left, sample, office, new_key())


@dataclass(frozen=True)
class SendResult:
    which: str
    sent: int  # offices told
    repeated: bool  # this key was sent before: nothing more went out
    key: str


def _sent_before(round_, which: str, key: str) -> SendResult | None:
    change = db.session.scalar(select(RoundChange).where(RoundChange.round_id == round_.id,
                                                         RoundChange.action == SEND_ACTION,
                                                         RoundChange.target == f"{which}:{key}"))
    if change is None:
        return None
    return SendResult(which, int((change.new_values or {}).get("recipients", 0)), True, key)


def send(user: Identity, round_, which: str, key: str) -> SendResult:
    """Tell every office of the audience that is behind now, once per key; its history row on the rounds page."""
    permissions.require(permissions.send_reminders(user), "central_only")
    _check_audience(which)
    if not isinstance(key, str) or not KEY.match(key):
        raise ValidationFailed({"key": "send_key"})
    before = _sent_before(round_, which, key)
    if before is not None:
        return before
    left, found, year = _left(round_), audience(round_, which), round_.fiscal_year
    prefix = f"nudge:{year}:{key}:"
    for row in found.districts:
        notices.countdown_district(round_, row, left, f"{prefix}district:{row.district.code}")
    for code, waiting in found.provinces.items():
        notices.countdown_province(round_, code, waiting, left, f"{prefix}province:{code}")
    _audit(user, round_.id, SEND_ACTION, f"{which}:{key}", None,
           {"audience": which, "recipients": found.count, "days_left": left})
    try:
        db.session.commit()
    except IntegrityError:  # the same key sent at the same moment by another request: that one went out
        db.session.rollback()
        return _sent_before(round_, which, key) or SendResult(which, found.count, True, key)
    return SendResult(which, found.count, False, key)


def sends(round_, limit: int = 20) -> list[RoundChange]:
    """The round's sends, newest first (who, when, to how many)."""
    return list(db.session.scalars(select(RoundChange).where(RoundChange.round_id == round_.id,
                                                             RoundChange.action == SEND_ACTION)
                                   .order_by(RoundChange.id.desc()).limit(limit)))
