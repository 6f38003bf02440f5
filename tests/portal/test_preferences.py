"""Each user's e-mail per kind of notice: turned off on the page or the API, the composer leaves the user out of
that kind's e-mail, its notices in the center stay; no user reaches another's settings."""
from sqlalchemy import select

from portal.models import MailMessage, MailOptOut, Notification, db
from tests.portal.test_notifications import district_user, hand_over, returned

SETTINGS = "/api/notifications/settings"


def test_a_district_user_sees_its_kinds_all_on_at_first(client, tokens):
    answer = client.get(SETTINGS, headers=district_user(tokens))
    assert answer.status_code == 200
    kinds = {k["kind"]: k for k in answer.json["kinds"]}
    assert "workload.aspects_returned" in kinds and "news.rejected" in kinds
    assert "news.submitted" not in kinds  # the province's
    assert all(k["email"] for k in kinds.values()) and kinds["workload.aspects_returned"]["label"] == "สถจ. ส่งกลับแก้ไข"
    province = client.get(SETTINGS, headers=tokens.bearer("province-user", ["province"], "81")).json
    assert "news.submitted" in {k["kind"] for k in province["kinds"]}


def test_turned_off_the_notice_stays_and_the_mail_goes_to_the_others(app, client, service, tokens):
    off = client.put(SETTINGS, json={"email": {"workload.aspects_returned": False}}, headers=district_user(tokens))
    assert off.status_code == 200
    assert {k["kind"]: k["email"] for k in off.json["kinds"]}["workload.aspects_returned"] is False
    hand_over(client, service, returned(), {**returned("workload:confirmed:1"), "kind": "workload.record_confirmed"})
    with app.app_context():
        mails = {m.event_id: m for m in db.session.scalars(select(MailMessage))}
        assert {n.recipient for n in db.session.scalars(select(Notification))} == {"district-user", "district-second"}
    returned_mail = mails["workload:aspects_returned:1"]
    # district-user is left out; district-second, who did not turn it off, happens to share the address.
    assert returned_mail.to_addresses == ["district-user@dcc-demo.test"]
    assert returned_mail.cc_addresses == ["contact@example.org"]
    assert mails["workload:confirmed:1"].to_addresses == ["district-user@dcc-demo.test"]
    on = client.put(SETTINGS, json={"email": {"workload.aspects_returned": True}}, headers=district_user(tokens))
    assert all(k["email"] for k in on.json["kinds"])


def test_a_user_with_its_own_address_alone_gets_no_mail_of_a_kind_turned_off(app, client, service, tokens):
    second = tokens.bearer("district-second", ["district"], "81", "8101")
    for headers in (district_user(tokens), second):
        assert client.put(SETTINGS, json={"email": {"workload.aspects_returned": False}},
                          headers=headers).status_code == 200
    hand_over(client, service, returned())
    with app.app_context():
        [mail] = db.session.scalars(select(MailMessage)).all()
        assert mail.to_addresses == [] and mail.cc_addresses == ["contact@example.org"]  # the contact still hears
        assert db.session.scalar(select(Notification.id).where(Notification.recipient == "district-user"))


def test_a_kind_not_its_own_is_refused_and_changes_nothing(app, client, tokens):
    refused = client.put(SETTINGS, json={"email": {"workload.aspects_returned": False, "news.submitted": False}},
                         headers=district_user(tokens))
    assert refused.status_code == 422 and refused.json["code"] == "unknown_kind"
    assert client.put(SETTINGS, json={"email": {"sso.password_set": False}},
                      headers=district_user(tokens)).status_code == 422  # that e-mail always goes
    assert client.put(SETTINGS, json={"email": "off"}, headers=district_user(tokens)).status_code == 422
    with app.app_context():
        assert db.session.scalars(select(MailOptOut)).all() == []


def test_nobody_reaches_another_users_settings(app, client, tokens):
    assert client.get(SETTINGS).status_code == 401
    assert client.put(SETTINGS, json={"email": {"workload.aspects_returned": False}}).status_code == 401
    stranger = tokens.bearer("district-8102", ["district"], "81", "8102")
    client.put(SETTINGS, json={"email": {"workload.aspects_returned": False}}, headers=stranger)
    mine = client.get(SETTINGS, headers=district_user(tokens)).json
    assert all(k["email"] for k in mine["kinds"])  # the stranger changed its own only
    with app.app_context():
        assert [o.username for o in db.session.scalars(select(MailOptOut))] == ["district-8102"]


def test_the_page_turns_a_kind_off_and_on_and_is_linked_from_the_list(app, client, tokens):
    tokens.sign_in(client, "district-user", ["district"], "81", "8101")
    assert 'href="/notifications/settings"' in client.get("/notifications/").get_data(as_text=True)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert "ตั้งค่าการแจ้งเตือนทางอีเมล" in page and 'value="workload.aspects_returned" checked' in page
    kinds = [k["kind"] for k in client.get(SETTINGS).json["kinds"]]
    ticked = [k for k in kinds if k != "news.rejected"]
    saved = client.post("/notifications/settings", data={"csrf_token": "test-csrf", "shown": kinds, "email": ticked})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "บันทึกการตั้งค่าเรียบร้อยแล้ว" in page and 'value="news.rejected" checked' not in page
    # A form that names no kinds changes nothing; one naming another role's kind is refused.
    assert client.post("/notifications/settings", data={"csrf_token": "test-csrf", "x": "y"}).status_code == 303
    assert client.post("/notifications/settings", data={"csrf_token": "test-csrf", "shown": ["news.submitted"]}
                       ).status_code == 422
    with app.app_context():
        assert [o.kind for o in db.session.scalars(select(MailOptOut))] == ["news.rejected"]
