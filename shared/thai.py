"""Thai dates in the Buddhist Era, Thai number formatting and Thai text as searches compare it; all
times are Asia/Bangkok."""
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
