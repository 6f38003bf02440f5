"""What users hit walking through the Workload Tracking System (#20), each as the user's steps in Chromium:
the downloads found on the pages, the rounds page's confirmations and dates, Buddhist-Era dates typed (news
too), plausibility flags, the histories in people's names and Thai words, the counts and the year comparison,
covered districts; the rounds page and the province page also at 390 px.

Round 2568 (closed, demo data) is what is downloaded; the rounds page works on a round of its own (2575)
so that the open round 2569 of the other journeys is never touched."""
import csv
import io

import pytest
import requests
from playwright.sync_api import Page, expect

from shared import geography
from shared.testing import fill_record_over_http

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"


def log_in(page: Page, stack, username: str, next_path: str = "/workload/") -> None:
    page.goto(f"{stack.url}/sso/login?next={next_path}")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("link", name="ออกจากระบบ")).to_be_visible()


def download(page: Page, link) -> tuple[str, bytes]:
    """Click a download link: (the file name the browser offers, the bytes)."""
    with page.expect_download() as started:
        link.click()
    done = started.value
    with open(done.path(), "rb") as file:
        return done.suggested_filename, file.read()


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


# --- 1. Downloads findable ----------------------------------------------------------------------------

def test_the_central_office_downloads_the_nation_on_the_basis_it_chose(stack, page):
    log_in(page, stack, "demo-central")
    page.goto(f"{stack.url}/workload/2568/provinces/")
    season = page.get_by_role("region", name="ดาวน์โหลดข้อมูล")
    expect(season).to_contain_text("เฉพาะอำเภอที่บันทึกข้อมูลครบถ้วน")
    expect(season.get_by_role("link", name="Excel (.xlsx)")).to_be_visible()

    page.get_by_role("link", name="ภาระงานทั้งประเทศ (ชั่วโมงและอัตรากำลัง)").click()
    page.get_by_label("นับจาก").select_option(label="ทุกอำเภอที่มีการบันทึกข้อมูล (รวมที่ยังไม่ครบ)")
    page.get_by_role("button", name="แสดง").click()
    downloads = page.get_by_role("region", name="ดาวน์โหลดข้อมูล")
    expect(downloads).to_contain_text("นับจากทุกอำเภอที่มีการบันทึกข้อมูล")
    expect(downloads).to_contain_text("แผ่นงาน ปก")
    name, data = download(page, downloads.get_by_role("link", name="Excel (.xlsx)"))
    assert name == "ภาระงาน-2568-ทั้งประเทศ-ทั้งหมด.xlsx" and data.startswith(b"PK")
    name, data = download(page, downloads.get_by_role("link", name="รายจังหวัด"))
    assert name == "ภาระงาน-2568-ทั้งประเทศ-ทั้งหมด-จังหวัด.csv"
    assert len(csv_rows(data)) == 1 + 76


def test_a_province_downloads_its_districts_from_its_pages(stack, page):
    log_in(page, stack, "demo-province")
    page.goto(f"{stack.url}/workload/2568/provinces/81/")
    name, data = download(page, page.get_by_role("region", name="ดาวน์โหลดข้อมูล").get_by_role(
        "link", name="รายอำเภอ (ชั่วโมงรายด้านและ FTE)"))
    assert name == "ภาระงาน-2568-จังหวัดกระบี่-ครบถ้วน-อำเภอ.csv"
    assert {row[0][:2] for row in csv_rows(data)[1:]} == {"81"} and len(csv_rows(data)) == 1 + 8
    page.goto(f"{stack.url}/workload/2568/evidence/provinces/81?basis=confirmed")
    downloads = page.get_by_role("region", name="ดาวน์โหลดข้อมูล")
    expect(downloads.get_by_role("link", name="รายจังหวัด")).to_have_count(0)  # the nation's level only
    name, _ = download(page, downloads.get_by_role("link", name="Excel (.xlsx)"))
    assert name == "ภาระงาน-2568-จังหวัดกระบี่-ยืนยันแล้ว.xlsx"


