"""marshmallow pieces every service's API uses the same way."""
import re
from datetime import timezone

from marshmallow import ValidationError, fields

from shared.inputs import MESSAGES, SAFE_INTEGER, ascii_digits
from shared.thai import BANGKOK, parse_datetime, to_bangkok


def single_line(value: str) -> None:
    """A validator for names, units, titles, phone numbers: text of one line (shared.inputs leaves line breaks
    and tabs in text, for the fields that are multi-line)."""
    if any(c in value for c in "\r\n\t"):
        raise ValidationError(MESSAGES["single_line"])


class NumberAsTyped(fields.Field):
    """A number as a person types it — text of ASCII or Thai digits, ',' between groups of three, '.' the decimal
    point — or a JSON number; null or "" for blank. The domain reads it with shared.inputs.parse_number, so that the
    API and the pages refuse the same things with the same words."""
    default_error_messages = {"invalid": "ต้องเป็นตัวเลข หรือข้อความตัวเลข"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise self.make_error("invalid")
        return value


class BangkokDateTime(fields.AwareDateTime):
    """ISO 8601 out; in, ISO 8601 or the B.E. date and time the pages show (`1/12/2569 09:00`, Thai digits too);
    stored as naive UTC. Input without an offset is read as Bangkok time."""

    default_error_messages = {"invalid": "รูปแบบวันที่และเวลาไม่ถูกต้อง (ISO 8601 หรือ วัน/เดือน/ปี พ.ศ. ชั่วโมง:นาที เช่น "
                                         "1/12/2569 09:00)"}

    def __init__(self, **kwargs):
        super().__init__(default_timezone=BANGKOK, **kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else to_bangkok(value).isoformat()

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and "/" in value:
            aware = parse_datetime(value)
            if aware is None:
                raise self.make_error("invalid", input=value, obj_type=self.OBJ_TYPE)
        else:
            aware = super()._deserialize(value, attr, data, **kwargs)
        return aware.astimezone(timezone.utc).replace(tzinfo=None)


def _thai_validation_messages() -> None:
    """marshmallow's field and validator messages in Thai, for every API's problem documents.

    Fields copy these when a schema class is defined, so this runs when shared.schemas is first
    imported: shared.web imports it before any service defines a schema.
    """
    from marshmallow import Schema, validate

    fields.Field.default_error_messages.update(
        required="กรุณาระบุข้อมูลนี้", null="ต้องไม่เป็นค่าว่าง", validator_failed="ค่าไม่ถูกต้อง")
    fields.String.default_error_messages.update(invalid="ต้องเป็นข้อความ", invalid_utf8="ข้อความต้องเป็น UTF-8")
    fields.Integer.default_error_messages.update(invalid="ต้องเป็นจำนวนเต็ม")
    fields.Number.default_error_messages.update(invalid="ต้องเป็นตัวเลข", too_large="ตัวเลขมากเกินไป")
    fields.Float.default_error_messages.update(special="ต้องเป็นตัวเลขปกติ")
    fields.Boolean.default_error_messages.update(invalid="ต้องเป็น true หรือ false")
    fields.Date.default_error_messages.update(invalid="ต้องเป็นวันที่ในรูปแบบ YYYY-MM-DD")
    fields._TemporalField.default_error_messages.update(  # DateTime and its kin
        invalid="รูปแบบวันที่และเวลาไม่ถูกต้อง (ISO 8601)", invalid_awareness="รูปแบบวันที่และเวลาไม่ถูกต้อง (ISO 8601)")
    fields.Email.default_error_messages.update(invalid="รูปแบบ E-mail ไม่ถูกต้อง")
    fields.Url.default_error_messages.update(invalid="รูปแบบ URL ไม่ถูกต้อง")
    fields.List.default_error_messages.update(invalid="ต้องเป็นรายการ")
    fields.Nested.default_error_messages.update(type="รูปแบบข้อมูลไม่ถูกต้อง")
    Schema._default_error_messages.update(type="รูปแบบข้อมูลไม่ถูกต้อง", unknown="ไม่รู้จักช่องนี้")
    validate.Length.message_min = "ต้องมีความยาวอย่างน้อย {min}"
    validate.Length.message_max = "ยาวเกินกว่า {max}"
    validate.Length.message_all = "ต้องมีความยาว {min} ถึง {max}"
    validate.Length.message_equal = "ต้องมีความยาว {equal}"
    validate.OneOf.default_message = "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {choices}"
    validate.Range.message_gt, validate.Range.message_gte = "มากกว่า", "ไม่น้อยกว่า"
    validate.Range.message_lt, validate.Range.message_lte = "น้อยกว่า", "ไม่เกิน"
    validate.Range.message_min = "ต้อง{min_op} {{min}}"
    validate.Range.message_max = "ต้อง{max_op} {{max}}"
    validate.Range.message_all = "ต้อง{min_op} {{min}} และ{max_op} {{max}}"
    validate.Email.default_message = "รูปแบบ E-mail ไม่ถูกต้อง"
    validate.URL.default_message = "รูปแบบ URL ไม่ถูกต้อง"
    validate.Regexp.default_message = "รูปแบบไม่ถูกต้อง"


_thai_validation_messages()


def _bounded_integers() -> None:
    """Every Integer (and Float) field of every API, the input discipline of shared.inputs: ASCII or Thai digits only
    (Python's int() also reads Arabic-Indic and full-width ones), and no more than the database's integer
    holds, so that a version of 2^64 is a 422, not a database error. Set here for the same reason as the
    messages: no schema can forget it."""
    original = fields.Integer._validated

    def _validated(self, value):
        if isinstance(value, str):
            value = ascii_digits(value.strip())
            if not re.fullmatch(r"[+-]?[0-9]{1,18}", value):
                raise self.make_error("invalid")
        number = original(self, value)
        if number is not None and not -SAFE_INTEGER <= number <= SAFE_INTEGER:
            raise self.make_error("too_large")
        return number

    fields.Integer._validated = _validated
    original_float = fields.Float._validated

    def _float_validated(self, value):
        if isinstance(value, str):
            value = ascii_digits(value.strip())
            if not re.fullmatch(r"[+-]?[0-9]{1,18}(\.[0-9]{1,18})?", value):
                raise self.make_error("invalid")
        return original_float(self, value)

    fields.Float._validated = _float_validated


_bounded_integers()
