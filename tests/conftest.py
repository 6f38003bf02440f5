"""Fixtures shared by the stack and browser tests: the real center, started once per test session."""
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from shared.testing import database_urls
from tools.stack import SERVICES, free_port, prepare, stack_env, start, stop

DEMO_PASSWORD = "demo-pass-2568"

# Settings the tests rely on: a small lockout threshold so that locking is quick to provoke.
TEST_SETTINGS = {
    "SSO_LOCKOUT_THRESHOLD": "3",
    "SSO_LOCKOUT_SECONDS": "60",
    "GATEWAY_LOGIN_RATE": "20r/s",
    "GATEWAY_LOGIN_BURST": "40",
    "GATEWAY_WORKERS": "1",
    "GUNICORN_WORKERS": "1",
    "WORKLOAD_GUNICORN_WORKERS": "2",  # several server processes, for the races of the confirmation
    "DCC_LOG_LEVEL": "WARNING",
    "PORTAL_NEWS_CACHE_SECONDS": "1",  # the home page shows news approved a moment ago
}


@dataclass
class Stack:
    url: str
    env: dict
    var_dir: Path

    def get(self, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return requests.post(self.url + path, timeout=10, **kwargs)

    def patch(self, path, **kwargs):
        return requests.patch(self.url + path, timeout=10, **kwargs)

    def delete(self, path, **kwargs):
        return requests.delete(self.url + path, timeout=10, **kwargs)

    def bearer(self, username, password=DEMO_PASSWORD) -> dict:
        """Authorization headers of a fresh API session of a demo user."""
        response = self.post("/api/sso/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack")
    ports = {service.name: free_port() for service in SERVICES}
    gateway_port = free_port()
    with database_urls([s.name for s in SERVICES], var_dir) as urls:
        extra = {**TEST_SETTINGS, **{f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()}}
        env = stack_env(var_dir, gateway_port, ports, extra)
        prepare(env)
        process = start(env)
        try:
            yield Stack(f"http://127.0.0.1:{gateway_port}", env, var_dir)
        finally:
            stop(process)
