"""The registry's rules as plain Python: officer records, Thai search matching, what a sync changes.

No Flask, no SQLAlchemy: sync.py loads, calls these, and commits.
"""
from dataclasses import dataclass, field
from datetime import datetime

from shared.thai import search_form

# Officer fields that, when they differ from the stored ones, make a record "changed".
COMPARED_FIELDS = ("full_name", "position", "office_district_code", "district_codes", "office_phone",
                   "office_email", "mobile_phone", "personal_email", "photo_url", "upstream_updated_at")


@dataclass(frozen=True)
class OfficerData:
    """One officer as DLA Connect describes it, validated (dlaconnect.py) and normalised."""
    dla_id: str
    full_name: str
    position: str
    office_district_code: str
    district_codes: tuple[str, ...]
    upstream_updated_at: datetime  # naive UTC
    office_phone: str | None = None
    office_email: str | None = None
    mobile_phone: str | None = None
    personal_email: str | None = None
    photo_url: str | None = None
    active: bool = True  # False: DLA Connect says the assignment ended

    @property
    def province_code(self) -> str:
        return self.office_district_code[:2]

    def values(self) -> dict:
        """The compared fields as JSON-friendly values, for the history table."""
        data = {name: getattr(self, name) for name in COMPARED_FIELDS}
        data["district_codes"] = list(self.district_codes)
        data["upstream_updated_at"] = self.upstream_updated_at.isoformat()
        return data


@dataclass
class SyncPlan:
    added: list[OfficerData] = field(default_factory=list)
    changed: list[tuple[OfficerData, OfficerData]] = field(default_factory=list)  # (stored, incoming)
    removed: list[OfficerData] = field(default_factory=list)


class SyncRefused(Exception):
    """The snapshot is valid record by record but must not be applied as a whole."""

    def __init__(self, code: str, detail: dict | None = None):
        super().__init__(code)
        self.code = code
        self.detail = detail or {}


def plan_sync(stored_active: dict[str, OfficerData], incoming: list[OfficerData]) -> SyncPlan:
    """What applying a complete snapshot changes.

    An officer missing from the snapshot, or listed with its assignment ended, is removed; one that
    comes back after a removal counts as added again.
    """
    plan = SyncPlan()
    for record in incoming:
        if not record.active:
            continue
        before = stored_active.get(record.dla_id)
        if before is None:
            plan.added.append(record)
        elif differs(before, record):
            plan.changed.append((before, record))
    active_ids = {r.dla_id for r in incoming if r.active}
    plan.removed = [officer for dla_id, officer in stored_active.items() if dla_id not in active_ids]
    return plan


def differs(stored: OfficerData, incoming: OfficerData) -> bool:
    return any(getattr(stored, name) != getattr(incoming, name) for name in COMPARED_FIELDS)


def check_removals(active_count: int, removed_count: int, max_fraction: float) -> None:
    """A truncated or emptied upstream list would remove most officers at once: refuse it instead.
    Small registries (the first syncs) are exempt."""
    if active_count >= 20 and removed_count > max_fraction * active_count:
        raise SyncRefused("too_many_removals", {"active": active_count, "removed": removed_count,
                                                "max_fraction": max_fraction})


def duplicate_ids(ids: list[str]) -> list[str]:
    seen: set[str] = set()
    duplicates: list[str] = []
    for dla_id in ids:
        if dla_id in seen and dla_id not in duplicates:
            duplicates.append(dla_id)
        seen.add(dla_id)
    return duplicates


# --- Thai search -------------------------------------------------------------------------------

# Longest first, so that "ท้องถิ่นอำเภอ" is not cut as "อำเภอ" after its first word.
PREFIXES = ("ท้องถิ่นอำเภอ", "ท้องถิ่นจังหวัด", "จังหวัด", "อำเภอ", "จ.", "อ.")


def normalise(text: str) -> str:
    """The shared search form without any spaces: Thai is written without spaces between words, and
    people type them anyway."""
    return search_form(text).replace(" ", "")


_PREFIXES = tuple(normalise(prefix) for prefix in PREFIXES)  # in the form terms are compared in


def strip_prefix(term: str) -> str:
    changed = True
    while changed and term:
        changed = False
        for prefix in _PREFIXES:
            if term.startswith(prefix):
                term, changed = term[len(prefix):], True
                break
    return term


def query_terms(query: str) -> list[str]:
    """"อ.เมืองกระบี่ จ.กระบี่" → ["เมืองกระบี่", "กระบี่"]; every term must match (AND)."""
    terms = [strip_prefix(normalise(part)) for part in search_form(query).split()]
    return [t for t in terms if t]


def search_text(full_name: str, district_names: list[str], province_name: str) -> str:
    """What a search looks in, parts kept apart by "|" so that a term never spans two of them."""
    return "|".join(normalise(part) for part in [full_name, *district_names, province_name])


def matches(terms: list[str], text: str) -> bool:
    return bool(terms) and all(term in text for term in terms)
