"""Demo data for `make run`: round 2568 closed with a plausible record for every district, and round
2569 open from today for 90 days, with the shipped catalogs. Every name in it is invented."""
import random
from datetime import timedelta

from sqlalchemy import func, insert, select, text

from shared import geography
from shared.clock import utcnow
from workload import rounds
from workload.models import AnswerRow, AspectSave, Question, Record, Round, db

FIRST_NAMES = {"นาย": ("สมชาย", "ประเสริฐ", "ธนากร", "วรเชษฐ์", "กิตติศักดิ์"),
               "นาง": ("สมหญิง", "วิไลวรรณ", "อรอุมา", "สุพัตรา", "ณัฐริกา"),
               "นางสาว": ("กิตติพร", "ปิยะนุช", "ศิริพร", "จันทร์เพ็ญ", "พรทิพย์")}
LAST_NAMES = ("ใจดี", "ทดสอบ", "ตัวอย่าง", "สมมุติ", "รักถิ่น", "มั่นคง", "ศรีสุข", "พัฒนากุล")


def _answer(rng: random.Random) -> tuple[int, int, float]:
    if rng.random() < 0.12:
        return 0, 0, 0.0  # ไม่ได้ดำเนินการ
    return rng.choice((1, 2, 4, 6, 12, 24, 36, 52)) * rng.randint(1, 3), rng.choice((0, 0, 1, 1, 2, 3)), rng.randint(0, 12) / 2


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
    """Create both demo rounds unless any round exists."""
    if db.session.scalar(select(func.count()).select_from(Round)):
        return "rounds exist: nothing loaded"
    now = utcnow()
    closed = rounds.create_round(2568, now - timedelta(days=420), now - timedelta(days=240))
    rounds.import_catalog(closed, rounds.catalog_file(2568)["aspects"])
    current = rounds.create_round(2569, now - timedelta(minutes=1), now + timedelta(days=90))
    rounds.import_catalog(current, rounds.catalog_file(2569)["aspects"])
    questions = db.session.execute(select(Question.id, Question.aspect).where(Question.round_id == closed.id)).all()
    saved_at = closed.closes_at - timedelta(days=7)
    districts = geography.districts()
    db.session.execute(insert(Record), [
        {"round_id": closed.id, "district_code": d.code, "province_code": d.province_code, "contact_version": 1,
         "contact_saved_at": saved_at, "created_at": saved_at, **_contact(random.Random(d.code), d.code)}
        for d in districts])
    record_ids = dict(db.session.execute(select(Record.district_code, Record.id).where(Record.round_id == closed.id)).all())
    answers, saves = [], []
    for d in districts:
        rng = random.Random(f"2568-{d.code}")
        record_id = record_ids[d.code]
        for question_id, _aspect in questions:
            volume, days, hours = _answer(rng)
            answers.append({"record_id": record_id, "question_id": question_id, "volume": volume, "days": days,
                            "hours": hours})
        saves += [{"record_id": record_id, "aspect": n, "version": 1, "saved_at": saved_at, "saved_by": f"d-{d.code}"}
                  for n in range(1, 9)]
    db.session.execute(insert(AnswerRow), answers)
    db.session.execute(insert(AspectSave), saves)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE"))  # planner statistics for the bulk load, before autovacuum gets to it
    db.session.commit()
    return f"rounds 2568 (closed, {len(districts)} records, {len(answers)} answers) and 2569 (open) loaded"
