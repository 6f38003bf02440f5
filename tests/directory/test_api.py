"""The JSON API: public data without personal contacts, staff data signed in, sync for the central office only."""
import pytest
from sqlalchemy import update

from directory.models import SyncLock, db
from directory.sync import sync_with_settings
from shared.clock import utcnow
from tests.directory.conftest import misbehave


@pytest.fixture(scope="module", autouse=True)
def synced(app, fake):
    with app.app_context():
        assert sync_with_settings(app.config, "command", "setup").status == "succeeded"


def test_provinces_with_covered_districts(client):
    provinces = client.get("/api/directory/provinces").get_json()
    assert len(provinces) == 76 and sum(p["district_count"] for p in provinces) == 878
    krabi = next(p for p in provinces if p["code"] == "81")
    assert krabi["name_th"] == "กระบี่" and 0 < krabi["covered_district_count"] <= krabi["district_count"]


def test_a_province_lists_every_district_with_its_officers_public_fields_only(client):
    body = client.get("/api/directory/provinces/81").get_json()
    assert body["name_th"] == "กระบี่" and len(body["districts"]) == 8 and body["last_synced_at"].endswith("+07:00")
    officer = body["districts"][0]["officers"][0]
    assert officer["id"] == "DLA-8101-01" and officer["office"]["name"] == "ท้องถิ่นอำเภอเมืองกระบี่"
    assert officer["districts"][0] == {"code": "8101", "name_th": "เมืองกระบี่"}
    assert {"office_phone", "office_email", "updated_at"} <= set(officer)
    assert "mobile_phone" not in officer and "personal_email" not in officer


def test_a_district_without_officer_has_an_empty_list(client):
    provinces = client.get("/api/directory/provinces").get_json()
    partial = next(p for p in provinces if p["covered_district_count"] < p["district_count"])
    body = client.get(f"/api/directory/provinces/{partial['code']}").get_json()
    assert any(d["officers"] == [] for d in body["districts"])


def test_unknown_province_and_officer_are_problems(client):
    for path in ("/api/directory/provinces/10", "/api/directory/provinces/xx", "/api/directory/officers/NOPE"):
        response = client.get(path)
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        assert response.get_json()["detail"]


def test_officer_public_and_staff_views(client, as_user):
    public = client.get("/api/directory/officers/DLA-8101-01").get_json()
    assert "mobile_phone" not in public and public["full_name"].endswith("(ข้อมูลสมมติ)")
    assert client.get("/api/directory/staff/officers/DLA-8101-01").status_code == 401
    staff = client.get("/api/directory/staff/officers/DLA-8101-01", headers=as_user("district", "3001")).get_json()
    assert staff["mobile_phone"].startswith("08") and staff["personal_email"] == "officer.8101@mail.example"


@pytest.mark.parametrize("query", ["อ.เมืองกระบี่", "อำเภอ เมืองกระบี่", "เมือง กระบี่", "จ.กระบี่ อ.เมืองกระบี่"])
def test_search_in_thai(client, query):
    body = client.get("/api/directory/officers", query_string={"q": query}).get_json()
    assert "DLA-8101-01" in [o["id"] for o in body["officers"]]


def test_search_by_name_and_province_filter(client):
    name = client.get("/api/directory/officers/DLA-3001-01").get_json()["full_name"]
    spaced = " ".join(name.replace(" ", ""))  # every character apart: still found
    body = client.get("/api/directory/officers", query_string={"q": spaced, "province": "30"}).get_json()
    assert [o["id"] for o in body["officers"]] == ["DLA-3001-01"]


@pytest.mark.parametrize("args", [{}, {"q": ""}, {"q": "ก" * 101}, {"q": "กระบี่", "province": "กระบี่"}])
def test_bad_search_input_is_a_problem(client, args):
    response = client.get("/api/directory/officers", query_string=args)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_status_says_when_and_where_to_correct(client):
    body = client.get("/api/directory/status").get_json()
    assert body["last_synced_at"] and body["active_officers"] == 878 - 31 and "DLA Connect" in body["note"]


def test_openapi_documents_the_registry(client):
    spec = client.get("/api/directory/openapi.json").get_json()
    for path in ("/api/directory/provinces/{code}", "/api/directory/officers", "/api/directory/admin/sync-runs"):
        assert path in spec["paths"]


@pytest.mark.parametrize("role, district, province", [
    ("district", "8101", None), ("province", None, "81"), ("ssoadmin", None, "81")])
def test_only_central_may_start_or_see_syncs(client, as_user, role, district, province):
    headers = as_user(role, district, province)
    assert client.post("/api/directory/admin/sync-runs", headers=headers).status_code == 403
    assert client.get("/api/directory/admin/sync-runs", headers=headers).status_code == 403
    assert client.get("/api/directory/admin/sync-runs/1", headers=headers).status_code == 403
    assert client.get("/api/directory/admin/sync-runs/1/changes", headers=headers).status_code == 403


def test_anonymous_may_not_start_a_sync(client):
    response = client.post("/api/directory/admin/sync-runs")
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_central_starts_a_sync_and_sees_the_log(client, as_user):
    central = as_user("central")
    response = client.post("/api/directory/admin/sync-runs", headers=central)
    assert response.status_code == 201, response.get_json()
    run = response.get_json()
    assert run["status"] == "succeeded" and run["fetched"] == 878 and run["trigger"] == "api"
    log = client.get("/api/directory/admin/sync-runs", headers=central).get_json()
    assert log[0]["id"] == run["id"]
    assert client.get(f"/api/directory/admin/sync-runs/{run['id']}", headers=central).get_json()["added"] == 0


def test_central_reads_the_history_of_a_sync(client, as_user, fake):
    misbehave(fake, ended=["DLA-8101-01"], changes={"DLA-8102-01": {"office_phone": "075 999 999"}})
    run = client.post("/api/directory/admin/sync-runs", headers=as_user("central")).get_json()
    changes = client.get(f"/api/directory/admin/sync-runs/{run['id']}/changes", headers=as_user("central")).get_json()
    by_id = {c["id"]: c for c in changes}
    assert by_id["DLA-8101-01"]["action"] == "removed" and by_id["DLA-8101-01"]["new_values"] is None
    assert by_id["DLA-8102-01"]["new_values"] == {"office_phone": "075 999 999"}
    assert client.get("/api/directory/admin/sync-runs/99999/changes", headers=as_user("central")).status_code == 404
    misbehave(fake, ended=[], changes={})
    assert client.post("/api/directory/admin/sync-runs", headers=as_user("central")).get_json()["added"] == 1


def test_a_failed_sync_is_a_502_problem_naming_the_record(client, as_user, fake):
    misbehave(fake, malformed=["DLA-8101-01"])
    response = client.post("/api/directory/admin/sync-runs", headers=as_user("central"))
    assert response.status_code == 502 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["code"] == "invalid_records" and "ทะเบียนยังคงเป็นข้อมูลชุดเดิม" in body["detail"]
    assert body["failure"]["records"][0]["id"] == "DLA-8101-01"
    assert client.get("/api/directory/officers/DLA-8101-01").status_code == 200  # still served


def test_a_busy_sync_is_a_409(client, as_user, app):
    with app.app_context():
        db.session.execute(update(SyncLock).values(run_id=999, expires_at=utcnow().replace(year=2100)))
        db.session.commit()
    try:
        response = client.post("/api/directory/admin/sync-runs", headers=as_user("central"))
        assert response.status_code == 409 and response.get_json()["code"] == "busy"
    finally:
        with app.app_context():
            db.session.execute(update(SyncLock).values(run_id=None, expires_at=None))
            db.session.commit()
