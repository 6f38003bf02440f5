"""The workload pages as a browser uses them: cookie sign-in, CSRF field, Thai messages, refusals."""
import re

import pytest

CSRF = "test-csrf"  # the csrf claim TokenFactory puts in every token


@pytest.fixture
def browser_as(app, tokens):
    """A test client carrying the SSO cookie of a user."""
    def make(role: str, district: str | None = None, province: str | None = None, name: str = "ทดสอบ"):
        client = app.test_client()
        province = province or (district[:2] if district else None)
        tokens.sign_in(client, f"{role}-{district or province}", [role], province,
                       district, name=name)
        return client
    return make


def page_text(response) -> str:
    return response.get_data(as_text=True)


def question_ids(html: str) -> list[str]:
    return re.findall(r'name="q(\d+)_volume"', html)


def version_of(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def aspect_form(html: str, fill=("2", "1", "1.5"), **overrides) -> dict:
    form = {"csrf_token": CSRF, "version": version_of(html)}
    for qid in question_ids(html):
        form.update({f"q{qid}_volume": fill[0], f"q{qid}_days": fill[1], f"q{qid}_hours": fill[2]})
    form.update(overrides)
    return form


def test_a_district_lands_on_its_status_page(browser_as):
    client = browser_as("district", "8101", name="ท้องถิ่นอำเภอเมืองกระบี่")
    response = client.get("/workload/")
    assert response.status_code == 302 and response.headers["Location"] == "/workload/2569/districts/8101/"
    page = page_text(client.get("/workload/2569/districts/8101/"))
    assert "สถานะการบันทึกข้อมูล สถอ." in page and "ไม่มีการบันทึกข้อมูล" in page
    assert "สวัสดี <strong>ท้องถิ่นอำเภอเมืองกระบี่</strong>" in page
    for label in ["ข้อมูล ติดต่อ สถอ.", "ด้านที่ 1", "ด้านที่ 8", "ข้อมูลเฉพาะ สถอ."]:
        assert label in page


def test_saving_an_aspect_from_the_page(browser_as):
    client = browser_as("district", "8102")
    url = "/workload/2569/districts/8102/aspects/2"
    html = page_text(client.get(url))
    response = client.post(url, data=aspect_form(html))
    assert response.status_code == 302 and response.headers["Location"].endswith("?saved=1")
    after = page_text(client.get(url + "?saved=1"))
    assert "บันทึกข้อมูลเรียบร้อยแล้ว" in after and 'value="1.5"' in after and version_of(after) == "1"


def test_a_bad_field_gets_its_message_beside_it_and_nothing_is_saved(browser_as):
    client = browser_as("district", "8103")
    url = "/workload/2569/districts/8103/aspects/3"
    html = page_text(client.get(url))
    first = question_ids(html)[0]
    response = client.post(url, data=aspect_form(html, **{f"q{first}_hours": "25"}))
    assert response.status_code == 422
    page = page_text(response)
    assert f'id="{first}-hours-error">จำนวนชั่วโมงต้องน้อยกว่า 24' in page
    assert 'value="25"' in page  # what was typed stays in the form
    assert version_of(page_text(client.get(url))) == "0"  # nothing was saved


def test_two_tabs_the_later_save_is_told_and_shown_both(browser_as):
    client = browser_as("district", "8104")
    url = "/workload/2569/districts/8104/aspects/4"
    html = page_text(client.get(url))
    assert client.post(url, data=aspect_form(html, fill=("1", "1", "1"))).status_code == 302
    late = client.post(url, data=aspect_form(html, fill=("7", "7", "7")))  # the other tab, still version 0
    assert late.status_code == 409
    page = page_text(late)
    assert "ถูกบันทึกจากหน้าอื่น" in page
    assert 'value="7"' in page and "ข้อมูลล่าสุดที่บันทึกไว้: ปริมาณ 1" in page
    assert version_of(page) == "1"  # saving again now is a deliberate overwrite


def test_unsafe_request_without_the_csrf_field_is_refused(browser_as):
    client = browser_as("district", "8105")
    url = "/workload/2569/districts/8105/aspects/1"
    form = aspect_form(page_text(client.get(url)))
    del form["csrf_token"]
    response = client.post(url, data=form)
    assert response.status_code == 403 and "CSRF" in page_text(response)


@pytest.mark.parametrize("role, district, province", [
    ("district", "8106", None), ("province", None, "81"), ("central", None, None)])
def test_only_the_district_itself_saves_from_a_page(browser_as, role, district, province):
    client = browser_as(role, district, province)
    url = "/workload/2569/districts/8107/aspects/1"
    page = client.get(url)
    if role == "district":
        assert page.status_code == 403
    else:
        assert page.status_code == 200 and "ดูข้อมูลได้อย่างเดียว" in page_text(page)
        assert "บันทึกข้อมูล</button>" not in page_text(page)
    refused = client.post(url, data={"csrf_token": CSRF, "version": "0"})
    assert refused.status_code == 403


def test_province_of_another_province_cannot_even_read(browser_as):
    assert browser_as("province", province="30").get("/workload/2569/districts/8101/").status_code == 403


def test_closed_round_is_read_only_with_a_thai_message(browser_as):
    client = browser_as("district", "8101")
    page = client.get("/workload/2568/districts/8101/aspects/1")
    assert "ไม่อยู่ในช่วงเวลาเปิดบันทึกข้อมูล" in page_text(page)
    refused = client.post("/workload/2568/districts/8101/aspects/1", data=aspect_form(page_text(page)))
    assert refused.status_code == 423 and "ดูข้อมูลได้อย่างเดียว" in page_text(refused)


def test_contact_page_validates_and_saves(browser_as):
    client = browser_as("district", "8108")
    url = "/workload/2569/districts/8108/contact"
    form = {"csrf_token": CSRF, "version": "0", "office_address": "ที่ว่าการอำเภอเหนือคลอง", "office_phone": "075 611 234",
            "person_name": "นางสาวทดสอบ ระบบ", "person_mobile": "12345", "person_email": "t@example.org",
            "responsible_districts": ["8108", "8104"]}
    refused = client.post(url, data=form)
    assert refused.status_code == 422 and "รูปแบบหมายเลขโทรศัพท์มือถือไม่ถูกต้อง" in page_text(refused)
    assert client.post(url, data={**form, "person_mobile": "081 234 5678"}).status_code == 302
    page = page_text(client.get(url))
    assert 'value="0812345678"' in page and version_of(page) == "1"
    status = page_text(client.get("/workload/2569/districts/8108/"))
    assert "เหนือคลอง, คลองท่อม" in status


def test_custom_rows_from_the_page(browser_as, app):
    client = browser_as("district", "8401")
    url = "/workload/2569/districts/8401/custom"
    row = {"csrf_token": CSRF, "detail": "ประสานงานโครงการจังหวัดเคลื่อนที่", "unit": "ครั้ง", "volume": "6",
           "days": "1", "hours": "0"}
    assert client.post(url, data={**row, "volume": "x"}).status_code == 422
    assert client.post(url, data=row).status_code == 302
    row_id = re.search(r'name="row_id" value="(\d+)"', page_text(client.get(url))).group(1)
    assert client.post(url, data={**row, "row_id": row_id, "volume": "8"}).status_code == 302
    assert 'value="8"' in page_text(client.get(url))
    assert client.post(url, data={"csrf_token": CSRF, "row_id": row_id, "action": "delete"}).status_code == 302
    assert "ยังไม่มีรายการ" in page_text(client.get(url))
    history = page_text(client.get("/workload/2569/districts/8401/history"))
    assert "ลบข้อมูลเฉพาะ สถอ." in history and "เพิ่มข้อมูลเฉพาะ สถอ." in history


def test_rounds_pages_are_for_central_only(browser_as):
    for role, district, province in (("district", "8101", None), ("province", None, "81")):
        client = browser_as(role, district, province)
        assert client.get("/workload/rounds/").status_code == 403
        assert client.post("/workload/rounds/2569/window",
                           data={"csrf_token": CSRF, "action": "close_now"}).status_code == 403
    central = browser_as("central")
    page = page_text(central.get("/workload/rounds/"))
    assert "2569" in page and "ปิดระบบทันที" in page
    created = central.post("/workload/rounds/", data={"csrf_token": CSRF, "fiscal_year": "2571",
                                                      "opens_at": "2027-10-01T08:30", "closes_at": "2028-01-31T16:30",
                                                      "copy_from": "2569"})
    assert created.status_code == 302
    assert "2571" in page_text(central.get("/workload/rounds/"))
    odd = central.post("/workload/rounds/", data={"csrf_token": CSRF, "fiscal_year": "2573",
                                                  "opens_at": "2029-10-01T08:30",
                                                  "closes_at": "2030-01-31T16:30", "hours_per_day": "30"})
    assert odd.status_code == 422 and "1–12" in page_text(odd)
    missing = central.post("/workload/rounds/", data={"csrf_token": CSRF, "fiscal_year": "2572", "opens_at": "",
                                                      "closes_at": "2028-01-31T16:30"})
    assert missing.status_code == 422 and "กรุณาระบุวันเวลาเปิด" in page_text(missing)
    catalog = page_text(central.get("/workload/rounds/2571/catalog"))
    assert catalog.count('name="question_id"') == 71


def test_the_rounds_change_history_names_the_person_in_thai_words(browser_as):
    central = browser_as("central", name="นายส่วนกลาง ทดสอบ")
    central.post("/workload/rounds/2569/window", data={"csrf_token": CSRF, "action": "dates", "confirmed": "yes",
                                                       "opens_at": "1/10/2568 08:30", "closes_at": "31/3/2570 16:30"})
    central.post("/workload/rounds/2569/plausibility", data={"csrf_token": CSRF, "plausibility_factor": "12",
                                                             "plausibility_floor": "40"})
    html = page_text(central.get("/workload/rounds/"))
    changes = html[html.index('id="round-changes"'):]
    assert "นายส่วนกลาง ทดสอบ" in changes and "central-None" not in changes
    assert "ปิดระบบ: 31 มีนาคม 2570 เวลา 16:30 น." in changes and "จำนวนเท่า: 10" in changes
    assert "จำนวนเท่า: 12" in changes and "นำเข้าข้อคำถาม" in changes
    for raw in ("closes_at", "plausibility_factor:", "T09:30", "questions:"):
        assert raw not in changes
    central.post("/workload/rounds/2569/plausibility", data={"csrf_token": CSRF, "plausibility_factor": "10",
                                                             "plausibility_floor": "40"})


def test_the_record_history_names_the_person_in_thai_words(browser_as):
    client = browser_as("district", "8103", name="นายสมชาย บันทึกดี")
    url = "/workload/2569/districts/8103/aspects/3"
    client.post(url, data=aspect_form(page_text(client.get(url)), fill=("1200", "0", "2.5")))
    html = page_text(client.get("/workload/2569/districts/8103/history"))
    start = html.index('<ol class="history">')
    history = html[start:html.index("</ol>", start)]
    assert "นายสมชาย บันทึกดี" in history and "district-8103" not in history
    assert "ปริมาณ 1,200 · 0 วัน · 2.5 ชม." in history and "ข้อ 3." in history


def test_catalog_page_retires_and_refuses_deleting_answered(browser_as):
    central = browser_as("central")
    district = browser_as("district", "8402")
    url = "/workload/2569/districts/8402/aspects/6"
    district.post(url, data=aspect_form(page_text(district.get(url))))
    catalog = page_text(central.get("/workload/rounds/2569/catalog"))
    answered_id = question_ids(page_text(district.get(url)))[0]
    refused = central.post("/workload/rounds/2569/catalog", data={"csrf_token": CSRF, "question_id": answered_id,
                                                                  "action": "delete"})
    assert refused.status_code == 409 and "ยกเลิกใช้งานแทน" in page_text(refused)
    assert 'value="delete"' in catalog
    retired = central.post("/workload/rounds/2569/catalog", data={"csrf_token": CSRF, "question_id": answered_id,
                                                                  "action": "retire"})
    assert retired.status_code == 302
    assert f'name="q{answered_id}_volume"' not in page_text(district.get(url))
    central.post("/workload/rounds/2569/catalog", data={"csrf_token": CSRF, "question_id": answered_id,
                                                        "action": "restore"})
    assert f'name="q{answered_id}_volume"' in page_text(district.get(url))
