"""The notifications' "done when" of #23 in Chromium: the province returns an aspect for correction → the
district's bell shows one more → the list links to the aspect; the stack's mail server holds one message for it,
to the district's user, Cc the record's contact person. District 8106 (เหนือคลอง) is one of the demo's begun
records of the open round (workload.demo.OPEN_ROUND_STARTED), with a contact person's e-mail; no other test
writes to it."""
import time
from email import message_from_string, policy

import pytest
import requests
from playwright.sync_api import Page, expect

from workload.demo import OPEN_ROUND_STARTED, demo_contact_email

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"
DISTRICT = "8106"
REASON = "ด้านที่ 2 ปริมาณงานไม่ตรงกับทะเบียนคุม กรุณาตรวจสอบ"


def log_in(page: Page, stack, username: str) -> None:
    page.goto(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def log_out(page: Page) -> None:
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()


def mail_for_the_return(stack) -> list[tuple[dict, object]]:
    found = []
    for kept in requests.get(f"{stack.url}/dev/mail/messages.json", timeout=5).json()["messages"]:
        parsed = message_from_string(kept["raw"], policy=policy.default)
        if "ส่งกลับแก้ไข ด้านที่ 2" in parsed["Subject"] and f"d-{DISTRICT}@dcc-demo.test" in kept["rcpt_tos"]:
            found.append((kept, parsed))
    return found


def test_a_returned_aspect_rings_the_districts_bell_links_to_the_aspect_and_is_mailed(stack, page):
    assert DISTRICT in OPEN_ROUND_STARTED
    before = stack.get("/api/notifications", headers=stack.bearer(f"d-{DISTRICT}")).json()["unread"]

    log_in(page, stack, "demo-province")
    expect(page).to_have_url(f"{stack.url}/workload/2569/provinces/81/")
    row = page.locator(f'tr[data-district="{DISTRICT}"]')
    row.get_by_role("button", name="ส่งกลับแก้ไข").click()
    dialog = page.locator(f"#return-{DISTRICT}")
    dialog.get_by_label("ด้านที่ 2").check()
    dialog.get_by_label("เหตุผล").fill(REASON)
    dialog.get_by_role("button", name="ส่งกลับแก้ไข").click()
    expect(page.get_by_role("status")).to_contain_text("ส่งกลับให้อำเภอ")
    log_out(page)

    log_in(page, stack, f"d-{DISTRICT}")
    expect(page).to_have_url(f"{stack.url}/workload/2569/districts/{DISTRICT}/")
    bell = page.get_by_test_id("bell-count")
    deadline = time.monotonic() + 30  # the relay hands the event over within a second or two
    while not (bell.count() and bell.inner_text() == str(before + 1)) and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    expect(bell).to_have_text(str(before + 1))

    page.get_by_test_id("bell").click()
    expect(page).to_have_url(f"{stack.url}/notifications/")
    newest = page.get_by_test_id("notice").first
    expect(newest).to_contain_text(REASON)
    link = newest.get_by_test_id("notice-link")
    expect(link).to_have_attribute("href", f"/workload/2569/districts/{DISTRICT}/aspects/2")
    link.click()
    expect(page).to_have_url(f"{stack.url}/workload/2569/districts/{DISTRICT}/aspects/2")
    expect(page.locator('[data-correction="2"]')).to_contain_text(REASON)

    deadline = time.monotonic() + 30
    while not mail_for_the_return(stack) and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(1)  # a second copy would have arrived by now
    mails = mail_for_the_return(stack)
    assert len(mails) == 1, mails
    kept, parsed = mails[0]
    assert parsed["To"] == f"d-{DISTRICT}@dcc-demo.test" and parsed["Cc"] == demo_contact_email(DISTRICT)
    assert kept["rcpt_tos"] == [f"d-{DISTRICT}@dcc-demo.test", demo_contact_email(DISTRICT)]
    assert f"/workload/2569/districts/{DISTRICT}/aspects/2" in parsed.get_body(("plain",)).get_content()
