"""The whole center on one machine: nginx, the SSO app and the four services under gunicorn.

    python -m tools.stack run        prepare, then run everything under honcho (Ctrl-C stops all)
    python -m tools.stack prepare    only render nginx.conf, migrate the databases, load demo data

`make run`, the integration tests and the benchmark all start the stack through this module.
"""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from gateway import render
from tools.fakes import dlaconnect

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Service:
    name: str
    app: str  # gunicorn's "module:factory()" target
    migrations: Path


SERVICES = (
    Service("sso", "sso:create_app()", ROOT / "gateway" / "migrations"),
    Service("portal", "portal:create_app()", ROOT / "services" / "portal" / "migrations"),
    Service("workload", "workload:create_app()", ROOT / "services" / "workload" / "migrations"),
    Service("directory", "directory:create_app()", ROOT / "services" / "directory" / "migrations"),
    Service("news", "news:create_app()", ROOT / "services" / "news" / "migrations"),
)


def stack_env(var_dir: Path, gateway_port: int = 8080, service_ports: dict[str, int] | None = None,
              extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every process of one stack shares."""
    env = dict(os.environ)
    ports = {**render.DEFAULT_PORTS, **(service_ports or {})}
    env.update({
        "DCC_VAR_DIR": str(var_dir),
        "GATEWAY_PORT": str(gateway_port),
        "SSO_KEY_DIR": str(var_dir / "keys"),
        "SSO_JWKS": str(var_dir / "keys" / "jwks.json"),
    })
    for name, port in ports.items():
        env[f"GATEWAY_UPSTREAM_{name.upper()}"] = f"127.0.0.1:{port}"
    # The workload service waits on the database while saving: a second thread per worker overlaps
    # those waits (make bench: about 340 saves/s against 280 with one thread).
    env.setdefault("WORKLOAD_GUNICORN_THREADS", "2")
    # DLA Connect cannot be reached from here: every stack runs its fake (tools/fakes/dlaconnect.py),
    # on 8095 for make run and on a free port when the caller chose free ports (tests, bench).
    env["DLACONNECT_FAKE_PORT"] = str(free_port() if service_ports else 8095)
    env.setdefault("DIRECTORY_DLACONNECT_URL", f"http://127.0.0.1:{env['DLACONNECT_FAKE_PORT']}")
    env.update(extra or {})
    return env


def _database_url(env: dict[str, str], service: str) -> str:
    return env.get(f"{service.upper()}_DATABASE_URL") or f"sqlite:///{env['DCC_VAR_DIR']}/{service}.sqlite3"


def prepare(env: dict[str, str]) -> None:
    """Render nginx.conf, bring every database to its newest migration, load demo data if empty."""
    var_dir = Path(env["DCC_VAR_DIR"])
    for sub in ("nginx", "log", "keys"):
        (var_dir / sub).mkdir(parents=True, exist_ok=True)
    (var_dir / "nginx" / "nginx.conf").write_text(render.render(env))
    for service in SERVICES:
        subprocess.run([str(VENV_BIN / "python"), "-m", "shared.migrations", str(service.migrations),
                        _database_url(env, service.name)], env=env, check=True, cwd=ROOT)
    for app in ("sso", "workload", "news"):
        subprocess.run([str(VENV_BIN / "flask"), "--app", app, "load-demo"], env=env, check=True, cwd=ROOT)
    # The portal's starting content (written from the user manual) is real content, not demo data.
    subprocess.run([str(VENV_BIN / "flask"), "--app", "portal", "load-content"], env=env, check=True, cwd=ROOT)
    # The demo registry arrives as the real one does, through the DLA Connect client and a sync. The
    # stack's fake starts only later under honcho, so for this first sync the fake serves over HTTP
    # from a thread of this process (photo URLs name the fake that keeps running).
    fake = dlaconnect.create_app(public_url=env["DIRECTORY_DLACONNECT_URL"])
    with dlaconnect.serving(fake) as (fake_url, _app):
        subprocess.run([str(VENV_BIN / "flask"), "--app", "directory", "load-demo"], check=True, cwd=ROOT,
                       env={**env, "DIRECTORY_DLACONNECT_URL": fake_url})


def procfile(env: dict[str, str], extra: dict[str, str] | None = None) -> str:
    """honcho's Procfile for this stack: nginx in the foreground and one gunicorn per service."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    var_dir = env["DCC_VAR_DIR"]
    lines = [f"nginx: {nginx} -p {var_dir}/nginx -c {var_dir}/nginx/nginx.conf"]
    for service in SERVICES:
        bind = env[f"GATEWAY_UPSTREAM_{service.name.upper()}"]
        tuning = "".join(f" --{option} {env[name]}" for option, name in (
            ("workers", f"{service.name.upper()}_GUNICORN_WORKERS"), ("threads", f"{service.name.upper()}_GUNICORN_THREADS"))
            if env.get(name))
        lines.append(f"{service.name}: {VENV_BIN}/gunicorn -c {ROOT}/deploy/gunicorn.conf.py "
                     f"--bind {bind} --name dcc-{service.name}{tuning} '{service.app}'")
    # One process: the fake keeps its misbehaviour switches in memory.
    lines.append(f"dlaconnect: {VENV_BIN}/gunicorn -c {ROOT}/deploy/gunicorn.conf.py --workers 1 --threads 4 "
                     f"--bind 127.0.0.1:{env['DLACONNECT_FAKE_PORT']} --name dcc-fake-dlaconnect "
                     "'tools.fakes.dlaconnect:create_app()'")
    lines += [f"{name}: {command}" for name, command in (extra or {}).items()]
    return "\n".join(lines) + "\n"


def honcho_command(env: dict[str, str], extra: dict[str, str] | None = None) -> list[str]:
    path = Path(env["DCC_VAR_DIR"]) / "Procfile"
    path.write_text(procfile(env, extra))
    return [str(VENV_BIN / "honcho"), "start", "-f", str(path), "-d", str(ROOT)]


# Below Linux's ephemeral range (32768-60999): a port the kernel hands out for outgoing connections
# (the many database connections while the stack prepares) could be taken before a server binds it.
PORT_RANGE = (20000, 32000)


def free_port() -> int:
    """A port nothing listens on now, outside the range of outgoing connections' ports."""
    while True:
        port = random.randrange(*PORT_RANGE)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def start(env: dict[str, str], extra: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the prepared stack in the background (its own process group) and wait until it answers."""
    var_dir = Path(env["DCC_VAR_DIR"])
    log = var_dir / "stack.log"
    with log.open("w") as out:
        process = subprocess.Popen(honcho_command(env, extra), env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    urls = [f"http://{address}/healthz" for address in render.settings(env)["upstreams"].values()]
    urls.append(f"http://127.0.0.1:{env['GATEWAY_PORT']}/healthz")
    urls.append(f"http://127.0.0.1:{env['DLACONNECT_FAKE_PORT']}/healthz")
    deadline = time.monotonic() + 60
    while urls:
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"the stack did not come up ({urls}):\n{log.read_text()[-4000:]}")
        try:
            if requests.get(urls[0], timeout=3).status_code == 200:
                urls.pop(0)
                continue
        except requests.RequestException:
            pass  # not listening yet, or still booting
        time.sleep(0.2)
    return process


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def running(var_dir: Path, settings: dict[str, str] | None = None, processes: dict[str, str] | None = None):
    """A whole stack of its own for the tests and the benchmarks: free ports, fresh databases (SQLite in
    var_dir, or on TEST_DATABASE_URL's PostgreSQL), demo data, every process started; stopped and the
    databases dropped afterwards. Yields (gateway URL, environment, database URLs)."""
    from shared.testing import database_urls  # the test helpers are not part of `make run`

    ports = {service.name: free_port() for service in SERVICES}
    gateway_port = free_port()
    with database_urls([s.name for s in SERVICES], var_dir) as urls:
        extra = {**(settings or {}), **{f"{name.upper()}_DATABASE_URL": url for name, url in urls.items()}}
        env = stack_env(var_dir, gateway_port, ports, extra)
        prepare(env)
        process = start(env, processes)
        try:
            yield f"http://127.0.0.1:{gateway_port}", env, urls
        finally:
            stop(process)


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "run"
    env = stack_env(Path(os.environ.get("DCC_VAR_DIR", ROOT / "var")).resolve(),
                    int(os.environ.get("GATEWAY_PORT", "8080")))
    prepare(env)
    if command == "run":
        print(f"\nศูนย์ประสานงานท้องถิ่นอำเภอ: http://localhost:{env['GATEWAY_PORT']}/ "
              "(demo-district / demo-pass-2568; Ctrl-C stops everything)\n", flush=True)
        args = honcho_command(env)
        os.execvpe(args[0], args, env)


if __name__ == "__main__":
    main(sys.argv)
