"""Toolkits and Local MOOC as the demo shows them (#21.4): the public finds a clearly marked example in every
category, in สาระน่ารู้เพิ่มเติม and in Local MOOC, and no notice of unfinished work anywhere; the central office
also sees the starter items still being completed, with their notice."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser
UNFINISHED = "อยู่ระหว่างส่วนกลางเพิ่มเติม"
CATEGORIES = ("กฎหมายและระเบียบ", "ยุทธศาสตร์ชาติ", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 12",
              "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น", "คู่มือแนวทางปฏิบัติ")


def test_the_public_sees_marked_examples_everywhere_and_nothing_unfinished(stack, page):
    page.goto(stack.url + "/")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ชุดความรู้ / Toolkits").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ชุดความรู้ / Toolkits")
    for category in CATEGORIES:
        section = page.locator("#knowledge section").filter(has=page.get_by_role("heading", name=category, exact=True))
        item = section.locator("article").first
        expect(item.get_by_role("heading")).to_contain_text("ตัวอย่าง")
        expect(item.locator(".badge-example")).to_be_visible()
        expect(item.locator(".badge-example")).to_have_text("ตัวอย่าง")
        expect(item.get_by_role("link", name="เอกสาร PDF")).to_be_visible()
    for part in ("#orders", "#mooc"):
        expect(page.locator(f"{part} article").first.locator(".badge-example")).to_be_visible()
    expect(page.locator("#mooc article").first.get_by_role("heading")).to_contain_text("ตัวอย่าง: รายวิชา")
    expect(page.locator("main")).not_to_contain_text("ส่วนกลางกำลังเพิ่ม")  # no empty category

    # The example PDF opens for the public.
    href = page.locator("#knowledge article").first.get_by_role("link", name="เอกสาร PDF").get_attribute("href")
    pdf = stack.get(href)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")

    for path in ("/toolkits/", "/about/", "/faq/", "/toolkits/?q=ตัวอย่าง"):
        page.goto(stack.url + path)
        expect(page.locator("main")).not_to_contain_text(UNFINISHED)


def test_the_central_office_sees_the_unfinished_starter_items_with_their_notice(stack, page):
    page.goto(stack.url + "/sso/login?next=/toolkits/")
    page.get_by_label("User").fill("demo-central")
    page.get_by_label("Password").fill("demo-pass-2568")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(stack.url + "/toolkits/")
    strategy = page.locator("#knowledge article").filter(has=page.get_by_role("heading", name="ยุทธศาสตร์ชาติ",
                                                                               exact=True))
    expect(strategy.locator(".todo-note")).to_have_text("ข้อมูลบางส่วนของรายการนี้" + UNFINISHED)
    founding = page.locator("#orders article").filter(has_text="ที่ 1029/2563")
    expect(founding.locator(".todo-note")).to_be_visible()
    expect(page.locator("#knowledge .badge-example")).to_have_count(5)  # the examples beside them, still marked
