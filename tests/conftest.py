"""Fixtures shared by the stack and browser tests: the real center, started once per test session."""
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tools.stack import running

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
    with running(var_dir, TEST_SETTINGS) as (url, env, _urls):
        yield Stack(url, env, var_dir)
