"""Who may do what in the Workload Tracking System, decided here only (README "Who may see what").

One function an act, of (user, target), returning whether it is allowed; the API, the pages and the exports
call them through `require…`, and pages hand templates the answers as flags. Plain Python, no Flask.

- A district: its own record (read and write), its own figures (pages, Excel and CSV), and on its contact
  form which districts of its province another record already covers (names only: read_models.covered_elsewhere).
- A province office: every record of its province (read), confirm and return for correction, the province
  page and its figures.
- The central office: everything to read, the season, the nation's figures, rounds and catalogs.
- An SSO admin manages accounts in the SSO; here it reads nothing.
"""
from shared import geography
from shared.auth import Identity
from workload.domain import WorkloadError

WORKLOAD_ROLES = ("district", "province", "central")


def use_workload(user: Identity) -> bool:
    """Rounds, catalogs and anything else of the system: its three roles, not an SSO admin."""
    return user.has_role(*WORKLOAD_ROLES)


def read_record(user: Identity, district_code: str) -> bool:
    """The record with its contact person, mobile and e-mail: the district, its province office, central."""
    return (user.has_role("central") or user.is_province_office_of(district_code)
            or user.is_district_office(district_code))


def write_record(user: Identity, district_code: str) -> bool:
    """Only the district's own office records its data."""
    return user.is_district_office(district_code)


def act_as_province(user: Identity, district_code: str) -> bool:
    """Confirm a record, return it for correction: the province office of that district only."""
    return user.is_province_office_of(district_code)


def see_province(user: Identity, province_code: str) -> bool:
    """The province page and its API (every district's contact data): that province office and central."""
    return user.has_role("central") or (user.has_role("province") and user.province_code == province_code)


def see_figures(user: Identity, province_code: str | None = None, district_code: str | None = None) -> bool:
    """Hours and FTE of a district (whoever reads its record), a province (see_province) or the nation."""
    if district_code:
        return read_record(user, district_code)
    if province_code:
        return see_province(user, province_code)
    return user.has_role("central")


def see_season(user: Identity) -> bool:
    return user.has_role("central")


def manage_rounds(user: Identity) -> bool:
    return user.has_role("central")


def see_cockpit(user: Identity) -> bool:
    """The cockpit of a round: its reminder schedule, the e-mail sent and to whom, the progress by day."""
    return user.has_role("central")


def send_reminders(user: Identity) -> bool:
    """ส่งแจ้งเตือนตอนนี้ to the districts or provinces that are behind."""
    return user.has_role("central")


def require(allowed: bool, code: str = "forbidden") -> None:
    if not allowed:
        raise WorkloadError(code)


def require_record(user: Identity, district_code: str, act=read_record) -> None:
    """`act` (read_record, write_record, act_as_province) on a district's record; an unknown
    district is 404 whoever asks, as the URL names it."""
    if geography.district(district_code) is None:
        raise WorkloadError("no_district")
    require(act(user, district_code))


def require_province(user: Identity, province_code: str) -> None:
    if geography.province(province_code) is None:
        raise WorkloadError("no_province")
    require(see_province(user, province_code), "not_province_office")


def require_figures(user: Identity, province_code: str | None = None, district_code: str | None = None) -> None:
    if district_code:
        require_record(user, district_code)
    elif province_code:
        require_province(user, province_code)
    else:
        require(see_figures(user), "central_only")


# For shared.web.permission_required, which passes the route's arguments.
def require_manage_rounds(user: Identity, **_route) -> None:
    require(manage_rounds(user), "central_only")


def require_season(user: Identity, **_route) -> None:
    require(see_season(user), "central_only")


def require_cockpit(user: Identity, **_route) -> None:
    require(see_cockpit(user), "central_only")


def require_send_reminders(user: Identity, **_route) -> None:
    require(send_reminders(user), "central_only")


def require_writer(user: Identity, district: str, **_route) -> None:
    require_record(user, district, write_record)


def require_province_act(user: Identity, district: str, **_route) -> None:
    require_record(user, district, act_as_province)


# Open to every signed-in user, an SSO admin too: who am I, the entry page (which sends an SSO admin on to
# its own pages), the API document, the health check.
OPEN_ENDPOINTS = {"workload_api.MeView", "workload_pages.index", "api-docs.openapi_json", "healthz",
                  "livez"}


def gate(user: Identity | None, endpoint: str | None) -> None:
    """Before every request of the service: an SSO admin (no workload role) reaches only OPEN_ENDPOINTS."""
    if user is not None and not use_workload(user) and endpoint not in OPEN_ENDPOINTS:
        raise WorkloadError("accounts_only")


def flags(user: Identity) -> dict:
    """What the shared parts of the pages offer this user (templates read these, never the roles)."""
    return {"may_manage_rounds": manage_rounds(user), "may_see_nation": see_figures(user),
            "may_see_province": lambda province_code: see_province(user, province_code)}
