"""Wrong passwords slow further attempts instead of locking the account (domain.BackOff): per account and
address (a guesser of one password) and per address (a guesser of many accounts). Stored in the database, so
every SSO instance counts the same. Nobody else's guessing can keep a user out: the user's own address has
its own count, and the real user can always get a new password from the SSO admin."""
import ipaddress
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from sso import domain
from sso.models import LoginThrottle, db


def _client(address: str) -> str:
    """The client an address stands for: an IPv6 host has a whole /64 to choose from."""
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    return str(ipaddress.ip_network(f"{found}/64", strict=False)) if found.version == 6 else str(found)


def _keys(username: str, address: str) -> list[tuple[str, domain.BackOff]]:
    address = _client(address)
    return [(f"account:{username.strip().lower()[:64]}|address:{address}", domain.PER_ACCOUNT_AND_ADDRESS),
            (f"address:{address}", domain.PER_ADDRESS)]


def wait_seconds(username: str, address: str, now: datetime) -> int:
    """How long before this account may be tried from this address again; 0: now."""
    keys = [key for key, _policy in _keys(username, address)]
    waits = db.session.scalars(select(LoginThrottle.not_before).where(LoginThrottle.key.in_(keys)))
    longest = max((not_before - now for not_before in waits), default=timedelta(0))
    return max(0, int(longest.total_seconds() + 0.999))


def count_failure(username: str, address: str, now: datetime) -> int:
    """One more wrong password (or unknown user) from this address; commits. The wait it now imposes, in s."""
    wait = 0
    for key, policy in _keys(username, address):
        db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key,
                                                       LoginThrottle.last_failure_at < now - policy.forget))
        failures = _increment(key, now)
        seconds = policy.delay(failures)
        db.session.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                           .values(not_before=now + timedelta(seconds=seconds)))
        wait = max(wait, seconds)
    db.session.commit()
    return wait


def _increment(key: str, now: datetime) -> int:
    """Counted in the database itself, so that parallel guesses cannot all start from the same count."""
    for _attempt in range(2):
        failures = db.session.execute(
            update(LoginThrottle).where(LoginThrottle.key == key)
            .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
            .returning(LoginThrottle.failures)).scalar_one_or_none()
        if failures is not None:
            return failures
        try:
            with db.session.begin_nested():
                db.session.add(LoginThrottle(key=key, failures=1, last_failure_at=now, not_before=now))
            return 1
        except IntegrityError:
            continue  # another guess inserted it a moment ago: count on top of it
    raise RuntimeError("login throttle row could not be written")


def forgive(username: str, address: str) -> None:
    """The right password: this account from this address starts again (the address's count stays)."""
    key, _policy = _keys(username, address)[0]
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))


def forgive_account(username: str) -> None:
    """An SSO admin set a new password: this account's delays end, wherever the guesses came from."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.like(f"account:{username.strip().lower()}|%")))


def purge(now: datetime) -> int:
    """Counts older than any policy remembers; how many were removed."""
    longest = max(domain.PER_ACCOUNT_AND_ADDRESS.forget, domain.PER_ADDRESS.forget)
    return db.session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < now - longest)).rowcount