def test_a_district_downloads_its_own_figures_and_nobody_elses(stack, page):
    log_in(page, stack, "demo-district")
    page.goto(f"{stack.url}/workload/2568/evidence/districts/8101?basis=all")
    name, data = download(page, page.get_by_role("region", name="ดาวน์โหลดข้อมูล").get_by_role(
        "link", name="คำตอบทุกข้อของทุกอำเภอที่นับ"))
    assert name == "ภาระงาน-2568-อำเภอเมืองกระบี่-ทั้งหมด-คำตอบ.csv"
    rows = csv_rows(data)
    assert len(rows) > 10 and {row[0] for row in rows[1:]} == {"8101"}
    refused = page.goto(f"{stack.url}/workload/2568/evidence/export.csv?district=8102&basis=all")
    assert refused.status == 403
    expect(page.get_by_role("heading", name="ไม่มีสิทธิ์ดำเนินการนี้")).to_be_visible()
    api = page.request.get(f"{stack.url}/api/workload/rounds/2568/exports/evidence.xlsx?district=8102")
    assert api.status == 403 and api.headers["content-type"].startswith("application/problem+json")
    assert page.request.get(f"{stack.url}/api/workload/rounds/2568/exports/evidence.xlsx?district=8101").ok


# --- 3. Buddhist-Era dates typed ------------------------------------------------------------------------

def test_a_district_types_the_activity_date_of_its_news_in_the_buddhist_era(stack, page):
    log_in(page, stack, "d-8102", "/news/manage/new")
    page.get_by_label("ชื่อข่าว", exact=True).fill("ท้องถิ่นอำเภอเขาพนมประชุม อปท. ประจำเดือน")
    page.get_by_label("เนื้อหาข่าว").fill("ประชุมประจำเดือนธันวาคม")
    date_field = page.get_by_label("วันที่จัดกิจกรรม")
    date_field.fill("12/31/2026")  # Gregorian month first: refused, said how to type it
    page.get_by_role("button", name="บันทึกร่าง").click()
    expect(page.get_by_text("กรุณากรอกวัน/เดือน/ปี พ.ศ. เช่น 1/12/2569")).to_be_visible()
    expect(date_field).to_have_value("12/31/2026")
    date_field.fill("1/12/2569")
    page.get_by_role("button", name="บันทึกร่าง").click()
    expect(page.get_by_text("วันที่จัดกิจกรรม 1 ธันวาคม 2569")).to_be_visible()
    page.get_by_role("link", name="แก้ไขข่าว").click()
    expect(page.get_by_label("วันที่จัดกิจกรรม")).to_have_value("1/12/2569")


def test_the_province_types_the_publication_date_in_the_buddhist_era(stack, page):
    title = "ท้องถิ่นอำเภอเกาะลันตาจัดอบรม อปท. (เผยแพร่ภายหลัง)"
    log_in(page, stack, "d-8103", "/news/manage/new")
    page.get_by_label("ชื่อข่าว", exact=True).fill(title)
    page.get_by_label("เนื้อหาข่าว").fill("อบรมการบันทึกข้อมูลภาระงาน")
    page.get_by_label("วันที่จัดกิจกรรม").fill("2/12/2569")
    page.get_by_role("button", name="บันทึกและส่งให้ สถจ. พิจารณา").click()
    expect(page.get_by_role("status")).to_contain_text("ส่งให้ สถจ. พิจารณาแล้ว")
    item_path = page.url.split(stack.url, 1)[1].split("?")[0]
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()

    log_in(page, stack, "demo-province", item_path)  # Krabi's province office
    date_field = page.get_by_label("เผยแพร่ตั้งแต่วันที่ (เว้นว่าง = เผยแพร่ทันที)")
    expect(date_field).to_have_attribute("type", "text")
    date_field.fill("1/31/2099")  # Gregorian, month first: refused, nothing approved
    page.get_by_role("button", name="อนุมัติ", exact=True).click()
    expect(page.get_by_text("กรุณากรอกวัน/เดือน/ปี พ.ศ. เช่น 1/12/2569")).to_be_visible()
    expect(page.locator(".state").first).to_contain_text("รออนุมัติ")
    page.get_by_label("เผยแพร่ตั้งแต่วันที่ (เว้นว่าง = เผยแพร่ทันที)").fill("31/1/2642")
    page.get_by_role("button", name="อนุมัติ", exact=True).click()
    expect(page.locator(".state").first).to_have_text("อนุมัติแล้ว (เผยแพร่ 31 มกราคม 2642)")


