"""หลักฐานภาระงาน: hours and full-time equivalents from the nation down to a district's questions, and
two rounds side by side. Every page says which basis it adds up and how many districts that covers."""
from flask import Blueprint, abort, redirect, render_template, request, url_for

from shared import geography
from shared.inputs import whole_number
from shared.web import current_user, login_required
from workload import directory_client, evidence, figures, permissions, rounds
from workload.domain import ASPECTS

bp = Blueprint("workload_evidence", __name__, url_prefix="/workload/<int:year>/evidence")


@bp.app_template_filter("hours")
def _hours(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


@bp.app_template_filter("fte")
def _fte(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


@bp.app_template_filter("percent")
def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _context(year: int, **scope) -> dict:
    """What every evidence page needs: the round, its parameters, the basis, the rounds to compare with."""
    round_ = rounds.get_round(year)
    basis = evidence.parse_basis(request.args.get("basis"))
    return {"round": round_, "params": rounds.parameters(round_), "basis": basis,
            "basis_labels": evidence.BASIS_LABELS, "aspects": ASPECTS, "rounds": rounds.rounds(),
            "scope_query": {k: v for k, v in scope.items() if v}, "chart": _chart,
            "province_name": lambda code: geography.province(code).name_th}


def _chart(totals: evidence.Totals) -> dict:
    """The bars of one scope: hours per aspect and the custom rows, for evidence.js."""
    return {"labels": [f"ด้านที่ {n}" for n in ASPECTS] + ["ข้อมูลเฉพาะ สถอ."],
            "values": [round(totals.by_aspect[n], 1) for n in ASPECTS] + [round(totals.custom, 1)]}


@bp.get("/")
@login_required
def home(year):
    """Each user's own level: the nation for the central office, the province, or the district."""
    province, district = figures.home_scope(current_user())
    if district:
        return redirect(url_for(".district", year=year, district=district))
    if province:
        return redirect(url_for(".province", year=year, province=province))
    return redirect(url_for(".nation", year=year))


@bp.get("/nation")
@login_required
def nation(year):
    permissions.require_figures(current_user())
    context = _context(year)
    rows = figures.district_figures(context["round"])
    summary = evidence.summarize(rows, context["basis"])
    provinces = evidence.by_province(rows, context["basis"])
    bins = evidence.histogram([r.totals.total for r in evidence.counted(rows, context["basis"])])
    spread_chart = {"labels": [f"{low:,.0f}–{high:,.0f}" for low, high, _ in bins], "values": [n for _, _, n in bins]}
    return render_template("workload/evidence_nation.html", **context, summary=summary, spread_chart=spread_chart,
                           provinces=[(p, provinces[p.code]) for p in geography.provinces()],
                           outliers=[r for r in rows if r.code in summary.outliers])


@bp.get("/provinces/<province>")
@login_required
def province(year, province):
    permissions.require_figures(current_user(), province_code=province)
    context = _context(year, province=province)
    rows = figures.district_figures(context["round"], province)
    summary = evidence.summarize(rows, context["basis"])
    counted = set(figures.counted_codes(rows, context["basis"]))
    officers = directory_client.officers_of_province(province)  # an officer covering two districts counts once
    chart = {"labels": [geography.district(r.code).name_th for r in rows if r.code in counted],
             "values": [round(r.totals.total, 1) for r in rows if r.code in counted],
             "median": summary.spread.median if summary.spread else None}
    return render_template("workload/evidence_province.html", **context, summary=summary, rows=rows,
                           province=geography.province(province), outliers=set(summary.outliers),
                           counted=counted, district_chart=chart, officers=officers,
                           counted_officers=(None if officers is None
                                             else set().union(*(officers.get(c, set()) for c in counted))))


@bp.get("/districts/<district>")
@login_required
def district(year, district):
    permissions.require_figures(current_user(), district_code=district)
    context = _context(year, district=district)
    found = geography.district(district)
    (mine,) = figures.scope_rows(context["round"], district_code=district)
    lines = figures.question_lines(context["round"], [district])
    officers = directory_client.officers_of_province(found.province_code)
    return render_template("workload/evidence_district.html", **context, district=found, figures=mine,
                           officers=None if officers is None else officers.get(district, set()),
                           lines_by_aspect={n: [line for line in lines if line.aspect == n] for n in ASPECTS})


@bp.get("/compare")
@login_required
def compare(year):
    """Two rounds side by side for a scope, matched by question code."""
    province_code, district_code = request.args.get("province") or None, request.args.get("district") or None
    permissions.require_figures(current_user(), province_code, district_code)
    context = _context(year, province=province_code, district=district_code)
    other_year = request.args.get("with", type=whole_number) or year - 1
    if "with" in request.args and request.args.get("with", type=whole_number) is None:
        abort(404)  # no such round to compare with
    compared = figures.comparison(year, other_year, context["basis"], province_code, district_code)
    return render_template("workload/evidence_compare.html", **context, other_year=other_year,
                           scope_name=figures.scope_name(province_code, district_code), compared=compared,
                           earlier=compared.earlier, later=compared.later, lines=compared.lines,
                           change_labels=evidence.CHANGE_LABELS)
