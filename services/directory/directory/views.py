"""ทะเบียน ทถอ. pages under /directory/: provinces, a province, an officer, search; staff contact page."""
from flask import Blueprint, abort, render_template, request

from directory import permissions, registry
from directory.messages import NOT_FOUND_OFFICER, NOT_FOUND_PROVINCE, QUERY_TOO_LONG
from shared import geography
from shared.web import allowed_if, current_user

bp = Blueprint("directory_pages", __name__, url_prefix="/directory")

MAX_QUERY = 100


@bp.app_context_processor
def _registry_context():
    return {"registry_last_sync": registry.last_sync, "may_sync": permissions.run_sync(current_user())}


bp.add_app_template_filter(geography.province_name, "province_name")


@bp.get("/")
def index():
    """Every province with its number of districts and of districts with an assigned officer."""
    covered = registry.covered_counts()
    rows = [(p, len(geography.districts(p.code)), covered.get(p.code, 0)) for p in geography.provinces()]
    return render_template("directory/index.html", rows=rows, district_total=len(geography.districts()),
                           covered_total=sum(covered.values()))


@bp.get("/provinces/<code>/")
def province(code):
    """One province: its districts, each with its officer or a note that nobody is assigned."""
    found = geography.province(code)
    if found is None:
        abort(404, description=NOT_FOUND_PROVINCE)
    officers = registry.province_officers(code)
    by_name = request.args.get("sort") == "name"
    districts = geography.districts(code)
    return render_template("directory/province.html", province=found, officers=officers, by_name=by_name,
                           districts=geography.by_name(districts) if by_name else districts)


@bp.get("/officers/<dla_id>")
def officer(dla_id):
    """One officer, public fields only."""
    return _officer_page(dla_id, staff=False)


@bp.get("/staff/officers/<dla_id>")
@allowed_if(permissions.see_staff_contacts)
def staff_officer(dla_id):
    """One officer with the mobile number and personal e-mail, for signed-in staff."""
    return _officer_page(dla_id, staff=True)


def _officer_page(dla_id: str, staff: bool):
    found = registry.officer(dla_id)
    if found is None:
        abort(404, description=NOT_FOUND_OFFICER)
    return render_template("directory/officer.html", officer=found, staff=staff,
                           province=geography.province(found.province_code))


@bp.get("/search")
def search():
    """Search by name, district or province, in Thai."""
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY:
        return render_template("directory/search.html", query=query[:MAX_QUERY], error=QUERY_TOO_LONG,
                               officers=[], provinces=[], districts=[]), 400
    officers = registry.search(query) if query else []
    provinces, districts = registry.matching_places(query) if query else ([], [])
    return render_template("directory/search.html", query=query, error=None, officers=officers,
                           provinces=provinces, districts=districts)
