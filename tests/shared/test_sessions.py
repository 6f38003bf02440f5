"""A service reached without the gateway asks the real SSO whether a token's session lives (shared.sessions)."""
import time

import pytest
from flask import jsonify

from shared.sessions import SessionCheck, SessionsUnavailable, gateway_vouches
from shared.testing import migrated_app, serving
from shared.web import create_service_app, current_user, init_service, login_required
from sso import create_app as create_sso
from sso.models import db
from sso.services import create_user, hasher
from tools.stack import SERVICES, free_port

MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "sso")
PASSWORD = "correct-horse-2569"
SECRET = "x" * 40


@pytest.fixture(scope="module")
def sso(tmp_path_factory):
    """The SSO app over real HTTP; yields (its URL, its key directory)."""
    tmp = tmp_path_factory.mktemp("sso")
    with migrated_app(create_sso, MIGRATIONS, tmp, "sso", SSO_KEY_DIR=tmp / "keys") as app:
        with app.app_context():
            create_user("district-a", hasher.hash(PASSWORD), "ท้องถิ่นอำเภอเมืองกระบี่", ["district"], "81", "8101")
            db.session.commit()
        with serving(app) as url:
            yield url, tmp / "keys"


def service_app(sso_url: str, key_dir, ttl: float = 1.0):
    """A service as every service is wired (shared.web), with one public and one protected route."""
    app = create_service_app(__name__, "probe", overrides={
        "SSO_JWKS": str(key_dir / "jwks.json"), "DCC_GATEWAY_SECRET": SECRET, "TESTING": True})
    init_service(app, sessions=SessionCheck(sso_url, ttl=ttl, timeout=1))

    @app.get("/api/probe/public")
    def public():
        return jsonify(user=current_user().username if current_user() else None)

    @app.get("/api/probe/me")
    @login_required
    def me():
        return jsonify(user=current_user().username)

    @app.get("/probe/me")
    @login_required
    def page():
        return "signed in"

    return app


def token_of(sso_url: str) -> str:
    import requests

    response = requests.post(sso_url + "/api/sso/token", json={"username": "district-a", "password": PASSWORD},
                             timeout=5)
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


def logout(sso_url: str, token: str) -> None:
    import requests

    assert requests.delete(sso_url + "/api/sso/session", headers={"Authorization": f"Bearer {token}"},
                           timeout=5).status_code == 204


def test_a_live_session_is_trusted_and_an_ended_one_refused_within_the_verdicts_lifetime(sso):
    url, keys = sso
    client = service_app(url, keys, ttl=1.0).test_client()
    token = token_of(url)
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/probe/me", headers=auth).json == {"user": "district-a"}
    logout(url, token)
    time.sleep(1.1)
    refused = client.get("/api/probe/me", headers=auth)
    assert refused.status_code == 401 and refused.mimetype == "application/problem+json"
    assert client.get("/api/probe/public", headers=auth).json == {"user": None}


def test_a_forged_gateway_proof_makes_the_service_ask_the_sso_itself(sso):
    url, keys = sso
    client = service_app(url, keys).test_client()
    token = token_of(url)
    sid = client.application.extensions["dcc_verifier"].claims(token)["sid"]
    logout(url, token)
    for proof in ("1", "", "y" * 40, SECRET[:-1]):
        forged = {"Authorization": f"Bearer {token}", "X-Auth-Checked": proof, "X-Auth-Session": sid}
        assert client.get("/api/probe/me", headers=forged).status_code == 401, proof
    # The real proof is believed: that is what nginx sends after asking the SSO.
    vouched = {"Authorization": f"Bearer {token}", "X-Auth-Checked": SECRET, "X-Auth-Session": sid}
    assert client.get("/api/probe/me", headers=vouched).status_code == 200


def test_with_the_sso_down_protected_answers_503_in_thai_and_public_reads_as_the_public(sso):
    url, keys = sso
    token = token_of(url)
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    client = service_app(down, keys).test_client()
    auth = {"Authorization": f"Bearer {token}"}
    api = client.get("/api/probe/me", headers=auth)
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.json["code"] == "sso_unavailable" and "DLA-SSO" in api.json["detail"]
    page = client.get("/probe/me", headers=auth)
    assert page.status_code == 503 and "ขัดข้องชั่วคราว" in page.get_data(as_text=True)
    assert client.get("/api/probe/public", headers=auth).json == {"user": None}
    # Without a token nothing needs asking: anonymous as ever.
    assert client.get("/api/probe/me").status_code == 401


def test_session_check_passes_over_an_sso_instance_that_is_down(sso):
    url, keys = sso
    token = token_of(url)
    check = SessionCheck(f"http://127.0.0.1:{free_port()} {url}", ttl=0, timeout=1)
    assert check(token)
    with pytest.raises(SessionsUnavailable):
        SessionCheck(f"http://127.0.0.1:{free_port()}", ttl=0, timeout=1)(token)


@pytest.mark.parametrize("proof, secret, vouched", [
    (SECRET, SECRET, True), (SECRET, None, False), (None, SECRET, False), ("", "", False), ("1", SECRET, False)])
def test_gateway_vouches_only_with_the_configured_secret(proof, secret, vouched):
    assert gateway_vouches(proof, secret) is vouched
