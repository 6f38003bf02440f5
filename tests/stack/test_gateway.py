"""The whole center through nginx: login, tokens, sessions, CSRF and identity headers."""
import json
import time
from datetime import timedelta

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import create_engine, text

from shared.clock import utcnow

pytestmark = pytest.mark.stack

PASSWORD = "demo-pass-2568"
REVOCATION_BOUND = 5.0  # seconds within which a logout or a disabled user is refused everywhere




def claims_of(headers):
    return jwt.decode(headers["Authorization"][7:], options={"verify_signature": False})


def wait_for_refusal(fetch) -> float:
    started = time.monotonic()
    while time.monotonic() - started < REVOCATION_BOUND + 3:
        if fetch().status_code == 401:
            return time.monotonic() - started
        time.sleep(0.1)
    return float("inf")


def test_every_page_is_in_the_shared_layout(stack):
    for path, text_on_page in [("/", "ศูนย์ประสานงานท้องถิ่นอำเภอ"), ("/directory/", "ทะเบียน ทถอ."),
                               ("/news/", "ข่าวประชาสัมพันธ์"), ("/about/", "เกี่ยวกับศูนย์"),
                               ("/faq/", "รหัสผ่านไม่ถูกต้อง"), ("/toolkits/", "ยุทธศาสตร์ชาติ"),
                               ("/sso/login", "เข้าสู่ระบบ")]:
        response = stack.get(path)
        assert response.status_code == 200, path
        page = response.text
        assert text_on_page in page
        for menu in ("หน้าแรก", "ทะเบียน ทถอ.", "ข่าวประชาสัมพันธ์", "ชุดความรู้ / Toolkits",
                     "Workload Tracking System", "เกี่ยวกับศูนย์", "ประเด็นคำถามที่พบบ่อย"):
            assert menu in page, (path, menu)
        assert response.headers["X-Request-ID"]


def test_static_files_and_the_thai_font_come_from_nginx(stack):
    css = stack.get("/static/css/site.css")
    assert css.status_code == 200 and "Sarabun" in css.text
    font = stack.get("/static/fonts/sarabun-thai-400-normal.woff2")
    assert font.status_code == 200 and font.content[:4] == b"wOF2"
    assert "Server" in font.headers and "gunicorn" not in font.headers.get("Server", "")


