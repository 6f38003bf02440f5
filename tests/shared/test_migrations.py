"""Whether a pod's code may serve its database (the init container `entrypoint.sh wait`): at this code's head,
or at a later release's (a rollback, old pods beside new ones during a rollout); never behind it."""
from sqlalchemy import create_engine, text

from shared.migrations import at_head, upgrade, wait_for_head
from tools.stack import ROOT

MIGRATIONS = ROOT / "services" / "workload" / "migrations"


def set_revision(url: str, revision: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    engine.dispose()


def test_a_pod_serves_its_own_head_and_a_later_releases_schema_but_waits_behind_it(tmp_path):
    url = f"sqlite:///{tmp_path}/workload.sqlite3"
    assert not at_head(MIGRATIONS, url)  # nothing migrated yet
    upgrade(MIGRATIONS, url)
    assert at_head(MIGRATIONS, url)
    wait_for_head(MIGRATIONS, url, timeout=1)  # returns at once
    set_revision(url, "0099_a_later_release")
    assert at_head(MIGRATIONS, url)
    first = sorted(p.name for p in (MIGRATIONS / "versions").glob("0*.py"))[0].split("_", 1)[0]
    set_revision(url, first)
    assert not at_head(MIGRATIONS, url)
