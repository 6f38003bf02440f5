"""The news service's settings from NEWS_* environment variables (defaults suit a laptop)."""
from shared import config, storage

MIB = 1024 * 1024


def settings() -> dict:
    return {
        # Uploaded images and PDFs: a folder shared by every worker, or a bucket shared by every pod.
        **storage.media_settings("news"),
        # A whole form: a cover, ten images and a PDF; nginx allows 25 MB.
        "MAX_CONTENT_LENGTH": config.env_int("NEWS_MAX_REQUEST_BYTES", 24 * MIB),
        "NEWS_MAX_IMAGE_BYTES": config.env_int("NEWS_MAX_IMAGE_BYTES", 8 * MIB),
        # 40 megapixels: any camera's photo; a "bomb" of a few KB claiming more is refused before decoding.
        "NEWS_MAX_IMAGE_PIXELS": config.env_int("NEWS_MAX_IMAGE_PIXELS", 40_000_000),
        "NEWS_MAX_PDF_BYTES": config.env_int("NEWS_MAX_PDF_BYTES", 10 * MIB),
    }
