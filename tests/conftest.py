"""Fixtures shared by the stack and browser tests: the real center, started once per test session."""
import os
from pathlib import Path

import pytest
import requests

from shared import storage
from shared.testing import stored_files
from tools.fakes.s3 import S3Server
from tools.stack import RunningStack, running

DEMO_PASSWORD = "demo-pass-2568"

# Settings the tests rely on: a small lockout threshold so that locking is quick to provoke.
TEST_SETTINGS = {
    "GATEWAY_LOGIN_RATE": "20r/s",
    "GATEWAY_LOGIN_BURST": "40",
    "GATEWAY_WORKERS": "1",
    "GUNICORN_WORKERS": "1",
    # Two workload instances behind the gateway: every stack test also shows that the service keeps nothing
    # in its process (and the races of the confirmation run across processes). WORKLOAD_INSTANCES=1 to try one.
    "WORKLOAD_INSTANCES": os.environ.get("WORKLOAD_INSTANCES", "2"),
    "WORKLOAD_GUNICORN_WORKERS": "1",
    # A second nginx in front of the same services, for what must hold on every gateway replica.
    "GATEWAY_INSTANCES": "2",
    "DCC_LOG_LEVEL": "WARNING",
    "PORTAL_NEWS_CACHE_SECONDS": "1",  # the home page shows news approved a moment ago
    # The tests stand in for the load balancer: their X-Forwarded-For names the client (tests/stack/test_edge.py).
    "GATEWAY_TRUSTED_PROXIES": "127.0.0.1",
    # Uploads in buckets of an S3 server of the stack's own in CI, as in production; in folders on a laptop,
    # as `make run` keeps them (tools/stack.py _media_buckets). The upload tests run on both everywhere.
    "DCC_MEDIA_STORE": os.environ.get("DCC_MEDIA_STORE", "bucket" if os.environ.get("CI") == "true" else "folder"),
    # A notification's relay and its e-mail try again within seconds, not minutes, once the other side is back.
    "NOTIFY_RETRY_MAX_SECONDS": "2",
}


class Stack(RunningStack):
    """The running stack (tools.stack.RunningStack: kill, start, service_urls, gateway_urls) with the HTTP
    helpers the tests share."""

    @property
    def var_dir(self) -> Path:
        return Path(self.env["DCC_VAR_DIR"])

    def get(self, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return requests.get(self.url + path, timeout=10, **kwargs)

    def post(self, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return requests.post(self.url + path, timeout=10, **kwargs)

    def send(self, method, path, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        return requests.request(method, self.url + path, timeout=10, **kwargs)

    def patch(self, path, **kwargs):
        return requests.patch(self.url + path, timeout=10, **kwargs)

    def delete(self, path, **kwargs):
        return requests.delete(self.url + path, timeout=10, **kwargs)

    def sign_in(self, username, password=DEMO_PASSWORD, next_path="/workload/", url=None, address=None):
        """A browser's login through the form (it carries the form's own CSRF value): (session, the answer).
        `address`: the client's, as a load balancer in front of nginx names it (X-Forwarded-For)."""
        session = requests.Session()
        if address:
            session.headers["X-Forwarded-For"] = address
        url = url or self.url
        form = session.get(url + "/sso/login", timeout=10).text
        login_csrf = form.split('name="login_csrf" value="')[1].split('"')[0]
        response = session.post(url + "/sso/login", allow_redirects=False, timeout=10, data={
            "username": username, "password": password, "next": next_path, "login_csrf": login_csrf})
        return session, response

    def bearer(self, username, password=DEMO_PASSWORD) -> dict:
        """Authorization headers of a fresh API session of a demo user."""
        response = self.post("/api/sso/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack")
    with running(var_dir, TEST_SETTINGS) as started:
        yield Stack(**vars(started))


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server, for the bucket backend of uploads (started only by the tests that ask for it)."""
    server = S3Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def media_backend():
    """The folder; the upload tests' modules run on the bucket as well (they override this with both)."""
    return "folder"


@pytest.fixture(scope="module")
def media(media_service, media_backend, tmp_path_factory, request):
    """Where the app of `media_service` (a fixture of its tests' conftest) keeps its uploads: a folder, or a
    bucket of a real S3 server (shared.storage); the store and the app's settings for it."""
    prefix = media_service.upper()
    folder = tmp_path_factory.mktemp(f"{media_service}-media")
    if media_backend == "folder":
        yield storage.Folder(folder), {f"{prefix}_MEDIA_DIR": str(folder), f"{prefix}_MEDIA_BUCKET": ""}
        return
    server = request.getfixturevalue("s3_server")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in server.env.items():
            patch.setenv(name, value)
        bucket = server.bucket()
        yield storage.Bucket(bucket), {f"{prefix}_MEDIA_DIR": str(folder), f"{prefix}_MEDIA_BUCKET": bucket}


@pytest.fixture
def files(media):
    """The store's files now (part-files included): what a refused or failed request must leave unchanged."""
    return lambda: stored_files(media[0])
