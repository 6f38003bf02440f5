"""Feeds of published news for the department's website (and anyone): Atom 1.0 and JSON Feed 1.1,
for the whole country and per province.

Entry ids are the items' `urn:uuid:` ids, the same whatever host name the site is reached by; links
are absolute (nginx forwards the host, ProxyFix applies it). Responses carry an ETag (a hash of the
body) and Last-Modified (the newest publication or withdrawal) and answer 304 to a client that has them.
"""
import hashlib
import json
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, request, url_for

from news import api, services
from shared import geography
from shared import richtext as sanitize
from shared.clock import utcnow
from shared.inputs import xml_text  # whatever was stored, the feeds stay well-formed
from shared.thai import iso_bangkok
from shared.web import CENTER_NAME

bp = Blueprint("news_feeds", __name__, url_prefix="/news")

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
# The feed's own id: like the entries', independent of the host name the site is reached by.
FEED_ID = "tag:dla.go.th,2021:dcc-news"
MAX_AGE = 300  # seconds a client or cache may reuse a feed; publication is not urgent to the minute

ET.register_namespace("", ATOM)


def _title(province_code: str | None) -> str:
    if province_code is None:
        return f"ข่าวประชาสัมพันธ์ — {CENTER_NAME}"
    return f"ข่าวประชาสัมพันธ์จังหวัด{geography.province(province_code).name_th} — {CENTER_NAME}"


def _check(province_code: str | None) -> None:
    if province_code is not None and geography.province(province_code) is None:
        abort(404)


def _items(province_code: str | None):
    items, _total = services.published(province=province_code, per_page=FEED_SIZE)
    return items


def _author(item) -> str:
    return geography.district_office_name(item.district_code)


def atom(province_code: str | None, items, self_url: str, home_url: str) -> bytes:
    def sub(parent, tag, text=None, **attributes):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attributes.items()})
        if text is not None:
            element.text = xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "th"})
    sub(feed, "id", FEED_ID if province_code is None else f"{FEED_ID}:province-{province_code}")
    sub(feed, "title", _title(province_code))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=home_url)
    sub(feed, "updated", iso_bangkok(max((i.publish_at for i in items), default=None) or utcnow()))
    sub(sub(feed, "author"), "name", "กรมส่งเสริมการปกครองท้องถิ่น")
    for item in items:
        body = api.item_json(item, external=True)
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:uuid:{item.public_id}")
        sub(entry, "title", item.title)
        sub(entry, "link", rel="alternate", type="text/html", href=body["url"])
        sub(entry, "published", body["publish_at"])
        sub(entry, "updated", body["publish_at"])
        sub(sub(entry, "author"), "name", _author(item))
        sub(entry, "category", term=item.province_code, label=body["province"]["name"])
        sub(entry, "summary", sanitize.summary(item.body_html, 300))
        sub(entry, "content", item.body_html, type="html")
        if body["cover"]:
            sub(entry, "link", rel="enclosure", type=body["cover"]["type"], href=body["cover"]["url"])
        if body["attachment"]:
            sub(entry, "link", rel="related", type="application/pdf", href=body["attachment"]["url"],
                title=body["attachment"]["name"])
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)


def json_feed(province_code: str | None, items, self_url: str, home_url: str) -> bytes:
    def entry(item):
        body = api.item_json(item, external=True)
        result = {
            "id": f"urn:uuid:{item.public_id}",
            "url": body["url"],
            "title": item.title,
            "content_html": item.body_html,
            "summary": sanitize.summary(item.body_html, 300),
            "date_published": body["publish_at"],
            "date_modified": body["publish_at"],
            "authors": [{"name": _author(item)}],
            "tags": [body["province"]["name"], body["district"]["name"]],
            "_dcc": {"province": body["province"], "district": body["district"],
                     "activity_date": body["activity_date"]},
        }
        if body["cover"]:
            result["image"] = body["cover"]["url"]
        if body["attachment"]:
            result["attachments"] = [{"url": body["attachment"]["url"], "mime_type": "application/pdf",
                                      "title": body["attachment"]["name"],
                                      "size_in_bytes": body["attachment"]["size"]}]
        return result

    document = {"version": "https://jsonfeed.org/version/1.1", "title": _title(province_code),
                "home_page_url": home_url, "feed_url": self_url, "language": "th",
                "items": [entry(item) for item in items]}
    return xml_text(json.dumps(document, ensure_ascii=False, indent=1)).encode()  # control characters are escaped


def _respond(body: bytes, mimetype: str, province_code: str | None) -> Response:
    response = Response(body, mimetype=mimetype)
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    changed = services.last_change(province_code)
    if changed is not None:
        response.last_modified = changed.replace(microsecond=0)
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


def _home(province_code: str | None) -> str:
    return url_for("news_pages.index", province=province_code, _external=True)


@bp.get("/feed.atom", defaults={"province_code": None})
@bp.get("/provinces/<province_code>/feed.atom")
def atom_feed(province_code):
    """Atom 1.0: the newest published news of the country or of one province."""
    _check(province_code)
    body = atom(province_code, _items(province_code), request.url, _home(province_code))
    return _respond(body, "application/atom+xml", province_code)


@bp.get("/feed.json", defaults={"province_code": None})
@bp.get("/provinces/<province_code>/feed.json")
def json_feed_view(province_code):
    """JSON Feed 1.1: the same items as the Atom feed."""
    _check(province_code)
    body = json_feed(province_code, _items(province_code), request.url, _home(province_code))
    return _respond(body, "application/feed+json", province_code)
