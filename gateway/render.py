"""Render gateway/nginx.conf.j2: `python gateway/render.py OUT` with settings from the environment.

GATEWAY_PORT, GATEWAY_UPSTREAM_<NAME> (host:port of sso, portal, workload, directory, news, hello; several
instances of a service as several addresses, spaces or commas apart), GATEWAY_UPSTREAM_FAIL_SECONDS,
SSO_VERDICT_SECONDS, DCC_GATEWAY_SECRET, GATEWAY_LOGIN_RATE, GATEWAY_LOGIN_BURST, GATEWAY_ACCESS_LOG,
GATEWAY_STATIC_DIR, GATEWAY_ERRORS_DIR, GATEWAY_TLS_CERTIFICATE,
GATEWAY_TLS_CERTIFICATE_KEY, GATEWAY_TRUSTED_PROXIES, GATEWAY_MIME_TYPES, GATEWAY_WORKERS, GATEWAY_KEEPALIVE,
GATEWAY_RUN_DIR, GATEWAY_RUN_AS_ROOT, GATEWAY_STATUS_PORT, GATEWAY_DEV_MAIL, DCC_VAR_DIR.
"""
import os
import sys
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

# The gateway image copies these two modules of shared/ and nothing else: keep them free of other imports.
from shared.config import addresses, gateway_secret
from shared.statuses import NGINX_CODES, NGINX_DETAILS, THAI_TITLES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Which paths of each service sit behind the login. Everything else a service serves is public.
SERVICES = (
    # The API's document describes, it grants nothing: public like the other four.
    {"name": "workload", "protected": ("/workload/", "/api/workload/"), "public": ("= /api/workload/openapi.json",)},
    # Directory: the registry is public; the central office's sync and staff-only contacts (PDPA) are not.
    {"name": "directory", "protected": ("/directory/admin/", "/api/directory/admin/", "/directory/staff/",
                                        "/api/directory/staff/"), "public": ("/directory/", "/api/directory/")},
    # News: writing and deciding behind the login; the approval endpoint sits among the public item
    # URLs (POST /api/news/items/<id>/approval), so a regex location protects it. Whatever stands for
    # the id: Werkzeug's int converter also takes non-ASCII digits (/items/%D9%A5/ is item 5).
    {"name": "news", "protected": ("/news/manage/", "/api/news/manage/"), "public": ("/news/", "/api/news/"),
     "protected_regex": (r"^/api/news/items/[^/]+/approval",)},
    # Portal: the pages and content are public; the central office's editing is not.
    # Each user's notifications (the bell) are the portal's too.
    {"name": "portal", "protected": ("/portal/manage/", "/api/portal/manage/", "/notifications/", "/api/notifications"),
     "public": ("/api/portal/", "/")},
)
# style-src allows inline styles (style="" attributes of the pages and Chart.js's canvas); scripts never run inline.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
                           "frame-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
DEFAULT_PORTS = {"sso": 8090, "portal": 8091, "workload": 8092, "directory": 8093, "news": 8094}


def settings(env: dict[str, str]) -> dict:
    def get(name: str, default: str) -> str:
        return env.get(name) or default

    upstreams = {name: addresses(get(f"GATEWAY_UPSTREAM_{name.upper()}", f"127.0.0.1:{port}"))
                 for name, port in DEFAULT_PORTS.items()}
    if env.get("GATEWAY_UPSTREAM_HELLO"):
        upstreams["hello"] = addresses(env["GATEWAY_UPSTREAM_HELLO"])
    if not all(upstreams.values()):
        raise ValueError(f"an upstream without an address: {upstreams}")
    var_dir = get("DCC_VAR_DIR", str(ROOT / "var"))
    secret = gateway_secret(get("DCC_GATEWAY_SECRET", "")) or ""
    return {
        "listen": get("GATEWAY_PORT", "8080"),
        "status_port": get("GATEWAY_STATUS_PORT", ""),  # nginx's stub_status, for the metrics exporter
        "upstreams": upstreams,
        "services": SERVICES,
        "run_dir": get("GATEWAY_RUN_DIR", f"{var_dir}/nginx"),  # pid, temporary files, verdict cache
        "static_dir": get("GATEWAY_STATIC_DIR", str(ROOT / "shared" / "static")),
        "mime_types": get("GATEWAY_MIME_TYPES", "/etc/nginx/mime.types"),
        "access_log": get("GATEWAY_ACCESS_LOG", f"{var_dir}/log/nginx-access.log json buffer=64k flush=1s"),
        "worker_processes": get("GATEWAY_WORKERS", "auto"),
        "upstream_keepalive": int(get("GATEWAY_KEEPALIVE", "32")),
        "upstream_keepalive_requests": int(get("GATEWAY_KEEPALIVE_REQUESTS", "100")),
        "upstream_fail_seconds": int(get("GATEWAY_UPSTREAM_FAIL_SECONDS", "2")),
        "read_timeout": int(get("GATEWAY_READ_TIMEOUT_SECONDS", "60")),  # then 504: the longest export takes ~10 s
        # How long a verdict of the SSO on a session is trusted; the services read the same setting.
        "verdict_seconds": int(get("SSO_VERDICT_SECONDS", "3")),
        # Shared with the services (X-Auth-Checked). Empty: services ask the SSO about every token themselves.
        "gateway_secret": secret,
        "errors_dir": get("GATEWAY_ERRORS_DIR", str(HERE / "errors")),
        "error_titles": {**{status: THAI_TITLES[status] for status in NGINX_DETAILS},
                         503: "เข้าสู่ระบบไม่ได้ชั่วคราว"},
        "error_details": NGINX_DETAILS,
        "error_codes": NGINX_CODES,
        # TLS at nginx itself (a certificate and its key, PEM files); HSTS is then sent too.
        "tls": bool(env.get("GATEWAY_TLS_CERTIFICATE")),
        "tls_certificate": env.get("GATEWAY_TLS_CERTIFICATE", ""),
        "tls_certificate_key": env.get("GATEWAY_TLS_CERTIFICATE_KEY", ""),
        # Load balancers whose X-Forwarded-For names the client (addresses or CIDR ranges).
        "trusted_proxies": addresses(get("GATEWAY_TRUSTED_PROXIES", "")),
        "content_security_policy": CONTENT_SECURITY_POLICY,
        "login_rate": get("GATEWAY_LOGIN_RATE", "10r/s"),
        "login_burst": int(get("GATEWAY_LOGIN_BURST", "20")),
        "cookie_name": get("SSO_COOKIE_NAME", "dcc_session"),
        # Development only (tools/stack.py): the stack's mail server's catch at /dev/mail/; never in an image.
        "dev_mail": get("GATEWAY_DEV_MAIL", ""),
        "run_as_root": env.get("GATEWAY_RUN_AS_ROOT", str(os.geteuid() == 0)).lower() == "true",
    }


def render(env: dict[str, str]) -> str:
    jinja = Environment(loader=FileSystemLoader(str(HERE)), undefined=StrictUndefined,
                        keep_trailing_newline=True)
    return jinja.get_template("nginx.conf.j2").render(**settings(env))


if __name__ == "__main__":
    Path(sys.argv[1]).write_text(render(dict(os.environ)))
