"""What the cockpit asks the portal (portal.deliveries): the e-mail of a set of events with its delivery status,
and a notice's wording before it is sent; only a service may ask."""
from sqlalchemy import update

from portal.models import MailMessage, db
from tests.portal.test_notifications import hand_over

WINDOW = {"fiscal_year": 2569, "opens_at": "2026-10-01T08:30:00+07:00", "closes_at": "2026-12-31T16:30:00+07:00"}


def countdown(event_id: str, district: str = "8101") -> dict:
    return {"event_id": event_id, "kind": "workload.countdown_district", "created_at": "2026-12-17T00:00:00Z",
            "payload": {**WINDOW, "district_code": district, "province_code": district[:2], "days_left": 14,
                        "contact_name": None, "contact_email": "contact@example.org"}}


def test_the_mail_of_the_events_named_by_a_prefix_with_its_status_and_the_servers_answer(app, client, service):
    hand_over(client, service, countdown("workload:countdown:2569:14:district:8101"),
              countdown("workload:nudge:2569:abc:district:8101"), countdown("workload:countdown:2568:14:district:8101"))
    with app.app_context():
        db.session.execute(update(MailMessage).where(MailMessage.event_id.like("workload:nudge:%"))
                           .values(status="failed", last_error="550 mailbox unavailable", attempts=1))
        db.session.commit()
    answer = client.get("/internal/deliveries?prefix=workload:countdown:2569:&prefix=workload:nudge:2569:",
                        headers=service)
    assert answer.status_code == 200
    body = answer.json
    assert body["total"] == 2 and body["counts"] == {"pending": 1, "sent": 0, "retrying": 0, "failed": 1}
    failed = next(item for item in body["items"] if item["status"] == "failed")
    assert failed["last_error"] == "550 mailbox unavailable" and failed["recipient"] == "district:8101"
    assert failed["to"] == ["district-user@dcc-demo.test"] and failed["cc"] == ["contact@example.org"]
    assert failed["kind"] == "workload.countdown_district" and failed["subject"].startswith("อีก 14 วันปิดระบบ")
    only = client.get("/internal/deliveries?prefix=workload:nudge:2569:&status=failed", headers=service).json
    assert [item["event_id"] for item in only["items"]] == ["workload:nudge:2569:abc:district:8101"]
    # A prefix is a prefix, not a pattern.
    assert client.get("/internal/deliveries?prefix=workload:%", headers=service).json["total"] == 0


def test_bad_questions_are_refused(client, service):
    for query in ("", "?prefix=x&status=lost", "?prefix=x&limit=0", "?prefix=x&limit=9999",
                  "?" + "&".join(f"prefix=p{n}" for n in range(11))):
        assert client.get("/internal/deliveries" + query, headers=service).status_code == 400, query


def test_a_notice_reads_before_it_is_sent_and_nothing_is_kept(app, client, service):
    event = countdown("unused")
    answer = client.post("/internal/notices/preview", json={"kind": event["kind"], "payload": event["payload"]},
                         headers=service)
    assert answer.status_code == 200
    assert answer.json["title"] == "อีก 14 วันปิดระบบบันทึกข้อมูล ปีงบประมาณ 2569: บันทึกข้อมูลยังไม่ครบถ้วน"
    assert answer.json["office"] == ["district", "8101"] and "ยังไม่ครบถ้วน" in answer.json["text"]
    assert client.post("/internal/notices/preview", json={"kind": "x.y", "payload": {}},
                       headers=service).status_code == 422
    assert client.get("/internal/deliveries?prefix=unused", headers=service).json["total"] == 0


def test_only_a_service_may_ask(client, as_user):
    assert client.get("/internal/deliveries?prefix=workload:", headers=as_user("central")).status_code == 404
    assert client.post("/internal/notices/preview", json={"kind": "workload.countdown_district", "payload": {}},
                       headers=as_user("central")).status_code == 404