# --- 2. The rounds page --------------------------------------------------------------------------------

def rounds_row(page: Page, year: int):
    return page.locator("table").first.locator("tbody tr", has=page.get_by_role("cell", name=str(year), exact=True))


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_central_office_creates_a_round_with_be_dates_edits_them_and_is_asked_before_opening_or_closing(
        stack, page):
    log_in(page, stack, "demo-central", "/workload/rounds/")
    table = page.locator("table").first
    expect(table.locator("thead th")).to_have_count(5)
    expect(table.locator("tbody tr").first.locator("td")).to_have_count(5)
    expect(table.locator("thead")).to_contain_text("ชั่วโมงต่อวัน · วันทำงานต่อปี")

    page.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2575")
    page.get_by_label("เปิดระบบ (เวลาประเทศไทย)", exact=True).fill("1/10/2574 08:30")
    page.get_by_label("ปิดระบบ (เวลาประเทศไทย)", exact=True).fill("31/1/2575 16:30")
    page.get_by_role("button", name="เพิ่มรอบ").click()
    expect(page.get_by_role("status")).to_contain_text("บันทึกเรียบร้อยแล้ว")
    row = rounds_row(page, 2575)
    expect(row).to_contain_text("1 ตุลาคม 2574 เวลา 08:30 น.")

    row.get_by_text("แก้ไขช่วงเวลา").click()
    expect(row.get_by_label("เปิดระบบ ปีงบประมาณ 2575", exact=True)).to_have_value("1/10/2574 08:30")
    row.get_by_label("ปิดระบบ ปีงบประมาณ 2575", exact=True).fill("28/2/2575 16:30")
    row.get_by_role("button", name="บันทึกช่วงเวลาใหม่").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เปลี่ยนช่วงเวลาบันทึกข้อมูล: ปีงบประมาณ 2575")
    expect(page.get_by_text("เป็น 1 ตุลาคม 2574 เวลา 08:30 น. – 28 กุมภาพันธ์ 2575 เวลา 16:30 น.")).to_be_visible()
    page.get_by_role("button", name="ยืนยันช่วงเวลาใหม่").click()
    expect(rounds_row(page, 2575)).to_contain_text("28 กุมภาพันธ์ 2575 เวลา 16:30 น.")

    rounds_row(page, 2575).get_by_role("button", name="เปิดระบบทันที").click()
    expect(page.get_by_text("ท้องถิ่นอำเภอทั้ง 878 แห่ง จะบันทึกข้อมูลของปีงบประมาณ 2575 ได้ตั้งแต่ตอนนี้")).to_be_visible()
    page.get_by_role("link", name="ยกเลิก").click()
    expect(rounds_row(page, 2575).locator(".open-badge")).to_have_count(0)  # cancelled: nothing opened
    rounds_row(page, 2575).get_by_role("button", name="เปิดระบบทันที").click()
    page.get_by_role("button", name="ยืนยันเปิดระบบทันที").click()
    expect(rounds_row(page, 2575).locator(".open-badge")).to_have_text("เปิดบันทึกข้อมูล")

    rounds_row(page, 2575).get_by_role("button", name="ปิดระบบทันที").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ปิดระบบทันที: ปีงบประมาณ 2575")
    expect(page.get_by_text("ท้องถิ่นอำเภอทั้ง 878 แห่ง จะบันทึกและแก้ไขข้อมูลของปีงบประมาณ 2575 ไม่ได้อีก")).to_be_visible()
    page.get_by_role("button", name="ยืนยันปิดระบบทันที").click()
    expect(rounds_row(page, 2575).locator(".open-badge")).to_have_count(0)
    expect(rounds_row(page, 2569).locator(".open-badge")).to_have_text("เปิดบันทึกข้อมูล")  # the others untouched


