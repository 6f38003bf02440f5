"""The workload API with Flask's test client against a real database: every endpoint, every refusal.

On PostgreSQL every test here runs twice, once per save path (its set-based statements, and the portable
one SQLite takes), each on a fresh database; on SQLite once, on the portable path."""
import pytest
from sqlalchemy import event

from shared.auth import Identity
from shared.testing import postgres_admin_url
from workload import read_models, rounds, saving
from workload.domain import ValidationFailed, WorkloadError
from workload.models import db

SAVE_PATHS = {"postgresql": saving.save_aspect_postgresql, "portable": saving.save_aspect_portable}


@pytest.fixture(scope="module", params=["postgresql", "portable"] if postgres_admin_url() else ["portable"])
def save_path(request):
    return request.param


@pytest.fixture(scope="module")
def app(fresh_app, save_path):
    with fresh_app() as app:
        yield app


@pytest.fixture(autouse=True)
def saved_through(app, save_path, monkeypatch):
    """The statements that wrote aspect versions during the test; afterwards, every one of them must have
    come from the path under test (the PostgreSQL path bumps the version inside its one statement,
    `WITH existing AS`)."""
    monkeypatch.setattr(saving, "save_path", lambda _dialect: SAVE_PATHS[save_path])
    seen = []

    def spy(_conn, _cursor, statement, *_args):
        if "aspect_saves" in statement and not statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", spy)
    yield seen
    event.remove(engine, "before_cursor_execute", spy)
    ctes = [statement.lstrip().startswith("WITH existing AS") for statement in seen]
    assert all(ctes) if save_path == "postgresql" else not any(ctes), f"not the {save_path} path: {seen}"


def test_the_save_path_under_test_is_the_one_taken(client, as_user, save_path, saved_through):
    headers = as_user("district", "8501")
    view = record(client, headers, "8501").json
    assert save_aspect(client, headers, "8501", 2, aspect_payload(view, 2)).json == {"version": 1}
    assert saved_through, "no statement wrote an aspect's version"
    assert saved_through[0].lstrip().startswith("WITH existing AS") == (save_path == "postgresql")


def record(client, headers, district="8101", year=2569):
    return client.get(f"/api/workload/rounds/{year}/districts/{district}/record", headers=headers)


def aspect_payload(view, number, fill=("1", "2", "3.5"), version=None):
    aspect = view["aspects"][number - 1]
    return {"version": aspect["version"] if version is None else version,
            "answers": [{"question_id": q["id"], "volume": fill[0], "days": fill[1], "hours": fill[2]}
                        for q in aspect["questions"]]}


def save_aspect(client, headers, district, number, payload, year=2569):
    return client.put(f"/api/workload/rounds/{year}/districts/{district}/aspects/{number}", json=payload,
                      headers=headers)


CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "075611234", "person_name": "นายทดสอบ ระบบ",
           "person_mobile": "0812345678", "person_email": "test@example.org", "responsible_districts": ["8106"]}


def test_a_district_reads_its_empty_record_of_the_open_round(client, as_user):
    response = record(client, as_user("district", "8101"))
    assert response.status_code == 200
    body = response.json
    assert body["district"] == {"code": "8101", "name": "เมืองกระบี่"}
    assert body["writable"] is True and body["complete"] is False and body["contact"] is None
    assert [a["status"] for a in body["aspects"]] == ["empty"] * 8
    assert 6 <= len(body["aspects"][0]["questions"]) <= 12


@pytest.mark.parametrize("role, district, province, status", [
    ("district", "8102", None, 403),  # another district of the same province
    ("district", "3001", None, 403),  # another province
    ("province", None, "30", 403),  # a province user of another province
    ("province", None, "81", 200),
    ("ssoadmin", None, "81", 403),  # manages accounts, reads no record
    ("central", None, None, 200),
])
def test_who_may_read_a_record(client, as_user, role, district, province, status):
    assert record(client, as_user(role, district, province), "8101").status_code == status


def test_unknown_district_and_round(client, as_user):
    assert record(client, as_user("central"), "1001").status_code == 404  # Bangkok is not served
    missing = record(client, as_user("central"), "8101", year=2500)
    assert missing.status_code == 404 and missing.json["code"] == "no_round"


