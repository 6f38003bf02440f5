"""One error handler for every service: problem+json under /api/, a Thai page everywhere else."""
import logging

from flask import Flask, Response, json, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger("dcc.errors")

PROBLEM_TYPE = "application/problem+json"

THAI_TITLES = {
    400: "คำขอไม่ถูกต้อง",
    401: "กรุณาเข้าสู่ระบบ",
    403: "ไม่มีสิทธิ์ดำเนินการนี้",
    404: "ไม่พบหน้าที่ต้องการ",
    405: "ไม่รองรับวิธีการเรียกนี้",
    409: "ข้อมูลขัดแย้งกับสถานะปัจจุบัน",
    413: "ไฟล์หรือข้อมูลมีขนาดใหญ่เกินกำหนด",
    415: "ไม่รองรับรูปแบบข้อมูลนี้",
    422: "ข้อมูลไม่ถูกต้อง",
    423: "ปิดการบันทึกข้อมูลแล้ว",
    429: "มีการเรียกใช้บ่อยเกินไป กรุณารอสักครู่",
    500: "ระบบขัดข้อง กรุณาลองใหม่อีกครั้ง",
    502: "ระบบที่เกี่ยวข้องไม่ตอบสนอง",
    503: "ระบบไม่พร้อมให้บริการชั่วคราว",
}


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
    detail = exc.description if isinstance(exc.description, str) else None
    if detail == type(exc).description:  # Werkzeug's English default text
        detail = THAI_DETAILS.get(status)
    if wants_problem_json():
        extra = dict(getattr(exc, "extra", {}))
        response = problem(status, detail=detail, errors=extra.pop("errors", None) or _field_errors(exc), **extra)
    else:
        page = render_template("errors/error.html", status=status,
                               title=THAI_TITLES.get(status, "ข้อผิดพลาด"), detail=detail)
        response = Response(page, status=status, mimetype="text/html")
    original = exc.get_response().headers
    for header in ("Retry-After", "Allow", "WWW-Authenticate"):
        if header in original:
            response.headers[header] = original[header]
    return response


def register_error_handlers(app: Flask, db=None) -> None:
    app.register_error_handler(HTTPException, handle_http_error)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        if db is not None:
            db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return handle_http_error(InternalServerError())
