"""Unsaved work and the idle limit, in the system's Chromium.

Numbers typed on an aspect page but not saved are kept in this browser, per user and page, and offered back
after a reload ("นำข้อมูลกลับมา" / "ไม่ใช้"); logging out erases them, saving clears them. A few minutes before
the idle limit (SSO_IDLE_SECONDS, 30 minutes by default) a warning offers "ใช้งานต่อ"; the browser's clock is
fast-forwarded to reach it.

Users no other test writes: d-9001 (เมืองสงขลา) for the drafts, d-9002 (สทิงพระ) for saving, d-9003 (จะนะ)
for the idle warning.
"""
import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"
YEAR = 2569
ASPECT = 2
DRAFT_PREFIX = "dcc-draft:"
OFFER = "พบข้อมูลที่พิมพ์ไว้ในหน้านี้แต่ยังไม่ได้บันทึก"
SAVED = "บันทึกข้อมูลเรียบร้อยแล้ว"
IDLE_TEXT = "ไม่มีการทำรายการมานาน ระบบจะตัดการเชื่อมต่อใน"
LABELS = ("ปริมาณงานต่อปี", "จำนวนวัน", "จำนวนชั่วโมง")
TYPED = ("7", "2", "1.5")
EMPTY = ("", "", "")


# --- Helpers --------------------------------------------------------------------------------------

def log_in(page: Page, stack, district: str) -> None:
    """Log in as the generated user d-<district> and land on its status page of the open round."""
    page.goto(stack.url + "/sso/login?next=/workload/")
    page.get_by_label("User").fill(f"d-{district}")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(f"{stack.url}/workload/{YEAR}/districts/{district}/")


def log_out(page: Page, stack) -> None:
    """The "ออกจากระบบ" link, then "ยืนยัน" in its dialog."""
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    expect(page).to_have_url(stack.url + "/sso/login?logged_out=1")
    expect(page.get_by_role("status")).to_have_text("ออกจากระบบเรียบร้อยแล้ว")
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()


def aspect_path(district: str) -> str:
    return f"/workload/{YEAR}/districts/{district}/aspects/{ASPECT}"


def open_aspect(page: Page, stack, district: str) -> None:
    page.goto(stack.url + aspect_path(district))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"ด้านที่ {ASPECT} ")


def questions(page: Page):
    return page.locator("fieldset.question")


def type_answer(question, values=TYPED) -> None:
    for label, value in zip(LABELS, values):
        question.get_by_label(label).fill(value)


def expect_answer(question, values) -> None:
    for label, value in zip(LABELS, values):
        expect(question.get_by_label(label)).to_have_value(value)


def offer(page: Page):
    return page.get_by_role("status").filter(has_text=OFFER)


def draft_keys(page: Page) -> list[str]:
    """The keys of the drafts this browser keeps (for every user and page)."""
    return page.evaluate("prefix => Object.keys(localStorage).filter(key => key.startsWith(prefix)).sort()",
                         DRAFT_PREFIX)


def draft_key(district: str) -> str:
    """The key of the aspect form's draft: user, page, the form's index on the page."""
    return f"{DRAFT_PREFIX}d-{district}:{aspect_path(district)}:0"


# --- Tests ----------------------------------------------------------------------------------------

def test_typed_answers_are_offered_back_after_a_reload_and_can_be_discarded(stack, page):
    log_in(page, stack, "9001")
    open_aspect(page, stack, "9001")
    first = questions(page).first
    expect(offer(page)).to_have_count(0)
    type_answer(first)
    assert draft_keys(page) == [draft_key("9001")]  # per user: "dcc-draft:d-9001:" and the page

    page.reload()
    first = questions(page).first
    expect_answer(first, EMPTY)  # nothing was saved
    expect(offer(page)).to_be_visible()
    expect(offer(page).get_by_role("button", name="ไม่ใช้")).to_be_visible()
    offer(page).get_by_role("button", name="นำข้อมูลกลับมา").click()
    expect_answer(first, TYPED)
    expect(offer(page)).to_have_count(0)
    expect_answer(questions(page).nth(1), EMPTY)

    # The draft is still kept until it is saved or refused: "ไม่ใช้" erases it.
    page.reload()
    offer(page).get_by_role("button", name="ไม่ใช้").click()
    expect(offer(page)).to_have_count(0)
    expect_answer(questions(page).first, EMPTY)
    assert draft_keys(page) == []
    page.reload()
    expect(questions(page).first.get_by_label(LABELS[0])).to_be_visible()
    expect(offer(page)).to_have_count(0)


def test_logging_out_erases_the_drafts_and_the_next_login_gets_no_offer(stack, page):
    log_in(page, stack, "9001")
    open_aspect(page, stack, "9001")
    type_answer(questions(page).first)
    assert draft_keys(page) == [draft_key("9001")]

    log_out(page, stack)
    assert draft_keys(page) == []

    log_in(page, stack, "9001")
    open_aspect(page, stack, "9001")
    expect_answer(questions(page).first, EMPTY)
    expect(offer(page)).to_have_count(0)
    assert draft_keys(page) == []


def test_saving_clears_the_draft(stack, page):
    log_in(page, stack, "9002")
    open_aspect(page, stack, "9002")
    for index in range(questions(page).count()):
        type_answer(questions(page).nth(index))
    assert draft_keys(page) == [draft_key("9002")]

    page.get_by_role("button", name="บันทึกข้อมูล").click()
    expect(page).to_have_url(re.compile(rf"/aspects/{ASPECT}\?saved=1$"))
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    assert draft_keys(page) == []

    open_aspect(page, stack, "9002")  # without ?saved=1
    expect_answer(questions(page).first, TYPED)
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_have_count(0)
    expect(offer(page)).to_have_count(0)
    assert draft_keys(page) == []


def test_idle_warning_appears_before_the_limit_and_using_it_again_hides_it(stack, page):
    page.clock.install()
    log_in(page, stack, "9003")
    open_aspect(page, stack, "9003")
    warning = page.locator("[data-idle-warning]")
    idle_seconds = int(page.locator("script[data-idle-seconds]").get_attribute("data-idle-seconds"))
    lead = min(300, idle_seconds // 6)
    expect(warning).to_be_hidden()

    page.clock.fast_forward((idle_seconds - lead - 30) * 1000)  # not yet
    expect(warning).to_be_hidden()
    page.clock.fast_forward(60_000)
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(IDLE_TEXT)
    expect(warning.locator("[data-idle-minutes]")).to_have_text(str(max(1, round(lead / 60))))
    stay = warning.get_by_role("button", name="ใช้งานต่อ")
    expect(stay).to_be_focused()

    with page.expect_response(re.compile(r"/api/workload/me$")) as asked:
        stay.click()  # asks /api/workload/me with the cookie, then arms the timer again
    assert asked.value.status == 200  # still signed in: no reload towards the login
    expect(warning).to_be_hidden()
    expect(page).to_have_url(stack.url + aspect_path("9003"))

    page.clock.fast_forward((idle_seconds - lead + 30) * 1000)
    expect(warning).to_be_visible()
