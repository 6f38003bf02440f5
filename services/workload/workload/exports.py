"""Evidence exports: one workbook (.xlsx) with a sheet per level, or one CSV per level.

Plain functions on what figures.py loads and evidence.py computes (no Flask, no SQL): the same
totals as the pages, only laid out as tables. Each level is a `Table` (its columns and a row
iterator), which both writers share, so the CSV and the workbook cannot disagree.
"""
import csv
import io
import itertools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from shared import geography
from shared.inputs import FORMULA_START, spreadsheet_text
from shared.thai import thai_date, thai_datetime
from workload import evidence, fast_rows
from workload.domain import ASPECTS, AspectStatus, Parameters, full_time_equivalents
from workload.figures import AnswerLine
from workload.messages import STATUS_LABELS

LEVELS = ("answers", "districts", "questions", "provinces")  # the CSV's, first the default

# Excel number formats by kind of column; text and whole numbers need none.
FORMATS = {"hours": "#,##0.00", "fte": "0.00", "share": "0.0%", "count": "#,##0", "half": "0.0"}
# CSV decimals by the same kinds: enough to add the figures up again without losing the totals.
DECIMALS = {"hours": 2, "fte": 4, "share": 4, "half": 1}


@dataclass(frozen=True)
class Export:
    """What one export covers: the round and its parameters, the scope, the basis, who and when."""
    fiscal_year: int
    params: Parameters
    basis: evidence.Basis
    scope: str  # the scope's Thai name, figures.scope_name
    province_code: str | None
    district_code: str | None
    figures: tuple[evidence.DistrictFigures, ...]  # every district of the scope, counted or not
    exported_at: datetime
    exported_by: str
    opens_at: datetime | None = None
    closes_at: datetime | None = None

    @cached_property
    def summary(self) -> evidence.Summary:
        return evidence.summarize(self.figures, self.basis)

    @cached_property
    def counted(self) -> list[str]:
        return [f.code for f in evidence.counted(self.figures, self.basis)]

    @property
    def is_nation(self) -> bool:
        return self.province_code is None and self.district_code is None

    @property
    def slug(self) -> str:
        """The scope and basis in an ASCII file name: nation, p81 or d8101, then the basis."""
        scope = (f"d{self.district_code}" if self.district_code else
                 f"p{self.province_code}" if self.province_code else "nation")
        return f"workload-{self.fiscal_year}-{scope}-{self.basis.value}"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, int, a key of FORMATS
    width: float = 12


@dataclass(frozen=True)
class Table:
    title: str  # the sheet's name
    columns: tuple[Column, ...]
    rows: Iterable[tuple]
    freeze: str = "A3"  # below the title and header rows; some tables keep their first columns too


# --- The levels as tables ----------------------------------------------------------------------------

def _aspect_columns() -> tuple[Column, ...]:
    return (*(Column(f"ด้านที่ {n} (ชม./ปี)", "hours", 13) for n in ASPECTS),
            Column("ข้อมูลเฉพาะ สถอ. (ชม./ปี)", "hours", 15), Column("รวมชั่วโมงต่อปี", "hours", 15),
            Column("อัตรากำลัง (FTE)", "fte", 12))


def _totals_values(totals: evidence.Totals, params: Parameters) -> tuple:
    return (*(totals.by_aspect[n] for n in ASPECTS), totals.custom, totals.total, totals.fte(params))




def provinces_table(export: Export) -> Table:
    """Per province, on the basis: districts in it, counted, hours per aspect, total, FTE, share."""
    columns = (Column("รหัสจังหวัด", width=10), Column("จังหวัด", width=18), Column("จำนวนอำเภอ", "int", 10),
               Column("อำเภอที่นับรวม", "int", 12), *_aspect_columns(), Column("สัดส่วนของทั้งหมด", "share", 12))
    grand = export.summary.totals.total

    def rows():
        for code, summary in sorted(evidence.by_province(export.figures, export.basis).items()):
            yield (code, geography.province_name(code), summary.districts, summary.counted,
                   *_totals_values(summary.totals, export.params), summary.totals.total / grand if grand else 0.0)
    return Table("จังหวัด", columns, rows(), freeze="C3")


# A record's state in the words of the manual's status symbols: complete, incomplete, nothing recorded.
STATUS = {True: STATUS_LABELS[AspectStatus.COMPLETE], False: STATUS_LABELS[AspectStatus.INCOMPLETE],
          None: STATUS_LABELS[AspectStatus.EMPTY]}