def rounds_row_html(html: str, year: int) -> str:
    """One round's row of the rounds page's first table, as HTML."""
    table = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    [row] = [row for row in table.split("<tr")[1:] if f"<td>{year}</td>" in row]
    return row


def test_close_now_without_confirmation_changes_nothing(stack):
    session, _ = stack.sign_in("demo-central", next_path="/workload/rounds/")
    central = stack.bearer("demo-central")
    before = stack.get("/api/workload/rounds/2569", headers=central).json()
    page = session.get(stack.url + "/workload/rounds/", timeout=10).text
    assert before["is_open"] and '<strong class="open-badge">เปิดบันทึกข้อมูล</strong>' in rounds_row_html(page, 2569)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    asked = session.post(stack.url + "/workload/rounds/2569/window", data={"csrf_token": csrf, "action": "close_now"},
                         allow_redirects=False, timeout=10)
    assert asked.status_code == 200 and "ยืนยันปิดระบบทันที" in asked.text
    row = rounds_row_html(session.get(stack.url + "/workload/rounds/", timeout=10).text, 2569)
    assert '<strong class="open-badge">เปิดบันทึกข้อมูล</strong>' in row  # 2569's own row: still open
    after = stack.get("/api/workload/rounds/2569", headers=central).json()
    assert after["is_open"] and (after["opens_at"], after["closes_at"]) == (before["opens_at"], before["closes_at"])


def test_the_rounds_page_and_its_confirmation_on_a_phone(stack, phone_page):
    page = phone_page
    log_in(page, stack, "demo-central", "/workload/rounds/")
    assert fits_the_screen(page)
    rounds_row(page, 2569).get_by_role("button", name="ปิดระบบทันที").click()
    button = page.get_by_role("button", name="ยืนยันปิดระบบทันที")
    expect(button).to_be_in_viewport()
    assert fits_the_screen(page)
    page.get_by_role("link", name="ยกเลิก").click()
    expect(rounds_row(page, 2569).locator(".open-badge")).to_have_text("เปิดบันทึกข้อมูล")


def test_the_province_page_offers_its_downloads_on_a_phone(stack, phone_page):
    page = phone_page
    log_in(page, stack, "demo-province")
    downloads = page.get_by_role("region", name="ดาวน์โหลดข้อมูล")
    downloads.scroll_into_view_if_needed()
    link = downloads.get_by_role("link", name="Excel (.xlsx)")
    box = link.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= 390
    assert fits_the_screen(page)
    legend = page.get_by_role("list", name="สรุป")  # the counts in the manual's words, readable on the phone
    legend.scroll_into_view_if_needed()
    expect(legend).to_contain_text("บันทึกข้อมูลยังไม่ครบถ้วน")
    box = legend.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= 390


def test_the_year_comparison_on_a_phone(stack, phone_page):
    page = phone_page
    log_in(page, stack, "demo-province", "/workload/2569/evidence/provinces/81")
    page.goto(f"{stack.url}/workload/2569/evidence/compare?with=2568&province=81")
    note = page.locator('[data-figure="common"]')
    expect(note).to_contain_text("อำเภอที่มีข้อมูลทั้งสองปี")
    expect(note).to_be_in_viewport()
    assert fits_the_screen(page)


# --- 4. Plausibility flags -------------------------------------------------------------------------------

FLAGGED = "3013"  # answers far above its 2568 record: flagged (no other test writes it)
CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "044123456", "person_name": "นางสาวทดสอบ ระบบ",
           "person_mobile": "0812345678", "person_email": "d3013@example.org", "responsible_districts": []}


