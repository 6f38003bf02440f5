"""Uploaded files, the same way in every service: a name that is only shown, PDFs checked by their
content, and files put in place only after the database has committed.

Stored names are random (hex) with a suffix the service chose from the content; `stored_path` takes
nothing else, so a request can never name a path of its own.
"""
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from shared.inputs import display_only


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
    """Files of one request: staged as hidden temporary files beside their final place, moved in by
    `publish` after the commit, or removed by `discard`. Files an edit replaced are deleted only after
    the commit, so a failed request leaves the store as it was."""
    root: Path
    _pending: list[tuple[Path, Path]] = field(default_factory=list)
    _obsolete: list[Path] = field(default_factory=list)

    def add(self, data: bytes, suffix: str, name: str | None = None) -> str:
        """Stage `data`; the stored name it will have."""
        name = name or secrets.token_hex(16) + suffix
        self.root.mkdir(parents=True, exist_ok=True)
        temporary = self.root / f".{name}.{secrets.token_hex(4)}.part"
        temporary.write_bytes(data)
        self._pending.append((temporary, self.root / name))
        return name

    def remove_after_commit(self, name: str | None) -> None:
        if name:
            self._obsolete.append(self.root / name)

    def publish(self) -> None:
        for temporary, final in self._pending:
            os.replace(temporary, final)
        for path in self._obsolete:
            path.unlink(missing_ok=True)
        self._pending.clear()
        self._obsolete.clear()

    def discard(self) -> None:
        for temporary, _final in self._pending:
            temporary.unlink(missing_ok=True)
        self._pending.clear()
        self._obsolete.clear()


def send_stored(path: Path, mimetype: str, public: bool, download_name: str | None = None):
    """A stored file as a response: cacheable an hour when public (stored names never change their
    content), never kept otherwise (a withdrawn item's files must stop showing), and sandboxed, so
    that even a hostile PDF opened in the browser runs no script and reaches nothing of this site."""
    from flask import send_file  # only the web side needs Flask; the checks above do not

    response = send_file(path, mimetype=mimetype, conditional=True, max_age=None, download_name=download_name)
    response.headers["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    return response


def stored_path(root: Path, name: str, suffixes: tuple[str, ...]) -> Path | None:
    """The file of a stored name, or None for anything that is not one of ours (no paths, no dots)."""
    pattern = r"[0-9a-f]{32}\.(" + "|".join(re.escape(s.lstrip(".")) for s in suffixes) + ")"
    if not re.fullmatch(pattern, name):
        return None
    path = root / name
    return path if path.is_file() else None
