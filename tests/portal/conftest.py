import socket

import pytest

import portal
from portal.models import db
from portal.recipients import RecipientsUnavailable
from shared.internal import HEADER
from shared.testing import TokenFactory, empty_store, empty_tables, migrated_app
from tools.stack import SERVICES

MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "portal")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def dead_url() -> str:
    """A port nobody listens on: the sibling services do not answer unless a test says otherwise."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    return TokenFactory(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def media_service():
    """Whose uploads the shared `media` fixture (tests/conftest.py) sets up."""
    return "portal"


@pytest.fixture(scope="module")
def app(tmp_path_factory, tokens, media):
    with migrated_app(portal.create_app, MIGRATIONS, tmp_path_factory.mktemp("portal"), "portal",
                      **tokens.settings, **media[1], PORTAL_MAX_PDF_BYTES=2000,
                      PORTAL_NEWS_URL=dead_url(), PORTAL_DIRECTORY_URL=dead_url()) as app:
        yield app


@pytest.fixture(autouse=True)
def _empty(app, media):
    """Every test starts without content and files (the app, its database and media are the module's)."""
    yield
    empty_tables(app, db)
    empty_store(media[0])


@pytest.fixture
def client(app):
    return app.test_client()


USERS = {
    "central": ("central", None, None),
    "district": ("district", "8101", "81"),
    "province": ("province", None, "81"),
    "ssoadmin": ("ssoadmin", None, "81"),
}


@pytest.fixture
def as_user(tokens):
    """Authorization headers: as_user("central"), as_user("district") (see USERS)."""
    def headers(who: str) -> dict:
        role, district, province = USERS[who]
        return tokens.bearer(f"{who}-user", [role], province, district, name=f"ผู้ใช้ {who}")
    return headers


@pytest.fixture
def starter(app):
    """The starting content, loaded as `flask --app portal load-content` does."""
    from portal.loader import load_content

    with app.app_context():
        load_content(portal.store())


# Who works in an office, as the SSO would answer (the stack tests ask the real one).
OFFICES = {("district", "8101"): [{"username": "district-user", "name": "ท้องถิ่นอำเภอเมืองกระบี่",
                                   "email": "District-User@dcc-demo.test"},
                                  {"username": "district-second", "name": "ผู้ช่วย",
                                   "email": "district-user@dcc-demo.test"}],
           ("province", "81"): [{"username": "province-user", "name": "สถจ.กระบี่",
                                 "email": "province-user@dcc-demo.test"}],
           ("user", "district-user"): [{"username": "district-user", "name": "ท้องถิ่นอำเภอเมืองกระบี่",
                                        "email": "District-User@dcc-demo.test"}]}


@pytest.fixture(autouse=True)
def sso(app, monkeypatch):
    """The SSO's answer on who works in an office (the stack tests ask the real one)."""
    state = {"down": False}

    def resolve(office):
        if state["down"]:
            raise RecipientsUnavailable("the SSO is down")
        return OFFICES.get(office, [])
    monkeypatch.setitem(app.extensions, "portal_recipients", resolve)
    return state


@pytest.fixture
def service(tokens):
    """A sibling service's headers (shared.internal)."""
    return {HEADER: tokens.gateway_secret}


