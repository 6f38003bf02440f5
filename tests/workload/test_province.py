"""The province's view of its districts and the final confirmation (API and pages)."""
import re

import pytest

from shared import geography
from shared.testing import require_postgresql
from workload import domain

CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "075611234", "person_name": "นายทดสอบ ระบบ",
           "person_mobile": "0812345678", "person_email": "test@example.org"}


def fill_record(client, headers, district, responsible=(), skip_aspect=None, contact=CONTACT):
    view = client.get(f"/api/workload/rounds/2569/districts/{district}/record", headers=headers).json
    for aspect in view["aspects"]:
        if aspect["number"] == skip_aspect:
            continue
        body = {"version": aspect["version"], "answers": [
            {"question_id": q["id"], "volume": "1", "days": "0", "hours": "1"} for q in aspect["questions"]]}
        assert client.put(f"/api/workload/rounds/2569/districts/{district}/aspects/{aspect['number']}",
                          json=body, headers=headers).status_code == 200
    response = client.put(f"/api/workload/rounds/2569/districts/{district}/contact",
                          json={"version": view["contact_version"], **contact,
                                "responsible_districts": list(responsible)},
                          headers=headers)
    assert response.status_code == 200, response.json


def confirm(client, headers, district):
    return client.post(f"/api/workload/rounds/2569/districts/{district}/confirmation", headers=headers)


def test_covering_records_domain():
    covered = domain.covering_records({"8101": ["8101", "8104", "8106"], "8102": ["8102", "8104"]})
    assert covered == {"8104": ["8101", "8102"], "8106": ["8101"]}


def test_province_status_lists_every_district_with_coverage(client, as_user):
    fill_record(client, as_user("district", "8101"), "8101", responsible=["8104", "8106"])
    fill_record(client, as_user("district", "8102"), "8102", responsible=["8104"], skip_aspect=3)
    status = client.get("/api/workload/rounds/2569/provinces/81/status", headers=as_user("province", province="81"))
    assert status.status_code == 200
    rows = {d["code"]: d for d in status.json["districts"]}
    assert list(rows) == [d.code for d in geography.districts("81")]
    assert rows["8101"]["complete"] is True
    assert rows["8102"]["complete"] is False and rows["8102"]["aspects"]["3"] == "empty"
    assert rows["8106"]["covered_by"] == ["8101"]
    assert rows["8104"]["covered_by"] == ["8101", "8102"]  # claimed twice: flagged
    assert status.json["counts"]["complete"] == 1 and status.json["counts"]["claimed_twice"] == 1


def test_a_districts_contact_form_says_which_districts_others_cover_and_nothing_more(client, as_user):
    private = {**CONTACT, "person_name": "นางสาวลับ เฉพาะ", "person_mobile": "0898765432",
               "person_email": "private@example.org"}
    fill_record(client, as_user("district", "8101"), "8101", responsible=["8104", "8106"], contact=private)
    page = client.get("/workload/2569/districts/8102/contact", headers=as_user("district", "8102"))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert re.search(r"คลองท่อม\s*<span class=\"hint\">\(อยู่ในความรับผิดชอบของ\s*เมืองกระบี่ แล้ว\)", text)
    for value in (private["person_name"], private["person_mobile"], private["person_email"]):
        assert value not in text  # 8101's own contact data stays with 8101, its province and central


@pytest.mark.parametrize("role, district, province, code", [
    ("province", None, "30", 403), ("province", None, "81", 200), ("central", None, None, 200),
    ("district", "8101", None, 403),  # its own record, not every district's contact data
    ("ssoadmin", None, "81", 403)])
def test_who_may_read_a_province(client, as_user, role, district, province, code):
    assert client.get("/api/workload/rounds/2569/provinces/81/status",
                      headers=as_user(role, district, province)).status_code == code


def test_confirmation_is_final_and_only_for_the_own_province(client, as_user):
    province = as_user("province", province="81")
    assert confirm(client, province, "8102").json["code"] == "not_complete"  # aspect 3 missing
    assert confirm(client, as_user("province", province="30"), "8101").status_code == 403
    assert confirm(client, as_user("district", "8101"), "8101").status_code == 403
    assert confirm(client, as_user("central"), "8101").status_code == 403
    first = confirm(client, province, "8101")
    assert first.status_code == 200 and first.json["confirmed_at"]
    again = confirm(client, province, "8101")
    assert again.json["confirmed_at"] == first.json["confirmed_at"]  # no second effect
    district = as_user("district", "8101")
    view = client.get("/api/workload/rounds/2569/districts/8101/record", headers=district).json
    assert view["confirmed_at"] == first.json["confirmed_at"] and view["writable"] is False
    body = {"version": view["aspects"][0]["version"], "answers": []}
    refused = client.put("/api/workload/rounds/2569/districts/8101/aspects/1", json=body, headers=district)
    assert refused.status_code == 423 and refused.json["code"] == "confirmed"
    history = client.get("/api/workload/rounds/2569/districts/8101/history", headers=district).json
    assert [h["action"] for h in history].count("confirm") == 1


