"""Downloads and print pages of the workload evidence: the workbook, the CSVs and a district's summary.

The responses are built here once, for the pages (/workload/…) and the API (/api/workload/…, see
export_api.py), from what export_loading.py read after checking permissions.require_figures; a refusal is a
WorkloadError, which the app turns into a Thai page or a problem document by the path.
"""
import tempfile
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request, stream_with_context

from shared import geography
from shared.web import current_user, login_required, no_store
from workload import evidence, export_loading, exports, figures, printable

bp = Blueprint("workload_exports", __name__, url_prefix="/workload")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Short Thai words for the file names users see (the ASCII name carries the same in English).
BASIS_WORDS = {evidence.Basis.CONFIRMED: "ยืนยันแล้ว", evidence.Basis.COMPLETE: "ครบถ้วน", evidence.Basis.ALL: "ทั้งหมด"}
LEVEL_WORDS = {"answers": "คำตอบ", "districts": "อำเภอ", "questions": "ข้อคำถาม", "provinces": "จังหวัด"}


def _answers(round_, export: exports.Export):
    province = export.province_code or (export.district_code[:2] if export.district_code else None)
    return figures.answer_lines(round_, export.counted, province)


def _thai_scope(export: exports.Export) -> str:
    if export.district_code:
        return f"อำเภอ{geography.district(export.district_code).name_th}"
    if export.province_code:
        return f"จังหวัด{geography.province(export.province_code).name_th}"
    return "ทั้งประเทศ"


def attachment(ascii_name: str, thai_name: str, disposition: str = "attachment") -> str:
    """Content-Disposition with an ASCII name for old clients and the Thai one (RFC 6266, 5987)."""
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(thai_name)}"


def _sent_then_closed(spool, size: int = 256 * 1024):
    """A file's bytes in chunks, closing (so deleting) it after the last one, or if the client leaves."""
    try:
        spool.seek(0)
        while chunk := spool.read(size):
            yield chunk
    finally:
        spool.close()


def xlsx_response(round_, export: exports.Export) -> Response:
    """The workbook, written to an anonymous temporary file that is deleted once it has been sent: the
    nation's workbook is megabytes, so it is not held in memory, and nothing is left on disk."""
    spool = tempfile.TemporaryFile()
    try:
        exports.write_xlsx(export, figures.question_lines(round_, export.counted), _answers(round_, export), spool)
    except BaseException:
        spool.close()
        raise
    response = Response(_sent_then_closed(spool), mimetype=XLSX)
    response.headers["Content-Length"] = str(spool.tell())
    thai = f"ภาระงาน-{export.fiscal_year}-{_thai_scope(export)}-{BASIS_WORDS[export.basis]}.xlsx"
    response.headers["Content-Disposition"] = attachment(f"{export.slug}.xlsx", thai)
    return no_store(response)  # a district's figures stay out of caches


def csv_table(round_, export: exports.Export, level: str) -> exports.Table:
    if level == "answers":
        return exports.answers_table(export, _answers(round_, export))
    if level == "districts":
        return exports.districts_table(export)
    if level == "questions":
        return exports.questions_table(export, figures.question_lines(round_, export.counted))
    return exports.provinces_table(export)


def csv_response(round_, export: exports.Export, level: str) -> Response:
    """One level as CSV, streamed: the rows are read and written while the client downloads."""
    chunks = exports.csv_chunks(csv_table(round_, export, level))
    response = Response(stream_with_context(chunks), mimetype="text/csv")
    thai = f"ภาระงาน-{export.fiscal_year}-{_thai_scope(export)}-{BASIS_WORDS[export.basis]}-{LEVEL_WORDS[level]}.csv"
    response.headers["Content-Disposition"] = attachment(f"{export.slug}-{level}.csv", thai)
    return no_store(response)  # a district's figures stay out of caches


def pdf_response(summary: printable.DistrictSummary) -> Response:
    response = Response(printable.pdf(summary), mimetype="application/pdf")
    response.headers["Content-Disposition"] = attachment(
        f"workload-{summary.fiscal_year}-d{summary.district_code}-summary.pdf",
        f"สรุปภาระงาน-{summary.fiscal_year}-อำเภอ{summary.district_name}.pdf", disposition="inline")
    return no_store(response)  # a district's figures stay out of caches


def _query() -> tuple[str | None, str | None, evidence.Basis]:
    return request.args.get("province"), request.args.get("district"), evidence.parse_basis(request.args.get("basis"))


# --- Pages ---------------------------------------------------------------------------------------------

@bp.get("/<int:year>/evidence/export.xlsx")
@login_required
def export_xlsx(year: int):
    """The workbook of a scope: ?province= or ?district= (neither: the nation), ?basis=."""
    province, district, basis = _query()
    return xlsx_response(*export_loading.load_export(current_user(), year, province, district, basis))


@bp.get("/<int:year>/evidence/export.csv")
@login_required
def export_csv(year: int):
    """One level of a scope as CSV: ?level=answers (default), districts, questions or provinces."""
    level = request.args.get("level") or exports.LEVELS[0]
    if level not in exports.LEVELS:
        abort(400, description="ระดับข้อมูลไม่ถูกต้อง เลือกได้: " + ", ".join(exports.LEVELS))
    province, district, basis = _query()
    return csv_response(*export_loading.load_export(current_user(), year, province, district, basis), level)


@bp.get("/<int:year>/districts/<district>/summary")
@login_required
def summary(year: int, district: str):
    """The district's summary as a page to print on A4 (the browser's print, or the PDF)."""
    found = export_loading.load_summary(current_user(), year, district)
    return render_template("workload/summary.html", s=found)


@bp.get("/<int:year>/districts/<district>/summary.pdf")
@login_required
def summary_pdf(year: int, district: str):
    """The same summary as a PDF (A4, Sarabun)."""
    return pdf_response(export_loading.load_summary(current_user(), year, district))
