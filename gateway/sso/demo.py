"""Demo users for `make run`: the four named demo logins, one user per district and province office,
and one SSO admin per province.

Every demo user has the password demo-pass-2568. The generated users share one argon2 hash, so that
loading about 950 users takes seconds, not the two minutes that 950 separate hashes would.
"""
from sqlalchemy import func, insert, select

from shared import geography
from sso.models import User, UserRole, db
from sso.services import hasher

DEMO_PASSWORD = "demo-pass-2568"
DEMO_PROVINCE = "81"  # กระบี่
DEMO_DISTRICT = "8101"  # เมืองกระบี่
DEMO_MAIL_DOMAIN = "dcc-demo.test"


def _named_users() -> list[dict]:
    return [
        {"username": "demo-district", "display_name": geography.district_office_name(DEMO_DISTRICT),
         "roles": ["district"], "province_code": DEMO_PROVINCE, "district_code": DEMO_DISTRICT},
        {"username": "demo-province", "display_name": geography.province_office_name(DEMO_PROVINCE),
         "roles": ["province"], "province_code": DEMO_PROVINCE},
        {"username": "demo-ssoadmin", "display_name": "นางสาวสมใจ ตัวอย่าง (SSO Admin จังหวัดกระบี่)",
         "roles": ["ssoadmin"], "province_code": DEMO_PROVINCE,
         "position": "นักวิชาการคอมพิวเตอร์ (ข้อมูลสมมติ)", "phone": "0 7561 1234", "email": "sso-krabi@example.org"},
        {"username": "demo-central", "display_name": "กลุ่มพัฒนาระบบบริหาร (ส่วนกลาง)", "roles": ["central"]},
    ]


def _office_users() -> list[dict]:
    users = [
        {"username": f"d-{d.code}", "display_name": geography.district_office_name(d.code),
         "roles": ["district"], "province_code": d.province_code, "district_code": d.code}
        for d in geography.districts() if d.code != DEMO_DISTRICT
    ]
    users += [
        {"username": f"p-{p.code}", "display_name": geography.province_office_name(p.code),
         "roles": ["province"], "province_code": p.code}
        for p in geography.provinces() if p.code != DEMO_PROVINCE
    ]
    users += [  # so that "ตรวจสอบรายชื่อ SSO Admin" finds someone in every province
        {"username": f"s-{p.code}", "display_name": f"SSO Admin จังหวัด{p.name_th} (ข้อมูลสมมติ)",
         "roles": ["ssoadmin"], "province_code": p.code, "position": "นักวิชาการคอมพิวเตอร์ (ข้อมูลสมมติ)",
         "phone": f"0 2000 {int(p.code):04d}", "email": f"sso-{p.code}@example.org"}
        for p in geography.provinces() if p.code != DEMO_PROVINCE
    ]
    return users


def load_demo_users() -> int:
    """Insert the demo users unless the table already has users; returns how many were added."""
    if db.session.scalar(select(func.count()).select_from(User)):
        return 0
    password_hash = hasher.hash(DEMO_PASSWORD)
    people = _named_users() + _office_users()
    # Every demo user has a mailbox on the demo domain (the stack's own mail server catches it), unless it
    # has a public address of its own (the SSO admins' list shows theirs).
    rows = [{"email": f"{person['username']}@{DEMO_MAIL_DOMAIN}"}
            | {k: v for k, v in person.items() if k != "roles"} | {"password_hash": password_hash}
            for person in people]
    db.session.execute(insert(User), rows)
    ids = dict(db.session.execute(select(User.username, User.id)).all())
    db.session.execute(insert(UserRole), [
        {"user_id": ids[person["username"]], "role": role} for person in people for role in person["roles"]])
    db.session.commit()
    return len(people)
