"""The portal's content rules and Thai search, without the app."""
from datetime import date

import pytest

from portal import content, search, starter
from portal.content import ValidationFailed
from shared import richtext

TODAY = date(2026, 11, 26)


def parse(kind, has_attachment=False, **raw):
    body = richtext.body_html(raw.get("body"))
    return content.parse_content(kind, raw, body, richtext.body_text(body), has_attachment, TODAY)


def errors_of(kind, has_attachment=False, **raw) -> dict:
    with pytest.raises(ValidationFailed) as caught:
        parse(kind, has_attachment, **raw)
    return caught.value.errors


def test_a_toolkit_item_needs_a_known_category_and_when_published_a_link_or_a_pdf():
    assert errors_of("toolkit", title="x") == {"category": "required"}
    assert errors_of("toolkit", title="x", category="อื่น ๆ") == {"category": "category"}
    assert errors_of("toolkit", title="x", category="ยุทธศาสตร์ชาติ", published=True) == {"link_url": "link_or_file"}
    assert parse("toolkit", True, title="x", category="ยุทธศาสตร์ชาติ", published=True).published
    item = parse("toolkit", title="  ยุทธศาสตร์\nชาติ ", category="ยุทธศาสตร์ชาติ", published="1",
                 link_url="https://www.dla.go.th/")
    assert item.title == "ยุทธศาสตร์ ชาติ" and item.link_url == "https://www.dla.go.th/"
    assert item.order_number is None and item.course_tests is None  # fields of other kinds are dropped


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.org/a", "www.dla.go.th", "https://",
                                 "data:text/html,x", "https://a b.org"])
def test_links_are_absolute_http_or_https_only(url):
    assert errors_of("course", title="x", course_tests="y", link_url=url) == {"link_url": "url"}


def test_orders_take_an_optional_number_and_a_past_date():
    item = parse("order", title="คำสั่ง", body="สรุป", order_number=" 1029/2563 ", order_date="2020-12-16")
    assert item.order_number == "1029/2563" and item.order_date == date(2020, 12, 16)
    assert parse("order", title="คำสั่ง", body="สรุป").order_date is None
    assert parse("order", title="คำสั่ง", body="สรุป", order_date="16/12/2563").order_date == date(2020, 12, 16)
    assert errors_of("order", title="คำสั่ง", body="สรุป", order_date="12/16/2020") == {"order_date": "date"}
    assert errors_of("order", title="คำสั่ง", body="สรุป", order_date="2027-01-01") == {"order_date": "date_range"}


def test_every_problem_is_reported_at_once():
    assert errors_of("course", title="", body="", link_url="x", todo="ก" * 501) == {
        "title": "required", "course_tests": "required", "link_url": "url", "todo": "too_long"}
    assert errors_of("faq", title="ถาม", category="การเข้าถึงเว็บไซต์", body="<p> </p>") == {"body": "required"}
    assert errors_of("about", title="ก" * 301, body="x") == {"title": "too_long"}


def test_the_body_is_sanitised_before_it_is_checked():
    item = parse("faq", title="ถาม", category="การเข้าถึงเว็บไซต์",
                 body='<p onclick="x()">ตอบ<script>alert(1)</script> <a href="javascript:x()">ลิงก์</a></p>')
    assert "script" not in item.body_html and "onclick" not in item.body_html and "javascript" not in item.body_html
    assert item.body_html.startswith("<p>ตอบ")


@pytest.mark.parametrize("raw, expected", [(True, True), ("1", True), ("on", True), (False, False), ("", False),
                                           (None, False), ("0", False)])
def test_published_is_a_checkbox_or_a_boolean(raw, expected):
    assert parse("about", title="x", body="y", published=raw).published is expected


def test_an_unclear_published_value_is_refused():
    assert errors_of("about", title="x", body="y", published="maybe") == {"published": "boolean"}


def test_unknown_kind_is_refused():
    with pytest.raises(content.PortalError) as caught:
        parse("poster", title="x")
    assert caught.value.code == "unknown_kind"


def test_moving_swaps_with_the_neighbour_and_stops_at_the_ends():
    assert content.neighbour([4, 7, 9], 7, "up") == 4
    assert content.neighbour([4, 7, 9], 7, "down") == 9
    assert content.neighbour([4, 7, 9], 4, "up") is None and content.neighbour([4, 7, 9], 9, "down") is None
    with pytest.raises(ValidationFailed):
        content.neighbour([4], 4, "sideways")


def test_thai_search_matches_substrings_without_word_spaces():
    terms = search.terms("  ยุทธศาสตร์   ชาติ ")
    assert terms == ["ยุทธศาสตร์", "ชาติ"]
    assert search.matches(terms, "เอกสารยุทธศาสตร์ชาติ")
    assert search.matches(search.terms("mooc"), "รายวิชา Local MOOC")
    assert search.matches(search.terms("ยุทธ\u200bศาสตร์"), "ยุทธศาสตร์ชาติ")  # zero-width space from a copy-paste
    assert not search.matches(terms, "ยุทธศาสตร์จังหวัด")
    assert not search.matches(search.terms("   "), "อะไรก็ได้")


def test_thai_search_treats_sara_am_typed_in_two_keystrokes_as_one():
    assert search.matches(search.terms("\u0e01\u0e4d\u0e32\u0e01\u0e31\u0e1a"), "การกำกับดูแล")  # ก ํ า กับ
    assert search.matches(search.terms("กำกับ"), "การก\u0e4d\u0e32กับดูแล")


def test_the_starting_content_is_valid_and_covers_the_manuals_pages():
    for raw in starter.ITEMS:
        has_link = bool(raw.get("link_url"))
        # raises when the shipped content breaks a rule
        parse(raw["kind"], False, **{k: v for k, v in raw.items() if k != "kind"})
        if raw["kind"] == "toolkit" and raw["published"]:
            assert has_link
    titles = " ".join(raw["title"] for raw in starter.ITEMS)
    assert "รหัสผ่านไม่ถูกต้อง" in titles and "ไม่พบรหัสผู้ใช้ในระบบ" in titles and "SSO Admin" in titles
    assert {raw["category"] for raw in starter.ITEMS if raw["kind"] == "toolkit"} == set(content.CATEGORIES["toolkit"])
    bodies = " ".join(raw["body"] for raw in starter.ITEMS)
    assert "www.dla.go.th" in bodies and "info.dla.go.th/districtcoordinator" in bodies and "/sso/admins" in bodies
    # Facts the manual does not give are marked for the central office, never invented.
    course = next(raw for raw in starter.ITEMS if raw["kind"] == "course")
    assert course["todo"] and not course["published"] and not course.get("link_url")
