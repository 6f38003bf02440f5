"""The Excel round-trip (README "The Excel round-trip"): the record's workbook downloaded, edited with openpyxl,
uploaded for a preview stored in the database, applied in one transaction; and every refusal, nothing changed."""
import io
import re
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook

import workload
from shared.clock import utcnow
from workload import rounds
from workload.models import ImportPreview, Record, db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def url(district, year=2569, tail="record.xlsx"):
    return f"/api/workload/rounds/{year}/districts/{district}/{tail}"


def download(client, headers, district, year=2569) -> bytes:
    response = client.get(url(district, year), headers=headers)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == XLSX_TYPE
    return response.data


def edited(data: bytes, edit) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook)
    target = io.BytesIO()
    workbook.save(target)
    return target.getvalue()


def multipart(data: bytes, name: str) -> tuple[bytes, str]:
    """The body a browser sends, in memory (werkzeug's builder spools a large one to a file it may leave open)."""
    boundary = "dcc-workbook-boundary"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            f"Content-Type: {XLSX_TYPE}\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(client, headers, district, data: bytes, name="แบบฟอร์ม.xlsx", year=2569):
    body, content_type = multipart(data, name)
    return client.post(url(district, year), headers=headers, content_type=content_type, data=body)


def apply(client, headers, district, preview_id):
    return client.post(url(district, tail=f"imports/{preview_id}/apply"), headers=headers)


def record(client, headers, district):
    return client.get(url(district, tail="record"), headers=headers).json


def fill(sheet, row, volume, days, hours):
    for column, value in zip("DEF", (volume, days, hours)):
        sheet[f"{column}{row}"] = value


def test_the_workbook_has_its_sheets_locks_checks_and_hidden_versions(client, as_user):
    workbook = load_workbook(io.BytesIO(download(client, as_user("province", province="81"), "8101")))
    assert workbook.sheetnames == ["คำอธิบาย", "ข้อมูล ติดต่อ สถอ.", *(f"ด้านที่ {n}" for n in range(1, 9)),
                                   "ข้อมูลเฉพาะ สถอ.", "ระบบ"]
    aspect = workbook["ด้านที่ 3"]
    assert aspect.freeze_panes == "A3"
    assert aspect.page_setup.orientation == "landscape" and int(aspect.page_setup.paperSize) == 9  # A4
    assert aspect.protection.sheet
    assert aspect["A3"].protection.locked and aspect["B3"].protection.locked
    assert not aspect["D3"].protection.locked and not aspect["G3"].protection.locked
    assert aspect["B3"].font.name == "TH Sarabun New"
    rules = {str(rule.sqref).split(":")[0]: rule for rule in aspect.data_validations.dataValidation}
    assert (rules["D3"].type, rules["D3"].formula1, rules["D3"].formula2) == ("whole", "0", "100000")
    assert (rules["E3"].type, rules["E3"].formula2) == ("whole", "365")
    assert rules["G3"].type == "list" and rules["G3"].formula1 == '"ไม่ได้ดำเนินการ"'
    meta = workbook["ระบบ"]
    assert meta.sheet_state == "hidden" and meta.protection.sheet
    values = {row[0].value: row[1].value for row in meta.iter_rows()}
    assert values["fiscal_year"] == 2569 and values["district"] == "8101"
    assert [values[f"aspect_{n}"] for n in range(1, 9)] + [values["contact"]] == [0] * 9
    assert len(values["catalog"]) == 64


def test_the_unchanged_download_has_no_change_and_nothing_to_apply(client, as_user):
    headers = as_user("district", "8102")
    response = upload(client, headers, "8102", download(client, headers, "8102"))
    assert response.status_code == 201, response.json
    assert response.json["changes"]["summary"] == "ไม่มีการเปลี่ยนแปลง" and response.json["errors"] == []
    refused = apply(client, headers, "8102", response.json["id"])
    assert refused.status_code == 422 and refused.json["detail"] == "ไม่มีการเปลี่ยนแปลง"


