"""Reminders on a real stack of their own (they tell every district, which would crowd the shared stack's
inboxes): `flask --app workload remind --today` three days before closing sends one message per incomplete
district and none to complete ones, with the relay killed in the middle of handing them over nothing reaches
the inbox twice, and a second run sends nothing."""
import subprocess
import time
from collections import Counter
from datetime import date, timedelta
from email import message_from_string, policy

import pytest
import requests
from sqlalchemy import create_engine, text

from shared import geography
from shared.testing import fill_record_over_http
from tests.conftest import TEST_SETTINGS, Stack
from tools.fakes import mail
from tools.stack import ROOT, VENV_BIN, running
from workload.demo import OPEN_ROUND_STARTED, demo_contact_email

pytestmark = pytest.mark.stack

COMPLETE = ("9201", "9202")  # เมืองตรัง and กันตัง complete their records; every other district is behind
CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "075218000", "person_name": "นางสาวทดสอบ แจ้งเตือน",
           "person_mobile": "0812345678", "person_email": "contact@example.org", "responsible_districts": []}
COUNTDOWN = "อีก 3 วันปิดระบบบันทึกข้อมูล ปีงบประมาณ 2569"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running(tmp_path_factory.mktemp("reminders"), {**TEST_SETTINGS, "WORKLOAD_INSTANCES": "1"}) as started:
        yield Stack(**vars(started))


def remind(stack, day: date) -> str:
    done = subprocess.run([str(VENV_BIN / "flask"), "--app", "workload", "remind", "--today", day.isoformat()],
                          env=stack.env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def delivered(stack) -> int:
    return scalar(stack.database_urls["workload"], "SELECT count(*) FROM outbox_events WHERE delivered_at IS NOT NULL")


def caught(stack) -> list:
    """(envelope recipients, parsed message) of everything the stack's mail server holds."""
    return [(m["rcpt_tos"], message_from_string(m["raw"], policy=policy.default))
            for m in mail.messages(stack.var_dir / "mail")]


def wait_for(check, seconds: float):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.5)


@pytest.fixture(scope="module")
def three_days_before(stack):
    for code in COMPLETE:
        fill_record_over_http(stack.url, stack.bearer(f"d-{code}"), code, CONTACT)
    closes = requests.get(f"{stack.url}/api/workload/rounds/2569", headers=stack.bearer("demo-central"),
                          timeout=10).json()["closes_at"]
    return date.fromisoformat(closes[:10]) - timedelta(days=3)


def test_three_days_before_closing_one_message_per_incomplete_district_none_twice_with_the_relay_killed(
        stack, three_days_before):
    districts = len(geography.districts())
    stack.kill("workload-relay")
    out = remind(stack, three_days_before)
    assert f"countdown to districts: {districts - 2}, to provinces: 1" in out
    total = scalar(stack.database_urls["workload"], "SELECT count(*) FROM outbox_events")
    stack.start("workload-relay")
    wait_for(lambda: delivered(stack) > 0, 60)
    stack.kill("workload-relay")  # in the middle of its batches: what it handed over may not be marked yet
    assert 0 < delivered(stack) < total
    stack.start("workload-relay")
    wait_for(lambda: delivered(stack) == total, 180)
    portal = stack.database_urls["portal"]
    assert scalar(portal, "SELECT count(*) FROM portal_inbox_events") == total
    assert scalar(portal, "SELECT count(*) FROM portal_mail") == total  # one office per event, one message each
    wait_for(lambda: len(list((stack.var_dir / "mail").glob("*.json"))) >= total, 240)
    held = caught(stack)
    ids = Counter(parsed["Message-ID"] for _to, parsed in held)
    assert len(held) == total and max(ids.values()) == 1, (len(held), ids.most_common(3))  # nothing sent twice
    countdown = [(to, parsed) for to, parsed in held if COUNTDOWN in parsed["Subject"]]
    to_districts = [to for to, parsed in countdown if "ยังไม่ครบถ้วน" in parsed["Subject"]]
    # The demo's begun records of the open round Cc their contact person.
    expected = [[f"d-{d.code}@dcc-demo.test", *([demo_contact_email(d.code)] if d.code in OPEN_ROUND_STARTED else [])]
                for d in geography.districts() if d.code not in (*COMPLETE, "8101")]
    assert sorted(to_districts) == sorted([*expected, ["demo-district@dcc-demo.test"]])
    [(to, province)] = [(to, parsed) for to, parsed in countdown if "รอ สถจ. ยืนยันข้อมูล 2 อำเภอ" in parsed["Subject"]]
    assert to == ["p-92@dcc-demo.test"] and "จังหวัดตรัง" in province.get_body(("plain",)).get_content()


def test_a_second_run_on_the_same_day_sends_nothing(stack, three_days_before):
    before = len(caught(stack))
    assert "window opened: 0, countdown to districts: 0, to provinces: 0" in remind(stack, three_days_before)
    time.sleep(3)
    assert len(caught(stack)) == before
