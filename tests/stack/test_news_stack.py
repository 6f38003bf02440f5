"""News through nginx: public reading and feeds, writing and deciding behind auth_request (the approval
endpoint too), uploads larger than the default request size, and the portal's home page. Generated
users of ยะลา (95) and นราธิวาส (96) keep it apart from other tests on the shared stack."""
import io
import json
import os
import time
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import requests
from PIL import Image

pytestmark = pytest.mark.stack

PASSWORD = "demo-pass-2568"
REVOCATION_BOUND = 5.0
ATOM = "{http://www.w3.org/2005/Atom}"




def noisy_jpeg(width=1600, height=1200) -> bytes:
    """Noise compresses badly: a photo of a few MB, more than the 1 MB other services accept."""
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()


def submitted_item(stack, district_headers, title):
    created = stack.post("/api/news/manage/items", headers=district_headers,
                         json={"title": title, "body": "เนื้อหาข่าวทดสอบผ่านเกตเวย์", "activity_date": "2026-11-20"})
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    assert stack.post(f"/api/news/manage/items/{item_id}/submission", headers=district_headers).status_code == 200
    return item_id


def test_news_reading_and_feeds_are_public(stack):
    assert "ข่าวประชาสัมพันธ์" in stack.get("/news/").text
    listed = stack.get("/api/news/items").json()
    assert listed["total"] >= 4  # the demo's approved items
    feed = stack.get("/news/feed.atom")
    assert feed.status_code == 200
    entries = ET.fromstring(feed.content).findall(f"{ATOM}entry")
    assert entries and entries[0].find(f"{ATOM}link[@rel='alternate']").get("href").startswith(stack.url + "/news/")
    assert stack.get("/news/feed.atom", headers={"If-None-Match": feed.headers["ETag"]}).status_code == 304
    assert json.loads(stack.get("/news/provinces/81/feed.json").content)["items"]
    cover = listed["items"][0]["cover"]["thumbnail_url"]
    image = stack.get(cover)
    assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"
    assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_writing_and_deciding_sit_behind_the_login(stack):
    for method, path in [("post", "/api/news/items/1/approval"), ("get", "/api/news/manage/items"),
                         ("post", "/api/news/manage/items"),
                         # 5 in Arabic-Indic and full-width digits: Werkzeug reads both as item 5
                         ("post", "/api/news/items/%D9%A5/approval"), ("post", "/api/news/items/%EF%BC%95/approval"),
                         ("post", "/api/news/items/1/approval/")]:
        response = getattr(requests, method)(stack.url + path, json={"decision": "approve"}, timeout=10,
                                             headers={"X-Auth-User": "demo-province", "X-Auth-Roles": "province"})
        assert response.status_code == 401, path
        assert response.headers["Content-Type"].startswith("application/problem+json"), path
    page = stack.get("/news/manage/")
    assert page.status_code == 302 and page.headers["Location"] == "/sso/login?next=/news/manage/"
    assert stack.get("/news/manage/new").status_code == 302


