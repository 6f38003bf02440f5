"""The Workload Tracking System's rules as plain Python: aspects, answers, status, windows, hours.

Errors are codes (see messages.py for their Thai wording); nothing here knows Flask or SQL.
"""
import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum

from shared import refusals
from shared.inputs import InputRefused, ascii_digits, parse_number

ASPECTS = {
    1: "การสนับสนุนนายอำเภอในการกำกับดูแลองค์กรปกครองส่วนท้องถิ่น",
    2: "การบูรณาการแนวทางการพัฒนาเชิงพื้นที่และขับเคลื่อนนโยบายรัฐบาลในระดับอำเภอ",
    3: "การส่งเสริมสนับสนุนการบริหารงานบุคคลขององค์กรปกครองส่วนท้องถิ่น",
    4: "การส่งเสริมสนับสนุนการบริหารงานการเงินและการคลังท้องถิ่น",
    5: "การจัดการฐานข้อมูลเกี่ยวกับการบริหารงานขององค์กรปกครองส่วนท้องถิ่น",
    6: "การส่งเสริมการบริหารกิจการบ้านเมืองที่ดี การอำนวยความสะดวกและธรรมาภิบาล",
    7: "การกำกับการดำเนินงานให้เป็นไปตามมาตรฐานการดำเนินงานและมาตรฐานบริการสาธารณะ",
    8: "การส่งเสริม สนับสนุนการดำเนินงานของนายอำเภอในภารกิจอื่น ๆ",
}

# Bounds that catch typing mistakes, not real limits of work: a district office does not handle a
# million items of one duty a year, nor spend more than a year on one unit.
MAX_VOLUME = 100_000
MAX_DAYS = 365
MAX_TEXT = 500


class AspectStatus(str, Enum):
    COMPLETE = "complete"  # บันทึกข้อมูลครบถ้วน
    INCOMPLETE = "incomplete"  # บันทึกข้อมูลยังไม่ครบถ้วน
    EMPTY = "empty"  # ไม่มีการบันทึกข้อมูล


class WorkloadError(refusals.Refusal):
    """A refusal the user can understand: `code` is looked up in messages.py."""


class ValidationFailed(refusals.ValidationFailed, WorkloadError):
    """Field by field: `errors` maps a field to its code."""


@dataclass(frozen=True)
class Answer:
    volume: int
    days: int
    hours: float


@dataclass(frozen=True)
class Window:
    opens_at: datetime
    closes_at: datetime

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


@dataclass(frozen=True)
class Parameters:
    hours_per_day: float = 7.0
    days_per_year: int = 230


@dataclass
class Contact:
    office_address: str = ""
    office_phone: str = ""
    person_name: str = ""
    person_mobile: str = ""
    person_email: str = ""
    responsible_districts: list[str] = field(default_factory=list)

    def is_complete(self, own_district: str) -> bool:
        return all([self.office_address, self.office_phone, self.person_name, self.person_mobile,
                    self.person_email]) and own_district in self.responsible_districts


# --- Validation ------------------------------------------------------------------------------------

def _number(raw) -> tuple[Decimal | None, str | None]:
    """The one number parser of shared.inputs (ASCII or Thai digits, ',' between groups of three, '.' the
    decimal point), in this module's codes."""
    try:
        return parse_number(raw), None
    except InputRefused as refused:
        text = str(raw).strip()
        return None, "digits" if refused.code == "digits" else "negative" if text.startswith("-") else "not_number"


def _whole(raw, maximum: int) -> tuple[int | None, str | None]:
    value, error = _number(raw)
    if error:
        return None, "digits" if error == "digits" else "not_whole"
    if value != value.to_integral_value():
        return None, "not_whole"
    if value > maximum:
        return None, "too_large"
    return int(value), None


def _hours(raw) -> tuple[float | None, str | None]:
    value, error = _number(raw)
    if error:
        return None, error
    if value >= 24:
        return None, "hours_day"
    if value * 2 != int(value * 2):
        return None, "hours_half"
    return float(value), None


