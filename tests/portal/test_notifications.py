"""The portal's inbox: events taken once from a service, each user's notices (API, page, bell), the e-mail."""
import pytest
from sqlalchemy import func, select

from portal.models import InboxEvent, MailMessage, Notification, db
from shared.internal import HEADER
from tests.portal.conftest import OFFICES


def returned(event_id="workload:aspects_returned:1", contact="contact@example.org"):
    return {"event_id": event_id, "kind": "workload.aspects_returned", "created_at": "2026-12-02T10:00:00Z",
            "payload": {"fiscal_year": 2569, "district_code": "8101", "province_code": "81", "aspects": [3, 5],
                        "reason": "ด้านที่ 3 ตัวเลขไม่ตรงกับหนังสือสั่งการ", "by": "สถจ.กระบี่",
                        "contact_name": "นายทดสอบ", "contact_email": contact}}


def hand_over(client, service, *events):
    return client.post("/internal/events", json={"events": list(events)}, headers=service)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def district_user(tokens):
    return tokens.bearer("district-user", ["district"], "81", "8101")


def test_an_event_is_kept_once_however_often_it_is_handed_over(app, client, service):
    first = hand_over(client, service, returned())
    assert first.status_code == 200 and first.json == {"taken": ["workload:aspects_returned:1"]}
    again = hand_over(client, service, returned(), returned())  # a relay killed before it marked the batch
    assert again.json == {"taken": ["workload:aspects_returned:1", "workload:aspects_returned:1"]}
    assert (count(app, InboxEvent), count(app, Notification), count(app, MailMessage)) == (1, 2, 1)


def test_one_mail_per_office_to_its_users_cc_the_contact_person_addresses_once(app, client, service):
    hand_over(client, service, returned(contact="DISTRICT-USER@dcc-demo.test"), returned("workload:x:2"))
    with app.app_context():
        mails = db.session.scalars(select(MailMessage).order_by(MailMessage.id)).all()
        assert [m.to_addresses for m in mails] == [["district-user@dcc-demo.test"]] * 2
        assert [m.cc_addresses for m in mails] == [[], ["contact@example.org"]]
        assert mails[0].recipient == "district:8101" and mails[0].subject.startswith("สถจ. ส่งกลับแก้ไข ด้านที่ 3, 5")
        assert mails[0].link == "/workload/2569/districts/8101/aspects/3"
        assert mails[0].message_id != mails[1].message_id and mails[0].message_id.endswith("@dcc-demo.test>")


def test_nothing_is_kept_while_the_sso_cannot_say_who_hears_of_it(app, client, service, sso):
    sso["down"] = True
    assert hand_over(client, service, returned()).status_code == 503
    assert count(app, InboxEvent) == 0
    sso["down"] = False
    assert hand_over(client, service, returned()).status_code == 200 and count(app, Notification) == 2


WINDOW = {"fiscal_year": 2569, "opens_at": "2026-10-01T08:30:00+07:00", "closes_at": "2026-12-31T16:30:00+07:00"}


@pytest.mark.parametrize("kind, payload, office, title, words, link", [
    ("workload.window_opened", {**WINDOW, "district_code": "8101", "contact_email": None}, "district:8101",
     "เปิดระบบบันทึกข้อมูลปริมาณงาน ปีงบประมาณ 2569", "ตั้งแต่ 1 ตุลาคม 2569 เวลา 08:30 น. ถึง 31 ธันวาคม 2569",
     "/workload/2569/districts/8101/"),
    ("workload.countdown_district", {**WINDOW, "district_code": "8101", "days_left": 3,
                                     "contact_email": "contact@example.org"}, "district:8101",
     "อีก 3 วันปิดระบบบันทึกข้อมูล ปีงบประมาณ 2569: บันทึกข้อมูลยังไม่ครบถ้วน",
     "ท้องถิ่นอำเภอเมืองกระบี่ บันทึกข้อมูลปีงบประมาณ 2569 ยังไม่ครบถ้วน ระบบปิดการบันทึกข้อมูล 31 ธันวาคม 2569",
     "/workload/2569/districts/8101/"),
    ("workload.countdown_province", {**WINDOW, "province_code": "81", "days_left": 0, "waiting": 2}, "province:81",
     "วันนี้เป็นวันสุดท้ายของการบันทึกข้อมูล ปีงบประมาณ 2569: รอ สถจ. ยืนยันข้อมูล 2 อำเภอ",
     "ทถอ. 2 อำเภอของจังหวัดกระบี่ บันทึกข้อมูลครบถ้วนแล้ว", "/workload/2569/provinces/81/"),
])
def test_reminders_read_in_thai_and_go_to_their_office(app, client, service, kind, payload, office, title, words,
                                                      link):
    event = {"event_id": f"workload:{kind}", "kind": kind, "payload": payload}
    assert hand_over(client, service, event).status_code == 200
    with app.app_context():
        [mail] = db.session.scalars(select(MailMessage)).all()
        notices = db.session.scalars(select(Notification)).all()
    assert mail.recipient == office and mail.subject == title and words in mail.text and mail.link == link
    assert mail.cc_addresses == (["contact@example.org"] if payload.get("contact_email") else [])
    assert {n.recipient for n in notices} == {u["username"] for u in OFFICES[tuple(office.split(":"))]}


