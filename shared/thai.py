"""Thai dates in the Buddhist Era, Thai number formatting and Thai text as searches compare it; all
times are Asia/Bangkok."""
import re
import unicodedata
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

BANGKOK = ZoneInfo("Asia/Bangkok")
BE_OFFSET = 543
MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


def now() -> datetime:
    return datetime.now(timezone.utc)


def today() -> date:
    """Today's date where the center works (Asia/Bangkok)."""
    return datetime.now(BANGKOK).date()


def to_bangkok(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # stored naive values are UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(BANGKOK)


def thai_date(value: date | datetime | None, short: bool = False) -> str:
    """26 พฤศจิกายน 2569"""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_bangkok(value)
    month = (MONTHS_SHORT if short else MONTHS)[value.month - 1]
    return f"{value.day} {month} {value.year + BE_OFFSET}"


def thai_datetime(value: datetime | None) -> str:
    """26 พฤศจิกายน 2569 เวลา 14:05 น."""
    if value is None:
        return ""
    local = to_bangkok(value)
    return f"{thai_date(local)} เวลา {local:%H:%M} น."


# A date as people here type it: day/month/Buddhist-Era year, the time (24 h) after it where a field has one.
_TYPED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(?:เวลา\s*)?(\d{1,2})[:.](\d{2})(?:\s*น\.?)?)?")
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _typed(raw) -> tuple[date, tuple[int, int] | None] | None:
    """(date, (hour, minute) or None) of `1/12/2569` or `1/12/2569 09:00`, Thai digits too; else None."""
    found = _TYPED.fullmatch(str(raw or "").strip().translate(_THAI_DIGITS))
    if not found:
        return None
    day, month, year, hour, minute = found.groups()
    if int(year) < 2400:  # a Gregorian year in this format is a mistake, not a date 543 years ago
        return None
    try:
        day_ = date(int(year) - BE_OFFSET, int(month), int(day))
    except ValueError:
        return None
    return day_, None if hour is None else (int(hour), int(minute))


def parse_date(raw) -> date | None:
    """A date from a form or JSON: Buddhist Era as typed (1/12/2569) or ISO 8601 (2026-12-01); else None."""
    if isinstance(raw, date):
        return raw
    typed = _typed(raw)
    if typed:
        return typed[0] if typed[1] is None else None
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


def parse_datetime(raw) -> datetime | None:
    """A moment in Bangkok time from a form: `1/12/2569 09:00` or ISO (2026-12-01T09:00); aware, or None."""
    typed = _typed(raw)
    if typed and typed[1] is not None:
        (hour, minute) = typed[1]
        if hour > 23 or minute > 59:
            return None
        return datetime(typed[0].year, typed[0].month, typed[0].day, hour, minute, tzinfo=BANGKOK)
    try:
        moment = datetime.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=BANGKOK) if moment.tzinfo is None else moment.astimezone(BANGKOK)


def date_input(value) -> str:
    """What a date field shows: 1/12/2569 (a date, an ISO string, or text as typed back unchanged)."""
    day = parse_date(value) if not isinstance(value, datetime) else None
    if day is None:
        return "" if value is None else str(value)
    return f"{day.day}/{day.month}/{day.year + BE_OFFSET}"


def datetime_input(value) -> str:
    """What a date-and-time field shows: 1/12/2569 09:00 in Bangkok (stored naive values are UTC)."""
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    local = to_bangkok(value)
    return f"{local.day}/{local.month}/{local.year + BE_OFFSET} {local:%H:%M}"


def fiscal_year(value: date) -> int:
    """The Buddhist-Era fiscal year a day belongs to: 1 Oct 2025 – 30 Sep 2026 is 2569."""
    return value.year + BE_OFFSET + (1 if value.month >= 10 else 0)


def thai_number(value: float | int, decimals: int = 0) -> str:
    return f"{value:,.{decimals}f}"


def iso_bangkok(value: datetime | None) -> str | None:
    """ISO 8601 with the +07:00 offset, for APIs."""
    return None if value is None else to_bangkok(value).isoformat()


# Characters that show nothing but would keep a typed word from matching a stored one.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def search_form(text: str | None) -> str:
    """Text as every search here compares it: NFKC (sara am typed as nikhahit + sara aa is "ำ"), no
    invisible characters, runs of spaces as one, Latin letters case-folded (MOOC, DLA)."""
    text = unicodedata.normalize("NFKC", text or "").translate(_INVISIBLE)
    return " ".join(text.split()).casefold()