def test_the_province_sees_each_flagged_answer_with_both_years_also_when_confirming(stack, page):
    fill_record_over_http(stack.url, stack.bearer(f"d-{FLAGGED}"), FLAGGED, CONTACT, answer=("24", "5", "6"))
    log_in(page, stack, f"d-{FLAGGED}")
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 1").click()
    flag = page.locator(".plausibility").first
    expect(flag).to_contain_text("ปีนี้ 984 ชม./ปี · ปีงบประมาณ 2568")
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()

    log_in(page, stack, "p-30")
    row = page.locator(f'tr[data-district="{FLAGGED}"]')
    row.locator("summary", has_text="ข้อมูลที่ควรตรวจสอบ").click()
    listed = row.locator("details.plausibility li")
    expect(listed.first).to_contain_text("ปี 2569 984 ชม./ปี · ปี 2568")
    count = listed.count()
    assert count > 0
    row.get_by_role("button", name="ยังไม่ได้ยืนยันข้อมูล").click()
    dialog = page.locator(f"#confirm-{FLAGGED}")
    expect(dialog).to_contain_text(f"มีข้อมูลที่ควรตรวจสอบ {count} ข้อ")
    expect(dialog.locator("li")).to_have_count(count)
    dialog.get_by_role("button", name="ยกเลิก").click()


def test_the_central_office_sets_the_rounds_factor_and_floor(stack, page):
    log_in(page, stack, "demo-central", "/workload/rounds/")
    row = rounds_row(page, 2568)
    row.get_by_text("เกณฑ์ข้อมูลที่ควรตรวจสอบ").click()
    expect(row.get_by_label("จำนวนเท่า ปีงบประมาณ 2568")).to_have_value("10.0")
    expect(row.get_by_label("ชั่วโมงต่อปีขั้นต่ำ ปีงบประมาณ 2568")).to_have_value("40.0")
    row.get_by_label("จำนวนเท่า ปีงบประมาณ 2568").fill("ศูนย์")
    row.get_by_role("button", name="บันทึกเกณฑ์").click()
    expect(page.get_by_role("alert")).to_contain_text("ต้องเป็นตัวเลขมากกว่า 0")
    row = rounds_row(page, 2568)
    row.get_by_text("เกณฑ์ข้อมูลที่ควรตรวจสอบ").click()
    row.get_by_label("จำนวนเท่า ปีงบประมาณ 2568").fill("12")
    row.get_by_role("button", name="บันทึกเกณฑ์").click()
    expect(page.get_by_role("status")).to_contain_text("บันทึกเรียบร้อยแล้ว")
    rounds_row(page, 2568).get_by_text("เกณฑ์ข้อมูลที่ควรตรวจสอบ").click()
    expect(rounds_row(page, 2568).get_by_label("จำนวนเท่า ปีงบประมาณ 2568")).to_have_value("12.0")
    expect(page.locator("#round-changes tbody tr").first).to_contain_text("เปลี่ยนเกณฑ์ข้อมูลที่ควรตรวจสอบ")


# --- 5. Record history ----------------------------------------------------------------------------------

def test_the_history_speaks_thai(stack, page):
    contact = {**CONTACT, "person_email": "d3014@example.org", "responsible_districts": ["3015"]}
    fill_record_over_http(stack.url, stack.bearer("d-3014"), "3014", contact, answer=("1200", "0", "2.5"))
    log_in(page, stack, "d-3014")
    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ประวัติการบันทึกข้อมูล").click()
    history = page.locator("ol.history")
    expect(history).to_contain_text("ที่อยู่สำนักงาน")
    expect(history).to_contain_text("อำเภอที่รับผิดชอบ")
    expect(history).to_contain_text("ปริมาณ 1,200 · 0 วัน · 2.5 ชม.")
    expect(history).to_contain_text("ข้อ 1.1")
    expect(history).to_contain_text(f"· {geography.district_office_name('3014')} ·")  # the person, not d-3014
    for internal in ("office_address", "person_mobile", "responsible_districts", "'volume'", "d-3014"):
        expect(history).not_to_contain_text(internal)