def test_no_token_no_record(client):
    assert record(client, {}).status_code == 401


def test_saving_an_aspect_and_reading_it_back(client, as_user):
    headers = as_user("district", "8102")
    view = record(client, headers, "8102").json
    response = save_aspect(client, headers, "8102", 3, aspect_payload(view, 3))
    assert response.status_code == 200 and response.json == {"version": 1}
    after = record(client, headers, "8102").json["aspects"][2]
    assert after["status"] == "complete" and after["version"] == 1
    assert after["questions"][0]["answer"] == {"volume": 1, "days": 2, "hours": 3.5}


def test_partial_answers_make_an_incomplete_aspect_and_blank_clears(client, as_user):
    headers = as_user("district", "8103")
    view = record(client, headers, "8103").json
    payload = aspect_payload(view, 1)
    payload["answers"] = payload["answers"][:2]
    assert save_aspect(client, headers, "8103", 1, payload).status_code == 200
    assert record(client, headers, "8103").json["aspects"][0]["status"] == "incomplete"
    cleared = {"version": 1, "answers": [{"question_id": a["question_id"], "volume": None, "days": None,
                                          "hours": None} for a in payload["answers"]]}
    assert save_aspect(client, headers, "8103", 1, cleared).status_code == 200
    assert record(client, headers, "8103").json["aspects"][0]["status"] == "empty"


@pytest.mark.parametrize("fill, field, message", [
    (("x", "1", "1"), "volume", "จำนวนเต็ม"),
    (("1", "-2", "1"), "days", "จำนวนเต็ม"),
    (("1", "1", "24"), "hours", "น้อยกว่า 24"),
    (("1", "1", "0.3"), "hours", "ครึ่งชั่วโมง"),
    (("1", "", "1"), "days", "ครบทั้ง 3 ช่อง"),
    (("999999", "1", "1"), "volume", "มากผิดปกติ"),
])
def test_each_invalid_field_is_named_and_nothing_is_saved(client, as_user, fill, field, message):
    headers = as_user("district", "8104")
    view = record(client, headers, "8104").json
    payload = aspect_payload(view, 2)
    first = payload["answers"][0]
    first.update(dict(zip(("volume", "days", "hours"), fill)))
    response = save_aspect(client, headers, "8104", 2, payload)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert message in response.json["errors"][f"{first['question_id']}.{field}"]
    assert record(client, headers, "8104").json["aspects"][1]["status"] == "empty"


def test_a_stale_version_is_refused_with_the_current_data(client, as_user):
    headers = as_user("district", "8105")
    view = record(client, headers, "8105").json
    assert save_aspect(client, headers, "8105", 4, aspect_payload(view, 4)).status_code == 200
    second_tab = aspect_payload(view, 4, fill=("9", "9", "9"))  # still version 0
    response = save_aspect(client, headers, "8105", 4, second_tab)
    assert response.status_code == 409 and response.json["code"] == "stale"
    assert response.json["current"]["version"] == 1
    assert response.json["current"]["questions"][0]["answer"]["volume"] == 1
    assert record(client, headers, "8105").json["aspects"][3]["questions"][0]["answer"]["volume"] == 1


@pytest.mark.parametrize("role, district, province", [
    ("district", "8102", None), ("province", None, "81"), ("central", None, None), ("ssoadmin", None, "81")])
def test_only_the_district_itself_writes(client, as_user, role, district, province):
    view = record(client, as_user("central"), "8107").json
    response = save_aspect(client, as_user(role, district, province), "8107", 1, aspect_payload(view, 1))
    assert response.status_code == 403
    contact = client.put("/api/workload/rounds/2569/districts/8107/contact", json={"version": 0, **CONTACT},
                         headers=as_user(role, district, province))
    assert contact.status_code == 403
    row = client.post("/api/workload/rounds/2569/districts/8107/custom-rows",
                      json={"detail": "x", "unit": "ครั้ง", "volume": 1, "days": 1, "hours": 1},
                      headers=as_user(role, district, province))
    assert row.status_code == 403


