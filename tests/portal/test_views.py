"""The portal's pages: public content from the database, and the central office's editing pages with
preview, Thai messages on bad input, publishing, ordering and deleting; nobody else gets in."""
import io
import re

import pytest

from portal.models import ContentChange, ContentItem, db
from tests.portal.conftest import PDF

ORDER_FORM = {"title": "สรุปหนังสือสั่งการทดสอบ", "body": "สรุปสาระสำคัญ\n\n- ข้อแรก\n- ข้อสอง", "order_number": "มท 0810/ว 1",
              "order_date": "2025-01-15", "link_url": "", "todo": "", "course_tests": "", "category": ""}


def page(response) -> str:
    return response.get_data(as_text=True)


def snapshot(app):
    with app.app_context():
        return ([(i.id, i.title, i.published, i.position, i.version)
                 for i in db.session.query(ContentItem).order_by(ContentItem.id)],
                db.session.query(ContentChange).count())


def test_the_central_office_sees_the_starting_content_with_what_it_still_has_to_complete(client, as_user, starter):
    central = as_user("central")
    toolkits = page(client.get("/toolkits/", headers=central))
    for text in ("กฎหมายและระเบียบ", "ยุทธศาสตร์ชาติ", "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 12",
                 "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น", "คู่มือแนวทางปฏิบัติ", "สาระน่ารู้เพิ่มเติม",
                 "ที่ 1029/2563", "ลงวันที่ 16 ธันวาคม 2563", "Local MOOC", "ส่วนกลางกำลังเพิ่มรายวิชาของระบบ Local MOOC",
                 "ข้อมูลบางส่วนของรายการนี้อยู่ระหว่างส่วนกลางเพิ่มเติม"):
        assert text in toolkits, text
    assert "หนังสือแจ้งช่วงเวลาการเปิดระบบ" not in toolkits  # an unpublished placeholder
    faq = page(client.get("/faq/"))
    for text in ("รหัสผ่านไม่ถูกต้อง", "ไม่พบรหัสผู้ใช้ในระบบ", 'href="/sso/admins"', "www.dla.go.th",
                 "https://info.dla.go.th/districtcoordinator", "กรุณา login ใหม่"):
        assert text in faq, text
    about = page(client.get("/about/", headers=central))
    for text in ("วัตถุประสงค์", "1029/2563", "กลุ่มพัฒนาระบบบริหาร", "ติดต่อ", "คำสั่งจัดตั้งคณะทำงาน"):
        assert text in about, text


def test_the_public_sees_finished_items_only(client, as_user, starter):
    for user in ({}, as_user("district"), as_user("province"), as_user("ssoadmin")):
        toolkits = page(client.get("/toolkits/", headers=user))
        assert "อยู่ระหว่างส่วนกลางเพิ่มเติม" not in toolkits and "ส่วนกลางโปรด" not in toolkits
        assert "ที่ 1029/2563" not in toolkits  # the order whose PDF is still to come
        assert "ยุทธศาสตร์ชาติ" in toolkits  # the category stays, saying it is being filled
        about = page(client.get("/about/", headers=user))
        assert "วัตถุประสงค์" in about and "คณะทำงานและผู้รับผิดชอบ" not in about


def test_the_toolkits_page_searches_in_thai(client, as_user, starter):
    found = page(client.get("/toolkits/", query_string={"q": "มาตรฐาน บริการ"}, headers=as_user("central")))
    results = found.split('id="results-title"')[1].split('id="knowledge"')[0]
    assert "ผลการค้นหา “มาตรฐาน บริการ”: 1 รายการ" in found
    assert "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น" in results
    nothing = page(client.get("/toolkits/", query_string={"q": "ไม่มีคำนี้แน่นอน"}))
    assert "ไม่พบรายการที่ตรงกับคำค้น" in nothing
    assert "&lt;script&gt;" in page(client.get("/toolkits/", query_string={"q": "<script>"}))


def test_pages_without_content_still_render(client):
    for path, text in [("/toolkits/", "ส่วนกลางกำลังเพิ่มเอกสารในหมวดนี้"), ("/faq/", "ยังไม่มีคำถามที่เผยแพร่"),
                       ("/about/", "ส่วนกลางกำลังปรับปรุงข้อมูลของศูนย์")]:
        response = client.get(path)
        assert response.status_code == 200 and text in page(response)


