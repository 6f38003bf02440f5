"""marshmallow schemas of the workload API."""
from marshmallow import Schema, fields, validate

from shared.openapi import Answer, AreaOut
from shared.schemas import BangkokDateTime, NumberAsTyped, single_line


class RoundSchema(Schema):
    fiscal_year = fields.Integer(required=True, validate=validate.Range(2560, 2700),
                                 metadata={"description": "ปีงบประมาณ (พ.ศ.)"})
    opens_at = BangkokDateTime(required=True)
    closes_at = BangkokDateTime(required=True)
    hours_per_day = fields.Float(load_default=7.0, validate=validate.Range(1, 12))
    days_per_year = fields.Integer(load_default=230, validate=validate.Range(100, 366))
    is_open = fields.Boolean(dump_only=True)


class RoundOutSchema(Answer):
    fiscal_year = fields.Integer(required=True)
    opens_at = fields.String(required=True)
    closes_at = fields.String(required=True)
    hours_per_day = fields.Float(required=True)
    days_per_year = fields.Integer(required=True)
    reminder_days = fields.List(fields.Integer(), required=True,
                                metadata={"description": "days before closing the districts behind are reminded"})
    plausibility_factor = fields.Float(required=True, metadata={
        "description": "the plausibility check: how many times off the previous round an answer is flagged"})
    plausibility_floor = fields.Float(required=True, metadata={
        "description": "the plausibility check: hours a year below which, in both years, no jump is flagged"})
    is_open = fields.Boolean(required=True, metadata={"description": "whether recording is open now"})


class RoundCreateSchema(RoundSchema):
    copy_catalog_from = fields.Integer(load_default=None, allow_none=True,
                                       metadata={"description": "fiscal year whose catalog to copy"})


class RoundUpdateSchema(Schema):
    opens_at = BangkokDateTime()
    closes_at = BangkokDateTime()
    hours_per_day = fields.Float(validate=validate.Range(1, 12))
    days_per_year = fields.Integer(validate=validate.Range(100, 366))
    reminder_days = fields.List(fields.Integer(), validate=validate.Length(1, 10),
                                metadata={"description": "days before closing to remind, e.g. [14, 7, 3, 1]"})
    plausibility_factor = fields.Float(validate=validate.Range(min=0, max=1000, min_inclusive=False), metadata={
        "exclusiveMinimum": True,
        "description": "flag an answer more than this many times off the previous round (default 10)"})
    plausibility_floor = fields.Float(validate=validate.Range(min=0, max=100000, min_inclusive=False), metadata={
        "exclusiveMinimum": True,
        "description": "no jump flag when both years are below this many hours a year (default 40)"})
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
    volume = NumberAsTyped(required=True, allow_none=True)
    days = NumberAsTyped(required=True, allow_none=True)
    hours = NumberAsTyped(required=True, allow_none=True)


class AspectSaveSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=0),
                             metadata={"description": "the version read; a newer one on the server refuses the save"})
    answers = fields.List(fields.Nested(AnswerSchema), required=True, validate=validate.Length(max=200))


# What domain.parse_contact takes, said for the document (the domain checks it, with its Thai words per field).
_SEPARATORS = "[\\s\\-().]*"
PHONE_TYPED = (f"^{_SEPARATORS}[0๐]({_SEPARATORS}[0-9๐-๙]){{8,9}}{_SEPARATORS}"
               f"(ต่อ({_SEPARATORS}[0-9๐-๙]){{1,5}}{_SEPARATORS})?$")
MOBILE_TYPED = f"^{_SEPARATORS}[0๐]{_SEPARATORS}[689๖๘๙]({_SEPARATORS}[0-9๐-๙]){{8}}{_SEPARATORS}$"
EMAIL_TYPED = "^\\s*[^@\\s]+@[^@\\s]+\\.[^@\\s]+\\s*$"
SOMETHING = "[^\\s\\u0000-\\u001f]"


class ContactSchema(Schema):
    version = fields.Integer(required=True, validate=validate.Range(min=0))
    office_address = fields.String(required=True, metadata={
        "maxLength": 500, "pattern": f"^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*{SOMETHING}"
                                     f"[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f]*$"})
    office_phone = fields.String(required=True, validate=single_line, metadata={
        "pattern": PHONE_TYPED, "example": "075 611 234 ต่อ 12"})
    person_name = fields.String(required=True, validate=single_line, metadata={
        "maxLength": 200, "pattern": f"^[^\\u0000-\\u001f]*{SOMETHING}[^\\u0000-\\u001f]*$"})
    person_mobile = fields.String(required=True, validate=single_line, metadata={
        "pattern": MOBILE_TYPED, "example": "081 234 5678"})
    person_email = fields.String(required=True, validate=single_line, metadata={
        "pattern": EMAIL_TYPED, "maxLength": 254})
    responsible_districts = fields.List(fields.String(), required=True,
                                        metadata={"description": "DOPA codes of the districts this person covers"})


class CustomRowSchema(Schema):
    id = fields.Integer(dump_only=True)
    detail = fields.String(required=True, validate=single_line)
    unit = fields.String(required=True, validate=single_line)
    volume = NumberAsTyped(required=True)
    days = NumberAsTyped(required=True)
    hours = NumberAsTyped(required=True)


class HistorySchema(Answer):
    at = BangkokDateTime()
    actor = fields.String(metadata={"description": "the username"})
    actor_name = fields.String(attribute="who", metadata={
        "description": "the person's display name (the username on entries older than names were kept)"})
    action = fields.String()
    target = fields.String()
    old_values = fields.Raw()
    new_values = fields.Raw()


