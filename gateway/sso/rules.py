"""Who may manage which user, and what a user's rights may be: plain functions, no Flask, no database.

The seed manual gives each province's SSO Admin (of the สถจ.) its own province's users: check that a
user exists, set a new password, grant rights. The central office manages the SSO admins themselves.
Nobody hands out the central role here: that stays with `flask --app sso create-central-user`.
"""
import re
import secrets
from dataclasses import dataclass

from shared import geography, refusals
from sso.messages import ERROR

ROLE_LABELS = {
    "district": "ท้องถิ่นอำเภอ",
    "province": "สถจ. (จังหวัด)",
    "ssoadmin": "SSO Admin ของ สถจ.",
    "central": "ส่วนกลาง",
}
OFFICE_ROLES = ("district", "province")  # what a province's SSO admin may grant
USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
# Temporary passwords are read aloud or typed from a screen: no 0/O, 1/l/I.
TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Refused(refusals.Refusal):
    """An admin act the rules do not allow: `code` names its status and Thai words in messages.py."""

    @property
    def status(self) -> int:
        return ERROR[self.code][0]

    @property
    def message(self) -> str:
        return ERROR[self.code][1].format(**self.details)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Person:
    """The parts of a user the rules look at: the one acting, or the one acted on."""
    username: str
    roles: frozenset[str]
    province_code: str | None


def is_admin(actor: Person) -> bool:
    """The central office, or an SSO admin of a province (one without a province manages nobody)."""
    return "central" in actor.roles or ("ssoadmin" in actor.roles and actor.province_code is not None)


def landing(person: Person, asked: str) -> str:
    """Where a login goes: where the user was headed; without a destination (the home page) an SSO admin goes to
    its users, the only work it has here, and everyone else to the home page with its role's shortcuts."""
    if asked == "/" and "ssoadmin" in person.roles and not person.roles & {"district", "province", "central"}:
        return "/sso/admin/users"
    return asked


def grantable_roles(actor: Person) -> tuple[str, ...]:
    if "central" in actor.roles:
        return (*OFFICE_ROLES, "ssoadmin")
    if "ssoadmin" in actor.roles:
        return OFFICE_ROLES
    return ()


def visible_province(actor: Person, asked: str | None) -> str | None:
    """Whose users an admin lists: an SSO admin always its own province; the central office any (None: all)."""
    if "central" in actor.roles:
        return asked or None
    return actor.province_code


def check_may_manage(actor: Person, target: Person) -> None:
    """Refused unless `actor` may act on `target` at all (see it, reset, disable, change rights)."""
    if not is_admin(actor):
        raise Refused("admins_only")
    if actor.username == target.username:
        raise Refused("self")
    if "central" in target.roles:
        raise Refused("central_account")
    if "central" in actor.roles:
        return
    if target.province_code != actor.province_code:
        raise Refused("other_province")
    if "ssoadmin" in target.roles:
        raise Refused("sso_admin_account")


def check_may_reset_password(actor: Person, target: Person) -> None:
    """A new password for a province office's account would let a province's SSO admin act as the province
    office (confirm records, approve news): only the central office resets those."""
    check_may_manage(actor, target)
    if "central" not in actor.roles and "province" in target.roles:
        raise Refused("province_office_password")


def check_rights(actor: Person, roles: set[str], province_code: str | None, district_code: str | None) -> None:
    """Refused unless `actor` may give a user of `province_code` these roles and this district."""
    not_grantable = roles - set(grantable_roles(actor))
    if not_grantable:
        raise Refused("roles_not_grantable", roles=", ".join(ROLE_LABELS.get(r, r) for r in sorted(not_grantable)))
    if "central" not in actor.roles and province_code != actor.province_code:
        raise Refused("other_province_rights")
    if geography.province(province_code or "") is None:
        raise Refused("province_required")
    if "district" in roles and "province" in roles:
        raise Refused("one_level")
    if "district" in roles:
        found = geography.district(district_code or "")
        if found is None or found.province_code != province_code:
            raise Refused("district_required")
    elif district_code:
        raise Refused("district_for_district_only")


def check_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise Refused("bad_username")


def temporary_password(length: int = 12) -> str:
    """A random password to hand over once; the user must replace it at the next login."""
    return "".join(secrets.choice(TEMPORARY_ALPHABET) for _ in range(length))


def user_state(disabled: bool, must_change_password: bool) -> str:
    if disabled:
        return "ระงับการใช้งาน"
    if must_change_password:
        return "รอเปลี่ยนรหัสผ่านชั่วคราว"
    return "ใช้งานได้"
