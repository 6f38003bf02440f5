"""marshmallow schemas of the directory API: what the public sees and what signed-in staff see (PDPA)."""
from marshmallow import Schema, fields, validate

from shared.schemas import BangkokDateTime


class PlaceSchema(Schema):
    code = fields.String(metadata={"description": "DOPA code"})
    name_th = fields.String()


class ProvinceSchema(PlaceSchema):
    name_en = fields.String()
    district_count = fields.Integer()
    covered_district_count = fields.Integer(metadata={"description": "districts with an assigned officer"})


class OfficerSchema(Schema):
    """What anyone may see: the office's contact, never the person's own."""
    id = fields.String(attribute="dla_id", metadata={"description": "DLA Connect's personnel id"})
    full_name = fields.String()
    position = fields.String()
    office = fields.Method("_office")
    districts = fields.Method("_districts", metadata={"description": "districts assigned"})
    province = fields.Method("_province")
    office_phone = fields.String(allow_none=True)
    office_email = fields.String(allow_none=True)
    photo_url = fields.String(allow_none=True)
    updated_at = BangkokDateTime(attribute="upstream_updated_at",
                                 metadata={"description": "when the record last changed in DLA Connect"})

    def _office(self, officer):
        return {"district_code": officer.office_district_code, "name": officer.office_name}

    def _districts(self, officer):
        return [{"code": c, "name_th": n} for c, n in zip(officer.district_codes, officer.district_names)]

    def _province(self, officer):
        from shared import geography

        return {"code": officer.province_code, "name_th": geography.province(officer.province_code).name_th}


class StaffOfficerSchema(OfficerSchema):
    """Signed-in staff also see how to reach the person."""
    mobile_phone = fields.String(allow_none=True)
    personal_email = fields.String(allow_none=True)


class DistrictOfficersSchema(PlaceSchema):
    officers = fields.List(fields.Nested(OfficerSchema))


class ProvinceDetailSchema(PlaceSchema):
    name_en = fields.String()
    last_synced_at = BangkokDateTime(allow_none=True)
    districts = fields.List(fields.Nested(DistrictOfficersSchema))


class StatusSchema(Schema):
    last_synced_at = BangkokDateTime(allow_none=True)
    active_officers = fields.Integer()
    source = fields.String()
    note = fields.String()


class SearchArgsSchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=1, max=100),
                      metadata={"description": "name, district or province in Thai; อ./อำเภอ/จ./จังหวัด "
                                               "and spaces are ignored"})
    province = fields.String(validate=validate.Regexp(r"^\d{2}$"), metadata={"description": "limit to one province"})


class SearchResultSchema(Schema):
    query = fields.String()
    officers = fields.List(fields.Nested(OfficerSchema))


class SyncRunSchema(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "running, succeeded, failed or busy"})
    trigger = fields.String()
    started_by = fields.String()
    started_at = BangkokDateTime()
    finished_at = BangkokDateTime(allow_none=True)
    fetched = fields.Integer()
    added = fields.Integer()
    changed = fields.Integer()
    removed = fields.Integer()
    rejected = fields.Integer()
    error_code = fields.String(allow_none=True)
    error_detail = fields.Dict(allow_none=True,
                               metadata={"description": "what failed: the page, the records and their errors"})


class ChangeSchema(Schema):
    """One line of the registry's history: what a sync added, changed or removed."""
    id = fields.String(attribute="dla_id")
    action = fields.String(metadata={"description": "added, changed or removed"})
    old_values = fields.Dict(allow_none=True)
    new_values = fields.Dict(allow_none=True)