def test_closed_round_is_read_only(client, as_user):
    headers = as_user("district", "8101")
    view = record(client, headers, "8101", year=2568).json
    assert view["writable"] is False
    response = save_aspect(client, headers, "8101", 1, aspect_payload(view, 1), year=2568)
    assert response.status_code == 423 and response.json["code"] == "window_closed"
    contact = client.put("/api/workload/rounds/2568/districts/8101/contact", json={"version": 0, **CONTACT},
                         headers=headers)
    assert contact.status_code == 423


def test_unknown_question_and_aspect(client, as_user):
    headers = as_user("district", "8108")
    bad = {"version": 0, "answers": [{"question_id": 999999, "volume": 1, "days": 1, "hours": 1}]}
    assert save_aspect(client, headers, "8108", 1, bad).status_code == 422
    assert save_aspect(client, headers, "8108", 9, {"version": 0, "answers": []}).status_code == 404
    assert save_aspect(client, headers, "8108", 1, {"answers": []}).status_code == 422  # no version


def test_contact_data_saved_validated_and_versioned(client, as_user):
    headers = as_user("district", "8106")
    url = "/api/workload/rounds/2569/districts/8106/contact"
    bad = client.put(url, json={"version": 0, **CONTACT, "person_mobile": "12", "person_email": "x"}, headers=headers)
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"person_mobile", "person_email"}
    outside = client.put(url, json={"version": 0, **CONTACT, "responsible_districts": ["3001"]}, headers=headers)
    assert outside.status_code == 422
    assert client.put(url, json={"version": 0, **CONTACT}, headers=headers).json == {"version": 1}
    contact = record(client, headers, "8106").json["contact"]
    assert contact["responsible_districts"] == ["8106"]
    assert client.put(url, json={"version": 0, **CONTACT}, headers=headers).status_code == 409


def test_custom_rows_add_edit_delete(client, as_user):
    headers = as_user("district", "8102")
    base = "/api/workload/rounds/2569/districts/8102/custom-rows"
    row = {"detail": "ประสานงานงานกาชาดจังหวัด", "unit": "ครั้ง", "volume": "4", "days": "1", "hours": "2"}
    created = client.post(base, json=row, headers=headers)
    assert created.status_code == 201
    row_id = created.json["id"]
    invalid = client.post(base, json={**row, "detail": "", "hours": "30"}, headers=headers)
    assert invalid.status_code == 422 and set(invalid.json["errors"]) == {"detail", "hours"}
    assert client.put(f"{base}/{row_id}", json={**row, "volume": "5"}, headers=headers).status_code == 200
    assert record(client, headers, "8102").json["custom_rows"][0]["volume"] == 5
    other = client.delete(f"{base}/{row_id}", headers=as_user("district", "8103"))
    assert other.status_code == 403
    wrong_record = client.delete(f"/api/workload/rounds/2569/districts/8103/custom-rows/{row_id}",
                                 headers=as_user("district", "8103"))
    assert wrong_record.status_code == 404
    assert client.delete(f"{base}/{row_id}", headers=headers).status_code == 204
    assert record(client, headers, "8102").json["custom_rows"] == []


def test_complete_record_after_all_aspects_and_contact(client, as_user):
    headers = as_user("district", "8401")
    view = record(client, headers, "8401").json
    for number in range(1, 9):
        assert save_aspect(client, headers, "8401", number,
                           aspect_payload(view, number, ("0", "0", "0"))).status_code == 200
    assert record(client, headers, "8401").json["complete"] is False  # contact still missing
    client.put("/api/workload/rounds/2569/districts/8401/contact",
               json={"version": 0, **CONTACT, "responsible_districts": []}, headers=headers)
    assert record(client, headers, "8401").json["complete"] is True


def test_history_records_who_and_what(client, as_user):
    headers = as_user("district", "8402")
    view = record(client, headers, "8402").json
    save_aspect(client, headers, "8402", 5, aspect_payload(view, 5))
    save_aspect(client, headers, "8402", 5, aspect_payload(view, 5, ("2", "2", "2"), version=1))
    history = client.get("/api/workload/rounds/2569/districts/8402/history", headers=headers).json
    assert [h["action"] for h in history] == ["save_aspect", "save_aspect"]
    latest = history[0]
    code = view["aspects"][4]["questions"][0]["code"]
    assert latest["actor"] == "district-8402" and latest["target"] == "aspect:5"
    assert latest["old_values"][code] == {"volume": 1, "days": 2, "hours": 3.5}
    assert latest["new_values"][code] == {"volume": 2, "days": 2, "hours": 2.0}
    assert client.get("/api/workload/rounds/2569/districts/8402/history",
                      headers=as_user("district", "8401")).status_code == 403
    assert client.get("/api/workload/rounds/2569/districts/8402/history",
                      headers=as_user("province", province="84")).status_code == 200


