"""What users hit walking through the Workload Tracking System (#20), each as the user's steps in Chromium:
the downloads found on the pages, the rounds page's confirmations and dates, Buddhist-Era dates typed.

Round 2568 (closed, demo data) is what is downloaded; the rounds page works on a round of its own (2575)
so that the open round 2569 of the other journeys is never touched."""
import csv
import io

import pytest
from playwright.sync_api import Page, expect

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
