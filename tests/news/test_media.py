"""Uploads: images checked by content, re-encoded without metadata, thumbnails; PDFs checked; a refused
or failed request leaves no file behind; files of unpublished items are not public."""
import io
import struct
import zlib

import pytest
from PIL import Image

from news import media
from news.domain import ValidationFailed
from news.models import db
from shared.uploads import Upload
from tests.news.conftest import PDF, image_bytes
from tests.news.test_api import create, decide, submit


@pytest.fixture(scope="module", params=["folder", "bucket"])
def media_backend(request):
    """Every upload test on both stores: the laptop's folder and a bucket of a real S3 server."""
    return request.param


def upload(client, as_user, item_id, who="district", **files):
    data = {}
    for field, value in files.items():
        data[field] = [(io.BytesIO(content), name) for name, content in value] if isinstance(value, list) \
            else (io.BytesIO(value[1]), value[0])
    return client.post(f"/api/news/manage/items/{item_id}/media", data=data, headers=as_user(who),
                       content_type="multipart/form-data")


def fetch(client, url, **kwargs):
    """GET a served file, read and closed (send_file's open file must not outlive the test)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (13.0, 45.0, 0.0)}  # GPS latitude
    return image_bytes("JPEG", (800, 600), exif=exif.tobytes(), comment=b"<script>alert(1)</script>")


def png_bomb(width=100_000, height=100_000) -> bytes:
    """A few hundred bytes claiming ten gigapixels: the header is patched, the data is one tiny row."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
            + chunk(b"IEND", b""))


def test_an_image_is_re_encoded_without_metadata_with_a_thumbnail(client, as_user, files):
    item = create(client, as_user)
    response = upload(client, as_user, item["id"], cover=("รูป.jpg", jpeg_with_gps()),
                      images=[("a.png", image_bytes("PNG", (300, 200), mode="RGBA")), ("b.webp", image_bytes("WEBP"))])
    assert response.status_code == 200, response.json
    cover = response.json["cover"]
    assert cover["type"] == "image/jpeg" and (cover["width"], cover["height"]) == (800, 600)
    stored = fetch(client, cover["url"], headers=as_user("district"))
    assert stored.status_code == 200 and stored.mimetype == "image/jpeg"
    reread = Image.open(io.BytesIO(stored.data))
    assert not reread.getexif() and "comment" not in reread.info and b"SecretCam" not in stored.data
    assert b"<script>" not in stored.data
    thumb = Image.open(io.BytesIO(fetch(client, cover["thumbnail_url"], headers=as_user("district")).data))
    assert thumb.width <= 480 and thumb.height <= 360
    kinds = [image["type"] for image in response.json["images"]]
    assert kinds == ["image/png", "image/jpeg"]  # transparency stays PNG; everything else becomes JPEG
    assert len(files()) == 6


