import pytest

from shared.testing import migrated_app
from sso import create_app
from sso.models import db
from sso.services import create_user, hasher
from tools.stack import SERVICES

PASSWORD = "correct-horse-2569"
MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "sso")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sso")
    with migrated_app(create_app, MIGRATIONS, tmp, "sso", SSO_KEY_DIR=tmp / "keys", SSO_IDLE_SECONDS=1800) as app:
        with app.app_context():
            hashed = hasher.hash(PASSWORD)
            create_user("district-a", hashed, "ท้องถิ่นอำเภอเมืองกระบี่", ["district"], "81", "8101")
            create_user("locked-one", hashed, "ทดสอบล็อก", ["district"], "81", "8102")
            create_user("disabled-one", hashed, "ทดสอบระงับ", ["province"], "81", disabled=True)
            create_user("central-a", hashed, "ส่วนกลาง", ["central"])
            db.session.commit()
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def form_login(client, username, password=PASSWORD, next_path="/workload/", **headers):
    """Sign in as a browser does: open the login form (its own CSRF value comes with it), then send it."""
    page = client.get("/sso/login").get_data(as_text=True)
    login_csrf = page.split('name="login_csrf" value="')[1].split('"')[0]
    return client.post("/sso/login", headers=headers,
                       data={"username": username, "password": password, "next": next_path, "login_csrf": login_csrf})


@pytest.fixture(autouse=True)
def _forget_wrong_passwords(app):
    """Every test starts with no wrong password counted: the test client always has the same address."""
    yield
    from sso.models import LoginThrottle

    with app.app_context():
        db.session.execute(LoginThrottle.__table__.delete())
        db.session.commit()


def delays_pass(app) -> None:
    """As if the user waited out every delay wrong passwords caused (they are counted still)."""
    from sqlalchemy import update

    from shared.clock import utcnow
    from sso.models import LoginThrottle

    with app.app_context():
        db.session.execute(update(LoginThrottle).values(not_before=utcnow()))
        db.session.commit()
