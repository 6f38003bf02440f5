"""The reference geography: the 76 provinces outside Bangkok and their 878 districts (geothai, DOPA codes).

geothai's data is CC-BY-4.0; the site credits it in the footer.
"""
from functools import cache

import geothai
from geothai.types import District, Province

from shared.collation import thai_key

BANGKOK = "10"
SOURCE_CREDIT = "ข้อมูลจังหวัดและอำเภอ: geothai (CC BY 4.0)"


@cache
def provinces() -> tuple[Province, ...]:
    """Every province the center serves, sorted by DOPA code."""
    return tuple(p for p in geothai.provinces() if p.code != BANGKOK)


@cache
def _province_codes() -> frozenset[str]:
    return frozenset(p.code for p in provinces())


def province(code: str) -> Province | None:
    return geothai.province(code) if code in _province_codes() else None


@cache
def districts(province_code: str | None = None) -> tuple[District, ...]:
    """The districts of one province, or of all 76, sorted by DOPA code."""
    if province_code is None:
        return tuple(d for p in provinces() for d in geothai.districts(p.code))
    if province_code not in _province_codes():
        return ()
    return tuple(geothai.districts(province_code))


def by_name(places):
    """Provinces or districts in Thai dictionary order of their names (what a user scans a list by)."""
    return sorted(places, key=lambda place: thai_key(place.name_th))


def district(code: str) -> District | None:
    found = geothai.district(code)
    return found if found is not None and found.province_code in _province_codes() else None


def district_name(code: str) -> str:
    """The district's Thai name, or the code itself when it is none of the 878."""
    found = district(code)
    return found.name_th if found else code


def province_name(code: str) -> str:
    """The province's Thai name, or the code itself when it is none of the 76."""
    found = province(code)
    return found.name_th if found else code


def district_office_name(code: str) -> str:
    """ท้องถิ่นอำเภอ<name>, the way the district office is addressed."""
    found = district(code)
    return f"ท้องถิ่นอำเภอ{found.name_th}" if found else code


def province_office_name(code: str) -> str:
    found = province(code)
    return f"สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด{found.name_th}" if found else code
