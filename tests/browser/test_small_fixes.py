"""Smaller things users met, in the system's Chromium: the custom item's description box, the way back from a
district to the province list, the site's icon, the PDF summary's text, the delete icon of a custom row.
User d-9006 (สะบ้าย้อย) no other test writes."""
import io

import pytest
import requests
from playwright.sync_api import Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"
LONG = ("ประสานงานการตรวจสอบข้อเท็จจริงเรื่องร้องเรียนขององค์กรปกครองส่วนท้องถิ่นในเขตอำเภอร่วมกับ"
        "หน่วยงานที่เกี่ยวข้อง และรายงานผลต่อนายอำเภอทุกเดือน")


def log_in(page: Page, stack, username: str, next_path: str = "/workload/") -> None:
    page.goto(f"{stack.url}/sso/login?next={next_path}")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_long_custom_description_is_shown_whole_and_its_row_has_a_visible_bin(stack, page):
    log_in(page, stack, "d-9006", "/workload/2569/districts/9006/custom")
    page.get_by_text("เพิ่มข้อมูล").first.click()
    detail = page.get_by_label("รายละเอียดการปฏิบัติงาน").last
    assert detail.evaluate("box => box.tagName") == "TEXTAREA"
    detail.fill(LONG)
    page.get_by_label("หน่วยนับ").last.fill("เรื่อง")
    page.get_by_label("ปริมาณงานต่อปี").last.fill("12")
    page.get_by_label("จำนวนวัน").last.fill("1")
    page.get_by_label("จำนวนชั่วโมง").last.fill("2")
    page.locator(".add-custom").get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page.get_by_text("บันทึกข้อมูลเรียบร้อยแล้ว")).to_be_visible()

    row = page.locator("[data-custom-row]").first
    saved = row.get_by_label("รายละเอียดการปฏิบัติงาน")
    expect(saved).to_have_value(LONG)
    assert saved.evaluate("box => box.scrollHeight <= box.clientHeight + 2")  # all of it in view, wrapped
    bin_button = row.get_by_role("button", name=f"ลบรายการ {LONG}")
    expect(bin_button).to_have_text("ลบ")  # no character the font lacks (it drew an empty box)
    icon = bin_button.locator("svg")
    expect(icon).to_be_visible()
    assert icon.bounding_box()["width"] >= 12


def test_the_province_reading_a_district_finds_its_way_back(stack, page):
    log_in(page, stack, "demo-province")
    page.locator('tr[data-district="8102"]').get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("สถานะการบันทึกข้อมูล สถอ.")
    page.get_by_role("link", name="กลับไปหน้ารายการอำเภอของจังหวัด").click()
    expect(page).to_have_url(f"{stack.url}/workload/2569/provinces/81/")


def test_the_site_has_an_icon_through_the_gateway(stack, page):
    page.goto(stack.url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href == "/favicon.ico"
    answer = requests.get(stack.url + href, timeout=10)
    assert answer.status_code == 200 and answer.content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_pdf_summarys_text_copies_and_searches_as_typed(stack, page):
    log_in(page, stack, "demo-district")
    answer = page.request.get(stack.url + "/api/workload/rounds/2569/districts/8101/summary.pdf")
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages)
    assert "\u200b" not in text
    assert "การบูรณาการแนวทางการพัฒนาเชิงพื้นที่และขับเคลื่อนนโยบายรัฐบาล" in text
