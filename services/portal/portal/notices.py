"""What each event says, to whom: the Thai title, text and link of a notice (plain Python, no Flask).

An event names where it happened (a district, a province); `compose` answers which office hears of it and
what it reads. Every office's notice speaks only of that office's own record.
"""
from dataclasses import dataclass
from datetime import datetime

from shared import geography
from shared.thai import thai_datetime


class UnknownEvent(Exception):
    """An event of a kind or shape this portal does not know: kept, but nobody is told."""


@dataclass(frozen=True)
class Notice:
    office: tuple[str, str]  # ("district", "8101"), ("province", "81") or ("user", name): who hears of it
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


def _moment(payload: dict, name: str) -> str:
    try:
        return thai_datetime(datetime.fromisoformat(str(payload.get(name))))
    except ValueError as exc:
        raise UnknownEvent(f"no {name}") from exc


def _days_left(payload: dict) -> str:
    left = payload.get("days_left")
    if not isinstance(left, int) or isinstance(left, bool) or left < 0:
        raise UnknownEvent("no days_left")
    return "วันนี้เป็นวันสุดท้ายของการบันทึกข้อมูล" if left == 0 else f"อีก {left} วันปิดระบบบันทึกข้อมูล"


def window_opened(payload: dict) -> Notice:
    district, year = _district(payload)
    return Notice(
        office=("district", district.code),
        title=f"เปิดระบบบันทึกข้อมูลปริมาณงาน ปีงบประมาณ {year}",
        text=(f"กรมส่งเสริมการปกครองท้องถิ่นเปิดระบบบันทึกข้อมูลงาน/ภารกิจที่สำคัญและปริมาณงานของ ทถอ. "
              f"ปีงบประมาณ {year} ตั้งแต่ {_moment(payload, 'opens_at')} ถึง {_moment(payload, 'closes_at')} "
              f"ขอให้{geography.district_office_name(district.code)}บันทึกข้อมูลให้ครบถ้วนภายในเวลาดังกล่าว"),
        link=f"/workload/{year}/districts/{district.code}/",
        cc=_cc(payload))


def countdown_district(payload: dict) -> Notice:
    district, year = _district(payload)
    left = _days_left(payload)
    return Notice(
        office=("district", district.code),
        title=f"{left} ปีงบประมาณ {year}: บันทึกข้อมูลยังไม่ครบถ้วน",
        text=(f"{geography.district_office_name(district.code)} บันทึกข้อมูลปีงบประมาณ {year} ยังไม่ครบถ้วน "
              f"ระบบปิดการบันทึกข้อมูล {_moment(payload, 'closes_at')} "
              "กรุณาบันทึกข้อมูลให้ครบถ้วนและกดปุ่ม “บันทึกข้อมูล” ก่อนปิดระบบ"),
        link=f"/workload/{year}/districts/{district.code}/",
        cc=_cc(payload))


def countdown_province(payload: dict) -> Notice:
    province = geography.province(str(payload.get("province_code", "")))
    year, waiting = payload.get("fiscal_year"), payload.get("waiting")
    if province is None or not isinstance(year, int) or not isinstance(waiting, int) or waiting < 1:
        raise UnknownEvent("no such province, fiscal year or count")
    left = _days_left(payload)
    return Notice(
        office=("province", province.code),
        title=f"{left} ปีงบประมาณ {year}: รอ สถจ. ยืนยันข้อมูล {waiting} อำเภอ",
        text=(f"ทถอ. {waiting} อำเภอของจังหวัด{province.name_th} บันทึกข้อมูลครบถ้วนแล้ว รอการยืนยันข้อมูลของจังหวัด "
              f"ระบบปิดการบันทึกข้อมูล {_moment(payload, 'closes_at')} "
              "กรุณาตรวจสอบและยืนยันข้อมูลก่อนปิดระบบ"),
        link=f"/workload/{year}/provinces/{province.code}/")


def record_complete(payload: dict) -> Notice:
    district, year = _district(payload)
    return Notice(
        office=("province", district.province_code),
        title=f"{geography.district_office_name(district.code)} บันทึกข้อมูลครบถ้วน รอ สถจ. ยืนยันข้อมูล ปีงบประมาณ {year}",
        text=(f"{geography.district_office_name(district.code)} บันทึกข้อมูลปีงบประมาณ {year} ครบถ้วนแล้ว "
              "รอการยืนยันข้อมูลของจังหวัด กรุณาตรวจสอบข้อมูลก่อนยืนยันการทำรายงาน"),
        link=f"/workload/{year}/districts/{district.code}/")


