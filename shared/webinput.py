"""shared.inputs applied to every request of every service, before any view, schema or database sees it.

JSON bodies are parsed once within bounds, cleaned, and handed on re-serialised (a WSGI middleware, so that
flask-smorest's parser, request.get_json and anything else read the same cleaned body). Query arguments,
form fields and path values are cleaned in a before_request hook. A refusal answers 400/413/422, a Thai page
or problem+json, and nothing runs.
"""
import io
import json

from flask import Flask, request
from werkzeug.datastructures import ImmutableMultiDict

from shared.errors import ApiProblem
from shared.inputs import InputRefused, clean_pairs, clean_text, load_json

REFUSAL = "dcc.input_refused"
JSON_TYPES = ("application/json", "application/problem+json", "application/merge-patch+json")


class CleanJsonBodies:
    """WSGI middleware: a JSON body larger than `max_bytes` is refused (413), one that shared.inputs refuses
    is replaced by nothing and the refusal noted for the app; any other is passed on cleaned."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    def __call__(self, environ, start_response):
        mimetype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if mimetype in JSON_TYPES or mimetype.endswith("+json"):
            self._clean(environ)
        return self.app(environ, start_response)

    def _clean(self, environ) -> None:
        length = environ.get("CONTENT_LENGTH") or ""
        if length.isdigit() and int(length) > self.max_bytes:
            return  # Flask answers 413 from the length alone
        if length.isdigit():
            body = environ["wsgi.input"].read(int(length))  # never beyond it: a server's stream may not end there
        elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream with the body
            body = environ["wsgi.input"].read(self.max_bytes + 1)
        else:
            return  # no length, no body (PEP 3333)
        if len(body) > self.max_bytes:
            environ[REFUSAL] = InputRefused("body_too_large", status=413)
            body = b""
        elif body:
            try:
                body = json.dumps(load_json(body), ensure_ascii=False, separators=(",", ":")).encode()
            except InputRefused as refused:
                environ[REFUSAL], body = refused, b""
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))


def _refuse(refused: InputRefused, status: int | None = None):
    errors = {refused.field: [refused.message]} if refused.field else None
    raise ApiProblem(status or refused.status, refused.message, code=f"input_{refused.code}", errors=errors)


def clean_request() -> None:
    """before_request: the body's refusal, if any; then path values, query arguments and form fields."""
    if REFUSAL in request.environ:
        _refuse(request.environ[REFUSAL])
    try:
        for name, value in (request.view_args or {}).items():
            if isinstance(value, str):
                clean_text(value, multiline=False, field=name)
    except InputRefused:
        raise ApiProblem(404, "ไม่พบหน้าที่ต้องการ") from None  # no such path
    try:
        request.args = ImmutableMultiDict(clean_pairs(request.args.items(multi=True)))
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            request.form = ImmutableMultiDict(clean_pairs(request.form.items(multi=True)))
    except InputRefused as refused:
        _refuse(refused)


def init_input_discipline(app: Flask) -> None:
    app.wsgi_app = CleanJsonBodies(app.wsgi_app, app.config["MAX_CONTENT_LENGTH"])
    app.before_request_funcs.setdefault(None, []).insert(0, clean_request)  # before identity and CSRF
