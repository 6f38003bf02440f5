"""The news journey in Chromium: demo-district writes and submits a news item with a cover photo,
demo-province approves it from its queue (รออนุมัติ), and it appears on the portal's home page."""
import io
import time

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"


def log_in(page: Page, stack, username: str) -> None:
    page.goto(stack.url + "/sso/login?next=/news/manage/")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="จัดการข่าวประชาสัมพันธ์")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()


def photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (29, 63, 114)).save(out, "JPEG")
    return out.getvalue()


def test_district_writes_province_approves_home_page_shows_it(stack, page):
    title = f"ท้องถิ่นอำเภอเมืองกระบี่จัดกิจกรรมวันท้องถิ่นไทย {int(time.time())}"

    log_in(page, stack, "demo-district")
    page.get_by_role("link", name="เขียนข่าวใหม่").click()
    page.get_by_label("ชื่อข่าว", exact=True).fill(title)
    page.get_by_label("วันที่จัดกิจกรรม").fill("2026-11-20")
    page.get_by_label("เนื้อหาข่าว").fill("ท้องถิ่นอำเภอเมืองกระบี่ร่วมกับ อปท. ในพื้นที่จัดกิจกรรม\n\n- มอบรางวัล\n- นิทรรศการ")
    page.get_by_label("ภาพปก").set_input_files({"name": "cover.jpg", "mimeType": "image/jpeg", "buffer": photo()})
    page.get_by_role("button", name="บันทึกและส่งให้ สถจ. พิจารณา").click()
    expect(page.get_by_role("status")).to_contain_text("ส่งให้ สถจ. พิจารณาแล้ว")
    expect(page.locator(".state")).to_contain_text("รออนุมัติ")
    expect(page.get_by_role("link", name="แก้ไขข่าว")).to_have_count(0)
    log_out(page)

    log_in(page, stack, "demo-province")
    queue = page.get_by_role("region", name="รออนุมัติ")
    row = queue.locator("tr", has_text=title)
    row.get_by_role("link", name="พิจารณา").click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    page.get_by_role("button", name="อนุมัติ", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("อนุมัติเผยแพร่แล้ว")
    expect(page.locator(".news-history")).to_contain_text("สถจ. อนุมัติเผยแพร่")
    log_out(page)

    page.goto(stack.url + "/")
    latest = page.get_by_role("region", name="ข่าวประชาสัมพันธ์ล่าสุด")
    deadline = time.monotonic() + 5  # the portal keeps the news it fetched for a moment
    while latest.get_by_role("link", name=title).count() == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    latest.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator(".news-cover img")).to_be_visible()
    expect(page.locator(".news-body li")).to_have_count(2)
