"""The evidence figures as JSON: the same numbers as the evidence pages, from the same functions."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared import geography
from shared.openapi import Answer
from shared.web import current_user, login_required
from workload import evidence, figures, permissions, rounds
from workload.domain import ASPECTS, full_time_equivalents

blp = Blueprint("workload_evidence_api", __name__, url_prefix="/api/workload",
                description="Workload evidence: hours per year, full-time equivalents, comparisons")

class ScopeQuerySchema(Schema):
    """Which figures: one district, a province's districts, or (neither) the nation; on which basis."""
    province = fields.String(load_default=None, validate=validate.Length(equal=2),
                             metadata={"description": "A province's code: its districts (province office, central)."})
    district = fields.String(load_default=None, validate=validate.Length(equal=4),
                             metadata={"description": "A district's code: that district only. Neither: the nation "
                                                      "(central office only)."})
    basis = fields.String(load_default=evidence.Basis.COMPLETE.value,
                          validate=validate.OneOf([b.value for b in evidence.Basis]),
                          metadata={"description": "Which districts are counted: confirmed, complete (default) "
                                                   "or all."})


class CompareQuerySchema(ScopeQuerySchema):
    other = fields.Integer(data_key="with", required=True, metadata={"description": "the other fiscal year"})


class ParametersOut(Answer):
    fiscal_year = fields.Integer(required=True)
    hours_per_day = fields.Float(required=True)
    days_per_year = fields.Integer(required=True)


class AspectFigure(Answer):
    aspect = fields.Integer(required=True)
    title = fields.String(required=True)
    hours = fields.Float(required=True)
    fte = fields.Float(required=True)
    share = fields.Float(allow_none=True)


class CustomFigure(Answer):
    hours = fields.Float(required=True)
    fte = fields.Float(required=True)
    share = fields.Float(allow_none=True)


class Distribution(Answer):
    count = fields.Integer(required=True)
    min = fields.Float(required=True)
    q1 = fields.Float(required=True)
    median = fields.Float(required=True)
    q3 = fields.Float(required=True)
    max = fields.Float(required=True)
    low_fence = fields.Float(required=True)
    high_fence = fields.Float(required=True)


class SummaryOut(Answer):
    """Totals, FTE and shares per aspect of the districts counted on the basis, and their distribution."""
    basis = fields.String(required=True)
    basis_label = fields.String(required=True)
    districts = fields.Raw(required=True, metadata={
        "description": "how many districts the scope has; for a province scope, the list of its districts"})
    counted = fields.Integer(required=True)
    hours = fields.Float(required=True)
    fte = fields.Float(required=True)
    aspects = fields.List(fields.Nested(AspectFigure), required=True)
    custom = fields.Nested(CustomFigure, required=True)
    distribution = fields.Nested(Distribution, allow_none=True)
    outliers = fields.List(fields.String(), required=True, metadata={"description": "district codes"})


class EvidenceOut(SummaryOut):
    round = fields.Nested(ParametersOut, required=True)
    scope = fields.String(required=True)
    questions = fields.List(fields.Dict(), metadata={"description": "a district scope: hours per question"})
    provinces = fields.List(fields.Dict(), metadata={"description": "the nation: each province's summary"})


class SideOut(SummaryOut):
    """One round of a comparison, its totals over the districts counted in both rounds only."""
    round = fields.Nested(ParametersOut, required=True)
    counted_in_round = fields.Integer(required=True, metadata={
        "description": "how many districts this round counts on the basis by itself (compared or not)"})


class ComparedQuestion(Answer):
    code = fields.String(required=True)
    aspect = fields.Integer(required=True)
    detail = fields.String(required=True)
    earlier_hours = fields.Float(allow_none=True)
    later_hours = fields.Float(allow_none=True)
    difference = fields.Float(allow_none=True)
    change = fields.String(required=True)


class ComparisonOut(Answer):
    scope = fields.String(required=True)
    common_districts = fields.Integer(required=True, metadata={
        "description": "the districts counted on the basis in both rounds: the only ones the figures add up"})
    note = fields.String(required=True, metadata={"description": "what is compared, in Thai, as the page says"})
    earlier = fields.Nested(SideOut, required=True)
    later = fields.Nested(SideOut, required=True)
    questions = fields.List(fields.Nested(ComparedQuestion), required=True)


