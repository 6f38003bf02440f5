"""The APIs' validation messages are Thai, like every other message of the center."""
from marshmallow import Schema, ValidationError, fields, validate

import shared.web  # noqa: F401  (as every service does, before its schemas)


class Example(Schema):
    name = fields.String(required=True, validate=validate.Length(max=5))
    kind = fields.String(validate=validate.OneOf(["a", "b"]))
    count = fields.Integer(validate=validate.Range(min=1, max=9))
    email = fields.Email()


def test_field_and_validator_messages_are_thai():
    try:
        Example().load({"kind": "c", "count": 0, "email": "x", "extra": 1})
    except ValidationError as error:
        messages = error.messages
    assert messages["name"] == ["กรุณาระบุข้อมูลนี้"]
    assert messages["kind"] == ["ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: a, b"]
    assert messages["count"] == ["ต้องไม่น้อยกว่า 1 และไม่เกิน 9"]
    assert messages["email"] == ["รูปแบบ E-mail ไม่ถูกต้อง"]
    assert messages["extra"] == ["ไม่รู้จักช่องนี้"]
    too_long = Example().validate({"name": "ยาวเกินไปมาก"})
    assert too_long["name"] == ["ยาวเกินกว่า 5"]
