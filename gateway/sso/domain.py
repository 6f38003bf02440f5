"""The SSO's rules as plain functions: login outcomes, lockout, idle sessions, safe redirects."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from urllib.parse import urlsplit

from zxcvbn import zxcvbn


class LoginFailure(str, Enum):
    UNKNOWN_USER = "unknown_user"
    WRONG_PASSWORD = "wrong_password"
    THROTTLED = "throttled"
    DISABLED = "disabled"
    TEMPORARY_EXPIRED = "temporary_expired"


MESSAGES = {
    LoginFailure.UNKNOWN_USER: "ไม่พบรหัสผู้ใช้ในระบบ",
    LoginFailure.WRONG_PASSWORD: "รหัสผ่านไม่ถูกต้อง",
    LoginFailure.THROTTLED: "ใส่รหัสผ่านผิดหลายครั้ง กรุณารอสักครู่แล้วลองใหม่",
    LoginFailure.DISABLED: "บัญชีผู้ใช้นี้ถูกระงับการใช้งาน",
    LoginFailure.TEMPORARY_EXPIRED: "รหัสผ่านชั่วคราวหมดอายุแล้ว",
}
HINTS = {
    LoginFailure.UNKNOWN_USER: "อาจพิมพ์ User ผิด กรุณาตรวจสอบแล้วเข้าสู่ระบบอีกครั้ง",
    LoginFailure.WRONG_PASSWORD: "กรุณาตรวจสอบว่าแป้นพิมพ์เปลี่ยนภาษาถูกต้องแล้วก่อนพิมพ์ Password",
    LoginFailure.THROTTLED: "กรุณารอ {seconds} วินาทีแล้วลองใหม่ หากจำรหัสผ่านไม่ได้ ติดต่อ SSO Admin ของ สถจ. เพื่อกำหนดรหัสผ่านใหม่",
    LoginFailure.DISABLED: "กรุณาติดต่อ SSO Admin ของ สถจ. ที่ท่านสังกัด",
    LoginFailure.TEMPORARY_EXPIRED: "กรุณาติดต่อ SSO Admin ของ สถจ. เพื่อกำหนดรหัสผ่านใหม่อีกครั้ง",
}


@dataclass(frozen=True)
class BackOff:
    """Wrong passwords slow the next attempt, never lock: a delay doubling from 1 s up to `cap` seconds once
    more than `free` failures were counted; the count is forgotten `forget` after the last failure."""
    free: int
    cap: int = 60
    forget: timedelta = timedelta(minutes=15)

    def delay(self, failures: int) -> int:
        return 0 if failures <= self.free else min(self.cap, 2 ** (failures - self.free - 1))


# One account from one address: the guesser of a password. The real user, elsewhere, is never slowed by it.
PER_ACCOUNT_AND_ADDRESS = BackOff(free=0)
# Any account from one address: a guesser trying many accounts. An office's shared address has room for
# its people's typing mistakes first.
PER_ADDRESS = BackOff(free=20)


def session_ended(last_seen: datetime, ended_at: datetime | None, expires_at: datetime,
                  idle_seconds: int, now: datetime) -> str | None:
    """Why a session can no longer be used ("ended", "expired", "idle"), or None while it is alive."""
    if ended_at is not None:
        return "ended"
    if now >= expires_at:
        return "expired"
    if now - last_seen > timedelta(seconds=idle_seconds):
        return "idle"
    return None


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never another host, so the login cannot be an open redirect.

    Browsers drop tabs and newlines from URLs ("/<TAB>/evil.example" becomes "//evil.example"), so any
    whitespace or control character refuses the target outright.
    """
    if not target or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if target.startswith(("/sso/login", "/sso/logout", "/sso/expired")):
        return default
    return target


MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 2  # zxcvbn's 0-4: 2 and up resists an online guessing attack with a lockout


def password_problem(password: str, username: str, name: str = "") -> str | None:
    """Why a new password is not acceptable, in Thai, or None.

    zxcvbn knows common passwords, words, keyboard rows, dates and repeats; the user's own user name
    and name count as known words too.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"รหัสผ่านต้องยาวอย่างน้อย {MIN_PASSWORD_LENGTH} ตัวอักษร"
    if len(password) > 128:
        return "รหัสผ่านยาวเกิน 128 ตัวอักษร"
    if zxcvbn(password, user_inputs=[username, *name.split()])["score"] < MIN_PASSWORD_SCORE:
        return "รหัสผ่านนี้คาดเดาได้ง่าย (เป็นรหัสผ่านที่ใช้กันทั่วไป หรือมีชื่อผู้ใช้ แป้นพิมพ์เรียงกัน) กรุณาตั้งรหัสผ่านอื่น"
    return None
