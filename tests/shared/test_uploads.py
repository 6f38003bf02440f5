"""The one way uploads are handled: PDFs by content, names never trusted, files visible only after commit —
in a folder and in a bucket alike."""
import pytest

from shared import storage, uploads
from shared.testing import stored_files


@pytest.fixture(params=["folder", "bucket"])
def store(request, tmp_path, monkeypatch):
    if request.param == "folder":
        return storage.Folder(tmp_path / "media")
    server = request.getfixturevalue("s3_server")
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    return storage.Bucket(server.bucket())


def test_pdfs_are_recognised_by_their_content():
    assert uploads.pdf_problem(b"%PDF-1.7\n...", 100) is None
    assert uploads.pdf_problem(b"MZ\x90\x00 renamed.exe", 100) == "pdf_type"
    assert uploads.pdf_problem(b"%PDF-" + b"x" * 100, 100) == "pdf_too_large"
    assert uploads.pdf_problem(b"", 100) == "pdf_empty"


def test_only_our_own_stored_names_are_served(store):
    staging = uploads.Staging(store)
    name = staging.add(b"%PDF-1.7", ".pdf", "application/pdf")
    if isinstance(store, storage.Folder):
        assert store.get(name) is None  # not committed yet (in the bucket, no row names it yet)
    staging.publish()
    found = store.get(name)
    assert (found.size, found.path.read_bytes() if found.path else found.data) == (8, b"%PDF-1.7")
    assert uploads.is_stored_name(name, (".pdf",))
    for bad in ("../etc/passwd", f".{name}", name.replace(".pdf", ".html"), "A" * 32 + ".pdf", name + "\0"):
        assert not uploads.is_stored_name(bad, (".pdf",))
    assert store.get("a" * 32 + ".pdf") is None  # one of ours by its form, but never stored


def test_a_failed_request_leaves_nothing_behind(store):
    staging = uploads.Staging(store)
    staging.add(b"%PDF-1.7", ".pdf", "application/pdf")
    assert stored_files(store)
    staging.discard()
    assert stored_files(store) == set()


def test_replaced_files_go_only_after_the_commit(store):
    first = uploads.Staging(store)
    old = first.add(b"%PDF-old", ".pdf", "application/pdf")
    first.publish()
    second = uploads.Staging(store)
    new = second.add(b"%PDF-new", ".pdf", "application/pdf")
    second.remove_after_commit(old)
    second.discard()  # the request failed: the old file stays, the new one never appears
    assert stored_files(store) == {old}
    third = uploads.Staging(store)
    new = third.add(b"%PDF-new", ".pdf", "application/pdf")
    third.remove_after_commit(old)
    third.publish()
    assert stored_files(store) == {new}


def test_archives_carry_every_file_between_backends(store, tmp_path):
    staging = uploads.Staging(store)
    names = {staging.add(bytes([n]) * 10, ".jpg", "image/jpeg") for n in range(3)}
    staging.publish()
    archive = tmp_path / "media.tar.gz"
    assert storage.archive(store, archive) == 3
    other = storage.Folder(tmp_path / "restored")
    assert storage.unpack(other, archive) == 3
    assert set(other.names()) == names
    assert {(tmp_path / "restored" / n).read_bytes() for n in names} == {bytes([n]) * 10 for n in range(3)}


def test_a_bucket_that_does_not_answer_is_unavailable_not_a_bug(monkeypatch, tmp_path):
    from tools.stack import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nobody listens there
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "nobody")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "nobody")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    bucket = storage.Bucket("dcc-gone")
    with pytest.raises(storage.StorageUnavailable):
        uploads.Staging(bucket).add(b"%PDF-1.7", ".pdf", "application/pdf")
    with pytest.raises(storage.StorageUnavailable):
        bucket.get("0" * 32 + ".pdf")


def test_display_names_lose_their_paths():
    assert uploads.display_name("C:\\Users\\x\\คำสั่ง.pdf") == "คำสั่ง.pdf"
    assert uploads.display_name("../../report", suffix=".pdf") == "report.pdf"
    assert uploads.display_name("") == "เอกสารแนบ.pdf"


def test_ensure_makes_a_missing_bucket_once(s3_server, monkeypatch):
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("NEWS_MEDIA_BUCKET", "dcc-ensure-test")
    assert storage.main(["ensure", "news"]) == 0
    bucket = storage.Bucket("dcc-ensure-test")
    assert bucket.ensure() is False and bucket.names() == []  # there now, and made only once
    assert storage.main(["ensure", "workload"]) == 64
