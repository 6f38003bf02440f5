"""The cockpit's API and pages (workload.cockpit_api, cockpit_views): central office only (a district and a
province are refused with a problem document), the schedule, the per-day counts from the records' history,
ส่งแจ้งเตือนตอนนี้ through the outbox once per key, and the portal's delivery list (a Thai note when it is away)."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from shared.thai import to_bangkok, today
from tests.workload.test_province import confirm, fill_record
from workload import rounds
from workload.models import RoundChange, db, outbox
from workload.portal_client import Deliveries, NoticeText

BASE = "/api/workload/rounds/2569/cockpit"
KEY = "test-key-0123456789abcdef"


class FakePortal:
    """What the portal's internal endpoints answer (tests/portal/test_deliveries.py tests the real ones)."""

    def __init__(self):
        self.asked = []

    def deliveries(self, prefixes, status=None, limit=100):
        self.asked.append(prefixes)
        return Deliveries({"pending": 0, "sent": 1, "retrying": 0, "failed": 1}, 2, [
            {"event_id": "workload:nudge:2569:k:district:8103", "kind": "workload.countdown_district",
             "recipient": "district:8103", "to": ["d-8103@dcc-demo.test"], "cc": [], "subject": "อีก 60 วัน",
             "status": "failed", "attempts": 3, "last_error": "550 5.1.1 mailbox unavailable",
             "created_at": "2026-12-03T09:00:00+07:00", "sent_at": None, "next_attempt_at": None},
            {"event_id": "workload:countdown:2569:14:province:81", "kind": "workload.countdown_province",
             "recipient": "province:81", "to": ["p-81@dcc-demo.test"], "cc": [], "subject": "รอ สถจ.",
             "status": "sent", "attempts": 1, "last_error": None, "created_at": "2026-12-03T09:00:00+07:00",
             "sent_at": "2026-12-03T09:00:05+07:00", "next_attempt_at": None}])

    def preview(self, kind, payload):
        return NoticeText(f"ข้อความของ {kind}", f"ถึง {payload.get('district_code') or payload['province_code']}", "/")


@pytest.fixture(scope="module")
def season(app, tokens):
    """8101 complete and confirmed, 8102 complete (province 81 waits for it), 8103 half done."""
    client, as_user = app.test_client(), tokens.as_user
    fill_record(client, as_user("district", "8101"), "8101")
    fill_record(client, as_user("district", "8102"), "8102")
    fill_record(client, as_user("district", "8103"), "8103", skip_aspect=2)
    assert confirm(client, as_user("province", province="81"), "8101").status_code == 200
    return app


@pytest.fixture
def portal(season, monkeypatch):
    fake = FakePortal()
    monkeypatch.setitem(season.extensions, "workload_portal", fake)
    return fake


ROUTES = [("GET", f"{BASE}/schedule"), ("GET", f"{BASE}/progress"), ("GET", f"{BASE}/deliveries"),
          ("GET", f"{BASE}/send-preview?audience=districts"), ("POST", f"{BASE}/sends")]


@pytest.mark.parametrize("method, path", ROUTES)
def test_a_district_and_a_province_are_refused_with_a_problem_document(season, tokens, method, path):
    client = season.test_client()
    for headers in (tokens.as_user("district", "8101"), tokens.as_user("province", province="81")):
        response = client.open(path, method=method, headers=headers,
                               json={"audience": "districts", "key": KEY} if method == "POST" else None)
        assert response.status_code == 403 and response.mimetype == "application/problem+json"
        assert "เฉพาะส่วนกลาง" in response.json["detail"]
    with season.app_context():
        assert db.session.scalar(select(RoundChange).where(RoundChange.action == "send_reminders")) is None


def test_the_pages_refuse_them_too(season, tokens):
    client = season.test_client()
    for headers in (tokens.as_user("district", "8101"), tokens.as_user("province", province="81")):
        assert client.get("/workload/rounds/2569/cockpit", headers=headers).status_code == 403
        assert client.get("/workload/rounds/2569/cockpit/send?audience=districts", headers=headers).status_code == 403


def test_the_schedule_names_the_reminder_days_as_dates(season, tokens):
    answer = season.test_client().get(f"{BASE}/schedule", headers=tokens.as_user("central"))
    assert answer.status_code == 200
    with season.app_context():
        closes = to_bangkok(rounds.current_round().closes_at).date()
    body = answer.json
    assert [m["days_before"] for m in body["marks"]] == [14, 7, 3, 1]
    assert body["marks"][0]["date"] == (closes - timedelta(days=14)).isoformat()
    assert body["marks"][0]["status"] == "next" and {m["status"] for m in body["marks"][1:]} == {"later"}


def test_the_progress_counts_records_complete_and_confirmed_by_the_end_of_each_day(season, tokens):
    body = season.test_client().get(f"{BASE}/progress", headers=tokens.as_user("central")).json
    assert body["districts"] == 878 and body["days"][-1] == {"date": today().isoformat(), "complete": 2,
                                                             "confirmed": 1}
    assert all(day["complete"] == 0 for day in body["days"][:-1])  # the window opened yesterday, all saved today


