"""ทะเบียน ทถอ. in the system's Chromium: the public list → a province → an officer, and a Thai search."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_public_list_province_officer_and_search(stack, page):
    page.goto(stack.url + "/")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="ทะเบียน ทถอ.").click()
    expect(page).to_have_url(stack.url + "/directory/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ทะเบียน ทถอ.")
    expect(page.get_by_test_id("sync-note")).to_contain_text("ปรับปรุงล่าสุด")
    expect(page.get_by_test_id("sync-note")).to_contain_text("DLA Connect")

    page.get_by_role("link", name="กระบี่", exact=True).click()
    expect(page).to_have_url(stack.url + "/directory/provinces/81/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ผอ.กง.ทอ. จังหวัดกระบี่")
    row = page.get_by_role("row").filter(has_text="เมืองกระบี่")
    row.get_by_role("link").first.click()

    expect(page).to_have_url(stack.url + "/directory/officers/DLA-8101-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("(ข้อมูลสมมติ)")
    expect(page.get_by_text("ท้องถิ่นอำเภอเมืองกระบี่ จังหวัดกระบี่")).to_be_visible()
    expect(page.get_by_test_id("mobile")).to_have_count(0)  # not for the public

    page.goto(stack.url + "/directory/")
    page.get_by_label("ค้นหาชื่อ อำเภอ หรือจังหวัด").fill("อ. คลองท่อม")
    page.get_by_role("button", name="ค้นหา").click()
    expect(page).to_have_url(re.compile(r"/directory/search\?q="))
    expect(page.get_by_label("ค้นหาชื่อ อำเภอ หรือจังหวัด")).to_have_value("อ. คลองท่อม")
    expect(page.get_by_role("link", name="อำเภอคลองท่อม")).to_be_visible()
    expect(page.locator('a[href="/directory/officers/DLA-8104-01"]')).to_be_visible()


def test_the_province_page_fits_a_phone(stack, phone_page):
    phone_page.goto(stack.url + "/directory/provinces/30/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("ผอ.กง.ทอ. จังหวัดนครราชสีมา")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # the table scrolls inside its wrapper, the page does not