def test_preview_shows_the_cleaned_item_and_saves_nothing(app, client, as_user):
    before = snapshot(app)
    form = {**ORDER_FORM, "body": 'สรุป <strong>สำคัญ</strong><img src=x onerror="alert(1)"><script>alert(2)</script>',
            "action": "preview", "published": "1"}
    response = client.post("/portal/manage/order/new", data=form, headers=as_user("central"))
    shown = page(response)
    assert response.status_code == 200 and "ตัวอย่างการแสดงผล (ยังไม่ได้บันทึก)" in shown
    preview = shown.split('id="preview-title"')[1].split("<form")[0]
    assert "<p>สรุป <strong>สำคัญ</strong></p>" in preview and "onerror" not in preview and "alert(2)" not in preview
    assert "ที่ มท 0810/ว 1" in preview and "ลงวันที่ 15 มกราคม 2568" in preview and "จะเผยแพร่เมื่อบันทึก" in preview
    assert 'value="สรุปหนังสือสั่งการทดสอบ"' in shown  # the form keeps what was typed
    assert snapshot(app) == before


def test_bad_input_reshows_the_form_with_thai_messages_and_saves_nothing(app, client, as_user):
    before = snapshot(app)
    form = {**ORDER_FORM, "title": "", "order_date": "01/15/2025", "link_url": "ftp://x", "action": "save"}
    response = client.post("/portal/manage/order/new", data={**form, "attachment": (io.BytesIO(b"GIF89a"), "a.pdf")},
                           headers=as_user("central"), content_type="multipart/form-data")
    shown = page(response)
    assert response.status_code == 422
    for message in ("ข้อมูลไม่ถูกต้อง กรุณาแก้ไขช่องที่แจ้งไว้", "กรุณากรอกข้อมูล", "รูปแบบวันที่ไม่ถูกต้อง",
                    "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https://", "ไฟล์แนบต้องเป็นเอกสาร PDF"):
        assert message in shown, message
    assert 'aria-invalid="true"' in shown and 'value="มท 0810/ว 1"' in shown
    assert snapshot(app) == before


def test_central_creates_edits_publishes_orders_and_deletes_through_the_pages(app, client, as_user):
    headers = as_user("central")
    saved = client.post("/portal/manage/order/new", headers=headers, content_type="multipart/form-data",
                        data={**ORDER_FORM, "action": "save", "published": "1",
                              "attachment": (io.BytesIO(PDF), "หนังสือ.pdf")})
    assert saved.status_code == 302 and "/portal/manage/order/?done=create" in saved.headers["Location"]
    item_id = int(re.search(r"#item-(\d+)", saved.headers["Location"]).group(1))
    public = page(client.get("/toolkits/"))
    assert "สรุปหนังสือสั่งการทดสอบ" in public and "<li>ข้อแรก</li>" in public and "หนังสือ.pdf" in public
    second = client.post("/portal/manage/order/new", headers=headers, data={**ORDER_FORM, "title": "ฉบับที่สอง",
                                                                          "action": "save"})
    second_id = int(re.search(r"#item-(\d+)", second.headers["Location"]).group(1))
    assert "ฉบับที่สอง" not in page(client.get("/toolkits/"))  # saved without "เผยแพร่"

    edit_form = page(client.get(f"/portal/manage/items/{item_id}/edit", headers=headers))
    assert 'name="version" value="1"' in edit_form and "หนังสือ.pdf" in edit_form
    edited = client.post(f"/portal/manage/items/{item_id}/edit", headers=headers,
                         data={**ORDER_FORM, "title": "ชื่อใหม่", "published": "1", "version": "1", "action": "save"})
    assert edited.status_code == 302
    stale = client.post(f"/portal/manage/items/{item_id}/edit", headers=headers,
                        data={**ORDER_FORM, "title": "ชื่อเก่า", "version": "1", "action": "save"})
    assert stale.status_code == 409 and "ถูกแก้ไขจากหน้าอื่น" in page(stale)

    assert client.post(f"/portal/manage/items/{second_id}/publish", headers=headers,
                       data={"published": "1"}).status_code == 302
    client.post(f"/portal/manage/items/{second_id}/move", headers=headers, data={"direction": "up"})
    shown = page(client.get("/toolkits/"))
    assert shown.index("ฉบับที่สอง") < shown.index("ชื่อใหม่")

    confirm = page(client.get(f"/portal/manage/items/{second_id}/delete", headers=headers))
    assert "ต้องการลบรายการนี้ใช่หรือไม่" in confirm
    assert client.post(f"/portal/manage/items/{second_id}/delete", headers=headers).status_code == 302
    assert "ฉบับที่สอง" not in page(client.get("/toolkits/"))

    log = page(client.get("/portal/manage/changes", headers=headers))
    for action in ("เพิ่มรายการ", "แนบไฟล์ PDF", "แก้ไข", "เผยแพร่", "เปลี่ยนลำดับ", "ลบรายการ"):
        assert action in log, action
    assert "ผู้ใช้ central" in log and "(central-user)" in log


