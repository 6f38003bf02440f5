"""The SSO's use cases: load, apply the rules of domain.py, commit."""
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, g
from sqlalchemy import bindparam, delete, select, update

from shared import metrics
from shared.auth import TokenError, TokenExpired
from shared.clock import utcnow
from sso import domain, throttle
from sso.models import Session, User, UserRole, db

# argon2id with OWASP's first recommended profile (19 MiB, 2 passes, 1 lane; Password Storage Cheat Sheet), not
# argon2-cffi's default (RFC 9106's 64 MiB, 3 passes, 4 lanes): a check costs about 20 ms of CPU instead of 150-250,
# so a deadline morning's 5 logins/s take a tenth of a core, not more than half the machine (README "Load test").
# Guessing stays slow where it matters: the login limit and the back-off (throttle.py) refuse before any hash.
# Hashes of the older profile still verify and are replaced at the user's next login (rehash_if_needed).
hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
LAST_SEEN_RESOLUTION = timedelta(seconds=1)


class LoginRefused(Exception):
    def __init__(self, failure: domain.LoginFailure, seconds: int = 0):
        super().__init__(failure.value)
        self.failure = failure
        self.seconds = seconds

    @property
    def message(self) -> str:
        return domain.MESSAGES[self.failure]

    @property
    def hint(self) -> str:
        return domain.HINTS[self.failure].format(seconds=self.seconds)


class PasswordChangeRequired(TokenError):
    """A live session of a user who logged in with a temporary password: it opens only the change page."""


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int
    session_id: str


def authenticate(username: str, password: str, address: str) -> User:
    """The user whose password this is, or LoginRefused with the reason the login page names. `address` is
    the client's (behind trusted proxies, the real one): wrong passwords from it slow its next attempts."""
    try:
        user = _authenticate(username, password, address)
    except LoginRefused as refused:
        metrics.LOGINS.labels(refused.failure.name.lower()).inc()
        raise
    metrics.LOGINS.labels("succeeded").inc()
    return user


def _authenticate(username: str, password: str, address: str) -> User:
    now = utcnow()
    wait = throttle.wait_seconds(username, address, now)
    if wait:  # not even checked: a guess during the wait tells nothing and costs no hash
        raise LoginRefused(domain.LoginFailure.THROTTLED, wait)
    user = db.session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        throttle.count_failure(username, address, now)
        raise LoginRefused(domain.LoginFailure.UNKNOWN_USER)
    if user.disabled:
        raise LoginRefused(domain.LoginFailure.DISABLED)
    if not is_password(user, password):
        # The wait counts from the refusal the guesser hears, not from before the hash (which a loaded server
        # may take seconds over): it never shrinks by the time the check itself took.
        throttle.count_failure(username, address, utcnow())
        raise LoginRefused(domain.LoginFailure.WRONG_PASSWORD)
    if user.must_change_password and user.temporary_until and user.temporary_until <= now:
        raise LoginRefused(domain.LoginFailure.TEMPORARY_EXPIRED)
    throttle.forgive(username, address)
    rehash_if_needed(user, password)
    user.last_login_at = now
    return user


def rehash_if_needed(user: User, password: str) -> None:
    """A hash of other parameters than today's (an older profile) is replaced, with the password just checked."""
    try:
        stale = hasher.check_needs_rehash(user.password_hash)
    except InvalidHashError:
        return
    if stale:
        user.password_hash = hasher.hash(password)


def is_password(user: User, password: str) -> bool:
    try:
        return hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(user: User, via: str) -> IssuedToken:
    """A server-side session and the signed token that names it; commits."""
    cfg = current_app.config
    now = utcnow()
    ttl = cfg["SSO_TOKEN_TTL_SECONDS"]
    session = Session(id=secrets.token_urlsafe(24), user_id=user.id, via=via, created_at=now,
                      last_seen_at=now, expires_at=now + timedelta(seconds=ttl))
    db.session.add(session)
    db.session.commit()
    claims = {
        "iss": cfg["SSO_ISSUER"],
        "aud": cfg["SSO_AUDIENCE"],
        "sub": user.username,
        "name": user.display_name,
        "roles": user.roles,
        "province": user.province_code,
        "district": user.district_code,
        "sid": session.id,
        "csrf": secrets.token_urlsafe(18),
        "iat": _epoch(now),
        "exp": _epoch(session.expires_at),
    }
    signing_key, kid = current_app.extensions["sso_keys"].signing()
    token = jwt.encode(claims, signing_key, algorithm="EdDSA", headers={"kid": kid})
    return IssuedToken(token, ttl, session.id)


def _epoch(naive_utc: datetime) -> int:
    return int(naive_utc.replace(tzinfo=timezone.utc).timestamp())


# nginx asks about every token every few seconds: two prepared statements, no ORM objects.
_LIVE_SESSION = (select(Session.last_seen_at, Session.ended_at, Session.expires_at, User.disabled,
                        User.must_change_password)
                 .join(User, User.id == Session.user_id).where(Session.id == bindparam("sid")))
