"""The Excel round-trip in the system's Chromium: d-9204 (ปะเหลียน, whose user and record no other test touches)
downloads its form from the status page, changes two aspects in the file, uploads it, sees exactly those changes in the
preview, applies them, and finds them on the aspect pages, the status page and in the history with the file."""
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.test_workload_journey import YEAR, log_in

pytestmark = pytest.mark.browser

FILE_NAME = "ภาระงานของอำเภอ.xlsx"


def test_download_edit_upload_preview_apply(stack, page: Page, tmp_path):
    log_in(page, stack, "d-9204", "9204")
    with page.expect_download() as started:
        page.get_by_role("link", name="ดาวน์โหลดแบบฟอร์ม Excel").click()
    downloaded = tmp_path / "downloaded.xlsx"
    started.value.save_as(downloaded)

    workbook = load_workbook(downloaded)
    first, sixth = workbook["ด้านที่ 1"], workbook["ด้านที่ 6"]
    codes = (first["A3"].value, sixth["A4"].value)
    for sheet, row, values in ((first, 3, (5, 1, 2)), (sixth, 4, (7, 2, 0.5))):
        for column, value in zip("DEF", values):
            sheet[f"{column}{row}"] = value
    edited = tmp_path / FILE_NAME
    workbook.save(edited)

    page.get_by_role("link", name="นำเข้าจากไฟล์ Excel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("นำเข้าจากไฟล์ Excel")
    page.get_by_label("ไฟล์ Excel (.xlsx) ไม่เกิน 5 MB").set_input_files(str(edited))
    page.get_by_role("button", name="ตรวจสอบไฟล์").click()

    expect(page.locator("[data-import-summary]")).to_have_text("มีการเปลี่ยนแปลง 2 รายการ")
    tables = page.locator("[data-import-aspect]")
    expect(tables).to_have_count(2)
    expect(tables.nth(0)).to_have_attribute("data-import-aspect", "1")
    expect(tables.nth(1)).to_have_attribute("data-import-aspect", "6")
    expect(tables.nth(0).locator("tbody tr")).to_have_count(1)
    expect(tables.nth(0).locator(f'tr[data-code="{codes[0]}"]')).to_contain_text("5 · 1 วัน · 2 ชม.")
    expect(tables.nth(1).locator(f'tr[data-code="{codes[1]}"]')).to_contain_text("7 · 2 วัน · 0.5 ชม.")
    expect(page.locator("[data-import-contact], [data-import-custom], [data-import-errors]")).to_have_count(0)

    page.get_by_role("button", name="บันทึกข้อมูลจากไฟล์").click()
    expect(page).to_have_url(f"{stack.url}/workload/{YEAR}/districts/9204/?saved=1")
    for number in (1, 6):
        expect(page.locator(f'tr[data-aspect="{number}"]')).to_have_attribute("data-status", "incomplete")
    expect(page.locator('tr[data-aspect="2"]')).to_have_attribute("data-status", "empty")

    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 1").click()
    question = page.locator(f'fieldset[data-question="{codes[0]}"]')
    expect(question.get_by_label("ปริมาณงานต่อปี")).to_have_value("5")
    expect(question.get_by_label("จำนวนชั่วโมง")).to_have_value("2")
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 6").click()
    expect(page.locator(f'fieldset[data-question="{codes[1]}"]').get_by_label("จำนวนชั่วโมง")).to_have_value("0.5")

    page.get_by_role("link", name="ประวัติการบันทึกข้อมูล").click()
    expect(page.locator("main")).to_contain_text("นำเข้าจากไฟล์ Excel")
    expect(page.locator("main")).to_contain_text(FILE_NAME)
