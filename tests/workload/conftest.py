from contextlib import contextmanager
from datetime import timedelta

import pytest

import workload
from shared.clock import utcnow
from shared.testing import TokenFactory, migrated_app
from tools.stack import SERVICES
from workload import rounds

MIGRATIONS = next(s.migrations for s in SERVICES if s.name == "workload")


@pytest.fixture(scope="module")
def tokens(tmp_path_factory):
    return TokenFactory(tmp_path_factory.mktemp("keys"))


@contextmanager
def two_rounds_app(tmp_path_factory, tokens):
    """Round 2568 closed and round 2569 open, each with its shipped catalog, on a fresh database."""
    with migrated_app(workload.create_app, MIGRATIONS, tmp_path_factory.mktemp("workload"), "workload",
                      **tokens.settings) as app:
        with app.app_context():
            now = utcnow()
            closed = rounds.create_round(2568, now - timedelta(days=400), now - timedelta(days=30))
            rounds.import_catalog(closed, rounds.catalog_file(2568)["aspects"])
            current = rounds.create_round(2569, now - timedelta(days=1), now + timedelta(days=60))
            rounds.import_catalog(current, rounds.catalog_file(2569)["aspects"])
        yield app


@pytest.fixture(scope="module")
def fresh_app(tmp_path_factory, tokens):
    """two_rounds_app for a module that needs several (test_api.py: one per save path)."""
    return lambda: two_rounds_app(tmp_path_factory, tokens)


@pytest.fixture(scope="module")
def app(fresh_app):
    """Round 2568 closed and round 2569 open, each with its shipped catalog."""
    with fresh_app() as app:
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def as_user(tokens):
    """Authorization headers for a user: as_user("district", "8101"), as_user("province", province="81")."""
    return tokens.as_user
