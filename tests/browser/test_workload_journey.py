"""A district fills its whole workload record of the open round 2569, in the system's Chromium.

The journey: demo-district (เมืองกระบี่, 8101) saves its contact data with Thai phone formats and one more
district it is responsible for (คลองท่อม), fills the eight aspects (one entirely with the
"ไม่ได้ดำเนินการ" buttons, the others by typing numbers), adds two custom rows (ข้อมูลเฉพาะ สถอ.), sees
every aspect and the whole record complete on the status page, deletes one custom row after the
confirmation, and after a reload finds the same data again.

Two shorter tests: an invalid number is refused beside its field and nothing of the aspect is saved (with
d-8102, เขาพนม, so that 8101's record stays the journey's), and an aspect page fits a phone's width.
"""
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"
YEAR = 2569
SAVED = "บันทึกข้อมูลเรียบร้อยแล้ว"
NOT_WHOLE = "กรุณากรอกเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป"

NOT_DONE_ASPECT = 8  # answered only with "ไม่ได้ดำเนินการ"
TYPED = ("3", "1", "2.5")  # volume, days, hours typed into every question of the other aspects
KEPT_ROW = {"detail": "ประชุมคณะกรรมการประสานงานท้องถิ่นระดับอำเภอ", "unit": "ครั้ง",
            "volume": "12", "days": "1", "hours": "3"}
DELETED_ROW = {"detail": "ตรวจเยี่ยมศูนย์พัฒนาเด็กเล็ก", "unit": "แห่ง", "volume": "6", "days": "0", "hours": "4.5"}
CUSTOM_LABELS = {"detail": "รายละเอียดการปฏิบัติงาน", "unit": "หน่วยนับ", "volume": "ปริมาณงานต่อปี",
                 "days": "จำนวนวัน", "hours": "จำนวนชั่วโมง"}


# --- Helpers --------------------------------------------------------------------------------------

def log_in(page: Page, stack, username: str, district: str) -> None:
    """Log in through the SSO page and land on the district's status page of the open round."""
    page.goto(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(f"{stack.url}/workload/{YEAR}/districts/{district}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("สถานะการบันทึกข้อมูล สถอ.")


def open_menu(page: Page, name: str) -> None:
    """Follow one link of the left menu "ข้อมูล สถอ."."""
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name=name).click()


def open_aspect(page: Page, number: int) -> None:
    open_menu(page, f"ด้านที่ {number}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"ด้านที่ {number} ")


def questions(page: Page):
    return page.locator("fieldset.question")


def fill_aspect(page: Page, number: int, values=TYPED, not_done=False) -> int:
    """Answer every question of an aspect, typed or with "ไม่ได้ดำเนินการ", and save it; how many questions."""
    open_aspect(page, number)
    count = questions(page).count()
    assert count > 0
    for index in range(count):
        question = questions(page).nth(index)
        if not_done:
            question.get_by_role("button", name="ไม่ได้ดำเนินการ").click()
        else:
            question.get_by_label("ปริมาณงานต่อปี").fill(values[0])
            question.get_by_label("จำนวนวัน").fill(values[1])
            question.get_by_label("จำนวนชั่วโมง").fill(values[2])
    if not_done:  # the buttons filled 0, 0, 0 in the browser, before anything is sent
        expect_answer(questions(page).last, ("0", "0", "0"))
    page.get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page).to_have_url(re.compile(rf"/aspects/{number}\?saved=1$"))
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    return count


def expect_answer(question, values) -> None:
    for label, value in zip(("ปริมาณงานต่อปี", "จำนวนวัน", "จำนวนชั่วโมง"), values):
        expect(question.get_by_label(label)).to_have_value(value)


def add_custom_row(page: Page, row: dict) -> None:
    add = page.locator("details.add-custom")
    add.locator("summary").filter(has_text="เพิ่มข้อมูล").click()
    for name, label in CUSTOM_LABELS.items():
        add.get_by_label(label).fill(row[name])
    add.get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page).to_have_url(re.compile(r"/custom\?saved=1$"))
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()


