"""Fixtures shared by the stack and browser tests: the real center, started once per test session."""
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from shared.testing import database_urls
from tools.stack import SERVICES, honcho_command, prepare, stack_env

# Settings the tests rely on: a small lockout threshold so that locking is quick to provoke.
TEST_SETTINGS = {
    "SSO_LOCKOUT_THRESHOLD": "3",
    "SSO_LOCKOUT_SECONDS": "60",
    "GATEWAY_LOGIN_RATE": "20r/s",
    "GATEWAY_LOGIN_BURST": "40",
    "GATEWAY_WORKERS": "1",
    "GUNICORN_WORKERS": "1",
    "DCC_LOG_LEVEL": "WARNING",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def _wait_until_up(urls: list[str], process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    pending = list(urls)
    while pending:
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the stack did not come up ({pending}):\n{log.read_text()[-4000:]}")
        try:
            if requests.get(pending[0], timeout=3).status_code == 200:
                pending.pop(0)
                continue
        except requests.RequestException:
            pass  # not listening yet, or still booting
        time.sleep(0.2)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack")
    ports = {service.name: free_port() for service in SERVICES}
    gateway_port = free_port()
    with database_urls([s.name for s in SERVICES], var_dir) as urls:
        extra = {**TEST_SETTINGS, **{f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()}}
        env = stack_env(var_dir, gateway_port, ports, extra)
        prepare(env)
        log = var_dir / "stack.log"
        with log.open("w") as out:
            process = subprocess.Popen(honcho_command(env), env=env, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        try:
            health = [f"http://127.0.0.1:{port}/healthz" for port in ports.values()]
            _wait_until_up(health + [f"http://127.0.0.1:{gateway_port}/healthz"], process, log)
            yield Stack(f"http://127.0.0.1:{gateway_port}", env, var_dir)
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