def test_send_now_shows_the_text_and_the_recipients_then_sends_once_per_key(season, tokens, portal):
    client, central = season.test_client(), tokens.as_user("central")
    preview = client.get(f"{BASE}/send-preview?audience=provinces", headers=central).json
    assert preview["recipients"] == 1 and preview["title"] == "ข้อความของ workload.countdown_province"
    assert preview["text"] == "ถึง 81" and len(preview["key"]) >= 16
    districts = client.get(f"{BASE}/send-preview?audience=districts", headers=central).json
    assert districts["recipients"] == 878 - 2  # 8101 and 8102 are complete
    with season.app_context():
        before = outbox.pending()
    first = client.post(f"{BASE}/sends", json={"audience": "provinces", "key": preview["key"]}, headers=central)
    assert first.status_code == 200 and first.json == {"audience": "provinces", "sent": 1, "repeated": False,
                                                       "key": preview["key"]}
    again = client.post(f"{BASE}/sends", json={"audience": "provinces", "key": preview["key"]}, headers=central)
    assert again.json["repeated"] is True and again.json["sent"] == 1
    with season.app_context():
        assert outbox.pending() == before + 1
        event = db.session.scalar(select(outbox.model).where(outbox.model.event_id.like("workload:nudge:%")))
        assert event.event_id == f"workload:nudge:2569:{preview['key']}:province:81"
        assert event.kind == "workload.countdown_province" and event.payload["waiting"] == 1
        change = db.session.scalar(select(RoundChange).where(RoundChange.action == "send_reminders"))
        assert change.actor_name is not None  # the person's name (the token's), for the history
    # A new preview's key is a new send, not taken for the scheduled reminder or the first send.
    other = client.get(f"{BASE}/send-preview?audience=provinces", headers=central).json["key"]
    assert other != preview["key"]
    assert client.post(f"{BASE}/sends", json={"audience": "provinces", "key": other},
                       headers=central).json["repeated"] is False
    longest = client.post(f"{BASE}/sends", json={"audience": "provinces", "key": "k" * 48}, headers=central)
    assert longest.status_code == 200 and longest.json["repeated"] is False  # fits the history's target (PostgreSQL)


def test_bad_sends_change_nothing(season, tokens, portal):
    client, central = season.test_client(), tokens.as_user("central")
    with season.app_context():
        before = outbox.pending()
    for body in ({"audience": "everyone", "key": KEY}, {"audience": "districts", "key": "short"},
                 {"audience": "districts"}, {"audience": "provinces", "key": "k" * 49},
                 {"audience": "provinces", "key": "ก" * 20}):
        response = client.post(f"{BASE}/sends", json=body, headers=central)
        assert response.status_code == 422 and response.mimetype == "application/problem+json", body
    assert client.get(f"{BASE}/send-preview?audience=nobody", headers=central).status_code == 422
    assert client.post("/api/workload/rounds/2568/cockpit/sends", json={"audience": "districts", "key": KEY},
                       headers=central).status_code == 423  # the closed round
    with season.app_context():
        assert outbox.pending() == before


def test_the_deliveries_come_from_the_portal_and_a_thai_note_when_it_does_not_answer(season, tokens, portal):
    client, central = season.test_client(), tokens.as_user("central")
    body = client.get(f"{BASE}/deliveries", headers=central).json
    assert body["counts"]["failed"] == 1 and body["items"][0]["last_error"] == "550 5.1.1 mailbox unavailable"
    assert portal.asked[-1] == ["workload:window_opened:2569:", "workload:countdown:2569:", "workload:nudge:2569:"]
    page = client.get("/workload/rounds/2569/cockpit", headers=central)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "ส่งไม่สำเร็จ" in html and "550 5.1.1 mailbox unavailable" in html
    assert "ท้องถิ่นอำเภอ" in html and "กำหนดการแจ้งเตือนก่อนปิดระบบ" in html and "<polyline" in html


def test_without_the_portal_the_page_says_so_and_the_api_answers_503(season, tokens):
    client, central = season.test_client(), tokens.as_user("central")  # the real client: nothing listens
    response = client.get(f"{BASE}/deliveries", headers=central)
    assert response.status_code == 503 and "ระบบแจ้งเตือนไม่ตอบ" in response.json["detail"]
    page = client.get("/workload/rounds/2569/cockpit", headers=central).get_data(as_text=True)
    assert "ระบบแจ้งเตือนไม่ตอบในขณะนี้" in page and 'id="progress-table"' in page


def test_the_page_sends_after_its_confirmation_and_a_second_submit_sends_nothing(season, tokens, portal):
    client, central = season.test_client(), tokens.as_user("central")
    shown = client.get("/workload/rounds/2569/cockpit/send?audience=provinces", headers=central)
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "ผู้รับ: <strong data-recipients>1 จังหวัด</strong>" in html
    assert "ข้อความของ workload.countdown_province" in html
    key = html.split('name="key" value="')[1].split('"')[0]
    form = {"audience": "provinces", "key": key, "confirmed": "yes"}
    with season.app_context():
        before = outbox.pending()
    first = client.post("/workload/rounds/2569/cockpit/send", data=form, headers=central)
    second = client.post("/workload/rounds/2569/cockpit/send", data=form, headers=central)
    assert first.status_code == second.status_code == 302 and "repeated=1" in second.headers["Location"]
    with season.app_context():
        assert outbox.pending() == before + 1
    landed = client.get(second.headers["Location"], headers=central).get_data(as_text=True)
    assert "รายการนี้ส่งไปแล้ว ไม่ได้ส่งซ้ำ" in landed
