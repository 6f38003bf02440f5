"""A district's record as a workbook to fill in offline (README "The Excel round-trip"): instructions, the
contact data, one sheet per aspect, ข้อมูลเฉพาะ สถอ., and a hidden sheet saying which record, versions and
catalog the file was made from, so that workbook_import can refuse a file that no longer fits."""
import hashlib
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from shared import geography
from shared.inputs import FORMULA_START
from workload import domain
from workload.read_models import RecordView

FORMAT = "dcc-workload-record/1"
META_SHEET = "ระบบ"
CONTACT_SHEET = "ข้อมูล ติดต่อ สถอ."
CUSTOM_SHEET = "ข้อมูลเฉพาะ สถอ."
NOT_DONE = "ไม่ได้ดำเนินการ"
FIRST_ROW = 3  # a title row and a header row above the data
BLANK_CUSTOM_ROWS = 50  # room for new rows of ข้อมูลเฉพาะ สถอ.

# (field, label) of the contact sheet, one a row from row 2: the labels of the contact page.
CONTACT_FIELDS = (("office_address", "ที่อยู่"), ("office_phone", "โทรศัพท์"), ("person_name", "ชื่อ-สกุล"),
                  ("person_mobile", "เบอร์โทรศัพท์มือถือ"), ("person_email", "E-mail Address"),
                  ("responsible_districts", "อำเภอที่รับผิดชอบ (รหัสอำเภอ คั่นด้วย ,)"))
# Columns of an aspect sheet after code, question and unit; and of the custom sheet after number, detail, unit.
NUMBER_COLUMNS = (("volume", "ปริมาณงาน"), ("days", "จำนวนวัน"), ("hours", "จำนวนชั่วโมง"))

FONT_NAME = "TH Sarabun New"  # the Thai government's document font; Tahoma-like fallbacks elsewhere
FONT = Font(name=FONT_NAME, size=14)
BOLD = Font(name=FONT_NAME, size=14, bold=True)
TITLE = Font(name=FONT_NAME, size=16, bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
OPEN = Protection(locked=False)
INPUT_FILL = PatternFill("solid", fgColor="FFF8E1")  # the cells to fill in

INSTRUCTIONS = (
    "วิธีใช้แบบฟอร์มนี้",
    "1. กรอกปริมาณงาน จำนวนวัน และจำนวนชั่วโมงของแต่ละข้อในแผ่นงาน \"ด้านที่ 1\" ถึง \"ด้านที่ 8\" "
    "(เฉพาะช่องสีเหลือง) เป็นตัวเลขไม่ติดลบ ใช้ , คั่นหลักพันได้ และ . เป็นจุดทศนิยม",
    "2. ข้อที่ไม่ได้ดำเนินการ ให้กรอก 0 ทั้ง 3 ช่อง หรือเลือก \"ไม่ได้ดำเนินการ\" ในคอลัมน์สุดท้าย",
    "3. จำนวนชั่วโมงต้องน้อยกว่า 24 และกรอกได้ทีละครึ่งชั่วโมง เช่น 1 หรือ 1.5",
    "4. ข้อมูลเฉพาะ สถอ.: เพิ่มรายการในแถวว่าง ลบรายการโดยลบข้อความและตัวเลขของแถวนั้นให้ว่าง "
    "(อย่าแก้เลขที่รายการ)",
    "5. ห้ามใช้สูตรคำนวณ ให้กรอกเป็นค่าตัวเลขหรือข้อความเท่านั้น และห้ามเปลี่ยนชื่อหรือลำดับแผ่นงาน",
    "6. เมื่อกรอกเสร็จ ให้อัปโหลดไฟล์ในเมนู \"นำเข้าจากไฟล์ Excel\" ระบบจะแสดงรายการที่เปลี่ยนแปลงให้ตรวจสอบก่อน "
    "และจะบันทึกเมื่อกด \"บันทึกข้อมูลจากไฟล์\" เท่านั้น",
    "7. ถ้ามีผู้บันทึกข้อมูลในระบบหลังจากดาวน์โหลดไฟล์นี้ ระบบจะไม่รับด้านนั้น ให้ดาวน์โหลดแบบฟอร์มใหม่",
)


def catalog_hash(question_pairs: list[tuple[int, str]]) -> str:
    """A fingerprint of the active questions (id and code): a file made from another catalog is refused."""
    text = "\n".join(f"{qid}:{code}" for qid, code in sorted(question_pairs))
    return hashlib.sha256(text.encode()).hexdigest()


def aspect_sheet_name(number: int) -> str:
    return f"ด้านที่ {number}"


def put(sheet, row: int, column: int, value, font=FONT, editable=False, alignment=None):
    """One cell: text stays text (a leading =, +, - or @ is shown, never run: OWASP CSV injection)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_START)
    cell.font = font
    if alignment:
        cell.alignment = alignment
    if editable:
        cell.protection, cell.fill = OPEN, INPUT_FILL
    return cell


def _layout(sheet, widths: list[int], freeze: str | None = "A3") -> None:
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    if freeze:
        sheet.freeze_panes = freeze
        sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _protect(sheet) -> None:
    """Locked against slips, not against a determined user: the server checks everything again."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # widening a column is fine


def _number_validations(sheet, first: int, last: int, column: int) -> None:
    """Excel's own checks of volume, days and hours: the form's limits (domain.py), blank allowed."""
    rules = (("whole", 0, domain.MAX_VOLUME, "ปริมาณงานต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {:,}"),
             ("whole", 0, domain.MAX_DAYS, "จำนวนวันต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {}"),
             ("decimal", 0, 23.5, "จำนวนชั่วโมงต้องเป็นตัวเลขตั้งแต่ 0 และน้อยกว่า 24"))
    for offset, (kind, low, high, message) in enumerate(rules):
        letter = chr(ord("A") + column + offset - 1)
        rule = DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high),
                              allow_blank=True, showErrorMessage=True, errorTitle="ตัวเลขไม่ถูกต้อง",
                              error=message.format(high))
        rule.add(f"{letter}{first}:{letter}{last}")
        sheet.add_data_validation(rule)


