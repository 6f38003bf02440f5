"""The idle limit and logout as the user sees them, in the system's Chromium: the warning leaves "บันทึกข้อมูล"
free (on a phone), the page that follows the limit no longer shows the user, and logging out says so.

The 30 idle minutes pass as the SSO sees them (its sessions' last_seen_at moved back, as tests/stack does) and
as the browser sees them (its clock fast-forwarded). Users no other test writes: d-9004 (นาทวี), d-9005 (เทพา).
"""
import time
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from shared.clock import utcnow

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2568"
ASPECT_PAGE = "/workload/2569/districts/{}/aspects/1"
VERDICT_SECONDS = 3  # SSO_VERDICT_SECONDS: how long nginx keeps the SSO's answer about a token


def log_in(page: Page, stack, username: str, next_path: str) -> None:
    page.goto(f"{stack.url}/sso/login?next={next_path}")
    page.get_by_label("User").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page).to_have_url(stack.url + next_path)


def idle_for_31_minutes(stack, username: str) -> None:
    engine = create_engine(stack.database_urls["sso"])
    with engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET last_seen_at = :t WHERE ended_at IS NULL AND user_id = "
                          "(SELECT id FROM users WHERE username = :u)"),
                     {"t": utcnow() - timedelta(minutes=31), "u": username})
    engine.dispose()


def boxes_overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


def test_the_warning_leaves_the_save_button_free_on_a_phone(stack, phone_page):
    page = phone_page
    page.clock.install()
    path = ASPECT_PAGE.format("9004")
    log_in(page, stack, "d-9004", path)
    idle_seconds = int(page.locator("script[data-idle-seconds]").get_attribute("data-idle-seconds"))
    page.locator("fieldset.question").nth(2).get_by_label("ปริมาณงานต่อปี").click()  # typing into the third question
    page.clock.fast_forward((idle_seconds - 60) * 1000)
    warning = page.get_by_role("alertdialog")
    expect(warning).to_contain_text("ระบบจะตัดการเชื่อมต่อใน")
    save = page.get_by_role("button", name="บันทึกข้อมูล")
    expect(save).to_be_in_viewport()
    assert not boxes_overlap(save.bounding_box(), warning.bounding_box())
    # What the user's finger meets at the middle of the button is the button itself.
    box = save.bounding_box()
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).textContent.trim()",
                        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2])
    assert hit == "บันทึกข้อมูล"


def test_after_the_idle_limit_the_page_asks_to_log_in_again_without_showing_the_user(stack, page):
    page.clock.install()
    path = ASPECT_PAGE.format("9005")
    log_in(page, stack, "d-9005", path)
    expect(page.get_by_test_id("user-name")).to_be_visible()
    idle_seconds = int(page.locator("script[data-idle-seconds]").get_attribute("data-idle-seconds"))

    idle_for_31_minutes(stack, "d-9005")
    time.sleep(VERDICT_SECONDS + 1)  # the gateway's cached verdict of the last request has run out
    page.clock.fast_forward((idle_seconds + 10) * 1000)  # the user does nothing: the page itself moves on

    expect(page).to_have_url(f"{stack.url}/sso/expired?next={path}")
    expect(page.get_by_role("heading", level=1)).to_have_text("กรุณา login ใหม่")
    expect(page.get_by_test_id("user-name")).to_have_count(0)
    expect(page.get_by_role("link", name="ออกจากระบบ")).to_have_count(0)
    expect(page.get_by_role("link", name="เข้าสู่ระบบ", exact=True)).to_be_visible()
    page.get_by_role("link", name="OK").click()
    expect(page).to_have_url(f"{stack.url}/sso/login?next={path}")


def test_a_signed_in_user_never_sees_the_timeout_page(stack, page):
    log_in(page, stack, "d-9005", ASPECT_PAGE.format("9005"))
    page.goto(stack.url + "/sso/expired?next=/workload/")
    expect(page).not_to_have_url(f"{stack.url}/sso/expired?next=/workload/")
    expect(page.get_by_role("heading", name="กรุณา login ใหม่")).to_have_count(0)
    expect(page.get_by_test_id("user-name")).to_be_visible()


def test_logging_out_says_it_is_done(stack, page):
    log_in(page, stack, "d-9004", ASPECT_PAGE.format("9004"))
    page.get_by_role("link", name="ออกจากระบบ").click()
    page.get_by_role("dialog").get_by_role("button", name="ยืนยัน").click()
    expect(page.get_by_role("status")).to_have_text("ออกจากระบบเรียบร้อยแล้ว")
    expect(page.get_by_test_id("user-name")).to_have_count(0)
    expect(page.get_by_label("User")).to_be_visible()
