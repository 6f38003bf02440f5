"""SSO admins' user management through the SSO app: every act, every refusal, sessions ended, the log."""
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import select

from shared.clock import utcnow
from sso.models import AdminAction, User, db, outbox
from sso.services import create_user, hasher

from .conftest import PASSWORD, delays_pass, form_login

NEW_PASSWORD = "krabi-office-2569-new"


@pytest.fixture(scope="module", autouse=True)
def admins(app):
    with app.app_context():
        hashed = hasher.hash(PASSWORD)
        create_user("admin-81", hashed, "SSO Admin กระบี่", ["ssoadmin"], "81", position="นักวิชาการคอมพิวเตอร์",
                    phone="0 7561 1234", email="sso81@example.org")
        create_user("admin-30", hashed, "SSO Admin นครราชสีมา", ["ssoadmin"], "30")
        create_user("admin-off", hashed, "SSO Admin ระงับ", ["ssoadmin"], "81", disabled=True)
        create_user("province-81", hashed, "สถจ.กระบี่", ["province"], "81")
        db.session.commit()


@pytest.fixture
def person(app):
    """A fresh user of its own for each test that changes one: person("district", "8103")."""
    made = []

    def make(role="district", district="8103", province="81"):
        # unique in the module's database
        username = f"u{len(made)}-{role}-{district or province}-{secrets.token_hex(3)}"
        with app.app_context():
            create_user(username, hasher.hash(PASSWORD), f"ผู้ใช้ทดสอบ {username}", [role], province,
                        district if role == "district" else None)
            db.session.commit()
        made.append(username)
        return username
    return make


def bearer(client, username, password=PASSWORD):
    response = client.post("/api/sso/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def live(client, headers) -> bool:
    return client.get("/internal/verify", headers=headers).status_code == 200


def test_search_shows_only_the_admins_province(client):
    auth = bearer(client, "admin-81")
    found = client.get("/api/sso/admin/users", headers=auth).json
    assert found and {u["province_code"] for u in found} == {"81"}
    district = client.get("/api/sso/admin/users?q=district-a", headers=auth).json
    assert [u["username"] for u in district] == ["district-a"]
    assert district[0]["roles"] == ["district"] and district[0]["state"] == "ใช้งานได้"
    # Asking for another province changes nothing: still its own.
    assert {u["province_code"] for u in client.get("/api/sso/admin/users?province=30", headers=auth).json} == {"81"}
    by_name = client.get("/api/sso/admin/users", query_string={"q": "กระบี่"}, headers=auth).json
    assert "district-a" in {u["username"] for u in by_name}


def test_another_provinces_user_is_not_found(client):
    auth = bearer(client, "admin-30")
    assert client.get("/api/sso/admin/users/district-a", headers=auth).status_code == 404
    for path in ("/disable", "/enable", "/password-reset"):
        response = client.post(f"/api/sso/admin/users/district-a{path}", headers=auth)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
    assert client.patch("/api/sso/admin/users/district-a", json={"roles": []}, headers=auth).status_code == 404
    assert live(client, bearer(client, "district-a"))  # untouched


@pytest.mark.parametrize("username", ["district-a", "province-81"])
def test_a_non_admin_is_refused_by_the_admin_api(client, username):
    auth = bearer(client, username)
    assert client.get("/api/sso/admin/users", headers=auth).status_code == 403
    assert client.post("/api/sso/admin/users/district-a/password-reset", headers=auth).status_code == 403
    assert client.get("/api/sso/admin/log", headers=auth).status_code == 403


def test_anonymous_gets_401_and_the_login_page(client):
    assert client.get("/api/sso/admin/users").status_code == 401
    page = client.get("/sso/admin/users")
    assert page.status_code == 302 and page.headers["Location"].startswith("/sso/login?next=/sso/admin/users")


def test_create_a_district_user_with_a_one_time_password(client, app):
    auth = bearer(client, "admin-81")
    response = client.post("/api/sso/admin/users", headers=auth, json={
        "username": "new-8104", "display_name": "ท้องถิ่นอำเภอคลองท่อม", "roles": ["district"],
        "district_code": "8104", "province_code": "30"})  # the province comes from the admin, not the body
    assert response.status_code == 201, response.json
    issued = response.json
    assert issued["user"]["province_code"] == "81" and issued["user"]["must_change_password"]
    temporary = issued["temporary_password"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get("/api/sso/admin/users/new-8104", headers=auth).json.get("temporary_password") is None
    again = client.post("/api/sso/admin/users", headers=auth, json={
        "username": "new-8104", "display_name": "ซ้ำ", "roles": ["district"], "district_code": "8104"})
    assert again.status_code == 409 and again.json["detail"] == "มี User นี้ในระบบแล้ว"
    # The temporary password logs in, but the session opens only the password change.
    token = bearer(client, "new-8104", temporary)
    assert not live(client, token)
    assert client.get("/internal/unauthorized", headers=token).json["code"] == "password_change_required"
    changed = client.post("/api/sso/password", headers=token, json={"new_password": NEW_PASSWORD})
    assert changed.status_code == 200, changed.json
    fresh = {"Authorization": f"Bearer {changed.json['access_token']}"}
    assert live(client, fresh) and not live(client, token)
    assert client.post("/api/sso/token", json={"username": "new-8104", "password": temporary}).status_code == 401


@pytest.mark.parametrize("body, status, message", [
    ({"username": "x8", "display_name": "ก", "roles": ["district"], "district_code": "8101"}, 422, "User ต้องยาว"),
    ({"username": "esc-1", "display_name": "ก", "roles": ["ssoadmin"]}, 403, "ไม่มีสิทธิ์กำหนดสิทธิ์"),
    ({"username": "esc-2", "display_name": "ก", "roles": ["central"]}, 422, None),
    ({"username": "esc-3", "display_name": "ก", "roles": ["district"], "district_code": "3001"}, 422, "อำเภอ"),
    ({"username": "esc-4", "display_name": "ก", "roles": ["province"], "email": "not-mail"}, 422, None),
])
def test_create_refusals_change_nothing(client, app, body, status, message):
    response = client.post("/api/sso/admin/users", headers=bearer(client, "admin-81"), json=body)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    if message:
        assert message in response.json["detail"]
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == body["username"])) is None


