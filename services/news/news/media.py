"""Uploaded images and PDFs: checked by their content, images re-encoded, files put in place only
after the database has committed.

An image is opened only by Pillow's JPEG, PNG and WebP decoders (a renamed program is refused), its
pixel count and the memory its decoding takes are checked before it is decoded (an image bomb, or a small
file of a huge picture, is refused), it is decoded whole (a
corrupt file is refused), then re-encoded from its pixels alone: no EXIF, GPS, comments or anything
else of the upload survives. A PDF must start with %PDF- and stay under its size limit.
"""
import ctypes
import io
import warnings
from dataclasses import dataclass

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


MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    image_bytes: int
    image_pixels: int
    pdf_bytes: int
    # What processing one image may hold at once (_working_bytes). A small file can decode to hundreds of MB.
    image_memory: int = 64 * MIB


def give_back_freed_images() -> None:
    """Make glibc hand every allocation of 1 MiB or more back to the system when it is freed. By default it
    raises that threshold as big blocks come and go and then keeps them: a worker stayed tens of MB bigger
    after each large image, for good. Elsewhere than glibc (musl) nothing is changed."""
    try:
        ctypes.CDLL("libc.so.6").mallopt(M_MMAP_THRESHOLD, MIB)
    except (OSError, AttributeError):
        pass


M_MMAP_THRESHOLD = -3  # glibc's malloc.h


def _working_bytes(image: Image.Image) -> int:
    """What decoding `image` (opened, not yet loaded) and making it RGB(A) hold at once, in Pillow's own
    layout: one byte a pixel for "1", "L" and "P", four for the rest (RGB too); the RGB(A) copy when the
    mode is converted; and for transparent images the premultiplied copy that Pillow's resize makes of the
    whole picture. Scaling down adds about half of it again, so a worker's peak stays under twice the budget
    (tests/stack/test_news_stack.py measures it)."""
    pixel = 1 if image.mode in ("1", "L", "P") else 4
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    converted = 4 if image.mode not in ("RGB", "RGBA") else 0
    premultiplied = 4 if transparent else 0
    return image.width * image.height * (pixel + converted + premultiplied)


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
            if _working_bytes(image) > limits.image_memory:
                refuse("image_memory")
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        refuse("image_bomb")
    except UnidentifiedImageError:
        refuse("image_type")
    except (OSError, SyntaxError, ValueError, EOFError):
        refuse("image_corrupt")
    transparent = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if transparent else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image.thumbnail((LONGEST_EDGE, LONGEST_EDGE), Image.Resampling.LANCZOS)
    # Upright once its EXIF is gone; turned after scaling down (the bound is square), so the copy it makes is small.
    image = ImageOps.exif_transpose(image)
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


def is_stored_name(name: str) -> bool:
    return uploads.is_stored_name(name, STORED_SUFFIXES)
