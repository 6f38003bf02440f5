"""Alembic for every service: one env.py body, and an upgrade call that tools and containers use.

    python -m shared.migrations <migrations dir> <database url>          upgrade to the newest revision
    python -m shared.migrations --wait <migrations dir> <database url>   wait until someone else did (a pod of a
                                                                         new release, while the migrate Job runs)
"""
import sys
import time
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
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


def at_head(migrations_dir: str | Path, url: str) -> bool:
    """Whether the database has every migration of this code (read-only: the service's own role may ask).
    A revision this code does not know is a later release's: migrations only add, so this code runs on it
    (a rollback, or old pods beside new ones during a rollout)."""
    scripts = ScriptDirectory.from_config(alembic_config(migrations_dir, url))
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    known = {script.revision for script in scripts.walk_revisions()}
    return bool(current) and (current == set(scripts.get_heads()) or not current <= known)


def wait_for_head(migrations_dir: str | Path, url: str, timeout: float = 600, every: float = 2) -> None:
    """Returns once the database is at head; SystemExit after `timeout` seconds (the pod then fails and is
    retried, and the rollout stops there instead of serving new code on an old schema)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if at_head(migrations_dir, url):
                return
            state = "not yet at the newest revision"
        except Exception as error:  # the database not reachable yet counts as not yet
            state = f"not reachable ({type(error).__name__})"
        if time.monotonic() > deadline:
            raise SystemExit(f"the database is {state} after {timeout:.0f} s: has the migrate Job run?")
        time.sleep(every)


if __name__ == "__main__":
    if sys.argv[1] == "--wait":
        wait_for_head(sys.argv[2], sys.argv[3])
    else:
        upgrade(sys.argv[1], sys.argv[2])


def create_outbox_table(op) -> None:
    """The outbox_events table of shared.outbox, as each service's migration creates it (workload, news, SSO)."""
    import sqlalchemy as sa

    op.create_table('outbox_events',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('event_id', sa.String(length=120), nullable=False),
                    sa.Column('kind', sa.String(length=64), nullable=False),
                    sa.Column('payload', sa.JSON(), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('delivered_at', sa.DateTime(), nullable=True),
                    sa.Column('attempts', sa.Integer(), nullable=False),
                    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
                    sa.Column('last_error', sa.String(length=500), nullable=True),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_events')),
                    sa.UniqueConstraint('event_id', name=op.f('uq_outbox_events_event_id')))
    with op.batch_alter_table('outbox_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_events_next_attempt_at'), ['next_attempt_at'], unique=False)
