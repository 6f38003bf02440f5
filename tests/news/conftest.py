import io

import pytest
from PIL import Image

import news
from news.models import db
from shared.testing import TokenFactory, empty_store, empty_tables, migrated_app
from tools.stack import SERVICES

MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "news")


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    return TokenFactory(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def media_service():
    """Whose uploads the shared `media` fixture (tests/conftest.py) sets up."""
    return "news"


@pytest.fixture(scope="module")
def app(tmp_path_factory, tokens, media):
    with migrated_app(news.create_app, MIGRATIONS, tmp_path_factory.mktemp("news"), "news",
                      **tokens.settings, **media[1],
                      NEWS_MAX_IMAGE_BYTES=300_000, NEWS_MAX_IMAGE_PIXELS=4_000_000,
                      NEWS_MAX_PDF_BYTES=200_000) as app:
        yield app


@pytest.fixture(autouse=True)
def _empty(app, media):
    """Every test starts without news and files (the app, its database and media are the module's)."""
    yield
    empty_tables(app, db)
    empty_store(media[0])


@pytest.fixture
def client(app):
    return app.test_client()


USERS = {
    "district": ("district", "8101", "81"),  # เมืองกระบี่
    "other_district": ("district", "8102", "81"),  # เขาพนม, same province
    "far_district": ("district", "3001", "30"),  # เมืองนครราชสีมา
    "province": ("province", None, "81"),
    "other_province": ("province", None, "30"),
    "ssoadmin": ("ssoadmin", None, "81"),
    "central": ("central", None, None),
}


@pytest.fixture
def as_user(tokens):
    """Authorization headers: as_user("district"), as_user("other_province") (see USERS)."""
    def headers(who: str) -> dict:
        role, district, province = USERS[who]
        return tokens.bearer(f"{who}-user", [role], province, district, name=f"ผู้ใช้ {who}")
    return headers


def image_bytes(fmt: str = "JPEG", size=(64, 48), mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else (200, 30, 30, 128)).save(out, fmt, **save)
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