@pytest.mark.parametrize("kind, payload", [
    ("workload.countdown_district", {**WINDOW, "district_code": "8101", "days_left": "3"}),
    ("workload.countdown_district", {**WINDOW, "district_code": "8101", "days_left": -1}),
    ("workload.countdown_province", {**WINDOW, "province_code": "99", "days_left": 3, "waiting": 1}),
    ("workload.countdown_province", {**WINDOW, "province_code": "81", "days_left": 3, "waiting": 0}),
    ("workload.window_opened", {"fiscal_year": 2569, "district_code": "8101", "opens_at": "soon", "closes_at": ""}),
])
def test_a_reminder_of_the_wrong_shape_tells_nobody(app, client, service, kind, payload):
    assert hand_over(client, service, {"event_id": "workload:odd", "kind": kind, "payload": payload}).status_code == 200
    assert (count(app, InboxEvent), count(app, Notification), count(app, MailMessage)) == (1, 0, 0)


@pytest.mark.parametrize("kind, payload, office, words, link", [
    ("news.rejected", {"item_id": 7, "title": "อบรม อปท.", "district_code": "8101", "province_code": "81",
                       "by": "สถจ.กระบี่", "reason": "ภาพไม่ชัด"}, "district:8101", "เหตุผล: ภาพไม่ชัด",
     "/news/manage/items/7"),
    ("news.submitted", {"item_id": 7, "title": "อบรม อปท.", "district_code": "8101", "province_code": "81",
                        "by": "ท้องถิ่นอำเภอ"}, "province:81", "พิจารณาอนุมัติเผยแพร่", "/news/manage/items/7"),
    ("workload.record_complete", {"fiscal_year": 2569, "district_code": "8101", "province_code": "81"},
     "province:81", "ท้องถิ่นอำเภอเมืองกระบี่ บันทึกข้อมูลปีงบประมาณ 2569 ครบถ้วนแล้ว รอการยืนยันข้อมูลของจังหวัด",
     "/workload/2569/districts/8101/"),
    ("workload.province_confirmed", {"fiscal_year": 2569, "province_code": "81", "districts": 8}, "province:81",
     "ยืนยันการทำรายงานปีงบประมาณ 2569 ของทุกอำเภอในจังหวัดกระบี่แล้ว (8 อำเภอ)", "/workload/2569/provinces/81/"),
    ("sso.password_set", {"username": "district-user", "by": "SSO Admin กระบี่", "by_username": "admin-81",
                          "at": "2026-12-03T09:15:00+07:00"}, "user:district-user",
     "SSO Admin กระบี่ กำหนดรหัสผ่านชั่วคราวใหม่ให้บัญชี district-user เมื่อ 3 ธันวาคม 2569 เวลา 09:15 น.",
     "/sso/password"),
])
def test_news_password_and_record_events_reach_their_office_or_user(app, client, service, kind, payload, office,
                                                                   words, link):
    assert hand_over(client, service, {"event_id": f"x:{kind}", "kind": kind, "payload": payload}).status_code == 200
    with app.app_context():
        [mail] = db.session.scalars(select(MailMessage)).all()
        notices = db.session.scalars(select(Notification)).all()
    assert mail.recipient == office and words in mail.text and mail.link == link
    assert {n.recipient for n in notices} == {u["username"] for u in OFFICES[tuple(office.split(":"))]}


def test_an_unknown_event_is_kept_and_tells_nobody(app, client, service):
    odd = {"event_id": "news:1", "kind": "news.unheard_of", "payload": {}}
    assert hand_over(client, service, odd).json == {"taken": ["news:1"]}
    assert (count(app, InboxEvent), count(app, Notification)) == (1, 0)


@pytest.mark.parametrize("headers", [{}, {HEADER: "x" * 43}, "gateway"])
def test_only_a_service_hands_over_events(app, client, tokens, headers):
    if headers == "gateway":  # nginx's word that it asked the SSO is not a service's
        headers = {"X-Auth-Checked": tokens.gateway_secret}
    assert hand_over(client, headers, returned()).status_code == 404
    assert client.get("/internal/unread?user=district-user", headers=headers).status_code == 404
    assert count(app, InboxEvent) == 0


@pytest.mark.parametrize("body", [None, {"events": "x"}, {"events": [{"event_id": 1, "kind": "k", "payload": {}}]},
                                  {"events": [{"event_id": "a" * 121, "kind": "k", "payload": {}}]}])