def _instructions(workbook: Workbook, view: RecordView) -> None:
    sheet = workbook.active
    sheet.title = "คำอธิบาย"
    district = geography.district(view.district_code)
    put(sheet, 1, 1, f"แบบฟอร์มบันทึกข้อมูล สถอ. ปีงบประมาณ {view.round.fiscal_year} · อำเภอ{district.name_th}", TITLE)
    for index, line in enumerate(INSTRUCTIONS, start=3):
        put(sheet, index, 1, line, BOLD if index == 3 else FONT, alignment=WRAP)
    _layout(sheet, [120], freeze=None)
    _protect(sheet)


def _contact(workbook: Workbook, view: RecordView) -> None:
    sheet = workbook.create_sheet(CONTACT_SHEET)
    put(sheet, 1, 1, CONTACT_SHEET, TITLE)
    contact = view.contact.__dict__ if view.contact else {}
    for row, (name, label) in enumerate(CONTACT_FIELDS, start=2):
        value = contact.get(name)
        if name == "responsible_districts":
            value = ", ".join(value or [])
        put(sheet, row, 1, label, BOLD)
        put(sheet, row, 2, value or None, editable=True, alignment=WRAP).number_format = "@"  # 08… stays text
    first = len(CONTACT_FIELDS) + 3
    put(sheet, first, 1, "รหัสอำเภอในจังหวัด", BOLD)
    province = geography.district(view.district_code).province_code
    for row, district in enumerate(geography.by_name(geography.districts(province)), start=first + 1):
        put(sheet, row, 1, district.code)
        put(sheet, row, 2, district.name_th)
    _layout(sheet, [40, 80], freeze=None)
    _protect(sheet)


