"""The evidence downloads in the API (OpenAPI: /api/workload/openapi.json, tag "Workload exports").

The same files as the pages' (export_views.py builds them); here the query is validated by schema,
so a wrong basis or level is a 422 problem document rather than a silent default.
"""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate

from shared.web import current_user, login_required
from workload import evidence, export_loading, export_views, exports
from workload.evidence_api import ScopeQuerySchema

blp = Blueprint("workload_exports_api", __name__, url_prefix="/api/workload",
                description="Evidence of the workload: Excel and CSV exports of a scope, a district's PDF summary")

REFUSALS = {401: "Not signed in.", 403: "The scope is outside the user's own: a district sees only itself, "
            "a province its districts, the central office everything, the nation included.",
            404: "No such round, province or district."}


class CsvQuerySchema(ScopeQuerySchema):
    level = fields.String(load_default=exports.LEVELS[0], validate=validate.OneOf(exports.LEVELS),
                          metadata={"description": "answers (default: every answer of every counted district), "
                                                   "districts, questions or provinces."})


BINARY = {"type": "string", "format": "binary"}  # a file, not JSON: documented, never dumped (views return Responses)


def _refusals(view):
    for status, text in REFUSALS.items():
        view = blp.alt_response(status, description=text)(view)
    return view


@blp.route("/rounds/<int:year>/exports/evidence.xlsx")
class WorkbookExport(MethodView):
    decorators = [login_required]

    @blp.arguments(ScopeQuerySchema, location="query")
    @blp.response(200, BINARY, description="The workbook: sheets ปก (cover: round, parameters, basis, coverage, who "
                  "and when), จังหวัด (the nation only), อำเภอ, ข้อคำถาม, คำตอบ.", content_type=export_views.XLSX)
    @_refusals
    def get(self, query, year):
        """The evidence of a scope as an Excel workbook, one sheet per level."""
        return export_views.xlsx_response(*export_loading.load_export(
            current_user(), year, query.get("province"), query.get("district"), evidence.Basis(query["basis"])))


@blp.route("/rounds/<int:year>/exports/evidence.csv")
class CsvExport(MethodView):
    decorators = [login_required]

    @blp.arguments(CsvQuerySchema, location="query")
    @blp.response(200, BINARY, description="UTF-8 CSV with a byte order mark (Excel opens the Thai), streamed.",
                  content_type="text/csv")
    @_refusals
    def get(self, query, year):
        """One level of the evidence of a scope as CSV."""
        round_, export = export_loading.load_export(current_user(), year, query.get("province"),
                                                    query.get("district"), evidence.Basis(query["basis"]))
        return export_views.csv_response(round_, export, query["level"])


@blp.route("/rounds/<int:year>/districts/<district>/summary.pdf")
class SummaryPdf(MethodView):
    decorators = [login_required]

    @blp.response(200, BINARY, description="A4 PDF: the record, its status, the province's confirmation, its figures "
                  "and every answer.", content_type="application/pdf")
    @_refusals
    def get(self, year, district):
        """A district's printable summary as PDF (the district itself, its province, the central office)."""
        return export_views.pdf_response(export_loading.load_summary(current_user(), year, district))
