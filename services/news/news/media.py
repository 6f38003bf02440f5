"""Uploaded images and PDFs: checked by their content, images re-encoded, files put in place only
after the database has committed.

An image is opened only by Pillow's JPEG, PNG and WebP decoders (a renamed program is refused), its
pixel count is checked before it is decoded (an image bomb is refused), it is decoded whole (a
corrupt file is refused), then re-encoded from its pixels alone: no EXIF, GPS, comments or anything
else of the upload survives. A PDF must start with %PDF- and stay under its size limit.
"""
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from news.domain import ValidationFailed
from shared import uploads
from shared.uploads import Staging, Upload, display_name  # noqa: F401  (the news modules' names for them)

DECODERS = ["JPEG", "PNG", "WEBP"]
LONGEST_EDGE = 2000  # a news photo on any screen; larger uploads are scaled down
THUMB_SIZE = (480, 360)
JPEG_QUALITY = 85
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}
STORED_SUFFIXES = (".jpg", ".png", ".pdf")


@dataclass(frozen=True)
class Limits:
    image_bytes: int
    image_pixels: int
    pdf_bytes: int


@dataclass(frozen=True)
class ProcessedImage:
    data: bytes
    thumb: bytes
    suffix: str
    content_type: str
    width: int
    height: int


def _encode(image: Image.Image, suffix: str) -> bytes:
    out = io.BytesIO()
    if suffix == ".png":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return out.getvalue()


def process_image(upload: Upload, limits: Limits, field_name: str) -> ProcessedImage:
    """The upload re-encoded as JPEG (or PNG when it has transparency) with a thumbnail, or
    ValidationFailed naming `field_name`."""
    def refuse(code: str):
        raise ValidationFailed({field_name: code})

    if len(upload.data) > limits.image_bytes:
        refuse("image_too_large")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(upload.data), formats=DECODERS)
            if image.width * image.height > limits.image_pixels:
                refuse("image_bomb")
            if image.format == "JPEG":
                # Decode a big photo at 1/2, 1/4 or 1/8 scale right away: it is scaled down anyway, and a
                # 40-megapixel upload then costs a worker tens of MB instead of hundreds.
                image.draft("RGB", (LONGEST_EDGE, LONGEST_EDGE))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        refuse("image_bomb")
    except UnidentifiedImageError:
        refuse("image_type")
    except (OSError, SyntaxError, ValueError, EOFError):
        refuse("image_corrupt")
    ImageOps.exif_transpose(image, in_place=True)  # keep the photo upright once its EXIF is gone
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if transparent else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image.thumbnail((LONGEST_EDGE, LONGEST_EDGE), Image.Resampling.LANCZOS)
    # A fresh image holds the pixels only: nothing of the upload's info, EXIF or ICC travels along.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    thumb = clean.copy()
    thumb.thumbnail(THUMB_SIZE, Image.Resampling.LANCZOS)
    suffix = ".png" if transparent else ".jpg"
    return ProcessedImage(_encode(clean, suffix), _encode(thumb, suffix), suffix, CONTENT_TYPES[suffix],
                          clean.width, clean.height)


def check_pdf(upload: Upload, limits: Limits, field_name: str = "attachment") -> bytes:
    problem = uploads.pdf_problem(upload.data, limits.pdf_bytes)
    if problem:
        raise ValidationFailed({field_name: problem})
    return upload.data


def stored_path(root: Path, name: str) -> Path | None:
    return uploads.stored_path(root, name, STORED_SUFFIXES)
