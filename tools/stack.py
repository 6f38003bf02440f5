"""The whole center on one machine: nginx, the SSO app and the four services under gunicorn.

    python -m tools.stack run        prepare, then run everything (Ctrl-C stops all)
    python -m tools.stack prepare    only render nginx.conf, migrate the databases, load demo data

`make run`, the integration tests and the benchmark all start the stack through this module.
WORKLOAD_INSTANCES=2 (any service, and GATEWAY_INSTANCES) runs more instances, each its own process group
under tools.supervise, so that a test can kill one and start it again while the rest keep serving.
"""
import os
import random
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from gateway import render
from shared.config import addresses
from tools.fakes import dlaconnect
from tools.supervise import Program, Supervisor

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


def instances(env: dict[str, str], name: str) -> int:
    """How many instances of a service (or of the gateway) the stack runs: <NAME>_INSTANCES, default 1."""
    value = env.get(f"{name.upper()}_INSTANCES") or "1"
    if not value.isdigit() or not 1 <= int(value) <= 9:
        raise SystemExit(f"{name.upper()}_INSTANCES must be a whole number from 1 to 9, got {value!r}")
    return int(value)


def stack_env(var_dir: Path, gateway_port: int = 8080, free_ports: bool = False,
              extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment every process of one stack shares. Instance i of a service listens on its default
    port + 100 × (i − 1) (8092, 8192, … for the workload service), or on free ports for tests and benchmarks;
    nginx's upstream for a service names all of its instances."""
    env = {**os.environ, **(extra or {})}
    env.update({
        "DCC_VAR_DIR": str(var_dir),
        "SSO_KEY_DIR": str(var_dir / "keys"),
        "SSO_JWKS": str(var_dir / "keys" / "jwks.json"),
    })
    # What nginx shows the services to prove it asked the SSO about a token (shared.sessions); a new one
    # for every start of a stack, as nothing outlives it.
    env.setdefault("DCC_GATEWAY_SECRET", secrets.token_urlsafe(32))

    def ports(name: str, default: int) -> list[int]:
        return [free_port() if free_ports else default + 100 * i for i in range(instances(env, name))]

    gateway_ports = ports("gateway", gateway_port)
    env["GATEWAY_PORT"] = str(gateway_ports[0])
    env["GATEWAY_PORTS"] = " ".join(map(str, gateway_ports))
    for name, default in render.DEFAULT_PORTS.items():
        env[f"GATEWAY_UPSTREAM_{name.upper()}"] = " ".join(f"127.0.0.1:{port}" for port in ports(name, default))
        # Each instance's Prometheus metrics, on a port of their own (9092, 9192, … for workload).
        env[f"{name.upper()}_METRICS_PORTS"] = " ".join(map(str, ports(name, default + 1000)))
    # The workload service waits on the database while saving: a second thread per worker overlaps
    # those waits (make bench: about 340 saves/s against 280 with one thread).
    env.setdefault("WORKLOAD_GUNICORN_THREADS", "2")
    # The SSO's logins hash (argon2 lets go of the GIL meanwhile) while nginx asks it about tokens with a 2 s
    # timeout: with four threads a verdict never queues behind a worker busy hashing (make loadtest).
    env.setdefault("SSO_GUNICORN_THREADS", "4")
    # DLA Connect cannot be reached from here: every stack runs its fake (tools/fakes/dlaconnect.py),
    # on 8095 for make run and on a free port for tests and benchmarks.
    env["DLACONNECT_FAKE_PORT"] = str(free_port() if free_ports else 8095)
    env.setdefault("DIRECTORY_DLACONNECT_URL", f"http://127.0.0.1:{env['DLACONNECT_FAKE_PORT']}")
    # The notifications' mail goes to the stack's own mail server (tools/fakes/mail.py), whose catch nginx shows
    # at /dev/mail/ (development only); links in it name this stack's first gateway.
    env["MAIL_FAKE_SMTP_PORT"] = str(free_port() if free_ports else 8025)
    env["MAIL_FAKE_HTTP_PORT"] = str(free_port() if free_ports else 8096)
    env.setdefault("SMTP_HOST", "127.0.0.1")
    env.setdefault("SMTP_PORT", env["MAIL_FAKE_SMTP_PORT"])
    env.setdefault("GATEWAY_DEV_MAIL", f"127.0.0.1:{env['MAIL_FAKE_HTTP_PORT']}")
    env.setdefault("DCC_PUBLIC_URL", f"http://localhost:{gateway_ports[0]}")
    return env


def _database_url(env: dict[str, str], service: str) -> str:
    return env.get(f"{service.upper()}_DATABASE_URL") or f"sqlite:///{env['DCC_VAR_DIR']}/{service}.sqlite3"


def gateway_env(env: dict[str, str], instance: int) -> dict[str, str]:
    """The settings of gateway instance `instance` (1, 2, …): its port, and its own pid, cache and log files."""
    if instance == 1:
        return env
    var_dir = env["DCC_VAR_DIR"]
    port = env["GATEWAY_PORTS"].split()[instance - 1]
    access_log = env.get("GATEWAY_ACCESS_LOG") or f"{var_dir}/log/nginx-access-{instance}.log json buffer=64k flush=1s"
    return {**env, "GATEWAY_PORT": port, "GATEWAY_RUN_DIR": f"{var_dir}/nginx-{instance}",
            "GATEWAY_ACCESS_LOG": access_log}


def gateway_config(env: dict[str, str], instance: int) -> Path:
    return Path(gateway_env(env, instance).get("GATEWAY_RUN_DIR") or Path(env["DCC_VAR_DIR"]) / "nginx") / "nginx.conf"


def render_gateways(env: dict[str, str]) -> None:
    """The stack's folders, and nginx.conf of every gateway instance."""
    var_dir = Path(env["DCC_VAR_DIR"])
    for sub in ("log", "keys"):
        (var_dir / sub).mkdir(parents=True, exist_ok=True)
    for instance in range(1, instances(env, "gateway") + 1):
        config = gateway_config(env, instance)
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(render.render(gateway_env(env, instance)))


def prepare(env: dict[str, str]) -> None:
    """Render nginx.conf, bring every database to its newest migration, load demo data if empty."""
    render_gateways(env)
    for service in SERVICES:
        # The schema's owner where a deployment separates it from the role the service runs as.
        url = env.get(f"{service.name.upper()}_MIGRATION_DATABASE_URL") or _database_url(env, service.name)
        subprocess.run([str(VENV_BIN / "python"), "-m", "shared.migrations", str(service.migrations), url],
                       env=env, check=True, cwd=ROOT)
    for app in ("sso", "workload", "news"):
        subprocess.run([str(VENV_BIN / "flask"), "--app", app, "load-demo"], env=env, check=True, cwd=ROOT)
    # The portal's starting content (written from the user manual) is real content, not demo data.
    subprocess.run([str(VENV_BIN / "flask"), "--app", "portal", "load-content"], env=env, check=True, cwd=ROOT)
    # Beside it, only in the demo: example items (marked ตัวอย่าง) where the manual gives nothing real yet.
    subprocess.run([str(VENV_BIN / "flask"), "--app", "portal", "load-demo"], env=env, check=True, cwd=ROOT)
    # The demo registry arrives as the real one does, through the DLA Connect client and a sync. The
    # stack's fake starts only later with the other processes, so for this first sync the fake serves over
    # HTTP from a thread of this process (photo URLs name the fake that keeps running).
    fake = dlaconnect.create_app(public_url=env["DIRECTORY_DLACONNECT_URL"])
    with dlaconnect.serving(fake) as (fake_url, _app):
        subprocess.run([str(VENV_BIN / "flask"), "--app", "directory", "load-demo"], check=True, cwd=ROOT,
                       env={**env, "DIRECTORY_DLACONNECT_URL": fake_url})


def programs(env: dict[str, str], extra: dict[str, str] | None = None) -> list[Program]:
    """Every process of the stack: nginx per gateway instance, gunicorn per service instance, the fake
    DLA Connect, and any `extra` (name → command line)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    found = []
    for instance, port in enumerate(env["GATEWAY_PORTS"].split(), start=1):
        config = gateway_config(env, instance)
        found.append(Program(f"gateway.{instance}", [nginx, "-p", str(config.parent), "-c", str(config)],
                             f"http://127.0.0.1:{port}/healthz"))
    for service in SERVICES:
        metrics_ports = env[f"{service.name.upper()}_METRICS_PORTS"].split()
        for instance, address in enumerate(addresses(env[f"GATEWAY_UPSTREAM_{service.name.upper()}"]), 1):
            name = f"{service.name}.{instance}"
            # SERVICE picks the <SERVICE>_GUNICORN_* settings in gunicorn.conf.py, as in the container image.
            own = {"SERVICE": service.name, "METRICS_PORT": metrics_ports[instance - 1], "METRICS_ADDRESS": "127.0.0.1",
                   "PROMETHEUS_MULTIPROC_DIR": f"{env['DCC_VAR_DIR']}/metrics/{name}"}
            found.append(Program(name, [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                        "--bind", address, "--name", f"dcc-{name}", service.app],
                                 f"http://{address}/healthz", env=own))
    # One process: the fake keeps its misbehaviour switches in memory.
    fake = f"127.0.0.1:{env['DLACONNECT_FAKE_PORT']}"
    found.append(Program("dlaconnect", [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                        "--workers=1", "--threads=4", "--bind", fake, "--name", "dcc-fake-dlaconnect",
                                        "tools.fakes.dlaconnect:create_app()"], f"http://{fake}/healthz"))
    mail = f"127.0.0.1:{env['MAIL_FAKE_HTTP_PORT']}"
    found.append(Program("mail", [str(VENV_BIN / "python"), "-m", "tools.fakes.mail", env["MAIL_FAKE_SMTP_PORT"],
                                  env["MAIL_FAKE_HTTP_PORT"], f"{env['DCC_VAR_DIR']}/mail"], f"http://{mail}/healthz"))
    # The notifications' processes (docs/notifications.md): the relays of the services that tell the portal
    # something, and the portal's sender.
    flask = str(VENV_BIN / "flask")
    found.append(Program("workload-relay", [flask, "--app", "workload", "relay"]))
    found.append(Program("news-relay", [flask, "--app", "news", "relay"]))
    found.append(Program("sso-relay", [flask, "--app", "sso", "relay"]))
    found.append(Program("portal-mail", [flask, "--app", "portal", "send-mail"]))
    found += [Program(name, shlex.split(command)) for name, command in (extra or {}).items()]
    # Services first, the gateways last: nginx resolves nothing at start, but its first requests should find
    # the services answering.
    return sorted(found, key=lambda program: program.service == "gateway")


# Below Linux's ephemeral range (32768-60999): a port the kernel hands out for outgoing connections
# (the many database connections while the stack prepares) could be taken before a server binds it.
PORT_RANGE = (20000, 32000)
_handed_out: set[int] = set()


def free_port() -> int:
    """A port nothing listens on now, outside the range of outgoing connections' ports, and not handed out
    before by this process (a stack takes its ports all at once, before anything binds them)."""
    while True:
        port = random.randrange(*PORT_RANGE)
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port


@dataclass
class RunningStack:
    """A started stack: where it answers, its settings, its databases, and a hand on each process."""
    url: str  # the first gateway
    env: dict[str, str]
    database_urls: dict[str, str]
    supervisor: Supervisor

    @property
    def gateway_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.env["GATEWAY_PORTS"].split()]

    def service_urls(self, service: str) -> list[str]:
        """Each instance of a service on its own port, without the gateway: instance i at index i − 1."""
        return [f"http://{a}" for a in addresses(self.env[f"GATEWAY_UPSTREAM_{service.upper()}"])]

    def metrics_urls(self, service: str) -> list[str]:
        """Each instance's Prometheus metrics (its gunicorn master's own port): instance i at index i − 1."""
        return [f"http://127.0.0.1:{port}/metrics" for port in self.env[f"{service.upper()}_METRICS_PORTS"].split()]

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """"workload.2" (one instance), "sso" (every instance), "gateway.2": the process group gets `sig`
        (SIGKILL: dies at once, as a crashed container; SIGTERM: a graceful stop); returns once it is gone."""
        self.supervisor.kill(name, sig)

    def start(self, name: str) -> None:
        """Start what is not running of `name` again; returns once it answers and every gateway sends it
        requests again (a gateway passes over an instance it found down for GATEWAY_UPSTREAM_FAIL_SECONDS)."""
        self.supervisor.start(name)
        if any(program.service in render.DEFAULT_PORTS for program in self.supervisor.select(name)):
            # nginx counts that time in whole seconds, and a second that has begun counts as one.
            time.sleep(render.settings(self.env)["upstream_fail_seconds"] + 1.2)

    def alive(self, name: str) -> bool:
        return all(program.alive() for program in self.supervisor.select(name))


@contextmanager
def running(var_dir: Path, settings: dict[str, str] | None = None, processes: dict[str, str] | None = None,
            database_hop=None, server_hop=None):
    """A whole stack of its own for the tests and the benchmarks: free ports, fresh databases (SQLite in
    var_dir, or on TEST_DATABASE_URL's PostgreSQL, which the services then reach through PgBouncer as in
    production), demo data, every process started; stopped and the databases dropped afterwards. `settings`
    may hold <SERVICE>_INSTANCES and GATEWAY_INSTANCES. `database_hop(host, port) -> (host, port)` puts
    something between the services and PgBouncer (a test's TCP proxy), `server_hop` between PgBouncer and
    PostgreSQL. Yields a RunningStack, whose database_urls reach PostgreSQL directly."""
    from shared.testing import database_urls  # the test helpers are not part of `make run`

    with database_urls([s.name for s in SERVICES], var_dir) as urls, \
            _pooled(urls, database_hop, server_hop) as served, _media_buckets(settings or {}) as buckets:
        extra = {**(settings or {}), **buckets, **{f"{name.upper()}_DATABASE_URL": url for name, url in served.items()}}
        if served != urls:  # the schema's owner migrates on the server itself, as the migrate Job does
            extra.update({f"{name.upper()}_MIGRATION_DATABASE_URL": url for name, url in urls.items()},
                         DCC_PGBOUNCER="true")
        env = stack_env(var_dir, free_ports=True, extra=extra)
        prepare(env)
        supervisor = Supervisor(programs(env, processes), env, log_dir=var_dir / "log", cwd=ROOT)
        try:
            supervisor.start()
            yield RunningStack(f"http://127.0.0.1:{env['GATEWAY_PORT']}", env, urls, supervisor)
        finally:
            supervisor.stop()


@contextmanager
def _media_buckets(settings: dict[str, str]):
    """With DCC_MEDIA_STORE=bucket (CI's stack, as production), news and portal keep their uploads in buckets
    of an S3 server of the stack's own (tools/fakes/s3.py) instead of folders under var_dir: the settings for
    them. It outlives every service's restart; its objects last as long as the stack."""
    if settings.get("DCC_MEDIA_STORE") != "bucket":
        yield {}
        return
    from tools.fakes.s3 import S3Server

    server = S3Server().start()
    try:
        yield {**server.env, "NEWS_MEDIA_BUCKET": server.bucket("dcc-news-media"),
               "PORTAL_MEDIA_BUCKET": server.bucket("dcc-portal-media")}
    finally:
        server.stop()


@contextmanager
def _pooled(urls: dict[str, str], hop=None, server_hop=None):
    """The URLs the services use: on PostgreSQL through one PgBouncer (and the hops, if any), else as they are."""
    if not all(url.startswith("postgresql") for url in urls.values()):
        yield urls
        return
    from sqlalchemy.engine import make_url

    from tools import pgbouncer

    server = make_url(next(iter(urls.values())))
    if server_hop:
        host, port = server_hop(server.host or "127.0.0.1", server.port or 5432)
        server = server.set(host=host, port=port)
    with pgbouncer.pooling(server.render_as_string(hide_password=False), free_port()) as pooled:
        pooled = make_url(pooled)
        host, port = (hop or (lambda h, p: (h, p)))("127.0.0.1", pooled.port)
        yield {name: make_url(url).set(host=host, port=port, password=pooled.password)
               .render_as_string(hide_password=False) for name, url in urls.items()}


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "run"
    env = stack_env(Path(os.environ.get("DCC_VAR_DIR", ROOT / "var")).resolve(),
                    int(os.environ.get("GATEWAY_PORT", "8080")))
    prepare(env)
    if command == "run":
        gateways = ", ".join(f"http://localhost:{port}/" for port in env["GATEWAY_PORTS"].split())
        print(f"\nศูนย์ประสานงานท้องถิ่นอำเภอ: {gateways} "
              "(demo-district / demo-pass-2568; Ctrl-C stops everything)\n", flush=True)
        # The reminders run at start and then once a day (a CronJob in Kubernetes); not in the tests' stacks,
        # whose own runs say which day it is (tests/stack/test_reminders_stack.py).
        daily = {"workload-remind": f"{shlex.quote(str(VENV_BIN / 'flask'))} --app workload remind --daily"}
        Supervisor(programs(env, daily), env, cwd=ROOT).run_forever()


if __name__ == "__main__":
    main(sys.argv)
