"""The images' entrypoint as Kubernetes and compose run it, natively and on real PostgreSQL: migrations as the
schema's owner (deploy/postgres/roles.sql), the services as a role that may read and write rows and nothing
more, and new pods that wait until the schema is at this release's head."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from shared.testing import postgres_server_url, role_databases
from tools.stack import ROOT, SERVICES, free_port

ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
NAMES = [s.name for s in SERVICES]
# The image's PYTHONPATH (deploy/python.Dockerfile), with this checkout standing in for /app.
PYTHONPATH = ":".join(str(ROOT / part) for part in (".", "gateway", "services/portal", "services/workload",
                                                     "services/directory", "services/news"))


@pytest.fixture(scope="module")
def databases():
    """Five databases made by roles.sql, each with its owner and its row-only role: (owner URLs, role URLs)."""
    with role_databases(postgres_server_url()) as urls:
        yield urls


def entrypoint_env(tmp_path: Path, **settings) -> dict:
    return {"PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}", "PYTHONPATH": PYTHONPATH,
            "DCC_ENV": "production", "DCC_VAR_DIR": str(tmp_path), "DCC_LOG_LEVEL": "WARNING", **settings}


def test_the_service_role_cannot_change_the_schema(databases):
    _owners, roles = databases
    for name in NAMES:
        engine = create_engine(roles[name])
        try:
            with engine.connect() as conn, pytest.raises(ProgrammingError, match="permission denied"):
                conn.execute(text("CREATE TABLE intruder (id integer)"))
        finally:
            engine.dispose()


def test_migrate_then_serve_as_the_row_only_role(databases, tmp_path):
    owners, roles = databases
    env = entrypoint_env(tmp_path, **{f"{n.upper()}_MIGRATION_DATABASE_URL": url for n, url in owners.items()})
    # A pod of the new release, started before its migrate Job: it waits, and serves nothing meanwhile.
    waiting = subprocess.Popen(["sh", str(ENTRYPOINT), "wait"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL,
                               env=entrypoint_env(tmp_path, SERVICE="workload",
                                                  WORKLOAD_DATABASE_URL=roles["workload"]))
    try:
        time.sleep(3)
        assert waiting.poll() is None, "the pod did not wait for the schema"
        migrated = subprocess.run(["sh", str(ENTRYPOINT), "migrate"], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=300)
        assert migrated.returncode == 0, migrated.stderr[-3000:]
        assert waiting.wait(30) == 0
    finally:
        waiting.kill()
    # The service's role reads and writes every table the migrations made: the demo loaders write them all.
    for app in ("sso", "workload", "news"):
        loaded = subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", app, "load-demo"], cwd=ROOT,
                                env=entrypoint_env(tmp_path, **{f"{app.upper()}_DATABASE_URL": roles[app],
                                                                "SSO_KEY_DIR": str(tmp_path / "keys")}),
                                capture_output=True, text=True, timeout=300)
        assert loaded.returncode == 0, loaded.stderr[-3000:]
    engine = create_engine(roles["portal"])
    try:
        with engine.connect() as conn:  # the migrate step loaded the portal's starting content
            assert conn.execute(text("SELECT count(*) FROM portal_items")).scalar() > 10
    finally:
        engine.dispose()

    port, metrics_port = free_port(), free_port()
    serving = subprocess.Popen(["sh", str(ENTRYPOINT)], cwd=ROOT, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=entrypoint_env(
                                   tmp_path, SERVICE="workload", MIGRATE="false",
                                   WORKLOAD_DATABASE_URL=roles["workload"],
                                   GUNICORN_BIND=f"127.0.0.1:{port}", METRICS_PORT=str(metrics_port),
                                   DCC_TRUSTED_HOSTS="dcc.example.go.th,workload",
                                   SSO_JWKS=str(tmp_path / "keys" / "jwks.json")))
    try:
        url = f"http://127.0.0.1:{port}"
        ready = None
        for _ in range(100):
            try:  # a worker's first request imports the service: on a busy machine that takes a while
                ready = requests.get(url + "/healthz", headers={"Host": "workload"}, timeout=10)
                break
            except requests.ConnectionError:
                assert serving.poll() is None, "gunicorn exited"
                time.sleep(0.2)
        assert ready is not None and ready.status_code == 200 and ready.json()["status"] == "ok"
        assert requests.get(url + "/livez", headers={"Host": "workload"}, timeout=2).status_code == 200
        # What the kubelet would send without the manifest's Host header: the pod's address.
        assert requests.get(url + "/livez", timeout=2).status_code == 400
        public = requests.get(url + "/api/workload/openapi.json", headers={"Host": "dcc.example.go.th"}, timeout=5)
        assert public.status_code == 200
        metrics = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
        assert 'dcc_http_requests_total{method="GET",route="/healthz",service="workload",status="200"}' in metrics
    finally:
        os.killpg(serving.pid, signal.SIGTERM)
        serving.wait(30)