def test_province_page_and_confirm_dialog(app, tokens):
    client = app.test_client()
    tokens.sign_in(client, "p-81", ["province"], "81", None)
    assert client.get("/workload/").headers["Location"] == "/workload/2569/provinces/81/"
    page = client.get("/workload/2569/provinces/81/").get_data(as_text=True)
    assert "สถานะการบันทึกข้อมูล สถอ. จังหวัดกระบี่" in page
    assert "ยืนยัน " in page  # 8101 was confirmed above
    fill_record(app.test_client(), tokens.bearer("d-8103", ["district"], "81", "8103"), "8103")
    page = client.get("/workload/2569/provinces/81/").get_data(as_text=True)
    assert 'data-open-dialog="confirm-8103"' in page and "ยืนยันการทำรายงาน" in page
    assert client.post("/workload/2569/districts/8103/confirm").status_code == 403  # no CSRF field
    asked = client.post("/workload/2569/districts/8103/confirm", data={"csrf_token": "test-csrf"})  # no confirmed=yes
    assert asked.status_code == 200 and "เมื่อยืนยันแล้วจะแก้ไขไม่ได้อีก" in asked.get_data(as_text=True)
    assert 'data-open-dialog="confirm-8103"' in client.get("/workload/2569/provinces/81/").get_data(as_text=True)
    done = client.post("/workload/2569/districts/8103/confirm", data={"csrf_token": "test-csrf", "confirmed": "yes"})
    assert done.status_code == 302
    assert "ยืนยันข้อมูลของอำเภอเกาะลันตาเรียบร้อยแล้ว" in client.get(done.headers["Location"]).get_data(as_text=True)
    other = app.test_client()
    tokens.sign_in(other, "p-30", ["province"], "30", None)
    assert other.get("/workload/2569/provinces/81/").status_code == 403


def test_the_central_office_sees_the_season_at_a_glance(client, as_user, app, tokens):
    season = client.get("/api/workload/rounds/2569/season", headers=as_user("central"))
    assert season.status_code == 200
    assert len(season.json["provinces"]) == 76 and season.json["nation"]["districts"] == 878
    krabi = next(p for p in season.json["provinces"] if p["code"] == "81")
    assert krabi["districts"] == 8 and krabi["confirmed"] >= 1 and krabi["complete"] >= krabi["confirmed"]
    assert season.json["nation"]["confirmed"] == krabi["confirmed"]
    for role, district, province in (("province", None, "81"), ("district", "8101", None)):
        assert client.get("/api/workload/rounds/2569/season",
                          headers=as_user(role, district, province)).status_code == 403
    page = app.test_client()
    tokens.sign_in(page, "demo-central", ["central"])
    assert page.get("/workload/").headers["Location"] == "/workload/2569/provinces/"
    html = page.get("/workload/2569/provinces/").get_data(as_text=True)
    assert "ภาพรวมการบันทึกข้อมูล ปีงบประมาณ 2569" in html and html.count("data-province=") == 76


def test_return_for_correction_shows_until_the_aspect_is_saved_again(client, as_user, app, tokens):
    province, district = as_user("province", province="81"), as_user("district", "8105")
    fill_record(client, district, "8105")
    url = "/api/workload/rounds/2569/districts/8105/corrections"
    assert client.post(url, json={"aspects": [2, 5], "reason": ""}, headers=province).status_code == 422
    assert client.post(url, json={"aspects": [9], "reason": "x"}, headers=province).status_code == 422
    assert client.post(url, json={"aspects": [2], "reason": "x"},
                       headers=as_user("province", province="30")).status_code == 403
    assert client.post(url, json={"aspects": [2], "reason": "x"}, headers=district).status_code == 403
    before = client.get("/api/workload/rounds/2569/districts/8105/record", headers=district).json
    sent = client.post(url, json={"aspects": [2, 5], "reason": "ปริมาณงานด้าน 2 และ 5 สูงผิดปกติ"}, headers=province)
    assert sent.status_code == 201
    after = client.get("/api/workload/rounds/2569/districts/8105/record", headers=district).json
    assert [c["aspect"] for c in after["corrections"]] == [2, 5]
    assert after["aspects"] == before["aspects"]  # it changes no data
    page = app.test_client()
    tokens.sign_in(page, "d-8105", ["district"], "81", "8105")
    assert "ปริมาณงานด้าน 2 และ 5 สูงผิดปกติ" in page.get("/workload/2569/districts/8105/").get_data(as_text=True)
    aspect = after["aspects"][1]
    body = {"version": aspect["version"], "answers": [
        {"question_id": q["id"], "volume": "2", "days": "0", "hours": "1"} for q in aspect["questions"]]}
    assert client.put("/api/workload/rounds/2569/districts/8105/aspects/2", json=body,
                      headers=district).status_code == 200
    remaining = client.get("/api/workload/rounds/2569/districts/8105/record", headers=district).json["corrections"]
    assert [c["aspect"] for c in remaining] == [5]
    history = client.get("/api/workload/rounds/2569/districts/8105/history", headers=district).json
    assert "return" in [h["action"] for h in history]