def districts_table(export: Export) -> Table:
    """Every district of the scope, counted or not (so that what is missing shows), with its totals."""
    columns = (Column("รหัสอำเภอ", width=10), Column("อำเภอ", width=20), Column("รหัสจังหวัด", width=10),
               Column("จังหวัด", width=16), Column("สถานะการบันทึกข้อมูล", width=22),
               Column("การยืนยันของจังหวัด", width=18), Column("นับรวมตามเกณฑ์", width=14), *_aspect_columns())
    counted = set(export.counted)

    def rows():
        for f in export.figures:
            yield (f.code, geography.district_name(f.code), f.province_code, geography.province_name(f.province_code),
                   STATUS[f.complete if f.has_record else None], "ยืนยันแล้ว" if f.confirmed else "ยังไม่ยืนยัน",
                   "นับรวม" if f.code in counted else "ไม่นับรวม", *_totals_values(f.totals, export.params))
    return Table("อำเภอ", columns, rows(), freeze="C3")


def questions_table(export: Export, lines: Iterable[evidence.CatalogLine]) -> Table:
    """Each active question with the hours per year the counted districts recorded for it."""
    columns = (Column("ด้าน", "int", 6), Column("รหัสข้อ", width=9), Column("รายละเอียดงาน", width=70),
               Column("หน่วยนับ", width=14), Column("ชั่วโมงต่อปี", "hours", 15), Column("อัตรากำลัง (FTE)", "fte", 12),
               Column("สัดส่วนของทั้งหมด", "share", 12))
    grand = export.summary.totals.total
    params = export.params
    rows = ((line.aspect, line.code, line.detail, line.unit, line.hours, full_time_equivalents(line.hours, params),
             line.hours / grand if grand else 0.0) for line in lines)
    return Table("ข้อคำถาม", columns, rows, freeze="C3")


def answers_table(export: Export, answers: Iterable[AnswerLine]) -> Table:
    """Every answer of every counted district, and its custom rows (aspect blank, "เฉพาะ" as code)."""
    columns = (Column("รหัสอำเภอ", width=10), Column("อำเภอ", width=18), Column("จังหวัด", width=14),
               Column("ด้าน", "int", 6), Column("รหัสข้อ", width=9), Column("รายละเอียดงาน", width=60),
               Column("หน่วยนับ", width=12), Column("ปริมาณงาน", "count", 11), Column("จำนวนวัน", "int", 9),
               Column("จำนวนชั่วโมง", "half", 10), Column("ชั่วโมงต่อปี", "hours", 14),
               Column("อัตรากำลัง (FTE)", "fte", 11))
    names: dict[str, tuple[str, str]] = {}

    def place(code: str) -> tuple[str, str]:  # looked up once per district, not per answer
        if code not in names:
            names[code] = (geography.district_name(code), geography.province_name(code[:2]))
        return names[code]

    rows = ((a.district_code, *place(a.district_code), a.aspect, a.code or "เฉพาะ สถอ.", a.detail, a.unit,
             a.volume, a.days, a.hours, a.hours_per_year, full_time_equivalents(a.hours_per_year, export.params))
            for a in answers)
    return Table("คำตอบ", columns, rows, freeze="C3")


def cover_rows(export: Export) -> list[tuple[str, object]]:
    """The cover sheet: what the figures are, on which basis, from which parameters, for whom."""
    summary = export.summary
    rows = [
        ("ปีงบประมาณ (รอบการบันทึกข้อมูล)", export.fiscal_year),
        ("ขอบเขตข้อมูล", export.scope),
        ("เกณฑ์การนับรวม", evidence.BASIS_LABELS[export.basis]),
        ("รหัสเกณฑ์", export.basis.value),
        ("จำนวนอำเภอในขอบเขต", summary.districts),
        ("จำนวนอำเภอที่นับรวม", summary.counted),
        ("จำนวนชั่วโมงทำงานต่อวัน (hours_per_day)", export.params.hours_per_day),
        ("จำนวนวันทำงานต่อปี (days_per_year)", export.params.days_per_year),
        ("รวมชั่วโมงต่อปี (อำเภอที่นับรวม)", summary.totals.total),
        ("อัตรากำลัง (FTE) รวม", summary.totals.fte(export.params)),
    ]
    if export.opens_at and export.closes_at:
        rows.append(("ช่วงเวลาบันทึกข้อมูล", f"{thai_date(export.opens_at)} – {thai_date(export.closes_at)}"))
    rows += [("ส่งออกข้อมูลเมื่อ", thai_datetime(export.exported_at)), ("ส่งออกโดย", export.exported_by),
             ("สูตรคำนวณ", "ชั่วโมงต่อปี = ปริมาณงาน × (จำนวนวัน × ชั่วโมงทำงานต่อวัน + จำนวนชั่วโมง); "
                          "FTE = ชั่วโมงต่อปี ÷ (วันทำงานต่อปี × ชั่วโมงทำงานต่อวัน)")]
    return rows


# --- The workbook --------------------------------------------------------------------------------------

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=13)
WRAP = Alignment(wrap_text=True, vertical="top")


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    """Text as text: openpyxl makes a formula of any string that starts with '=' (OWASP CSV injection)."""
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


