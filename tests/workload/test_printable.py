"""A district's printable summary: the A4 page with its print stylesheet, and the PDF (parsed back)."""
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

import shared
from shared import geography
from shared.clock import utcnow
from tests.workload.test_exports import add_record
from workload import figures, printable, rounds
from workload.models import db

YEAR = 2568
PAGE = f"/workload/{YEAR}/districts/{{}}/summary"
PDF = f"/api/workload/rounds/{YEAR}/districts/{{}}/summary.pdf"
STATIC = Path(shared.__file__).resolve().parent / "static"


@pytest.fixture(scope="module")
def data(app):
    with app.app_context():
        round_ = rounds.get_round(YEAR)
        questions = rounds.questions(round_.id)
        add_record(round_, questions, "8101", complete=True, confirmed=True, custom=1)
        add_record(round_, questions, "8103", complete=False, confirmed=False, custom=0)
        db.session.commit()
    return app


def totals_of(app, code):
    with app.app_context():
        scope = figures.district_figures(rounds.get_round(YEAR), code[:2])
        return next(f for f in scope if f.code == code).totals


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(response.data))


def test_the_pdf_is_a4_in_thai_with_the_districts_name_code_status_and_figures(client, as_user, data):
    reader = pdf_of(client.get(PDF.format("8101"), headers=as_user("district", "8101")))
    name = geography.district("8101").name_th
    assert reader.metadata.title == f"อำเภอ{name} จังหวัดกระบี่"
    assert "8101" in reader.metadata.subject
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4 in points
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "8101" in text
    assert name in text and "จังหวัดยืนยันข้อมูลแล้ว" in text and "บันทึกข้อมูลครบถ้วน" in text
    total = totals_of(data, "8101").total
    assert f"{total:,.2f}" in text
    fonts = {str(font["/BaseFont"]) for p in reader.pages for font in p["/Resources"]["/Font"].get_object().values()}
    assert any("Sarabun" in font for font in fonts)  # the embedded font, not a system one


def test_an_unconfirmed_incomplete_record_says_so(client, as_user, data):
    reader = pdf_of(client.get(PDF.format("8103"), headers=as_user("province", province="81")))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "จังหวัดยังไม่ได้ยืนยันข้อมูล" in text and "ยังบันทึกข้อมูลไม่ครบ" in text
    assert "ไม่มีการบันทึกข้อมูล" in text  # the second half of the aspects


def test_a_district_without_a_record_still_prints(client, as_user, data):
    reader = pdf_of(client.get(PDF.format("8102"), headers=as_user("central")))
    assert "8102" in reader.pages[0].extract_text()


def test_the_page_route_of_the_pdf_names_the_file(client, as_user, data):
    response = client.get(PAGE.format("8101") + ".pdf", headers=as_user("district", "8101"))
    pdf_of(response)
    assert response.headers["Content-Disposition"].startswith(
        'inline; filename="workload-2568-d8101-summary.pdf"; filename*=UTF-8\'\'')


def test_the_print_page_shows_the_record_and_prints_on_a4(client, as_user, data):
    response = client.get(PAGE.format("8101"), headers=as_user("district", "8101"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "สรุปข้อมูลภาระงาน สถอ. ปีงบประมาณ 2568" in page and "อำเภอเมืองกระบี่ จังหวัดกระบี่" in page
    assert 'data-confirmed="yes"' in page and "/static/css/print.css" in page
    assert 'href="/workload/2568/districts/8101/summary.pdf"' in page
    total = totals_of(data, "8101").total
    assert f"{total:,.2f}" in page
    css = (STATIC / "css" / "print.css").read_text(encoding="utf-8")
    assert "@media print" in css and "size: A4" in css


@pytest.mark.parametrize("user, district, allowed", [
    (("district", "8101"), "8101", True), (("district", "8101"), "8102", False),
    (("province", None, "81"), "8103", True), (("province", None, "81"), "3001", False),
    (("central",), "3001", True)])
@pytest.mark.parametrize("path", [PAGE, PAGE + ".pdf", PDF])
def test_only_the_district_its_province_and_the_central_office_print_it(client, as_user, data, user, district,
                                                                          allowed, path):
    response = client.get(path.format(district), headers=as_user(*user))
    assert response.status_code == (200 if allowed else 403)
    if not allowed and path == PDF:
        assert response.json["code"] == "forbidden"
    elif not allowed:
        assert "ไม่มีสิทธิ์" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [PAGE, PAGE + ".pdf", PDF])
def test_anonymous_users_are_sent_to_log_in(client, data, path):
    response = client.get(path.format("8101"))
    if path == PDF:
        assert response.status_code == 401
    else:
        assert response.status_code == 302 and "/sso/login" in response.headers["Location"]


def test_unknown_districts_and_rounds_are_not_found(client, as_user, data):
    assert client.get(PDF.format("9999"), headers=as_user("central")).json["code"] == "no_district"
    assert client.get("/api/workload/rounds/2500/districts/8101/summary.pdf",
                      headers=as_user("central")).json["code"] == "no_round"


def test_the_fonts_ship_with_their_licence():
    fonts = Path(shared.__file__).resolve().parent / "fonts"
    assert {"Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "OFL-Sarabun.txt"} <= {p.name for p in fonts.iterdir()}
    assert printable.FONT_DIR == fonts


def test_thai_lines_break_before_a_leading_vowel_or_at_a_space_only(app):
    with app.app_context():
        document = printable._new_document(printable.load(rounds.get_round(YEAR), "8101", "ทดสอบ", utcnow()))
    document.set_font(printable.FONT, "", 9)
    text = "เรื่องตรวจสอบข้อเท็จจริงเกี่ยวกับการร้องเรียนขององค์กรปกครองส่วนท้องถิ่นในเขตอำเภอ 12 ครั้ง"
    lines = printable.wrapped(document, text, 40).split("\n")
    assert len(lines) > 2 and "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines[1:]:
        assert line[0] in "เแโใไ" or line[0].isdigit() or line.startswith("ครั้ง"), lines
    assert all(document.get_string_width(line) <= 40 or len(printable.BREAKS.split(line)) == 1 for line in lines)
    assert "\u200b" not in "".join(lines)
    assert printable.wrapped(document, "แผนงาน ABC", 80) == "แผนงาน ABC"
    document.output()  # which closes the font files


def test_the_pdfs_text_has_no_zero_width_spaces(client, as_user, data):
    reader = pdf_of(client.get(PDF.format("8101"), headers=as_user("district", "8101")))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "\u200b" not in text
    # A Thai phrase is found as it is typed in a search (a break was once written as U+200B before เชิง, เคลื่อน).
    assert "การบูรณาการแนวทางการพัฒนาเชิงพื้นที่และขับเคลื่อนนโยบายรัฐบาล" in text