def test_anonymous_request_to_a_protected_page_goes_to_login(stack):
    response = stack.get("/workload/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/sso/login?next=/workload/"
    api = stack.get("/api/workload/me")
    assert api.status_code == 401
    assert api.headers["Content-Type"].startswith("application/problem+json")
    assert api.json()["status"] == 401


@pytest.mark.parametrize("username, password, message", [
    ("no-such-user", PASSWORD, "ไม่พบรหัสผู้ใช้ในระบบ"),
    ("demo-province", "wrong-password", "รหัสผ่านไม่ถูกต้อง"),
])
def test_each_wrong_credential_gets_its_thai_message(stack, username, password, message):
    _session, response = stack.sign_in(username, password)
    assert response.status_code == 401
    assert message in response.text


def test_demo_district_reaches_the_workload_page_greeted_by_name(stack):
    session, response = stack.sign_in("demo-district")
    assert response.status_code == 302 and response.headers["Location"] == "/workload/"
    page = session.get(stack.url + "/workload/")
    assert page.status_code == 200
    assert "ท้องถิ่นอำเภอเมืองกระบี่" in page.text
    assert "ออกจากระบบ" in page.text


def test_generated_office_users_log_in(stack):
    me = requests.get(stack.url + "/api/workload/me", headers=stack.bearer("d-3001"), timeout=10).json()
    assert me["office"]["district"] == {"code": "3001", "name": "เมืองนครราชสีมา"}
    assert requests.get(stack.url + "/api/workload/me", headers=stack.bearer("p-30"),
                        timeout=10).json()["office"]["level"] == "province"
    for absent in ("d-8101", "p-81"):
        assert stack.post("/api/sso/token", json={"username": absent, "password": PASSWORD}).json()[
            "code"] == "unknown_user"


def _forged_tokens(stack):
    real = claims_of(stack.bearer("demo-district"))
    key = serialization.load_pem_private_key(
        (stack.var_dir / "keys" / "sso-signing-key.pem").read_bytes(), password=None)
    kid = json.loads((stack.var_dir / "keys" / "jwks.json").read_text())["keys"][0]["kid"]
    now = int(time.time())
    return {
        "alg none": jwt.encode(real, None, algorithm="none", headers={"kid": kid}),
        "another key": jwt.encode(real, Ed25519PrivateKey.generate(), algorithm="EdDSA", headers={"kid": kid}),
        "expired": jwt.encode({**real, "iat": now - 7200, "exp": now - 3600}, key, algorithm="EdDSA",
                              headers={"kid": kid}),
        "wrong audience": jwt.encode({**real, "aud": "another-app"}, key, algorithm="EdDSA", headers={"kid": kid}),
        "wrong issuer": jwt.encode({**real, "iss": "evil-sso"}, key, algorithm="EdDSA", headers={"kid": kid}),
        "raised role": jwt.encode({**real, "roles": ["central"]}, Ed25519PrivateKey.generate(),
                                  algorithm="EdDSA", headers={"kid": kid}),
    }


def test_forged_tokens_are_refused_by_the_gateway(stack):
    for name, token in _forged_tokens(stack).items():
        api = stack.get("/api/workload/me", headers={"Authorization": f"Bearer {token}"})
        assert api.status_code == 401, name
        page = stack.get("/workload/", cookies={"dcc_session": token})
        assert page.status_code == 302 and "/sso/" in page.headers["Location"], name


def test_client_sent_identity_headers_are_ignored(stack):
    forged = {"X-Auth-User": "demo-central", "X-Auth-Roles": "central", "X-Auth-Province": "30"}
    assert stack.get("/api/workload/me", headers=forged).status_code == 401
    me = stack.get("/api/workload/me", headers={**forged, **stack.bearer("demo-district")}).json()
    assert me["username"] == "demo-district" and me["roles"] == ["district"]
    assert me["office"]["province"]["code"] == "81"


def test_logout_makes_the_old_cookie_and_bearer_token_useless(stack):
    session, _ = stack.sign_in("demo-district")
    cookie = session.cookies["dcc_session"]
    headers = stack.bearer("demo-district")
    assert stack.get("/api/workload/me", headers=headers).status_code == 200
    assert stack.get("/api/workload/me", cookies={"dcc_session": cookie}).status_code == 200

    page = session.get(stack.url + "/workload/").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    logout = session.post(stack.url + "/sso/logout", data={"csrf_token": csrf}, allow_redirects=False)
    assert logout.status_code == 302
    assert "dcc_session" not in session.cookies  # the browser is signed out at once
    api_logout = requests.delete(stack.url + "/api/sso/session", headers=headers, timeout=10)
    assert api_logout.status_code == 204

    assert wait_for_refusal(lambda: stack.get("/api/workload/me", cookies={"dcc_session": cookie})) <= REVOCATION_BOUND
    assert wait_for_refusal(lambda: stack.get("/api/workload/me", headers=headers)) <= REVOCATION_BOUND
    assert stack.get("/workload/", cookies={"dcc_session": cookie}).headers["Location"].startswith("/sso/login")


def _database(stack):
    return create_engine(stack.env.get("SSO_DATABASE_URL") or f"sqlite:///{stack.var_dir}/sso.sqlite3")


def test_a_disabled_user_is_refused_within_the_bound(stack):
    headers = stack.bearer("d-3002")
    assert stack.get("/api/workload/me", headers=headers).status_code == 200
    engine = _database(stack)
    with engine.begin() as conn:
        conn.execute(text("UPDATE users SET disabled = :yes WHERE username = 'd-3002'"), {"yes": True})
    try:
        assert wait_for_refusal(lambda: stack.get("/api/workload/me", headers=headers)) <= REVOCATION_BOUND
        refused = stack.post("/api/sso/token", json={"username": "d-3002", "password": PASSWORD})
        assert refused.status_code == 401 and refused.json()["code"] == "disabled"
    finally:
        with engine.begin() as conn:
            conn.execute(text("UPDATE users SET disabled = :no WHERE username = 'd-3002'"), {"no": False})
        engine.dispose()


def test_thirty_idle_minutes_end_the_session_with_login_again(stack):
    session, _ = stack.sign_in("d-3003")
    sid = jwt.decode(session.cookies["dcc_session"], options={"verify_signature": False})["sid"]
    engine = _database(stack)
    # 31 minutes pass without a request (the SSO's default idle limit of 30 minutes applies).
    with engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET last_seen_at = :t WHERE id = :sid"),
                     {"t": utcnow() - timedelta(minutes=31), "sid": sid})
    engine.dispose()
    response = session.get(stack.url + "/workload/", allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == "/sso/expired?next=/workload/"
    page = session.get(stack.url + response.headers["Location"])
    assert "กรุณา login ใหม่" in page.text and ">OK<" in page.text
    assert "dcc_session" not in session.cookies


def test_idle_api_session_gets_a_problem_saying_login_again(stack):
    headers = stack.bearer("d-3004")
    sid = claims_of(headers)["sid"]
    engine = _database(stack)
    with engine.begin() as conn:
        conn.execute(text("UPDATE sessions SET last_seen_at = :t WHERE id = :sid"),
                     {"t": utcnow() - timedelta(minutes=31), "sid": sid})
    engine.dispose()
    response = stack.get("/api/workload/me", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "กรุณา login ใหม่"


def test_cross_site_post_without_csrf_token_is_refused(stack):
    session, _ = stack.sign_in("d-3005")
    refused = session.post(stack.url + "/sso/logout", allow_redirects=False)
    assert refused.status_code == 403
    page = session.get(stack.url + "/workload/").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    cross_site = session.post(stack.url + "/sso/logout", data={"csrf_token": csrf},
                              headers={"Origin": "https://evil.example"}, allow_redirects=False)
    assert cross_site.status_code == 403
    assert session.get(stack.url + "/api/workload/me").status_code == 200  # still signed in


def test_wrong_passwords_slow_the_guesser_and_never_keep_the_real_user_out(stack):
    guesser = "203.0.113.9"
    _s, wrong = stack.sign_in("d-3006", "wrong-password", address=guesser)
    assert wrong.status_code == 401 and "รหัสผ่านไม่ถูกต้อง" in wrong.text
    _s, wrong = stack.sign_in("d-3006", "wrong-password", address=guesser)
    if wrong.status_code == 401:  # the first delay (1 s) had passed already
        _s, wrong = stack.sign_in("d-3006", "wrong-password", address=guesser)
    session, slowed = stack.sign_in("d-3006", address=guesser)  # even the right password, for now
    assert slowed.status_code == 429 and "ใส่รหัสผ่านผิดหลายครั้ง" in slowed.text
    assert "dcc_session" not in session.cookies
    # The real user, at its own address, gets in at once.
    session, welcome = stack.sign_in("d-3006", address="198.51.100.30")
    assert welcome.status_code == 302 and "dcc_session" in session.cookies


def test_internal_endpoints_are_not_reachable_from_outside(stack):
    assert stack.get("/internal/verify").status_code == 404


def test_openapi_documents_are_published(stack):
    for service, path in [("sso", "/api/sso/token"), ("workload", "/api/workload/me"),
                          ("directory", "/api/directory/provinces")]:
        document = stack.get(f"/api/{service}/openapi.json", headers=stack.bearer("demo-central"))
        assert document.status_code == 200, service
        assert path in document.json()["paths"]


def test_login_attempts_are_rate_limited_per_address(stack):
    statuses = [stack.post("/sso/login", data={"username": "no-such-user", "password": "x"}).status_code
                for _ in range(80)]
    assert 429 in statuses
    time.sleep(3)  # let the bucket drain for whatever runs next


def test_a_revoked_cookie_cannot_ride_on_a_live_one_that_differs_in_case(stack):
    """nginx matches cookie names ignoring case and Werkzeug does not: the verdict must be the one the
    services act on, so a live token under DCC_SESSION cannot carry a logged-out dcc_session."""
    live, _ = stack.sign_in("d-3007")
    revoked, _ = stack.sign_in("d-3008")
    live_token, revoked_token = live.cookies["dcc_session"], revoked.cookies["dcc_session"]
    page = revoked.get(stack.url + "/workload/").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    revoked.post(stack.url + "/sso/logout", data={"csrf_token": csrf}, allow_redirects=False)
    # The live token's verdict is now cached; the mixed request comes at once, inside its 3 seconds.
    assert stack.get("/api/workload/me", headers={"Cookie": f"dcc_session={live_token}"}).status_code == 200
    mixed = {"Cookie": f"DCC_SESSION={live_token}; dcc_session={revoked_token}"}
    assert stack.get("/api/workload/me", headers=mixed).status_code == 401
