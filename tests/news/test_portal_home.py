"""The latest approved news on the portal's home page, fetched from the news API; the page still
renders, with a note, when the news service is down or slow."""
import socket
import time

import pytest

import portal
from shared.testing import migrated_app, serving
from tests.news.conftest import image_bytes
from tests.news.test_api import create, decide, submit
from tests.news.test_media import upload
from tools.stack import SERVICES

PORTAL_MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "portal")


@pytest.fixture
def news_server(app):
    """The news app served over HTTP on a free port, as the portal reaches it."""
    with serving(app) as url:
        yield url


@pytest.fixture
def portal_for(tmp_path, tokens):
    """A portal app whose news client points at `url`."""
    opened = []

    def make(url: str, **settings):
        folder = tmp_path / f"portal{len(opened)}"
        folder.mkdir()
        context = migrated_app(portal.create_app, PORTAL_MIGRATIONS, folder, "portal",
                               **tokens.settings, PORTAL_NEWS_URL=url, **settings)
        opened.append(context)
        return context.__enter__()

    yield make
    for context in opened:
        context.__exit__(None, None, None)


def test_the_home_page_shows_the_latest_approved_news(client, as_user, news_server, portal_for):
    shown = create(client, as_user, title="อำเภอเมืองกระบี่ร่วมงานวันท้องถิ่นไทย")
    upload(client, as_user, shown["id"], cover=("a.jpg", image_bytes()))
    submit(client, as_user, shown["id"])
    decide(client, as_user, shown["id"])
    create(client, as_user, title="ร่างที่ยังไม่อนุมัติ")
    page = portal_for(news_server).test_client().get("/").get_data(as_text=True)
    assert "ข่าวประชาสัมพันธ์ล่าสุด" in page
    assert "อำเภอเมืองกระบี่ร่วมงานวันท้องถิ่นไทย" in page and "ร่างที่ยังไม่อนุมัติ" not in page
    assert f'href="/news/{shown["id"]}"' in page and 'src="/news/media/' in page
    assert "20 พฤศจิกายน 2569" in page


def test_the_home_page_renders_with_a_note_when_news_is_down(portal_for):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    response = portal_for(dead).test_client().get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ขณะนี้ไม่สามารถแสดงข่าวประชาสัมพันธ์ล่าสุดได้" in page and "เมนูหลัก" in page


def test_a_slow_news_service_costs_at_most_the_timeout_and_then_is_remembered(portal_for):
    listener = socket.socket()  # accepts connections but never answers
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        home = portal_for(f"http://127.0.0.1:{listener.getsockname()[1]}", PORTAL_NEWS_TIMEOUT=0.3).test_client()
        started = time.monotonic()
        assert "ขณะนี้ไม่สามารถแสดงข่าว" in home.get("/").get_data(as_text=True)
        assert time.monotonic() - started < 2
        started = time.monotonic()
        home.get("/")
        assert time.monotonic() - started < 0.25  # the failure is remembered, not retried on every view
    finally:
        listener.close()


def test_news_is_cached_for_a_short_time(client, as_user, app, portal_for):
    item = create(client, as_user, title="ข่าวที่จำไว้")
    submit(client, as_user, item["id"])
    decide(client, as_user, item["id"])
    with serving(app) as url:
        home = portal_for(url).test_client()
        assert "ข่าวที่จำไว้" in home.get("/").get_data(as_text=True)
    assert "ข่าวที่จำไว้" in home.get("/").get_data(as_text=True)  # the news service is gone, the answer stays