def test_implausible_answers_are_flagged_without_blocking_the_save(client, as_user, app, tokens):
    district = as_user("district", "8107")
    view = client.get("/api/workload/rounds/2569/districts/8107/record", headers=district).json
    aspect = view["aspects"][0]
    answers = [{"question_id": q["id"], "volume": "1", "days": "0", "hours": "1"} for q in aspect["questions"]]
    answers[0].update(volume="500", days="5")  # 500 × 5 × 7 h = 17,500 h: more than a working year
    saved = client.put("/api/workload/rounds/2569/districts/8107/aspects/1",
                       json={"version": 0, "answers": answers}, headers=district)
    assert saved.status_code == 200
    after = client.get("/api/workload/rounds/2569/districts/8107/record", headers=district).json["aspects"][0]
    assert after["questions"][0]["flag"] == "over_year" and after["questions"][1]["flag"] is None
    rows = {d["code"]: d for d in client.get("/api/workload/rounds/2569/provinces/81/status",
                                             headers=as_user("province", province="81")).json["districts"]}
    assert rows["8107"]["flagged"] == 1
    page = app.test_client()
    tokens.sign_in(page, "d-8107", ["district"], "81", "8107")
    assert "เกินเวลาทำงานทั้งปี" in page.get("/workload/2569/districts/8107/aspects/1").get_data(as_text=True)


def test_a_jump_from_the_previous_round_is_flagged(client, as_user, app):
    from sqlalchemy import select

    from shared.clock import utcnow
    from workload.models import AnswerRow, Question, Record, Round, db

    with app.app_context():  # the closed round 2568 holds what 8108 reported last year: 1 h for 1.1
        round_2568 = db.session.scalar(select(Round).where(Round.fiscal_year == 2568))
        record = Record(round_id=round_2568.id, district_code="8108", province_code="81", contact_version=0,
                        created_at=utcnow())
        db.session.add(record)
        db.session.flush()
        question = db.session.scalar(select(Question).where(Question.round_id == round_2568.id, Question.code == "1.1"))
        db.session.add(AnswerRow(record_id=record.id, question_id=question.id, volume=1, days=0, hours=1))
        db.session.commit()
    district = as_user("district", "8108")
    aspect = client.get("/api/workload/rounds/2569/districts/8108/record", headers=district).json["aspects"][0]
    answers = [{"question_id": q["id"], "volume": "1", "days": "0", "hours": "1"} for q in aspect["questions"]]
    answers[0].update(volume="40", hours="2")  # 80 h against 1 h last year
    client.put("/api/workload/rounds/2569/districts/8108/aspects/1", json={"version": 0, "answers": answers},
               headers=district)
    after = client.get("/api/workload/rounds/2569/districts/8108/record", headers=district).json["aspects"][0]
    assert after["questions"][0]["code"] == "1.1" and after["questions"][0]["flag"] == "jump"


def test_province_page_sorts_and_its_queries_do_not_grow_with_districts(app, tokens):
    from sqlalchemy import event

    from workload.models import db

    central = app.test_client()
    tokens.sign_in(central, "demo-central", ["central"])
    page = central.get("/workload/2569/provinces/81/?sort=complete").get_data(as_text=True)
    order = re.findall(r'data-district="(\d+)" data-complete="(yes|no)"', page)
    assert [c for _d, c in order] == sorted(c for _d, c in order)  # "no" (still to do) first
    assert "เหลือเวลาอีก" in central.get("/workload/2569/provinces/").get_data(as_text=True)

    def queries_for(path):
        count = 0

        def counter(*_args):
            nonlocal count
            count += 1
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            assert central.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        return count

    krabi, korat = queries_for("/workload/2569/provinces/81/"), queries_for("/workload/2569/provinces/30/")
    assert krabi == korat  # 8 districts or 32: the same statements
    assert queries_for("/workload/2569/provinces/") <= 10  # all 878 districts, yet a handful of statements


