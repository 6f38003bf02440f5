"""One error handler for every service: problem+json under /api/, a Thai page everywhere else."""
import logging

from flask import Flask, Response, json, render_template, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from shared.statuses import THAI_TITLES
from shared.storage import StorageUnavailable

log = logging.getLogger("dcc.errors")

PROBLEM_TYPE = "application/problem+json"



THAI_DETAILS = {
    422: "ข้อมูลที่ส่งมาไม่ถูกต้อง กรุณาตรวจสอบช่องที่ระบุ",
}


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: str | None = None, title: str | None = None,
            errors: dict | None = None, type_: str = "about:blank", **extra) -> Response:
    """An RFC 9457 problem document."""
    body = {"type": type_, "title": title or THAI_TITLES.get(status, "ข้อผิดพลาด"), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_TYPE)


class ApiProblem(HTTPException):
    """Raise to answer with a problem document carrying extra members (e.g. a machine-readable code)."""

    def __init__(self, status: int, detail: str, **extra):
        super().__init__(description=detail)
        self.code = status
        self.extra = extra


def _field_errors(exc: HTTPException) -> dict | None:
    """webargs/smorest put validation messages under data.messages, keyed by location."""
    messages = (getattr(exc, "data", None) or {}).get("messages")
    if not isinstance(messages, dict):
        return None
    flat: dict = {}
    for location_errors in messages.values():
        if isinstance(location_errors, dict):
            flat.update(location_errors)
    return flat or messages


def handle_http_error(exc: HTTPException):
    status = exc.code or 500
    retry_after = getattr(exc, "extra", {}).get("retry_after")
    detail = exc.description if isinstance(exc.description, str) else None
    if detail == type(exc).description:  # Werkzeug's English default text
        detail = THAI_DETAILS.get(status)
    if wants_problem_json():
        extra = {k: v for k, v in getattr(exc, "extra", {}).items() if k != "retry_after"}
        response = problem(status, detail=detail, errors=extra.pop("errors", None) or _field_errors(exc), **extra)
    else:
        page = render_template("errors/error.html", status=status,
                               title=THAI_TITLES.get(status, "ข้อผิดพลาด"), detail=detail)
        response = Response(page, status=status, mimetype="text/html")
    original = exc.get_response().headers
    for header in ("Retry-After", "Allow", "WWW-Authenticate"):
        if header in original:
            response.headers[header] = original[header]
    if retry_after is not None:
        response.headers["Retry-After"] = str(retry_after)
    return response


def register_error_handlers(app: Flask, db=None) -> None:
    app.register_error_handler(HTTPException, handle_http_error)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if db is not None:
            try:
                db.session.rollback()
            except SQLAlchemyError:  # the connection is gone; the pool replaces it
                pass
        if database_unavailable(exc):
            log.warning("database unavailable on %s %s: %s: %s", request.method, request.path,
                        type(getattr(exc, "orig", exc)).__name__, str(getattr(exc, "orig", exc)).strip()[:300])
            return handle_http_error(ApiProblem(503, DATABASE_UNAVAILABLE, code="database_unavailable",
                                                retry_after=5))
        if isinstance(exc, StorageUnavailable):
            log.warning("file storage unavailable on %s %s: %s", request.method, request.path, str(exc)[:300])
            detail = STORAGE_UNAVAILABLE_READ if request.method in ("GET", "HEAD") else STORAGE_UNAVAILABLE
            return handle_http_error(ApiProblem(503, detail, code="storage_unavailable", retry_after=5))
        log.exception("unhandled error on %s %s", request.method, request.path)
        return handle_http_error(InternalServerError())


STORAGE_UNAVAILABLE = ("ระบบจัดเก็บไฟล์ขัดข้องชั่วคราว ข้อมูลและไฟล์ที่ส่งมาครั้งนี้ยังไม่ได้บันทึก "
                       "กรุณาลองใหม่อีกครั้งในอีกสักครู่")
STORAGE_UNAVAILABLE_READ = "ระบบจัดเก็บไฟล์ขัดข้องชั่วคราว ยังเปิดไฟล์นี้ไม่ได้ กรุณาลองใหม่อีกครั้งในอีกสักครู่"
DATABASE_UNAVAILABLE = ("ระบบฐานข้อมูลขัดข้องชั่วคราว ข้อมูลที่ส่งมาครั้งนี้อาจยังไม่ได้บันทึก "
                        "กรุณาตรวจสอบแล้วลองใหม่อีกครั้งในอีกสักครู่")


# SQLSTATEs that say the server went or is going away, not that the request was wrong: connection exceptions
# (class 08, PgBouncer's query_wait_timeout among them), shutdowns, too many connections.
UNAVAILABLE_STATES = ("08", "57P01", "57P02", "57P03", "53300")


def database_unavailable(exc: Exception) -> bool:
    """The database could not be reached or dropped the connection (a restart, a failover, a cut): nothing of
    the request was committed, and the same request may well succeed in a moment. Not a bug: 503. A bug that
    happens to be an OperationalError (no such table, a statement too large) stays a 500."""
    if isinstance(exc, PoolTimeout) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return True
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    state = getattr(exc.orig, "sqlstate", None)
    if state:
        return state.startswith(UNAVAILABLE_STATES)
    if type(exc.orig).__module__.startswith("sqlite3"):
        return "database is locked" in str(exc.orig)
    return True  # psycopg could not connect at all: no server answered to give a state