def test_district_writes_province_approves_portal_shows_it(stack):
    district, province = stack.bearer("d-9501"), stack.bearer("p-95")
    title = "ท้องถิ่นอำเภอเมืองยะลาจัดงานทดสอบผ่านเกตเวย์"
    item_id = submitted_item(stack, district, title)
    photo = noisy_jpeg()
    assert len(photo) > 1024 * 1024
    locked = stack.post(f"/api/news/manage/items/{item_id}/media", headers=district,
                        files={"cover": ("photo.jpg", photo, "image/jpeg")})
    assert locked.status_code == 409  # submitted: locked until the province sends it back
    rejected = stack.post(f"/api/news/items/{item_id}/approval", headers=province,
                          json={"decision": "reject", "reason": "กรุณาแนบภาพปก"})
    assert rejected.status_code == 200 and rejected.json()["state"] == "rejected"
    uploaded = stack.post(f"/api/news/manage/items/{item_id}/media", headers=district,
                          files={"cover": ("photo.jpg", photo, "image/jpeg")})
    assert uploaded.status_code == 200, uploaded.text
    assert stack.post(f"/api/news/manage/items/{item_id}/submission", headers=district).status_code == 200

    other = stack.post(f"/api/news/items/{item_id}/approval", headers=stack.bearer("p-96"),
                       json={"decision": "approve"})
    assert other.status_code == 403
    assert stack.post(f"/api/news/items/{item_id}/approval", headers=district,
                      json={"decision": "approve"}).status_code == 403
    approved = stack.post(f"/api/news/items/{item_id}/approval", headers=province, json={"decision": "approve"})
    assert approved.status_code == 200 and approved.json()["published"] is True
    twice = stack.post(f"/api/news/items/{item_id}/approval", headers=province, json={"decision": "approve"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_approved"

    assert title in stack.get("/news/?province=95").text
    assert stack.get(approved.json()["cover"]["url"]).status_code == 200
    deadline = time.monotonic() + 5  # the portal keeps the news it fetched for PORTAL_NEWS_CACHE_SECONDS
    while title not in stack.get("/").text:
        assert time.monotonic() < deadline, "the approved item did not reach the home page"
        time.sleep(0.3)


def test_a_logged_out_province_can_no_longer_approve(stack):
    item_id = submitted_item(stack, stack.bearer("d-9601"), "ข่าวรออนุมัติของนราธิวาส")
    session, _ = stack.sign_in("p-96", PASSWORD, "/news/manage/")
    cookie = session.cookies["dcc_session"]
    page = session.get(stack.url + "/news/manage/").text
    assert "ข่าวรออนุมัติของนราธิวาส" in page
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert session.post(stack.url + "/sso/logout", data={"csrf_token": csrf}, allow_redirects=False).status_code == 302

    def decide():
        """A decision the news app itself would refuse (422: no reason), so that the verdict nginx keeps
        for a few seconds after the logout changes nothing; the gateway's refusal is 401."""
        return requests.post(f"{stack.url}/api/news/items/{item_id}/approval", json={"decision": "reject"},
                             cookies={"dcc_session": cookie}, headers={"X-CSRF-Token": csrf}, timeout=10)

    started = time.monotonic()
    while (answer := decide()).status_code != 401:
        assert answer.status_code == 422
        assert time.monotonic() - started < REVOCATION_BOUND + 3
        time.sleep(0.1)
    assert time.monotonic() - started <= REVOCATION_BOUND
    state = stack.get(f"/api/news/manage/items/{item_id}", headers=stack.bearer("p-96")).json()["state"]
    assert state == "submitted"


MIB = 1024 * 1024
IMAGE_BUDGET = 64 * MIB  # news.media.Limits.image_memory


def _news_worker(stack) -> int:
    """The news service's one gunicorn worker (tests run one per service), a child of its master."""
    master = stack.supervisor.select("news.1")[0].process.pid
    [worker] = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(worker)


def _memory(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (the peak since the last reset) of a process, in bytes."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {name: int(fields[name].split()[0]) * 1024 for name in ("VmRSS", "VmHWM")}


def _png(mode: str, size: tuple[int, int]) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def test_the_largest_accepted_image_stays_within_the_workers_memory_budget(stack):
    district = stack.bearer("d-9502")
    item_id = stack.post("/api/news/manage/items", headers=district, json={
        "title": "ข่าวภาพใหญ่", "body": "เนื้อหา", "activity_date": "2026-11-01"}).json()["id"]
    worker = _news_worker(stack)
    hostile = stack.post(f"/api/news/manage/items/{item_id}/media", headers=district,
                         files={"cover": ("bomb.png", _png("RGBA", (6300, 6300)), "image/png")})
    assert hostile.status_code == 422 and "กว้าง × ยาว" in hostile.text  # 150 KB that once cost 434 MB
    for mode, size in (("RGB", (4096, 4096)), ("RGBA", (2896, 2896))):  # the largest of each kind
        Path(f"/proc/{worker}/clear_refs").write_text("5")  # the peak starts again from now
        idle = _memory(worker)["VmRSS"]
        largest = stack.post(f"/api/news/manage/items/{item_id}/media", headers=district,
                             files={"cover": ("large.png", _png(mode, size), "image/png")})
        assert largest.status_code == 200, largest.text
        after = _memory(worker)
        assert after["VmHWM"] - idle < 2 * IMAGE_BUDGET, (mode, idle, after)
        assert after["VmRSS"] - idle < IMAGE_BUDGET / 2, (mode, idle, after)  # and it gives the memory back
