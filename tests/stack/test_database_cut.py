"""The database goes away for 10 s and comes back (a restart, a failover, a cable): a stack of its own on
PostgreSQL through PgBouncer, with a TCP proxy of this test's between the services and their database.
During the cut every request gets a Thai 503 page or a problem+json 503 within 5 s, never a 500; afterwards
no request fails (the pools find their dead connections before using them); every save acknowledged before,
during or after is there; no service process was restarted."""
import time

import pytest
from sqlalchemy import create_engine, text

from shared.testing import CuttableProxy, postgres_server_url
from tests.conftest import TEST_SETTINGS, Stack
from tools.stack import SERVICES, running

pytestmark = pytest.mark.stack

YEAR = 2569
DISTRICT = "6201"
CUT_SECONDS = 10


@pytest.fixture(scope="module")
def cut_stack(tmp_path_factory):
    proxies = []

    def through_a_proxy(host, port):
        proxies.append(CuttableProxy(host, port))
        return "127.0.0.1", proxies[-1].port

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEST_DATABASE_URL", postgres_server_url())
        settings = {**TEST_SETTINGS, "WORKLOAD_INSTANCES": "1", "GATEWAY_INSTANCES": "1"}
        with running(tmp_path_factory.mktemp("cut"), settings, database_hop=through_a_proxy) as started:
            yield Stack(started.url, started.env, started.database_urls, started.supervisor), proxies[0]
    proxies[0].close()


def aspect(stack, headers) -> dict:
    record = stack.get(f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record", headers=headers)
    assert record.status_code == 200, record.text
    return record.json()["aspects"][2]


def save(stack, headers, questions, number, version, volume):
    body = {"version": version, "answers": [{"question_id": q["id"], "volume": str(volume), "days": "0",
                                             "hours": "1"} for q in questions]}
    return stack.send("PUT", f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/aspects/{number}", json=body,
                      headers=headers)


def test_a_database_cut_is_a_503_while_it_lasts_and_nothing_after_it(cut_stack):
    stack, proxy = cut_stack
    headers = stack.bearer(f"d-{DISTRICT}")
    page_session, _ = stack.sign_in(f"d-{DISTRICT}")
    third = aspect(stack, headers)
    questions, number, version = third["questions"], third["number"], third["version"]
    masters = {p.name: p.process.pid for p in stack.supervisor.select()}

    before = save(stack, headers, questions, number, version, 7)
    assert before.status_code == 200, before.text
    version = before.json()["version"]

    proxy.cut()
    cut_started = time.monotonic()
    answers = []
    while time.monotonic() - cut_started < CUT_SECONDS:
        for kind, send in (
                ("api read", lambda: stack.get(f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record",
                                               headers=headers)),
                ("api save", lambda: save(stack, headers, questions, number, version, 8)),
                ("page", lambda: page_session.get(f"{stack.url}/workload/{YEAR}/districts/{DISTRICT}/aspects/{number}",
                                                  timeout=15, allow_redirects=False)),
                ("news api", lambda: stack.get("/api/news/items"))):
            started = time.monotonic()
            response = send()
            answers.append((kind, response.status_code, time.monotonic() - started, response))
        time.sleep(0.3)
    proxy.restore()

    assert len(answers) >= 12
    for kind, status, seconds, response in answers:
        assert status == 503, (kind, status, response.text[:300])
        assert seconds < 5, (kind, seconds)
        if kind.endswith("api read") or kind == "api save" or kind == "news api":
            assert response.headers["Content-Type"].startswith("application/problem+json"), kind
            assert response.json()["status"] == 503 and "ลองใหม่" in response.json()["detail"], kind
        else:
            assert "text/html" in response.headers["Content-Type"] and "ลองใหม่" in response.text, kind

    # Right after: nothing fails, the first request of every pooled connection included — above all in a
    # process that had no request during the cut (the registry's), whose pool still holds the dropped ones.
    assert stack.get("/api/directory/provinces").status_code == 200
    for _ in range(6):
        assert stack.get(f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record", headers=headers).status_code == 200
        assert stack.get("/api/news/items").status_code == 200
        assert page_session.get(f"{stack.url}/workload/{YEAR}/districts/{DISTRICT}/aspects/{number}",
                                timeout=10, allow_redirects=False).status_code == 200
    after = save(stack, headers, questions, number, version, 9)
    assert after.status_code == 200, after.text  # the cut's refused saves changed nothing: the version still fits
    assert stack.get("/").status_code == 200
    signed_in = stack.sign_in(f"d-{DISTRICT}")[1]
    assert signed_in.status_code == 302 and "/sso/login" not in signed_in.headers["Location"]

    # What was acknowledged is there, read from PostgreSQL itself; no process was started again.
    engine = create_engine(stack.database_urls["workload"])
    with engine.connect() as conn:
        volumes = conn.execute(text(
            "SELECT a.volume FROM answers a JOIN records r ON r.id = a.record_id JOIN rounds o ON o.id = r.round_id "
            "JOIN questions q ON q.id = a.question_id "
            "WHERE r.district_code = :d AND o.fiscal_year = :y AND q.aspect = :n"),
            {"d": DISTRICT, "y": YEAR, "n": number}).scalars().all()
    engine.dispose()
    assert volumes and {float(v) for v in volumes} == {9.0}
    assert {p.name: p.process.pid for p in stack.supervisor.select()} == masters
    assert all(stack.alive(service.name) for service in SERVICES)