_TOUCH_SESSION = update(Session).where(Session.id == bindparam("sid")).values(last_seen_at=bindparam("now"))


def check_session(token: str, password_change: bool = False) -> dict:
    """The claims of a token whose session is live, touched as seen now; TokenError when not live.

    A session found idle is ended here, so that the next page can say "กรุณา login ใหม่". A user who
    still has to replace a temporary password gets PasswordChangeRequired, unless `password_change`
    (the change-password page itself).
    """
    claims, last_seen_at, must_change_password = _live_session(token)
    if must_change_password and not password_change:
        raise PasswordChangeRequired("the temporary password must be replaced first")
    now = utcnow()
    if now - last_seen_at > LAST_SEEN_RESOLUTION and not g.get("sso_session_touched"):  # a write per second at most
        db.session.execute(_TOUCH_SESSION, {"sid": claims["sid"], "now": now})
        db.session.commit()
        g.sso_session_touched = True
    return claims


def _live_session(token: str) -> tuple[dict, datetime, bool]:
    """(claims, last seen, must the password be replaced) of a live session, asked of the database once per
    request: each of nginx's checks is a request whose identity loader and view both want the answer."""
    asked = g.get("sso_live_session")
    if asked is not None and asked[0] == token:
        if isinstance(asked[1], TokenError):
            raise asked[1]
        return asked[1]
    try:
        answer = _ask_live_session(token)
    except TokenError as error:
        g.sso_live_session = (token, error)
        raise
    g.sso_live_session = (token, answer)
    return answer


def _ask_live_session(token: str) -> tuple[dict, datetime, bool]:
    claims = current_app.extensions["dcc_verifier"].claims(token)
    now = utcnow()
    row = db.session.execute(_LIVE_SESSION, {"sid": claims["sid"]}).one_or_none()
    if row is None:
        raise TokenError("no such session")
    last_seen_at, ended_at, expires_at, disabled, must_change_password = row
    reason = domain.session_ended(last_seen_at, ended_at, expires_at, current_app.config["SSO_IDLE_SECONDS"], now)
    if reason is None and disabled:
        reason = "disabled"
    if reason:
        if ended_at is None:
            end_session(claims["sid"], reason)
        raise TokenError(f"session {reason}")
    return claims, last_seen_at, must_change_password


def live_session_id(token: str) -> str | None:
    """The session id of a token whose session is live, also one that still holds a temporary password
    (its only page is the change page, which knows that); None otherwise. The identity of the SSO's pages."""
    try:
        return check_session(token, password_change=True)["sid"]
    except TokenError:
        return None


def end_session(session_id: str, reason: str) -> None:
    db.session.execute(
        update(Session).where(Session.id == session_id, Session.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason))
    db.session.commit()


def session_state(token: str | None) -> str | None:
    """Why nginx refused this token, where the answer differs from "log in": "idle" when its session ran
    out of time, "password" when it is live but still holds a temporary password; else None."""
    if not token:
        return None
    try:
        check_session(token)
    except PasswordChangeRequired:
        return "password"
    except TokenError:
        return "idle" if ended_by_idle(token) else None
    return None


def ended_by_idle(token: str) -> bool:
    """Whether this token's session ran out of time (idle or lifetime), as opposed to never existing."""
    verifier = current_app.extensions["dcc_verifier"]
    try:
        sid = verifier.claims(token)["sid"]
    except TokenExpired:
        return True
    except TokenError:
        return False
    session = db.session.get(Session, sid)
    if session is None:
        return False
    if session.ended_at is None:
        return domain.session_ended(session.last_seen_at, None, session.expires_at,
                                    current_app.config["SSO_IDLE_SECONDS"], utcnow()) is not None
    return session.end_reason in ("idle", "expired")


def purge(days: int) -> tuple[int, int]:
    """Sessions ended or expired more than `days` ago, and stale wrong-password counts, deleted; commits."""
    now = utcnow()
    cutoff = now - timedelta(days=days)
    sessions = db.session.execute(delete(Session).where(
        (Session.ended_at < cutoff) | (Session.expires_at < cutoff))).rowcount
    counts = throttle.purge(now)
    db.session.commit()
    return sessions, counts


def create_user(username: str, password_hash: str, display_name: str, roles: list[str],
                province_code: str | None = None, district_code: str | None = None, **extra) -> User:
    user = User(username=username, password_hash=password_hash, display_name=display_name,
                province_code=province_code, district_code=district_code, **extra)
    user.role_rows = [UserRole(role=r) for r in roles]
    db.session.add(user)
    return user


def office_users(district: str | None = None, province: str | None = None, username: str | None = None
                 ) -> list[User]:
    """The enabled users who speak for a district office, or for a province office (its province role), or the
    one user of that name."""
    if username:
        return list(db.session.scalars(select(User).where(User.username == username, User.disabled.is_(False))))
    query = select(User).join(UserRole).where(User.disabled.is_(False)).order_by(User.username)
    if district:
        query = query.where(UserRole.role == "district", User.district_code == district)
    else:
        query = query.where(UserRole.role == "province", User.province_code == province)
    return list(db.session.scalars(query))