def custom_row(page: Page, detail: str):
    """The saved custom row whose delete button names this detail."""
    return page.locator("li[data-custom-row]").filter(
        has=page.get_by_role("button", name=f"ลบรายการ {detail}", exact=True))


def expect_custom_row(row, values: dict) -> None:
    for name, label in CUSTOM_LABELS.items():
        expect(row.get_by_label(label)).to_have_value(values[name])


def expect_status(page: Page, number: int, status: str) -> None:
    expect(page.locator(f"tr[data-aspect='{number}']")).to_have_attribute("data-status", status)


# --- Tests ----------------------------------------------------------------------------------------

def test_district_fills_contact_eight_aspects_and_custom_rows_and_finds_them_after_reload(stack, page):
    log_in(page, stack, "demo-district", "8101")
    base = f"{stack.url}/workload/{YEAR}/districts/8101"

    # ข้อมูล ติดต่อ สถอ.: Thai phone formats with spaces, and one more district of กระบี่.
    open_menu(page, "ข้อมูล ติดต่อ สถอ.")
    expect(page.get_by_role("heading", level=1)).to_have_text("ข้อมูล ติดต่อ สถอ.")
    page.get_by_label("ที่อยู่").fill("ที่ว่าการอำเภอเมืองกระบี่ ถนนอุตรกิจ ตำบลปากน้ำ (ข้อมูลสมมติ)")
    page.get_by_label("โทรศัพท์", exact=True).fill("075 611 234")
    page.get_by_label("ชื่อ-สกุล").fill("นางสาวสมหญิง ทดสอบ")
    page.get_by_label("เบอร์โทรศัพท์มือถือ").fill("081 234 5678")
    page.get_by_label("E-mail Address").fill("district8101@example.org")
    own, other = page.get_by_label("เมืองกระบี่", exact=True), page.get_by_label("คลองท่อม", exact=True)
    expect(own).to_be_checked()
    expect(own).to_be_disabled()  # its own district is always among them
    other.check()
    page.get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page).to_have_url(base + "/contact?saved=1")
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    expect(page.get_by_label("โทรศัพท์", exact=True)).to_have_value("075611234")
    expect(page.get_by_label("เบอร์โทรศัพท์มือถือ")).to_have_value("0812345678")
    expect(page.get_by_label("คลองท่อม", exact=True)).to_be_checked()

    # The eight aspects: one with "ไม่ได้ดำเนินการ" only, the others typed.
    for number in range(1, 9):
        fill_aspect(page, number, not_done=number == NOT_DONE_ASPECT)
        expect(page.locator("p").filter(has_text="บันทึกข้อมูลครบถ้วน ·")).to_be_visible()

    # ข้อมูลเฉพาะ สถอ.: two rows outside the eight aspects.
    open_menu(page, "ข้อมูลเฉพาะ สถอ.")
    expect(page.get_by_role("heading", level=1)).to_have_text("ข้อมูลเฉพาะ สถอ.")
    add_custom_row(page, KEPT_ROW)
    add_custom_row(page, DELETED_ROW)
    expect_custom_row(custom_row(page, KEPT_ROW["detail"]), KEPT_ROW)
    expect_custom_row(custom_row(page, DELETED_ROW["detail"]), DELETED_ROW)

    # The status page: every aspect complete, and the record as a whole.
    open_menu(page, "สถานะการบันทึกข้อมูล สถอ.")
    expect(page).to_have_url(base + "/")
    for number in range(1, 9):
        expect_status(page, number, "complete")
    expect(page.locator("p.record-summary")).to_have_attribute("data-complete", "yes")
    expect(page.locator("p.record-summary")).to_have_text("บันทึกข้อมูลครบทั้ง 8 ด้านและข้อมูลติดต่อแล้ว")
    districts = page.get_by_role("heading", name="2. อำเภอที่รับผิดชอบ").locator("xpath=..").locator("p")
    for name in ("เมืองกระบี่", "คลองท่อม"):  # order not asserted: the form sends its own district last
        expect(districts).to_contain_text(name)

    # Delete one custom row, accepting the confirmation.
    open_menu(page, "ข้อมูลเฉพาะ สถอ.")
    asked = []

    def accept(dialog):
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name=f"ลบรายการ {DELETED_ROW['detail']}", exact=True).click()
    expect(page).to_have_url(base + "/custom?saved=1")
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    assert asked == [f'ต้องการลบรายการ "{DELETED_ROW["detail"]}" ทั้งรายการใช่หรือไม่']

    # After a reload the same data is there: the remaining row, a saved aspect, the complete status.
    page.reload()
    expect(custom_row(page, DELETED_ROW["detail"])).to_have_count(0)
    expect(custom_row(page, KEPT_ROW["detail"])).to_have_count(1)
    expect_custom_row(custom_row(page, KEPT_ROW["detail"]), KEPT_ROW)

    open_aspect(page, 3)
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_count(0)
    page.reload()
    for index in range(questions(page).count()):
        expect_answer(questions(page).nth(index), TYPED)
    open_aspect(page, NOT_DONE_ASPECT)
    expect_answer(questions(page).first, ("0", "0", "0"))
    expect_answer(questions(page).last, ("0", "0", "0"))

    open_menu(page, "สถานะการบันทึกข้อมูล สถอ.")
    page.reload()
    for number in range(1, 9):
        expect_status(page, number, "complete")
    expect(page.locator("p.record-summary")).to_have_attribute("data-complete", "yes")


