"""The central office's cockpit in Chromium (#23 item 5): ส่งแจ้งเตือนตอนนี้ to the provinces whose complete
records wait for their confirmation — the text and the number of recipients first, then the confirmation, and the
message in the list of what was sent, delivered by the stack's own mail server. ปัตตานี (9401, p-94) is used by
no other test; a province nudge tells no district, so other tests' inboxes do not change."""
import time

import pytest
from playwright.sync_api import Page, expect

from shared.testing import fill_record_over_http
from tests.browser.test_workload_walk import log_in

pytestmark = pytest.mark.browser

CONTACT = {"office_address": "ที่ว่าการอำเภอเมืองปัตตานี", "office_phone": "073331234", "person_name": "นางสาวทดสอบ ติดตาม",
           "person_mobile": "0812345678", "person_email": "contact.9401@example.org", "responsible_districts": []}


def test_the_central_office_previews_confirms_a_send_and_sees_it_in_the_sent_list(stack, page: Page):
    fill_record_over_http(stack.url, stack.bearer("d-9401"), "9401", CONTACT)  # complete, unconfirmed
    log_in(page, stack, "demo-central", "/workload/rounds/")
    page.get_by_role("link", name="ติดตามและแจ้งเตือน").first.wait_for()
    page.goto(f"{stack.url}/workload/rounds/2569/cockpit")
    expect(page.get_by_role("heading", name="ติดตามและแจ้งเตือน ปีงบประมาณ 2569")).to_be_visible()
    expect(page.locator("#reminder-schedule tbody tr")).to_have_count(4)  # 14, 7, 3 and 1 days before closing
    expect(page.locator("#progress-table tbody tr").first).to_be_visible()
    expect(page.locator("svg.progress-chart polyline[data-series=complete]")).to_have_count(1)

    page.get_by_role("button", name="ส่งแจ้งเตือนตอนนี้ถึงจังหวัดที่ยังไม่ยืนยันข้อมูลที่บันทึกครบถ้วนแล้ว").click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("ผู้รับ:")
    expect(dialog.locator("[data-recipients]")).to_contain_text("จังหวัด")
    expect(dialog.locator("[data-sample-title]")).to_contain_text("รอ สถจ. ยืนยันข้อมูล")
    expect(dialog.locator("[data-sample-text]")).to_contain_text("กรุณาตรวจสอบและยืนยันข้อมูลก่อนปิดระบบ")
    recipients = dialog.locator("[data-recipients]").inner_text()
    form = {name: dialog.locator(f'input[name="{name}"]').get_attribute("value")
            for name in ("csrf_token", "audience", "key", "confirmed")}
    dialog.get_by_role("button", name=f"ยืนยันส่งแจ้งเตือน {recipients}").click()

    expect(page.get_by_role("status")).to_contain_text("ส่งแจ้งเตือนแล้ว")
    expect(page.locator("#sends tbody tr").first).to_contain_text("กลุ่มพัฒนาระบบบริหาร (ส่วนกลาง)")  # the person
    # The relay hands the events to the portal, the sender to the mail server: the list shows it once sent.
    row = page.locator('#deliveries tr[data-recipient="province:94"]', has_text="ส่งแจ้งเตือนตอนนี้")
    deadline = time.monotonic() + 60
    while not (row.count() and row.first.get_attribute("data-status") == "sent"):
        assert time.monotonic() < deadline, "the send never showed as sent"
        time.sleep(1)
        page.reload()
    expect(row.first).to_contain_text("p-94@dcc-demo.test")
    expect(row.first).to_contain_text("ส่งแล้ว")

    sends = page.locator("#sends tbody tr").count()
    # The same confirmation arriving again (a second click, the browser resending the form) sends nothing more.
    again = page.request.post(f"{stack.url}/workload/rounds/2569/cockpit/send", form=form)
    assert again.ok and "รายการนี้ส่งไปแล้ว ไม่ได้ส่งซ้ำ" in again.text()
    page.reload()
    expect(page.locator("#sends tbody tr")).to_have_count(sends)
    # The rounds page's history tells it in Thai, with the person, never the send's key.
    page.goto(f"{stack.url}/workload/rounds/")
    latest = page.locator("#round-changes tbody tr", has_text="ส่งแจ้งเตือนตอนนี้").first
    expect(latest).to_contain_text("ถึงจังหวัดที่มีรายงานรอการยืนยัน")
    expect(latest).to_contain_text("กลุ่มพัฒนาระบบบริหาร (ส่วนกลาง)")
    expect(latest).to_contain_text("จำนวนสำนักงานที่แจ้ง: 1")
    expect(latest).not_to_contain_text(form["key"])
    expect(latest).not_to_contain_text("audience")