def parse_answer(volume, days, hours) -> tuple[Answer | None, dict[str, str]]:
    """Three raw inputs → an Answer, None when all three are blank, or the error code of each field.

    Blank is not 0: a question is answered only when all three numbers are given.
    """
    raw = {"volume": volume, "days": days, "hours": hours}
    blank = {k for k, v in raw.items() if v is None or str(v).strip() == ""}
    if len(blank) == 3:
        return None, {}
    errors = {k: "required_with_others" for k in blank}
    volume_value, volume_error = _whole(volume, MAX_VOLUME) if "volume" not in blank else (None, None)
    days_value, days_error = _whole(days, MAX_DAYS) if "days" not in blank else (None, None)
    hours_value, hours_error = _hours(hours) if "hours" not in blank else (None, None)
    errors.update({k: v for k, v in (("volume", volume_error), ("days", days_error), ("hours", hours_error)) if v})
    if errors:
        return None, errors
    return Answer(volume_value, days_value, hours_value), {}


def parse_aspect_answers(question_ids: list[int], raw: dict[int, tuple]) -> dict[int, Answer | None]:
    """Every active question of an aspect → its Answer or None (blank); ValidationFailed lists errors
    as `"<question id>.<field>": code`, and then nothing of the form may be saved."""
    unknown = set(raw) - set(question_ids)
    if unknown:
        raise ValidationFailed({f"{qid}": "unknown_question" for qid in sorted(unknown)})
    parsed, errors = {}, {}
    for qid in question_ids:
        answer, field_errors = parse_answer(*raw.get(qid, (None, None, None)))
        parsed[qid] = answer
        errors.update({f"{qid}.{name}": code for name, code in field_errors.items()})
    if errors:
        raise ValidationFailed(errors)
    return parsed


