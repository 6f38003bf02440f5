"""The database goes away for 10 s and comes back: a stack of its own on PostgreSQL through PgBouncer, with a
TCP proxy of this test's cut either behind PgBouncer (PostgreSQL restarted, failed over) or in front of it (the
services' own connections dropped: PgBouncer restarted, a cable). During the cut every request gets the
service's Thai 503 page or problem+json 503 within 5 s, never a 500; afterwards no request fails (the pools
find their dead connections before using them); every acknowledged save is there; no process was restarted."""
import subprocess
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


@pytest.fixture(scope="module", params=["behind PgBouncer", "in front of PgBouncer"])
def cut_stack(request, tmp_path_factory):
    proxies = []

    def through_a_proxy(host, port):
        proxies.append(CuttableProxy(host, port))
        return "127.0.0.1", proxies[-1].port

    hop = {"server_hop" if request.param == "behind PgBouncer" else "database_hop": through_a_proxy}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TEST_DATABASE_URL", postgres_server_url())
        # nginx keeps the SSO's verdicts longer than the cut, so that requests reach the services, whose own
        # answer is what this test is about (the SSO's database is cut too).
        settings = {**TEST_SETTINGS, "WORKLOAD_INSTANCES": "1", "GATEWAY_INSTANCES": "1",
                    "SSO_VERDICT_SECONDS": str(CUT_SECONDS * 6)}
        with running(tmp_path_factory.mktemp("cut"), settings, **hop) as started:
            started.env["CUT"] = request.param
            yield Stack(started.url, started.env, started.database_urls, started.supervisor), proxies[0]
    proxies[0].close()


def aspect(stack, headers) -> dict:
    record = stack.get(f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record", headers=headers)
    assert record.status_code == 200, record.text
    return record.json()["aspects"][2]


def every_process(stack) -> dict[str, list[str]]:
    """Each program's processes (its gunicorn master and workers, nginx's too), by pid."""
    return {p.name: sorted(subprocess.run(["pgrep", "-g", str(p.process.pid)], capture_output=True, text=True)
                           .stdout.split()) for p in stack.supervisor.select()}


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
    processes = every_process(stack)
    page = f"{stack.url}/workload/{YEAR}/districts/{DISTRICT}/aspects/{number}"
    assert page_session.get(page, timeout=10, allow_redirects=False).status_code == 200  # its verdict is kept

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
    if stack.env.get("CUT") == "behind PgBouncer":
        # PgBouncer (1.18) answers the first request of each database after the server is back with the login
        # failure it remembers, and logs in again meanwhile: one refusal per database, then none.
        for path, kwargs in (("/api/directory/provinces", {}), ("/api/news/items", {}), ("/", {}),
                             (f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record", {"headers": headers}),
                             ("/api/sso/session", {"headers": headers})):
            deadline = time.monotonic() + 3
            while stack.get(path, **kwargs).status_code != 200:
                assert time.monotonic() < deadline, path
                time.sleep(0.2)

    assert len(answers) >= 8
    for kind, status, seconds, response in answers:
        assert status == 503, (kind, status, response.text[:300])
        assert seconds < 5, (kind, seconds)
        if kind == "page":
            assert "text/html" in response.headers["Content-Type"] and "ฐานข้อมูลขัดข้อง" in response.text, kind
        else:
            assert response.headers["Content-Type"].startswith("application/problem+json"), kind
            problem = response.json()
            assert problem["code"] == "database_unavailable" and "ลองใหม่" in problem["detail"], kind
            assert response.headers["Retry-After"] == "5", kind

    # Right after: nothing fails, the first request of every pooled connection included — above all in a
    # process that had no request during the cut (the registry's), whose pool still holds the dropped ones.
    assert stack.get("/api/directory/provinces").status_code == 200
    for _ in range(6):
        record = stack.get(f"/api/workload/rounds/{YEAR}/districts/{DISTRICT}/record", headers=headers)
        assert record.status_code == 200, record.text
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
    assert every_process(stack) == processes  # no master and no worker was started again
    assert all(stack.alive(service.name) for service in SERVICES)
