"""The printable summary of one district's record: what it holds, its status and the province's
confirmation, and its figures. `load` reads it (the same loaders as the pages and the exports), the
HTML page prints it with the browser, `pdf` lays it out on A4 with fpdf2.

fpdf2 embeds a TrueType font and, with text shaping (HarfBuzz through uharfbuzz), places Thai vowels
and tone marks as a browser would, without any system library. The TTFs in shared/fonts/ are the
site's own Sarabun (see shared/fonts/README.md).
"""
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

import shared
from shared import geography
from shared.thai import thai_date, thai_datetime
from workload import domain, evidence, figures, read_models, rounds
from workload.figures import AnswerLine
from workload.messages import STATUS_LABELS

FONT_DIR = Path(shared.__file__).resolve().parent / "fonts"
FONT = "Sarabun"



@dataclass(frozen=True)
class DistrictSummary:
    fiscal_year: int
    params: domain.Parameters
    opens_at: datetime
    closes_at: datetime
    district_code: str
    district_name: str
    province_name: str
    states: dict[int, domain.AspectStatus]
    complete: bool
    contact: domain.Contact | None
    confirmed_at: datetime | None
    confirmed_by: str | None
    totals: evidence.Totals
    answers: tuple[AnswerLine, ...]  # answers to active questions, then the custom rows
    printed_at: datetime
    printed_by: str

    @property
    def title(self) -> str:
        """The document's title, also its PDF metadata: the district and its province."""
        return f"อำเภอ{self.district_name} จังหวัด{self.province_name}"

    @property
    def custom_rows(self) -> list[AnswerLine]:
        return [a for a in self.answers if a.aspect is None]

    def aspect_answers(self, aspect: int) -> list[AnswerLine]:
        return [a for a in self.answers if a.aspect == aspect]

    def fte(self, hours: float) -> float:
        return domain.full_time_equivalents(hours, self.params)


def load(round_, district_code: str, printed_by: str, now: datetime) -> DistrictSummary:
    """The district's record (record_view), its totals (figures.record_totals, as its status page) and
    each answer with its hours per year (figures.answer_lines, as the exports)."""
    district = geography.district(district_code)
    view = read_models.record_view(round_, district_code)
    record = view.record
    return DistrictSummary(
        fiscal_year=round_.fiscal_year, params=rounds.parameters(round_), opens_at=round_.opens_at,
        closes_at=round_.closes_at, district_code=district_code, district_name=district.name_th,
        province_name=geography.province(district.province_code).name_th,
        states={n: a.status for n, a in view.aspects.items()}, complete=view.complete,
        contact=view.contact, confirmed_at=view.confirmed_at,
        confirmed_by=record.confirmed_by if record else None, totals=figures.record_totals(view),
        answers=tuple(figures.answer_lines(round_, [district_code], district.province_code)),
        printed_at=now, printed_by=printed_by)


# --- The PDF ------------------------------------------------------------------------------------------

# Thai has no spaces between words; fpdf2 breaks lines only at spaces (and at zero-width spaces, which it
# would then write into the text, breaking copy and search), else inside a syllable. A leading vowel
# (เ แ โ ใ ไ) always starts a syllable: before it is a break that cuts no syllable. Without a dictionary that
# is the safe part of Thai line breaking, so the lines are broken here, at those places and at spaces, and
# handed to fpdf2 as lines: the PDF's text is the text itself.
BREAKS = re.compile("(?<=[\u0e01-\u0e4f])(?=[\u0e40-\u0e44])|(?<= )")


def wrapped(pdf: FPDF, text: str, width: float) -> str:
    """The text as lines of at most `width` mm in the current font, broken only where Thai allows."""
    room = width * 0.92 - 2 * pdf.c_margin  # the cell's padding, and bold headings a little wider
    lines, line = [], ""
    for piece in BREAKS.split(text):
        if line and pdf.get_string_width(line + piece) > room:
            lines.append(line.rstrip(" "))
            line = piece.lstrip(" ")
        else:
            line += piece
    return "\n".join([*lines, line])


