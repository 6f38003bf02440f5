"""Lists by name in Thai dictionary order (shared.collation), in the system's Chromium: the province page sorted
by district name, and the province list of "ตรวจสอบรายชื่อ SSO Admin"."""
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# กระบี่'s eight districts as a Thai dictionary files them: เกาะลันตา under ก, เมืองกระบี่ under ม.
KRABI_BY_NAME = ["เกาะลันตา", "เขาพนม", "คลองท่อม", "ปลายพระยา", "เมืองกระบี่", "ลำทับ", "เหนือคลอง", "อ่าวลึก"]
KRABI_BY_CODE = ["เมืองกระบี่", "เขาพนม", "เกาะลันตา", "คลองท่อม", "อ่าวลึก", "ปลายพระยา", "ลำทับ", "เหนือคลอง"]


def test_the_province_sorts_its_districts_by_name(stack, page):
    page.goto(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill("demo-province")
    page.get_by_label("Password").fill("demo-pass-2568")
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    names = page.locator("tbody th[scope=row]")
    expect(names).to_have_text(KRABI_BY_CODE)

    page.get_by_role("link", name="ตามชื่อ").click()
    expect(names).to_have_text(KRABI_BY_NAME)
    expect(page.get_by_role("link", name="ตามชื่อ")).to_have_attribute("aria-current", "true")
    page.get_by_role("link", name="ตามรหัส").click()
    expect(names).to_have_text(KRABI_BY_CODE)


def test_provinces_to_choose_from_are_in_dictionary_order(stack, page):
    page.goto(stack.url + "/sso/admins")
    options = page.get_by_label("จังหวัด").locator("option:not([value=''])")
    first = options.all_inner_texts()[:6]
    assert first == ["กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี"]
    texts = options.all_inner_texts()
    assert texts.index("เชียงใหม่") < texts.index("ตาก")  # เชียงใหม่ under ช, not after every ฮ
