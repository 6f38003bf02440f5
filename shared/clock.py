"""The one clock: naive UTC datetimes, the way every database here stores time (typed dates: shared.thai)."""
from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)

