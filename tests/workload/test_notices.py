"""The workload service's events (workload/notices.py) go into its outbox in the change's transaction, and the
relay hands them over with back-off (shared.outbox)."""
from datetime import timedelta

from sqlalchemy import select

from shared.clock import utcnow
from shared.outbox import HandOverFailed
from tests.workload.test_province import confirm, fill_record
from workload.models import db, outbox


def clear_outbox(app):
    with app.app_context():
        db.session.execute(outbox.model.__table__.delete())
        db.session.commit()


def events(app):
    with app.app_context():
        return [(e.event_id, e.kind, e.payload)
                for e in db.session.scalars(select(outbox.model).order_by(outbox.model.id))]


def test_a_return_and_a_confirmation_are_each_one_event_and_a_refused_act_none(app, client, as_user):
    province, district = as_user("province", province="81"), as_user("district", "8107")
    fill_record(client, district, "8107")
    assert [kind for _, kind, _ in events(app)] == ["workload.record_complete"]
    url = "/api/workload/rounds/2569/districts/8107/corrections"
    assert client.post(url, json={"aspects": [2], "reason": ""}, headers=province).status_code == 422
    assert client.post(url, json={"aspects": [2], "reason": "x"},
                       headers=as_user("province", province="30")).status_code == 403
    assert len(events(app)) == 1
    assert client.post(url, json={"aspects": [5, 2], "reason": "ด้าน 2 สูงผิดปกติ"}, headers=province).status_code == 201
    [_complete, (event_id, kind, payload)] = events(app)
    assert kind == "workload.aspects_returned" and event_id.startswith("workload:aspects_returned:")
    assert payload == {"fiscal_year": 2569, "district_code": "8107", "province_code": "81", "aspects": [2, 5],
                       "reason": "ด้าน 2 สูงผิดปกติ", "by": "province-81", "contact_name": "นายทดสอบ ระบบ",
                       "contact_email": "test@example.org"}
    for aspect in (2, 5):  # saved again, so that the record is complete once more
        view = client.get("/api/workload/rounds/2569/districts/8107/record", headers=district).json
        current = next(a for a in view["aspects"] if a["number"] == aspect)
        client.put(f"/api/workload/rounds/2569/districts/8107/aspects/{aspect}", headers=district, json={
            "version": current["version"],
            "answers": [{"question_id": q["id"], "volume": "2", "days": "0", "hours": "1"}
                        for q in current["questions"]]})
    assert confirm(client, province, "8107").status_code == 200
    assert confirm(client, province, "8107").status_code == 200  # confirming again changes nothing
    # Complete once (told once, though saved again after the return), returned, confirmed.
    assert [kind for _, kind, _ in events(app)] == ["workload.record_complete", "workload.aspects_returned",
                                                    "workload.record_confirmed"]


def test_the_province_hears_once_that_a_record_became_complete(app, client, as_user):
    district = as_user("district", "8105")
    clear_outbox(app)
    fill_record(client, district, "8105", skip_aspect=4)
    assert events(app) == []  # one aspect still empty: not complete
    fill_record(client, district, "8105")  # every aspect again, then the contact
    [(event_id, kind, payload)] = events(app)
    assert (event_id, kind) == ("workload:record_complete:2569:8105", "workload.record_complete")
    assert payload == {"fiscal_year": 2569, "district_code": "8105", "province_code": "81"}
    fill_record(client, district, "8105")  # saved again, still complete: the province was told already
    assert len(events(app)) == 1


def test_the_province_hears_when_its_last_district_is_confirmed(app, client, as_user):
    province = as_user("province", province="83")  # ภูเก็ต: three districts
    fill_record(client, as_user("district", "8301"), "8301", responsible=["8302"])  # 8301's office covers 8302
    fill_record(client, as_user("district", "8303"), "8303")
    clear_outbox(app)
    assert confirm(client, province, "8301").status_code == 200
    assert [kind for _, kind, _ in events(app)] == ["workload.record_confirmed"]  # 8303 still waits
    assert confirm(client, province, "8303").status_code == 200
    assert confirm(client, province, "8303").status_code == 200
    found = events(app)
    assert [kind for _, kind, _ in found] == ["workload.record_confirmed"] * 2 + ["workload.province_confirmed"]
    assert found[-1][0] == "workload:province_confirmed:2569:83"
    assert found[-1][2] == {"fiscal_year": 2569, "province_code": "83", "districts": 3}


def test_the_relay_marks_what_the_portal_took_and_waits_longer_after_each_failure(app, monkeypatch):
    monkeypatch.setenv("NOTIFY_RETRY_MAX_SECONDS", "60")
    with app.app_context():
        for n in range(3):
            outbox.emit(db.session, "workload.test", {"n": n}, f"relay-test:{n}")
        db.session.commit()
        pending = outbox.pending()

        def down(_events):
            raise HandOverFailed("portal down")
        assert outbox.relay_once(down) == 0
        row = db.session.scalar(select(outbox.model).where(outbox.model.event_id == "workload:relay-test:0"))
        assert row.attempts == 1 and row.last_error == "portal down" and row.next_attempt_at > utcnow()
        assert outbox.relay_once(lambda batch: {e["event_id"] for e in batch}) == 0  # not due yet
        db.session.execute(outbox.model.__table__.update().values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        assert outbox.relay_once(down) == 0
        row = db.session.get(outbox.model, row.id)
        assert row.attempts == 2 and row.next_attempt_at - utcnow() > timedelta(seconds=3)
        db.session.execute(outbox.model.__table__.update().values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        handed = []
        # The portal took two of them: the third stays pending for the next try.
        taken = outbox.relay_once(lambda batch: handed.extend(batch) or {e["event_id"] for e in batch[:-1]})
        assert taken == pending - 1 and outbox.pending() == 1
        assert [e["payload"] for e in handed][-3:] == [{"n": 0}, {"n": 1}, {"n": 2}]
