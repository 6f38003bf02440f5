"""Test helpers: real databases for service tests and the stack, SQLite locally, PostgreSQL in CI.

TEST_DATABASE_URL names a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
each test run creates its own databases there and drops them afterwards. Without it, SQLite files
in a temporary folder. With CI=true, PostgreSQL is required: a missing server fails the run.
"""
import os
import secrets
import shutil
import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import jwt
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import WSGIRequestHandler, make_server


def require_postgresql(engine, what: str) -> None:
    """A test whose promise only PostgreSQL can keep (row locks): skipped on a laptop's SQLite, but a failure
    under CI=true, which must prove it and never skip it."""
    if engine.dialect.name == "postgresql":
        return
    import pytest

    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true needs PostgreSQL (TEST_DATABASE_URL) for {what}")
    pytest.skip("row locks are PostgreSQL's; SQLite lets one writer at a time (CI runs this on PostgreSQL)")


def postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url is None and os.environ.get("CI") == "true":
        raise RuntimeError("CI=true needs TEST_DATABASE_URL pointing at PostgreSQL")
    return url


LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ROLES_SQL = Path(__file__).resolve().parent.parent / "deploy" / "postgres" / "roles.sql"


def postgres_server_url() -> str:
    """For tests about PostgreSQL itself (its roles, its dumps), which SQLite cannot stand in for:
    TEST_DATABASE_URL, else the local server when it answers. Neither: the test fails and says why."""
    url = postgres_admin_url() or LOCAL_POSTGRES
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return url
    except Exception as error:
        raise AssertionError(f"this test needs PostgreSQL: set TEST_DATABASE_URL or start it at 127.0.0.1:5432 "
                             f"({type(error).__name__})") from None
    finally:
        engine.dispose()


@contextmanager
def role_databases(server: str, names=("sso", "portal", "workload", "directory", "news")):
    """Five new, empty databases as production has them (roles.sql): (owner URLs, row-only role URLs)."""
    prefix = f"dcc_r{secrets.token_hex(3)}_"
    host = make_url(server)
    owners, roles = {}, {}
    try:
        for name in names:
            subprocess.run([shutil.which("psql") or "psql", "-q", "-h", host.host or "127.0.0.1",
                            "-p", str(host.port or 5432),
                            "-U", host.username or "postgres", "-d", host.database or "postgres",
                            "-v", f"service={name}", "-v", f"prefix={prefix}", "-v", f"database={prefix}{name}",
                            "-v", "owner_password=owner-pw", "-v", "app_password=app-pw",
                            "-f", str(ROLES_SQL)],
                           check=True, capture_output=True, text=True,
                           env={**os.environ, "PGPASSWORD": host.password or ""})
            base = host.set(database=f"{prefix}{name}")
            owners[name] = base.set(username=f"{prefix}{name}_owner", password="owner-pw").render_as_string(False)
            roles[name] = base.set(username=f"{prefix}{name}", password="app-pw").render_as_string(False)
        yield owners, roles
    finally:
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}{name}" WITH (FORCE)'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{prefix}{name}"'))
                conn.execute(text(f'DROP ROLE IF EXISTS "{prefix}{name}_owner"'))
        engine.dispose()


@contextmanager
def database_urls(names: list[str], sqlite_dir: Path):
    """One fresh, empty database per name; dropped again on PostgreSQL."""
    admin = postgres_admin_url()
    if admin is None:
        yield {name: f"sqlite:///{sqlite_dir / f'{name}.sqlite3'}" for name in names}
        return
    prefix = f"dcc_test_{secrets.token_hex(4)}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    urls = {}
    with engine.connect() as conn:
        for name in names:
            conn.execute(text(f'CREATE DATABASE "{prefix}_{name}"'))
            urls[name] = make_url(admin).set(database=f"{prefix}_{name}").render_as_string(hide_password=False)
    try:
        yield urls
    finally:
        with engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{prefix}_{name}" WITH (FORCE)'))
        engine.dispose()