def test_once_a_record_is_confirmed_the_round_keeps_what_it_was_confirmed_on(client, as_user):
    """A confirmed record's answers, totals and status are the same after every catalog or round change the
    central office can attempt; what would change them is refused in Thai, rewording is allowed and audited."""
    province, central = as_user("province", province="81"), as_user("central")
    fill_record(client, as_user("district", "8105"), "8105", responsible=["8105"])
    assert confirm(client, province, "8105").status_code == 200
    base = "/api/workload/rounds/2569"

    def snapshot():
        record = client.get(f"{base}/districts/8105/record", headers=central).json
        figures = client.get(f"{base}/evidence?district=8105", headers=central).json
        answers = {q["code"]: q["answer"] for a in record["aspects"] for q in a["questions"]}
        hours = {line["code"]: (line["hours"], line["fte"]) for line in figures.pop("questions")}  # not the wording
        return (answers, [a["status"] for a in record["aspects"]], record["complete"], record["confirmed_at"],
                figures, hours)

    before = snapshot()
    questions = client.get(f"{base}/questions", headers=central).json
    first = questions[0]
    attempts = [
        client.post(f"{base}/questions", headers=central,
                    json={"aspect": 1, "code": "NEW-1", "detail": "ข้อใหม่", "unit": "เรื่อง"}),
        client.patch(f"{base}/questions/{first['id']}", headers=central, json={"retired": True}),
        client.delete(f"{base}/questions/{first['id']}", headers=central),
        client.patch(base, headers=central, json={"hours_per_day": 6.5}),
        client.patch(base, headers=central, json={"days_per_year": 200}),
        client.post(f"{base}/catalog/copy", headers=central, json={"from_year": 2568}),
    ]
    for response in attempts:
        assert response.status_code == 409, response.json
        assert response.json["code"] in {"round_locked", "question_answered", "catalog_not_empty"}
    assert [r.json["code"] for r in attempts[:2] + attempts[3:5]] == ["round_locked"] * 4
    assert "ยืนยันข้อมูลของรอบนี้แล้ว" in attempts[0].json["detail"]
    assert snapshot() == before

    reworded = client.patch(f"{base}/questions/{first['id']}", headers=central,
                            json={"detail": first["detail"] + " (ถ้อยคำปรับปรุง)"})
    assert reworded.status_code == 200
    assert snapshot() == before
    page = client.get("/workload/rounds/", headers=central).get_data(as_text=True)
    changes = page.split('id="round-changes"')[1].split("</table>")[0]
    assert "แก้ไขถ้อยคำข้อคำถาม" in changes and "(ถ้อยคำปรับปรุง)" in changes
    assert "เพิ่มข้อคำถาม" not in changes and "ยกเลิกใช้งานข้อคำถาม" not in changes  # refused: nothing recorded


def test_a_catalog_change_waits_for_a_confirmation_in_progress_and_is_then_refused(app, as_user):
    """The row lock of rounds.hold_catalog: without it, a question added while a confirmation is being written
    would pass its check (no confirmed record yet) and land beside the confirmed record."""
    import threading

    from sqlalchemy import text

    from workload.models import db

    with app.app_context():
        require_postgresql(db.engine, "the row-lock test")
        client = app.test_client()
        fill_record(client, as_user("district", "8107"), "8107", responsible=["8107"])
        holder = db.engine.connect()
        transaction = holder.begin()
        round_id = holder.execute(text("SELECT id FROM rounds WHERE fiscal_year = 2569 FOR SHARE")).scalar()
        holder.execute(text("UPDATE records SET confirmed_at = now(), confirmed_by = 'p-81' "
                            "WHERE round_id = :r AND district_code = '8107'"), {"r": round_id})
    outcome = {}
    adding = threading.Thread(target=lambda: outcome.update(response=app.test_client().post(
        "/api/workload/rounds/2569/questions", headers=as_user("central"),
        json={"aspect": 1, "code": "RACE-1", "detail": "ข้อที่เพิ่มระหว่างยืนยัน", "unit": "เรื่อง"})))
    adding.start()
    adding.join(timeout=1)
    assert adding.is_alive(), "the catalog change did not wait for the confirmation in progress"
    transaction.commit()
    holder.close()
    adding.join(timeout=10)
    assert outcome["response"].status_code == 409 and outcome["response"].json["code"] == "round_locked"
