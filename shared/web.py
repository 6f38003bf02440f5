"""The Flask glue every service and the SSO app share: app creation, identity, CSRF, layout, health."""
from functools import wraps
from pathlib import Path
from urllib.parse import quote

from flask import Flask, abort, current_app, g, redirect, request
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# shared.schemas first: it puts marshmallow's messages in Thai before any service defines a schema.
from shared import (
    bell,
    config,
    csrf,
    schemas,  # noqa: F401
    thai,
)
from shared.auth import Identity, KeySet, TokenError, TokenVerifier, bearer_token
from shared.db import engine_options
from shared.errors import ApiProblem, problem, register_error_handlers, wants_problem_json
from shared.geography import SOURCE_CREDIT
from shared.inputs import SAFE_INTEGER
from shared.metrics import init_metrics
from shared.requestlog import configure_logging, init_request_log
from shared.sessions import SessionCheck, SessionsUnavailable, gateway_vouches, verdict_seconds
from shared.upstream import service_url
from shared.webinput import init_input_discipline

SHARED_DIR = Path(__file__).resolve().parent

MENU = (
    ("home", "หน้าแรก", "/"),
    ("directory", "ทะเบียน ทถอ.", "/directory/"),
    ("news", "ข่าวประชาสัมพันธ์", "/news/"),
    ("toolkits", "ชุดความรู้ / Toolkits", "/toolkits/"),
    ("workload", "Workload Tracking System", "/workload/"),
    ("about", "เกี่ยวกับศูนย์", "/about/"),
    ("faq", "ประเด็นคำถามที่พบบ่อย", "/faq/"),
)
CENTER_NAME = "ศูนย์ประสานงานท้องถิ่นอำเภอ"
SSO_UNAVAILABLE = "ระบบยืนยันตัวตน DLA-SSO ขัดข้องชั่วคราว จึงเข้าสู่ระบบไม่ได้ในขณะนี้ กรุณาลองใหม่อีกครั้งในอีกสักครู่"


class AsciiIntegerConverter(IntegerConverter):
    """<int:...> in every route: ASCII digits only, and no more than PostgreSQL's integer holds (else 404).
    Werkzeug's \\d+ also takes Arabic-Indic and full-width digits, so /items/%D9%A5/ would be item 5 while
    nginx's locations see another path; and an id of 25 digits reached the database."""
    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=None, max=SAFE_INTEGER, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def create_service_app(import_name: str, service: str, settings: dict | None = None,
                       overrides: dict | None = None) -> Flask:
    """A Flask app wired the way every service is: settings, proxy headers, templates, static files.

    `settings` are the service's own (from its environment), `overrides` come from tests.
    """
    app = Flask(import_name, static_folder=str(SHARED_DIR / "static"), static_url_path="/static")
    app.url_map.converters["int"] = AsciiIntegerConverter  # before any blueprint adds its routes
    sso = config.sso_settings()
    app.config.update(
        SERVICE_NAME=service,
        SQLALCHEMY_DATABASE_URI=config.database_url(service),
        SSO_ISSUER=sso["issuer"],
        SSO_AUDIENCE=sso["audience"],
        SSO_COOKIE_NAME=sso["cookie_name"],
        SSO_JWKS=sso["jwks"],
        SSO_LOGIN_PATH=sso["login_path"],
        SSO_IDLE_SECONDS=config.env_int("SSO_IDLE_SECONDS", 30 * 60),
        # Shared with nginx: X-Auth-Checked carrying it means nginx asked the SSO (shared.sessions).
        # Without it a service asks the SSO itself, at SSO_INTERNAL_URL (by default where nginx finds it).
        SSO_INTERNAL_URL=config.env_str("SSO_INTERNAL_URL") or service_url("sso", 8090),
        DCC_GATEWAY_SECRET=config.gateway_secret(config.env_str("DCC_GATEWAY_SECRET")),
        # The same secret as a service's proof to another (shared.internal); the SSO keeps it though it ignores
        # nginx's word on sessions.
        DCC_SERVICE_SECRET=config.gateway_secret(config.env_str("DCC_GATEWAY_SECRET")),
        JSON_SORT_KEYS=False,
        LOG_LEVEL=config.env_str("DCC_LOG_LEVEL", "INFO"),
        # Forms and JSON bodies are small; a service that takes uploads raises this for itself.
        MAX_CONTENT_LENGTH=config.env_int("DCC_MAX_CONTENT_LENGTH", 1024 * 1024),
        # The site's own names (and the services' internal ones): absolute links (feeds, redirects)
        # are built from the Host a client sends, so production names the hosts it answers to.
        TRUSTED_HOSTS=[h.strip() for h in (config.env_str("DCC_TRUSTED_HOSTS") or "").split(",") if h.strip()] or None,
    )
    app.config.update(settings or {})
    app.config.update(overrides or {})
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"], service))
    app.json.ensure_ascii = False  # Thai stays readable in JSON
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(str(SHARED_DIR / "templates"))])
    return app