def _styled(sheet, value, font=None, number_format=None, alignment=None) -> WriteOnlyCell:
    cell = _text_cell(sheet, value) if isinstance(value, str) else WriteOnlyCell(sheet, value)
    if font:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    if alignment:
        cell.alignment = alignment
    return cell


def _cover_sheet(workbook: Workbook, export: Export) -> None:
    sheet = workbook.create_sheet("ปก")
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 70
    sheet.append([_styled(sheet, f"ข้อมูลภาระงาน สถอ. ปีงบประมาณ {export.fiscal_year}", TITLE)])
    sheet.append([])
    formats = {"รวมชั่วโมงต่อปี (อำเภอที่นับรวม)": FORMATS["hours"], "อัตรากำลัง (FTE) รวม": FORMATS["fte"],
               "จำนวนชั่วโมงทำงานต่อวัน (hours_per_day)": "0.0#"}
    for label, value in cover_rows(export):
        sheet.append([_styled(sheet, label, BOLD), _styled(sheet, value, number_format=formats.get(label),
                                                           alignment=WRAP)])


def _row_writer(sheet, columns: tuple[Column, ...]) -> Callable[[tuple], list]:
    """Cells of a data row: numbers get their column's format; text stays a plain value (cheaper).

    A styled cell costs a style lookup, so the numbers' styles are looked up once per column and
    copied onto each cell: 61,000 answers × 6 numbers is most of an export's time otherwise."""
    templates = {}
    for index, column in enumerate(columns):
        if column.kind in FORMATS:
            templates[index] = _styled(sheet, 0, number_format=FORMATS[column.kind])._style

    def cells(values: tuple) -> list:
        row = [_text_cell(sheet, v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values]
        for index, style in templates.items():
            if row[index] is not None:
                cell = WriteOnlyCell(sheet, row[index])
                cell._style = style  # openpyxl's StyleArray, shared read-only by every cell of the column
                row[index] = cell
        return row
    return cells


def _table_sheet(workbook: Workbook, table: Table, heading: str, limit: int | None = None) -> Iterator[tuple]:
    """A sheet of `table`: its title row, header row and (up to `limit`) data rows; returns the rows left."""
    sheet = workbook.create_sheet(table.title)
    for index, column in enumerate(table.columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    sheet.freeze_panes = table.freeze
    sheet.append([_styled(sheet, heading, TITLE)])
    sheet.append([_styled(sheet, c.header, BOLD, alignment=WRAP) for c in table.columns])
    cells = _row_writer(sheet, table.columns)
    rows = iter(table.rows)
    for values in itertools.islice(rows, limit):
        sheet.append(cells(values))
    return rows


def write_xlsx(export: Export, lines: Iterable[evidence.CatalogLine], answers: Iterable[AnswerLine], target) -> None:
    """The whole workbook into `target` (a path or a binary file): ปก, จังหวัด (the nation only),
    อำเภอ, ข้อคำถาม, คำตอบ. Write-only mode: rows go to disk as they come, memory stays flat.

    openpyxl writes some 60,000 cells a second here; the nation's answers are 700,000 cells. So it
    writes the "คำตอบ" sheet's first data row only (which puts its number formats in the styles),
    and fast_rows.splice appends the other rows' XML in the same form (see fast_rows.py)."""
    workbook = Workbook(write_only=True)
    heading = f"ปีงบประมาณ {export.fiscal_year} · {export.scope} · {evidence.BASIS_LABELS[export.basis]}"
    _cover_sheet(workbook, export)
    tables = [provinces_table(export)] if export.is_nation else []
    tables += [districts_table(export), questions_table(export, lines)]
    for table in tables:
        _table_sheet(workbook, table, heading)
    answers_sheet = answers_table(export, answers)
    rest = _table_sheet(workbook, answers_sheet, heading, limit=1)
    with tempfile.TemporaryFile() as drafted:
        workbook.save(drafted)
        fast_rows.splice(drafted, target, f"xl/worksheets/sheet{len(tables) + 2}.xml", rest, first_row=4)


# --- CSV -------------------------------------------------------------------------------------------------

BOM = "\ufeff"  # Excel reads a CSV as UTF-8 (and the Thai in it) only when it starts with one
CHUNK_ROWS = 1000


def _csv_value(value, kind: str):
    if isinstance(value, float) and kind in DECIMALS:
        return f"{value:.{DECIMALS[kind]}f}"
    if isinstance(value, str):
        return spreadsheet_text(value)
    return "" if value is None else value


def csv_chunks(table: Table) -> Iterator[str]:
    """The table as CSV text in chunks of rows, the byte order mark first: to stream, not to hold."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in table.columns])
    yield BOM + buffer.getvalue()
    kinds = [c.kind for c in table.columns]
    rows = 0
    buffer.seek(0)
    buffer.truncate()
    for values in table.rows:
        writer.writerow([_csv_value(v, k) for v, k in zip(values, kinds)])
        rows += 1
        if rows % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()