@pytest.mark.parametrize("name, content, code", [
    ("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 2000, "ไฟล์นี้ไม่ใช่รูปภาพ"),  # a Windows program renamed
    ("photo.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 2000, "ไฟล์นี้ไม่ใช่รูปภาพ"),
    ("photo.gif", image_bytes("GIF"), "ไฟล์นี้ไม่ใช่รูปภาพ"),  # a real image of a type we do not take
    ("big.png", image_bytes("PNG", (340, 340), mode="RGB", compress_level=0), "ขนาดใหญ่เกินกำหนด"),
    ("broken.jpg", image_bytes("JPEG", (400, 300))[:600], "เสียหรือไม่สมบูรณ์"),
    ("bomb.png", png_bomb(), "พิกเซลมากเกินกำหนด"),
    ("bomb2.png", png_bomb(3000, 3000), "พิกเซลมากเกินกำหนด"),  # over this app's limit, under Pillow's
])
def test_bad_images_are_refused_and_leave_nothing(client, as_user, files, name, content, code):
    item = create(client, as_user)
    before = files()
    for field in ("cover", "images"):
        value = (name, content) if field == "cover" else [("ok.jpg", image_bytes()), (name, content)]
        response = upload(client, as_user, item["id"], **{field: value})
        assert response.status_code == 422, response.json
        assert code in response.json["errors"][field]
        assert files() == before
    after = client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("district")).json
    assert after["cover"] is None and after["images"] == [] and after["version"] == item["version"]


@pytest.mark.parametrize("content, code", [
    (b"<html><script>alert(1)</script></html>", "ต้องเป็นเอกสาร PDF"),
    (b"MZ" + b"\x00" * 100, "ต้องเป็นเอกสาร PDF"),
    (b"%PDF-1.7\n" + b"0" * 250_000, "ขนาดใหญ่เกินกำหนด"),
])
def test_bad_pdfs_are_refused(client, as_user, files, content, code):
    item = create(client, as_user)
    before = files()
    response = upload(client, as_user, item["id"], attachment=("doc.pdf", content))
    assert response.status_code == 422 and code in response.json["errors"]["attachment"]
    assert files() == before


def test_a_pdf_is_kept_and_served_sandboxed(client, as_user):
    item = create(client, as_user)
    response = upload(client, as_user, item["id"], attachment=("../../etc/คำสั่ง.pdf", PDF))
    attachment = response.json["attachment"]
    assert attachment["name"] == "คำสั่ง.pdf" and attachment["size"] == len(PDF)
    served = fetch(client, attachment["url"], headers=as_user("district"))
    assert served.data == PDF and served.mimetype == "application/pdf"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    assert served.headers["Cache-Control"] == "private, no-store"
    assert "filename*=UTF-8''%E0%B8%84" in served.headers["Content-Disposition"]  # the uploaded name, offered back
    # Conditional and partial requests, from the folder and from the bucket alike.
    again = fetch(client, attachment["url"], headers={**as_user("district"), "If-None-Match": served.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    part = fetch(client, attachment["url"], headers={**as_user("district"), "Range": "bytes=0-4"})
    assert part.status_code == 206 and part.data == PDF[:5]


def test_eleven_images_are_too_many(client, as_user, files):
    item = create(client, as_user)
    before = files()
    response = upload(client, as_user, item["id"], images=[(f"{n}.jpg", image_bytes()) for n in range(11)])
    assert response.status_code == 422 and "ไม่เกิน 10 รูป" in response.json["errors"]["images"]
    assert files() == before
    assert upload(client, as_user, item["id"],
                  images=[(f"{n}.jpg", image_bytes()) for n in range(10)]).status_code == 200
    assert upload(client, as_user, item["id"], images=[("x.jpg", image_bytes())]).status_code == 422


def test_a_failed_commit_leaves_no_file(client, as_user, files, monkeypatch):
    item = create(client, as_user)
    before = files()

    def broken_commit():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    response = upload(client, as_user, item["id"], cover=("a.jpg", image_bytes()), attachment=("a.pdf", PDF))
    assert response.status_code == 500
    monkeypatch.undo()
    assert files() == before


def test_replaced_and_removed_files_are_deleted_after_the_commit(client, as_user, files):
    item = create(client, as_user)
    first = upload(client, as_user, item["id"], cover=("a.jpg", image_bytes()), images=[("b.jpg", image_bytes())],
                   attachment=("a.pdf", PDF)).json
    second = upload(client, as_user, item["id"], cover=("c.jpg", image_bytes("PNG"))).json
    assert first["cover"]["url"] != second["cover"]["url"]
    assert len(files()) == 5  # new cover + thumb, image + thumb, pdf
    image_id = second["images"][0]["id"]
    assert client.delete(f"/api/news/manage/items/{item['id']}/images/{image_id}",
                         headers=as_user("district")).status_code == 204
    assert client.delete(f"/api/news/manage/items/{item['id']}/attachment",
                         headers=as_user("district")).status_code == 204
    assert len(files()) == 2


def test_uploads_follow_the_item_permissions_and_state(client, as_user):
    item = create(client, as_user)
    assert upload(client, as_user, item["id"], "other_district", cover=("a.jpg", image_bytes())).status_code == 403
    assert upload(client, as_user, item["id"], "province", cover=("a.jpg", image_bytes())).status_code == 403
    submit(client, as_user, item["id"])
    locked = upload(client, as_user, item["id"], cover=("a.jpg", image_bytes()))
    assert locked.status_code == 409 and locked.json["code"] == "locked_submitted"


def test_files_of_unpublished_items_are_not_public(client, as_user):
    item = create(client, as_user)
    cover = upload(client, as_user, item["id"], cover=("a.jpg", image_bytes())).json["cover"]
    assert fetch(client, cover["url"]).status_code == 404
    assert fetch(client, cover["url"], headers=as_user("other_province")).status_code == 404
    assert fetch(client, cover["url"], headers=as_user("district")).status_code == 200
    assert fetch(client, cover["url"], headers=as_user("province")).status_code == 404  # a draft is the district's
    submit(client, as_user, item["id"])
    assert fetch(client, cover["url"], headers=as_user("province")).status_code == 200
    decide(client, as_user, item["id"])
    public = fetch(client, cover["url"])
    assert public.status_code == 200 and public.headers["Cache-Control"].startswith("public")
    for name in ("../news.sqlite3", "x.jpg", "0" * 32 + ".exe", ".%s.jpg" % ("0" * 32)):
        assert client.get(f"/news/media/{name}").status_code == 404


def test_photos_are_upright_and_scaled_down(client, as_user):
    """A camera's sideways photo with its EXIF orientation comes out upright; a large one at most 2000 px."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to show
    sideways = image_bytes("JPEG", (400, 300), exif=exif.tobytes())
    big = image_bytes("JPEG", (2600, 1500), quality=30)  # under this module's 4 MP limit
    item = create(client, as_user)
    response = upload(client, as_user, item["id"], cover=("a.jpg", sideways), images=[("b.jpg", big)]).json
    assert (response["cover"]["width"], response["cover"]["height"]) == (300, 400)
    assert max(response["images"][0]["width"], response["images"][0]["height"]) <= 2000


def png_of(mode: str, size: tuple[int, int]) -> bytes:
    """A plain image that compresses to almost nothing, whatever it decodes to."""
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("mode, size", [
    ("RGBA", (6300, 6300)),  # 150 KB of file, 159 MB decoded: once accepted, a worker kept 434 MB
    ("P", (8000, 8000)),  # 64 MB decoded, but converted to RGB it would hold 256 MB at once
    ("RGB", (4200, 4200)),  # Pillow holds RGB in four bytes a pixel
    ("RGBA", (2900, 2900)),  # and resizes a transparent picture through a premultiplied copy
])
def test_an_image_that_decodes_beyond_the_memory_budget_is_refused_before_decoding(mode, size):
    limits = media.Limits(image_bytes=8 * media.MIB, image_pixels=100_000_000, pdf_bytes=1)
    data = png_of(mode, size)
    assert len(data) < limits.image_bytes and size[0] * size[1] < limits.image_pixels
    with pytest.raises(ValidationFailed) as refused:
        media.process_image(Upload("ใหญ่.png", data), limits, "cover")
    assert refused.value.errors == {"cover": "image_memory"}


@pytest.mark.parametrize("mode, size", [("RGBA", (2896, 2896)), ("RGB", (4096, 4096))])
def test_the_largest_images_within_the_budget_are_taken(mode, size):
    limits = media.Limits(image_bytes=8 * media.MIB, image_pixels=100_000_000, pdf_bytes=1)
    processed = media.process_image(Upload("พอดี.png", png_of(mode, size)), limits, "cover")
    assert (processed.width, processed.height) == (2000, 2000)


def test_a_store_that_does_not_answer_is_a_thai_503_and_changes_nothing(app, client, as_user, monkeypatch):
    """A bucket nobody answers for (its server down): the upload is refused within the client's timeouts as a
    503 problem naming the file storage, the item keeps its version and no image row is written."""
    from news.services import Store
    from shared import storage
    from tools.stack import free_port

    item = create(client, as_user)
    for name, value in {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}", "AWS_ACCESS_KEY_ID": "x",
                        "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)
    working = app.extensions["news.store"]
    monkeypatch.setitem(app.extensions, "news.store", Store(storage.Bucket("dcc-down"), working.limits))
    response = upload(client, as_user, item["id"], cover=("a.jpg", image_bytes()))
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.json["code"] == "storage_unavailable" and "ระบบจัดเก็บไฟล์" in response.json["detail"]
    monkeypatch.setitem(app.extensions, "news.store", working)
    again = client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("district")).json
    assert again["version"] == item["version"] and again["cover"] is None
