"""Test helpers: real databases for service tests and the stack, SQLite locally, PostgreSQL in CI.

TEST_DATABASE_URL names a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres);
each test run creates its own databases there and drops them afterwards. Without it, SQLite files
in a temporary folder. With CI=true, PostgreSQL is required: a missing server fails the run.
"""
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url is None and os.environ.get("CI") == "true":
        raise RuntimeError("CI=true needs TEST_DATABASE_URL pointing at PostgreSQL")
    return url


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
