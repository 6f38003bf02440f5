"""The SSO's migrations on a database that holds users, roles and sessions: nothing of them is lost."""
from sqlalchemy import create_engine, text

from shared.migrations import upgrade
from shared.testing import database_urls
from tools.stack import SERVICES

MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "sso")


def test_upgrading_a_populated_database_keeps_every_user_role_and_session(tmp_path):
    with database_urls(["sso"], tmp_path) as urls:
        upgrade(MIGRATIONS, urls["sso"], "0003")
        engine = create_engine(urls["sso"])
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO users (id, username, password_hash, display_name, disabled, failed_logins, "
                              "must_change_password, created_at) VALUES (1, 'd-8101', 'x', 'ท้องถิ่นอำเภอ', false, 0, "
                              "false, CURRENT_TIMESTAMP)"))
            conn.execute(text("INSERT INTO user_roles (user_id, role) VALUES (1, 'district')"))
            conn.execute(text("INSERT INTO sessions (id, user_id, via, created_at, last_seen_at, expires_at) VALUES "
                              "('s1', 1, 'cookie', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
        upgrade(MIGRATIONS, urls["sso"])
        with engine.connect() as conn:
            counts = [conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                      for table in ("users", "user_roles", "sessions")]
        engine.dispose()
    assert counts == [1, 1, 1]