def test_reset_ends_every_session_and_forces_a_new_password(client, app, person):
    username = person()
    old = bearer(client, username)
    auth = bearer(client, "admin-81")
    response = client.post(f"/api/sso/admin/users/{username}/password-reset", headers=auth)
    assert response.status_code == 200
    temporary = response.json["temporary_password"]
    assert not live(client, old)
    assert client.post("/api/sso/token", json={"username": username, "password": PASSWORD}).status_code == 401
    delays_pass(app)
    token = bearer(client, username, temporary)
    weak = client.post("/api/sso/password", headers=token, json={"new_password": "password1234"})
    assert weak.status_code == 422 and "คาดเดาได้ง่าย" in weak.json["detail"]
    short = client.post("/api/sso/password", headers=token, json={"new_password": "short"})
    assert short.status_code == 422 and "อย่างน้อย 10" in short.json["detail"]
    assert client.post("/api/sso/password", headers=token, json={"new_password": NEW_PASSWORD}).status_code == 200


def password_events(app, username):
    with app.app_context():
        return [(e.event_id, e.kind, e.payload) for e in db.session.scalars(select(outbox.model))
                if e.payload.get("username") == username]


def test_the_user_hears_who_set_the_password_and_when_never_the_password(client, app, person):
    username = person()
    refused = client.post(f"/api/sso/admin/users/{username}/password-reset", headers=bearer(client, "admin-30"))
    assert refused.status_code in (403, 404) and password_events(app, username) == []
    response = client.post(f"/api/sso/admin/users/{username}/password-reset", headers=bearer(client, "admin-81"))
    [(event_id, kind, payload)] = password_events(app, username)
    assert event_id.startswith("sso:password_set:") and kind == "sso.password_set"
    assert payload["by"] == "SSO Admin กระบี่" and payload["by_username"] == "admin-81"
    assert payload["at"].endswith("+07:00")
    assert response.json["temporary_password"] not in repr(payload)


def test_only_the_central_office_resets_a_province_offices_password(client, person):
    office = person("province", None)
    refused = client.post(f"/api/sso/admin/users/{office}/password-reset", headers=bearer(client, "admin-81"))
    assert refused.status_code == 403 and refused.json["code"] == "province_office_password"
    assert "ส่วนกลาง" in refused.json["detail"]
    assert client.post("/api/sso/token", json={"username": office, "password": PASSWORD}).status_code == 200
    done = client.post(f"/api/sso/admin/users/{office}/password-reset", headers=bearer(client, "central-a"))
    assert done.status_code == 200 and done.json["temporary_password"]


