"""Attached PDFs: checked by their content and size, written beside their final place before the
commit and moved in only after it, so that a failed request leaves the store as it was.

A PDF must start with %PDF- (a renamed program or image is refused whatever its name says) and stay
under PORTAL_MAX_PDF_BYTES. Stored names are random; the uploaded name is only shown and offered when
downloading.
"""
import os
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from portal.content import ValidationFailed

STORED_NAME = re.compile(r"[0-9a-f]{32}\.pdf")


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class Store:
    root: Path
    max_pdf_bytes: int


def check_pdf(upload: Upload, store: Store, field_name: str = "attachment") -> bytes:
    if not upload.data:
        raise ValidationFailed({field_name: "pdf_empty"})
    if len(upload.data) > store.max_pdf_bytes:
        raise ValidationFailed({field_name: "pdf_too_large"})
    if not upload.data.startswith(b"%PDF-"):
        raise ValidationFailed({field_name: "pdf_type"})
    return upload.data


def display_name(filename: str, default: str = "เอกสารแนบ.pdf") -> str:
    """The uploaded name without any path, ending in .pdf."""
    name = os.path.basename((filename or "").replace("\\", "/")).strip()[:200]
    if not name:
        return default
    return name if name.lower().endswith(".pdf") else (name[:195] + ".pdf")


@dataclass
class Staging:
    """Files of one request: staged as hidden temporary files, moved in place by `publish` after the
    commit, or removed by `discard`; replaced files are deleted only after the commit."""
    root: Path
    _pending: list[tuple[Path, Path]] = field(default_factory=list)
    _obsolete: list[Path] = field(default_factory=list)

    def add(self, data: bytes) -> str:
        name = secrets.token_hex(16) + ".pdf"
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


def stored_path(root: Path, name: str) -> Path | None:
    """The file of a stored name, or None for anything that is not one of ours (no paths, no dots)."""
    if not STORED_NAME.fullmatch(name):
        return None
    path = root / name
    return path if path.is_file() else None
