"""A person's first visit, in the system's Chromium: home page, login, the district's name, logout."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_district_officer_logs_in_sees_its_name_and_logs_out(stack, page):
    page.goto(stack.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ศูนย์ประสานงานท้องถิ่นอำเภอ")
    expect(page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link")).to_have_count(7)

    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="Workload Tracking System").click()
    expect(page).to_have_url(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill("demo-district")
    page.get_by_label("Password").fill("demo-pass-2568")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    expect(page).to_have_url(stack.url + "/workload/2569/districts/8101/")  # its record of the open round
    expect(page.get_by_test_id("greeting")).to_contain_text("ท้องถิ่นอำเภอเมืองกระบี่")
    expect(page.get_by_test_id("user-name")).to_have_text("ท้องถิ่นอำเภอเมืองกระบี่")

    page.get_by_role("link", name="ออกจากระบบ").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("ต้องการออกจากระบบใช่หรือไม่")
    dialog.get_by_role("button", name="ยืนยัน").click()

    expect(page).to_have_url(stack.url + "/sso/login?logged_out=1")
    expect(page.get_by_role("status")).to_have_text("ออกจากระบบเรียบร้อยแล้ว")
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()
    expect(page.get_by_test_id("user-name")).to_have_count(0)
    page.goto(stack.url + "/workload/")
    expect(page).to_have_url(stack.url + "/sso/login?next=/workload/")


def test_wrong_password_shows_the_manual_message(stack, page):
    page.goto(stack.url + "/sso/login")
    page.get_by_label("User").fill("demo-province")
    page.get_by_label("Password").fill("ผิด")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("alert")).to_contain_text("รหัสผ่านไม่ถูกต้อง")