def api_settings(service: str, title: str) -> dict:
    """flask-smorest settings: the OpenAPI document at /api/<service>/openapi.json."""
    return {
        "API_TITLE": title,
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": f"/api/{service}",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def init_service(app: Flask, db=None, keys: KeySet | None = None, sessions=None) -> None:
    """Everything after the app's own extensions: identity, CSRF, logs, errors, layout, /healthz.

    `keys` are the SSO's public keys; by default from SSO_JWKS (a file or the SSO's JWKS URL). `sessions`
    tells whether a token's session is live (token → live session id or None) for requests that did not
    come through the gateway; by default the SSO is asked over HTTP (shared.sessions).
    """
    configure_logging(app.config["LOG_LEVEL"])
    app.extensions["dcc_verifier"] = TokenVerifier(
        keys or KeySet(app.config["SSO_JWKS"]), app.config["SSO_ISSUER"], app.config["SSO_AUDIENCE"])
    app.extensions["dcc_sessions"] = sessions or SessionCheck(app.config["SSO_INTERNAL_URL"], verdict_seconds())
    # The portal counts in its own database (it sets this before); every other service asks the portal.
    app.extensions.setdefault("dcc_unread", bell.portal_counter(app.config["DCC_SERVICE_SECRET"]))
    app.before_request(_load_identity)
    app.before_request(_check_csrf)
    init_input_discipline(app)  # runs before both
    init_request_log(app, app.config["SERVICE_NAME"])
    register_error_handlers(app, db)
    app.context_processor(_layout_context)
    app.add_template_filter(thai.thai_date, "thai_date")
    app.add_template_filter(thai.thai_datetime, "thai_datetime")
    app.add_template_filter(thai.thai_number, "thai_number")
    app.add_template_filter(thai.date_input, "date_input")
    app.add_template_filter(thai.datetime_input, "datetime_input")

    init_metrics(app, app.config["SERVICE_NAME"])

    # Two questions a platform asks apart: is the process stuck (restart it) and may it take requests now
    # (else keep it out of the Service). A database failover must not restart every pod, so only readiness
    # asks the database.
    @app.get("/livez")
    def livez():
        """The process answers; nothing else is asked."""
        return {"status": "ok", "service": app.config["SERVICE_NAME"]}

    @app.get("/healthz")
    def healthz():
        """Ready: the process answers and its database does too (503 else)."""
        if db is not None:
            try:
                db.session.execute(text("SELECT 1"))
            except SQLAlchemyError:
                db.session.rollback()
                return {"status": "database unavailable", "service": app.config["SERVICE_NAME"]}, 503
        return {"status": "ok", "service": app.config["SERVICE_NAME"]}


def _load_identity() -> None:
    """The user from the bearer token or the SSO cookie, if its session is live.

    The signature is checked here, again. Whether the session still lives: behind nginx (X-Auth-Checked
    carries the gateway's secret) nginx asked the SSO and names in X-Auth-Session the live session it
    found, if any; a token of any other session (ended, or a second cookie differing only in case) is not
    trusted. A request that did not come through the gateway asks the SSO itself (shared.sessions).
    When the SSO cannot be asked, nobody is signed in and g.sso_unavailable is set: protected pages answer
    503, public ones render for the public with a note.
    """
    g.identity = None
    g.sso_unavailable = request.headers.get("X-Auth-Unavailable") == "1" and _through_gateway()
    token, via = bearer_token(request.headers.get("Authorization")), "bearer"
    if token is None:
        token, via = request.cookies.get(current_app.config["SSO_COOKIE_NAME"]), "cookie"
    if not token:
        return
    try:
        identity = current_app.extensions["dcc_verifier"].identity(token, via)
    except TokenError:
        return
    if _through_gateway():
        live = request.headers.get("X-Auth-Session")
    else:
        try:
            live = current_app.extensions["dcc_sessions"](token)
        except SessionsUnavailable:
            g.sso_unavailable = True
            return
    if live == identity.session_id:
        g.identity = identity


def _through_gateway() -> bool:
    return gateway_vouches(request.headers.get("X-Auth-Checked"), current_app.config["DCC_GATEWAY_SECRET"])


def _check_csrf():
    submitted = request.headers.get(csrf.HEADER)
    if submitted is None and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        submitted = request.form.get(csrf.FORM_FIELD)
    origin = request.headers.get("Origin")
    reason = csrf.csrf_failure(request.method, g.identity, submitted, origin, request.host)
    if reason:
        abort(403, description="คำขอถูกปฏิเสธเพื่อความปลอดภัย (CSRF) กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง")


def no_store(response):
    """after_request for answers that must never be kept by a browser or a proxy (secrets, personal data)."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def current_user() -> Identity | None:
    return g.get("identity")


def login_url(next_path: str) -> str:
    return f"{current_app.config['SSO_LOGIN_PATH']}?next={quote(next_path, safe='/')}"


def login_required(view):
    """Signed-in users only: pages redirect to the login page, the API answers 401."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_user() is None:
            if g.get("sso_unavailable"):
                raise ApiProblem(503, SSO_UNAVAILABLE, code="sso_unavailable")
            if wants_problem_json():
                return problem(401, detail="กรุณาเข้าสู่ระบบ")
            return redirect(login_url(request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped




def permission_required(check):
    """Signed-in users that `check(user, **route_arguments)` lets through; a service's policy module raises its
    own refusal. Placed above flask-smorest's @blp.arguments it runs before the body is read, so a refused
    user hears 403 whatever it sent, never a validation message."""
    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            check(current_user(), **kwargs)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def allowed_if(allowed):
    """permission_required for a yes/no policy function of the user alone (`allowed(user)`): anyone else
    gets the plain 403 (Thai page / problem+json)."""
    def check(user, **_route):
        if not allowed(user):
            abort(403)
    return permission_required(check)


def _layout_context() -> dict:
    user = current_user()
    return {
        "center_name": CENTER_NAME,
        "menu": MENU,
        "current_user": user,
        "csrf_token": user.csrf if user else "",
        "idle_seconds": current_app.config["SSO_IDLE_SECONDS"],
        "sso_unavailable": g.get("sso_unavailable", False),
        "geography_credit": SOURCE_CREDIT,
        "unread_notifications": bell.unread_notifications,
    }