PHONE = re.compile(r"^0[0-9]{8,9}(ต่อ[0-9]{1,5})?$")  # a landline or mobile number, optional extension
MOBILE = re.compile(r"^0[689][0-9]{8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _digits(value: str) -> str:
    """A phone number as typed, without spaces and punctuation; Thai digits as ASCII, other scripts' digits
    left for the [0-9] patterns to refuse."""
    return ascii_digits(re.sub(r"[\s\-().]", "", value or ""))


def parse_contact(raw: dict, own_district: str, province_districts: set[str]) -> Contact:
    """The contact form → Contact, or ValidationFailed with a code per field."""
    errors = {}
    for name, max_length in (("office_address", 500), ("person_name", 200)):
        errors[name] = check_text(raw.get(name), required=True, max_length=max_length)
    office_phone, mobile = _digits(raw.get("office_phone", "")), _digits(raw.get("person_mobile", ""))
    errors["office_phone"] = "required" if not office_phone else None if PHONE.match(office_phone) else "phone"
    errors["person_mobile"] = "required" if not mobile else None if MOBILE.match(mobile) else "mobile"
    email = (raw.get("person_email") or "").strip()
    errors["person_email"] = ("required" if not email else
                              None if EMAIL.match(email) and len(email) <= 254 else "email")
    chosen = list(dict.fromkeys(raw.get("responsible_districts") or []))
    if any(code not in province_districts for code in chosen):
        errors["responsible_districts"] = "district_outside_province"
    districts = [own_district] + [code for code in chosen if code != own_district]  # always there, first
    errors = {k: v for k, v in errors.items() if v}
    if errors:
        raise ValidationFailed(errors)
    return Contact(office_address=raw["office_address"].strip(), office_phone=office_phone,
                   person_name=raw["person_name"].strip(), person_mobile=mobile, person_email=email,
                   responsible_districts=districts)


def check_text(value, required: bool, max_length: int = MAX_TEXT) -> str | None:
    text = (value or "").strip()
    if required and not text:
        return "required"
    if len(text) > max_length:
        return "too_long"
    return None


# --- Status ----------------------------------------------------------------------------------------

def aspect_status(active_question_ids: set[int], answered_question_ids: set[int]) -> AspectStatus:
    """Complete when every active question is answered; retired questions do not count."""
    return status_from_counts(len(active_question_ids), len(active_question_ids & answered_question_ids))


def status_from_counts(active: int, answered: int) -> AspectStatus:
    if answered == active:  # an aspect whose questions are all retired asks nothing
        return AspectStatus.COMPLETE
    return AspectStatus.INCOMPLETE if answered else AspectStatus.EMPTY


def record_complete(aspect_states: dict[int, AspectStatus], contact: Contact | None, own_district: str) -> bool:
    """The record is complete when all eight aspects are and the contact data, with districts, is filled."""
    return (len(aspect_states) == len(ASPECTS)
            and all(s is AspectStatus.COMPLETE for s in aspect_states.values())
            and contact is not None and contact.is_complete(own_district))


# --- Figures ---------------------------------------------------------------------------------------

def hours_per_year(answer: Answer, params: Parameters) -> float:
    """volume × (days × hours-per-day + hours)"""
    return answer.volume * (answer.days * params.hours_per_day + answer.hours)


def full_time_equivalents(hours: float, params: Parameters) -> float:
    return hours / (params.days_per_year * params.hours_per_day)


# --- Who may do what -------------------------------------------------------------------------------

def check_writable(window: Window, now: datetime, confirmed: bool = False) -> None:
    if confirmed:
        raise WorkloadError("confirmed")
    if not window.is_open(now):
        raise WorkloadError("window_closed")


# --- The province's view ---------------------------------------------------------------------------

def covering_records(responsible: dict[str, list[str]]) -> dict[str, list[str]]:
    """For each district, the other districts whose record lists it among its responsible districts.

    `responsible` maps a district that has a record to the districts its officer covers. A district
    covered by one other record is covered, not missing; by two or more, it is flagged.
    """
    covered: dict[str, list[str]] = {}
    for owner, districts in responsible.items():
        for district in districts:
            if district != owner:
                covered.setdefault(district, []).append(owner)
    return {district: sorted(owners) for district, owners in covered.items()}


def check_confirmable(complete: bool, confirmed: bool) -> bool:
    """Whether confirming changes anything: False when already confirmed (no second effect);
    WorkloadError when the record is not complete."""
    if confirmed:
        return False
    if not complete:
        raise WorkloadError("not_complete")
    return True


# --- Reminders before a window closes (workload.reminders) -------------------------------------------

REMINDER_DAYS_MAX, REMINDER_MARKS_MAX = 120, 10


def reminder_days(value) -> list[int]:
    """"14,7,3,1" or [14, 7, 3, 1] → [14, 7, 3, 1]: whole days 1–120 before closing, each once, at most 10;
    ValidationFailed otherwise."""
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [None]
    days = set()
    for item in items:
        text = ascii_digits(item.strip()) if isinstance(item, str) else None
        if isinstance(item, int) and not isinstance(item, bool):
            days.add(item)
        elif text and re.fullmatch(r"[0-9]{1,3}", text):
            days.add(int(text))
        else:
            raise ValidationFailed({"reminder_days": "reminder_days"})
    if not days or len(days) > REMINDER_MARKS_MAX or not all(1 <= d <= REMINDER_DAYS_MAX for d in days):
        raise ValidationFailed({"reminder_days": "reminder_days"})
    return sorted(days, reverse=True)


# --- Plausibility: flags that never block a save ----------------------------------------------------

# The defaults of a round's plausibility check (rounds.plausibility_factor and plausibility_floor): an answer
# differing from the district's previous round by more than the factor is flagged, unless both years are
# below the floor (hours per year of that question), where a few hours more or less is no mistake.
PLAUSIBILITY_FACTOR = 10
PLAUSIBILITY_FLOOR = 40


def implausible(hours: float, previous_hours: float | None, params: Parameters,
                factor: float = PLAUSIBILITY_FACTOR, floor: float = PLAUSIBILITY_FLOOR) -> str | None:
    """Why one answer's hours per year look wrong, or None: more than a whole working year of one
    officer on a single duty, or a jump by more than `factor` from the previous round above `floor`."""
    if hours > params.days_per_year * params.hours_per_day:
        return "over_year"
    if hours < floor and (previous_hours or 0) < floor:
        return None
    if previous_hours and hours and not (previous_hours / factor <= hours <= previous_hours * factor):
        return "jump"
    return None
