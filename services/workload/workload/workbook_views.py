"""The Excel round-trip's page under /workload/ (README "The Excel round-trip"): a file field, the upload's
preview, and "บันทึกข้อมูลจากไฟล์"; the download is the API's record.xlsx, linked from the status page."""
from flask import Blueprint, redirect, request, url_for

from shared.uploads import from_request
from shared.web import current_user, permission_required
from workload import imports, permissions, rounds
from workload.domain import WorkloadError
from workload.messages import ERROR
from workload.views import _page

bp = Blueprint("workload_import_pages", __name__, url_prefix="/workload")
SHOWN_ON_THE_FORM = (409, 410, 413, 415, 422, 423)  # the file's or the record's refusals; 403/404 are pages


def _form(year, district, status=200, refused=None, found=None):
    return _page(year, district, "workload/import.html", status, active="import", refused=refused, preview=found)


def _refusal(error: WorkloadError) -> tuple[int, str]:
    status, text = ERROR[error.code]
    if error.code == "xlsx_catalog":
        text += f" (ข้อ {', '.join(error.details['questions'])})"
    return status, text


@bp.get("/<int:year>/districts/<district>/import")
@permission_required(permissions.require_writer)
def workbook_form(year, district):
    """นำเข้าจากไฟล์ Excel: the file field."""
    return _form(year, district)


@bp.post("/<int:year>/districts/<district>/import")
@permission_required(permissions.require_writer)
def workbook_import(year, district):
    """The uploaded file's preview; nothing saved yet."""
    upload = from_request(request.files, "file")
    try:
        if upload is None:
            raise WorkloadError("xlsx_missing")
        found = imports.preview(current_user(), rounds.get_round(year), district, upload)
    except WorkloadError as error:
        if ERROR.get(error.code, (0,))[0] not in SHOWN_ON_THE_FORM:
            raise
        return _form(year, district, *_refusal(error))
    return _form(year, district, found=found)


@bp.post("/<int:year>/districts/<district>/import/<preview_id>")
@permission_required(permissions.require_writer)
def workbook_apply(year, district, preview_id):
    """บันทึกข้อมูลจากไฟล์: every change of the preview in one transaction, then the status page."""
    round_ = rounds.get_round(year)
    try:
        imports.apply(current_user(), round_, district, preview_id)
    except WorkloadError as error:
        if ERROR.get(error.code, (0,))[0] not in SHOWN_ON_THE_FORM or error.code == "import_missing":
            raise
        found = imports.get_preview(current_user(), round_, district, preview_id)
        return _form(year, district, ERROR[error.code][0], ERROR[error.code][1], found)
    return redirect(url_for("workload_pages.status", year=year, district=district, saved=1))