def test_rights_change_ends_sessions_and_the_new_login_carries_the_new_rights(client, app, person):
    username = person()
    old = bearer(client, username)
    auth = bearer(client, "admin-81")
    response = client.patch(f"/api/sso/admin/users/{username}", headers=auth,
                            json={"roles": ["province"], "district_code": None})
    assert response.status_code == 200 and response.json["roles"] == ["province"]
    assert response.json["district_code"] is None
    assert not live(client, old)
    verdict = client.get("/internal/verify", headers=bearer(client, username))
    assert verdict.headers["X-Auth-Roles"] == "province" and verdict.headers["X-Auth-District"] == ""
    # A profile change alone leaves the sessions alone.
    current = bearer(client, username)
    assert client.patch(f"/api/sso/admin/users/{username}", headers=auth,
                        json={"phone": "0 7561 9999"}).status_code == 200
    assert live(client, current)


def test_disable_ends_sessions_refuses_login_and_enable_restores(client, person):
    username = person()
    old = bearer(client, username)
    auth = bearer(client, "admin-81")
    assert client.post(f"/api/sso/admin/users/{username}/disable", headers=auth).json["disabled"] is True
    assert not live(client, old)
    refused = client.post("/api/sso/token", json={"username": username, "password": PASSWORD})
    assert refused.status_code == 401 and refused.json["detail"] == "บัญชีผู้ใช้นี้ถูกระงับการใช้งาน"
    twice = client.post(f"/api/sso/admin/users/{username}/disable", headers=auth)
    assert twice.status_code == 409
    assert client.post(f"/api/sso/admin/users/{username}/enable", headers=auth).status_code == 200
    assert live(client, bearer(client, username))


def test_an_sso_admin_cannot_escalate_itself_or_touch_other_admins(client):
    auth = bearer(client, "admin-81")
    itself = client.patch("/api/sso/admin/users/admin-81", headers=auth, json={"roles": ["ssoadmin", "province"]})
    assert itself.status_code == 403 and "ของตนเอง" in itself.json["detail"]
    other = client.post("/api/sso/admin/users/admin-off/enable", headers=auth)
    assert other.status_code == 403 and "ส่วนกลาง" in other.json["detail"]
    central = client.post("/api/sso/admin/users/central-a/password-reset", headers=auth)
    assert central.status_code == 404
    grant = client.patch("/api/sso/admin/users/district-a", headers=auth, json={"roles": ["ssoadmin"]})
    assert grant.status_code == 403
    assert client.get("/api/sso/admin/users/district-a", headers=auth).json["roles"] == ["district"]


def test_central_manages_sso_admins_of_any_province(client, person):
    auth = bearer(client, "central-a")
    username = person("province", None, "30")
    made = client.patch(f"/api/sso/admin/users/{username}", headers=auth, json={"roles": ["province", "ssoadmin"]})
    assert made.status_code == 200 and made.json["roles"] == ["province", "ssoadmin"]
    assert {u["province_code"] for u in client.get("/api/sso/admin/users?province=30", headers=auth).json} == {"30"}
    assert client.patch(f"/api/sso/admin/users/{username}", headers=auth,
                        json={"roles": ["central"]}).status_code == 422


def test_rights_withdrawn_from_an_admin_apply_at_once(client, app, person):
    """The SSO reads the acting admin's rights from its database, not from the token it issued."""
    central = bearer(client, "central-a")
    username = person("province", None, "81")
    client.patch(f"/api/sso/admin/users/{username}", headers=central, json={"roles": ["ssoadmin"]})
    admin = bearer(client, username)
    assert client.get("/api/sso/admin/users", headers=admin).status_code == 200
    client.patch(f"/api/sso/admin/users/{username}", headers=central, json={"roles": ["province"]})
    assert client.get("/api/sso/admin/users", headers=admin).status_code == 401  # its session ended too


def test_every_act_is_logged_and_the_province_reads_its_own_log(client, person):
    username = person()
    auth = bearer(client, "admin-81")
    client.post(f"/api/sso/admin/users/{username}/password-reset", headers=auth)
    log = client.get("/api/sso/admin/log", headers=auth).json
    entry = next(a for a in log if a["target"] == username)
    assert entry["actor"] == "admin-81" and entry["action"] == "password_reset" and entry["at"]
    assert {a["province_code"] for a in log} == {"81"}
    assert all(a["target"] != username
               for a in client.get("/api/sso/admin/log", headers=bearer(client, "admin-30")).json)


