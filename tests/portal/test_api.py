"""The portal's API: public reading and search; the central office's editing, and nobody else's."""
import io

import pytest

from portal.models import ContentChange, ContentItem, db
from tests.portal.conftest import PDF


@pytest.fixture(scope="module", params=["folder", "bucket"])
def media_backend(request):
    """The attachment tests on both stores: the laptop's folder and a bucket of a real S3 server."""
    return request.param


FAQ = {"kind": "faq", "title": "ลืมรหัสผ่าน", "category": "การเข้าสู่ระบบและรหัสผ่าน", "body": "ติดต่อ SSO Admin",
       "published": True}


def create(client, as_user, **changes):
    response = client.post("/api/portal/manage/items", json={**FAQ, **changes}, headers=as_user("central"))
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def attach(client, as_user, item_id, data=PDF, name="คำสั่ง.pdf", who="central"):
    return client.post(f"/api/portal/manage/items/{item_id}/attachment", headers=as_user(who),
                       data={"attachment": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def fetch(client, url, **kwargs):
    """GET a served file, read and closed (send_file's open file must not outlive the test)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def snapshot(app):
    with app.app_context():
        return ([(i.id, i.title, i.published, i.position, i.version, i.attachment_file)
                 for i in db.session.query(ContentItem).order_by(ContentItem.id)],
                db.session.query(ContentChange).count())


def test_central_creates_an_item_and_the_change_is_recorded(client, as_user):
    item = create(client, as_user, body='<p>ติดต่อ <strong>SSO Admin</strong><script>x()</script></p>')
    assert item["kind"] == "faq" and item["published"] and item["version"] == 1
    assert item["body_html"] == "<p>ติดต่อ <strong>SSO Admin</strong></p>"
    assert item["updated_by"] == "central-user" and item["updated_by_name"] == "ผู้ใช้ central"
    detail = client.get(f"/api/portal/manage/items/{item['id']}", headers=as_user("central")).json
    assert [(c["action"], c["actor"]) for c in detail["changes"]] == [("create", "central-user")]
    assert detail["changes"][0]["at"].endswith("+07:00")
    public = client.get("/api/portal/items?kind=faq").json["items"]
    assert [i["title"] for i in public] == ["ลืมรหัสผ่าน"] and "todo" not in public[0] and "published" not in public[0]


def test_bad_input_is_a_thai_problem_and_changes_nothing(app, client, as_user):
    create(client, as_user)
    before = snapshot(app)
    response = client.post("/api/portal/manage/items", headers=as_user("central"),
                           json={"kind": "toolkit", "title": "", "category": "ไม่มีหมวดนี้", "link_url": "javascript:x()"})
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"title": "กรุณากรอกข้อมูล", "category": "กรุณาเลือกหมวดหมู่จากรายการ",
                                       "link_url": "ลิงก์ต้องขึ้นต้นด้วย http:// หรือ https:// และเป็นที่อยู่เว็บไซต์ที่สมบูรณ์"}
    assert response.json["code"] == "invalid"
    unknown = client.post("/api/portal/manage/items", headers=as_user("central"), json={"kind": "poster", "title": "x"})
    assert unknown.status_code == 422 and unknown.mimetype == "application/problem+json"
    assert snapshot(app) == before


def test_patch_changes_some_fields_publishes_and_refuses_a_stale_version(app, client, as_user):
    item = create(client, as_user, published=False)
    assert client.get("/api/portal/items?kind=faq").json["items"] == []
    headers = as_user("central")
    patched = client.patch(f"/api/portal/manage/items/{item['id']}", json={"published": True, "version": 1},
                           headers=headers).json
    assert patched["published"] and patched["title"] == "ลืมรหัสผ่าน" and patched["version"] == 2
    assert [i["id"] for i in client.get("/api/portal/items?kind=faq").json["items"]] == [item["id"]]
    before = snapshot(app)
    stale = client.patch(f"/api/portal/manage/items/{item['id']}", json={"title": "ใหม่", "version": 1}, headers=headers)
    assert stale.status_code == 409 and stale.json["code"] == "stale"
    assert snapshot(app) == before
    actions = [c["action"]
               for c in client.get(f"/api/portal/manage/items/{item['id']}", headers=headers).json["changes"]]
    assert actions == ["publish", "create"]


def test_a_published_toolkit_item_keeps_a_link_or_a_pdf(client, as_user):
    headers = as_user("central")
    item = create(client, as_user, kind="toolkit", category="ยุทธศาสตร์ชาติ", title="ยุทธศาสตร์ชาติ", published=False)
    refused = client.patch(f"/api/portal/manage/items/{item['id']}", json={"published": True}, headers=headers)
    assert refused.status_code == 422 and "link_url" in refused.json["errors"]
    assert attach(client, as_user, item["id"]).status_code == 200
    assert client.patch(f"/api/portal/manage/items/{item['id']}", json={"published": True},
                        headers=headers).json["published"]
    lost = client.delete(f"/api/portal/manage/items/{item['id']}/attachment", headers=headers)
    assert lost.status_code == 422 and "attachment" in lost.json["errors"]


def test_attachments_are_pdfs_under_the_limit(app, client, as_user, files):
    item = create(client, as_user, kind="order", title="คำสั่ง", category=None, body="สรุป", published=False)
    before = snapshot(app)
    for data, name, code in [(b"MZ\x90\x00 a program", "คำสั่ง.pdf", "ไฟล์แนบต้องเป็นเอกสาร PDF"),
                             (b"%PDF-" + b"0" * 2000, "ใหญ่.pdf", "ไฟล์ PDF มีขนาดใหญ่เกินกำหนด")]:
        response = attach(client, as_user, item["id"], data, name)
        assert response.status_code == 422 and response.json["errors"] == {"attachment": code}
    assert snapshot(app) == before and files() == set()
    attached = attach(client, as_user, item["id"], name="../../etc/คำสั่ง 1029.pdf").json
    assert attached["attachment"]["name"] == "คำสั่ง 1029.pdf" and attached["attachment"]["size"] == len(PDF)
    url = attached["attachment"]["url"]
    assert fetch(client, url).status_code == 404  # not published yet: only the central office sees it
    assert fetch(client, url, headers=as_user("central")).data == PDF
    client.patch(f"/api/portal/manage/items/{item['id']}", json={"published": True}, headers=as_user("central"))
    served = fetch(client, url)
    assert served.status_code == 200 and served.mimetype == "application/pdf" and served.data == PDF
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert client.get("/portal/media/..%2Fportal.sqlite3").status_code == 404
    removed = client.delete(f"/api/portal/manage/items/{item['id']}/attachment", headers=as_user("central"))
    assert removed.status_code == 200 and removed.json["attachment"] is None
    assert fetch(client, url).status_code == 404 and files() == set()


def test_items_are_ordered_within_their_category(client, as_user):
    first = create(client, as_user, title="ข้อแรก")
    second = create(client, as_user, title="ข้อสอง")
    other = create(client, as_user, title="อีกหมวด", category="การเข้าถึงเว็บไซต์")
    titles = lambda: [i["title"] for i in client.get("/api/portal/items?kind=faq").json["items"]]  # noqa: E731
    assert titles() == ["อีกหมวด", "ข้อแรก", "ข้อสอง"]  # categories in their fixed order, then position
    moved = client.post(f"/api/portal/manage/items/{second['id']}/move", json={"direction": "up"},
                        headers=as_user("central"))
    assert moved.status_code == 200 and titles() == ["อีกหมวด", "ข้อสอง", "ข้อแรก"]
    # At the top of its category nothing moves past the other category.
    client.post(f"/api/portal/manage/items/{other['id']}/move", json={"direction": "down"}, headers=as_user("central"))
    assert titles() == ["อีกหมวด", "ข้อสอง", "ข้อแรก"]
    bad = client.post(f"/api/portal/manage/items/{first['id']}/move", json={"direction": "left"},
                      headers=as_user("central"))
    assert bad.status_code == 422


def test_delete_removes_the_item_and_its_file_and_keeps_the_record(client, as_user, files):
    item = create(client, as_user)
    attach(client, as_user, item["id"])
    assert len(files()) == 1
    assert client.delete(f"/api/portal/manage/items/{item['id']}", headers=as_user("central")).status_code == 204
    assert client.get(f"/api/portal/manage/items/{item['id']}", headers=as_user("central")).status_code == 404
    assert files() == set()
    changes = client.get("/api/portal/manage/changes", headers=as_user("central")).json["changes"]
    assert [(c["action"], c["title"]) for c in changes][:3] == [("delete", "ลืมรหัสผ่าน"), ("attach", "ลืมรหัสผ่าน"),
                                                                 ("create", "ลืมรหัสผ่าน")]


def test_search_finds_thai_text_in_published_knowledge_only(client, as_user, starter):
    # Both are still being completed by the central office (a todo): the public finds neither.
    assert client.get("/api/portal/items", query_string={"q": "ยุทธศาสตร์"}).json["items"] == []
    assert client.get("/api/portal/items", query_string={"q": "1029/2563"}).json["items"] == []
    assert all(not i["to_be_completed"] for i in client.get("/api/portal/items").json["items"])
    central = as_user("central")
    found = client.get("/api/portal/items", query_string={"q": "ยุทธศาสตร์"}, headers=central).json["items"]
    assert [i["title"] for i in found] == ["ยุทธศาสตร์ชาติ"] and found[0]["to_be_completed"]
    orders = client.get("/api/portal/items", query_string={"q": "1029/2563"}, headers=central).json["items"]
    assert orders and orders[0]["kind"] == "order" and orders[0]["order_date"] == "2020-12-16"
    # The unpublished placeholder course is not found; FAQ is not part of the Toolkits' search.
    assert client.get("/api/portal/items", query_string={"q": "MOOC"}).json["items"] == []
    assert client.get("/api/portal/items", query_string={"q": "รหัสผ่าน"}).json["items"] == []


MANAGE_CALLS = [
    ("get", "/api/portal/manage/items", None),
    ("post", "/api/portal/manage/items", FAQ),
    ("get", "/api/portal/manage/items/{id}", None),
    ("patch", "/api/portal/manage/items/{id}", {"title": "แก้ไขโดยผู้ไม่มีสิทธิ์"}),
    ("delete", "/api/portal/manage/items/{id}", None),
    ("post", "/api/portal/manage/items/{id}/attachment", "file"),
    ("delete", "/api/portal/manage/items/{id}/attachment", None),
    ("post", "/api/portal/manage/items/{id}/move", {"direction": "up"}),
    ("get", "/api/portal/manage/changes", None),
]


@pytest.mark.parametrize("who", ["district", "province", "ssoadmin", None])
def test_nobody_but_central_reaches_the_editing_api(app, client, as_user, who):
    item = create(client, as_user)
    attach(client, as_user, item["id"])
    before = snapshot(app)
    for method, path, body in MANAGE_CALLS:
        kwargs = {"headers": as_user(who) if who else {}}
        if body == "file":
            kwargs.update(data={"attachment": (io.BytesIO(PDF), "x.pdf")}, content_type="multipart/form-data")
        elif body is not None:
            kwargs["json"] = body
        response = getattr(client, method)(path.format(id=item["id"]), **kwargs)
        assert response.status_code == (403 if who else 401), (who, method, path)
        assert response.mimetype == "application/problem+json"
    assert snapshot(app) == before


def test_the_openapi_document_lists_the_endpoints(client):
    paths = client.get("/api/portal/openapi.json").json["paths"]
    assert {"/api/portal/items", "/api/portal/manage/items", "/api/portal/manage/items/{item_id}",
            "/api/portal/manage/items/{item_id}/attachment", "/api/portal/manage/items/{item_id}/move",
            "/api/portal/manage/changes"} <= set(paths)
