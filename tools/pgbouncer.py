"""PgBouncer in front of the stack's PostgreSQL, as in production: the image's own entrypoint
(deploy/pgbouncer-entrypoint.sh: transaction pooling, the same timeouts) run here with Debian's pgbouncer.

    with pgbouncer.pooling("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", port) as pooled_url:
        ...  # the same server through PgBouncer; any database name passes through to it

PgBouncer checks a password (SCRAM) and logs in to the server with it: the stack's clients get a password of
this run's own, which a server that trusts local connections accepts. Debian's pgbouncer (1.18) keeps no
prepared statements across transactions: the services then run with DCC_PGBOUNCER=true (shared/db.py).
"""
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

ENTRYPOINT = Path(__file__).resolve().parent.parent / "deploy" / "pgbouncer-entrypoint.sh"


@contextmanager
def pooling(server_url: str, listen_port: int, pool_size: int = 20):
    """PgBouncer on 127.0.0.1:listen_port in front of server_url's host; yields server_url through it."""
    if not (shutil.which("pgbouncer") or Path("/usr/sbin/pgbouncer").exists()):
        raise SystemExit("pgbouncer is needed for the stack on PostgreSQL (make test installs Debian's package)")
    server = make_url(server_url)
    password = server.password or secrets.token_urlsafe(16)
    # Not a private temporary folder: as root, PgBouncer (which refuses root) runs as nobody and must read it.
    run_dir = Path(tempfile.mkdtemp(prefix="dcc-pgbouncer-"))
    run_dir.chmod(0o777)
    users = run_dir / "users.txt"
    users.write_text(f'"{server.username or "postgres"}" "{password}"\n')
    users.chmod(0o644)
    env = {"PATH": f"/usr/sbin:{os.environ['PATH']}", "PGBOUNCER_SERVER_HOST": server.host or "127.0.0.1",
           "PGBOUNCER_SERVER_PORT": str(server.port or 5432), "PGBOUNCER_USERS_FILE": str(users),
           "PGBOUNCER_LISTEN_ADDRESS": "127.0.0.1", "PGBOUNCER_PORT": str(listen_port),
           "PGBOUNCER_RUN_DIR": str(run_dir), "PGBOUNCER_POOL_SIZE": str(pool_size)}
    command = ["sh", str(ENTRYPOINT)]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "nobody", "--", *command]
    with (run_dir / "pgbouncer.log").open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_for(listen_port, process, run_dir)
        yield server.set(host="127.0.0.1", port=listen_port, password=password).render_as_string(hide_password=False)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
        shutil.rmtree(run_dir, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen, run_dir: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pgbouncer exited: {(run_dir / 'pgbouncer.log').read_text()[-2000:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"pgbouncer did not listen on {port} within {timeout} s")
