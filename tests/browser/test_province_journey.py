"""The province's journey in Chromium: return an aspect for correction, the district fixes it, the
province confirms, and the district can no longer edit. Generated users p-30 and d-3012 keep it apart
from the demo users' own journeys on the shared stack."""
import pytest
import requests
from playwright.sync_api import Page, expect

from shared.testing import fill_record_over_http

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"
DISTRICT, PROVINCE = "3012", "30"
CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "044123456", "person_name": "นางสาวทดสอบ ระบบ",
           "person_mobile": "0812345678", "person_email": "d3012@example.org", "responsible_districts": []}


def fill_by_api(stack):
    token = requests.post(stack.url + "/api/sso/token", json={"username": f"d-{DISTRICT}", "password": PASSWORD},
                          timeout=10).json()["access_token"]
    fill_record_over_http(stack.url, {"Authorization": f"Bearer {token}"}, DISTRICT, CONTACT, answer=("4", "1", "2"))


def log_in(page: Page, stack, username: str) -> None:
    page.goto(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def log_out(page: Page) -> None:
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()


def test_return_fix_confirm_and_locked(stack, page):
    fill_by_api(stack)
    row = page.locator(f'tr[data-district="{DISTRICT}"]')

    log_in(page, stack, f"p-{PROVINCE}")
    expect(page).to_have_url(f"{stack.url}/workload/2569/provinces/{PROVINCE}/")
    row.get_by_role("button", name="ส่งกลับแก้ไข").click()
    dialog = page.locator(f"#return-{DISTRICT}")
    dialog.get_by_label("ด้านที่ 2").check()
    dialog.get_by_label("เหตุผล").fill("ปริมาณงานข้อ 2.1 ดูสูงเกินไป กรุณาตรวจสอบ")
    dialog.get_by_role("button", name="ส่งกลับแก้ไข").click()
    expect(page.get_by_role("status")).to_contain_text("ส่งกลับให้อำเภอ")
    log_out(page)

    log_in(page, stack, f"d-{DISTRICT}")
    expect(page.locator('[data-correction="2"]')).to_contain_text("ปริมาณงานข้อ 2.1 ดูสูงเกินไป")
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 2").click()
    expect(page.locator('[data-correction="2"]')).to_be_visible()
    page.locator("input[name$=_volume]").first.fill("2")
    page.get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page.get_by_text("บันทึกข้อมูลเรียบร้อยแล้ว")).to_be_visible()
    expect(page.locator("[data-correction]")).to_have_count(0)
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="สถานะการบันทึกข้อมูล สถอ.").click()
    expect(page.locator("[data-correction]")).to_have_count(0)
    log_out(page)

    log_in(page, stack, f"p-{PROVINCE}")
    row.get_by_role("button", name="ยังไม่ได้ยืนยันข้อมูล").click()
    confirm = page.locator(f"#confirm-{DISTRICT}")
    expect(confirm).to_contain_text("ยืนยันการทำรายงาน")
    confirm.get_by_role("button", name="ตกลง").click()
    expect(row.locator(".confirmed")).to_contain_text("ยืนยัน")
    log_out(page)

    log_in(page, stack, f"d-{DISTRICT}")
    expect(page.locator(".confirmed")).to_contain_text("ยืนยัน")
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 1").click()
    expect(page.get_by_text("จังหวัดยืนยันข้อมูลแล้ว")).to_be_visible()
    expect(page.get_by_role("button", name="บันทึกข้อมูล")).to_have_count(0)
    expect(page.locator("input[name$=_volume]").first).to_be_disabled()