def totals_json(totals: evidence.Totals, params) -> dict:
    return {
        "hours": totals.total, "fte": totals.fte(params),
        "aspects": [{"aspect": n, "title": ASPECTS[n], "hours": totals.by_aspect[n],
                     "fte": totals.aspect_fte(n, params), "share": totals.share(n)} for n in ASPECTS],
        "custom": {"hours": totals.custom, "fte": full_time_equivalents(totals.custom, params),
                   "share": totals.share(None)},
    }


def summary_json(summary: evidence.Summary, params) -> dict:
    spread = summary.spread
    return {
        "basis": summary.basis.value, "basis_label": evidence.BASIS_LABELS[summary.basis],
        "districts": summary.districts, "counted": summary.counted, **totals_json(summary.totals, params),
        "distribution": None if spread is None else {
            "count": spread.count, "min": spread.minimum, "q1": spread.q1, "median": spread.median, "q3": spread.q3,
            "max": spread.maximum, "low_fence": spread.low_fence, "high_fence": spread.high_fence},
        "outliers": list(summary.outliers),
    }


def _scope(query) -> tuple[str | None, str | None]:
    """(province, district) after the permission check."""
    permissions.require_figures(current_user(), query["province"], query["district"])
    return query["province"], query["district"]


def _parameters_json(round_) -> dict:
    return {"fiscal_year": round_.fiscal_year, "hours_per_day": round_.hours_per_day,
            "days_per_year": round_.days_per_year}


@blp.route("/rounds/<int:year>/evidence")
class Evidence(MethodView):
    decorators = [login_required]

    @blp.arguments(ScopeQuerySchema, location="query")
    @blp.response(200, EvidenceOut)
    def get(self, query, year):
        """Figures of the nation (central office), a province (its staff, central) or a district (itself, its
        province, central): totals, FTE and shares per aspect, distribution across districts, and the level below."""
        province, district = _scope(query)
        round_ = rounds.get_round(year)
        params = rounds.parameters(round_)
        basis = evidence.Basis(query["basis"])
        rows = figures.scope_rows(round_, province, district)
        body = {"round": _parameters_json(round_), "scope": figures.scope_name(province, district),
                **summary_json(evidence.summarize(rows, basis), params)}
        if district:
            body["questions"] = [{"code": line.code, "aspect": line.aspect, "detail": line.detail, "unit": line.unit,
                                  "hours": line.hours,
                                  "fte": full_time_equivalents(line.hours, params)}
                                 for line in figures.question_lines(round_, [district])]
        elif province:
            body["districts"] = [{"code": r.code, "name": geography.district(r.code).name_th,
                                  "counted": evidence.in_basis(basis, r.has_record, r.complete, r.confirmed),
                                  "complete": r.complete, "confirmed": r.confirmed,
                                  **totals_json(r.totals, params)} for r in rows]
        else:
            by_province = evidence.by_province(rows, basis)
            body["provinces"] = [{"code": p.code, "name": p.name_th, **summary_json(by_province[p.code], params)}
                                 for p in geography.provinces()]
        return body


@blp.route("/rounds/<int:year>/evidence/comparison")
class Comparison(MethodView):
    decorators = [login_required]

    @blp.arguments(CompareQuerySchema, location="query")
    @blp.response(200, ComparisonOut)
    def get(self, query, year):
        """Two rounds side by side for a scope, matched by question code; changed questions are marked."""
        province, district = _scope(query)
        compared = figures.comparison(year, query["other"], evidence.Basis(query["basis"]), province, district)
        sides = [{"round": _parameters_json(side.round), **summary_json(side.summary, side.params),
                  "counted_in_round": side.counted} for side in (compared.earlier, compared.later)]
        return {"scope": figures.scope_name(province, district), "earlier": sides[0], "later": sides[1],
                "common_districts": compared.common, "note": compared.note,
                "questions": [{"code": line.code, "aspect": line.aspect, "detail": line.detail,
                               "earlier_hours": line.earlier, "later_hours": line.later,
                               "difference": line.difference, "change": line.change}
                              for line in compared.lines]}
