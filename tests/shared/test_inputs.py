"""The one input discipline (shared.inputs), and how every service applies it (shared.webinput)."""
import io
import json
from decimal import Decimal

import pytest
from flask import jsonify, request
from flask_smorest import Api, Blueprint
from marshmallow import Schema, fields

from shared.inputs import InputRefused, clean_pairs, clean_text, display_only, load_json, parse_number, spreadsheet_text
from shared.web import api_settings, create_service_app, init_service


@pytest.mark.parametrize("raw, expected", [
    ("ชื่อ\u200bสกุล\ufeff", "ชื่อสกุล"),  # zero-width characters removed
    ("e\u0301", "\u00e9"),  # NFC
    ("บรรทัดหนึ่ง\nบรรทัดสอง\tแท็บ", "บรรทัดหนึ่ง\nบรรทัดสอง\tแท็บ"),
    ("กำ", "กำ"),  # Thai SARA AM stays as typed
])
def test_text_is_normalised_once(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("a\x00b", "control"), ("\x01\x02\x0b\x0c\x1f", "control"), ("a\x7fb", "control"), ("a\x85b", "control"),
    ("a\u2028b", "control"), ("abc\u202egnp.exe", "bidi"), ("\u2066x\u2069", "bidi"), ("\ud800", "unencodable"),
    ("\ufffe", "unencodable"),
])
def test_what_no_field_takes_is_refused(raw, code):
    with pytest.raises(InputRefused) as refused:
        clean_text(raw)
    assert refused.value.code == code and refused.value.message


def test_single_line_fields_refuse_line_breaks():
    with pytest.raises(InputRefused):
        clean_text("a\nb", multiline=False)


@pytest.mark.parametrize("raw, expected", [
    ("1,000", Decimal(1000)), ("๑,๐๐๐", Decimal(1000)), ("1000", Decimal(1000)), ("2.5", Decimal("2.5")),
    ("12,345,678.5", Decimal("12345678.5")), (" 7 ", Decimal(7)), (3, Decimal(3)),
])
def test_one_number_parser(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw, code", [
    ("1,5", "not_number"), ("1.000,5", "not_number"), ("1,0000", "not_number"), ("-1", "not_number"),
    ("1e3", "not_number"), ("nan", "not_number"), ("", "not_number"), ("١٢", "digits"), ("１２", "digits"),
    ("9" * 50, "not_number"),
])
def test_one_number_parser_refuses(raw, code):
    with pytest.raises(InputRefused) as refused:
        parse_number(raw)
    assert refused.value.code == code


@pytest.mark.parametrize("body, status", [
    (b"[" * 900 + b"]" * 900, 400), (b'{"v": ' + b"9" * 5000 + b"}", 422), (b'{"v": NaN}', 400),
    (b'{"v": 1e999}', 422), (b"\xff\xfe", 400), (b'{"v": "a\\u0000b"}', 422), (b"{", 400),
])
def test_json_bodies_are_bounded(body, status):
    with pytest.raises(InputRefused) as refused:
        load_json(body)
    assert refused.value.status == status


def test_a_json_body_comes_back_cleaned_and_nested_within_bounds():
    assert load_json('{"a\u200b": ["x\u200by", {"b": 1.5}]}'.encode()) == {"a": ["xy", {"b": 1.5}]}
    assert load_json(b"[" * 32 + b"]" * 32) is not None
    assert load_json(b'{"s": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')["s"].startswith("[")  # inside a string


@pytest.mark.parametrize("text, shown", [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("ปกติ", "ปกติ"),
])
def test_spreadsheet_text_never_starts_a_formula(text, shown):
    assert spreadsheet_text(text) == shown


class ThingSchema(Schema):
    name = fields.String(required=True)
    version = fields.Integer(required=True)