class OfficeSchema(Answer):
    level = fields.String(metadata={"description": "district, province or central"})
    name = fields.String()
    province = fields.Nested(AreaOut, allow_none=True)
    district = fields.Nested(AreaOut, allow_none=True)


class MeSchema(Answer):
    username = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    office = fields.Nested(OfficeSchema)


class CorrectionSchema(Schema):
    aspects = fields.List(fields.Integer(validate=validate.Range(1, 8)), required=True,
                          validate=validate.Length(min=1, max=8))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


# --- What the API answers -------------------------------------------------------------------------------------

class QuestionOutSchema(Answer):
    id = fields.Integer(required=True)
    aspect = fields.Integer(required=True)
    code = fields.String(required=True)
    detail = fields.String(required=True)
    unit = fields.String(required=True)
    retired = fields.Boolean(required=True)


class AnswerOutSchema(Answer):
    volume = fields.Integer(required=True)
    days = fields.Integer(required=True)
    hours = fields.Float(required=True)


class RecordQuestionSchema(QuestionOutSchema):
    answer = fields.Nested(AnswerOutSchema, allow_none=True)
    flag = fields.String(allow_none=True, metadata={"description": "why the answer looks implausible, if it does"})


class RecordAspectSchema(Answer):
    number = fields.Integer(required=True)
    title = fields.String(required=True)
    status = fields.String(required=True, metadata={"description": "complete, incomplete or empty"})
    version = fields.Integer(required=True)
    questions = fields.List(fields.Nested(RecordQuestionSchema), required=True)


class ContactOutSchema(Answer):
    office_address = fields.String(required=True)
    office_phone = fields.String(required=True)
    person_name = fields.String(required=True)
    person_mobile = fields.String(required=True)
    person_email = fields.String(required=True)
    responsible_districts = fields.List(fields.String(), required=True)


class CustomRowOutSchema(Answer):
    id = fields.Integer(required=True)
    detail = fields.String(required=True)
    unit = fields.String(required=True)
    volume = fields.Integer(required=True)
    days = fields.Integer(required=True)
    hours = fields.Float(required=True)


class CorrectionOutSchema(Answer):
    aspect = fields.Integer(required=True)
    reason = fields.String(required=True)
    requested_by = fields.String(required=True)
    requested_at = fields.String(allow_none=True)


class RecordSchema(Answer):
    fiscal_year = fields.Integer(required=True)
    district = fields.Nested(AreaOut, required=True)
    writable = fields.Boolean(required=True)
    complete = fields.Boolean(required=True)
    confirmed_at = fields.String(allow_none=True)
    contact = fields.Nested(ContactOutSchema, allow_none=True)
    contact_version = fields.Integer(required=True)
    aspects = fields.List(fields.Nested(RecordAspectSchema), required=True)
    custom_rows = fields.List(fields.Nested(CustomRowOutSchema), required=True)
    corrections = fields.List(fields.Nested(CorrectionOutSchema), required=True)
    previous_contact = fields.Nested(ContactOutSchema, allow_none=True,
                                     metadata={"description": "last round's, to start from"})


class VersionOutSchema(Answer):
    version = fields.Integer(required=True)


class IdSchema(Answer):
    id = fields.Integer(required=True)


class CopiedSchema(Answer):
    copied = fields.Integer(required=True, metadata={"description": "questions copied"})


class ConfirmedSchema(Answer):
    confirmed_at = fields.String(allow_none=True)


class ReturnedSchema(Answer):
    aspects = fields.Integer(required=True, metadata={"description": "aspects returned for correction"})


class ProvinceDistrictSchema(Answer):
    code = fields.String(required=True)
    name = fields.String(required=True)
    aspects = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                          metadata={"description": "aspect number → complete, incomplete or empty"})
    complete = fields.Boolean(required=True)
    confirmed_at = fields.String(allow_none=True)
    contact = fields.Nested(ContactOutSchema, allow_none=True)
    covered_by = fields.List(fields.String(), required=True, metadata={"description": "records that cover it"})
    flagged = fields.Integer(allow_none=True)


class ProvinceStatusSchema(Answer):
    fiscal_year = fields.Integer(required=True)
    province = fields.Nested(AreaOut, required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    districts = fields.List(fields.Nested(ProvinceDistrictSchema), required=True)


class SeasonSchema(Answer):
    fiscal_year = fields.Integer(required=True)
    is_open = fields.Boolean(required=True)
    days_left = fields.Integer(allow_none=True)
    nation = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    provinces = fields.List(fields.Dict(), required=True,
                            metadata={"description": "per province: code, name and its counts per state"})


class WorkbookUpload(Schema):
    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary",
                                                   "description": "the record's workbook (.xlsx, up to 5 MB)"})


class ImportPreviewSchema(Answer):
    id = fields.String(required=True, metadata={"description": "the preview to apply (its uploader only, 30 minutes)"})
    file_name = fields.String(required=True)
    expires_at = fields.String(required=True)
    applied_at = fields.String(allow_none=True)
    changes = fields.Dict(required=True, metadata={
        "description": "per aspect old → new of each changed answer with its plausibility flag (`aspects`), "
                       "`contact` fields, `custom_rows` added / changed / removed, `count` and `summary`"})
    errors = fields.List(fields.Dict(), required=True, metadata={
        "description": "{sheet, cell, message}: Thai, by sheet and cell; a preview with errors cannot be applied"})