# --- The central office's rounds and catalog ------------------------------------------------------

def test_only_central_manages_rounds(client, as_user):
    body = {"fiscal_year": 2570, "opens_at": "2026-10-01T08:30:00", "closes_at": "2027-01-31T16:30:00+07:00"}
    for role, province in (("district", "81"), ("province", "81"), ("ssoadmin", "81")):
        headers = as_user(role, "8101" if role == "district" else None, province)
        assert client.post("/api/workload/rounds", json=body, headers=headers).status_code == 403
        assert client.patch("/api/workload/rounds/2569", json={"action": "close_now"},
                            headers=headers).status_code == 403
    created = client.post("/api/workload/rounds", json={**body, "copy_catalog_from": 2569}, headers=as_user("central"))
    assert created.status_code == 201
    assert created.json["opens_at"] == "2026-10-01T08:30:00+07:00"
    assert created.json["hours_per_day"] == 7.0 and created.json["days_per_year"] == 230
    assert len(client.get("/api/workload/rounds/2570/questions", headers=as_user("central")).json) == 71
    again = client.post("/api/workload/rounds", json=body, headers=as_user("central"))
    assert again.status_code == 409
    backwards = client.post("/api/workload/rounds", json={**body, "fiscal_year": 2571,
                                                          "closes_at": "2026-09-01T00:00:00"},
                            headers=as_user("central"))
    assert backwards.status_code == 422


def test_central_closes_and_reopens_a_window(client, as_user, app):
    central = as_user("central")
    closed = client.patch("/api/workload/rounds/2570", json={"action": "close_now"}, headers=central)
    assert closed.status_code == 200 and closed.json["is_open"] is False
    refused = client.patch("/api/workload/rounds/2570", json={"action": "open_now"}, headers=central)
    assert refused.status_code == 422  # its closing date has passed: set a new one first
    reopened = client.patch("/api/workload/rounds/2570", json={"closes_at": "2099-01-01T00:00:00+07:00",
                                                               "action": "open_now"}, headers=central)
    assert reopened.json["is_open"] is True


def test_the_rounds_api_takes_the_be_dates_the_pages_show_and_refuses_a_malformed_one(client, as_user):
    central = as_user("central")
    before = client.get("/api/workload/rounds/2570", headers=central).json
    for typed in ("31/12/2642", "32/12/2642 08:30", "31/12/2642 25:00", "๓๑/๑๒/๒๖๔๒ ๐๘:๓๐ น.x"):
        refused = client.patch("/api/workload/rounds/2570", json={"closes_at": typed}, headers=central)
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json", typed
        assert "1/12/2569 09:00" in refused.get_data(as_text=True)  # the message shows the form it takes
    assert client.get("/api/workload/rounds/2570", headers=central).json == before
    changed = client.patch("/api/workload/rounds/2570", json={"closes_at": "๓๑/๑๒/๒๖๔๒ ๐๘:๓๐"}, headers=central)
    assert changed.status_code == 200 and changed.json["closes_at"] == "2099-12-31T08:30:00+07:00"
    iso = client.patch("/api/workload/rounds/2570", json={"closes_at": "2099-01-01T00:00:00+07:00"}, headers=central)
    assert iso.status_code == 200 and iso.json["closes_at"] == "2099-01-01T00:00:00+07:00"