@pytest.fixture(scope="module")
def client():
    app = create_service_app(__name__, "probe", {**api_settings("probe", "probe"), "TESTING": True})
    api = Api(app)
    blp = Blueprint("probe", __name__, url_prefix="/api/probe")

    @blp.route("/things/<int:thing_id>", methods=["PUT"])
    @blp.arguments(ThingSchema)
    def put_thing(data, thing_id):
        return jsonify(id=thing_id, **data)

    api.register_blueprint(blp)

    @app.post("/probe/form")
    def form():
        return jsonify(q=request.args.get("q"), text=request.form.get("text"))

    @app.get("/probe/<code>/")
    def by_code(code):
        return code

    init_service(app, sessions=lambda token: None)
    return app.test_client()


def test_every_service_takes_json_cleaned_and_bounded(client):
    ok = client.put("/api/probe/things/7", json={"name": "ก\u200bข", "version": "๓"})
    assert ok.status_code == 200 and ok.json == {"id": 7, "name": "กข", "version": 3}
    for body, status in ((b'{"name": "a\\u0000", "version": 1}', 422), (b"[" * 900 + b"]" * 900, 400),
                         (b'{"name": "a", "version": ' + b"9" * 5000 + b"}", 422)):
        refused = client.put("/api/probe/things/7", data=body, content_type="application/json")
        assert refused.status_code == status and refused.mimetype == "application/problem+json", body[:30]
        assert refused.json["detail"]
    too_big = client.put("/api/probe/things/7", json={"name": "x", "version": 18446744073709551616})
    assert too_big.status_code == 422 and too_big.json["detail"] == "ตัวเลขมากเกินไป"
    beyond_integer = client.put("/api/probe/things/7", json={"name": "x", "version": 2**31})
    assert beyond_integer.status_code == 422 and beyond_integer.json["errors"]["version"] == ["ตัวเลขมากเกินไป"]
    arabic = client.put("/api/probe/things/7", json={"name": "x", "version": "٣"})
    assert arabic.status_code == 422


@pytest.mark.parametrize("path", ["/api/probe/things/99999999999999999999999", "/api/probe/things/2147483648",
                                  "/api/probe/things/%D9%A5"])
def test_path_integers_beyond_the_database_are_not_found(client, path):
    response = client.put(path, json={"name": "x", "version": 1})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_forms_query_and_path_values_are_cleaned_too(client):
    ok = client.post("/probe/form?q=a%E2%80%8Bb", data={"text": "บรรทัด\r\nใหม่\u200b"})
    assert ok.json == {"q": "ab", "text": "บรรทัด\r\nใหม่"}
    refused = client.post("/probe/form", data={"text": "a\x00b"})
    assert refused.status_code == 422 and "NUL" in refused.get_data(as_text=True)
    assert client.post("/probe/form?q=%00").status_code == 422
    assert client.get("/probe/%E2%80%AEabc/").status_code == 404


def test_a_body_of_another_type_is_left_alone(client):
    response = client.post("/probe/form", data=json.dumps({"text": "a"}), content_type="text/plain")
    assert response.status_code == 200


def test_a_body_of_strings_that_never_close_is_refused_in_one_pass():
    """A backtracking pattern once took an hour over a megabyte of \\" (quadratic); a linear one takes ms."""
    import time

    body = b"[" + b'\\"' * 500_000
    started = time.monotonic()
    with pytest.raises(InputRefused):
        load_json(body)
    assert time.monotonic() - started < 5


def test_passwords_are_taken_as_typed():
    typed = "ก\u0e48\u0e38\u200bรหัส"  # NFC would reorder the marks; the zero-width space is part of it
    assert load_json(json.dumps({"password": typed, "new_password": typed}).encode()) == {
        "password": typed, "new_password": typed}
    assert clean_pairs([("password", typed), ("username", "a\u200bb")]) == [("password", typed), ("username", "ab")]


def test_a_file_name_is_shown_without_what_text_may_not_hold():
    from werkzeug.datastructures import FileStorage, MultiDict

    from shared.uploads import from_request

    files = MultiDict({"attachment": FileStorage(io.BytesIO(b"%PDF-"), filename="a\x00\u202efdp.pdf\nx")})
    assert from_request(files, "attachment").filename == "afdp.pdf x"
    assert display_only("คำสั่ง\u200b.pdf") == "คำสั่ง.pdf"
