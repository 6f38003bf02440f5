"""Which database errors are an outage (503, try again) and which are a bug (500): shared.errors."""
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from shared.errors import database_unavailable
from shared.testing import postgres_server_url


def raised(engine, statement: str) -> Exception:
    with pytest.raises((OperationalError, ProgrammingError)) as caught:
        with engine.connect() as conn:
            conn.execute(text(statement))
    engine.dispose()
    return caught.value


def test_a_server_that_does_not_answer_is_an_outage():
    unreachable = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/x", connect_args={"connect_timeout": 2})
    assert database_unavailable(raised(unreachable, "SELECT 1"))


def test_a_bad_statement_is_a_bug_on_either_database(tmp_path):
    assert not database_unavailable(raised(create_engine(f"sqlite:///{tmp_path}/a.sqlite3"), "SELECT * FROM nothing"))
    assert not database_unavailable(raised(create_engine(postgres_server_url()), "SELECT * FROM nothing_at_all"))


def test_sqlites_lock_is_an_outage_that_passes(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (i integer)")
    holder.execute("BEGIN EXCLUSIVE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    try:
        assert database_unavailable(raised(engine, "INSERT INTO t VALUES (1)"))
    finally:
        holder.close()
