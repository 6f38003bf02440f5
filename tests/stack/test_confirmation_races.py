"""Races through the gateway, with several workload processes: saves against the province's
confirmation, and two confirmations against each other (PostgreSQL in CI)."""
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import create_engine, text

from shared.testing import fill_record_over_http

pytestmark = pytest.mark.stack

YEAR = 2569
CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "044123456", "person_name": "นายทดสอบ แข่งกัน",
           "person_mobile": "0812345678", "person_email": "race@example.org", "responsible_districts": []}




def audit(stack, district):
    engine = create_engine(stack.env.get("WORKLOAD_DATABASE_URL") or f"sqlite:///{stack.var_dir}/workload.sqlite3")
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT a.id, a.action, a.target, a.new_values FROM audit_log a JOIN records r ON r.id = a.record_id "
            "JOIN rounds o ON o.id = r.round_id WHERE r.district_code = :d AND o.fiscal_year = :y ORDER BY a.id"),
            {"d": district, "y": YEAR}).all()
        answers = conn.execute(text(
            "SELECT q.code, n.volume FROM answers n JOIN questions q ON q.id = n.question_id "
            "JOIN records r ON r.id = n.record_id JOIN rounds o ON o.id = r.round_id "
            "WHERE r.district_code = :d AND o.fiscal_year = :y AND q.aspect = 1"), {"d": district, "y": YEAR}).all()
    engine.dispose()
    return rows, dict(answers)


def test_saves_racing_a_confirmation_never_change_a_confirmed_record(stack):
    district, province = stack.bearer("d-3010"), stack.bearer("p-30")
    view = fill_record_over_http(stack.url, district, "3010", CONTACT)
    aspect = view["aspects"][0]
    url = f"{stack.url}/api/workload/rounds/{YEAR}/districts/3010"

    def save(volume):
        # Each save reads the latest version first, as a page would, then saves the whole aspect.
        current = requests.get(url + "/record", headers=district, timeout=10).json()["aspects"][0]
        body = {"version": current["version"], "answers": [
            {"question_id": q["id"], "volume": str(volume), "days": "0", "hours": "1"} for q in aspect["questions"]]}
        return requests.put(url + "/aspects/1", json=body, headers=district, timeout=10).status_code

    def confirm(_):
        return requests.post(url + "/confirmation", headers=province, timeout=10).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        saves = [pool.submit(save, volume) for volume in range(2, 14)]
        confirmation = pool.submit(confirm, None)
        outcomes = [s.result() for s in saves]
    assert confirmation.result() == 200
    assert set(outcomes) <= {200, 409, 423}  # saved, overtaken by another tab, or refused after confirmation

    entries, answers = audit(stack, "3010")
    actions = [action for _id, action, _target, _new in entries]
    assert actions.count("confirm") == 1
    after_confirm = actions[actions.index("confirm") + 1:]
    assert "save_aspect" not in after_confirm  # nothing saved once confirmed
    last_save = [new for _id, action, target, new in entries[:actions.index("confirm")]
                 if action == "save_aspect" and target == "aspect:1"][-1]
    last_save = last_save if isinstance(last_save, dict) else json.loads(last_save)  # SQLite gives text
    assert answers == {code: value["volume"] for code, value in last_save.items()}  # what was confirmed is what is kept


def test_two_confirmations_have_one_effect(stack):
    district, province = stack.bearer("d-3011"), stack.bearer("p-30")
    fill_record_over_http(stack.url, district, "3011", CONTACT)
    url = f"{stack.url}/api/workload/rounds/{YEAR}/districts/3011/confirmation"
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: requests.post(url, headers=province, timeout=10), range(4)))
    assert all(r.status_code == 200 for r in results)
    assert len({r.json()["confirmed_at"] for r in results}) == 1
    entries, _answers = audit(stack, "3011")
    assert [action for _id, action, _t, _n in entries].count("confirm") == 1
