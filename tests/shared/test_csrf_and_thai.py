from datetime import date, datetime

import pytest

from shared.auth import Identity
from shared.csrf import csrf_failure
from shared.thai import (
    BANGKOK,
    date_input,
    datetime_input,
    fiscal_year,
    parse_date,
    parse_datetime,
    thai_date,
    thai_datetime,
)

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


def test_dates_are_typed_in_the_buddhist_era_and_iso_is_still_accepted():
    assert parse_date("1/12/2569") == parse_date("01/12/2569") == parse_date("๑/๑๒/๒๕๖๙") == date(2026, 12, 1)
    assert parse_date("2026-12-01") == date(2026, 12, 1)
    for wrong in ("12/01/2026", "31/2/2569", "1/13/2569", "1/12/69", "พรุ่งนี้", "", None, "1/12/2569 09:00"):
        assert parse_date(wrong) is None, wrong
    assert parse_datetime("1/12/2569 09:30") == datetime(2026, 12, 1, 9, 30, tzinfo=BANGKOK)
    assert parse_datetime("1/12/2569 เวลา 9.30 น.") == datetime(2026, 12, 1, 9, 30, tzinfo=BANGKOK)
    assert parse_datetime("2026-12-01T09:30") == datetime(2026, 12, 1, 9, 30, tzinfo=BANGKOK)
    for wrong in ("1/12/2569", "1/12/2569 24:00", "1/12/2569 9:75", "soon", None):
        assert parse_datetime(wrong) is None, wrong


def test_date_fields_show_the_buddhist_era():
    assert date_input(date(2026, 12, 1)) == date_input("2026-12-01") == "1/12/2569"
    assert date_input("1/12/2569") == "1/12/2569" and date_input("เมื่อวาน") == "เมื่อวาน"  # typed, shown back
    assert datetime_input(datetime(2026, 12, 1, 2, 30)) == "1/12/2569 09:30"  # stored UTC, shown in Bangkok
