"""The home page: the seven menus, the registry's coverage from the directory API (cached, with a
note when it does not answer), and for a signed-in user the shortcut to its Workload status."""

import pytest
from flask import Flask

import portal
from portal import directory_client
from shared.testing import migrated_app, serving
from tests.portal.conftest import MIGRATIONS, dead_url


@pytest.fixture
def directory_api():
    """A stand-in for GET /api/directory/provinces, served over HTTP as the portal reaches it."""
    fake = Flask("fake_directory")
    calls = []

    @fake.get("/api/directory/provinces")
    def provinces():
        calls.append(1)
        return [{"code": "81", "name_th": "กระบี่", "district_count": 8, "covered_district_count": 8},
                {"code": "30", "name_th": "นครราชสีมา", "district_count": 32, "covered_district_count": 30}]

    with serving(fake) as url:
        yield url, calls


@pytest.fixture
def home_with(tmp_path, tokens):
    opened = []

    def make(directory_url: str):
        context = migrated_app(portal.create_app, MIGRATIONS, tmp_path, "portal", **tokens.settings,
                               PORTAL_NEWS_URL=dead_url(), PORTAL_DIRECTORY_URL=directory_url)
        opened.append(context)
        return context.__enter__().test_client()

    yield make
    for context in opened:
        context.__exit__(None, None, None)


def test_the_home_page_shows_the_coverage_and_remembers_it(home_with, directory_api):
    url, calls = directory_api
    client = home_with(url)
    shown = client.get("/").get_data(as_text=True)
    assert "<strong>38</strong> จาก 40 อำเภอ" in shown and "(2 จังหวัด)" in shown
    client.get("/")
    assert len(calls) == 1  # the answer is kept for a while, not asked for on every view


def test_the_home_page_renders_with_notes_when_siblings_do_not_answer(home_with):
    response = home_with(dead_url()).get("/")
    shown = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ขณะนี้ไม่สามารถแสดงจำนวนผู้ปฏิบัติหน้าที่ ผอ.กง.ทอ. ได้" in shown
    assert "ขณะนี้ไม่สามารถแสดงข่าวประชาสัมพันธ์ล่าสุดได้" in shown


def shortcut_links(page: str) -> list[str]:
    if 'data-testid="shortcuts"' not in page:
        return []
    block = page.split('data-testid="shortcuts"')[1].split("</ul>")[0]
    return [part.split('"')[0] for part in block.split('href="')[1:]]


def test_the_seven_menus_are_entry_points_and_a_signed_in_user_gets_its_shortcuts(client, tokens):
    anonymous = client.get("/").get_data(as_text=True)
    for href in ("/directory/", "/news/", "/toolkits/", "/workload/", "/about/", "/faq/"):
        assert 'class="card entry-' in anonymous and f'href="{href}"' in anonymous
    assert shortcut_links(anonymous) == []
    tokens.sign_in(client, "demo-district", ["district"], "81", "8101", name="ท้องถิ่นอำเภอเมืองกระบี่")
    district = client.get("/").get_data(as_text=True)
    assert "สำหรับท้องถิ่นอำเภอเมืองกระบี่" in district
    assert shortcut_links(district) == ["/workload/", "/news/manage/"]
    tokens.sign_in(client, "p", ["province"], "81", name="สถจ.กระบี่")
    assert shortcut_links(client.get("/").get_data(as_text=True)) == ["/workload/", "/news/manage/"]
    # The SSO admin's work is the accounts: never the workload, which refuses it.
    tokens.sign_in(client, "s", ["ssoadmin"], "81", name="SSO Admin กระบี่")
    admin = client.get("/").get_data(as_text=True)
    assert shortcut_links(admin) == ["/sso/admin/users", "/sso/admin/users/new"] and "จัดการผู้ใช้" in admin
    tokens.sign_in(client, "c", ["central"], name="ส่วนกลาง")
    assert shortcut_links(client.get("/").get_data(as_text=True)) == [
        "/workload/", "/workload/rounds/", "/sso/admin/users", "/portal/manage/", "/directory/admin/sync"]


@pytest.mark.parametrize("body", [{"provinces": "x"}, [{"district_count": 1, "covered_district_count": 5}], "nonsense"])
def test_a_malformed_directory_answer_counts_as_no_answer(body):
    with pytest.raises((KeyError, TypeError, ValueError)):
        directory_client._coverage(body)