def province_confirmed(payload: dict) -> Notice:
    province = geography.province(str(payload.get("province_code", "")))
    year = payload.get("fiscal_year")
    if province is None or not isinstance(year, int):
        raise UnknownEvent("no such province or fiscal year")
    return Notice(
        office=("province", province.code),
        title=f"ยืนยันข้อมูลครบทุกอำเภอแล้ว ปีงบประมาณ {year}",
        text=(f"สถจ.{province.name_th} ยืนยันการทำรายงานปีงบประมาณ {year} ของทุกอำเภอในจังหวัด"
              f"{province.name_th}แล้ว ({payload.get('districts') or '-'} อำเภอ)"),
        link=f"/workload/{year}/provinces/{province.code}/")


def _news(payload: dict):
    district = geography.district(str(payload.get("district_code", "")))
    item_id, title = payload.get("item_id"), payload.get("title")
    if district is None or not isinstance(item_id, int) or not isinstance(title, str):
        raise UnknownEvent("no such district or news item")
    return district, item_id, f"“{title}”"


def news_submitted(payload: dict) -> Notice:
    district, item_id, title = _news(payload)
    return Notice(
        office=("province", district.province_code),
        title=f"ข่าวประชาสัมพันธ์รออนุมัติ: {title}",
        text=(f"{geography.district_office_name(district.code)} ส่งข่าวประชาสัมพันธ์ {title} "
              "ให้ สถจ. พิจารณาอนุมัติเผยแพร่"),
        link=f"/news/manage/items/{item_id}")


def news_approved(payload: dict) -> Notice:
    district, item_id, title = _news(payload)
    when = f" เผยแพร่ตั้งแต่ {_moment(payload, 'publish_at')}" if payload.get("publish_at") else ""
    return Notice(
        office=("district", district.code),
        title=f"สถจ. อนุมัติเผยแพร่ข่าว {title}",
        text=f"{payload.get('by') or 'สถจ.'} อนุมัติเผยแพร่ข่าวประชาสัมพันธ์ {title} แล้ว{when}",
        link=f"/news/manage/items/{item_id}")


def news_rejected(payload: dict) -> Notice:
    district, item_id, title = _news(payload)
    return Notice(
        office=("district", district.code),
        title=f"สถจ. ไม่อนุมัติข่าว {title}",
        text=(f"{payload.get('by') or 'สถจ.'} ไม่อนุมัติข่าวประชาสัมพันธ์ {title} และส่งกลับให้อำเภอแก้ไข "
              f"เหตุผล: {payload.get('reason') or '-'}"),
        link=f"/news/manage/items/{item_id}")


def news_withdrawn(payload: dict) -> Notice:
    district, item_id, title = _news(payload)
    return Notice(
        office=("district", district.code),
        title=f"ส่วนกลางยกเลิกการเผยแพร่ข่าว {title}",
        text=(f"{payload.get('by') or 'ส่วนกลาง'} ยกเลิกการเผยแพร่ข่าวประชาสัมพันธ์ {title} "
              f"เหตุผล: {payload.get('reason') or '-'} อำเภอแก้ไขและส่งให้ สถจ. พิจารณาอีกครั้งได้"),
        link=f"/news/manage/items/{item_id}")


def password_set(payload: dict) -> Notice:
    """To the user alone: who set the password and when; never the password itself."""
    username = payload.get("username")
    if not isinstance(username, str) or not username:
        raise UnknownEvent("no user")
    return Notice(
        office=("user", username),
        title="รหัสผ่านของท่านถูกกำหนดใหม่โดยผู้ดูแลระบบ",
        text=(f"{payload.get('by') or 'ผู้ดูแลระบบ'} กำหนดรหัสผ่านชั่วคราวใหม่ให้บัญชี {username} "
              f"เมื่อ {_moment(payload, 'at')} กรุณาเข้าสู่ระบบด้วยรหัสผ่านชั่วคราวที่ได้รับและเปลี่ยนรหัสผ่านใหม่ "
              "หากท่านไม่ได้ขอให้กำหนดรหัสผ่านใหม่ กรุณาติดต่อผู้ดูแลระบบ"),
        link="/sso/password")


KINDS = {
    "workload.aspects_returned": aspects_returned,
    "workload.record_confirmed": record_confirmed,
    "workload.window_opened": window_opened,
    "workload.countdown_district": countdown_district,
    "workload.countdown_province": countdown_province,
    "workload.record_complete": record_complete,
    "workload.province_confirmed": province_confirmed,
    "news.submitted": news_submitted,
    "news.approved": news_approved,
    "news.rejected": news_rejected,
    "news.withdrawn": news_withdrawn,
    "sso.password_set": password_set,
}


def compose(kind: str, payload) -> Notice:
    if kind not in KINDS or not isinstance(payload, dict):
        raise UnknownEvent(kind)
    return KINDS[kind](payload)
