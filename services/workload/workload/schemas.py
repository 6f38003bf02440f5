"""marshmallow schemas of the workload API."""
from marshmallow import Schema, fields, validate

from shared.schemas import BangkokDateTime, single_line


class RoundSchema(Schema):
    fiscal_year = fields.Integer(required=True, validate=validate.Range(2560, 2700),
                                 metadata={"description": "ปีงบประมาณ (พ.ศ.)"})
    opens_at = BangkokDateTime(required=True)
    closes_at = BangkokDateTime(required=True)
    hours_per_day = fields.Float(load_default=7.0, validate=validate.Range(1, 12))
    days_per_year = fields.Integer(load_default=230, validate=validate.Range(100, 366))
    is_open = fields.Boolean(dump_only=True)


class RoundCreateSchema(RoundSchema):
    copy_catalog_from = fields.Integer(load_default=None, allow_none=True,
                                       metadata={"description": "fiscal year whose catalog to copy"})


class RoundUpdateSchema(Schema):
    opens_at = BangkokDateTime()
    closes_at = BangkokDateTime()
    hours_per_day = fields.Float(validate=validate.Range(1, 12))
    days_per_year = fields.Integer(validate=validate.Range(100, 366))
    action = fields.String(validate=validate.OneOf(["open_now", "close_now"]),
                           metadata={"description": "open the window early, or close it now"})


class QuestionSchema(Schema):
    id = fields.Integer(dump_only=True)
    aspect = fields.Integer(required=True, validate=validate.Range(1, 8))
    code = fields.String(required=True, validate=validate.Length(1, 16))
    detail = fields.String(required=True, validate=validate.Length(1, 500))
    unit = fields.String(required=True, validate=validate.Length(1, 50))
    retired = fields.Boolean(dump_only=True)


class QuestionUpdateSchema(Schema):
    code = fields.String(validate=validate.Length(1, 16))
    detail = fields.String(validate=validate.Length(1, 500))
    unit = fields.String(validate=validate.Length(1, 50))
    retired = fields.Boolean()


class CatalogCopySchema(Schema):
    from_year = fields.Integer(required=True)


class AnswerSchema(Schema):
    """Raw numbers as typed; the domain validates them so that pages and API give the same messages."""
    question_id = fields.Integer(required=True)
    volume = fields.Raw(required=True, allow_none=True)
    days = fields.Raw(required=True, allow_none=True)
    hours = fields.Raw(required=True, allow_none=True)


class AspectSaveSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=0),
                             metadata={"description": "the version read; a newer one on the server refuses the save"})
    answers = fields.List(fields.Nested(AnswerSchema), required=True, validate=validate.Length(max=200))


class ContactSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=0))
    office_address = fields.String(required=True)
    office_phone = fields.String(required=True, validate=single_line)
    person_name = fields.String(required=True, validate=single_line)
    person_mobile = fields.String(required=True, validate=single_line)
    person_email = fields.String(required=True, validate=single_line)
    responsible_districts = fields.List(fields.String(), required=True,
                                        metadata={"description": "DOPA codes of the districts this person covers"})


class CustomRowSchema(Schema):
    id = fields.Integer(dump_only=True)
    detail = fields.String(required=True, validate=single_line)
    unit = fields.String(required=True, validate=single_line)
    volume = fields.Raw(required=True)
    days = fields.Raw(required=True)
    hours = fields.Raw(required=True)


class VersionSchema(Schema):
    version = fields.Integer()


class HistorySchema(Schema):
    at = BangkokDateTime()
    actor = fields.String()
    action = fields.String()
    target = fields.String()
    old_values = fields.Raw()
    new_values = fields.Raw()


class AreaSchema(Schema):
    code = fields.String()
    name = fields.String()


class OfficeSchema(Schema):
    level = fields.String(metadata={"description": "district, province or central"})
    name = fields.String()
    province = fields.Nested(AreaSchema, allow_none=True)
    district = fields.Nested(AreaSchema, allow_none=True)


class MeSchema(Schema):
    username = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    office = fields.Nested(OfficeSchema)


class CorrectionSchema(Schema):
    aspects = fields.List(fields.Integer(validate=validate.Range(1, 8)), required=True,
                          validate=validate.Length(min=1, max=8))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