def test_catalog_editing_and_the_retire_rule(client, as_user, app):
    central = as_user("central")
    base = "/api/workload/rounds/2569/questions"
    added = client.post(base, json={"aspect": 8, "code": "8.99", "detail": "ทดสอบเพิ่มข้อคำถาม", "unit": "ครั้ง"},
                        headers=central)
    assert added.status_code == 201
    assert client.post(base, json={"aspect": 8, "code": "8.99", "detail": "ซ้ำ", "unit": "ครั้ง"},
                       headers=central).status_code == 409
    assert client.post(base, json={"aspect": 8, "code": "8.98", "detail": "x", "unit": "ครั้ง"},
                       headers=as_user("province", province="81")).status_code == 403
    qid = added.json["id"]
    reworded = client.patch(f"{base}/{qid}", json={"detail": "ทดสอบแก้ไขถ้อยคำ"}, headers=central)
    assert reworded.json["detail"] == "ทดสอบแก้ไขถ้อยคำ"
    # A district answers it: from then on it can only be retired.
    headers = as_user("district", "8403")
    view = record(client, headers, "8403").json
    assert save_aspect(client, headers, "8403", 8, aspect_payload(view, 8)).status_code == 200
    refused = client.delete(f"{base}/{qid}", headers=central)
    assert refused.status_code == 409 and refused.json["code"] == "question_answered"
    assert client.patch(f"{base}/{qid}", json={"retired": True}, headers=central).json["retired"] is True
    after = record(client, headers, "8403").json["aspects"][7]
    assert qid not in [q["id"] for q in after["questions"]] and after["status"] == "complete"
    with app.app_context():
        assert rounds.has_answers(qid)  # the answer is kept
    unanswered = client.post(base, json={"aspect": 1, "code": "1.99", "detail": "ลบได้", "unit": "เรื่อง"},
                             headers=central).json["id"]
    assert client.delete(f"{base}/{unanswered}", headers=central).status_code == 204


def test_copy_catalog_only_into_an_empty_round(client, as_user):
    central = as_user("central")
    refused = client.post("/api/workload/rounds/2569/catalog/copy", json={"from_year": 2568}, headers=central)
    assert refused.status_code == 409 and refused.json["code"] == "catalog_not_empty"


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/api/workload/openapi.json").json["paths"]
    assert "/api/workload/rounds/{year}/districts/{district}/aspects/{aspect}" in paths


def test_central_sets_the_plausibility_factor_and_floor_and_bad_values_change_nothing(client, as_user, app):
    central = as_user("central")
    before = client.get("/api/workload/rounds/2568", headers=central).json
    assert (before["plausibility_factor"], before["plausibility_floor"]) == (10.0, 40.0)
    for body in ({"plausibility_factor": 0}, {"plausibility_factor": -2}, {"plausibility_floor": "สี่สิบ"},
                 {"plausibility_floor": 0, "plausibility_factor": 12}, {"plausibility_factor": None}):
        refused = client.patch("/api/workload/rounds/2568", json=body, headers=central)
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json", body
    assert client.get("/api/workload/rounds/2568", headers=central).json == before  # nothing changed
    assert client.patch("/api/workload/rounds/2568", json={"plausibility_factor": 12},
                        headers=as_user("province", province="81")).status_code == 403
    changed = client.patch("/api/workload/rounds/2568", json={"plausibility_factor": 12, "plausibility_floor": 60.5},
                           headers=central)
    assert changed.status_code == 200
    assert (changed.json["plausibility_factor"], changed.json["plausibility_floor"]) == (12.0, 60.5)
    with app.app_context():
        round_ = rounds.get_round(2568)
        assert (round_.plausibility_factor, round_.plausibility_floor) == (12.0, 60.5)
        latest, _year = rounds.changes(limit=1)[0]
        assert latest.action == "plausibility" and latest.new_values == {"plausibility_factor": 12.0,
                                                                           "plausibility_floor": 60.5}
    client.patch("/api/workload/rounds/2568", json={"plausibility_factor": 10, "plausibility_floor": 40},
                 headers=central)
    schema = client.get("/api/workload/openapi.json").json["components"]["schemas"]
    update = schema["RoundUpdate"]["properties"]
    for name in ("plausibility_factor", "plausibility_floor"):
        assert update[name]["minimum"] == 0 and update[name]["exclusiveMinimum"] is True
    assert {"plausibility_factor", "plausibility_floor"} <= set(schema["RoundOut"]["required"])


