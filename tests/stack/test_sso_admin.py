"""SSO admin through nginx: an old session dies after a reset, a role change or a disable; a temporary
password opens nothing but the change page; a district user calling the admin API is refused."""
import time

import pytest

from .test_gateway import PASSWORD, REVOCATION_BOUND, wait_for_refusal

pytestmark = pytest.mark.stack
NEW_PASSWORD = "krabi-district-2569-new"


def admin(stack):
    return stack.bearer("demo-ssoadmin")


def test_old_session_is_refused_after_a_password_reset(stack):
    old = stack.bearer("d-8104")
    session, _ = stack.sign_in("d-8104")
    assert stack.get("/api/workload/me", headers=old).status_code == 200
    reset = stack.post("/api/sso/admin/users/d-8104/password-reset", headers=admin(stack))
    assert reset.status_code == 200
    temporary = reset.json()["temporary_password"]
    assert wait_for_refusal(lambda: stack.get("/api/workload/me", headers=old)) <= REVOCATION_BOUND
    assert wait_for_refusal(lambda: session.get(stack.url + "/api/workload/me")) <= REVOCATION_BOUND
    assert stack.post("/api/sso/token", json={"username": "d-8104", "password": PASSWORD}).status_code == 401
    time.sleep(1.1)  # a wrong password delays the next attempt from this address by 1 s

    # The temporary password: pages lead to the change page, the API says what to do.
    browser, response = stack.sign_in("d-8104", temporary, "/workload/")
    assert response.headers["Location"] == "/sso/password?next=/workload/"
    page = browser.get(stack.url + "/workload/", allow_redirects=False)
    assert page.status_code == 302 and page.headers["Location"] == "/sso/password?next=/workload/"
    token = stack.bearer("d-8104", temporary)
    refused = stack.get("/api/workload/me", headers=token)
    assert refused.status_code == 403 and refused.json()["code"] == "password_change_required"
    changed = stack.post("/api/sso/password", headers=token, json={"new_password": NEW_PASSWORD})
    assert changed.status_code == 200
    fresh = {"Authorization": f"Bearer {changed.json()['access_token']}"}
    assert stack.get("/api/workload/me", headers=fresh).status_code == 200


def test_a_role_change_ends_the_session_and_the_next_login_has_the_new_rights(stack):
    old = stack.bearer("d-8105")
    assert stack.get("/api/workload/rounds/2569/districts/8105/record", headers=old).status_code == 200
    changed = stack.patch("/api/sso/admin/users/d-8105", headers=admin(stack), json={"roles": ["province"],
                                                                                    "district_code": None})
    assert changed.status_code == 200
    assert wait_for_refusal(lambda: stack.get("/api/workload/me", headers=old)) <= REVOCATION_BOUND
    me = stack.get("/api/workload/me", headers=stack.bearer("d-8105")).json()
    assert me["roles"] == ["province"]
    assert stack.get("/api/workload/rounds/2569/provinces/81/status", headers=stack.bearer("d-8105")).status_code == 200


def test_a_disabled_user_cannot_log_in_and_its_sessions_end(stack):
    old = stack.bearer("d-8106")
    response = stack.post("/api/sso/admin/users/d-8106/disable", headers=admin(stack))
    assert response.status_code == 200
    assert wait_for_refusal(lambda: stack.get("/api/workload/me", headers=old)) <= REVOCATION_BOUND
    _, login = stack.sign_in("d-8106")
    assert login.status_code == 401 and "บัญชีผู้ใช้นี้ถูกระงับการใช้งาน" in login.text
    assert stack.post("/api/sso/admin/users/d-8106/enable", headers=admin(stack)).status_code == 200
    assert stack.get("/api/workload/me", headers=stack.bearer("d-8106")).status_code == 200


def test_other_provinces_and_higher_roles_are_out_of_reach(stack):
    auth = admin(stack)
    assert stack.post("/api/sso/admin/users/d-3009/password-reset", headers=auth).status_code == 404
    escalate = stack.patch("/api/sso/admin/users/d-8107", headers=auth, json={"roles": ["ssoadmin"]})
    assert escalate.status_code == 403 and escalate.json()["type"] == "about:blank"
    itself = stack.patch("/api/sso/admin/users/demo-ssoadmin", headers=auth, json={"roles": ["ssoadmin", "province"]})
    assert itself.status_code == 403
    district = stack.bearer("d-8107")
    assert stack.get("/api/sso/admin/users", headers=district).status_code == 403
    assert stack.post("/api/sso/admin/users/d-8108/password-reset", headers=district).status_code == 403
    assert stack.get("/api/sso/admin/users").status_code == 401


def test_the_public_list_is_reached_from_the_login_page(stack):
    assert 'href="/sso/admins"' in stack.get("/sso/login").text
    page = stack.get("/sso/admins?province=81").text
    assert "นางสาวสมใจ ตัวอย่าง" in page and "sso-krabi@example.org" in page
    assert "demo-ssoadmin" not in page
    assert "SSO Admin จังหวัดนครราชสีมา" in stack.get("/sso/admins?province=30").text
    assert [a["name"] for a in stack.get("/api/sso/admins?province=30").json()] == [
        "SSO Admin จังหวัดนครราชสีมา (ข้อมูลสมมติ)"]
