"""The record pages on a 390 px phone, in the system's Chromium: content first with the side menu folded, the
province table's district names in view while it scrolls sideways, no Thai word or phrase of the header and
the table's headings broken across lines."""
import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"

# Every line box a text occurrence lands on: more than one top means the word was broken across lines.
BROKEN_WORDS = """([selector, words]) => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const word of words) {
      for (let at = node.data.indexOf(word); at >= 0; at = node.data.indexOf(word, at + 1)) {
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) { broken.push(word); }
      }
    }
  }
  return broken;
}"""


def log_in(page: Page, stack, username: str) -> None:
    page.goto(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()


def test_a_record_page_opens_with_its_content_and_the_side_menu_folded(stack, phone_page):
    page = phone_page
    log_in(page, stack, "demo-district")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("สถานะการบันทึกข้อมูล สถอ.")
    side_menu = page.get_by_role("navigation", name="ข้อมูล สถอ.")
    assert side_menu.bounding_box()["height"] < 80  # one folded line, not ~400 px of links before the content
    expect(heading).to_be_in_viewport()
    expect(side_menu.get_by_role("link", name="ด้านที่ 1")).to_be_hidden()

    toggle = side_menu.get_by_role("button", name="ข้อมูล สถอ.")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    side_menu.get_by_role("link", name="ด้านที่ 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ด้านที่ 1")
    expect(side_menu.get_by_role("link", name="ด้านที่ 2")).to_be_hidden()  # folded again on the next page

    assert page.evaluate(BROKEN_WORDS, ["header", ["ออกจากระบบ", "เปลี่ยนรหัสผ่าน"]]) == []
    logout = page.get_by_role("link", name="ออกจากระบบ")
    assert logout.bounding_box()["height"] < 60  # one line of text in its button


def test_the_province_table_keeps_the_district_name_in_view(stack, phone_page):
    page = phone_page
    log_in(page, stack, "demo-province")
    expect(page).to_have_url(f"{stack.url}/workload/2569/provinces/81/")
    first = page.locator("tbody tr").first.locator("th[scope=row]")
    expect(first).to_have_text("เมืองกระบี่")

    page.locator(".table-wrap").evaluate("wrap => wrap.scrollLeft = wrap.scrollWidth")
    assert page.locator(".table-wrap").evaluate("wrap => wrap.scrollLeft") > 100  # it did scroll sideways
    box = first.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= 390
    middle = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th') !== null",
                           [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert middle  # the name itself, not a cell scrolled over it

    phrases = ["ผู้รับผิดชอบ", "อำเภอที่รับผิดชอบ", "การยืนยันของจังหวัด", "ยังไม่ได้ยืนยันข้อมูล", "เมืองกระบี่",
               "ออกจากระบบ"]
    assert page.evaluate(BROKEN_WORDS, ["body", phrases]) == []