def _number(value: float, decimals: int = 2) -> str:
    return f"{value:,.{decimals}f}"


class _Document(FPDF):
    """A4 portrait with the printing date and page number in every footer."""

    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 9)
        self.set_text_color(90)
        self.cell(0, 6, self.footer_text, align="L")
        self.cell(0, 6, f"หน้า {self.page_no()}/{{nb}}", align="R")


def _new_document(summary: DistrictSummary) -> _Document:
    pdf = _Document(orientation="portrait", unit="mm", format="A4")
    pdf.add_font(FONT, "", FONT_DIR / "Sarabun-Regular.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "Sarabun-Bold.ttf")
    pdf.set_text_shaping(True)
    pdf.set_lang("th")
    pdf.set_title(summary.title)
    pdf.set_subject(f"สรุปข้อมูลภาระงาน สถอ. ปีงบประมาณ {summary.fiscal_year} อำเภอ{summary.district_name} "
                    f"(รหัส {summary.district_code})")
    pdf.set_author("ศูนย์ประสานงานท้องถิ่นอำเภอ กรมส่งเสริมการปกครองท้องถิ่น")
    pdf.set_creation_date(summary.printed_at)
    pdf.footer_text = f"พิมพ์เมื่อ {thai_datetime(summary.printed_at)} โดย {summary.printed_by}"
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_page()
    return pdf


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)


HEADINGS = FontFace(emphasis="BOLD", fill_color=(230, 236, 245))


def _table(pdf: FPDF, widths: tuple, header: tuple, rows: list[tuple], align: tuple) -> None:
    with pdf.table(col_widths=widths, text_align=align, headings_style=HEADINGS, line_height=6,
                   first_row_as_headings=True, repeat_headings=1) as table:
        for values in [header, *rows]:
            row = table.row()
            for value, width in zip(values, widths):
                row.cell(wrapped(pdf, str(value), width))


def _front(pdf: FPDF, s: DistrictSummary) -> None:
    pdf.set_font(FONT, "", 10)
    pdf.cell(0, 6, "ศูนย์ประสานงานท้องถิ่นอำเภอ กรมส่งเสริมการปกครองท้องถิ่น", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, f"สรุปข้อมูลภาระงาน สถอ. ปีงบประมาณ {s.fiscal_year}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, f"{s.title} (รหัสอำเภอ {s.district_code})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, f"ช่วงเวลาบันทึกข้อมูล {thai_date(s.opens_at)} – {thai_date(s.closes_at)}",
             new_x="LMARGIN", new_y="NEXT")


def _status(pdf: FPDF, s: DistrictSummary) -> None:
    _heading(pdf, "1. สถานะการบันทึกข้อมูลและการยืนยันของจังหวัด")
    rows = [(f"ด้านที่ {n} {domain.ASPECTS[n]}", STATUS_LABELS[state]) for n, state in s.states.items()]
    rows.append(("ข้อมูล ติดต่อ สถอ.", "บันทึกแล้ว" if s.contact else "ยังไม่ได้บันทึก"))
    pdf.set_font(FONT, "", 10)
    _table(pdf, (140, 40), ("ด้าน", "สถานะ"), rows, ("LEFT", "LEFT"))
    pdf.set_font(FONT, "", 11)
    pdf.ln(2)
    pdf.multi_cell(0, 6, "บันทึกข้อมูลครบทั้ง 8 ด้านและข้อมูลติดต่อแล้ว" if s.complete else "ยังบันทึกข้อมูลไม่ครบ",
                   new_x="LMARGIN", new_y="NEXT")
    confirmed = (f"จังหวัดยืนยันข้อมูลแล้วเมื่อ {thai_datetime(s.confirmed_at)}"
                 + (f" โดย {s.confirmed_by}" if s.confirmed_by else "")) if s.confirmed_at else "จังหวัดยังไม่ได้ยืนยันข้อมูล"
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(0, 6, confirmed, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)