def test_a_malformed_batch_is_refused(client, service, body):
    assert client.post("/internal/events", json=body, headers=service).status_code == 400


def test_each_user_reads_and_marks_only_its_own(client, service, tokens):
    hand_over(client, service, returned())
    mine = client.get("/api/notifications", headers=district_user(tokens))
    assert mine.status_code == 200 and mine.json["unread"] == 1
    [item] = mine.json["items"]
    assert item["link"] == "/workload/2569/districts/8101/aspects/3" and "ตัวเลขไม่ตรง" in item["text"]
    stranger = tokens.bearer("district-8102", ["district"], "81", "8102")
    assert client.get("/api/notifications", headers=stranger).json == {"items": [], "unread": 0}
    assert client.post(f"/api/notifications/{item['id']}/read", headers=stranger).status_code == 404
    assert client.post(f"/notifications/{item['id']}/read", headers=stranger).status_code == 404
    assert client.get("/api/notifications", headers=district_user(tokens)).json["unread"] == 1  # still unread
    read = client.post(f"/api/notifications/{item['id']}/read", headers=district_user(tokens))
    assert read.status_code == 200 and read.json["read_at"]
    assert client.get("/api/notifications", headers=district_user(tokens)).json["unread"] == 0
    assert client.get("/api/notifications").status_code == 401


def test_mark_all_read(client, service, tokens):
    hand_over(client, service, returned(), returned("workload:x:2"))
    marked = client.post("/api/notifications/read-all", headers=district_user(tokens))
    assert marked.json == {"marked": 2, "unread": 0}
    second = tokens.bearer("district-second", ["district"], "81", "8101")
    assert client.get("/api/notifications", headers=second).json["unread"] == 2  # another user's stay unread


def test_the_page_lists_newest_first_with_links_and_the_bell_counts(client, service, tokens):
    hand_over(client, service, returned())
    hand_over(client, service, {**returned("workload:confirmed:1"), "kind": "workload.record_confirmed"})
    tokens.sign_in(client, "district-user", ["district"], "81", "8101")
    page = client.get("/notifications/").get_data(as_text=True)
    assert page.index("ยืนยันข้อมูลแล้ว") < page.index("ส่งกลับแก้ไข")
    assert 'href="/workload/2569/districts/8101/aspects/3"' in page and 'href="/workload/2569/districts/8101/"' in page
    assert 'data-testid="bell-count">2<' in client.get("/").get_data(as_text=True)
    client.post("/notifications/read-all", data={"csrf_token": "test-csrf"})
    home = client.get("/about/").get_data(as_text=True)
    assert 'data-testid="bell"' in home and "bell-count" not in home


def test_no_message_carries_another_offices_personal_data(app, client, service, monkeypatch):
    """Two districts of one province returned the same day, each with its own contact person, and the province's
    countdown: each district's mail and notices name only its own people; the province's only counts."""
    monkeypatch.setitem(OFFICES, ("district", "8102"), [{"username": "other-user", "name": "ท้องถิ่นอำเภอเขาพนม",
                                                         "email": "other-user@dcc-demo.test"}])
    people = {"8101": ("นางสาวเอ ทดสอบ", "person-a@example.org"), "8102": ("นายบี ทดสอบ", "person-b@example.org")}
    events = []
    for code, (name, email) in people.items():
        event = returned(f"workload:aspects_returned:{code}", contact=email)
        event["payload"].update(district_code=code, contact_name=name)
        events.append(event)
    events.append({"event_id": "workload:countdown:81", "kind": "workload.countdown_province",
                   "payload": {**WINDOW, "province_code": "81", "days_left": 3, "waiting": 2}})
    assert hand_over(client, service, *events).status_code == 200
    with app.app_context():
        mails = {m.recipient: m for m in db.session.scalars(select(MailMessage))}
        notices = db.session.scalars(select(Notification)).all()
    users = {code: {u["email"].lower() for u in OFFICES[("district", code)]} for code in people}
    for code, (name, email) in people.items():
        other = "8102" if code == "8101" else "8101"
        mail = mails[f"district:{code}"]
        assert set(mail.to_addresses) <= users[code] and mail.cc_addresses == [email]
        shown = " ".join([mail.subject, mail.text, *mail.to_addresses, *mail.cc_addresses])
        assert people[other][0] not in shown and people[other][1] not in shown
        assert not users[other] & set(mail.to_addresses + mail.cc_addresses)
    province = mails["province:81"]
    assert province.cc_addresses == [] and province.to_addresses == ["province-user@dcc-demo.test"]
    everything = " ".join([province.subject, province.text] + [f"{n.title} {n.text}" for n in notices
                                                              if n.recipient == "province-user"])
    assert not any(value in everything for person in people.values() for value in person)
    for notice in notices:
        if notice.recipient in {"district-user", "district-second"}:
            assert people["8102"][1] not in f"{notice.title} {notice.text}"