def test_public_list_of_sso_admins_shows_contact_only(client):
    response = client.get("/api/sso/admins?province=81")
    assert response.status_code == 200
    assert response.json == [{"name": "SSO Admin กระบี่", "position": "นักวิชาการคอมพิวเตอร์",
                              "office": "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดกระบี่",
                              "phone": "0 7561 1234", "email": "sso81@example.org"}]
    assert client.get("/api/sso/admins?province=99").status_code == 422
    page = client.get("/sso/admins?province=81").get_data(as_text=True)
    assert "SSO Admin กระบี่" in page and "ระงับ" not in page and "admin-81" not in page
    empty = client.get("/sso/admins?province=20").get_data(as_text=True)
    assert "ยังไม่มีรายชื่อ SSO Admin ของจังหวัดนี้" in empty
    assert 'href="/sso/admins"' in client.get("/sso/login").get_data(as_text=True)


def csrf_of(page: str) -> str:
    return page.split('name="csrf-token" content="')[1].split('"')[0]


def cookie_login(client, username, password=PASSWORD, next_path="/"):
    return form_login(client, username, password, next_path)


def test_admin_pages_reset_a_password_and_show_it_once(app, person):
    username = person()
    client = app.test_client()
    cookie_login(client, "admin-81")
    listing = client.get(f"/sso/admin/users?q={username}").get_data(as_text=True)
    assert f'data-username="{username}"' in listing
    page = client.get(f"/sso/admin/users/{username}")
    assert page.headers["Cache-Control"] == "private, no-store"
    csrf = csrf_of(page.get_data(as_text=True))
    assert client.post(f"/sso/admin/users/{username}/password").status_code == 403  # no CSRF token
    # The first press only asks, naming the user; the password is unchanged until the confirmation.
    asked = client.post(f"/sso/admin/users/{username}/password", data={"csrf_token": csrf})
    assert asked.status_code == 200 and "ยืนยันกำหนดรหัสผ่านใหม่" in asked.get_data(as_text=True)
    assert f"(User {username})" in asked.get_data(as_text=True)
    assert "temporary-password" not in asked.get_data(as_text=True)
    assert cookie_login(app.test_client(), username).headers["Location"] == "/"  # the old password still works
    issued = client.post(f"/sso/admin/users/{username}/password",
                         data={"csrf_token": csrf, "confirm": "yes"}).get_data(as_text=True)
    temporary = issued.split('data-testid="temporary-password">')[1].split("<")[0]
    assert len(temporary) == 12
    assert temporary not in client.get(f"/sso/admin/users/{username}").get_data(as_text=True)
    # The user logs in with it and lands on the change page, whatever it asked for.
    user = app.test_client()
    assert cookie_login(user, username, temporary, "/workload/").headers["Location"] == "/sso/password?next=/workload/"
    form = user.get("/sso/password?next=/workload/").get_data(as_text=True)
    assert "รหัสผ่านชั่วคราว" in form and "current_password" not in form
    reset_by = form.split('id="reset-by">')[1].split("</span>")[0]
    assert "(admin-81)" in reset_by and "เมื่อ" in reset_by  # who set it and when, at the user's next login
    mismatch = user.post("/sso/password", data={"csrf_token": csrf_of(form), "new_password": NEW_PASSWORD,
                                                "confirm_password": "other", "next": "/workload/"})
    assert mismatch.status_code == 422 and "ไม่ตรงกัน" in mismatch.get_data(as_text=True)
    done = user.post("/sso/password", data={"csrf_token": csrf_of(form), "new_password": NEW_PASSWORD,
                                            "confirm_password": NEW_PASSWORD, "next": "/workload/"})
    assert done.status_code == 302 and done.headers["Location"] == "/workload/"
    assert user.get("/internal/verify").status_code == 200


def test_admin_pages_refuse_with_the_reason_and_change_nothing(app):
    client = app.test_client()
    cookie_login(client, "admin-81")
    page = client.get("/sso/admin/users/district-a").get_data(as_text=True)
    response = client.post("/sso/admin/users/district-a/rights",
                           data={"csrf_token": csrf_of(page), "roles": "district", "district_code": "3001"})
    assert response.status_code == 422 and "กรุณาเลือกอำเภอในจังหวัดของผู้ใช้" in response.get_data(as_text=True)
    assert client.get("/sso/admin/users/admin-30").status_code == 404
    assert "SSO Admin ของจังหวัดจัดการได้โดยส่วนกลางเท่านั้น" in client.get("/sso/admin/users/admin-off").get_data(as_text=True)
    district = app.test_client()
    cookie_login(district, "district-a")
    assert district.get("/sso/admin/users").status_code == 403