def test_the_rounds_change_history_names_the_person_and_speaks_thai(stack, page):
    log_in(page, stack, "demo-central", "/workload/rounds/")
    row = rounds_row(page, 2568)
    row.get_by_text("เกณฑ์ข้อมูลที่ควรตรวจสอบ").click()
    before = row.get_by_label("ชั่วโมงต่อปีขั้นต่ำ ปีงบประมาณ 2568").input_value()
    row.get_by_label("ชั่วโมงต่อปีขั้นต่ำ ปีงบประมาณ 2568").fill("45")
    row.get_by_role("button", name="บันทึกเกณฑ์").click()
    expect(page.get_by_role("status")).to_contain_text("บันทึกเรียบร้อยแล้ว")
    latest = page.locator("#round-changes tbody tr").first
    expect(latest).to_contain_text("กลุ่มพัฒนาระบบบริหาร (ส่วนกลาง)")  # demo-central's display name
    expect(latest).to_contain_text(f"ชั่วโมงต่อปีขั้นต่ำ: {float(before):g}")
    expect(latest).to_contain_text("ชั่วโมงต่อปีขั้นต่ำ: 45")
    changes = page.locator("#round-changes")
    expect(changes).to_contain_text("สร้างรอบ")
    expect(changes).to_contain_text("เปิดระบบ: ")
    for internal in ("plausibility_floor", "opens_at", "closes_at", "hours_per_day", "demo-central", "questions:"):
        expect(changes).not_to_contain_text(internal)


# --- 6. Counts in the manual's words ---------------------------------------------------------------------

def count(page: Page, name: str) -> int:
    return int(page.locator(f'[data-count="{name}"]').first.inner_text().replace(",", ""))


PARTIAL = "5701"  # เมืองเชียงราย: no other test touches Chiang Rai (57)
COUNTED = ("complete", "confirmed", "covered", "incomplete", "empty")


def counts(page: Page) -> dict[str, int]:
    return {name: count(page, name) for name in COUNTED}


def province_row_counts(page: Page, province: str) -> list[str]:
    """The nation page's row of one province: districts, complete, confirmed, covered, incomplete, empty."""
    return page.locator(f'tr[data-province="{province}"] td.num').all_inner_texts()


def test_the_counts_use_the_manuals_words_and_a_partial_record_is_not_counted_as_nothing(stack, page):
    log_in(page, stack, "demo-central", "/workload/2569/provinces/")
    nation_before, chiang_rai_before = counts(page), province_row_counts(page, PARTIAL[:2])
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    log_in(page, stack, f"p-{PARTIAL[:2]}")
    legend = page.get_by_role("list", name="สรุป")
    for words in ("บันทึกข้อมูลครบถ้วน", "บันทึกข้อมูลยังไม่ครบถ้วน", "ไม่มีการบันทึกข้อมูล", "บันทึกแล้วบางส่วน",
                  "ยังไม่ได้บันทึกเลย"):
        expect(legend).to_contain_text(words)
    row = page.locator(f'tr[data-district="{PARTIAL}"]')
    expect(row.get_by_role("img", name="ไม่มีการบันทึกข้อมูล")).to_have_count(8)  # nothing saved yet
    before = counts(page)
    assert before["empty"] >= 1, before

    # The district saves one aspect, and of it one question only: a partial record.
    headers = stack.bearer(f"d-{PARTIAL}")
    base = f"{stack.url}/api/workload/rounds/2569/districts/{PARTIAL}"
    aspect = requests.get(base + "/record", headers=headers, timeout=10).json()["aspects"][0]
    assert aspect["number"] == 1 and len(aspect["questions"]) >= 2
    saved = requests.put(f"{base}/aspects/1", headers=headers, timeout=10, json={
        "version": aspect["version"],
        "answers": [{"question_id": aspect["questions"][0]["id"], "volume": "3", "days": "0", "hours": "1"}]})
    assert saved.ok, saved.text

    page.reload()
    after = counts(page)
    assert after == {**before, "incomplete": before["incomplete"] + 1, "empty": before["empty"] - 1}, after
    expect(row).to_have_attribute("data-complete", "no")
    aspect_cells = row.locator("td.aspect-col")
    expect(aspect_cells.nth(0).get_by_role("img", name="บันทึกข้อมูลยังไม่ครบถ้วน")).to_be_visible()
    expect(row.get_by_role("img", name="ไม่มีการบันทึกข้อมูล")).to_have_count(7)
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()

    log_in(page, stack, "demo-central", "/workload/2569/provinces/")  # the nation's counts move the same way
    assert counts(page) == {**nation_before, "incomplete": nation_before["incomplete"] + 1,
                            "empty": nation_before["empty"] - 1}
    districts, complete, confirmed, covered, incomplete, empty = map(int, chiang_rai_before)
    assert province_row_counts(page, PARTIAL[:2]) == [
        str(n) for n in (districts, complete, confirmed, covered, incomplete + 1, empty - 1)]


