"""The season's load test in small (`make loadtest` runs it at national size): the same scenario and stack
for 60 s with 50 users, who think for under a second so that districts finish and provinces confirm."""
import pytest

from loadtest import names
from loadtest.run import season

SMOKE = {
    "LOADTEST_DISTRICTS": "38",  # the districts of the first four provinces by code (35), and three more
    "LOADTEST_PROVINCES": "4",
    "LOADTEST_CENTRAL": "4",
    "LOADTEST_PUBLIC": "4",
    "LOADTEST_SPAWN_RATE": "1",  # 46 logins in 50 s: the SSO does not keep up with 5/s (README "Load test")
    "LOADTEST_STEADY_SECONDS": "12",
    "LOADTEST_THINK": "0.3-1",
    "LOADTEST_PROVINCE_EVERY": "2-4",
    "LOADTEST_REVISIONS": "0-1",
}


@pytest.mark.stack
def test_the_season_in_small_has_no_failure_and_exercises_every_request_type(tmp_path):
    result, summary = season({**SMOKE, "LOADTEST_OUT": str(tmp_path)})

    assert result.failures == 0 and result.exceptions == 0, summary.read_text()
    assert result.missing == [], summary.read_text()
    counts = {(row.method, row.name): row.requests for row in result.rows}
    assert set(names.EXPECTED) <= set(counts)
    # Every user but the public signed in through the form; a district's record was confirmed.
    assert counts[names.SIGN_IN] == 46 and counts[("POST", names.CONFIRM)] >= 1
    assert counts[("POST", names.ASPECT)] >= 38
    assert result.users_held_seconds >= 7
    assert (tmp_path / "season.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| **all requests** |" in summary.read_text()
