"""Each service on its own: health, its page in the shared layout, and its own token check."""
from contextlib import ExitStack

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import directory
import news
import portal
import workload
from shared.testing import TokenFactory, migrated_app
from tools.stack import SERVICES

FACTORIES = {"portal": portal.create_app, "workload": workload.create_app,
             "directory": directory.create_app, "news": news.create_app}


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    return TokenFactory(tmp_path_factory.mktemp("keys"))


@pytest.fixture(scope="module")
def apps(tmp_path_factory, tokens):
    tmp = tmp_path_factory.mktemp("services")
    with ExitStack() as stack:
        yield {service.name: stack.enter_context(migrated_app(FACTORIES[service.name], service.migrations, tmp,
                                                              service.name, **tokens.settings))
               for service in SERVICES if service.name in FACTORIES}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_health_checks_the_database(apps, name):
    response = apps[name].test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "service": name}


@pytest.mark.parametrize("name", sorted(FACTORIES))
def test_without_its_database_a_service_is_alive_but_not_ready(name, tokens):
    """Kubernetes restarts a pod whose liveness fails and only stops sending to one that is not ready: a
    database failover must do the second, never the first."""
    unreachable = "postgresql+psycopg://nobody@127.0.0.1:9/nothing?connect_timeout=2"  # port 9: nothing listens
    app = FACTORIES[name]({"SQLALCHEMY_DATABASE_URI": unreachable, "TESTING": True, **tokens.settings})
    client = app.test_client()
    assert client.get("/livez").status_code == 200
    ready = client.get("/healthz")
    assert ready.status_code == 503 and ready.json == {"status": "database unavailable", "service": name}


@pytest.mark.parametrize("name, path, text", [
    ("portal", "/", "ศูนย์ประสานงานท้องถิ่นอำเภอ"), ("directory", "/directory/", "76 จังหวัด"),
    ("news", "/news/", "ข่าวประชาสัมพันธ์")])
def test_public_pages(apps, name, path, text):
    response = apps[name].test_client().get(path)
    assert response.status_code == 200 and text in response.get_data(as_text=True)


def test_unknown_page_is_a_thai_404_and_unknown_api_a_problem(apps):
    client = apps["workload"].test_client()
    page = client.get("/workload/nothing-here")
    assert page.status_code == 404 and "ไม่พบหน้าที่ต้องการ" in page.get_data(as_text=True)
    api = client.get("/api/workload/nothing-here")
    assert api.status_code == 404 and api.mimetype == "application/problem+json"


def test_workload_page_greets_the_district_and_shows_the_logout(apps, tokens):
    client = apps["workload"].test_client()
    tokens.sign_in(client, "demo-district", ["district"], "81", "8101",
                   name="ท้องถิ่นอำเภอเมืองกระบี่")
    page = client.get("/workload/").get_data(as_text=True)
    assert "สวัสดี <strong>ท้องถิ่นอำเภอเมืองกระบี่</strong>" in page
    assert 'name="csrf_token" value="test-csrf"' in page


def test_workload_page_for_a_province_user(apps, tokens):
    client = apps["workload"].test_client()
    tokens.sign_in(client, "p-30", ["province"], "30")
    assert "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดนครราชสีมา" in client.get("/workload/").get_data(as_text=True)


def test_workload_refuses_forged_tokens_itself(apps, tokens):
    """Defence in depth: even a request that slipped past nginx needs a genuine token."""
    client = apps["workload"].test_client()
    forged = {
        "other key": tokens.token("x", ["central"], key=Ed25519PrivateKey.generate()),
        "expired": tokens.token("x", ["central"], exp=1_000_000),
        "wrong audience": tokens.token("x", ["central"], aud="other"),
    }
    for name, token in forged.items():
        response = client.get("/api/workload/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, name
        assert client.get("/workload/", headers={"Authorization": f"Bearer {token}"}).status_code == 302
    response = client.get("/api/workload/me", headers=tokens.bearer("d-3001", ["district"], "30", "3001"))
    assert response.status_code == 200 and response.json["office"]["district"]["name"] == "เมืองนครราชสีมา"


def test_directory_api_lists_the_76_provinces(apps):
    provinces = apps["directory"].test_client().get("/api/directory/provinces").json
    assert len(provinces) == 76
    assert sum(p["district_count"] for p in provinces) == 878
    assert provinces[0]["code"] == "11"