def _aspect(workbook: Workbook, view: RecordView, number: int) -> None:
    aspect = view.aspects[number]
    sheet = workbook.create_sheet(aspect_sheet_name(number))
    put(sheet, 1, 1, f"ด้านที่ {number} {aspect.title}", TITLE)
    headers = ["รหัส", "ข้อคำถาม", "หน่วยนับ", *(label for _name, label in NUMBER_COLUMNS), NOT_DONE]
    for column, header in enumerate(headers, start=1):
        put(sheet, 2, column, header, BOLD, alignment=WRAP)
    row = FIRST_ROW - 1
    for row, question in enumerate(aspect.questions, start=FIRST_ROW):
        answer = aspect.answers.get(question.id)
        put(sheet, row, 1, question.code)
        put(sheet, row, 2, question.detail, alignment=WRAP)
        put(sheet, row, 3, question.unit, alignment=WRAP)
        for column, name in enumerate(("volume", "days", "hours"), start=4):
            put(sheet, row, column, getattr(answer, name) if answer else None, editable=True)
        put(sheet, row, 7, None, editable=True)
    last = max(row, FIRST_ROW)
    _number_validations(sheet, FIRST_ROW, last, 4)
    not_done = DataValidation(type="list", formula1=f'"{NOT_DONE}"', allow_blank=True)
    not_done.add(f"G{FIRST_ROW}:G{last}")
    sheet.add_data_validation(not_done)
    _layout(sheet, [10, 70, 18, 14, 12, 14, 18])
    _protect(sheet)


def _custom(workbook: Workbook, view: RecordView) -> None:
    sheet = workbook.create_sheet(CUSTOM_SHEET)
    put(sheet, 1, 1, f"{CUSTOM_SHEET} (งานที่อยู่นอกเหนือจาก 8 ด้าน)", TITLE)
    headers = ["เลขที่", "รายละเอียด", "หน่วยนับ", *(label for _name, label in NUMBER_COLUMNS)]
    for column, header in enumerate(headers, start=1):
        put(sheet, 2, column, header, BOLD, alignment=WRAP)
    for row, custom in enumerate(view.custom_rows, start=FIRST_ROW):
        put(sheet, row, 1, custom.id)
        for column, value in enumerate((custom.detail, custom.unit, custom.volume, custom.days, custom.hours), 2):
            put(sheet, row, column, value, editable=True, alignment=WRAP if column < 4 else None)
    last = FIRST_ROW + len(view.custom_rows) + BLANK_CUSTOM_ROWS - 1
    for row in range(FIRST_ROW + len(view.custom_rows), last + 1):
        for column in range(2, 7):
            put(sheet, row, column, None, editable=True)
    _number_validations(sheet, FIRST_ROW, last, 4)
    _layout(sheet, [10, 60, 18, 14, 12, 14])
    _protect(sheet)


def _meta(workbook: Workbook, view: RecordView) -> None:
    """Hidden and protected: what the file was made from (read back by workbook_import.read_meta)."""
    sheet = workbook.create_sheet(META_SHEET)
    pairs = [(q.id, q.code) for aspect in view.aspects.values() for q in aspect.questions]
    rows = [("format", FORMAT), ("fiscal_year", view.round.fiscal_year), ("district", view.district_code),
            *((f"aspect_{n}", a.version) for n, a in view.aspects.items()),
            ("contact", view.contact_version), ("catalog", catalog_hash(pairs))]
    rows += [(f"question_{qid}", code) for qid, code in pairs]
    for row, (key, value) in enumerate(rows, start=1):
        put(sheet, row, 1, key)
        put(sheet, row, 2, value)
    sheet.sheet_state = "hidden"
    _protect(sheet)


def record_workbook(view: RecordView) -> Workbook:
    workbook = Workbook()
    _instructions(workbook, view)
    _contact(workbook, view)
    for number in domain.ASPECTS:
        _aspect(workbook, view, number)
    _custom(workbook, view)
    _meta(workbook, view)
    return workbook


def file_name(view: RecordView) -> str:
    return f"แบบฟอร์ม-สถอ-{view.district_code}-{view.round.fiscal_year}.xlsx"


def save(view: RecordView) -> bytes:
    target = io.BytesIO()
    record_workbook(view).save(target)
    return target.getvalue()
