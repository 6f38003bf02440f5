"""Feeds for the department's website: Atom and JSON Feed, parsed back; stable ids, absolute links, 304s."""
import json
from xml.etree import ElementTree as ET

from tests.news.conftest import PDF, image_bytes
from tests.news.test_api import ITEM, create, decide, submit
from tests.news.test_media import upload

A = "{http://www.w3.org/2005/Atom}"
BEHIND_NGINX = {"X-Forwarded-Host": "dcc.dla.go.th", "X-Forwarded-Proto": "https"}


def publish(client, as_user, who="district", province_user="province", **changes):
    item = create(client, as_user, who, **changes)
    submit(client, as_user, item["id"], who)
    decide(client, as_user, item["id"], who=province_user)
    return item


def test_the_atom_feed_parses_with_absolute_links_and_stable_ids(client, as_user):
    item = create(client, as_user, title='ข่าว <b>&</b> "เครื่องหมาย"', body='<p>เนื้อหา <a href="https://dla.go.th">ลิงก์</a></p>')
    upload(client, as_user, item["id"], cover=("a.jpg", image_bytes()), attachment=("คำสั่ง.pdf", PDF))
    submit(client, as_user, item["id"])
    decide(client, as_user, item["id"])
    create(client, as_user, title="ร่างที่ไม่ควรออก")
    response = client.get("/news/feed.atom", headers=BEHIND_NGINX)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{A}feed" and feed.find(f"{A}title").text.startswith("ข่าวประชาสัมพันธ์")
    assert feed.find(f"{A}link[@rel='self']").get("href") == "https://dcc.dla.go.th/news/feed.atom"
    entries = feed.findall(f"{A}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert entry.find(f"{A}id").text == f"urn:uuid:{item['public_id']}"
    assert entry.find(f"{A}title").text == 'ข่าว <b>&</b> "เครื่องหมาย"'
    assert entry.find(f"{A}link[@rel='alternate']").get("href") == f"https://dcc.dla.go.th/news/{item['id']}"
    assert entry.find(f"{A}link[@rel='enclosure']").get("href").startswith("https://dcc.dla.go.th/news/media/")
    assert entry.find(f"{A}link[@rel='related']").get("type") == "application/pdf"
    assert entry.find(f"{A}content").get("type") == "html"
    assert 'href="https://dla.go.th"' in entry.find(f"{A}content").text
    assert entry.find(f"{A}author/{A}name").text == "ท้องถิ่นอำเภอเมืองกระบี่"
    assert entry.find(f"{A}updated").text.endswith("+07:00")
    again = ET.fromstring(client.get("/news/feed.atom").data)  # another host, the same entry id
    assert again.find(f"{A}entry/{A}id").text == entry.find(f"{A}id").text


def test_the_json_feed_follows_version_1_1(client, as_user):
    item = publish(client, as_user)
    response = client.get("/news/feed.json", headers=BEHIND_NGINX)
    assert response.mimetype == "application/feed+json"
    feed = json.loads(response.data)
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["language"] == "th"
    assert feed["feed_url"] == "https://dcc.dla.go.th/news/feed.json"
    assert feed["home_page_url"] == "https://dcc.dla.go.th/news/"
    [entry] = feed["items"]
    assert entry["id"] == f"urn:uuid:{item['public_id']}" and entry["url"] == f"https://dcc.dla.go.th/news/{item['id']}"
    assert entry["content_html"] and entry["date_published"] and entry["authors"][0]["name"] == "ท้องถิ่นอำเภอเมืองกระบี่"
    assert entry["_dcc"]["province"] == {"code": "81", "name": "กระบี่"}


def test_feeds_per_province(client, as_user):
    publish(client, as_user, title="กระบี่")
    publish(client, as_user, "far_district", "other_province", title="โคราช")
    krabi = ET.fromstring(client.get("/news/provinces/81/feed.atom").data)
    assert [e.find(f"{A}title").text for e in krabi.findall(f"{A}entry")] == ["กระบี่"]
    assert "กระบี่" in krabi.find(f"{A}title").text
    korat = json.loads(client.get("/news/provinces/30/feed.json").data)
    assert [i["title"] for i in korat["items"]] == ["โคราช"]
    assert len(json.loads(client.get("/news/feed.json").data)["items"]) == 2
    assert client.get("/news/provinces/10/feed.atom").status_code == 404  # Bangkok has no district offices
    assert client.get("/news/provinces/xx/feed.json").status_code == 404


def test_feeds_are_cacheable(client, as_user):
    publish(client, as_user)
    for path in ("/news/feed.atom", "/news/feed.json", "/news/provinces/81/feed.atom"):
        first = client.get(path)
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        assert "public" in first.headers["Cache-Control"] and "max-age" in first.headers["Cache-Control"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    etag = client.get("/news/feed.atom").headers["ETag"]
    publish(client, as_user, title="ข่าวใหม่")
    changed = client.get("/news/feed.atom", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_unpublishing_changes_the_feed(client, as_user):
    item = publish(client, as_user)
    before = client.get("/news/feed.json")
    client.post(f"/api/news/manage/items/{item['id']}/unpublication", json={"reason": "ซ้ำ"}, headers=as_user("central"))
    after = client.get("/news/feed.json", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and json.loads(after.data)["items"] == []


def test_an_empty_feed_is_still_valid(client):
    feed = ET.fromstring(client.get("/news/feed.atom").data)
    assert feed.find(f"{A}entry") is None and feed.find(f"{A}updated").text
    assert json.loads(client.get("/news/feed.json").data)["items"] == []


def test_hostile_bodies_are_refused_and_whatever_was_stored_before_keeps_the_feeds_well_formed(client, as_user, app):
    """Control characters once survived nh3 into approved news; the feeds then stopped parsing."""
    from news.models import NewsItem, db

    refused = client.post("/api/news/manage/items", headers=as_user("district"),
                          json={**ITEM, "body": "เนื้อหา\x01\x02\x0b\x0c\x1f"})
    assert refused.status_code == 422 and "อักขระควบคุม" in refused.json["detail"]
    item = publish(client, as_user, title="ข่าวเก่า", body="<p>เนื้อหา</p>")
    with app.app_context():  # as stored before the input discipline: straight into the database
        stored = db.session.get(NewsItem, item["id"])
        stored.title = "ข่าว\x01เก่า\x1f"
        stored.body_html = "<p>เนื้อหา\x01\x02\x0b\x0c\x1fท้าย \ufffe</p>"
        db.session.commit()
    for path in ("/news/feed.atom", "/news/provinces/81/feed.atom"):
        entry = ET.fromstring(client.get(path).data).find(f"{A}entry")
        assert entry.find(f"{A}title").text == "ข่าวเก่า" and "ท้าย" in entry.find(f"{A}content").text
    for path in ("/news/feed.json", "/news/provinces/81/feed.json"):
        [entry] = json.loads(client.get(path).data)["items"]
        assert entry["title"] == "ข่าว\x01เก่า\x1f"  # JSON escapes control characters: well-formed as stored
        assert "\ufffe" not in entry["content_html"]  # non-characters are dropped