def test_own_password_change_needs_the_current_password(app, person):
    username = person()
    client = app.test_client()
    cookie_login(client, username)
    form = client.get("/sso/password").get_data(as_text=True)
    assert "current_password" in form
    wrong = client.post("/sso/password", data={"csrf_token": csrf_of(form), "current_password": "nope",
                                               "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert wrong.status_code == 403 and "รหัสผ่านปัจจุบันไม่ถูกต้อง" in wrong.get_data(as_text=True)
    delays_pass(app)
    ok = client.post("/sso/password", data={"csrf_token": csrf_of(form), "current_password": PASSWORD,
                                            "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert ok.headers["Location"] == "/sso/password?changed=1"
    assert "เปลี่ยนรหัสผ่านเรียบร้อยแล้ว" in client.get(ok.headers["Location"]).get_data(as_text=True)


def test_log_records_actor_target_and_time(app):
    with app.app_context():
        actions = db.session.scalars(select(AdminAction)).all()
    assert all(a.actor and a.target and a.at and a.action for a in actions)


def test_guessing_the_current_password_is_slowed_as_at_login(app, person):
    username = person()
    client = app.test_client()
    auth = bearer(client, username)
    wrong = client.post("/api/sso/password", headers=auth,
                        json={"current_password": "guess", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 403 and wrong.json["detail"] == "รหัสผ่านปัจจุบันไม่ถูกต้อง"
    right = client.post("/api/sso/password", headers=auth,
                        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert right.status_code == 429 and "กรุณารอสักครู่" in right.json["detail"]  # even the right one, for now
    login = client.post("/api/sso/token", json={"username": username, "password": PASSWORD})
    assert login.status_code == 429 and login.json["code"] == "throttled"  # the same count as the login page
    delays_pass(app)
    assert client.post("/api/sso/password", headers=auth,
                       json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}).status_code == 200


def test_an_over_long_or_malformed_profile_field_is_a_thai_refusal(app, person):
    username = person()
    client = app.test_client()
    cookie_login(client, "admin-81")
    csrf = csrf_of(client.get(f"/sso/admin/users/{username}").get_data(as_text=True))
    for fields, message in (({"phone": "0" * 40}, "โทรศัพท์ยาวเกิน 32"), ({"email": "not-an-address"}, "รูปแบบ E-mail")):
        response = client.post(f"/sso/admin/users/{username}/profile",
                               data={"csrf_token": csrf, "display_name": "ชื่อ", **fields})
        assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_temporary_password_expires(client, app, person):
    username = person()
    temporary = client.post(f"/api/sso/admin/users/{username}/password-reset",
                            headers=bearer(client, "admin-81")).json["temporary_password"]
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        assert user.temporary_until is not None
        user.temporary_until = utcnow() - timedelta(minutes=1)
        db.session.commit()
    refused = client.post("/api/sso/token", json={"username": username, "password": temporary})
    assert refused.status_code == 401 and refused.json["code"] == "temporary_expired"
    assert refused.json["detail"] == "รหัสผ่านชั่วคราวหมดอายุแล้ว"


def test_search_takes_what_is_typed_as_text_not_a_pattern(client):
    auth = bearer(client, "admin-81")
    assert client.get("/api/sso/admin/users", query_string={"q": "%"}, headers=auth).json == []
    assert client.get("/api/sso/admin/users", query_string={"q": "DISTRICT-A"},
                      headers=auth).json[0]["username"] == "district-a"


def test_refusals_carry_a_code_beside_the_thai_words(client):
    auth = bearer(client, "admin-81")
    response = client.patch("/api/sso/admin/users/district-a", headers=auth, json={"roles": ["ssoadmin"]})
    assert response.json["code"] == "roles_not_grantable"
    assert response.json["detail"] == "ท่านไม่มีสิทธิ์กำหนดสิทธิ์ SSO Admin ของ สถจ."


def test_an_sso_admin_signing_in_without_a_destination_lands_on_its_users(app):
    assert cookie_login(app.test_client(), "admin-81").headers["Location"] == "/sso/admin/users"
    assert cookie_login(app.test_client(), "admin-81", next_path="/news/").headers["Location"] == "/news/"
    assert cookie_login(app.test_client(), "province-81").headers["Location"] == "/"


def test_the_reset_confirmation_is_not_offered_where_the_reset_is_refused(app, person):
    office = person("province", None)
    client = app.test_client()
    cookie_login(client, "admin-81")
    csrf = csrf_of(client.get(f"/sso/admin/users/{office}").get_data(as_text=True))
    refused = client.post(f"/sso/admin/users/{office}/password", data={"csrf_token": csrf})
    assert refused.status_code == 403 and "ยืนยันกำหนดรหัสผ่านใหม่" not in refused.get_data(as_text=True)
    assert "ส่วนกลาง" in refused.get_data(as_text=True)
