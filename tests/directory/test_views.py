"""The registry pages as a browser uses them: public list, province, officer, search; the sync page."""
import pytest
from sqlalchemy import event, select

from directory.models import SyncRun, db
from directory.sync import sync_with_settings
from tests.directory.conftest import CSRF, misbehave


@pytest.fixture(scope="module", autouse=True)
def synced(app, fake):
    with app.app_context():
        assert sync_with_settings(app.config, "command", "setup").status == "succeeded"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_the_province_list(client):
    page = text(client.get("/directory/"))
    assert "ทะเบียน ทถอ." in page and page.count('href="/directory/provinces/') == 76
    assert "ปรับปรุงล่าสุด" in page and "ไม่ใช่ที่หน้านี้" in page and "DLA Connect" in page
    assert "อำเภอที่มี ผอ.กง.ทอ." in page
    assert "ซิงก์ข้อมูลจาก DLA Connect" not in page  # the button is the central office's


def test_a_province_page_with_its_officers_and_a_vacancy(client):
    page = text(client.get("/directory/provinces/81/"))
    assert "ผอ.กง.ทอ. จังหวัดกระบี่" in page and 'href="/directory/officers/DLA-8101-01"' in page
    assert "(ข้อมูลสมมติ)" in page and "08" not in page.split("โทร. สำนักงาน")[0][-20:]
    assert "officer.8101@mail.example" not in page  # personal e-mail never on public pages


def test_a_district_without_an_officer_says_so(client, app):
    from directory import registry
    from shared import geography

    with app.app_context():
        covered = registry.covered_counts()
    province = next(p.code for p in geography.provinces() if covered.get(p.code, 0) < len(geography.districts(p.code)))
    assert "ยังไม่มีข้อมูลผู้ได้รับมอบหมายใน DLA Connect" in text(client.get(f"/directory/provinces/{province}/"))


def test_the_officer_page_public_and_for_staff(client, browser_as):
    page = text(client.get("/directory/officers/DLA-8101-01"))
    assert "ท้องถิ่นอำเภอเมืองกระบี่" in page and "lo8101@dla-connect.example" in page
    assert "officer.8101@mail.example" not in page and 'data-testid="mobile"' not in page
    anonymous = client.get("/directory/staff/officers/DLA-8101-01")
    assert anonymous.status_code == 302 and "/sso/login" in anonymous.headers["Location"]
    staff = text(browser_as("province", province="30").get("/directory/staff/officers/DLA-8101-01"))
    assert "officer.8101@mail.example" in staff and 'data-testid="mobile"' in staff


def test_unknown_pages_are_thai_404s(client):
    for path in ("/directory/provinces/10/", "/directory/officers/DLA-0000-01"):
        response = client.get(path)
        assert response.status_code == 404 and "ไม่พบ" in text(response)


def test_search_page(client):
    page = text(client.get("/directory/search", query_string={"q": "อ.คลองท่อม"}))
    assert 'href="/directory/officers/DLA-8104-01"' in page and "อำเภอคลองท่อม" in page
    assert "ไม่พบผู้ได้รับมอบหมาย" in text(client.get("/directory/search", query_string={"q": "ไม่มีชื่อนี้แน่นอน"}))
    empty = text(client.get("/directory/search"))
    assert "พิมพ์ชื่อ-นามสกุล" in empty


def test_a_too_long_search_is_a_thai_message(client):
    response = client.get("/directory/search", query_string={"q": "ก" * 150})
    assert response.status_code == 400 and "คำค้นยาวเกินกำหนด" in text(response)


@pytest.mark.parametrize("role, district, province", [
    ("district", "8101", None), ("province", None, "81"), ("ssoadmin", None, "81")])
def test_the_sync_page_is_the_central_offices(browser_as, role, district, province):
    client = browser_as(role, district, province)
    assert client.get("/directory/admin/sync").status_code == 403
    assert client.post("/directory/admin/sync", data={"csrf_token": CSRF}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    assert client.get("/directory/admin/sync").status_code == 302
    assert client.post("/directory/admin/sync").status_code == 302


def test_central_syncs_from_the_page(browser_as, app):
    client = browser_as("central")
    page = text(client.get("/directory/admin/sync"))
    assert "ซิงก์ข้อมูลเดี๋ยวนี้" in page and f'name="csrf_token" value="{CSRF}"' in page
    response = client.post("/directory/admin/sync", data={"csrf_token": CSRF})
    assert response.status_code == 302 and "#run-" in response.headers["Location"]
    log = text(client.get("/directory/admin/sync"))
    assert "สำเร็จ" in log and "ปุ่มบนหน้าเว็บ" in log


def test_the_sync_form_needs_its_csrf_token(browser_as, app):
    client = browser_as("central")
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(SyncRun))
    assert client.post("/directory/admin/sync", data={}).status_code == 403
    assert client.post("/directory/admin/sync", data={"csrf_token": "wrong"}).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(SyncRun)) == before


def test_a_failed_sync_is_shown_with_the_record(browser_as, fake):
    misbehave(fake, malformed=["DLA-8101-01"])
    client = browser_as("central")
    client.post("/directory/admin/sync", data={"csrf_token": CSRF})
    log = text(client.get("/directory/admin/sync"))
    assert "ไม่สำเร็จ (ไม่มีการเปลี่ยนแปลงข้อมูล)" in log and "รหัส DLA-8101-01" in log
    assert "รูปแบบ E-mail ไม่ถูกต้อง" in log


@pytest.mark.parametrize("path", ["/directory/", "/directory/provinces/30/", "/directory/provinces/81/",
                                  "/api/directory/provinces/30"])
def test_pages_run_the_same_few_statements_whatever_the_province(app, client, path):
    """No statement per district or officer: the list and a province page stay fast (≤ 50 ms at p50)."""
    statements = []
    with app.app_context():
        engine = db.engine

    def listener(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len(statements) <= 2, statements
