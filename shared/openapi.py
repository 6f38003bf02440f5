"""flask-smorest's Api as every service uses it: every error documented as what it is, RFC 9457 problem+json
(shared/errors.py), never flask-smorest's default `Error` JSON. Each operation's "default" response is that
problem, so a client generated from the document knows the shape of any refusal."""
import http

import flask_smorest
from flask_smorest.utils import prepare_response
from marshmallow import INCLUDE, Schema, fields

from shared.errors import PROBLEM_TYPE
from shared.inputs import SAFE_INTEGER
from shared.schemas import NumberAsTyped, single_line

# What shared.inputs lets through, as JSON Schema patterns (ECMA-262): no control or bidi characters, and for
# one-line fields no line break or tab either. A request the document calls valid is then not refused for it.
# (Lone surrogates, which JSON and UTF-8 cannot carry anyway, are left out: Rust-based validators reject the range.)
TEXT = ("^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"
        "\\u061c\\u200e\\u200f\\ufffe\\uffff]*$")
ONE_LINE = TEXT.replace("\\u0008", "\\u0008\\u0009\\u000a").replace("\\u000c", "\\u000c\\u000d")


# shared.inputs.NUMBER, with Thai digits and the spaces around it; empty for blank.
NUMBER_TEXT = "^\\s*(([0-9๐-๙]{1,3}(,[0-9๐-๙]{3})+|[0-9๐-๙]+)(\\.[0-9๐-๙]+)?)?\\s*$"


class Answer(Schema):
    """A schema of what an API answers (dumped, never loaded): the input discipline's patterns are not its."""


class AreaOut(Answer):
    """A province or district: its DOPA code and Thai name."""
    code = fields.String(required=True)
    name = fields.String(required=True)


class FileOut(Answer):
    """An attached file as the APIs name it."""
    url = fields.String(required=True)
    name = fields.String(required=True)
    size = fields.Integer(required=True, metadata={"description": "bytes"})


def _input_discipline(_converter, field, ret: dict, **_kwargs) -> dict:
    """What shared.inputs and shared.schemas accept, said in the document: text without control or bidi
    characters, integers within PostgreSQL's integer."""
    if isinstance(field.root, Answer):
        return {}
    if isinstance(field, fields.String) and "pattern" not in ret and "enum" not in ret and "format" not in ret:
        return {"pattern": ONE_LINE if single_line in field.validators else TEXT}
    if isinstance(field, NumberAsTyped):
        typed = {"type": "string", "maxLength": 40, "pattern": NUMBER_TEXT}
        return {"oneOf": [typed, {"type": "number", "minimum": 0}]}
    if isinstance(field, fields.Integer):
        return {"minimum": max(ret.get("minimum", -SAFE_INTEGER), -SAFE_INTEGER),
                "maximum": min(ret.get("maximum", SAFE_INTEGER), SAFE_INTEGER)}
    return {}


class ProblemSchema(Schema):
    """A refusal or an error (RFC 9457), in Thai. Some carry more members (e.g. `hint`)."""

    class Meta:
        unknown = INCLUDE

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"description": "what happened, in Thai"})
    status = fields.Integer(required=True, metadata={"description": "the HTTP status"})
    detail = fields.String(metadata={"description": "what to do, in Thai"})
    code = fields.String(metadata={"description": "a machine-readable reason, e.g. stale, throttled, input_control"})
    errors = fields.Dict(keys=fields.String(), metadata={
        "description": "per field, its messages (a list of Thai texts) or a code"})
    hint = fields.String(metadata={"description": "what the user can do next, in Thai"})


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema

    def init_app(self, app, *args, **kwargs):
        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(_input_discipline)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "a problem document (RFC 9457) in Thai", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)
