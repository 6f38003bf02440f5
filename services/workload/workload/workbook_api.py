"""The record as a workbook in the API (README "The Excel round-trip"): download it, upload it for a preview,
apply the preview."""
from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.errors import ApiProblem
from shared.thai import iso_bangkok
from shared.uploads import from_request
from shared.web import current_user, login_required, no_store, permission_required
from workload import imports, permissions, read_models, rounds, schemas, workbook_export
from workload.api import record_json
from workload.domain import WorkloadError
from workload.export_views import XLSX, attachment
from workload.messages import ERROR

blp = Blueprint("workload_workbook_api", __name__, url_prefix="/api/workload",
                description="A district's record as an Excel workbook: download, upload for a preview, apply")

BINARY = {"type": "string", "format": "binary"}
READ = {401: "Not signed in.", 403: "Not a reader of this record.", 404: "No such round or district."}
UPLOAD = {**READ, 403: "Not the district's own user.", 413: "Over 5 MB, or a zip bomb.",
          415: "Not a plain .xlsx: another format, macro-enabled, encrypted.",
          409: "Made from a catalog that changed since the download (`questions`).",
          422: "No file, not a form of this system, or of another district or round.",
          423: "The window is closed or the province has confirmed the record."}
APPLY = {**UPLOAD, 404: "No such preview of this user.", 409: "Applied already, or a version moved since the "
         "download (`current` and `file` side by side).", 410: "The preview expired (30 minutes).",
         422: "The preview has errors or no change."}
for status in (413, 415):
    APPLY.pop(status)


def documented(statuses: dict):
    def decorate(view):
        for status, text in statuses.items():
            view = blp.alt_response(status, description=text)(view)
        return view
    return decorate


def workbook_response(year: int, district: str) -> Response:
    """The record's workbook (whoever may read the record)."""
    permissions.require_record(current_user(), district)
    view = read_models.record_view(rounds.get_round(year), district)
    response = Response(workbook_export.save(view), mimetype=XLSX)
    response.headers["Content-Disposition"] = attachment(f"record-{year}-{district}.xlsx",
                                                         workbook_export.file_name(view))
    return no_store(response)


def preview_json(found) -> dict:
    return {"id": found.id, "file_name": found.file_name, "expires_at": iso_bangkok(found.expires_at),
            "applied_at": iso_bangkok(found.applied_at), "changes": found.changes, "errors": found.errors}


def upload_preview(year: int, district: str):
    """The uploaded file's preview; a refused file's catalog questions named in the problem."""
    upload = from_request(request.files, "file")
    if upload is None:
        raise WorkloadError("xlsx_missing")
    try:
        return imports.preview(current_user(), rounds.get_round(year), district, upload)
    except WorkloadError as error:
        if error.code != "xlsx_catalog":
            raise
        questions = error.details["questions"]
        raise ApiProblem(409, f"{ERROR['xlsx_catalog'][1]} (ข้อ {', '.join(questions)})", code="xlsx_catalog",
                         questions=questions) from None


def apply_preview(year: int, district: str, preview_id: str):
    """Apply; a version moved since the download is a 409 with the record's aspect and the file's side by side."""
    round_ = rounds.get_round(year)
    try:
        return imports.apply(current_user(), round_, district, preview_id)
    except WorkloadError as error:
        if error.code != "stale":
            raise
        found = imports.get_preview(current_user(), round_, district, preview_id)
        number = error.details.get("aspect")
        current = record_json(read_models.record_view(round_, district))["aspects"][number - 1] if number else None
        in_file = next((a for a in found.changes["aspects"] if a["number"] == number), None)
        raise ApiProblem(409, ERROR["stale"][1], code="stale", aspect=number, current=current,
                         file=in_file) from None


@blp.route("/rounds/<int:year>/districts/<district>/record.xlsx")
class RecordWorkbook(MethodView):
    decorators = [login_required]

    @blp.response(200, BINARY, description="Sheets: คำอธิบาย, ข้อมูล ติดต่อ สถอ., ด้านที่ 1 … ด้านที่ 8, ข้อมูลเฉพาะ สถอ. "
                  "and a hidden one with the round, the district, the nine versions and the catalog's hash.",
                  content_type=XLSX)
    @documented(READ)
    def get(self, year, district):
        """The record as a workbook to fill in offline (the district, its province, the central office)."""
        return workbook_response(year, district)

    @permission_required(permissions.require_writer)  # before the body is read
    @blp.arguments(schemas.WorkbookUpload, location="files")
    @blp.response(201, schemas.ImportPreviewSchema)
    @documented(UPLOAD)
    def post(self, _files, year, district):
        """multipart/form-data `file`: the workbook checked by the form's rules; nothing is saved, the answer
        is a preview to apply (the district's own user, while the window is open)."""
        return preview_json(upload_preview(year, district))


@blp.route("/rounds/<int:year>/districts/<district>/imports/<preview_id>/apply")
class ImportApply(MethodView):
    decorators = [login_required]

    @permission_required(permissions.require_writer)
    @blp.response(200, schemas.ImportPreviewSchema)
    @documented(APPLY)
    def post(self, year, district, preview_id):
        """Save every change of the preview in one transaction; refused if any changed part moved since the
        download (409, the record's and the file's values side by side)."""
        return preview_json(apply_preview(year, district, preview_id))


def request_limit() -> None:
    """before_request, ahead of the form's parsing: uploads of a workbook may be larger than other requests."""
    if request.endpoint in UPLOAD_ENDPOINTS:
        request.max_content_length = imports.workbook_import.MAX_BYTES + 64 * 1024  # the file and its envelope


UPLOAD_ENDPOINTS = {"workload_workbook_api.RecordWorkbook", "workload_import_pages.workbook_import"}
