"""Who may do what with news, decided here only (README "Who may see what").

Published items are public. An item not yet published is read by its district, that district's province office
and the central office (a draft only by its district: services.py scopes the lists); the district writes and
submits its own items, its province office approves or rejects them, the central office unpublishes. An SSO
admin manages accounts: it reads no draft. Plain Python, no Flask.
"""
from news.domain import NewsError
from shared import geography
from shared.auth import Identity


def read_item(user: Identity, district_code: str) -> bool:
    return (user.has_role("central") or user.is_province_office_of(district_code)
            or user.is_district_office(district_code))


def write_item(user: Identity, district_code: str) -> bool:
    return user.is_district_office(district_code)


def decide(user: Identity, district_code: str) -> bool:
    """Approve or reject a submitted item: the province office of its district."""
    return user.is_province_office_of(district_code)


def unpublish(user: Identity, _district_code: str) -> bool:
    return user.has_role("central")


def work_on_news(user: Identity) -> bool:
    """The working lists (manage pages): the offices that write, decide or unpublish; not an SSO admin."""
    return user.has_role("district", "province", "central")


def write_news(user: Identity) -> bool:
    """Start a new item: a district office of the center's geography."""
    return bool(user.has_role("district") and user.district_code and geography.district(user.district_code))


def decide_any(user: Identity) -> bool:
    """Has a queue of submitted items to decide on (รออนุมัติ): a province office."""
    return user.has_role("province")


def require_write_news(user: Identity, **_route) -> None:
    if not write_news(user):
        raise NewsError("no_district")


# The acts on an item, keyed as domain.Transition.actor names them.
RULES = {"read": read_item, "district": write_item, "province": decide, "central": unpublish}


def authorize(user: Identity | None, act: str, district_code: str) -> None:
    if user is None:
        raise NewsError("login_required")
    if not RULES[act](user, district_code):
        raise NewsError("forbidden")
