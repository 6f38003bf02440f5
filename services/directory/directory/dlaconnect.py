"""The client of DLA Connect, the department's HR system (contract: docs/dlaconnect.md).

It fetches the whole list of ผอ.กง.ทอ. page by page and validates every record; it either returns
the complete, valid snapshot or raises DlaConnectError saying what failed and which records.
"""
import logging
import time
from datetime import timezone

import requests
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from directory.domain import OfficerData, duplicate_ids
from shared import geography

log = logging.getLogger("dcc.directory.dlaconnect")

PATH = "/v1/district-officers"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_PAGES = 1000  # a runaway total_pages must not keep the sync going


class DlaConnectError(Exception):
    """code: not_configured, unreachable, http_error, bad_page, invalid_records, duplicate_ids,
    inconsistent, deadline."""

    def __init__(self, code: str, message: str, **detail):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.detail = detail


# --- Record validation ----------------------------------------------------------------------------

REQUIRED = {"required": "ไม่มีข้อมูล", "null": "ไม่มีข้อมูล"}
PHONE = validate.Regexp(r"^0[0-9 \-]{7,14}[0-9]( ต่อ [0-9]{1,5})?$", error="รูปแบบหมายเลขโทรศัพท์ไม่ถูกต้อง")


def _known_district(code: str) -> None:
    if geography.district(code) is None:
        raise ValidationError("ไม่พบรหัสอำเภอนี้ในทะเบียนอำเภอ")


def _text(max_length: int, required: bool = True) -> fields.String:
    length = validate.Length(min=1 if required else 0, max=max_length, error="ความยาวไม่ถูกต้อง")
    if required:
        return fields.String(required=True, validate=length, error_messages=REQUIRED)
    return fields.String(load_default=None, allow_none=True, validate=length)


class RecordSchema(Schema):
    """One personnel record. Unknown fields are ignored: DLA Connect may add some without notice."""

    class Meta:
        unknown = EXCLUDE

    id = fields.String(required=True, error_messages=REQUIRED,
                       validate=validate.Regexp(r"^[A-Za-z0-9_-]{1,40}$", error="รหัสบุคลากรไม่ถูกต้อง"))
    title = _text(40, required=False)
    first_name = _text(80)
    last_name = _text(120)
    position = _text(200)
    office_district_code = fields.String(required=True, validate=_known_district, error_messages=REQUIRED)
    assigned_district_codes = fields.List(
        fields.String(validate=_known_district), required=True, error_messages=REQUIRED,
        validate=validate.Length(min=1, max=30, error="ต้องมีอำเภอที่ได้รับมอบหมายอย่างน้อย 1 อำเภอ"))
    office_phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    mobile_phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    office_email = fields.Email(load_default=None, allow_none=True, error_messages={"invalid": "รูปแบบ E-mail ไม่ถูกต้อง"})
    personal_email = fields.Email(load_default=None, allow_none=True,
                                  error_messages={"invalid": "รูปแบบ E-mail ไม่ถูกต้อง"})
    photo_url = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"},
                           error_messages={"invalid": "ที่อยู่รูปภาพไม่ถูกต้อง"})
    status = fields.String(required=True, error_messages=REQUIRED,
                           validate=validate.OneOf(["active", "ended"], error="สถานะต้องเป็น active หรือ ended"))
    updated_at = fields.AwareDateTime(required=True, error_messages={**REQUIRED, "invalid": "วันเวลาไม่ถูกต้อง",
                                                                      "invalid_awareness": "ต้องระบุเขตเวลา"})

    @validates_schema
    def _same_province(self, data, **_kwargs):
        office = data.get("office_district_code", "")
        others = [c for c in data.get("assigned_district_codes", []) if c[:2] != office[:2]]
        if office and others:
            raise ValidationError("อำเภอที่ได้รับมอบหมายต้องอยู่ในจังหวัดเดียวกับสำนักงาน", "assigned_district_codes")


class PageSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    data = fields.List(fields.Raw(), required=True)
    meta = fields.Dict(required=True)


def to_officer(record: dict) -> OfficerData:
    codes = sorted(set(record["assigned_district_codes"]))  # sorted as stored, so that only real changes differ
    name = f"{record.get('title') or ''}{record['first_name'].strip()} {record['last_name'].strip()}"
    return OfficerData(
        dla_id=record["id"], full_name=name.strip(), position=record["position"].strip(),
        office_district_code=record["office_district_code"], district_codes=tuple(codes),
        upstream_updated_at=record["updated_at"].astimezone(timezone.utc).replace(tzinfo=None),
        office_phone=record["office_phone"], office_email=record["office_email"],
        mobile_phone=record["mobile_phone"], personal_email=record["personal_email"],
        photo_url=record["photo_url"], active=record["status"] == "active")


# --- The client -----------------------------------------------------------------------------------