def test_two_changed_aspects_are_previewed_then_saved_in_one_go_with_the_file_in_the_history(client, as_user):
    headers = as_user("district", "8103")
    before = record(client, headers, "8103")

    def edit(workbook):
        fill(workbook["ด้านที่ 1"], 3, 12, 1, 2.5)
        fill(workbook["ด้านที่ 4"], 4, "๑,๐๐๐", "2", "0.5")  # typed as text, Thai digits: the form's parser
        workbook["ข้อมูลเฉพาะ สถอ."]["B3"] = "=งานพิเศษ"
        for column, value in zip("CDEF", ("เรื่อง", 3, 1, 0)):
            workbook["ข้อมูลเฉพาะ สถอ."][f"{column}3"] = value
        workbook["ข้อมูลเฉพาะ สถอ."]["B3"].data_type = "s"

    response = upload(client, headers, "8103", edited(download(client, headers, "8103"), edit), "ภาระงาน ปี 69.xlsx")
    assert response.status_code == 201, response.json
    changes = response.json["changes"]
    assert response.json["errors"] == []
    assert [(a["number"], [(c["code"], c["old"], c["new"]) for c in a["answers"]]) for a in changes["aspects"]] == [
        (1, [(before["aspects"][0]["questions"][0]["code"], None, {"volume": 12, "days": 1, "hours": 2.5})]),
        (4, [(before["aspects"][3]["questions"][1]["code"], None, {"volume": 1000, "days": 2, "hours": 0.5})])]
    assert changes["custom_rows"]["added"] == [{"detail": "=งานพิเศษ", "unit": "เรื่อง", "volume": 3, "days": 1,
                                                "hours": 0.0}]
    assert changes["aspects"][1]["answers"][0]["flag"] == "over_year"  # 1000 × (2 days × 7 h + 0.5 h)
    assert record(client, headers, "8103")["aspects"][0]["version"] == 0  # nothing saved yet

    applied = apply(client, headers, "8103", response.json["id"])
    assert applied.status_code == 200, applied.json
    after = record(client, headers, "8103")
    assert after["aspects"][0]["questions"][0]["answer"] == {"volume": 12, "days": 1, "hours": 2.5}
    assert [a["version"] for a in after["aspects"]] == [1, 0, 0, 1, 0, 0, 0, 0]
    assert [r["detail"] for r in after["custom_rows"]] == ["=งานพิเศษ"]
    history = client.get(url("8103", tail="history"), headers=headers).json
    assert {"action": "import_xlsx", "new_values": {"ไฟล์": "ภาระงาน ปี 69.xlsx"}}.items() <= history[0].items()
    assert apply(client, headers, "8103", response.json["id"]).status_code == 409  # once only

    # A text that starts like a formula went out as text and comes back the same: no change.
    again = download(client, headers, "8103")
    cell = load_workbook(io.BytesIO(again))["ข้อมูลเฉพาะ สถอ."]["B3"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=งานพิเศษ", "s", True)
    assert upload(client, headers, "8103", again).json["changes"]["count"] == 0


def test_errors_name_the_sheet_row_and_cell_and_refuse_the_apply(client, as_user):
    headers = as_user("district", "8104")

    def edit(workbook):
        fill(workbook["ด้านที่ 3"], 5, 1, -2, 1)
        workbook["ด้านที่ 2"]["D3"] = "=1+1"
        fill(workbook["ด้านที่ 5"], 3, 1, 1, 25)
        workbook["ด้านที่ 6"]["G3"] = "ไม่ได้ดำเนินการ"

    response = upload(client, headers, "8104", edited(download(client, headers, "8104"), edit))
    assert response.status_code == 201
    messages = [error["message"] for error in response.json["errors"]]
    assert "ด้านที่ 3 แถว 5 จำนวนวัน (E5): กรุณากรอกเป็นจำนวนเต็มตั้งแต่ 0 ขึ้นไป" in messages  # the form's words
    assert any(m.startswith("ด้านที่ 2 แถว 3 ปริมาณงาน (D3): มีสูตรคำนวณ") for m in messages)
    assert "ด้านที่ 5 แถว 3 จำนวนชั่วโมง (F3): จำนวนชั่วโมงต้องน้อยกว่า 24" in messages
    assert response.json["changes"]["aspects"][-1]["answers"][0]["new"] == {"volume": 0, "days": 0, "hours": 0}
    refused = apply(client, headers, "8104", response.json["id"])
    assert refused.status_code == 422
    assert all(a["version"] == 0 for a in record(client, headers, "8104")["aspects"])


def test_an_aspect_saved_since_the_download_refuses_the_whole_file(client, as_user):
    headers = as_user("district", "8105")
    data = edited(download(client, headers, "8105"), lambda wb: (fill(wb["ด้านที่ 1"], 3, 1, 1, 1),
                                                                   fill(wb["ด้านที่ 2"], 3, 2, 2, 2)))
    preview = upload(client, headers, "8105", data).json
    assert preview["errors"] == []
    view = record(client, headers, "8105")
    aspect = view["aspects"][1]
    saved = client.put(url("8105", tail="aspects/2"), headers=headers, json={"version": 0, "answers": [
        {"question_id": aspect["questions"][0]["id"], "volume": "9", "days": "9", "hours": "9"}]})
    assert saved.status_code == 200
    refused = apply(client, headers, "8105", preview["id"])
    assert refused.status_code == 409 and refused.json["aspect"] == 2
    assert refused.json["current"]["questions"][0]["answer"] == {"volume": 9, "days": 9, "hours": 9.0}
    assert refused.json["file"]["answers"][0]["new"] == {"volume": 2, "days": 2, "hours": 2.0}
    after = record(client, headers, "8105")
    assert after["aspects"][0]["version"] == 0  # aspect 1 was not saved either
    again = upload(client, headers, "8105", data).json  # the same file again: aspect 2 is named
    assert [e["sheet"] for e in again["errors"]] == ["ด้านที่ 2"]


def test_only_the_uploader_applies_and_only_for_30_minutes(app, client, as_user, tokens):
    headers = as_user("district", "8106")
    data = edited(download(client, headers, "8106"), lambda wb: fill(wb["ด้านที่ 1"], 3, 1, 1, 1))
    preview = upload(client, headers, "8106", data).json
    colleague = tokens.bearer("d-8106-other", ["district"], "81", "8106")
    assert apply(client, colleague, "8106", preview["id"]).status_code == 404
    assert apply(client, as_user("province", province="81"), "8106", preview["id"]).status_code == 403
    with app.app_context():
        db.session.get(ImportPreview, preview["id"]).expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert apply(client, headers, "8106", preview["id"]).status_code == 410
    assert record(client, headers, "8106")["aspects"][0]["version"] == 0


# --- Refusals: the file as a whole, nothing stored, nothing changed -----------------------------------------

def zipped(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return target.getvalue()


def with_member(data: bytes, name: str, content: bytes | None = None, replace: dict | None = None) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    members = {info.filename: source.read(info.filename) for info in source.infolist()}
    for key, (old, new) in (replace or {}).items():
        members[key] = members[key].replace(old, new)
    if content is not None:
        members[name] = content
    return zipped(members)


@pytest.mark.parametrize("make, status, words", [
    (lambda data: b"office,phone\n1,2\n", 415, "ไม่ใช่ไฟล์ Excel"),
    (lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, 415, "ตั้งรหัสผ่าน"),
    (lambda data: with_member(data, "xl/vbaProject.bin", b"\0" * 100), 415, "มาโคร"),
    (lambda data: with_member(data, "", replace={"[Content_Types].xml": (
        b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")}), 415, "มาโคร"),
    (lambda data: with_member(data, "xl/media/huge.bin", b"\0" * (60 * 1024 * 1024)), 413, "แตกออก"),
    (lambda data: data + b"\0" * (5 * 1024 * 1024), 413, "5 MB"),
    (lambda data: zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), 415,
     "ไม่ใช่ไฟล์ Excel"),
])
def test_files_that_are_no_plain_workbook_are_refused_before_reading(client, as_user, make, status, words):
    headers = as_user("district", "8107")
    data = make(download(client, headers, "8107"))
    response = upload(client, headers, "8107", data)
    assert response.status_code == status, response.json
    assert words in response.json["detail"]


def test_a_file_of_another_record_or_catalog_or_a_closed_record_is_refused(app, client, as_user):
    headers = as_user("district", "8108")
    own = download(client, headers, "8108")
    other = download(client, as_user("district", "8101"), "8101")
    refused = upload(client, headers, "8108", other)
    assert refused.status_code == 422 and "อำเภออื่น" in refused.json["detail"]

    def older_round(workbook):
        workbook["ระบบ"]["B2"] = 2568

    assert upload(client, headers, "8108", edited(own, older_round)).status_code == 422
    assert upload(client, headers, "8108", own, year=2568).status_code == 423  # that round's window is closed
    assert upload(client, as_user("province", province="81"), "8108", own).status_code == 403
    assert upload(client, as_user("district", "8101"), "8108", own).status_code == 403
    assert client.post(url("8108"), headers=headers, content_type="multipart/form-data", data={}).status_code == 422

    with app.app_context():
        round_ = rounds.get_round(2569)
        added = rounds.add_question(round_, {"aspect": 2, "code": "2.99", "detail": "ข้อใหม่", "unit": "ครั้ง"}).id
    try:
        refused = upload(client, headers, "8108", own)
        assert refused.status_code == 409 and refused.json["questions"] == ["2.99"]
        assert "2.99" in refused.json["detail"]
    finally:
        with app.app_context():
            rounds.delete_question(rounds.get_round(2569), added)

    with app.app_context():
        found = db.session.query(Record).filter_by(district_code="8108").one_or_none()
        if found is None:
            found = Record(round_id=rounds.get_round(2569).id, district_code="8108", province_code="81")
            db.session.add(found)
        found.confirmed_at = utcnow()
        db.session.commit()
    refused = upload(client, headers, "8108", own)
    assert refused.status_code == 423 and "ยืนยัน" in refused.json["detail"]
    with app.app_context():
        assert db.session.query(ImportPreview).filter_by(district_code="8108").count() == 0


def test_the_route_takes_up_to_5_mb_while_other_requests_keep_their_limit(client, as_user):
    headers = as_user("district", "8107")
    two_mb = upload(client, headers, "8107", b"x" * (2 * 1024 * 1024))
    assert two_mb.status_code == 415  # read, then refused for what it is, not for its size
    assert upload(client, headers, "8107", b"x" * (6 * 1024 * 1024)).status_code == 413
    body, content_type = multipart(b"x" * (2 * 1024 * 1024), "a.xlsx")
    elsewhere = client.post(url("8107", tail="custom-rows"), headers=headers, content_type=content_type, data=body)
    assert elsewhere.status_code == 413


def test_the_page_shows_a_refused_file_in_thai_and_a_preview_with_its_apply_button(app, tokens):
    browser = app.test_client()
    tokens.sign_in(browser, "district-8107", ["district"], "81", "8107", name="ทดสอบ")
    page = "/workload/2569/districts/8107/import"
    assert "ไฟล์ Excel (.xlsx) ไม่เกิน 5 MB" in browser.get(page).get_data(as_text=True)
    refused = browser.post(page, data={"csrf_token": "test-csrf", "file": (io.BytesIO(b"a,b\n"), "a.csv")})
    assert refused.status_code == 415 and "ไม่ใช่ไฟล์ Excel" in refused.get_data(as_text=True)
    data = edited(browser.get(url("8107")).data, lambda wb: fill(wb["ด้านที่ 7"], 3, 1, 1, 1))
    shown = browser.post(page, data={"csrf_token": "test-csrf", "file": (io.BytesIO(data), "ไฟล์.xlsx")})
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "มีการเปลี่ยนแปลง 1 รายการ" in html and "บันทึกข้อมูลจากไฟล์" in html
    preview_id = re.search(r'data-import-preview="([0-9a-f]{32})"', html).group(1)
    applied = browser.post(f"{page}/{preview_id}", data={"csrf_token": "test-csrf"})
    assert applied.status_code == 302 and applied.headers["Location"].endswith("/8107/?saved=1")
    assert "ไม่มีการเปลี่ยนแปลง" in browser.post(page, data={"csrf_token": "test-csrf", "file": (
        io.BytesIO(data), "ไฟล์.xlsx")}).get_data(as_text=True)


def test_a_preview_made_on_one_instance_is_applied_on_another(app, client, as_user, tokens):
    """Two apps on one database, as two workload instances behind the gateway: the preview lives in the database."""
    other = workload.create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "TESTING": True,
                                 **tokens.settings})
    headers = as_user("district", "8106")
    data = edited(download(client, headers, "8106"), lambda wb: fill(wb["ด้านที่ 8"], 3, 2, 0, 1))
    preview = upload(client, headers, "8106", data).json
    try:
        applied = apply(other.test_client(), headers, "8106", preview["id"])
        assert applied.status_code == 200, applied.json
    finally:
        with other.app_context():
            other.extensions["sqlalchemy"].engine.dispose()
    assert record(client, headers, "8106")["aspects"][7]["version"] == 1
