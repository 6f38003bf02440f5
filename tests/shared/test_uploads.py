"""The one way uploads are handled: PDFs by content, names never trusted, files in place only after commit."""
from shared import uploads


def test_pdfs_are_recognised_by_their_content():
    assert uploads.pdf_problem(b"%PDF-1.7\n...", 100) is None
    assert uploads.pdf_problem(b"MZ\x90\x00 renamed.exe", 100) == "pdf_type"
    assert uploads.pdf_problem(b"%PDF-" + b"x" * 100, 100) == "pdf_too_large"
    assert uploads.pdf_problem(b"", 100) == "pdf_empty"


def test_only_our_own_stored_names_are_served(tmp_path):
    staging = uploads.Staging(tmp_path)
    name = staging.add(b"%PDF-1.7", ".pdf")
    assert uploads.stored_path(tmp_path, name, (".pdf",)) is None  # not committed yet
    staging.publish()
    assert uploads.stored_path(tmp_path, name, (".pdf",)) == tmp_path / name
    for bad in ("../etc/passwd", f".{name}", name.replace(".pdf", ".html"), "a" * 32 + ".pdf"):
        assert uploads.stored_path(tmp_path, bad, (".pdf",)) is None


def test_a_failed_request_leaves_nothing_behind(tmp_path):
    staging = uploads.Staging(tmp_path)
    staging.add(b"%PDF-1.7", ".pdf")
    staging.discard()
    assert list(tmp_path.iterdir()) == []


def test_display_names_lose_their_paths():
    assert uploads.display_name("C:\\Users\\x\\คำสั่ง.pdf") == "คำสั่ง.pdf"
    assert uploads.display_name("../../report", suffix=".pdf") == "report.pdf"
    assert uploads.display_name("") == "เอกสารแนบ.pdf"
