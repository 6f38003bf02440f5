"""Demo data for `make run`: rounds 2567 and 2568 closed with a plausible record for every district
(most confirmed by their province), and round 2569 open from today for 90 days, in which a few districts of the
demo province have begun their records (contact data with an e-mail, the first aspects), so that a province's
ส่งกลับแก้ไข has a contact person to Cc. Every name in it is invented."""
import random
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from shared import geography
from shared.clock import utcnow
from workload import rounds
from workload.models import AnswerRow, AspectSave, CustomRow, Question, Record, Round, db

FIRST_NAMES = {"นาย": ("สมชาย", "ประเสริฐ", "ธนากร", "วรเชษฐ์", "กิตติศักดิ์"),
               "นาง": ("สมหญิง", "วิไลวรรณ", "อรอุมา", "สุพัตรา", "ณัฐริกา"),
               "นางสาว": ("กิตติพร", "ปิยะนุช", "ศิริพร", "จันทร์เพ็ญ", "พรทิพย์")}
CUSTOM_WORK = (("ประสานงานการเลือกตั้งท้องถิ่น", "ครั้ง"), ("ร่วมงานรัฐพิธีของอำเภอ", "ครั้ง"),
               ("ตอบข้อหารือของประชาชน", "เรื่อง"), ("จัดทำข้อมูลตามที่จังหวัดขอ", "เรื่อง"))
LAST_NAMES = ("ใจดี", "ทดสอบ", "ตัวอย่าง", "สมมุติ", "รักถิ่น", "มั่นคง", "ศรีสุข", "พัฒนากุล")


def _answer(rng: random.Random) -> tuple[int, int, float]:
    """One duty of a year: mostly a few to a few dozen items of an hour or two each, so that a district
    office adds up to one or two officers' year, as the offices are staffed."""
    if rng.random() < 0.12:
        return 0, 0, 0.0  # ไม่ได้ดำเนินการ
    return rng.choice((1, 2, 3, 4, 6, 12, 24)), rng.choice((0, 0, 0, 0, 1)), rng.randint(1, 6) / 2


def _contact(rng: random.Random, code: str) -> dict:
    district = geography.district(code)
    title = rng.choice(tuple(FIRST_NAMES))
    name = f"{title}{rng.choice(FIRST_NAMES[title])} {rng.choice(LAST_NAMES)}"
    return {
        "office_address": f"ที่ว่าการอำเภอ{district.name_th} (ข้อมูลสมมติ)",
        "office_phone": f"0{rng.randint(20, 79)}{rng.randint(100000, 999999)}",
        "person_name": name, "person_mobile": f"08{rng.randint(10000000, 99999999)}",
        "person_email": f"district{code}@example.org", "responsible_districts": code,
    }


def load_demo_rounds() -> str:
    """Create the demo rounds unless any round exists: 2567 and 2568 closed with a record for every
    district (2567 with 2568's catalog: there is no shipped 2567 catalog), 2569 open with a few records begun."""
    if db.session.scalar(select(func.count()).select_from(Round)):
        return "rounds exist: nothing loaded"
    now = utcnow()
    earlier = rounds.create_round(2567, now - timedelta(days=785), now - timedelta(days=605))
    rounds.import_catalog(earlier, rounds.catalog_file(2568)["aspects"])
    closed = rounds.create_round(2568, now - timedelta(days=420), now - timedelta(days=240))
    rounds.import_catalog(closed, rounds.catalog_file(2568)["aspects"])
    current = rounds.create_round(2569, now - timedelta(minutes=1), now + timedelta(days=90))
    rounds.import_catalog(current, rounds.catalog_file(2569)["aspects"])
    answers = _fill(earlier, confirmed_share=1.0, shrink=0.3) + _fill(closed, confirmed_share=0.9)
    answers += _begin(current)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))  # planner statistics for the bulk load, before autovacuum gets to it
    db.session.commit()
    return (f"rounds 2567 and 2568 (closed, {len(geography.districts())} records each) and 2569 (open, "
            f"{len(OPEN_ROUND_STARTED)} records begun; {answers} answers in all) loaded")


# Districts of the demo province (กระบี่) that have begun the open round: not 8101, 8102 and 8105, whose
# records the browser and stack tests write from empty.
OPEN_ROUND_STARTED = ("8103", "8104", "8106")
STARTED_ASPECTS = (1, 2, 3)


