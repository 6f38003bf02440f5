"""Notifications end to end on the real stack: workload's outbox → relay → portal inbox (recipients from the SSO)
→ the bell and the list → e-mail to the stack's own mail server; with that server stopped, nothing is lost."""
import time
from email import message_from_string, policy

import pytest
import requests

from shared.internal import HEADER
from shared.testing import fill_record_over_http

pytestmark = pytest.mark.stack

DISTRICT, PROVINCE = "9201", "92"  # เมืองตรัง: no other stack test writes to it
CONTACT = {"office_address": "ที่ว่าการอำเภอเมืองตรัง", "office_phone": "075218000", "person_name": "นางสาวทดสอบ แจ้งเตือน",
           "person_mobile": "0812345678", "person_email": "contact.9201@example.org", "responsible_districts": []}


def eventually(check, seconds=20.0):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.2)


def caught(stack) -> list[dict]:
    return requests.get(f"{stack.url}/dev/mail/messages.json", timeout=5).json()["messages"]


def mail_about(stack, words: str) -> list:
    """The caught messages to this test's district whose subject says `words` (other stack tests confirm and
    return records of their own districts on the same stack)."""
    found = []
    for kept in caught(stack):
        parsed = message_from_string(kept["raw"], policy=policy.default)
        if words in parsed["Subject"] and f"d-{DISTRICT}@dcc-demo.test" in kept["rcpt_tos"]:
            found.append((kept, parsed))
    return found


def confirmation_mail(stack) -> list[dict]:
    """The portal's e-mail of this district's record confirmed (portal_mail rows, through /internal/deliveries on
    the portal's own port, with the services' secret)."""
    answer = requests.get(f"{stack.service_urls('portal')[0]}/internal/deliveries",
                          params={"prefix": "workload:record_confirmed:"},
                          headers={HEADER: stack.env["DCC_GATEWAY_SECRET"]}, timeout=5)
    assert answer.status_code == 200, answer.text
    return [m for m in answer.json()["items"] if m["recipient"] == f"district:{DISTRICT}"]


@pytest.fixture(scope="module")
def record(stack):
    district = stack.bearer(f"d-{DISTRICT}")
    fill_record_over_http(stack.url, district, DISTRICT, CONTACT)
    return district, stack.bearer(f"p-{PROVINCE}")


def test_a_returned_aspect_reaches_the_bell_the_list_and_the_mail(stack, record):
    district, province = record
    before = stack.get("/api/notifications", headers=district).json()["unread"]
    sent = stack.post(f"/api/workload/rounds/2569/districts/{DISTRICT}/corrections", headers=province,
                      json={"aspects": [4], "reason": "ด้านที่ 4 ยังไม่ครบตามหนังสือสั่งการ"})
    assert sent.status_code == 201, sent.text
    inbox = eventually(lambda: (lambda body: body if body["unread"] == before + 1 else None)(
        stack.get("/api/notifications", headers=district).json()))
    assert inbox, "the notice did not arrive"
    notice = inbox["items"][0]
    assert notice["link"] == f"/workload/2569/districts/{DISTRICT}/aspects/4" and "ยังไม่ครบ" in notice["text"]
    # The province's own inbox hears nothing of it; the bell on a workload page counts it.
    assert all("ด้านที่ 4" not in n["title"] for n in stack.get("/api/notifications", headers=province).json()["items"])
    session, _ = stack.sign_in(f"d-{DISTRICT}")
    page = session.get(f"{stack.url}/workload/2569/districts/{DISTRICT}/", timeout=10).text
    assert f'data-testid="bell-count">{before + 1}<' in page
    mails = eventually(lambda: mail_about(stack, "ส่งกลับแก้ไข ด้านที่ 4"))
    assert len(mails) == 1, mails
    kept, parsed = mails[0]
    assert kept["rcpt_tos"] == [f"d-{DISTRICT}@dcc-demo.test", "contact.9201@example.org"]
    assert parsed["Cc"] == "contact.9201@example.org" and "Subject: =?utf-8?" in kept["raw"]
    assert parsed["Message-ID"].startswith("<") and parsed["Message-ID"].endswith("@dcc-demo.test>")
    assert f"{stack.url.replace('127.0.0.1', 'localhost')}/workload/2569/districts/{DISTRICT}/aspects/4" in \
        parsed.get_body(("plain",)).get_content()
    assert "ดูรายละเอียด" in parsed.get_body(("html",)).get_content()