class DlaConnectClient:
    def __init__(self, base_url: str, token: str | None = None, page_size: int = 200, timeout: float = 10,
                 retries: int = 3, backoff: float = 0.5, deadline: float = 20,
                 session: requests.Session | None = None, sleep=time.sleep):
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        # (connect, read): a host that does not answer fails fast; a slow page gets the full read timeout.
        self.timeout = (min(3.05, timeout), timeout)
        self.retries = retries
        self.backoff = backoff
        self.deadline = deadline
        self.session = session or requests.Session()
        self.session.headers.update({"Accept": "application/json", "User-Agent": "dla-dcc-directory/1"})
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"
        self.sleep = sleep

    @classmethod
    def from_config(cls, config) -> "DlaConnectClient":
        return cls(config["DLACONNECT_URL"], config.get("DLACONNECT_TOKEN"), config["DLACONNECT_PAGE_SIZE"],
                   config["DLACONNECT_TIMEOUT"], config["DLACONNECT_RETRIES"],
                   deadline=config["DLACONNECT_DEADLINE"])

    def close(self) -> None:
        self.session.close()

    def fetch_all(self) -> list[OfficerData]:
        """Every record of every page, validated; DlaConnectError if anything at all is wrong."""
        if not self.base_url:
            raise DlaConnectError("not_configured", "ยังไม่ได้กำหนดที่อยู่ของ DLA Connect (DIRECTORY_DLACONNECT_URL)")
        started = time.monotonic()
        first = self.page(1, started)
        total, total_pages = first["total"], first["total_pages"]
        pages = [first]
        for number in range(2, total_pages + 1):
            page = self.page(number, started)
            if (page["total"], page["total_pages"]) != (total, total_pages):
                # The list changed while we read it: pages may have shifted, a record may be missed.
                raise DlaConnectError("inconsistent", "รายการเปลี่ยนระหว่างการดึงข้อมูล", page=number)
            pages.append(page)
        raw = [(p["number"], index, item) for p in pages for index, item in enumerate(p["data"])]
        if len(raw) != total:
            raise DlaConnectError("inconsistent", f"ได้รับ {len(raw)} รายการ แต่ DLA Connect แจ้งว่ามี {total} รายการ",
                                  received=len(raw), total=total)
        return self._validate(raw)

    def _validate(self, raw: list[tuple[int, int, object]]) -> list[OfficerData]:
        schema, officers, rejected = RecordSchema(), [], []
        for page, index, item in raw:
            try:
                if not isinstance(item, dict):
                    raise ValidationError({"_schema": ["รายการไม่ใช่ออบเจกต์ JSON"]})
                officers.append(to_officer(schema.load(item)))
            except ValidationError as error:
                dla_id = item.get("id") if isinstance(item, dict) else None
                rejected.append({"page": page, "index": index, "id": dla_id if isinstance(dla_id, str) else None,
                                 "errors": error.messages})
        if rejected:
            raise DlaConnectError("invalid_records", f"ข้อมูลไม่ถูกต้อง {len(rejected)} รายการ", records=rejected[:50],
                                  rejected=len(rejected))
        duplicates = duplicate_ids([o.dla_id for o in officers])
        if duplicates:
            raise DlaConnectError("duplicate_ids", f"รหัสบุคลากรซ้ำ {len(duplicates)} รหัส", ids=duplicates[:50],
                                  rejected=len(duplicates))
        return officers

    def page(self, number: int, started: float) -> dict:
        """One page, retried with exponential back-off on connection errors, timeouts and 5xx/429."""
        url = f"{self.base_url}{PATH}"
        params = {"page": number, "per_page": self.page_size}
        attempt = 0
        while True:
            if time.monotonic() - started > self.deadline:
                raise DlaConnectError("deadline", f"ดึงข้อมูลไม่เสร็จภายใน {self.deadline:g} วินาที", page=number)
            try:
                response = self.session.get(url, params=params, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                failure = DlaConnectError("unreachable", f"ติดต่อ DLA Connect ไม่ได้ ({type(exc).__name__})",
                                          page=number, attempts=attempt + 1)
            else:
                if response.status_code == 200:
                    return self._parse_page(response, number)
                failure = DlaConnectError("http_error", f"DLA Connect ตอบกลับ HTTP {response.status_code}",
                                          page=number, status=response.status_code, attempts=attempt + 1)
                if response.status_code not in RETRY_STATUSES:
                    raise failure
            if attempt >= self.retries:
                raise failure
            delay = self.backoff * 2 ** attempt
            log.warning("DLA Connect page %s failed (%s); retry %s in %.1f s",
                        number, failure.message, attempt + 1, delay)
            self.sleep(delay)
            attempt += 1

    def _parse_page(self, response: requests.Response, number: int) -> dict:
        try:
            body = PageSchema().load(response.json())
            meta = body["meta"]
            total, total_pages = int(meta["total"]), int(meta["total_pages"])
            if total < 0 or not 1 <= total_pages <= MAX_PAGES or int(meta["page"]) != number:
                raise ValueError("meta out of range")
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            # requests' JSONDecodeError is a ValueError: a truncated or garbled page lands here too.
            raise DlaConnectError("bad_page", f"หน้าที่ {number} ไม่อยู่ในรูปแบบที่ตกลงไว้", page=number,
                                  reason=type(exc).__name__) from exc
        return {"number": number, "data": body["data"], "total": total, "total_pages": total_pages}
