"""The news lifecycle and content rules, without Flask or a database."""
from datetime import date, datetime, timedelta

import pytest

from news import domain, permissions
from news.domain import NewsError, ValidationFailed
from shared import richtext as sanitize
from shared.auth import Identity


def user(role, province=None, district=None):
    return Identity(f"{role}-x", "x", frozenset([role]), province, district, "sid", "csrf", "bearer")


@pytest.mark.parametrize("action, state, target", [
    ("submit", "draft", "submitted"), ("submit", "rejected", "submitted"), ("submit", "unpublished", "submitted"),
    ("approve", "submitted", "approved"), ("reject", "submitted", "rejected"), ("unpublish", "approved", "unpublished"),
])
def test_legal_transitions(action, state, target):
    assert domain.transition(action, state, reason="เหตุผล") == target


@pytest.mark.parametrize("action, state, code", [
    ("approve", "draft", "not_submitted"), ("approve", "approved", "already_approved"),
    ("reject", "approved", "already_approved"), ("approve", "rejected", "already_rejected"),
    ("submit", "submitted", "already_submitted"), ("submit", "approved", "already_approved"),
    ("unpublish", "draft", "not_published"), ("unpublish", "unpublished", "not_published"),
    ("reject", "draft", "not_submitted"), ("publish", "draft", "unknown_action"),
])
def test_illegal_transitions_are_refused_with_their_reason(action, state, code):
    with pytest.raises(NewsError) as refused:
        domain.transition(action, state, reason="เหตุผล")
    assert refused.value.code == code


@pytest.mark.parametrize("action", ["reject", "unpublish"])
def test_rejecting_and_unpublishing_need_a_reason(action):
    source = "submitted" if action == "reject" else "approved"
    with pytest.raises(ValidationFailed) as refused:
        domain.transition(action, source, reason="   ")
    assert refused.value.errors == {"reason": "reason_required"}


@pytest.mark.parametrize("state, code", [("submitted", "locked_submitted"), ("approved", "locked_approved")])
def test_only_drafts_rejected_and_withdrawn_items_are_editable(state, code):
    for editable in ("draft", "rejected", "unpublished"):
        domain.check_editable(editable)
    with pytest.raises(NewsError) as refused:
        domain.check_editable(state)
    assert refused.value.code == code


def test_publication_now_or_at_a_chosen_time():
    now = datetime(2026, 11, 26, 3, 0)
    assert domain.publish_time(None, now) == now
    assert domain.publish_time(now - timedelta(days=1), now) == now
    later = now + timedelta(days=2)
    assert domain.publish_time(later, now) == later
    assert not domain.is_published("approved", later, now)
    assert domain.is_published("approved", now, now)
    assert not domain.is_published("unpublished", now, now)


@pytest.mark.parametrize("who, act, allowed", [
    (user("district", "81", "8101"), "district", True),
    (user("district", "81", "8102"), "district", False),
    (user("province", "81"), "district", False),
    (user("province", "81"), "province", True),
    (user("province", "30"), "province", False),
    (user("ssoadmin", "81"), "province", False),
    (user("district", "81", "8101"), "province", False),
    (user("central"), "province", False),
    (user("central"), "central", True),
    (user("province", "81"), "central", False),
    (user("province", "81"), "read", True),
    (user("province", "30"), "read", False),
    (user("district", "81", "8102"), "read", False),
    (user("ssoadmin", "81"), "read", False),  # an SSO admin manages accounts, it reads no draft
])
def test_who_may_act_on_a_district_8101_item(who, act, allowed):
    if allowed:
        permissions.authorize(who, act, "8101")
    else:
        with pytest.raises(NewsError, match="forbidden"):
            permissions.authorize(who, act, "8101")


def test_anonymous_users_must_sign_in():
    with pytest.raises(NewsError, match="login_required"):
        permissions.authorize(None, "read", "8101")


def test_content_validation_names_each_field():
    today = date(2026, 11, 26)
    with pytest.raises(ValidationFailed) as refused:
        domain.parse_content("  ", "", "", "11/26/2026", today)  # Gregorian, month first
    assert refused.value.errors == {"title": "required", "body": "required", "activity_date": "date"}
    with pytest.raises(ValidationFailed) as refused:
        domain.parse_content("x" * 201, "<p>a</p>", "a", "2019-12-31", today)
    assert refused.value.errors == {"title": "too_long", "activity_date": "date_range"}
    content = domain.parse_content(" งาน\tวันเด็ก\x00 ", "<p>a</p>", "a", "2026-11-20", today)
    assert content.title == "งาน วันเด็ก" and content.activity_date == date(2026, 11, 20)
    assert domain.parse_content("งาน", "<p>a</p>", "a", "20/11/2569", today).activity_date == date(2026, 11, 20)


def test_a_body_of_nothing_but_markup_is_empty():
    clean = sanitize.body_html("<p><script>alert(1)</script></p><img src=x onerror=alert(1)>")
    assert sanitize.body_text(clean) == ""


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<p onclick=alert(1)>x</p>",
    '<a href="javascript:alert(1)">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<svg onload=alert(1)>", "<iframe src=//evil>",
    '<p style="background:url(javascript:alert(1))">x</p>', "<math><mtext><script>alert(1)</script>",
])
def test_the_sanitiser_leaves_nothing_that_runs(attack):
    clean = sanitize.body_html(attack).lower()
    for dangerous in ("<script", "onerror", "onclick", "onload", "javascript:", "data:", "<iframe", "<svg", "style="):
        assert dangerous not in clean, (attack, clean)


def test_the_sanitiser_keeps_the_allowed_formatting():
    clean = sanitize.body_html('ย่อหน้าแรก <strong>สำคัญ</strong>\n\n- ข้อหนึ่ง\n- ข้อสอง\n\n'
                               '<a href="https://www.dla.go.th/">สถ.</a> <a href="mailto:a@b.th">mail</a>')
    assert clean == ('<p>ย่อหน้าแรก <strong>สำคัญ</strong></p><ul><li>ข้อหนึ่ง</li><li>ข้อสอง</li></ul>'
                     '<p><a href="https://www.dla.go.th/" rel="noopener noreferrer">สถ.</a> '
                     '<a href="mailto:a@b.th" rel="noopener noreferrer">mail</a></p>')
    assert sanitize.body_html(clean) == clean  # editing again changes nothing


def test_ten_images_besides_the_cover():
    domain.check_image_count(8, 0, 2)
    domain.check_image_count(10, 1, 1)
    with pytest.raises(ValidationFailed):
        domain.check_image_count(9, 0, 2)
