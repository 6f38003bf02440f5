"""Attached PDFs: checked by their content and size, written beside their final place before the
commit and moved in only after it, so that a failed request leaves the store as it was.

A PDF must start with %PDF- (a renamed program or image is refused whatever its name says) and stay
under PORTAL_MAX_PDF_BYTES. Stored names are random; the uploaded name is only shown and offered when
downloading.
"""
from dataclasses import dataclass

from portal.content import ValidationFailed
from shared import storage, uploads
from shared.uploads import Staging, Upload  # noqa: F401  (the portal modules' names for them)


@dataclass(frozen=True)
class Store:
    files: "storage.Folder | storage.Bucket"
    max_pdf_bytes: int


def check_pdf(upload: Upload, store: Store, field_name: str = "attachment") -> bytes:
    problem = uploads.pdf_problem(upload.data, store.max_pdf_bytes)
    if problem:
        raise ValidationFailed({field_name: problem})
    return upload.data


def display_name(filename: str, default: str = "เอกสารแนบ.pdf") -> str:
    """The uploaded name without any path, ending in .pdf."""
    return uploads.display_name(filename, default, suffix=".pdf")


def is_stored_name(name: str) -> bool:
    return uploads.is_stored_name(name, (".pdf",))