def test_the_history_names_the_person_and_old_entries_their_username(client, tokens, app):
    headers = tokens.bearer("d-8406", ["district"], "84", "8406", name="นางสาวสมใจ ใจดี")
    view = record(client, headers, "8406").json
    assert save_aspect(client, headers, "8406", 2, aspect_payload(view, 2)).status_code == 200
    contact = {"version": 0, **CONTACT, "responsible_districts": []}
    assert client.put("/api/workload/rounds/2569/districts/8406/contact", json=contact,
                      headers=headers).status_code == 200
    history = client.get("/api/workload/rounds/2569/districts/8406/history", headers=headers).json
    assert [(h["actor"], h["actor_name"]) for h in history] == [("d-8406", "นางสาวสมใจ ใจดี")] * 2
    with app.app_context():
        from workload.models import AuditEntry
        db.session.execute(AuditEntry.__table__.update().values(actor_name=None))  # as rows before 0009
        db.session.commit()
    history = client.get("/api/workload/rounds/2569/districts/8406/history", headers=headers).json
    assert [h["actor_name"] for h in history] == ["d-8406"] * 2


def test_a_confirmed_record_refuses_every_write(client, as_user, app):
    """Part 2's confirmation is final; the save paths already honour it."""
    from sqlalchemy import update

    from shared.clock import utcnow
    from workload.models import Record, db

    headers = as_user("district", "8404")
    view = record(client, headers, "8404").json
    assert save_aspect(client, headers, "8404", 1, aspect_payload(view, 1)).status_code == 200
    with app.app_context():
        db.session.execute(update(Record).where(Record.district_code == "8404").values(confirmed_at=utcnow()))
        db.session.commit()
    refused = save_aspect(client, headers, "8404", 1, aspect_payload(view, 1, version=1))
    assert refused.status_code == 423 and refused.json["code"] == "confirmed"
    contact = client.put("/api/workload/rounds/2569/districts/8404/contact",
                         json={"version": 0, **CONTACT, "responsible_districts": []},
                         headers=headers)
    assert contact.status_code == 423
    assert record(client, headers, "8404").json["aspects"][0]["version"] == 1


def test_a_made_up_version_is_refused_even_on_the_first_save(client, as_user):
    headers = as_user("district", "8405")
    view = record(client, headers, "8405").json
    refused = save_aspect(client, headers, "8405", 1, aspect_payload(view, 1, version=7))
    assert refused.status_code == 409 and refused.json["code"] == "stale"
    assert save_aspect(client, headers, "8405", 1, aspect_payload(view, 1)).json == {"version": 1}


def test_a_made_up_version_writes_nothing_on_an_aspects_first_save_of_an_existing_record(client, as_user):
    """The record exists (another aspect saved): the aspect's first save from a version other than 0 is
    stale and writes nothing, on both save paths."""
    headers = as_user("district", "8407")
    view = record(client, headers, "8407").json
    assert save_aspect(client, headers, "8407", 2, aspect_payload(view, 2)).status_code == 200
    refused = save_aspect(client, headers, "8407", 1, aspect_payload(view, 1, version=7))
    assert refused.status_code == 409 and refused.json["code"] == "stale"
    after = record(client, headers, "8407").json["aspects"][0]
    assert after["version"] == 0 and all(q["answer"] is None for q in after["questions"])
    assert save_aspect(client, headers, "8407", 1, aspect_payload(view, 1)).json == {"version": 1}


def test_duplicate_or_too_many_answers_are_refused(client, as_user):
    headers = as_user("district", "8406")
    view = record(client, headers, "8406").json
    payload = aspect_payload(view, 1)
    payload["answers"].append(dict(payload["answers"][0], volume="99"))
    duplicate = save_aspect(client, headers, "8406", 1, payload)
    assert duplicate.status_code == 422 and "answers" in duplicate.json["errors"]
    flood = {"version": 0, "answers": [{"question_id": i, "volume": 1, "days": 1, "hours": 1} for i in range(201)]}
    assert save_aspect(client, headers, "8406", 1, flood).status_code == 422
    huge = client.put("/api/workload/rounds/2569/districts/8406/aspects/1", data="x" * (2 * 1024 * 1024),
                      headers={**headers, "Content-Type": "application/json"})
    assert huge.status_code == 413


