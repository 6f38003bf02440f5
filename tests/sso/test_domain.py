"""The SSO's rules, without Flask or a database."""
from datetime import datetime, timedelta

import pytest

from sso import domain

NOW = datetime(2026, 11, 26, 3, 0, 0)
POLICY = domain.LockoutPolicy(threshold=3, seconds=600)


def test_wrong_passwords_lock_the_account_at_the_threshold():
    assert domain.lock_after(1, POLICY, NOW) is None
    assert domain.lock_after(2, POLICY, NOW) is None
    until = domain.lock_after(3, POLICY, NOW)
    assert until == NOW + timedelta(seconds=600)
    assert domain.is_locked(until, NOW + timedelta(seconds=599))
    assert not domain.is_locked(until, NOW + timedelta(seconds=600))
    assert not domain.is_locked(None, NOW)


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
