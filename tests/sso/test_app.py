"""The SSO app through Flask's test client, against a real database."""
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from shared.clock import utcnow
from sso.models import LoginThrottle, Session, User, db

from .conftest import PASSWORD, delays_pass
from .conftest import form_login as login


def api_token(client, username, password=PASSWORD):
    return client.post("/api/sso/token", json={"username": username, "password": password})


def test_login_sets_an_httponly_samesite_cookie_and_redirects(client):
    response = login(client, "district-a")
    assert response.status_code == 302
    assert response.headers["Location"] == "/workload/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_cookie_is_secure_over_https(client):
    response = login(client, "district-a", **{"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_refuses_a_foreign_next(client):
    assert login(client, "district-a", next_path="https://evil.example/").headers["Location"] == "/"


@pytest.mark.parametrize("username, password, message", [
    ("nobody", PASSWORD, "ไม่พบรหัสผู้ใช้ในระบบ"),
    ("district-a", "wrong-password", "รหัสผ่านไม่ถูกต้อง"),
    ("disabled-one", PASSWORD, "บัญชีผู้ใช้นี้ถูกระงับการใช้งาน"),
])
def test_login_failures_say_why_in_thai(client, username, password, message):
    response = login(client, username, password)
    assert response.status_code == 401
    assert message in response.get_data(as_text=True)
    assert "dcc_session" not in response.headers.get("Set-Cookie", "")


def test_empty_form_is_refused(client):
    response = login(client, "", "")
    assert response.status_code == 400
    assert "กรุณากรอก User และ Password" in response.get_data(as_text=True)


@pytest.mark.parametrize("field", [None, "", "someone-elses-value"])
def test_a_login_without_the_forms_own_csrf_value_is_refused_and_counts_nothing(client, app, field):
    """Another site cannot sign a browser in under an account of its choosing (login CSRF)."""
    def counted_failures():
        with app.app_context():
            return db.session.scalar(select(func.count()).select_from(LoginThrottle))

    before = counted_failures()
    client.get("/sso/login")  # the browser holds its login CSRF cookie; the forged form does not know it
    data = {"username": "district-a", "password": "a wrong one"}
    if field is not None:
        data["login_csrf"] = field
    response = client.post("/sso/login", data=data)
    assert response.status_code == 400
    assert "แบบฟอร์มเข้าสู่ระบบหมดอายุ" in response.get_data(as_text=True)
    assert "dcc_session" not in response.headers.get("Set-Cookie", "")
    assert counted_failures() == before
    assert login(client, "district-a").status_code == 302  # the re-rendered form works


def test_a_cookie_whose_session_ended_never_stands_in_the_way_of_a_login(client):
    """After logout elsewhere, a reset or a change of rights the browser still holds its old cookie."""
    token = api_token(client, "district-a").json["access_token"]
    client.delete("/api/sso/session", headers={"Authorization": f"Bearer {token}"})
    client.set_cookie("dcc_session", token)
    page = client.get("/sso/login")
    assert "ท้องถิ่นอำเภอเมืองกระบี่" not in page.get_data(as_text=True)  # not greeted by the old name
    assert any(c.startswith("dcc_session=;") for c in page.headers.getlist("Set-Cookie"))
    client.set_cookie("dcc_session", token)  # even if the browser kept it, the login goes through
    response = login(client, "district-a")
    assert response.status_code == 302 and response.headers["Location"] == "/workload/"


def test_wrong_passwords_slow_the_guesser_and_never_lock_out_the_real_user(client, app):
    guesser = {"X-Forwarded-For": "203.0.113.7"}  # ProxyFix: the address nginx names
    for attempt in range(4):
        if attempt:
            early = client.post("/api/sso/token", json={"username": "locked-one", "password": "nope"}, headers=guesser)
            assert early.status_code == 429 and int(early.headers["Retry-After"]) == 2 ** (attempt - 1)
            delays_pass(app)  # the guesser waits each delay out: 1, 2, 4 s
        wrong = client.post("/api/sso/token", json={"username": "locked-one", "password": "nope"}, headers=guesser)
        assert wrong.status_code == 401 and wrong.json["code"] == "wrong_password"
    # During a delay even the right password is refused, and the guess is not even checked.
    refused = client.post("/api/sso/token", json={"username": "locked-one", "password": PASSWORD}, headers=guesser)
    assert refused.status_code == 429 and refused.json["code"] == "throttled"
    assert int(refused.headers["Retry-After"]) == 8
    page = login(client, "locked-one", PASSWORD, **guesser)
    assert page.status_code == 429 and "ใส่รหัสผ่านผิดหลายครั้ง" in page.get_data(as_text=True)
    # The real user, at its own address, gets in at once: nobody else's guessing holds it out.
    assert client.post("/api/sso/token", json={"username": "locked-one", "password": PASSWORD},
                       headers={"X-Forwarded-For": "198.51.100.20"}).status_code == 200


def test_token_api_and_its_problem_documents(client):
    response = api_token(client, "district-a")
    assert response.status_code == 200
    assert response.json["token_type"] == "Bearer" and response.json["expires_in"] > 0
    wrong = api_token(client, "district-a", "nope")
    assert wrong.status_code == 401
    assert wrong.mimetype == "application/problem+json"
    assert wrong.json["detail"] == "รหัสผ่านไม่ถูกต้อง" and wrong.json["code"] == "wrong_password"
    invalid = client.post("/api/sso/token", json={"username": ""})
    assert invalid.status_code == 422
    assert set(invalid.json["errors"]) == {"username", "password"}


def test_verify_accepts_a_live_session_and_names_the_user(client):
    token = api_token(client, "district-a").json["access_token"]
    response = client.get("/internal/verify", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.headers["X-Auth-User"] == "district-a"
    assert response.headers["X-Auth-District"] == "8101"
    assert client.get("/internal/verify").status_code == 401


def test_logout_ends_the_session(client):
    token = api_token(client, "district-a").json["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/sso/session", headers=auth).status_code == 204
    assert client.get("/internal/verify", headers=auth).status_code == 401
    assert client.get("/api/sso/session", headers=auth).status_code == 401


def test_browser_logout_needs_the_csrf_token(client):
    login(client, "district-a")
    refused = client.post("/sso/logout")
    assert refused.status_code == 403
    assert client.get("/internal/verify").status_code == 200  # still signed in
    page = client.get("/sso/logout").get_data(as_text=True)
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/sso/logout", data={"csrf_token": csrf})
    assert response.status_code == 302
    assert "dcc_session=;" in response.headers["Set-Cookie"]


def test_idle_session_is_ended_and_the_next_page_says_login_again(client, app):
    token = api_token(client, "district-a").json["access_token"]
    with app.app_context():
        sid = app.extensions["dcc_verifier"].claims(token)["sid"]
        db.session.execute(update(Session).where(Session.id == sid)
                           .values(last_seen_at=utcnow() - timedelta(minutes=31)))
        db.session.commit()
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/internal/verify", headers=auth).status_code == 401
    problem = client.get("/internal/unauthorized", headers=auth)
    assert problem.json["detail"] == "กรุณา login ใหม่"
    client.set_cookie("dcc_session", token)
    signin = client.get("/internal/signin", headers={"X-Original-URI": "/workload/"})
    assert signin.headers["Location"] == "/sso/expired?next=/workload/"
    page = client.get("/sso/expired?next=/workload/").get_data(as_text=True)
    assert "กรุณา login ใหม่" in page and ">OK<" in page


def test_disabled_user_is_refused_at_once(client, app):
    token = api_token(client, "central-a").json["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/internal/verify", headers=auth).status_code == 200
    with app.app_context():
        db.session.execute(update(User).where(User.username == "central-a").values(disabled=True))
        db.session.commit()
    assert client.get("/internal/verify", headers=auth).status_code == 401
    with app.app_context():
        db.session.execute(update(User).where(User.username == "central-a").values(disabled=False))
        db.session.commit()


def test_short_idle_timeout_is_configurable(app):
    app.config["SSO_IDLE_SECONDS"] = 1
    try:
        client = app.test_client()
        token = api_token(client, "district-a").json["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/internal/verify", headers=auth).status_code == 200
        time.sleep(1.3)
        assert client.get("/internal/verify", headers=auth).status_code == 401
    finally:
        app.config["SSO_IDLE_SECONDS"] = 1800


def test_jwks_and_openapi_are_published(client):
    keys = client.get("/sso/jwks.json").json["keys"]
    assert keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519" and "d" not in keys[0]
    assert "/api/sso/token" in client.get("/api/sso/openapi.json").json["paths"]


def test_create_central_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-central-user", "first-admin", "--name", "ผู้ดูแลระบบ",
                                 "--password", "ยาวพอและเดายาก-2569"])
    assert result.exit_code == 0, result.output
    short = runner.invoke(args=["create-central-user", "second", "--name", "x", "--password", "short"])
    assert short.exit_code != 0 and "อย่างน้อย" in short.output
    assert runner.invoke(args=["create-central-user", "first-admin", "--name", "x",
                               "--password", "ยาวพอและเดายาก-2569"]).exit_code != 0


def test_a_hash_of_the_older_argon2_profile_still_signs_in_and_is_replaced_by_todays(client, app):
    """Passwords hashed before the cheaper profile (argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes) keep
    working, and the first login stores today's profile; a wrong password changes nothing."""
    from argon2 import PasswordHasher, extract_parameters

    from sso.services import create_user, hasher

    with app.app_context():
        create_user("older-hash", PasswordHasher().hash(PASSWORD), "แฮชรุ่นเก่า", ["district"], "81", "8103")
        db.session.commit()
    assert api_token(client, "older-hash", "wrong-one-2569").status_code == 401
    delays_pass(app)
    with app.app_context():
        assert extract_parameters(db.session.scalar(select(User.password_hash).where(
            User.username == "older-hash"))).memory_cost == 65536
    assert api_token(client, "older-hash").status_code == 200
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.username == "older-hash"))
    assert extract_parameters(stored) == hasher._parameters
    assert extract_parameters(stored).memory_cost == 19456
    assert api_token(client, "older-hash").status_code == 200
