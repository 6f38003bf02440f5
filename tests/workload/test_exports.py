"""Evidence exports (Excel and CSV): read back, compared with what figures.py / evidence.py compute,
and refused outside the user's scope on the API and the pages."""
import csv
import io
from datetime import timedelta
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from shared import geography
from shared.clock import utcnow
from workload import evidence, exports, fast_rows, figures, rounds
from workload.domain import ASPECTS
from workload.models import AnswerRow, CustomRow, Record, db

YEAR = 2568
API = f"/api/workload/rounds/{YEAR}/exports"
PAGES = f"/workload/{YEAR}/evidence"
# (district, every question answered, confirmed by its province, custom rows)
RECORDS = [("8101", True, True, 7), ("8102", True, False, 0), ("8103", False, False, 1), ("3001", True, True, 0)]
# What a district might type into a custom row that a spreadsheet would run (OWASP CSV injection).
HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


def add_record(round_, questions, code, complete, confirmed, custom):
    """A record written straight into round 2568 (closed), as the demo loads its records."""
    now = utcnow()
    record = Record(round_id=round_.id, district_code=code, province_code=code[:2], contact_version=1,
                    office_address="ที่ว่าการอำเภอ", office_phone="075611234", person_name="นายทดสอบ ระบบ",
                    person_mobile="0812345678", person_email="t@example.org", responsible_districts=code,
                    contact_saved_at=now, created_at=now, confirmed_at=now - timedelta(days=40) if confirmed else None,
                    confirmed_by="p-test" if confirmed else None)
    db.session.add(record)
    db.session.flush()
    answered = questions if complete else questions[: len(questions) // 2]
    for i, question in enumerate(answered):
        db.session.add(AnswerRow(record_id=record.id, question_id=question.id, volume=(i % 7) + int(code[-1]),
                                 days=i % 3, hours=(i % 5) / 2))
    for i in range(custom):
        detail = f"งานเฉพาะ <พิเศษ> & ครั้งที่ {i + 1}" if i == 0 else HOSTILE[(i - 1) % len(HOSTILE)]
        db.session.add(CustomRow(record_id=record.id, detail=detail, unit=detail if i else "ครั้ง",
                                 volume=3 + i, days=1, hours=1.5, created_at=now))


@pytest.fixture(scope="module")
def data(app):
    with app.app_context():
        round_ = rounds.get_round(YEAR)
        questions = rounds.questions(round_.id)
        for record in RECORDS:
            add_record(round_, questions, *record)
        db.session.commit()
    return app


@pytest.fixture
def computed(data):
    """What the evidence pages compute for a scope and basis (the lead's code, not the exports')."""
    def compute(province=None, basis=evidence.Basis.COMPLETE):
        with data.app_context():
            round_ = rounds.get_round(YEAR)
            scope = figures.district_figures(round_, province)
            counted = figures.counted_codes(scope, basis)
            return {"figures": {f.code: f for f in scope}, "summary": evidence.summarize(scope, basis),
                    "provinces": evidence.by_province(scope, basis), "counted": counted,
                    "questions": figures.question_lines(round_, counted), "params": rounds.parameters(round_)}
    return compute


def workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == exports_xlsx_type()
    return load_workbook(io.BytesIO(response.data))


def exports_xlsx_type():
    return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def data_rows(sheet) -> list[tuple]:
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    return [r for r in rows if any(v is not None for v in r)]


def read_csv(response) -> list[list[str]]:
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


# --- The workbook ---------------------------------------------------------------------------------------

def test_the_nations_workbook_has_a_sheet_per_level_with_the_evidence_pages_figures(client, as_user, computed):
    book = workbook(client.get(f"{API}/evidence.xlsx", headers=as_user("central")))
    assert book.sheetnames == ["ปก", "จังหวัด", "อำเภอ", "ข้อคำถาม", "คำตอบ"]
    expected = computed()
    summary, params = expected["summary"], expected["params"]

    cover = {row[0]: row[1] for row in book["ปก"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert cover["ปีงบประมาณ (รอบการบันทึกข้อมูล)"] == YEAR
    assert cover["เกณฑ์การนับรวม"] == evidence.BASIS_LABELS[evidence.Basis.COMPLETE]
    assert cover["จำนวนอำเภอในขอบเขต"] == 878 and cover["จำนวนอำเภอที่นับรวม"] == 3
    assert cover["จำนวนชั่วโมงทำงานต่อวัน (hours_per_day)"] == params.hours_per_day
    assert cover["จำนวนวันทำงานต่อปี (days_per_year)"] == params.days_per_year
    assert cover["รวมชั่วโมงต่อปี (อำเภอที่นับรวม)"] == pytest.approx(summary.totals.total)
    assert cover["ส่งออกโดย"] == "central-x" and str(utcnow().year + 543) in cover["ส่งออกข้อมูลเมื่อ"]  # B.E.

    districts = {row[0]: row for row in data_rows(book["อำเภอ"])}
    assert len(districts) == 878
    for code, f in expected["figures"].items():
        row = districts[code]
        assert row[6] == ("นับรวม" if code in expected["counted"] else "ไม่นับรวม")
        assert list(row[7:15]) == pytest.approx([f.totals.by_aspect[n] for n in ASPECTS])
        assert row[15:18] == pytest.approx((f.totals.custom, f.totals.total, f.totals.fte(params)))
    assert districts["8101"][4:6] == ("บันทึกข้อมูลครบถ้วน", "ยืนยันแล้ว")
    assert districts["8103"][4] == "บันทึกข้อมูลยังไม่ครบถ้วน" and districts["1101"][4] == "ไม่มีการบันทึกข้อมูล"

    provinces = {row[0]: row for row in data_rows(book["จังหวัด"])}
    assert len(provinces) == 76
    for code in ("81", "30"):
        totals = expected["provinces"][code].totals
        assert provinces[code][3] == expected["provinces"][code].counted
        assert provinces[code][12:15] == pytest.approx((totals.custom, totals.total, totals.fte(params)))

    questions = data_rows(book["ข้อคำถาม"])
    assert [(r[1], r[4]) for r in questions] == [(q.code, pytest.approx(q.hours)) for q in expected["questions"]]
    assert sum(r[4] for r in questions) == pytest.approx(summary.totals.aspects)

    answers = data_rows(book["คำตอบ"])
    assert {r[0] for r in answers} == set(expected["counted"])
    assert sum(r[10] for r in answers) == pytest.approx(summary.totals.total)
    assert sum(r[10] for r in answers if r[3] is None) == pytest.approx(summary.totals.custom)
    assert sum(r[11] for r in answers) == pytest.approx(summary.totals.fte(params))


def test_the_workbook_is_formatted_for_reading_frozen_thai_headers_and_number_formats(client, as_user):
    book = workbook(client.get(f"{API}/evidence.xlsx", headers=as_user("central")))
    for name in ("จังหวัด", "อำเภอ", "ข้อคำถาม", "คำตอบ"):
        assert book[name].freeze_panes == "C3"
    assert [c.value for c in book["คำตอบ"][2]][:6] == ["รหัสอำเภอ", "อำเภอ", "จังหวัด", "ด้าน", "รหัสข้อ", "รายละเอียดงาน"]
    assert book["อำเภอ"]["A2"].value == "รหัสอำเภอ" and book["อำเภอ"]["A2"].font.b
    answers = book["คำตอบ"]
    for row in (3, 4, answers.max_row):  # openpyxl's own first row, then the rows fast_rows appends
        assert answers.cell(row, 11).number_format == "#,##0.00"  # hours per year
        assert answers.cell(row, 12).number_format == "0.00"  # FTE
    assert book["ข้อคำถาม"]["G3"].number_format == "0.0%"  # share
    assert book["อำเภอ"]["Q3"].number_format == "#,##0.00" and book["อำเภอ"]["R3"].number_format == "0.00"
    custom = [r for r in answers.iter_rows(min_row=3, values_only=True) if r[4] == "เฉพาะ สถอ."]
    assert custom[0][5] == "งานเฉพาะ <พิเศษ> & ครั้งที่ 1"  # escaped on the way in, whole on the way out


@pytest.mark.parametrize("basis, counted", [("confirmed", {"8101"}), ("complete", {"8101", "8102"}),
                                            ("all", {"8101", "8102", "8103"})])
def test_a_province_exports_its_districts_on_the_chosen_basis(client, as_user, computed, basis, counted):
    book = workbook(client.get(f"{API}/evidence.xlsx?province=81&basis={basis}",
                               headers=as_user("province", province="81")))
    assert book.sheetnames == ["ปก", "อำเภอ", "ข้อคำถาม", "คำตอบ"]  # จังหวัด: the nation only
    expected = computed("81", evidence.Basis(basis))
    assert {r[0] for r in data_rows(book["คำตอบ"])} == counted == set(expected["counted"])
    assert sum(r[10] for r in data_rows(book["คำตอบ"])) == pytest.approx(expected["summary"].totals.total)
    assert len(data_rows(book["อำเภอ"])) == len(geography.districts("81"))
    cover = {row[0]: row[1] for row in book["ปก"].iter_rows(min_row=3, values_only=True) if row[0]}
    assert cover["ขอบเขตข้อมูล"] == "จังหวัดกระบี่" and cover["รหัสเกณฑ์"] == basis


def test_a_scope_with_nothing_counted_still_exports_its_districts(client, as_user):
    book = workbook(client.get(f"{API}/evidence.xlsx?province=50&basis=all", headers=as_user("central")))
    assert len(data_rows(book["อำเภอ"])) == len(geography.districts("50")) and data_rows(book["คำตอบ"]) == []
    assert {r[4] for r in data_rows(book["ข้อคำถาม"])} == {0}
    header, *rows = read_csv(client.get(f"{API}/evidence.csv?province=50", headers=as_user("central")))
    assert header[0] == "รหัสอำเภอ" and rows == []


def test_a_district_exports_itself_only(client, as_user, computed):
    book = workbook(client.get(f"{PAGES}/export.xlsx?district=8101&basis=all", headers=as_user("district", "8101")))
    districts = data_rows(book["อำเภอ"])
    assert [r[0] for r in districts] == ["8101"]
    own = computed("81", evidence.Basis.ALL)["figures"]["8101"]
    assert districts[0][16] == pytest.approx(own.totals.total)
    assert {r[0] for r in data_rows(book["คำตอบ"])} == {"8101"}


def test_the_file_names_say_round_scope_and_basis_in_ascii_and_in_thai(client, as_user):
    response = client.get(f"{API}/evidence.xlsx?basis=confirmed", headers=as_user("central"))
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="workload-2568-nation-confirmed.xlsx"; filename*=UTF-8\'\'')
    assert unquote(disposition.split("''")[1]) == "ภาระงาน-2568-ทั้งประเทศ-ยืนยันแล้ว.xlsx"
    assert "no-store" in response.headers["Cache-Control"]
    response = client.get(f"{API}/evidence.csv?province=81&level=districts", headers=as_user("central"))
    assert 'filename="workload-2568-p81-complete-districts.csv"' in response.headers["Content-Disposition"]


# --- CSV -------------------------------------------------------------------------------------------------

def test_the_csv_of_answers_is_streamed_utf8_with_a_bom_and_adds_up(client, as_user, computed):
    response = client.get(f"{API}/evidence.csv", headers=as_user("central"))
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.get_data().startswith(b"\xef\xbb\xbf")
    header, *rows = read_csv(response)
    assert header[:5] == ["รหัสอำเภอ", "อำเภอ", "จังหวัด", "ด้าน", "รหัสข้อ"]
    expected = computed()
    assert {r[0] for r in rows} == set(expected["counted"])
    assert sum(float(r[10]) for r in rows) == pytest.approx(expected["summary"].totals.total)
    assert next(r for r in rows if r[0] == "8101")[1:3] == ["เมืองกระบี่", "กระบี่"]


@pytest.mark.parametrize("level, count", [("districts", 878), ("provinces", 76), ("questions", None)])
def test_every_level_has_its_csv(client, as_user, computed, level, count):
    header, *rows = read_csv(client.get(f"{API}/evidence.csv?level={level}&basis=all", headers=as_user("central")))
    expected = computed(basis=evidence.Basis.ALL)
    assert len(rows) == (count or len(expected["questions"]))
    total_column = header.index("รวมชั่วโมงต่อปี") if level != "questions" else header.index("ชั่วโมงต่อปี")
    assert sum(float(r[total_column]) for r in rows) == pytest.approx(
        expected["summary"].totals.total if level != "questions" else expected["summary"].totals.aspects)
    if level == "districts":
        assert sum(float(r[total_column]) for r in rows if r[6] == "นับรวม") == pytest.approx(
            expected["summary"].totals.total)


def test_a_wrong_level_or_basis_is_refused(client, as_user):
    central = as_user("central")
    assert client.get(f"{API}/evidence.csv?level=everything", headers=central).status_code == 422
    assert client.get(f"{API}/evidence.xlsx?basis=some", headers=central).status_code == 422
    page = client.get(f"{PAGES}/export.csv?level=everything", headers=central)
    assert page.status_code == 400 and "ระดับข้อมูลไม่ถูกต้อง" in page.get_data(as_text=True)


def test_unknown_round_or_district_is_not_found(client, as_user):
    central = as_user("central")
    assert client.get("/api/workload/rounds/2500/exports/evidence.csv", headers=central).json["code"] == "no_round"
    assert client.get(f"{API}/evidence.csv?district=9999", headers=central).json["code"] == "no_district"
    assert client.get(f"{API}/evidence.csv?province=99", headers=central).json["code"] == "no_province"


# --- Who may export what ---------------------------------------------------------------------------------

SCOPES = {"nation": "", "province81": "province=81", "province30": "province=30",
          "district8101": "district=8101", "district8102": "district=8102", "district3001": "district=3001"}
ALLOWED = {  # (role, own district, own province) → scopes it may export
    ("district", "8101", None): {"district8101"},
    ("province", None, "81"): {"province81", "district8101", "district8102"},
    ("central", None, None): set(SCOPES),
}


@pytest.mark.parametrize("path", [f"{API}/evidence.xlsx", f"{API}/evidence.csv",
                                  f"{PAGES}/export.xlsx", f"{PAGES}/export.csv"])
@pytest.mark.parametrize("user", list(ALLOWED))
def test_each_user_exports_its_own_scope_only(client, as_user, data, path, user):
    for scope, query in SCOPES.items():
        with client.get(f"{path}?{query}", headers=as_user(*user)) as response:  # closes what streams
            response.get_data()
        assert response.status_code == (200 if scope in ALLOWED[user] else 403), (user, scope)
        if response.status_code == 403:
            if path.startswith("/api/"):
                assert response.mimetype == "application/problem+json"
                assert response.json["code"] in {"forbidden", "not_province_office", "central_only"}
            else:
                assert "ไม่มีสิทธิ์" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [f"{API}/evidence.xlsx", f"{API}/evidence.csv?district=8101",
                                  f"{PAGES}/export.xlsx", f"{PAGES}/export.csv?district=8101"])
def test_anonymous_users_get_401_on_the_api_and_the_login_page_elsewhere(client, path):
    response = client.get(path)
    if path.startswith("/api/"):
        assert response.status_code == 401 and response.mimetype == "application/problem+json"
    else:
        assert response.status_code == 302 and "/sso/login" in response.headers["Location"]


def test_the_openapi_document_describes_the_exports(client):
    spec = client.get("/api/workload/openapi.json").json
    for path, content in [("/api/workload/rounds/{year}/exports/evidence.xlsx", exports_xlsx_type()),
                          ("/api/workload/rounds/{year}/exports/evidence.csv", "text/csv"),
                          ("/api/workload/rounds/{year}/districts/{district}/summary.pdf", "application/pdf")]:
        operation = spec["paths"][path]["get"]
        assert content in operation["responses"]["200"]["content"]
        assert {"401", "403", "404"} <= set(operation["responses"])
    parameters = {p["name"]
                  for p in spec["paths"]["/api/workload/rounds/{year}/exports/evidence.csv"]["get"]["parameters"]}
    assert {"province", "district", "basis", "level"} <= parameters


# --- The writers without the app -----------------------------------------------------------------------

def test_no_export_carries_a_formula(client, as_user, data):
    """Text a district typed is shown, never run: no formula cell in any sheet, no CSV cell that starts one."""
    book = workbook(client.get(f"{API}/evidence.xlsx", headers=as_user("central")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    typed = {c.value for c in cells if isinstance(c.value, str)}
    assert set(HOSTILE) <= typed  # kept as typed, as text
    for level in exports.LEVELS:
        rows = read_csv(client.get(f"{API}/evidence.csv?level={level}", headers=as_user("central")))
        starts = [v for row in rows for v in row if v.startswith(("=", "+", "-", "@", "\t", "\r"))]
        assert starts == [], level
    answers = read_csv(client.get(f"{API}/evidence.csv?level=answers", headers=as_user("central")))
    assert "'" + HOSTILE[0] in {v for row in answers for v in row}


def test_csv_chunks_start_with_the_bom_once_and_keep_every_row():
    table = exports.Table("t", (exports.Column("ชื่อ"), exports.Column("ชั่วโมง", "hours")),
                          ((f"แถว {i}", i / 3) for i in range(2500)))
    chunks = list(exports.csv_chunks(table))
    assert len(chunks) > 2 and chunks[0].startswith("\ufeff") and all("\ufeff" not in c for c in chunks[1:])
    rows = list(csv.reader(io.StringIO("".join(chunks)[1:])))
    assert rows[0] == ["ชื่อ", "ชั่วโมง"] and len(rows) == 2501 and rows[-1] == ["แถว 2499", "833.00"]


def test_fast_rows_write_what_openpyxl_reads_back():
    xml = fast_rows.row_xml(7, ("a<b & c>\x0bd", 12, 1.5, None, "ไทย"), ["A", "B", "C", "D", "E"], {"C": ' s="3"'})
    assert xml == ('<row r="7"><c r="A7" t="inlineStr"><is><t xml:space="preserve">a&lt;b &amp; c&gt;d</t></is></c>'
                   '<c r="B7" t="n"><v>12</v></c><c r="C7" s="3" t="n"><v>1.5</v></c>'
                   '<c r="E7" t="inlineStr"><is><t xml:space="preserve">ไทย</t></is></c></row>')
