"""PgBouncer in front of the stack's PostgreSQL, as in production: transaction pooling, so that many service
processes share a few server connections (docs/operations.md "Connection budget").

    with pgbouncer.pooling("postgresql+psycopg://postgres@127.0.0.1:5432/postgres", run_dir) as pooled_url:
        ...  # the same URL through PgBouncer; any database name passes through to the server

Debian's pgbouncer (1.18) keeps no prepared statements across transactions: the services then run with
DCC_PGBOUNCER=true, which turns psycopg's automatic preparing off (shared/db.py).
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

CONFIG = """[databases]
* = host={host} port={port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {listen}
unix_socket_dir =
auth_type = trust
auth_file = {dir}/users.txt
pool_mode = transaction
max_client_conn = 2000
default_pool_size = {pool_size}
max_db_connections = {pool_size}
reserve_pool_size = 0
; A server that does not answer fails the waiting query within 5 s (a Thai 503), not after two minutes.
server_connect_timeout = 3
server_login_retry = 1
query_wait_timeout = 2
tcp_keepalive = 1
tcp_keepidle = 10
tcp_keepintvl = 5
tcp_keepcnt = 3
tcp_user_timeout = 15000
ignore_startup_parameters = extra_float_digits
logfile = {dir}/pgbouncer.log
pidfile = {dir}/pgbouncer.pid
"""


def executable() -> str:
    found = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
    if not found:
        raise SystemExit("pgbouncer is needed for the stack on PostgreSQL (make test installs Debian's package)")
    return found


@contextmanager
def pooling(server_url: str, listen_port: int, pool_size: int = 20):
    """PgBouncer on 127.0.0.1:listen_port in front of server_url's host; yields server_url through it."""
    server = make_url(server_url)
    # pgbouncer refuses to run as root: it then drops to nobody, who must read its files (pytest's temporary
    # folders are private).
    run_dir = Path(tempfile.mkdtemp(prefix="dcc-pgbouncer-"))
    run_dir.chmod(0o755)
    (run_dir / "users.txt").write_text(f'"{server.username or "postgres"}" "{server.password or ""}"\n')
    (run_dir / "pgbouncer.ini").write_text(CONFIG.format(host=server.host or "127.0.0.1", port=server.port or 5432,
                                                         listen=listen_port, dir=run_dir, pool_size=pool_size))
    for path in run_dir.iterdir():
        path.chmod(0o644)
    as_user = ["-u", "nobody"] if os.geteuid() == 0 else []
    if os.geteuid() == 0:
        shutil.chown(run_dir, "nobody")
    process = subprocess.Popen([executable(), *as_user, str(run_dir / "pgbouncer.ini")], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(listen_port, process, run_dir)
        yield server.set(host="127.0.0.1", port=listen_port).render_as_string(hide_password=False)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(run_dir, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen, run_dir: Path, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = run_dir / "pgbouncer.log"
            raise RuntimeError(f"pgbouncer exited: {log.read_text()[-2000:] if log.exists() else ''}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"pgbouncer did not listen on {port} within {timeout} s")