def test_a_refused_user_hears_403_whatever_body_it_sent(client, as_user):
    """Who sends it is asked before the body is read: the wrong district learns nothing of the schema."""
    base = "/api/workload/rounds/2569/districts/8101"
    for method, path in (("put", "/aspects/1"), ("put", "/contact"), ("post", "/custom-rows"),
                         ("put", "/custom-rows/1"), ("post", "/corrections")):
        response = getattr(client, method)(base + path, json=["not", "an", "object"],
                                           headers=as_user("district", "8102"))
        assert response.status_code == 403 and response.json["code"] == "forbidden", (path, response.json)
        assert "errors" not in response.json


# --- Several aspects in one transaction (saving.save_aspects, for the Excel import) --------------------------

def district_user(code: str) -> Identity:
    return Identity(username=f"district-{code}", name=f"district-{code}", roles=frozenset({"district"}),
                    province_code=code[:2], district_code=code, session_id="test", csrf="", via="bearer")


def typed_answers(app, code: str, number: int, fill=("1", "2", "3.5")) -> dict[int, tuple]:
    with app.app_context():
        view = read_models.record_view(rounds.get_round(2569), code)
        return {q.id: fill for q in view.aspects[number].questions}


def test_several_aspects_are_saved_at_once_each_with_its_version_and_history(app, client, as_user):
    changes = {1: (0, typed_answers(app, "8502", 1)), 3: (0, typed_answers(app, "8502", 3))}
    with app.app_context():
        assert saving.save_aspects(district_user("8502"), 2569, "8502", changes) == {1: 1, 3: 1}
    headers = as_user("district", "8502")
    body = record(client, headers, "8502").json
    assert [(a["status"], a["version"]) for a in body["aspects"][:3]] == [
        ("complete", 1), ("empty", 0), ("complete", 1)]
    assert body["aspects"][2]["questions"][0]["answer"] == {"volume": 1, "days": 2, "hours": 3.5}
    history = client.get("/api/workload/rounds/2569/districts/8502/history", headers=headers).json
    assert sorted(h["target"] for h in history) == ["aspect:1", "aspect:3"]


def test_a_conflict_on_the_second_aspect_leaves_the_first_unchanged(app, client, as_user):
    headers = as_user("district", "8503")
    view = record(client, headers, "8503").json
    assert save_aspect(client, headers, "8503", 2, aspect_payload(view, 2)).status_code == 200  # now version 1
    changes = {1: (0, typed_answers(app, "8503", 1, ("9", "9", "9"))),
               2: (0, typed_answers(app, "8503", 2, ("9", "9", "9")))}  # aspect 2 read at version 0: stale
    with app.app_context(), pytest.raises(WorkloadError) as refused:
        saving.save_aspects(district_user("8503"), 2569, "8503", changes)
    assert refused.value.code == "stale" and refused.value.details == {"aspect": 2}
    body = record(client, headers, "8503").json
    assert (body["aspects"][0]["status"], body["aspects"][0]["version"]) == ("empty", 0)  # aspect 1 not saved
    assert body["aspects"][1]["version"] == 1 and body["aspects"][1]["questions"][0]["answer"]["volume"] == 1
    history = client.get("/api/workload/rounds/2569/districts/8503/history", headers=headers).json
    assert [h["target"] for h in history] == ["aspect:2"]


def test_an_invalid_answer_in_one_aspect_refuses_them_all(app, client, as_user):
    bad = typed_answers(app, "8504", 4)
    first = next(iter(bad))
    bad[first] = ("1", "400", "0")  # more days than a year has
    changes = {3: (0, typed_answers(app, "8504", 3)), 4: (0, bad)}
    with app.app_context(), pytest.raises(ValidationFailed) as refused:
        saving.save_aspects(district_user("8504"), 2569, "8504", changes)
    assert refused.value.errors == {f"{first}.days": "too_large"}
    body = record(client, as_user("district", "8504"), "8504").json
    assert [a["version"] for a in body["aspects"]] == [0] * 8


def test_saving_several_aspects_is_refused_to_anyone_but_the_district_and_once_confirmed(app):
    changes = {1: (0, typed_answers(app, "8505", 1))}
    with app.app_context():
        with pytest.raises(WorkloadError) as refused:
            saving.save_aspects(district_user("8506"), 2569, "8505", changes)
        assert refused.value.code == "forbidden"
        with pytest.raises(WorkloadError) as closed:
            saving.save_aspects(district_user("8505"), 2568, "8505", {1: (0, {})})
        assert closed.value.code == "window_closed"
