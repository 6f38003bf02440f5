"""What the public pages and the API read: one or two statements per page, whatever the province."""
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select

from directory import domain
from directory.models import Assignment, Officer, SyncRun, db
from shared import geography

SEARCH_LIMIT = 100


@dataclass(frozen=True)
class OfficerView:
    """An active officer with the districts assigned, as pages and the API show it."""
    row: Officer
    district_codes: tuple[str, ...]

    def __getattr__(self, name):
        return getattr(self.row, name)

    @property
    def office_name(self) -> str:
        return geography.district_office_name(self.row.office_district_code)

    @property
    def district_names(self) -> list[str]:
        return [geography.district(c).name_th for c in self.district_codes]


def last_sync() -> SyncRun | None:
    return db.session.scalars(select(SyncRun).where(SyncRun.status == "succeeded")
                              .order_by(SyncRun.id.desc()).limit(1)).first()


def covered_counts() -> dict[str, int]:
    """Per province, how many districts have at least one assigned officer."""
    rows = db.session.execute(
        select(Assignment.province_code, func.count(func.distinct(Assignment.district_code)))
        .join(Officer, Officer.id == Assignment.officer_id).where(Officer.removed_at.is_(None))
        .group_by(Assignment.province_code))
    return dict(rows.all())


def _views(rows: list[Officer]) -> list[OfficerView]:
    if not rows:
        return []
    codes: dict[int, list[str]] = {}
    for officer_id, code in db.session.execute(
            select(Assignment.officer_id, Assignment.district_code)
            .where(Assignment.officer_id.in_([r.id for r in rows])).order_by(Assignment.district_code)):
        codes.setdefault(officer_id, []).append(code)
    return [OfficerView(r, tuple(codes.get(r.id, ()))) for r in rows]


def province_officers(province_code: str) -> dict[str, list[OfficerView]]:
    """District code → its active officers (usually one), for one province, in one statement: an
    officer's districts all lie in its province (dlaconnect.py checks), so the rows hold them all."""
    rows = db.session.execute(
        select(Officer, Assignment.district_code).join(Assignment, Assignment.officer_id == Officer.id)
        .where(Assignment.province_code == province_code, Officer.removed_at.is_(None))
        .order_by(Officer.dla_id, Assignment.district_code)).all()
    codes: dict[int, list[str]] = {}
    for officer, district in rows:
        codes.setdefault(officer.id, []).append(district)
    views = {officer.id: OfficerView(officer, tuple(codes[officer.id])) for officer, _ in rows}
    by_district: dict[str, list[OfficerView]] = {}
    for officer, district in rows:
        by_district.setdefault(district, []).append(views[officer.id])
    return by_district


def officer(dla_id: str) -> OfficerView | None:
    row = db.session.scalars(select(Officer).where(Officer.dla_id == dla_id, Officer.removed_at.is_(None))).first()
    return _views([row])[0] if row else None


def search(query: str, province_code: str | None = None) -> list[OfficerView]:
    """Active officers whose name, districts or province contain every term of the query."""
    terms = domain.query_terms(query)
    if not terms:
        return []
    statement = select(Officer).where(Officer.removed_at.is_(None))
    for term in terms:
        statement = statement.where(Officer.search_text.contains(term, autoescape=True))
    if province_code:
        statement = statement.where(Officer.province_code == province_code)
    rows = list(db.session.scalars(statement.order_by(Officer.province_code, Officer.office_district_code,
                                                      Officer.dla_id).limit(SEARCH_LIMIT)))
    return _views(rows)


def matching_places(query: str) -> tuple[list, list]:
    """Provinces and districts whose names match, so that a district without an officer is found too."""
    terms = domain.query_terms(query)
    if not terms:
        return [], []
    provinces = [p for p, text in _place_texts()[0] if domain.matches(terms, text)]
    districts = [d for d, text in _place_texts()[1] if domain.matches(terms, text)]
    return provinces, districts[:50]


@cache
def _place_texts() -> tuple[list, list]:
    """Every province's and district's search text, made once: the geography never changes."""
    return ([(p, domain.normalise(p.name_th)) for p in geography.provinces()],
            [(d, domain.search_text("", [d.name_th], geography.province_name(d.province_code)))
             for d in geography.districts()])
