"""The SSO's pages (login, logout, "กรุณา login ใหม่") and the endpoints only nginx calls."""
import hmac
import secrets
from urllib.parse import quote

from flask import Blueprint, Response, current_app, make_response, redirect, render_template, request

from shared.auth import TokenError, bearer_token
from shared.errors import problem
from shared.internal import service_only
from shared.web import current_user
from sso import accounts, domain, rules, services

bp = Blueprint("sso_pages", __name__)


def _cookie_token() -> str | None:
    return request.cookies.get(current_app.config["SSO_COOKIE_NAME"])


def request_token() -> str | None:
    """The request's token: the bearer token if there is one, else the session cookie (as shared.web reads it)."""
    return bearer_token(request.headers.get("Authorization")) or _cookie_token()


def set_session_cookie(response: Response, token: str) -> None:
    secure = current_app.config["SSO_COOKIE_SECURE"] or request.is_secure
    response.set_cookie(current_app.config["SSO_COOKIE_NAME"], token, httponly=True,
                        samesite="Lax", secure=secure, path="/")


def _clear_session_cookie(response: Response) -> None:
    response.delete_cookie(current_app.config["SSO_COOKIE_NAME"], path="/", httponly=True, samesite="Lax")


# The login form's own CSRF value (double submit: this cookie and a hidden field must agree), so that no
# other site can sign a browser in under an account of its choosing. A signed-in user's forms carry the
# session's value instead; this one serves before there is a session.
LOGIN_CSRF_COOKIE = "dcc_login_csrf"
LOGIN_CSRF_FIELD = "login_csrf"


def _login_page(status: int = 200, **context) -> Response:
    """The login form; a cookie of a session that has ended is dropped, so that it never stands in the way."""
    value = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    context.setdefault("next", domain.safe_next(request.values.get("next")))
    response = make_response(render_template("sso/login.html", login_csrf=value, **context), status)
    response.set_cookie(LOGIN_CSRF_COOKIE, value, httponly=True, samesite="Lax", path="/sso/login",
                        secure=current_app.config["SSO_COOKIE_SECURE"] or request.is_secure)
    if _cookie_token() and current_user() is None:
        _clear_session_cookie(response)
    return response


@bp.get("/sso/login")
def login_form():
    """The DLA-SSO login page."""
    return _login_page(logged_out=request.args.get("logged_out") == "1")


@bp.post("/sso/login")
def login():
    """Check User and Password, start a session, set the cookie and go where the user was headed."""
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    next_path = domain.safe_next(request.form.get("next"))
    submitted, expected = request.form.get(LOGIN_CSRF_FIELD, ""), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(submitted.encode(), expected.encode()):
        return _login_page(400, next=next_path, username=username,
                           error="แบบฟอร์มเข้าสู่ระบบหมดอายุ กรุณากรอก User และ Password อีกครั้ง")
    if not username or not password:
        return _login_page(400, next=next_path, username=username, error="กรุณากรอก User และ Password")
    try:
        user = services.authenticate(username, password, request.remote_addr or "")
    except services.LoginRefused as refused:
        status = 429 if refused.failure == domain.LoginFailure.THROTTLED else 401
        return _login_page(status, next=next_path, username=username, error=refused.message, hint=refused.hint)
    issued = services.start_session(user, "cookie")
    next_path = rules.landing(accounts.person(user), next_path)
    if user.must_change_password:  # a temporary password from the SSO admin opens only this page
        next_path = f"/sso/password?next={quote(next_path, safe='/')}"
    response = redirect(next_path)
    set_session_cookie(response, issued.token)
    return response


@bp.get("/sso/logout")
def logout_confirm():
    """The "ยืนยัน" question as a page, for browsers without JavaScript."""
    if current_user() is None:
        return redirect("/")
    return render_template("sso/logout.html")


@bp.post("/sso/logout")
def logout():
    """End the session at once (the CSRF token was checked before this runs), drop the cookie, and say so on the
    login page ("ออกจากระบบเรียบร้อยแล้ว"), from where the next user signs in."""
    if current_user() is not None:
        services.end_session(current_user().session_id, "logout")
    response = redirect("/sso/login?logged_out=1")
    _clear_session_cookie(response)
    return response


@bp.get("/sso/expired")
def expired():
    """กรุณา login ใหม่: the session ended after 30 minutes without a request. A browser whose session still
    lives has nothing to log in to again: it goes on where it was headed, so that this page never shows a
    signed-in header under "กรุณา login ใหม่"."""
    next_path = domain.safe_next(request.args.get("next"))
    if current_user() is not None:
        return redirect(next_path)
    response = Response(render_template("sso/expired.html", next=next_path,
                                        idle_minutes=current_app.config["SSO_IDLE_SECONDS"] // 60))
    _clear_session_cookie(response)
    return response


@bp.get("/sso/jwks.json")
def jwks():
    """The public keys that verify our tokens."""
    response = current_app.json.response(current_app.extensions["sso_keys"].jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- Called by nginx only: /internal/ is not routed from outside ---------------------------------

def _live_claims() -> dict | None:
    token = request_token()
    if not token:
        return None
    try:
        return services.check_session(token)
    except TokenError:
        return None


def _identity_headers(claims: dict) -> dict:
    return {
        "X-Auth-User": claims["sub"],
        "X-Auth-Roles": ",".join(claims["roles"]),
        "X-Auth-Province": claims.get("province") or "",
        "X-Auth-District": claims.get("district") or "",
        "X-Auth-Session": claims["sid"],
    }


@bp.get("/internal/verify")
def verify():
    """auth_request target of protected locations: 200 with the identity for a live session, 401 otherwise."""
    claims = _live_claims()
    return Response(status=200, headers=_identity_headers(claims)) if claims else Response(status=401)


@bp.get("/internal/identify")
def identify():
    """auth_request target of public locations: always 200, with the identity only for a live session."""
    claims = _live_claims()
    return Response(status=200, headers=_identity_headers(claims) if claims else {})


@bp.get("/internal/signin")
def signin():
    """Where nginx sends a browser refused by auth_request: the login page, or "กรุณา login ใหม่"."""
    original = domain.safe_next(request.headers.get("X-Original-URI"))
    state = services.session_state(_cookie_token())
    target = {"idle": "/sso/expired", "password": "/sso/password"}.get(state, "/sso/login")
    return redirect(f"{target}?next={quote(original, safe='/')}")


@bp.get("/internal/unauthorized")
def unauthorized():
    """The API's 401, as a problem document."""
    state = services.session_state(request_token())
    if state == "idle":
        return problem(401, detail="กรุณา login ใหม่", code="session_expired")
    if state == "password":
        return problem(403, detail="กรุณาเปลี่ยนรหัสผ่านชั่วคราวก่อนใช้งาน (POST /api/sso/password)",
                       code="password_change_required")
    return problem(401, detail="กรุณาเข้าสู่ระบบ", code="login_required")


@bp.get("/internal/recipients")
@service_only
def recipients():
    """For the portal's notifications only (a service's secret, shared.internal): the enabled users of a
    district office (?district=8101) or of a province office (?province=81), or one user (?user=name), with
    their e-mail addresses."""
    district, province, username = (request.args.get(name) for name in ("district", "province", "user"))
    if sum(map(bool, (district, province, username))) != 1:
        return problem(400, detail="district, province or user, one of them")
    users = services.office_users(district=district, province=province, username=username)
    return {"users": [{"username": u.username, "name": u.display_name, "email": u.email} for u in users]}
