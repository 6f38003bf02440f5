"""The demo's open round: a few districts of the demo province have begun their records, each with a contact
person's e-mail (for the Cc of the district's notifications), none complete or confirmed."""
from sqlalchemy import select

import workload
from shared.testing import migrated_app
from tests.workload.conftest import MIGRATIONS
from workload import read_models
from workload.demo import OPEN_ROUND_STARTED, demo_contact_email, load_demo_rounds
from workload.models import Round, db


def test_the_open_rounds_begun_records_have_a_contact_email_and_are_not_complete(tmp_path_factory, tokens):
    with migrated_app(workload.create_app, MIGRATIONS, tmp_path_factory.mktemp("demo"), "workload",
                      **tokens.settings) as app, app.app_context():
        assert "2569 (open, 3 records begun" in load_demo_rounds()
        current = db.session.scalar(select(Round).where(Round.fiscal_year == 2569))
        rows = {row.district.code: row for row in read_models.district_rows(current, "81", with_flags=False)}
        for code in OPEN_ROUND_STARTED:
            row = rows[code]
            assert row.contact.person_email == demo_contact_email(code) == f"contact-{code}@dcc-demo.test"
            assert not row.complete and row.confirmed_at is None
            assert [n for n, state in row.states.items() if state.value == "complete"] == [1, 2, 3]
        assert rows["8101"].record is None and rows["8102"].record is None  # the tests' own start empty
