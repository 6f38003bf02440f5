"""Alembic for every service: one env.py body, and an upgrade call that tools and containers use.

    python -m shared.migrations <migrations dir> <database url>
"""
import sys
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, pool, text

# Replicas that start together (Kubernetes init containers) take turns; the later ones find head.
MIGRATION_LOCK_ID = 2_568_001


def alembic_config(migrations_dir: str | Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(migrations_dir: str | Path, url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(migrations_dir, url), revision)


def run_env(metadata: MetaData) -> None:
    """The body of each service's migrations/env.py (online mode only; SQLite needs batch mode)."""
    url = context.config.get_main_option("sqlalchemy.url")
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata,
                          render_as_batch=url.startswith("sqlite"), compare_type=True)
        with context.begin_transaction():
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
            context.run_migrations()
    engine.dispose()


if __name__ == "__main__":
    upgrade(sys.argv[1], sys.argv[2])
