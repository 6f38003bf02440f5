"""ทะเบียน ทถอ. through nginx: the demo registry from the fake DLA Connect, public pages, and the
central office's sync behind auth_request, refused to everyone else."""
import re
import subprocess
import threading
import time

import pytest
import requests

from tools.stack import ROOT, VENV_BIN

pytestmark = pytest.mark.stack

PASSWORD = "demo-pass-2568"




def browser_login(stack, username):
    session, response = stack.sign_in(username, PASSWORD, "/directory/")
    assert response.status_code in (302, 303), response.text
    return session


def fake(stack, path, **behaviour):
    url = f"http://127.0.0.1:{stack.env['DLACONNECT_FAKE_PORT']}{path}"
    requests.post(url, json=behaviour or None, timeout=5).raise_for_status()


@pytest.fixture(autouse=True)
def _reset_fake(stack):
    fake(stack, "/_fake/reset")
    yield
    fake(stack, "/_fake/reset")


def test_the_demo_registry_is_filled_and_public(stack):
    page = stack.get("/directory/")
    assert page.status_code == 200 and "ปรับปรุงล่าสุด" in page.text and "ยังไม่เคยซิงก์" not in page.text
    provinces = stack.get("/api/directory/provinces").json()
    assert sum(p["covered_district_count"] for p in provinces) > 800
    province = stack.get("/directory/provinces/81/")
    assert province.status_code == 200 and "DLA-8101-01" in province.text
    officer = stack.get("/api/directory/officers/DLA-8101-01").json()
    assert officer["office"]["name"] == "ท้องถิ่นอำเภอเมืองกระบี่" and "mobile_phone" not in officer
    found = stack.get("/directory/search", params={"q": "อ. เมือง กระบี่"})
    assert "DLA-8101-01" in found.text


def test_staff_contacts_sit_behind_the_login(stack):
    assert stack.get("/api/directory/staff/officers/DLA-8101-01").status_code == 401
    page = stack.get("/directory/staff/officers/DLA-8101-01")
    assert page.status_code in (302, 303) and "/sso/login" in page.headers["Location"]
    staff = stack.get("/api/directory/staff/officers/DLA-8101-01", headers=stack.bearer("demo-district"))
    assert staff.status_code == 200 and staff.json()["mobile_phone"]


@pytest.mark.parametrize("user", [None, "demo-district", "demo-province", "demo-ssoadmin"])
def test_only_central_may_start_a_sync(stack, user):
    headers = stack.bearer(user) if user else {}
    response = stack.post("/api/directory/admin/sync-runs", headers=headers)
    assert response.status_code == (403 if user else 401)
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert stack.get("/api/directory/admin/sync-runs", headers=headers).status_code == (403 if user else 401)


def test_central_syncs_through_the_api(stack):
    response = stack.post("/api/directory/admin/sync-runs", headers=stack.bearer("demo-central"))
    assert response.status_code == 201, response.text
    assert response.json()["fetched"] == 878 and response.json()["status"] == "succeeded"


def test_central_syncs_from_the_page_with_its_csrf_token(stack):
    session = browser_login(stack, "demo-central")
    page = session.get(stack.url + "/directory/admin/sync")
    assert page.status_code == 200 and "ซิงก์ข้อมูลเดี๋ยวนี้" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    refused = session.post(stack.url + "/directory/admin/sync", data={}, allow_redirects=False)
    assert refused.status_code == 403
    done = session.post(stack.url + "/directory/admin/sync", data={"csrf_token": token}, allow_redirects=False)
    assert done.status_code == 302 and "#run-" in done.headers["Location"]
    assert "สำเร็จ" in session.get(stack.url + "/directory/admin/sync").text


def test_a_failing_dla_connect_changes_nothing_and_pages_keep_serving(stack):
    before = stack.get("/api/directory/provinces/81").json()
    fake(stack, "/_fake/behaviour", malformed=["DLA-8101-01"], ended=["DLA-8102-01"])
    response = stack.post("/api/directory/admin/sync-runs", headers=stack.bearer("demo-central"))
    assert response.status_code == 502 and response.json()["failure"]["records"][0]["id"] == "DLA-8101-01"
    assert stack.get("/api/directory/provinces/81").json() == before


def test_a_scheduled_sync_is_skipped_while_another_process_syncs(stack):
    """The lock holds across processes: the gunicorn worker syncs slowly, the scheduler's command waits its turn."""
    fake(stack, "/_fake/behaviour", slow_seconds=0.6)
    central = stack.bearer("demo-central")
    result = {}
    web = threading.Thread(target=lambda: result.update(
        web=requests.post(stack.url + "/api/directory/admin/sync-runs", headers=central, timeout=30)))
    web.start()
    try:
        time.sleep(0.3)  # the web sync holds the lock and waits on the slow first page
        command = subprocess.run([str(VENV_BIN / "flask"), "--app", "directory", "sync", "--by", "cron-test"],
                                 env=stack.env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    finally:
        web.join()
    assert command.returncode == 0 and "another sync is running; skipped" in command.stdout
    assert result["web"].status_code == 201
    runs = stack.get("/api/directory/admin/sync-runs", headers=central).json()
    assert {"busy", "succeeded"} <= {r["status"] for r in runs[:2]}