def _contact(pdf: FPDF, s: DistrictSummary) -> None:
    _heading(pdf, "2. ข้อมูลติดต่อ สถอ.")
    c = s.contact
    if c is None:
        pdf.multi_cell(0, 6, "ยังไม่ได้บันทึก", new_x="LMARGIN", new_y="NEXT")
        return
    districts = ", ".join(geography.district(code).name_th if geography.district(code) else code
                          for code in c.responsible_districts)
    rows = [("ที่อยู่สำนักงาน", c.office_address), ("โทรศัพท์สำนักงาน", c.office_phone),
            ("ผู้ประสานงาน", c.person_name), ("โทรศัพท์มือถือ", c.person_mobile), ("E-mail", c.person_email),
            ("อำเภอที่รับผิดชอบ", districts)]
    _table(pdf, (45, 135), ("รายการ", "ข้อมูล"), rows, ("LEFT", "LEFT"))


def _figures(pdf: FPDF, s: DistrictSummary) -> None:
    _heading(pdf, "3. ภาระงาน (ชั่วโมงต่อปีและอัตรากำลัง)")
    t = s.totals
    rows = [(f"ด้านที่ {n}", _number(t.by_aspect[n]), _number(t.aspect_fte(n, s.params)), f"{t.share(n):.1%}")
            for n in domain.ASPECTS]
    rows.append(("ข้อมูลเฉพาะ สถอ.", _number(t.custom), _number(s.fte(t.custom)), f"{t.share(None):.1%}"))
    rows.append(("รวม", _number(t.total), _number(t.fte(s.params)), "100.0%" if t.total else "0.0%"))
    _table(pdf, (70, 40, 35, 35), ("ด้าน", "ชั่วโมงต่อปี", "อัตรากำลัง (FTE)", "สัดส่วน"), rows,
           ("LEFT", "RIGHT", "RIGHT", "RIGHT"))
    pdf.ln(1)
    pdf.set_font(FONT, "", 9)
    pdf.multi_cell(0, 5, f"ชั่วโมงต่อปี = ปริมาณงาน × (จำนวนวัน × {s.params.hours_per_day:g} ชั่วโมง + จำนวนชั่วโมง); "
                         f"FTE = ชั่วโมงต่อปี ÷ ({s.params.days_per_year} วัน × {s.params.hours_per_day:g} ชั่วโมง)",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)


def _answers(pdf: FPDF, s: DistrictSummary) -> None:
    _heading(pdf, "4. รายละเอียดการบันทึกข้อมูล")
    header = ("ข้อ", "รายละเอียดงาน", "หน่วยนับ", "ปริมาณ", "วัน", "ชั่วโมง", "ชม./ปี")
    widths, align = (12, 80, 22, 17, 11, 13, 25), ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT")
    pdf.set_font(FONT, "", 9)
    for number in domain.ASPECTS:
        lines = s.aspect_answers(number)
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 6, f"ด้านที่ {number} {domain.ASPECTS[number]}", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        if not lines:
            pdf.multi_cell(0, 6, "ไม่มีการบันทึกข้อมูล", new_x="LMARGIN", new_y="NEXT")
            continue
        _table(pdf, widths, header, [(a.code, a.detail, a.unit, f"{a.volume:,}", a.days, f"{a.hours:g}",
                                      _number(a.hours_per_year)) for a in lines], align)
        pdf.ln(2)
    if s.custom_rows:
        pdf.set_font(FONT, "B", 10)
        pdf.multi_cell(0, 6, "ข้อมูลเฉพาะ สถอ.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", 9)
        _table(pdf, widths, header, [("-", a.detail, a.unit, f"{a.volume:,}", a.days, f"{a.hours:g}",
                                      _number(a.hours_per_year)) for a in s.custom_rows], align)


def pdf(summary: DistrictSummary) -> bytes:
    """The summary on A4: front, status and confirmation, contact, figures, every answer."""
    document = _new_document(summary)
    _front(document, summary)
    _status(document, summary)
    _contact(document, summary)
    _figures(document, summary)
    _answers(document, summary)
    return bytes(document.output())
