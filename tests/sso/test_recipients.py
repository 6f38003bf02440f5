"""/internal/recipients: who the portal notifies for an office; services only (shared.internal)."""
import pytest

from shared.internal import HEADER

SECRET = "s" * 40


@pytest.fixture
def service(app, monkeypatch):
    monkeypatch.setitem(app.config, "DCC_SERVICE_SECRET", SECRET)
    return {HEADER: SECRET}


def test_a_district_office_and_a_province_office(client, service):
    district = client.get("/internal/recipients?district=8101", headers=service)
    assert district.status_code == 200
    assert [u["username"] for u in district.json["users"]] == ["district-a"]
    # A disabled user is told nothing; the province office is its province role, not its districts.
    assert client.get("/internal/recipients?province=81", headers=service).json["users"] == []
    assert client.get("/internal/recipients?district=8102",
                      headers=service).json["users"][0]["username"] == "locked-one"


@pytest.mark.parametrize("headers", [{}, {HEADER: "wrong" * 10}, {HEADER: ""}, {"X-Auth-Checked": SECRET}])
def test_nobody_else_learns_anything(client, service, headers):
    assert client.get("/internal/recipients?district=8101", headers=headers).status_code == 404


def test_without_a_secret_configured_nobody_is_a_service(client):
    assert client.get("/internal/recipients?district=8101", headers={HEADER: ""}).status_code == 404


def test_one_user_by_name_while_enabled(client, service):
    assert [u["username"] for u in client.get("/internal/recipients?user=district-a",
                                                headers=service).json["users"]] == ["district-a"]
    assert client.get("/internal/recipients?user=nobody", headers=service).json["users"] == []


def test_one_office_is_asked_about(client, service):
    assert client.get("/internal/recipients", headers=service).status_code == 400
    assert client.get("/internal/recipients?district=8101&province=81", headers=service).status_code == 400
    assert client.get("/internal/recipients?district=8101&user=district-a", headers=service).status_code == 400
