"""News pages: the public list and item, the editors' forms, the province's decision, XSS rendered inert."""
import io
from datetime import datetime

import pytest

from news.models import NewsItem, db
from tests.news.conftest import USERS, image_bytes
from tests.news.test_api import create, decide, submit

ATTACK_TITLE = '<script>alert("t")</script><img src=x onerror=alert(1)>'
ATTACK_BODY = ('<p onmouseover="alert(1)">สวัสดี</p><script>alert(2)</script><a href="javascript:alert(3)">คลิก</a>'
               '<img src=x onerror=alert(4)><iframe src="https://evil.example"></iframe>')


@pytest.fixture
def browser_as(client, tokens):
    """Sign the test client in with a cookie, as a browser would be."""
    def sign_in(who: str):
        role, district, province = USERS[who]
        tokens.sign_in(client, f"{who}-user", [role], province, district, name=f"ผู้ใช้ {who}")
        return client
    return sign_in


def form(**fields):
    return {"csrf_token": "test-csrf", "title": "ข่าวทดสอบ", "body": "เนื้อหา", "activity_date": "2026-11-20", **fields}


def test_anonymous_editors_pages_go_to_login(client):
    for path in ("/news/manage/", "/news/manage/new", "/news/manage/items/1"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sso/login?next=/news/manage/")


def test_a_district_writes_and_submits_through_the_form(browser_as, app):
    client = browser_as("district")
    page = client.get("/news/manage/new").get_data(as_text=True)
    assert "เขียนข่าวใหม่" in page and 'enctype="multipart/form-data"' in page
    response = client.post("/news/manage/new",
                           data={**form(action="submit"), "cover": (io.BytesIO(image_bytes()), "ปก.jpg")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    item_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ส่งให้ สถจ. พิจารณาแล้ว" in item_page and "รออนุมัติ" in item_page
    assert "แก้ไขข่าว" not in item_page  # locked while the province looks at it
    with app.app_context():
        item = NewsItem.query.one()
        assert item.state == "submitted" and item.district_code == "8101" and len(item.images) == 1


def test_a_bad_form_is_shown_again_with_thai_messages_and_nothing_saved(browser_as, app):
    client = browser_as("district")
    response = client.post("/news/manage/new", data={**form(title=" ", activity_date="2026-13-45", body="พิมพ์ไว้แล้ว"),
                                                      "cover": (io.BytesIO(b"MZ" + b"\0" * 100), "virus.jpg")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "กรุณากรอกข้อมูล" in page and "รูปแบบวันที่ไม่ถูกต้อง" in page and "ไม่ใช่รูปภาพ" in page
    assert "พิมพ์ไว้แล้ว" in page  # what was typed is kept
    with app.app_context():
        assert NewsItem.query.count() == 0


def test_forms_need_the_csrf_token(browser_as, app):
    client = browser_as("district")
    response = client.post("/news/manage/new", data={**form(), "csrf_token": "wrong"})
    assert response.status_code == 403
    with app.app_context():
        assert NewsItem.query.count() == 0


def test_the_province_sees_its_queue_and_decides_on_the_page(client, as_user, browser_as):
    item = create(client, as_user, title="ข่าวรออนุมัติ")
    submit(client, as_user, item["id"])
    province = browser_as("province")
    page = province.get("/news/manage/").get_data(as_text=True)
    assert "รออนุมัติ (1)" in page and "ข่าวรออนุมัติ" in page and "เมืองกระบี่" in page
    refused = province.post(f"/news/manage/items/{item['id']}/approval",
                            data={"csrf_token": "test-csrf", "decision": "reject", "reason": ""})
    assert refused.status_code == 422 and "กรุณาระบุเหตุผล" in refused.get_data(as_text=True)
    rejected = province.post(f"/news/manage/items/{item['id']}/approval",
                             data={"csrf_token": "test-csrf", "decision": "reject", "reason": "ขอภาพประกอบเพิ่ม"})
    assert rejected.status_code == 302
    district = browser_as("district")
    page = district.get(f"/news/manage/items/{item['id']}").get_data(as_text=True)
    assert "ขอภาพประกอบเพิ่ม" in page and "แก้ไขข่าว" in page and "สถจ. ไม่อนุมัติ" in page


def test_illegal_acts_on_pages_are_thai_refusals(client, as_user, browser_as):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    decide(client, as_user, item["id"])
    district = browser_as("district")
    locked = district.get(f"/news/manage/items/{item['id']}/edit")
    assert locked.status_code == 409 and "อนุมัติแล้ว แก้ไขไม่ได้" in locked.get_data(as_text=True)
    province = browser_as("province")
    twice = province.post(f"/news/manage/items/{item['id']}/approval",
                          data={"csrf_token": "test-csrf", "decision": "approve"})
    assert twice.status_code == 409 and "ข่าวนี้อนุมัติแล้ว" in twice.get_data(as_text=True)
    other = browser_as("other_province")
    assert other.post(f"/news/manage/items/{item['id']}/approval",
                      data={"csrf_token": "test-csrf", "decision": "reject", "reason": "x"}).status_code == 403


def test_xss_in_title_and_body_renders_inert(client, as_user):
    item = create(client, as_user, title=ATTACK_TITLE, body=ATTACK_BODY)
    submit(client, as_user, item["id"])
    decide(client, as_user, item["id"])
    for path in ("/news/", f"/news/{item['id']}"):
        page = client.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in page  # the title is shown as text
        for dangerous in ("<script>alert", "onmouseover", "javascript:", "<iframe", "<img src=x"):
            assert dangerous not in page, (path, dangerous)
    assert "สวัสดี" in client.get(f"/news/{item['id']}").get_data(as_text=True)


def test_public_pages_show_only_published_news(client, as_user, browser_as):
    draft = create(client, as_user, title="ร่างที่ยังไม่ส่ง")
    shown = create(client, as_user, title="ข่าวที่อนุมัติแล้ว")
    submit(client, as_user, shown["id"])
    decide(client, as_user, shown["id"])
    page = client.get("/news/").get_data(as_text=True)
    assert "ข่าวที่อนุมัติแล้ว" in page and "ร่างที่ยังไม่ส่ง" not in page and "พบ 1 ข่าว" in page
    assert "ไม่พบข่าวที่ตรงกับเงื่อนไข" in client.get("/news/?province=30").get_data(as_text=True)
    assert "ข่าวที่อนุมัติแล้ว" in client.get("/news/?province=81&district=8101&q=อนุมัติ").get_data(as_text=True)
    assert client.get(f"/news/{draft['id']}").status_code == 404
    editor = browser_as("district").get(f"/news/{draft['id']}")
    assert editor.status_code == 302 and editor.headers["Location"].endswith(f"/news/manage/items/{draft['id']}")


def test_the_central_office_unpublishes_with_a_reason(client, as_user, browser_as, app):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    decide(client, as_user, item["id"])
    central = browser_as("central")
    assert "ยกเลิกการเผยแพร่" in central.get(f"/news/manage/items/{item['id']}").get_data(as_text=True)
    refused = central.post(f"/news/manage/items/{item['id']}/unpublish", data={"csrf_token": "test-csrf", "reason": ""})
    assert refused.status_code == 422 and "กรุณาระบุเหตุผล" in refused.get_data(as_text=True)
    done = central.post(f"/news/manage/items/{item['id']}/unpublish", data={"csrf_token": "test-csrf", "reason": "ซ้ำ"})
    assert done.status_code == 302
    history = central.get(f"/news/manage/items/{item['id']}").get_data(as_text=True)
    assert "ส่วนกลางยกเลิกการเผยแพร่" in history and "เหตุผล: ซ้ำ" in history
    assert app.test_client().get(f"/news/{item['id']}").status_code == 404


def test_editing_a_rejected_item_replaces_and_removes_files(client, as_user, browser_as, app):
    item = create(client, as_user)
    district = browser_as("district")
    district.post(f"/news/manage/items/{item['id']}/edit",
                  data={**form(version=item["version"]), "images": [(io.BytesIO(image_bytes()), "a.jpg"),
                                                                     (io.BytesIO(image_bytes()), "b.jpg")]},
                  content_type="multipart/form-data")
    with app.app_context():
        saved = NewsItem.query.one()
        first_image, version = saved.images[0].id, saved.version
    response = district.post(f"/news/manage/items/{item['id']}/edit",
                             data={**form(title="แก้แล้ว", version=version, remove_images=str(first_image))},
                             content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        saved = NewsItem.query.one()
        assert saved.title == "แก้แล้ว" and len(saved.images) == 1
    stale = district.post(f"/news/manage/items/{item['id']}/edit", data=form(version=version),
                          content_type="multipart/form-data")
    assert stale.status_code == 409 and "ถูกแก้ไขจากหน้าอื่น" in stale.get_data(as_text=True)


def test_a_later_publication_date_from_the_page(client, as_user, browser_as, app):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    province = browser_as("province")
    for typed in ("12/31/2026", "31/12/2026", "2099-13-01", "พรุ่งนี้"):  # Gregorian, no such day, no date
        bad = province.post(f"/news/manage/items/{item['id']}/approval",
                            data={"csrf_token": "test-csrf", "decision": "approve", "publish_on": typed})
        assert bad.status_code == 422, typed
        assert "กรุณากรอกวัน/เดือน/ปี พ.ศ. เช่น 1/12/2569" in bad.get_data(as_text=True)
        assert f'value="{typed}"' in bad.get_data(as_text=True)  # what was typed, shown back
    later = province.post(f"/news/manage/items/{item['id']}/approval",
                          data={"csrf_token": "test-csrf", "decision": "approve", "publish_on": "1/1/2642"})
    assert later.status_code == 302
    page = province.get(f"/news/manage/items/{item['id']}").get_data(as_text=True)
    assert "อนุมัติแล้ว (เผยแพร่ 1 มกราคม 2642)" in page
    with app.app_context():
        assert db.session.get(NewsItem, item["id"]).publish_at == datetime(2098, 12, 31, 23, 0)  # 06:00 Bangkok


def test_a_later_publication_date_in_iso_from_the_page(client, as_user, browser_as, app):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    later = browser_as("province").post(f"/news/manage/items/{item['id']}/approval", data={
        "csrf_token": "test-csrf", "decision": "approve", "publish_on": "2099-01-01"})
    assert later.status_code == 302
    with app.app_context():
        assert db.session.get(NewsItem, item["id"]).publish_at == datetime(2098, 12, 31, 23, 0)
