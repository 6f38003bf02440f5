"""The one clock: naive UTC datetimes, the way every database here stores time; and dates as forms send them."""
from datetime import date, datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def parse_date(raw) -> date | None:
    """A date from a form or JSON (ISO 8601, YYYY-MM-DD), or None for anything else."""
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None
