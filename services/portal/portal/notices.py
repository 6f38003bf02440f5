"""What each event says, to whom: the Thai title, text and link of a notice (plain Python, no Flask).

An event names where it happened (a district, a province); `compose` answers which office hears of it and
what it reads. Every office's notice speaks only of that office's own record.
"""
from dataclasses import dataclass

from shared import geography


class UnknownEvent(Exception):
    """An event of a kind or shape this portal does not know: kept, but nobody is told."""


@dataclass(frozen=True)
class Notice:
    office: tuple[str, str]  # ("district", "8101") or ("province", "81"): whose users hear of it
    title: str
    text: str
    link: str  # a path of the site
    cc: tuple[str, ...] = ()  # e-mail only: the record's contact person


def _district(payload: dict):
    found = geography.district(str(payload.get("district_code", "")))
    year = payload.get("fiscal_year")
    if found is None or not isinstance(year, int):
        raise UnknownEvent("no such district or fiscal year")
    return found, year


def _cc(payload: dict) -> tuple[str, ...]:
    email = payload.get("contact_email")
    return (email,) if isinstance(email, str) and "@" in email else ()


def aspects_returned(payload: dict) -> Notice:
    district, year = _district(payload)
    aspects = [a for a in payload.get("aspects") or [] if isinstance(a, int) and 1 <= a <= 8]
    if not aspects:
        raise UnknownEvent("no aspects")
    named = ", ".join(str(a) for a in aspects)
    return Notice(
        office=("district", district.code),
        title=f"สถจ. ส่งกลับแก้ไข ด้านที่ {named} ปีงบประมาณ {year}",
        text=(f"{payload.get('by') or 'สถจ.'} ส่งกลับให้{geography.district_office_name(district.code)}แก้ไขข้อมูล "
              f"ด้านที่ {named} เหตุผล: {payload.get('reason') or '-'}"),
        link=f"/workload/{year}/districts/{district.code}/aspects/{aspects[0]}",
        cc=_cc(payload))


def record_confirmed(payload: dict) -> Notice:
    district, year = _district(payload)
    return Notice(
        office=("district", district.code),
        title=f"สถจ. ยืนยันข้อมูลแล้ว ปีงบประมาณ {year}",
        text=(f"{payload.get('by') or 'สถจ.'} ยืนยันการทำรายงานของ{geography.district_office_name(district.code)} "
              f"ปีงบประมาณ {year} แล้ว ข้อมูลที่ยืนยันแล้วแก้ไขไม่ได้อีก"),
        link=f"/workload/{year}/districts/{district.code}/",
        cc=_cc(payload))


KINDS = {
    "workload.aspects_returned": aspects_returned,
    "workload.record_confirmed": record_confirmed,
}


def compose(kind: str, payload) -> Notice:
    if kind not in KINDS or not isinstance(payload, dict):
        raise UnknownEvent(kind)
    return KINDS[kind](payload)
