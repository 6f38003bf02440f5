"""The portal in the system's Chromium: no serious or critical axe-core violation on home, Toolkits and
FAQ; on a 390 px phone no horizontal scrolling and the main menu folded behind its "เมนู" button; the
central office edits an answer with a preview and the public sees it."""
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
PASSWORD = "demo-pass-2568"
PAGES = ["/", "/toolkits/", "/faq/"]


def serious_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA rules on the loaded page: the serious and critical findings, readable."""
    page.evaluate(AXE.read_text())  # not a <script> tag: the Content-Security-Policy allows no inline script
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
        resultTypes: ["violations"]})""")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(stack, page, path):
    page.goto(stack.url + path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_without_horizontal_scrolling_and_a_menu_button(stack, phone_page, path):
    page = phone_page
    page.goto(stack.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    menu = page.get_by_role("navigation", name="เมนูหลัก")
    button = menu.get_by_role("button", name="เมนู")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="ประเด็นคำถามที่พบบ่อย")).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(page) == []  # the open menu and its button too
    page.keyboard.press("Escape")  # focus is on the button, not in the menu: nothing happens
    menu.get_by_role("link", name="ชุดความรู้ / Toolkits").click()
    expect(page).to_have_url(stack.url + "/toolkits/")


def test_the_menu_stays_open_without_javascript(stack, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(stack.url + "/faq/")
        menu = page.get_by_role("navigation", name="เมนูหลัก")
        expect(menu.get_by_role("link", name="หน้าแรก")).to_be_visible()
        expect(menu.get_by_role("button")).to_have_count(0)  # hidden: nothing to press without a script
    finally:
        context.close()


def test_the_central_office_previews_and_publishes_an_answer(stack, page):
    question = f"คำถามทดสอบจากเบราว์เซอร์ {time.time_ns()}"
    page.goto(stack.url + "/sso/login?next=/portal/manage/faq/new")
    page.get_by_label("User").fill("demo-central")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("เพิ่มรายการ: ประเด็นคำถามที่พบบ่อย")
    page.get_by_label("หมวดหมู่").select_option("การเข้าสู่ระบบและรหัสผ่าน")
    page.get_by_label("คำถาม").fill(question)
    page.get_by_label("คำตอบ").fill("ตอบข้อแรก\n\n- ขั้นที่ 1\n- ขั้นที่ 2")
    page.get_by_label("เผยแพร่บนเว็บไซต์").check()
    page.get_by_role("button", name="ดูตัวอย่าง").click()
    preview = page.locator("section.preview")
    expect(preview.get_by_role("heading", name=question)).to_be_visible()
    expect(preview.get_by_role("listitem")).to_have_count(2)
    assert serious_violations(page) == []
    page.get_by_role("button", name="บันทึก", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("เพิ่มรายการเรียบร้อยแล้ว")
    page.goto(stack.url + "/faq/")
    expect(page.get_by_role("heading", name=question)).to_be_visible()
