"""Database setup: one SQLAlchemy object per service, SQLite tuned for concurrent use."""
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

# Stable constraint names, so that Alembic migrations can drop and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SQLITE_BUSY_TIMEOUT_MS = 5000


def make_db() -> SQLAlchemy:
    """A fresh SQLAlchemy for one service; services never share one object or one database."""
    return SQLAlchemy(metadata=MetaData(naming_convention=NAMING_CONVENTION))


def engine_options(url: str) -> dict:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    # No pool_pre_ping: it costs a round trip on every request. After a database restart each pooled
    # connection fails once (a 500, retried by the user) and is replaced.
    return {"pool_size": 5, "max_overflow": 10, "pool_recycle": 1800}


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """WAL lets readers work while one writer commits; the busy timeout makes writers wait, not fail."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
