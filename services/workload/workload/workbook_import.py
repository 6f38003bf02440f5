"""An uploaded workbook read back (README "The Excel round-trip"): the container checked before openpyxl
opens it (size, zip directory, macros, encryption), then every cell read as a value, never evaluated; a
formula is refused with its address. What the cells mean is checked in imports.py by the form's rules."""
import io
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from shared.inputs import InputRefused, clean_text
from workload import domain
from workload.domain import WorkloadError
from workload.workbook_export import (
    CONTACT_FIELDS,
    CONTACT_SHEET,
    CUSTOM_SHEET,
    FIRST_ROW,
    FORMAT,
    META_SHEET,
    NOT_DONE,
    aspect_sheet_name,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # a full record is under 1 MB unpacked; a zip bomb is far beyond
MAX_MEMBERS = 200
MAX_ROWS = 2000  # per sheet: a record has some 30 questions an aspect
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an encrypted workbook (or an old .xls) is an OLE container


@dataclass
class Parsed:
    """What the cells say, as text or numbers still to be checked; `errors` lists (sheet, cell, message)."""
    meta: dict[str, str]
    aspects: dict[int, dict[str, tuple[int, tuple]]] = field(default_factory=dict)  # code → (row, raw answer)
    contact: dict[str, str] = field(default_factory=dict)
    custom: list[tuple[int, object, dict]] = field(default_factory=list)  # (row, number or None, raw values)
    errors: list[dict] = field(default_factory=list)

    def error(self, sheet: str, row: int, column: int, label: str, message: str) -> None:
        cell = f"{get_column_letter(column)}{row}"
        self.errors.append({"sheet": sheet, "cell": cell, "message": f"{sheet} แถว {row} {label} ({cell}): {message}"})


def check_container(data: bytes) -> None:
    """Refuse what is not a plain .xlsx before any parser reads it (WorkloadError)."""
    if len(data) > MAX_BYTES:
        raise WorkloadError("xlsx_too_large")
    if data.startswith(OLE_MAGIC):
        raise WorkloadError("xlsx_encrypted")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise WorkloadError("xlsx_type") from None
    names = {member.filename for member in members}
    if len(members) > MAX_MEMBERS or sum(member.file_size for member in members) > MAX_UNCOMPRESSED:
        raise WorkloadError("xlsx_bomb")
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise WorkloadError("xlsx_type")
    if any(name.lower().endswith("vbaproject.bin") for name in names) or \
            b"macroEnabled" in archive.read("[Content_Types].xml"):
        raise WorkloadError("xlsx_macro")


def _value(cell) -> object:
    """A cell's value as the form would have received it: numbers as their text, text cleaned."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return clean_text(value)
    return str(value)  # a date or time where a number belongs: the number parser refuses it


class _Sheet:
    """A sheet's rows as values; a formula cell is an error at its address and reads as blank."""

    def __init__(self, parsed: Parsed, sheet, name: str):
        self.parsed, self.name = parsed, name
        self.rows = list(sheet.iter_rows(max_row=MAX_ROWS, max_col=8))

    def values(self, row_index: int, labels: dict[int, str]) -> dict[int, object]:
        found = {}
        row = self.rows[row_index - 1] if row_index <= len(self.rows) else ()
        for column, cell in enumerate(row, start=1):
            if getattr(cell, "data_type", None) == "f":
                self.parsed.error(self.name, row_index, column, labels.get(column, ""),
                                  "มีสูตรคำนวณ ระบบรับเฉพาะค่าที่กรอก (ให้วางแบบค่าแทนสูตร)")
                continue
            try:
                found[column] = _value(cell)
            except InputRefused as refused:
                self.parsed.error(self.name, row_index, column, labels.get(column, ""), refused.message)
        return found


def read(data: bytes) -> Parsed:
    """The workbook's cells, after check_container. WorkloadError("xlsx_not_ours") for a workbook that is not
    a form of this system (its hidden sheet missing)."""
    check_container(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise WorkloadError("xlsx_type") from None
    try:
        return _read(workbook)
    finally:
        workbook.close()


def _read(workbook) -> Parsed:
    if META_SHEET not in workbook.sheetnames:
        raise WorkloadError("xlsx_not_ours")
    meta = {str(row[0].value): row[1].value for row in workbook[META_SHEET].iter_rows(max_col=2, max_row=MAX_ROWS)
            if len(row) > 1 and row[0].value is not None}
    if meta.get("format") != FORMAT:
        raise WorkloadError("xlsx_not_ours")
    parsed = Parsed(meta={key: str(value) for key, value in meta.items()})
    labels = {4: "ปริมาณงาน", 5: "จำนวนวัน", 6: "จำนวนชั่วโมง", 7: NOT_DONE}
    for number in domain.ASPECTS:
        name = aspect_sheet_name(number)
        if name not in workbook.sheetnames:
            raise WorkloadError("xlsx_not_ours")
        sheet = _Sheet(parsed, workbook[name], name)
        parsed.aspects[number] = {}
        for row in range(FIRST_ROW, len(sheet.rows) + 1):
            values = sheet.values(row, labels)
            code = values.get(1)
            if code:
                parsed.aspects[number][code] = (row, tuple(values.get(c) for c in (4, 5, 6, 7)))
    if CONTACT_SHEET in workbook.sheetnames:
        sheet = _Sheet(parsed, workbook[CONTACT_SHEET], CONTACT_SHEET)
        for row, (name, label) in enumerate(CONTACT_FIELDS, start=2):
            parsed.contact[name] = sheet.values(row, {2: label}).get(2)
    if CUSTOM_SHEET in workbook.sheetnames:
        sheet = _Sheet(parsed, workbook[CUSTOM_SHEET], CUSTOM_SHEET)
        custom_labels = {1: "เลขที่", 2: "รายละเอียด", 3: "หน่วยนับ", 4: "ปริมาณงาน", 5: "จำนวนวัน", 6: "จำนวนชั่วโมง"}
        for row in range(FIRST_ROW, len(sheet.rows) + 1):
            values = sheet.values(row, custom_labels)
            raw = {"detail": values.get(2), "unit": values.get(3), "volume": values.get(4), "days": values.get(5),
                   "hours": values.get(6)}
            if values.get(1) is not None or any(v not in (None, "") for v in raw.values()):
                parsed.custom.append((row, values.get(1), raw))
    return parsed
