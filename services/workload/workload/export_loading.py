"""What an export or a printed summary holds, read for one user: the permission checked before anything is
read, then the scope's figures (exports.Export) or the district's summary (printable.DistrictSummary)."""
from shared import geography
from shared.auth import Identity
from shared.clock import utcnow
from workload import evidence, exports, figures, permissions, printable, rounds


def _who(user: Identity) -> str:
    return f"{user.name} ({user.username})" if user.name and user.name != user.username else user.username


def load_export(user: Identity, year: int, province: str | None, district: str | None,
                basis: evidence.Basis) -> tuple:
    """(round, Export) for the scope, after checking that the user may see it: a district (its own,
    or one of the province's, or any for the central office), a province, or the nation (neither)."""
    province, district = province or None, district or None
    permissions.require_figures(user, None if district else province, district)
    round_ = rounds.get_round(year)
    scope = figures.scope_rows(round_, province, district)
    if district:
        province = geography.district(district).province_code
    export = exports.Export(
        fiscal_year=round_.fiscal_year, params=rounds.parameters(round_), basis=basis,
        scope=figures.scope_name(province, district), province_code=None if district else province,
        district_code=district, figures=tuple(scope), exported_at=utcnow(), exported_by=_who(user),
        opens_at=round_.opens_at, closes_at=round_.closes_at)
    return round_, export


def load_summary(user: Identity, year: int, district: str) -> printable.DistrictSummary:
    permissions.require_figures(user, district_code=district)
    return printable.load(rounds.get_round(year), district, _who(user), utcnow())