def test_invalid_volume_is_refused_beside_its_field_and_the_aspect_is_not_saved(stack, page):
    log_in(page, stack, "d-8102", "8102")  # เขาพนม: a record no other test writes
    expect_status(page, 1, "empty")
    open_aspect(page, 1)
    first = questions(page).first
    for index in range(questions(page).count()):  # everything valid but one volume
        question = questions(page).nth(index)
        question.get_by_label("ปริมาณงานต่อปี").fill("abc" if index == 0 else TYPED[0])
        question.get_by_label("จำนวนวัน").fill(TYPED[1])
        question.get_by_label("จำนวนชั่วโมง").fill(TYPED[2])
    page.get_by_role("button", name="บันทึกข้อมูล").click()

    expect(page.get_by_role("alert")).to_contain_text("ข้อมูลไม่ถูกต้อง 1 ช่อง")
    volume = first.get_by_label("ปริมาณงานต่อปี")
    expect(volume).to_have_value("abc")  # what was typed is kept
    expect(volume).to_have_attribute("aria-invalid", "true")
    expect(volume).to_have_accessible_description(NOT_WHOLE)
    expect(volume.locator("xpath=..").locator(".field-error")).to_have_text(NOT_WHOLE)
    expect(first.get_by_label("จำนวนวัน")).not_to_have_attribute("aria-invalid", "true")
    expect(questions(page).nth(1).get_by_label("ปริมาณงานต่อปี")).to_have_value(TYPED[0])
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_count(0)

    open_menu(page, "สถานะการบันทึกข้อมูล สถอ.")
    expect_status(page, 1, "empty")  # not one answer of the form was saved
    expect(page.locator("p.record-summary")).to_have_attribute("data-complete", "no")


def test_aspect_page_fits_a_phone_without_horizontal_scrolling(stack, phone_page):
    page = phone_page
    log_in(page, stack, "demo-district", "8101")
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("button", name="ข้อมูล สถอ.").click()  # folded
    open_aspect(page, 1)
    expect(questions(page).first.get_by_role("button", name="ไม่ได้ดำเนินการ")).to_be_visible()
    width = page.evaluate("document.fonts.ready.then(() => document.documentElement.scrollWidth)")
    assert width <= 390, f"the aspect page is {width}px wide on a 390px phone"
