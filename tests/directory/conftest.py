import pytest
import requests

import directory
from shared.testing import TokenFactory, migrated_app
from tools.fakes import dlaconnect
from tools.stack import SERVICES

MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "directory")
CSRF = "test-csrf"  # the csrf claim TokenFactory puts in every token


@pytest.fixture(scope="module")
def fake():
    """A fake DLA Connect over real HTTP, in a thread; its misbehaviour is reset before each test."""
    with dlaconnect.serving() as (url, app):
        yield url


@pytest.fixture(autouse=True)
def _reset_fake(request):
    if "fake" in request.fixturenames:
        requests.post(request.getfixturevalue("fake") + "/_fake/reset", timeout=5).raise_for_status()


def misbehave(fake_url: str, **behaviour) -> None:
    requests.post(fake_url + "/_fake/behaviour", json=behaviour, timeout=5).raise_for_status()


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    return TokenFactory(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def app(tmp_path_factory, tokens, fake):
    """A fresh directory database per test module, wired to the fake (quick retries)."""
    with migrated_app(directory.create_app, MIGRATIONS, tmp_path_factory.mktemp("directory"), "directory",
                      **tokens.settings, DLACONNECT_URL=fake, DLACONNECT_DEADLINE=20,
                      DLACONNECT_TIMEOUT=1, DLACONNECT_RETRIES=2) as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_user(tokens):
    """Authorization headers for a user: as_user("district", "8101"), as_user("province", province="81")."""
    return tokens.as_user


@pytest.fixture
def browser_as(app, tokens):
    """A test client carrying the SSO cookie of a user."""
    def make(role: str, district: str | None = None, province: str | None = None):
        client = app.test_client()
        province = province or (district[:2] if district else None)
        tokens.sign_in(client, f"{role}-{district or province or 'x'}", [role], province, district)
        return client
    return make