def test_a_cookie_session_needs_the_csrf_token(app, client, tokens):
    tokens.sign_in(client, "c", ["central"], name="ส่วนกลาง")
    before = snapshot(app)
    refused = client.post("/portal/manage/order/new", data={**ORDER_FORM, "action": "save"})
    assert refused.status_code == 403 and snapshot(app) == before
    accepted = client.post("/portal/manage/order/new", data={**ORDER_FORM, "action": "save", "csrf_token": "test-csrf"})
    assert accepted.status_code == 302


MANAGE_PAGES = [
    ("get", "/portal/manage/"), ("get", "/portal/manage/faq/"), ("get", "/portal/manage/faq/new"),
    ("post", "/portal/manage/faq/new"), ("get", "/portal/manage/items/{id}/edit"),
    ("post", "/portal/manage/items/{id}/edit"),
    ("post", "/portal/manage/items/{id}/publish"), ("post", "/portal/manage/items/{id}/move"),
    ("get", "/portal/manage/items/{id}/delete"), ("post", "/portal/manage/items/{id}/delete"),
    ("get", "/portal/manage/changes"),
]


@pytest.mark.parametrize("who", ["district", "province", "ssoadmin", None])
def test_nobody_but_central_reaches_the_editing_pages(app, client, as_user, starter, who):
    with app.app_context():
        item_id = db.session.query(ContentItem.id).filter_by(kind="faq").first()[0]
    before = snapshot(app)
    for method, path in MANAGE_PAGES:
        data = {"title": "x", "body": "y", "category": "การเข้าถึงเว็บไซต์", "published": "0", "direction": "up",
                "action": "save"} if method == "post" else None
        response = getattr(client, method)(path.format(id=item_id), headers=as_user(who) if who else {}, data=data)
        if who:
            assert response.status_code == 403 and "ไม่มีสิทธิ์ดำเนินการนี้" in page(response), (who, path)
        else:
            assert response.status_code == 302 and response.headers["Location"].startswith("/sso/login?next="), path
    assert snapshot(app) == before


def test_unpublished_attachments_are_not_public(app, client, as_user):
    saved = client.post("/portal/manage/order/new", headers=as_user("central"), content_type="multipart/form-data",
                        data={**ORDER_FORM, "action": "save", "attachment": (io.BytesIO(PDF), "ลับ.pdf")})
    assert saved.status_code == 302
    with app.app_context():
        name = db.session.query(ContentItem.attachment_file).scalar()
    for who in ("district", "province", "ssoadmin"):
        response = client.get(f"/portal/media/{name}", headers=as_user(who))
        response.close()
        assert response.status_code == 404


def test_the_api_page_lists_the_five_documents(client):
    page = client.get("/api/").get_data(as_text=True)
    for name in ("workload", "news", "directory", "portal", "sso"):
        assert f'href="/api/{name}/openapi.json"' in page
    assert 'data-document="/api/workload/openapi.json"' in page and "<script>" not in page
    assert client.get("/api/?service=news").status_code == 200
    assert client.get("/api/?service=nothing").status_code == 404