class TokenFactory:
    """Mints tokens the way the SSO does, for service tests that run without the SSO app and without nginx.

    Such a test plays the gateway too: its requests carry what nginx adds after the SSO found the token's
    session live (X-Auth-Checked with the gateway's secret, X-Auth-Session). Give the app `settings`.
    What a service does without that proof is tested against the real SSO (tests/shared/test_sessions.py)
    and on a service's own port in the stack tests.
    """

    def __init__(self, key_dir: Path, issuer: str = "dla-dcc-sso", audience: str = "dla-dcc"):
        from sso.keys import (
            ensure_keys,  # the SSO's own key code, so tests sign exactly as it does
        )

        self.key, self.kid = ensure_keys(key_dir)
        self.jwks_path = key_dir / "jwks.json"
        self.issuer, self.audience = issuer, audience
        self.gateway_secret = secrets.token_urlsafe(32)

    @property
    def settings(self) -> dict:
        """The app settings under which these tokens verify and the test's gateway headers are believed."""
        return {"SSO_JWKS": str(self.jwks_path), "DCC_GATEWAY_SECRET": self.gateway_secret,
                "DCC_SERVICE_SECRET": self.gateway_secret}

    def gateway_headers(self, token: str) -> dict:
        """What nginx adds to a request with this token once the SSO found its session live."""
        sid = jwt.decode(token, options={"verify_signature": False}).get("sid", "")
        return {"X-Auth-Checked": self.gateway_secret, "X-Auth-Session": sid}

    def sign_in(self, client, *args, **kwargs) -> str:
        """A Flask test client signed in by cookie, as a browser behind the gateway; the token."""
        token = self.token(*args, **kwargs)
        client.set_cookie("dcc_session", token)
        client.environ_base.update({f"HTTP_{name.upper().replace('-', '_')}": value
                                    for name, value in self.gateway_headers(token).items()})
        return token

    def token(self, username: str, roles: list[str], province: str | None = None,
              district: str | None = None, key=None, **changes) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.audience, "sub": username, "name": username,
                  "roles": roles, "province": province, "district": district,
                  "sid": secrets.token_urlsafe(8), "csrf": "test-csrf", "iat": now, "exp": now + 600}
        claims.update(changes)
        return jwt.encode(claims, key or self.key, algorithm="EdDSA", headers={"kid": self.kid})

    def bearer(self, *args, **kwargs) -> dict:
        """Authorization headers of a fresh token, with the gateway's word that its session is live."""
        token = self.token(*args, **kwargs)
        return {"Authorization": f"Bearer {token}", **self.gateway_headers(token)}

    def as_user(self, role: str, district: str | None = None, province: str | None = None) -> dict:
        """Authorization headers of a user of one role: as_user("district", "8101"), as_user("province",
        province="81"), as_user("central"); the province follows from the district."""
        province = province or (district[:2] if district else None)
        return self.bearer(f"{role}-{district or province or 'x'}", [role], province, district)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass  # no line per request in the test output


@contextmanager
def serving(app, port: int = 0):
    """Serve a WSGI app over real HTTP from a thread of this process; yields its base URL."""
    server = make_server("127.0.0.1", port, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def migrated_app(create_app, migrations: Path, tmp_dir: Path, name: str, **overrides):
    """A service's app on its own fresh database, migrated to head; dropped again afterwards."""
    from shared.migrations import upgrade

    with database_urls([name], tmp_dir) as urls:
        upgrade(migrations, urls[name])
        app = create_app({"SQLALCHEMY_DATABASE_URI": urls[name], "TESTING": True, **overrides})
        try:
            yield app
        finally:
            with app.app_context():
                app.extensions["sqlalchemy"].engine.dispose()


def empty_tables(app, db) -> None:
    """Delete every row of an app's tables (children first), so that the next test starts empty."""
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()


def fill_record_over_http(base_url: str, headers: dict, district: str, contact: dict, year: int = 2569,
                          answer: tuple[str, str, str] = ("1", "0", "1")) -> dict:
    """Answer every question of every aspect and save the contact data through the workload API, as
    the district would; the record afterwards."""
    base = f"{base_url}/api/workload/rounds/{year}/districts/{district}"
    view = requests.get(base + "/record", headers=headers, timeout=10).json()
    for aspect in view["aspects"]:
        body = {"version": aspect["version"], "answers": [
            {"question_id": q["id"], "volume": answer[0], "days": answer[1], "hours": answer[2]}
            for q in aspect["questions"]]}
        response = requests.put(f"{base}/aspects/{aspect['number']}", json=body, headers=headers, timeout=10)
        response.raise_for_status()
    requests.put(base + "/contact", json={"version": view["contact_version"], **contact}, headers=headers,
                 timeout=10).raise_for_status()
    return requests.get(base + "/record", headers=headers, timeout=10).json()


class CuttableProxy:
    """A TCP proxy of a test's own between the services and their database: forwards 127.0.0.1:`port` to the
    target; `cut()` drops every connection and refuses new ones (accepted and closed at once, as a database
    that went away) until `restore()`."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._cut = threading.Event()
        self._open: set = set()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut(self) -> None:
        self._cut.set()
        with self._lock:
            for sock in list(self._open):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self._cut.clear()

    def close(self) -> None:
        self.cut()
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._cut.is_set():
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._open |= {client, server}
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.close()
                except OSError:
                    pass
            with self._lock:
                self._open -= {source, sink}


def stored_files(store) -> set[str]:
    """Every file a store holds, part-files of the folder included: what a failed request must not leave."""
    root = getattr(store, "root", None)
    if root is not None:
        return {path.name for path in root.rglob("*") if path.is_file()} if root.is_dir() else set()
    return set(store.names())


def empty_store(store) -> None:
    root = getattr(store, "root", None)
    if root is not None:
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        return
    for name in store.names():
        store.delete(name)
