"""The portal's settings from PORTAL_* environment variables (defaults suit a laptop)."""
from shared import config, storage
from shared.upstream import service_url

MIB = 1024 * 1024


def settings() -> dict:
    return {
        # Attached PDFs: a folder shared by every worker, or a bucket shared by every pod.
        **storage.media_settings("portal"),
        "PORTAL_MAX_PDF_BYTES": config.env_int("PORTAL_MAX_PDF_BYTES", 20 * MIB),
        # A form with one PDF; nginx allows 25 MB.
        "MAX_CONTENT_LENGTH": config.env_int("PORTAL_MAX_REQUEST_BYTES", 21 * MIB),
        # Sibling services the home page asks for public data (shared.upstream: timeout, short memory).
        "PORTAL_NEWS_URL": config.env_str("PORTAL_NEWS_URL", service_url("news", 8094)),
        "PORTAL_NEWS_TIMEOUT": config.env_int("PORTAL_NEWS_TIMEOUT_MS", 500) / 1000,
        "PORTAL_NEWS_CACHE_SECONDS": config.env_int("PORTAL_NEWS_CACHE_SECONDS", 30),
        "PORTAL_DIRECTORY_URL": config.env_str("PORTAL_DIRECTORY_URL", service_url("directory", 8093)),
        "PORTAL_DIRECTORY_TIMEOUT": config.env_int("PORTAL_DIRECTORY_TIMEOUT_MS", 500) / 1000,
        "PORTAL_DIRECTORY_CACHE_SECONDS": config.env_int("PORTAL_DIRECTORY_CACHE_SECONDS", 60),
        # Notifications: links in e-mail point at the public site; the mail goes out over SMTP (portal/mail.py).
        "DCC_PUBLIC_URL": config.env_str("DCC_PUBLIC_URL", "http://localhost:8080").rstrip("/"),
        "SMTP_HOST": config.env_str("SMTP_HOST", "127.0.0.1"),
        "SMTP_PORT": config.env_int("SMTP_PORT", 8025),
        "SMTP_USER": config.env_str("SMTP_USER"),
        "SMTP_PASSWORD": config.env_str("SMTP_PASSWORD"),
        "SMTP_STARTTLS": config.env_bool("SMTP_STARTTLS", False),
        "SMTP_FROM": config.env_str("SMTP_FROM", "ศูนย์ประสานงานท้องถิ่นอำเภอ <no-reply@dcc-demo.test>"),
        "SMTP_TIMEOUT": config.env_int("SMTP_TIMEOUT_SECONDS", 10),
    }
