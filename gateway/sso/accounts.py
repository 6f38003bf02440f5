"""User management by SSO admins and the central office, and each user's own password change.

Every act goes through rules.py, is written to admin_actions, and ends the user's open sessions when
it changes what the user may do: rights travel inside the token, so a changed user logs in again.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from shared import geography
from shared.clock import utcnow
from shared.collation import thai_key
from shared.thai import iso_bangkok
from sso import domain, rules, throttle
from sso.models import AdminAction, Session, User, UserRole, db, outbox
from sso.services import create_user, hasher, is_password

PROFILE_FIELDS = ("display_name", "position", "phone", "email")
SEARCH_LIMIT = 200


@dataclass(frozen=True)
class Issued:
    """A user and the temporary password shown once to the admin who created or reset it."""
    user: User
    temporary_password: str


def person(user: User) -> rules.Person:
    return rules.Person(user.username, frozenset(user.roles), user.province_code)


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username.strip().lower()))


def search_users(actor: User, query: str = "", province_code: str | None = None) -> list[User]:
    """Users the actor may see, by part of the user name or the name; an SSO admin sees its province only."""
    statement = select(User).order_by(User.province_code, User.district_code, User.username).limit(SEARCH_LIMIT)
    province = rules.visible_province(person(actor), province_code)
    if province:
        statement = statement.where(User.province_code == province)
    query = query.strip()
    if query:  # what the admin types is text, not a pattern: % and _ match themselves
        statement = statement.where(or_(User.username.contains(query.lower(), autoescape=True),
                                        func.lower(User.display_name).contains(query.lower(), autoescape=True)))
    # By office, and within a province by name in Thai dictionary order (shared.collation), not the database's.
    return sorted(db.session.scalars(statement),
                  key=lambda user: (user.province_code or "", thai_key(user.display_name)))


def visible_user(actor: User, username: str) -> User:
    """The user, if the actor may look at it; Refused (404) otherwise, so other provinces stay unseen."""
    if not rules.is_admin(person(actor)):
        raise rules.Refused("admins_only")
    user = find_user(username)
    province = rules.visible_province(person(actor), None)
    if user is None or (province is not None and user.province_code != province):
        raise rules.Refused("not_found")
    return user


def managed_user(actor: User, username: str) -> User:
    user = visible_user(actor, username)
    rules.check_may_manage(person(actor), person(user))
    return user


def create_account(actor: User, username: str, display_name: str, roles: set[str], province_code: str | None,
                   district_code: str | None, **profile) -> Issued:
    username = username.strip().lower()
    rules.check_username(username)
    if not display_name.strip():
        raise rules.Refused("name_required")
    if "central" not in actor.roles:
        province_code = actor.province_code
    rules.check_rights(person(actor), roles, province_code, district_code)
    if find_user(username):
        raise rules.Refused("user_exists")
    password = rules.temporary_password()
    user = create_user(username, hasher.hash(password), display_name.strip(), sorted(roles), province_code,
                       district_code or None, must_change_password=True, temporary_until=_temporary_until(),
                       **_clean(profile))
    _record(actor, user, "create", _rights_text(user))
    db.session.commit()
    return Issued(user, password)


def update_user(actor: User, username: str, roles: set[str] | None = None, district_code: str | None = None,
                province_code: str | None = None, **profile) -> User:
    """Change a user's rights and/or profile; a change of rights ends the user's sessions."""
    user = managed_user(actor, username)
    changes = _clean(profile)
    if changes.get("display_name") == "":
        raise rules.Refused("name_required")
    before = _rights_text(user)
    if roles is not None:
        province = province_code if "central" in actor.roles and province_code else user.province_code
        rules.check_rights(person(actor), roles, province, district_code)
        if roles != set(user.roles):
            user.role_rows = [UserRole(role=r) for r in sorted(roles)]
        user.province_code, user.district_code = province, district_code or None
    for field, value in changes.items():
        setattr(user, field, value)
    after = _rights_text(user)
    if after != before:
        _record(actor, user, "rights", f"{before} → {after}")
        end_user_sessions(user.id, "rights")
    if changes:
        _record(actor, user, "profile", ", ".join(sorted(changes)))
    db.session.commit()
    return user


def set_disabled(actor: User, username: str, disabled: bool) -> User:
    user = managed_user(actor, username)
    if user.disabled == disabled:
        raise rules.Refused("already_disabled" if disabled else "already_enabled")
    user.disabled = disabled
    if disabled:
        end_user_sessions(user.id, "disabled")
    _record(actor, user, "disable" if disabled else "enable")
    db.session.commit()
    return user


def reset_password(actor: User, username: str) -> Issued:
    """A new temporary password, shown once; the old password and every open session stop working."""
    user = managed_user(actor, username)
    rules.check_may_reset_password(person(actor), person(user))
    password = rules.temporary_password()
    user.password_hash = hasher.hash(password)
    user.must_change_password, user.temporary_until = True, _temporary_until()
    throttle.forgive_account(user.username)  # the real user can always get in with the new password
    end_user_sessions(user.id, "password")
    action = _record(actor, user, "password_reset")
    db.session.flush()  # the act's id names its event
    # The user hears who set the password and when, in the same transaction (never the password itself).
    outbox.emit(db.session, "sso.password_set", {
        "username": user.username, "by": actor.display_name, "by_username": actor.username,
        "at": iso_bangkok(action.at)}, f"password_set:{action.id}")
    db.session.commit()
    return Issued(user, password)


def change_own_password(user: User, current: str | None, new: str, confirm: str, address: str) -> None:
    """The user's own change. After a reset the temporary password was just typed at login, so it is
    not asked again; otherwise the current password is. Ends every session: the caller starts a new one."""
    if not user.must_change_password:
        # The current password is what keeps a stolen session from taking the account: guesses are slowed
        # as at the login page, from the same count.
        if not current:
            raise rules.Refused("current_password_required")
        wait = throttle.wait_seconds(user.username, address, utcnow())
        if wait:
            raise rules.Refused("throttled", seconds=wait)
        if not is_password(user, current or ""):
            throttle.count_failure(user.username, address, utcnow())
            raise rules.Refused("wrong_current_password")
    if new != confirm:
        raise rules.Refused("passwords_differ")
    problem = domain.password_problem(new, user.username, user.display_name)
    if problem:
        raise rules.Refused("weak_password", reason=problem)
    if is_password(user, new):
        raise rules.Refused("same_password")
    user.password_hash = hasher.hash(new)
    user.must_change_password, user.temporary_until = False, None
    end_user_sessions(user.id, "password")
    _record(user, user, "password_change")
    db.session.commit()


def _temporary_until():
    return utcnow() + timedelta(hours=current_app.config["SSO_TEMPORARY_PASSWORD_HOURS"])


def end_user_sessions(user_id: int, reason: str) -> None:
    db.session.execute(update(Session).where(Session.user_id == user_id, Session.ended_at.is_(None))
                       .values(ended_at=utcnow(), end_reason=reason))


def action_log(actor: User, province_code: str | None = None, target: str | None = None,
               limit: int = 200) -> list[AdminAction]:
    """What was done to the users the actor may see, newest first."""
    statement = select(AdminAction).order_by(AdminAction.id.desc()).limit(limit)
    province = rules.visible_province(person(actor), province_code)
    if province:
        statement = statement.where(AdminAction.province_code == province)
    if target:
        statement = statement.where(AdminAction.target == target)
    return list(db.session.scalars(statement))


@dataclass(frozen=True)
class Reset:
    """Who set a user's temporary password (by creating the account or resetting it), and when."""
    by: str  # the admin's username
    by_name: str
    at: datetime