def test_with_the_mail_server_stopped_nothing_is_lost(stack, record):
    district, province = record
    for aspect in (4,):  # saved again after the return, so that the record is complete for confirming
        view = requests.get(f"{stack.url}/api/workload/rounds/2569/districts/{DISTRICT}/record", headers=district,
                            timeout=10).json()
        current = next(a for a in view["aspects"] if a["number"] == aspect)
        stack.send("PUT", f"/api/workload/rounds/2569/districts/{DISTRICT}/aspects/{aspect}", headers=district, json={
            "version": current["version"],
            "answers": [{"question_id": q["id"], "volume": "2", "days": "0", "hours": "1"}
                        for q in current["questions"]]})
    stack.kill("mail")
    try:
        confirmed = stack.post(f"/api/workload/rounds/2569/districts/{DISTRICT}/confirmation", headers=province)
        assert confirmed.status_code == 200, confirmed.text
        assert eventually(lambda: any("ยืนยันข้อมูลแล้ว" in n["title"] for n in
                                      stack.get("/api/notifications", headers=district).json()["items"]))
        # The sender tried during the outage and failed: the message waits, retrying, with the server's error.
        tried = eventually(lambda: [m for m in confirmation_mail(stack) if m["status"] == "retrying"])
        assert len(tried) == 1, confirmation_mail(stack)
        assert tried[0]["attempts"] >= 1 and tried[0]["last_error"] and tried[0]["sent_at"] is None, tried
    finally:
        stack.start("mail")
    mails = eventually(lambda: mail_about(stack, "ยืนยันข้อมูลแล้ว"))
    assert len(mails) == 1
    [delivered] = eventually(lambda: [m for m in confirmation_mail(stack) if m["status"] == "sent"])
    assert delivered["attempts"] >= 2 and delivered["last_error"] is None, delivered  # failed, then sent
    assert mails[0][1]["Subject"] == delivered["subject"]
    time.sleep(3)  # longer than a retry's wait (NOTIFY_RETRY_MAX_SECONDS=2): a second copy would be here now
    assert len(mail_about(stack, "ยืนยันข้อมูลแล้ว")) == 1  # once, not once per try
    assert [m["status"] for m in confirmation_mail(stack)] == ["sent"]


def test_the_internal_endpoints_are_never_reached_from_outside(stack):
    secret = stack.env["DCC_GATEWAY_SECRET"]
    for method, path in (("POST", "/internal/events"), ("GET", "/internal/unread?user=d-9201"),
                         ("GET", "/internal/recipients?district=9201")):
        for headers in ({}, {HEADER: secret}):
            for gateway in stack.gateway_urls:
                assert requests.request(method, gateway + path, headers=headers, json={"events": []},
                                        timeout=5).status_code == 404
    # On the services' own ports: only with the services' secret.
    portal, sso = stack.service_urls("portal")[0], stack.service_urls("sso")[0]
    assert requests.get(f"{sso}/internal/recipients?district=9201", timeout=5).status_code == 404
    assert requests.post(f"{portal}/internal/events", json={"events": []}, timeout=5).status_code == 404
    users = requests.get(f"{sso}/internal/recipients?district=9201", headers={HEADER: secret}, timeout=5).json()
    assert [u["username"] for u in users["users"]] == ["d-9201"]


def test_the_news_and_the_sso_tell_through_their_own_relays(stack):
    district, province = stack.bearer(f"d-{DISTRICT}"), stack.bearer(f"p-{PROVINCE}")
    item = stack.post("/api/news/manage/items", headers=district, json={
        "title": "อำเภอเมืองตรังทดสอบการแจ้งเตือน", "body": "<p>เนื้อหา</p>", "activity_date": "2026-11-30"}).json()
    assert stack.post(f"/api/news/manage/items/{item['id']}/submission", headers=district).status_code == 200
    assert eventually(lambda: any("รออนุมัติ" in n["title"] and n["link"] == f"/news/manage/items/{item['id']}"
                                  for n in stack.get("/api/notifications", headers=province).json()["items"]))
    rejected = stack.post(f"/api/news/items/{item['id']}/approval", headers=province,
                          json={"decision": "reject", "reason": "ภาพประกอบไม่ชัด"})
    assert rejected.status_code == 200, rejected.text
    assert eventually(lambda: any("ไม่อนุมัติ" in n["title"] and "ภาพประกอบไม่ชัด" in n["text"]
                                  for n in stack.get("/api/notifications", headers=district).json()["items"]))
    mails = eventually(lambda: mail_about(stack, "สถจ. ไม่อนุมัติข่าว"))
    assert len(mails) == 1 and "ภาพประกอบไม่ชัด" in mails[0][1].get_body(("plain",)).get_content()

    # A password an SSO admin set: the user alone hears who and when, never the password.
    user = "d-9203"
    reset = stack.post(f"/api/sso/admin/users/{user}/password-reset", headers=stack.bearer(f"s-{PROVINCE}"))
    assert reset.status_code == 200, reset.text
    temporary = reset.json()["temporary_password"]
    told = eventually(lambda: [m for m in caught(stack) if m["rcpt_tos"] == [f"{user}@dcc-demo.test"]])
    assert len(told) == 1
    parsed = message_from_string(told[0]["raw"], policy=policy.default)
    text = parsed.get_body(("plain",)).get_content()
    assert "รหัสผ่าน" in parsed["Subject"] and f"กำหนดรหัสผ่านชั่วคราวใหม่ให้บัญชี {user}" in text
    assert temporary not in told[0]["raw"]
