"""Hostile input through the gateway, row by row: each answers 4xx with a Thai message (problem+json under
/api/) and changes nothing — on SQLite here, on PostgreSQL in CI (where NUL in text once meant a 500)."""
import pytest

pytestmark = pytest.mark.stack

DISTRICT = "d-3025"
RECORD = "/api/workload/rounds/2569/districts/3025"
HUGE = "99999999999999999999999"
ROW = {"detail": "งานเฉพาะ", "unit": "ครั้ง", "volume": "1", "days": "0", "hours": "1"}
CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "044242111", "person_name": "นายทดสอบ ระบบ",
           "person_mobile": "0812345678", "person_email": "t@example.org", "responsible_districts": ["3025"]}


@pytest.fixture(scope="module")
def district(stack):
    return stack.bearer(DISTRICT)


def state(stack, headers) -> dict:
    """What a refusal must leave as it was: the record's versions, answers and custom rows."""
    record = stack.get(RECORD + "/record", headers=headers).json()
    return {"contact": record["contact_version"], "rows": record["custom_rows"],
            "aspects": [(a["number"], a["version"]) for a in record["aspects"]]}


def thai_problem(response, *statuses) -> bool:
    body = response.json() if response.headers.get("Content-Type") == "application/problem+json" else {}
    thai = any("\u0e00" <= c <= "\u0e7f" for c in (body.get("detail") or body.get("title") or ""))
    return response.status_code in statuses and thai


@pytest.mark.parametrize("method, path", [
    ("GET", f"/api/workload/rounds/{HUGE}"), ("GET", "/api/workload/rounds/305319717558970159726592/questions"),
    ("PUT", f"{RECORD}/custom-rows/{HUGE}"), ("DELETE", f"{RECORD}/custom-rows/{HUGE}"),
    ("GET", f"/api/news/items/{HUGE}"), ("GET", "/api/workload/rounds/2147483648"),
])
def test_an_id_beyond_the_database_is_not_found(stack, district, method, path):
    response = stack.send(method, path, headers=district, json=ROW)
    assert thai_problem(response, 404), (response.status_code, response.text[:200])


@pytest.mark.parametrize("path", [f"/news/{HUGE}", f"/workload/{HUGE}/", f"/workload/{HUGE}/districts/3025/",
                                  f"/workload/2568/evidence/compare?with={HUGE}"])
def test_a_page_of_an_id_beyond_the_database_is_a_thai_404(stack, path):
    response = stack.get(path, headers=stack.bearer("demo-central"))
    assert response.status_code == 404 and "ไม่พบ" in response.text


def test_a_comparison_with_a_year_beyond_the_database_is_refused(stack):
    response = stack.get(f"/api/workload/rounds/2568/evidence/comparison?with={HUGE}",
                         headers=stack.bearer("demo-central"))
    assert thai_problem(response, 422)


@pytest.mark.parametrize("body", [
    b'{"version": 18446744073709551616, "answers": []}',
    b'{"version": ' + b"9" * 4400 + b', "answers": []}',
    b"[" * 900 + b"]" * 900,
    b'{"version": NaN, "answers": []}',
])
def test_a_body_beyond_bounds_is_refused_and_changes_nothing(stack, district, body):
    before = state(stack, district)
    response = stack.send("PUT", RECORD + "/aspects/1", headers={**district, "Content-Type": "application/json"},
                                     data=body)
    assert thai_problem(response, 400, 422), (response.status_code, response.text[:200])
    assert state(stack, district) == before


@pytest.mark.parametrize("change", [
    {"detail": "งาน\x00พิเศษ"}, {"unit": "ครั้ง\x1f"}, {"detail": "abc\u202egnp.exe"}, {"detail": "\ud800"},
    {"volume": "١٢"}, {"hours": "1,000"}, {"hours": "1,5"}, {"volume": "1.000,5"},
])
def test_a_custom_row_with_hostile_text_or_numbers_is_refused_and_changes_nothing(stack, district, change):
    before = state(stack, district)
    response = stack.post(RECORD + "/custom-rows", headers=district, json={**ROW, **change})
    assert thai_problem(response, 422), (change, response.status_code, response.text[:300])
    assert state(stack, district) == before


@pytest.mark.parametrize("change", [{"person_name": "นาย\x00ทดสอบ"}, {"office_phone": "0٤٤٢٤٢١١١"},
                                    {"person_mobile": "٠٨١٢٣٤٥٦٧٨"}, {"person_name": "\u202eนายทดสอบ"}])
def test_a_contact_with_hostile_text_or_digits_is_refused_and_changes_nothing(stack, district, change):
    before = state(stack, district)
    response = stack.send("PUT", RECORD + "/contact", headers=district,
                                     json={"version": before["contact"], **CONTACT, **change})
    assert thai_problem(response, 422), (change, response.status_code, response.text[:300])
    assert state(stack, district) == before


def test_what_is_taken_is_normalised_once_thousands_and_invisible_characters(stack, district):
    saved = stack.post(RECORD + "/custom-rows", headers=district,
                       json={**ROW, "detail": "งาน\u200bพิเศษ e\u0301", "volume": "1,000", "hours": "๑.๕"})
    assert saved.status_code == 201, saved.text
    row = next(r for r in state(stack, district)["rows"] if r["id"] == saved.json()["id"])
    assert (row["detail"], row["volume"], row["hours"]) == ("งานพิเศษ \u00e9", 1000, 1.5)
    assert stack.delete(f"{RECORD}/custom-rows/{row['id']}", headers=district).status_code == 204


def test_a_news_body_with_control_characters_is_refused(stack):
    response = stack.post("/api/news/manage/items", headers=stack.bearer("d-3025"),
                          json={"title": "ข่าว", "body": "เนื้อหา\x01\x02\x0b\x0c\x1f", "activity_date": "2026-11-01"})
    assert thai_problem(response, 422)


def test_a_form_with_nul_gets_a_thai_page_and_changes_nothing(stack):
    session, _ = stack.sign_in(DISTRICT, next_path="/workload/2569/districts/3025/contact")
    page = session.get(stack.url + "/workload/2569/districts/3025/contact").text
    csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
    before = state(stack, stack.bearer(DISTRICT))
    response = session.post(stack.url + "/workload/2569/districts/3025/contact", allow_redirects=False,
                            data={"csrf_token": csrf, "version": before["contact"], **CONTACT,
                                  "person_name": "นาย\x00"})
    assert response.status_code == 422 and "อักขระควบคุม" in response.text
    assert state(stack, stack.bearer(DISTRICT)) == before
