"""The portal through nginx: public pages with the starting content, the home page's news and coverage
from the other services, and the editing behind auth_request for the central office only."""
import pytest
import requests

pytestmark = pytest.mark.stack



def test_public_pages_and_api_show_the_finished_starting_content_and_the_demos_examples(stack):
    # The founding order still lacks its PDF: only the central office sees it, with its notice.
    assert "ลงวันที่ 16 ธันวาคม 2563" not in stack.get("/toolkits/").text
    assert "ลงวันที่ 16 ธันวาคม 2563" in stack.get("/toolkits/", headers=stack.bearer("demo-central")).text
    assert "SSO Admin ของ สถจ. คือใคร" in stack.get("/faq/").text
    assert "กลุ่มพัฒนาระบบบริหาร" in stack.get("/about/").text
    found = stack.get("/api/portal/items", params={"q": "ยุทธศาสตร์"})
    assert found.status_code == 200
    assert [(i["title"], i["example"]) for i in found.json()["items"]] == [
        ("ตัวอย่าง: สรุปยุทธศาสตร์ชาติสำหรับการพัฒนาเชิงพื้นที่ระดับอำเภอ", True)]


def test_the_home_page_shows_news_and_the_registrys_coverage(stack):
    home = stack.get("/").text
    assert "จาก 878 อำเภอ" in home and "ขณะนี้ไม่สามารถแสดงจำนวน" not in home
    assert 'href="/news/' in home and "ขณะนี้ไม่สามารถแสดงข่าว" not in home


def test_editing_sits_behind_the_login_and_is_for_the_central_office_only(stack):
    page = stack.get("/portal/manage/")
    assert page.status_code == 302 and page.headers["Location"].startswith("/sso/login")
    api = stack.get("/api/portal/manage/items")
    assert api.status_code == 401 and api.headers["Content-Type"].startswith("application/problem+json")
    for user in ("demo-district", "demo-province", "demo-ssoadmin"):
        headers = stack.bearer(user)
        assert stack.get("/portal/manage/", headers=headers).status_code == 403, user
        refused = stack.post("/api/portal/manage/items", headers=headers,
                             json={"kind": "about", "title": "ไม่ควรเกิดขึ้น", "body": "x", "published": True})
        assert refused.status_code == 403, user
    assert "ไม่ควรเกิดขึ้น" not in stack.get("/about/").text


def test_the_central_office_publishes_an_item_with_a_large_pdf(stack):
    headers = stack.bearer("demo-central")
    created = stack.post("/api/portal/manage/items", headers=headers,
                         json={"kind": "order", "title": "สรุปหนังสือสั่งการผ่านเกตเวย์", "body": "สรุปสาระสำคัญ",
                               "order_number": "ทดสอบ 1/2569", "order_date": "2025-11-01"})
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    pdf = b"%PDF-1.4\n" + b"%" * (3 * 1024 * 1024)  # more than the 1 MB other services accept
    attached = requests.post(f"{stack.url}/api/portal/manage/items/{item_id}/attachment", headers=headers,
                             files={"attachment": ("หนังสือ.pdf", pdf, "application/pdf")}, timeout=30)
    assert attached.status_code == 200, attached.text
    url = attached.json()["attachment"]["url"]
    assert stack.get(url).status_code == 404  # not yet published
    assert stack.patch(f"/api/portal/manage/items/{item_id}", headers=headers,
                       json={"published": True}).status_code == 200
    served = stack.get(url)
    assert served.status_code == 200 and served.content == pdf
    assert "สรุปหนังสือสั่งการผ่านเกตเวย์" in stack.get("/toolkits/").text
    changes = stack.get("/api/portal/manage/changes", headers=headers).json()["changes"]
    assert [(c["action"], c["actor"]) for c in changes[:3]] == [("publish", "demo-central"), ("attach", "demo-central"),
                                                                ("create", "demo-central")]
    assert stack.get(f"/api/portal/manage/items/{item_id}", headers=headers).status_code == 200
    response = requests.delete(f"{stack.url}/api/portal/manage/items/{item_id}", headers=headers, timeout=10)
    assert response.status_code == 204 and stack.get(url).status_code == 404
