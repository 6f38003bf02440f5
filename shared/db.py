"""Database setup: one SQLAlchemy object per service, SQLite tuned for concurrent use."""
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine

from shared import config

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


def engine_options(url: str, service: str) -> dict:
    """The connection pool of one service process: `<SERVICE>_DATABASE_POOL_SIZE` connections kept, up to
    `<SERVICE>_DATABASE_MAX_OVERFLOW` more at a peak (docs/operations.md "Connection budget")."""
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    connect_args = {
        "connect_timeout": config.env_int("DCC_DATABASE_CONNECT_TIMEOUT", 5),
        # A server that vanished without closing (a dead node, a partition) is noticed in seconds, so that the
        # request answers 503 instead of hanging its worker.
        "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
        "tcp_user_timeout": 15000,
    }
    if config.env_bool("DCC_PGBOUNCER", False):
        # Debian's PgBouncer (1.18) in transaction mode cannot keep a statement prepared on one server
        # connection for the next transaction, which may get another.
        connect_args["prepare_threshold"] = None
    prefix = f"{service.upper()}_DATABASE_"
    return {
        "pool_size": config.env_int(prefix + "POOL_SIZE", 2),
        "max_overflow": config.env_int(prefix + "MAX_OVERFLOW", 2),
        # A connection the database dropped (a restart, a failover, a cut) is found and replaced before a
        # request uses it: one short round trip per checkout, instead of a failed request per connection.
        "pool_pre_ping": True,
        # Waiting longer for a free connection than this answers 503, instead of holding the worker.
        "pool_timeout": config.env_int(prefix + "POOL_TIMEOUT", 5),
        "pool_recycle": 1800,
        "connect_args": connect_args,
    }


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