def last_reset(user: User) -> Reset | None:
    """The act that gave the user its temporary password; None when it has none."""
    if not user.must_change_password:
        return None
    found = db.session.scalars(select(AdminAction).where(
        AdminAction.target == user.username, AdminAction.action.in_(("password_reset", "create")))
        .order_by(AdminAction.id.desc()).limit(1)).first()
    if found is None:
        return None
    admin = find_user(found.actor)
    return Reset(found.actor, admin.display_name if admin else found.actor, found.at)


def public_admins(province_code: str) -> list[User]:
    """The province's SSO admins as the public list shows them (enabled accounts only)."""
    return sorted(db.session.scalars(
        select(User).join(UserRole).where(UserRole.role == "ssoadmin", User.province_code == province_code,
                                          User.disabled.is_(False))), key=lambda user: thai_key(user.display_name))


PROFILE_LIMITS = {"display_name": 255, "position": 255, "phone": 32, "email": 255}
PROFILE_LABELS = {"display_name": "ชื่อที่แสดง", "position": "ตำแหน่ง", "phone": "โทรศัพท์", "email": "E-mail"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean(profile: dict) -> dict:
    """The profile fields given, trimmed; Refused (422) for one too long or an e-mail that is not one."""
    cleaned = {k: (v or "").strip() for k, v in profile.items() if k in PROFILE_FIELDS and v is not None}
    for field, value in cleaned.items():
        if len(value) > PROFILE_LIMITS[field]:
            raise rules.Refused("too_long", field=PROFILE_LABELS[field], limit=PROFILE_LIMITS[field])
    if cleaned.get("email") and not EMAIL.match(cleaned["email"]):
        raise rules.Refused("bad_email")
    return cleaned


def _rights_text(user: User) -> str:
    roles = "+".join(user.roles) or "ไม่มีสิทธิ์"
    place = user.district_code or user.province_code or "-"
    return f"{roles} @ {place}"


def _record(actor: User, user: User, action: str, detail: str = "") -> AdminAction:
    entry = AdminAction(actor=actor.username, target=user.username, province_code=user.province_code,
                        action=action, detail=detail[:500], at=utcnow())
    db.session.add(entry)
    return entry


def state_of(user: User) -> str:
    """ใช้งานได้, ระงับการใช้งาน or รอเปลี่ยนรหัสผ่านชั่วคราว, as the admin pages and API show it."""
    return rules.user_state(user.disabled, user.must_change_password)


def office_name(user: User) -> str:
    if user.district_code:
        return geography.district_office_name(user.district_code)
    if user.province_code:
        return geography.province_office_name(user.province_code)
    return "ส่วนกลาง"