def demo_contact_email(code: str) -> str:
    """The contact person's address in the open round's demo records: the demo mail domain, like the users'."""
    return f"contact-{code}@dcc-demo.test"


def _begin(round_: Round) -> int:
    """The open round's begun records: contact data with an e-mail and the first aspects answered (not
    complete, not confirmed)."""
    questions = db.session.execute(select(Question.id).where(Question.round_id == round_.id,
                                                             Question.aspect.in_(STARTED_ASPECTS))).scalars().all()
    saved_at = round_.opens_at
    db.session.execute(insert(Record), [
        {"round_id": round_.id, "district_code": code, "province_code": code[:2], "contact_version": 1,
         "contact_saved_at": saved_at, "created_at": saved_at,
         **_contact(random.Random(code), code), "person_email": demo_contact_email(code)}
        for code in OPEN_ROUND_STARTED])
    record_ids = dict(db.session.execute(
        select(Record.district_code, Record.id).where(Record.round_id == round_.id)).all())
    answers = []
    for code in OPEN_ROUND_STARTED:
        rng = random.Random(f"2568-{code}")
        for question_id in questions:
            volume, days, hours = _answer(rng)
            answers.append({"record_id": record_ids[code], "question_id": question_id, "volume": volume,
                            "days": days, "hours": hours})
    db.session.execute(insert(AnswerRow), answers)
    db.session.execute(insert(AspectSave), [
        {"record_id": record_ids[code], "aspect": n, "version": 1, "saved_at": saved_at, "saved_by": f"d-{code}"}
        for code in OPEN_ROUND_STARTED for n in STARTED_ASPECTS])
    return len(answers)


def _fill(round_: Round, confirmed_share: float, shrink: float = 0.0) -> int:
    """A generated, complete record for every district; the province confirmed about `confirmed_share`.

    Every round draws the same answers (so that the plausibility check against the previous round
    stays quiet); `shrink` makes each volume up to that share smaller, an earlier year's smaller load."""
    year = round_.fiscal_year
    questions = db.session.execute(select(Question.id, Question.aspect).where(Question.round_id == round_.id)).all()
    saved_at = round_.closes_at - timedelta(days=7)
    districts = geography.districts()
    confirmed = {d.code for d in districts if random.Random(f"confirm-{year}-{d.code}").random() < confirmed_share}
    db.session.execute(insert(Record), [
        {"round_id": round_.id, "district_code": d.code, "province_code": d.province_code, "contact_version": 1,
         "contact_saved_at": saved_at, "created_at": saved_at, **_contact(random.Random(d.code), d.code),
         "confirmed_at": saved_at + timedelta(days=3) if d.code in confirmed else None,
         "confirmed_by": f"p-{d.province_code}" if d.code in confirmed else None}
        for d in districts])
    record_ids = dict(db.session.execute(
        select(Record.district_code, Record.id).where(Record.round_id == round_.id)).all())
    answers, saves, custom = [], [], []
    for d in districts:
        rng, drift = random.Random(f"2568-{d.code}"), random.Random(f"{year}-{d.code}")
        record_id = record_ids[d.code]
        for question_id, _aspect in questions:
            volume, days, hours = _answer(rng)
            volume = round(volume * (1 - shrink * drift.random()))
            answers.append({"record_id": record_id, "question_id": question_id, "volume": volume, "days": days,
                            "hours": hours})
        saves += [{"record_id": record_id, "aspect": n, "version": 1, "saved_at": saved_at, "saved_by": f"d-{d.code}"}
                  for n in range(1, 9)]
        if drift.random() < 0.3:  # some offices also do work outside the eight aspects
            detail, unit = drift.choice(CUSTOM_WORK)
            custom.append({"record_id": record_id, "detail": detail, "unit": unit, "volume": drift.randint(2, 24),
                           "days": drift.choice((0, 1)), "hours": drift.randint(1, 8) / 2, "created_at": saved_at})
    db.session.execute(insert(AnswerRow), answers)
    db.session.execute(insert(AspectSave), saves)
    if custom:
        db.session.execute(insert(CustomRow), custom)
    return len(answers)
