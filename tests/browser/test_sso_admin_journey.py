"""The manual's SSO admin at work: demo-ssoadmin sets a new password for demo-district, who logs in with
the temporary one and must choose its own before anything else."""
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text

from sso.services import hasher

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo-pass-2568"


def login(page, url, username, password):
    page.goto(url)
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


@pytest.fixture
def demo_district_restored(stack):
    """Later browser tests log in as demo-district with the demo password: give it back afterwards."""
    yield
    engine = create_engine(stack.env.get("SSO_DATABASE_URL") or f"sqlite:///{stack.var_dir}/sso.sqlite3")
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET password_hash = :hash, must_change_password = :no "
                          "WHERE username = 'demo-district'"), {"hash": hasher.hash(DEMO_PASSWORD), "no": False})
    engine.dispose()


def test_sso_admin_resets_a_password_and_the_user_must_choose_a_new_one(stack, browser, demo_district_restored):
    admin_context = browser.new_context(locale="th-TH")
    admin = admin_context.new_page()
    login(admin, stack.url + "/sso/login?next=/sso/admin/users", "demo-ssoadmin", DEMO_PASSWORD)
    expect(admin.get_by_role("heading", level=1)).to_have_text("ตรวจสอบ User")
    admin.get_by_label("User หรือชื่อ").fill("demo-district")
    admin.get_by_role("button", name="ค้นหา").click()
    admin.get_by_role("link", name="demo-district").click()
    expect(admin.get_by_test_id("state")).to_have_text("ใช้งานได้")
    admin.get_by_role("button", name="กำหนดรหัสผ่านใหม่").click()
    expect(admin.get_by_test_id("confirm-user")).to_have_text("ท้องถิ่นอำเภอเมืองกระบี่ (User demo-district)")
    admin.get_by_role("button", name="ยืนยันกำหนดรหัสผ่านใหม่").click()
    temporary = admin.get_by_test_id("temporary-password").inner_text()
    assert len(temporary) == 12

    user_context = browser.new_context(locale="th-TH")
    user = user_context.new_page()
    login(user, stack.url + "/sso/login?next=/workload/", "demo-district", DEMO_PASSWORD)
    expect(user.get_by_role("alert")).to_contain_text("รหัสผ่านไม่ถูกต้อง")  # the old one is gone
    time.sleep(1.1)  # a wrong password delays the next attempt from here by 1 s
    login(user, stack.url + "/sso/login?next=/workload/", "demo-district", temporary)
    expect(user.get_by_role("heading", level=1)).to_have_text("เปลี่ยนรหัสผ่าน")
    expect(user.locator("#temporary-note")).to_be_visible()
    user.goto(stack.url + "/workload/")  # nothing else opens until the password is changed
    expect(user).to_have_url(stack.url + "/sso/password?next=/workload/")

    user.get_by_label("รหัสผ่านใหม่", exact=True).fill("qwertyuiop")
    user.get_by_label("ยืนยันรหัสผ่านใหม่").fill("qwertyuiop")
    user.get_by_role("button", name="บันทึกรหัสผ่านใหม่").click()
    expect(user.get_by_role("alert")).to_contain_text("คาดเดาได้ง่าย")
    user.get_by_label("รหัสผ่านใหม่", exact=True).fill("Krabi-Muang-2569!")
    user.get_by_label("ยืนยันรหัสผ่านใหม่").fill("Krabi-Muang-2569!")
    user.get_by_role("button", name="บันทึกรหัสผ่านใหม่").click()
    expect(user).to_have_url(stack.url + "/workload/2569/districts/8101/")
    expect(user.get_by_test_id("user-name")).to_have_text("ท้องถิ่นอำเภอเมืองกระบี่")

    admin.goto(stack.url + "/sso/admin/log")
    expect(admin.locator(".log-table")).to_contain_text("ผู้ใช้เปลี่ยนรหัสผ่านเอง")
    expect(admin.locator(".log-table")).to_contain_text("กำหนดรหัสผ่านใหม่")
    admin_context.close()
    user_context.close()


def test_a_browser_still_holding_its_old_cookie_signs_in_with_the_temporary_password(stack, browser):
    """The user is signed in when the SSO admin resets its password: its cookie is still there, validly signed,
    of a session that has ended. It must never stand in the way of the next login."""
    user_context = browser.new_context(locale="th-TH")
    user = user_context.new_page()
    login(user, stack.url + "/sso/login?next=/workload/", "d-3020", DEMO_PASSWORD)
    expect(user.get_by_test_id("user-name")).to_be_visible()

    reset = stack.post("/api/sso/admin/users/d-3020/password-reset", headers=stack.bearer("s-30"))
    assert reset.status_code == 200
    temporary = reset.json()["temporary_password"]
    assert any(c["name"] == "dcc_session" for c in user_context.cookies())  # the browser still holds it

    user.goto(stack.url + "/sso/login?next=/workload/")
    expect(user.get_by_test_id("user-name")).to_have_count(0)  # not greeted by the ended session
    user.get_by_label("User").fill("d-3020")
    user.get_by_label("Password").fill(temporary)
    user.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(user.get_by_role("heading", level=1)).to_have_text("เปลี่ยนรหัสผ่าน")
    expect(user.locator("#temporary-note")).to_be_visible()
    user_context.close()