def test_the_season_counts_every_district_once(stack, page):
    log_in(page, stack, "demo-central", "/workload/2568/provinces/")  # demo data: nothing claimed twice
    nation = page.get_by_role("list", name="ทั้งประเทศ")
    expect(nation).to_contain_text("ไม่มีการบันทึกข้อมูล")
    assert count(page, "complete") + count(page, "covered") + count(page, "incomplete") + count(page, "empty") == 878


def test_the_year_comparison_sets_only_districts_of_both_years_against_each_other(stack, page):
    contact = {**CONTACT, "person_email": "d3019@example.org", "responsible_districts": []}
    fill_record_over_http(stack.url, stack.bearer("d-3019"), "3019", contact, answer=("3", "1", "0"))
    api = requests.get(f"{stack.url}/api/workload/rounds/2569/evidence/comparison?with=2568&province=30"
                       "&basis=complete", headers=stack.bearer("p-30"), timeout=10).json()
    in_2568 = len(geography.districts("30"))  # the demo recorded every district of 2568 in full
    assert api["earlier"]["counted_in_round"] == in_2568 and 1 <= api["common_districts"] < in_2568

    log_in(page, stack, "p-30", "/workload/2569/evidence/provinces/30")
    page.get_by_role("link", name="2568", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("เปรียบเทียบภาระงาน ปีงบประมาณ 2568 และ 2569")
    note = page.locator('[data-figure="common"]')
    expect(note).to_contain_text(f"เทียบเฉพาะ {api['common_districts']} อำเภอที่มีข้อมูลทั้งสองปี")
    expect(note).to_contain_text(f"ปี 2568 นับได้ {in_2568} อำเภอ")
    expect(note).to_have_text(api["note"])
    expect(page.locator('[data-figure="earlier-hours"]')).to_have_text(f"{api['earlier']['hours']:,.0f}")


# --- 7. Covered districts -------------------------------------------------------------------------------

def test_a_covered_district_is_told_who_covers_it_and_asked_before_recording_separately(stack, page):
    covering = {**CONTACT, "person_email": "d3017@example.org", "responsible_districts": ["3018"]}
    headers = stack.bearer("d-3017")
    base = f"{stack.url}/api/workload/rounds/2569/districts/3017"
    version = requests.get(base + "/record", headers=headers, timeout=10).json()["contact_version"]
    assert requests.put(base + "/contact", json={**covering, "version": version}, headers=headers, timeout=10).ok

    log_in(page, stack, "d-3018")
    note = page.get_by_role("note")
    expect(note).to_contain_text(f"ท้องถิ่นอำเภอ{geography.district('3017').name_th} ซึ่งบันทึกข้อมูลรวมไว้แล้ว")
    expect(note.get_by_role("link", name="ข้อมูลติดต่อ ผอ.กง.ทอ. จังหวัดนครราชสีมา")).to_have_attribute(
        "href", "/directory/provinces/30/")

    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 1").click()
    page.locator("input[name$=_volume]").first.fill("2")
    page.locator("input[name$=_days]").first.fill("0")
    page.locator("input[name$=_hours]").first.fill("1")
    page.get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บันทึกข้อมูลแยกต่างหาก")
    page.get_by_role("link", name="ยกเลิก").click()
    expect(page.locator('tr[data-aspect="1"]')).to_have_attribute("data-status", "empty")  # nothing saved

    page.get_by_role("navigation", name="ข้อมูล สถอ.").get_by_role("link", name="ด้านที่ 1").click()
    page.locator("input[name$=_volume]").first.fill("2")
    page.locator("input[name$=_days]").first.fill("0")
    page.locator("input[name$=_hours]").first.fill("1")
    page.get_by_role("button", name="บันทึกข้อมูล").click()
    page.get_by_role("button", name="ยืนยันว่าปฏิบัติงานแยกต่างหาก").click()
    expect(page.get_by_text("บันทึกข้อมูลเรียบร้อยแล้ว")).to_be_visible()
