"""Uploaded files, the same way in every service: a name that is only shown, PDFs checked by their
content, and files made visible only after the database has committed (in a folder or a bucket:
`shared.storage`).

Stored names are random (hex) with a suffix the service chose from the content; `is_stored_name` admits
nothing else, so a request can never name a path or a key of its own.
"""
import io
import logging
import os
import re
import secrets
from dataclasses import dataclass, field

from shared import storage
from shared.inputs import display_only

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """A file as the user sent it: its name is for display only, never for storing or typing it."""
    filename: str
    data: bytes


def from_request(files, name: str) -> Upload | None:
    """The file a form or multipart request sent under `name`; None when none was chosen."""
    stored = files.get(name)
    return Upload(display_only(stored.filename), stored.read()) if stored and stored.filename else None


def all_from_request(files, name: str) -> list[Upload]:
    """Every file sent under `name` (a multiple file input)."""
    return [Upload(display_only(f.filename), f.read()) for f in files.getlist(name) if f.filename]


def pdf_problem(data: bytes, max_bytes: int) -> str | None:
    """Why these bytes are not an acceptable PDF (an error code), or None. The content decides, not
    the name: a renamed program or image does not start with %PDF-."""
    if not data:
        return "pdf_empty"
    if len(data) > max_bytes:
        return "pdf_too_large"
    if not data.startswith(b"%PDF-"):
        return "pdf_type"
    return None


def display_name(filename: str, default: str = "เอกสารแนบ.pdf", suffix: str | None = None) -> str:
    """The uploaded name without any path, shown on the page and offered when downloading."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[:200]
    if not name:
        return default
    if suffix and not name.lower().endswith(suffix):
        return name[:200 - len(suffix)] + suffix
    return name


@dataclass
class Staging:
    """Files of one request in a store (`shared.storage`): staged before the commit, made visible by `publish`
    after it, or removed by `discard`. Files an edit replaced are deleted only after the commit, so a failed
    request leaves the store as it was."""
    store: "storage.Folder | storage.Bucket"
    _pending: list[tuple[str, object]] = field(default_factory=list)
    _obsolete: list[str] = field(default_factory=list)

    def add(self, data: bytes, suffix: str, content_type: str) -> str:
        """Stage `data`; the stored name it will have."""
        name = secrets.token_hex(16) + suffix
        self._pending.append((name, self.store.stage(name, data, content_type)))
        return name

    def remove_after_commit(self, name: str | None) -> None:
        if name:
            self._obsolete.append(name)

    def publish(self) -> None:
        """After the commit: the new files visible, the replaced ones gone. A store failing now loses nothing
        that a row names: an obsolete file left behind is only unreachable."""
        for name, staged in self._pending:
            self.store.publish(name, staged)
        self._pending.clear()
        for name in self._obsolete:
            try:
                self.store.delete(name)
            except storage.StorageUnavailable:
                log.warning("could not delete the replaced file %s from %r", name, self.store)
        self._obsolete.clear()

    def discard(self) -> None:
        for name, staged in self._pending:
            try:
                self.store.drop(name, staged)
            except storage.StorageUnavailable:
                log.warning("could not remove the staged file %s from %r", name, self.store)
        self._pending.clear()
        self._obsolete.clear()


def send_stored(found: "storage.StoredFile", mimetype: str, public: bool, download_name: str | None = None):
    """A stored file as a response: cacheable an hour when public (stored names never change their
    content), never kept otherwise (a withdrawn item's files must stop showing), and sandboxed, so
    that even a hostile PDF opened in the browser runs no script and reaches nothing of this site.
    Ranges and conditional requests work alike from the folder and from the bucket."""
    from flask import send_file  # only the web side needs Flask; the checks above do not

    if found.path is not None:
        response = send_file(found.path, mimetype=mimetype, conditional=True, max_age=None,
                             download_name=download_name)
    else:
        response = send_file(io.BytesIO(found.data), mimetype=mimetype, conditional=True, max_age=None,
                             download_name=download_name or found.name, etag=found.etag,
                             last_modified=found.modified)
    response.headers["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response.headers["Content-Security-Policy"] = ("sandbox; default-src 'none'; img-src 'self'; "
                                                   "style-src 'unsafe-inline'")
    return response


def is_stored_name(name: str, suffixes: tuple[str, ...]) -> bool:
    """Whether `name` is one of ours (32 hex digits and a known suffix): no paths, no dots, no other keys."""
    pattern = r"[0-9a-f]{32}\.(" + "|".join(re.escape(s.lstrip(".")) for s in suffixes) + ")"
    return re.fullmatch(pattern, name) is not None
