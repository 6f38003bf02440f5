"""The SSO's rules, without Flask or a database."""
from datetime import datetime, timedelta

import pytest

from sso import domain

NOW = datetime(2026, 11, 26, 3, 0, 0)
def test_wrong_passwords_slow_the_next_attempt_doubling_from_one_second_up_to_a_minute():
    pair = domain.PER_ACCOUNT_AND_ADDRESS
    assert [pair.delay(n) for n in range(0, 10)] == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    shared_office = domain.PER_ADDRESS  # an office's address has room for its people's typing mistakes
    assert [shared_office.delay(n) for n in (1, 20, 21, 22, 27, 40)] == [0, 0, 1, 2, 60, 60]


@pytest.mark.parametrize("last_seen_ago, ended, expires_in, reason", [
    (timedelta(minutes=29, seconds=59), None, timedelta(hours=1), None),
    (timedelta(minutes=30, seconds=1), None, timedelta(hours=1), "idle"),
    (timedelta(seconds=1), NOW, timedelta(hours=1), "ended"),
    (timedelta(seconds=1), None, timedelta(0), "expired"),
])
def test_session_ends_after_thirty_idle_minutes(last_seen_ago, ended, expires_in, reason):
    assert domain.session_ended(NOW - last_seen_ago, ended, NOW + expires_in, 1800, NOW) == reason


@pytest.mark.parametrize("target, expected", [
    ("/workload/", "/workload/"), ("/workload/?year=2569", "/workload/?year=2569"),
    (None, "/"), ("", "/"), ("https://evil.example/", "/"), ("//evil.example/", "/"),
    ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("/sso/logout", "/"),
    ("/\t/evil.example", "/"), ("/\n/evil.example", "/"), ("/ok path", "/"),
])
def test_after_login_only_local_paths(target, expected):
    assert domain.safe_next(target) == expected


@pytest.mark.parametrize("password, ok", [("short", False), ("password123", False),
                                          ("demo-central", False), ("ยาวพอและเดายาก-2569", True)])
def test_password_rules(password, ok):
    assert (domain.password_problem(password, "demo-central") is None) is ok


def test_exact_thai_messages_of_the_manual():
    assert domain.MESSAGES[domain.LoginFailure.UNKNOWN_USER] == "ไม่พบรหัสผู้ใช้ในระบบ"
    assert domain.MESSAGES[domain.LoginFailure.WRONG_PASSWORD] == "รหัสผ่านไม่ถูกต้อง"
