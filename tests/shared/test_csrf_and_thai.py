from datetime import date, datetime

import pytest

from shared.auth import Identity
from shared.csrf import csrf_failure
from shared.thai import fiscal_year, thai_date, thai_datetime

COOKIE_USER = Identity("u", "u", frozenset({"district"}), "81", "8101", "s", "secret", "cookie")
BEARER_USER = Identity("u", "u", frozenset({"district"}), "81", "8101", "s", "secret", "bearer")
HOST = "localhost:8080"


@pytest.mark.parametrize("method, user, submitted, origin, refused", [
    ("GET", COOKIE_USER, None, None, False),
    ("POST", COOKIE_USER, "secret", None, False),
    ("POST", COOKIE_USER, "secret", "http://localhost:8080", False),
    ("POST", COOKIE_USER, None, None, True),
    ("POST", COOKIE_USER, "wrong", None, True),
    ("DELETE", COOKIE_USER, "", None, True),
    ("POST", COOKIE_USER, "secret", "https://evil.example", True),
    ("POST", COOKIE_USER, "secret", "null", True),
    ("POST", BEARER_USER, None, None, False),
    ("POST", None, None, None, False),
    ("POST", None, None, "https://evil.example", True),
])
def test_csrf_rules(method, user, submitted, origin, refused):
    assert (csrf_failure(method, user, submitted, origin, HOST) is not None) is refused


def test_thai_dates_are_buddhist_era_in_bangkok_time():
    assert thai_date(date(2026, 11, 26)) == "26 พฤศจิกายน 2569"
    assert thai_date(date(2026, 11, 26), short=True) == "26 พ.ย. 2569"
    # 20:30 UTC is already the next morning in Bangkok
    assert thai_datetime(datetime(2026, 9, 30, 20, 30)) == "1 ตุลาคม 2569 เวลา 03:30 น."


@pytest.mark.parametrize("day, year", [(date(2025, 10, 1), 2569), (date(2026, 9, 30), 2569),
                                       (date(2026, 10, 1), 2570)])
def test_fiscal_year(day, year):
    assert fiscal_year(day) == year
