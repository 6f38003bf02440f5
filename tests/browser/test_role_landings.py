"""Every role of the demo walks from the home page (#21.3): it signs in from the header, lands somewhere that
fits its work, and every shortcut the home page offers it opens a page with that work on it, never an empty one.
The SSO admin's work is จัดการผู้ใช้; its "กำหนดรหัสผ่านใหม่" asks first, naming the user, even without JavaScript."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from sso.services import hasher

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo-pass-2568"

# user → (where signing in from the header lands, and the heading there;
#         every home shortcut: its words, where it leads, the heading there and something of its work on it)
ROLES = {
    "demo-district": ("/", "ศูนย์ประสานงานท้องถิ่นอำเภอ", [
        ("ข้อมูล สถอ.", "/workload/2569/districts/8101/", "สถานะการบันทึกข้อมูล สถอ.", "ด้านที่ 1"),
        ("ข่าวประชาสัมพันธ์ของ สถอ.", "/news/manage/", "จัดการข่าวประชาสัมพันธ์", "ประชุมชี้แจงการบันทึกข้อมูล"),
    ]),
    "demo-province": ("/", "ศูนย์ประสานงานท้องถิ่นอำเภอ", [
        ("สถานะการบันทึกข้อมูลของจังหวัด", "/workload/2569/provinces/81/", "สถานะการบันทึกข้อมูล สถอ. จังหวัดกระบี่",
         "เกาะลันตา"),
        ("ข่าวรออนุมัติ", "/news/manage/", "จัดการข่าวประชาสัมพันธ์", "รออนุมัติ"),
    ]),
    "demo-ssoadmin": ("/sso/admin/users", "ตรวจสอบ User", [
        ("จัดการผู้ใช้", "/sso/admin/users", "ตรวจสอบ User", "demo-district"),
        ("เพิ่มผู้ใช้งาน", "/sso/admin/users/new", "เพิ่มผู้ใช้งาน", "ชื่อที่แสดง"),
    ]),
    "demo-central": ("/", "ศูนย์ประสานงานท้องถิ่นอำเภอ", [
        ("ภาพรวมการบันทึกข้อมูลทั้งประเทศ", "/workload/2569/provinces/", "ภาพรวมการบันทึกข้อมูล ปีงบประมาณ 2569",
         "นครราชสีมา"),
        ("จัดการรอบและข้อคำถาม", "/workload/rounds/", "รอบการบันทึกข้อมูลและข้อคำถาม", "2569"),
        ("จัดการผู้ใช้", "/sso/admin/users", "ตรวจสอบ User", "ผู้ใช้งานทุกจังหวัด"),
        ("แก้ไขเนื้อหาเว็บไซต์", "/portal/manage/", "แก้ไขเนื้อหาเว็บไซต์", "ชุดความรู้"),
        ("เชื่อมโยงทะเบียน ทถอ.", "/directory/admin/sync", "ซิงก์ข้อมูลทะเบียน ทถอ. จาก DLA Connect", "DLA Connect"),
    ]),
}


def sign_in_from_the_header(page, url, username):
    page.goto(url + "/")
    page.locator(".userbox").get_by_role("link", name="เข้าสู่ระบบ").click()
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_lands_on_its_work_and_every_home_shortcut_opens_a_page_of_it(stack, page, username):
    landing, heading, shortcuts = ROLES[username]
    sign_in_from_the_header(page, stack.url, username)
    expect(page).to_have_url(stack.url + landing)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)

    page.goto(stack.url + "/")
    offered = page.get_by_test_id("shortcuts").get_by_role("link")
    expect(offered).to_have_count(len(shortcuts))
    for index, (label, lands, title, work) in enumerate(shortcuts):
        page.goto(stack.url + "/")
        link = offered.nth(index)
        expect(link).to_contain_text(label)
        link.click()
        expect(page).to_have_url(stack.url + lands)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.locator("main")).to_contain_text(work)
        expect(page.locator("main")).not_to_contain_text("ผู้ใช้งานระดับจังหวัด")


def test_the_sso_admin_is_never_greeted_by_the_workload_system(stack, page):
    sign_in_from_the_header(page, stack.url, "demo-ssoadmin")
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="Workload Tracking System").click()
    expect(page).to_have_url(stack.url + "/sso/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจสอบ User")
    expect(page.locator("body")).not_to_contain_text("ผู้ใช้งานระดับจังหวัด")
    page.goto(stack.url + "/")
    expect(page.get_by_test_id("shortcuts")).not_to_contain_text("Workload")


def test_a_visitor_has_no_shortcuts_and_the_workload_asks_it_to_sign_in(stack, page):
    page.goto(stack.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("ศูนย์ประสานงานท้องถิ่นอำเภอ")
    expect(page.get_by_test_id("shortcuts")).to_have_count(0)
    expect(page.get_by_role("heading", name="ข่าวประชาสัมพันธ์ล่าสุด")).to_be_visible()
    expect(page.locator(".news-card")).to_have_count(4)
    page.get_by_role("navigation", name="เมนูหลัก").get_by_role("link", name="Workload Tracking System").click()
    expect(page).to_have_url(stack.url + "/sso/login?next=/workload/")


@pytest.fixture
def d8102_restored(stack):
    """Other tests sign in as d-8102 with the demo password: give it back afterwards."""
    yield "d-8102"
    engine = create_engine(stack.env.get("SSO_DATABASE_URL") or f"sqlite:///{stack.var_dir}/sso.sqlite3")
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :hash, must_change_password = :no "
                          "WHERE username = 'd-8102'"), {"hash": hasher.hash(DEMO_PASSWORD), "no": False})
    engine.dispose()


def test_a_new_password_is_set_only_once_the_admin_confirms_it_for_that_user_even_without_javascript(
        stack, browser, d8102_restored):
    context = browser.new_context(locale="th-TH", java_script_enabled=False)
    page = context.new_page()
    sign_in_from_the_header(page, stack.url, "demo-ssoadmin")
    page.get_by_label("User หรือชื่อ").fill(d8102_restored)
    page.get_by_role("button", name="ค้นหา").click()
    page.get_by_role("link", name=d8102_restored).click()

    page.get_by_role("button", name="กำหนดรหัสผ่านใหม่").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ยืนยันการกำหนดรหัสผ่านใหม่")
    expect(page.get_by_test_id("confirm-user")).to_have_text("ท้องถิ่นอำเภอเขาพนม (User d-8102)")
    expect(page.get_by_test_id("temporary-password")).to_have_count(0)
    page.get_by_role("link", name="ยกเลิก").click()  # nothing done: the user keeps its password
    expect(page.get_by_test_id("state")).to_have_text("ใช้งานได้")
    assert stack.post("/api/sso/token", json={"username": d8102_restored, "password": DEMO_PASSWORD}).status_code == 200

    page.get_by_role("button", name="กำหนดรหัสผ่านใหม่").click()
    page.get_by_role("button", name="ยืนยันกำหนดรหัสผ่านใหม่").click()
    assert len(page.get_by_test_id("temporary-password").inner_text()) == 12
    page.goto(stack.url + f"/sso/admin/users/{d8102_restored}")
    expect(page.get_by_test_id("state")).to_have_text("รอเปลี่ยนรหัสผ่านชั่วคราว")
    context.close()
