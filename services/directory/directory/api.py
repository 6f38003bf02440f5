"""The directory JSON API under /api/directory/ (OpenAPI: /api/directory/openapi.json).

/api/directory/staff/ and /api/directory/admin/ sit behind the gateway's auth_request as well.
"""
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import func, select

from directory import permissions, registry, schemas
from directory.messages import ERROR, NOT_FOUND_OFFICER, NOT_FOUND_PROVINCE, SYNC_FAILED
from directory.models import Officer, OfficerChange, SyncRun, db
from directory.sync import SyncBusy, sync_with_settings
from shared import geography
from shared.errors import ApiProblem
from shared.web import allowed_if, current_user

blp = Blueprint("directory_api", __name__, url_prefix="/api/directory",
                description="ทะเบียน ทถอ.: provinces, districts and their ผอ.กง.ทอ., synced from DLA Connect")

CORRECTION_NOTE = "ผู้ปฏิบัติหน้าที่ ผอ.กง.ทอ. แก้ไขข้อมูลของตนในระบบ DLA Connect ระบบนี้ดึงข้อมูลมาแสดงเท่านั้น"


@blp.route("/provinces")
class ProvinceList(MethodView):
    @blp.response(200, schemas.ProvinceSchema(many=True))
    def get(self):
        """The 76 provinces by DOPA code, with their districts and how many have an assigned officer."""
        covered = registry.covered_counts()
        return [{"code": p.code, "name_th": p.name_th, "name_en": p.name_en,
                 "district_count": len(geography.districts(p.code)), "covered_district_count": covered.get(p.code, 0)}
                for p in geography.provinces()]


@blp.route("/provinces/<code>")
class ProvinceDetail(MethodView):
    @blp.response(200, schemas.ProvinceDetailSchema)
    def get(self, code):
        """One province: every district with its officers (an empty list: nobody assigned)."""
        province = geography.province(code)
        if province is None:
            raise ApiProblem(404, NOT_FOUND_PROVINCE)
        officers = registry.province_officers(code)
        last = registry.last_sync()
        return {"code": province.code, "name_th": province.name_th, "name_en": province.name_en,
                "last_synced_at": last.finished_at if last else None,
                "districts": [{"code": d.code, "name_th": d.name_th, "officers": officers.get(d.code, [])}
                              for d in geography.districts(code)]}


@blp.route("/officers")
class OfficerSearch(MethodView):
    @blp.arguments(schemas.SearchArgsSchema, location="query")
    @blp.response(200, schemas.SearchResultSchema)
    def get(self, args):
        """Search by name, district or province, in Thai (at most 100 officers)."""
        return {"query": args["q"], "officers": registry.search(args["q"], args.get("province"))}


@blp.route("/officers/<dla_id>")
class OfficerDetail(MethodView):
    @blp.response(200, schemas.OfficerSchema)
    def get(self, dla_id):
        """One officer, as the public sees it."""
        return _officer_or_404(dla_id)


@blp.route("/status")
class RegistryStatus(MethodView):
    @blp.response(200, schemas.StatusSchema)
    def get(self):
        """When the registry was last synced from DLA Connect, and where corrections are made."""
        last = registry.last_sync()
        active = db.session.scalar(select(func.count()).select_from(Officer).where(Officer.removed_at.is_(None)))
        return {"last_synced_at": last.finished_at if last else None, "active_officers": active,
                "source": "DLA Connect", "note": CORRECTION_NOTE}


@blp.route("/staff/officers/<dla_id>")
class StaffOfficerDetail(MethodView):
    decorators = [allowed_if(permissions.see_staff_contacts)]

    @blp.response(200, schemas.StaffOfficerSchema)
    def get(self, dla_id):
        """One officer with the mobile number and personal e-mail (signed-in staff only)."""
        return _officer_or_404(dla_id)


@blp.route("/admin/sync-runs")
class SyncRuns(MethodView):
    decorators = [allowed_if(permissions.run_sync)]

    @blp.response(200, schemas.SyncRunSchema(many=True))
    def get(self):
        """The latest 50 syncs, newest first (central office)."""
        return db.session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(50)).all()

    @blp.response(201, schemas.SyncRunSchema)
    @blp.alt_response(409, description="another sync is running")
    @blp.alt_response(502, description="DLA Connect failed or sent invalid data; nothing changed")
    def post(self):
        """Sync now from DLA Connect (central office): all or nothing, the run's counts in the answer."""
        try:
            run = sync_with_settings(current_app.config, "api", current_user().username)
        except SyncBusy as busy:
            raise ApiProblem(409, ERROR["busy"], code="busy", run_id=busy.run_id) from None
        if run.status != "succeeded":
            raise ApiProblem(502, f"{SYNC_FAILED}: {ERROR.get(run.error_code, run.error_code)}",
                             code=run.error_code, run_id=run.id, failure=run.error_detail)
        return run


@blp.route("/admin/sync-runs/<int:run_id>")
class SyncRunDetail(MethodView):
    decorators = [allowed_if(permissions.run_sync)]

    @blp.response(200, schemas.SyncRunSchema)
    def get(self, run_id):
        """One sync with what failed, if it did (central office)."""
        run = db.session.get(SyncRun, run_id)
        if run is None:
            raise ApiProblem(404, "ไม่พบรายการซิงก์นี้")
        return run


@blp.route("/admin/sync-runs/<int:run_id>/changes")
class SyncRunChanges(MethodView):
    decorators = [allowed_if(permissions.run_sync)]

    @blp.response(200, schemas.ChangeSchema(many=True))
    def get(self, run_id):
        """What one sync added, changed and removed, with the values before and after (central office)."""
        if db.session.get(SyncRun, run_id) is None:
            raise ApiProblem(404, "ไม่พบรายการซิงก์นี้")
        return db.session.scalars(select(OfficerChange).where(OfficerChange.run_id == run_id)
                                  .order_by(OfficerChange.id)).all()


def _officer_or_404(dla_id: str):
    found = registry.officer(dla_id)
    if found is None:
        raise ApiProblem(404, NOT_FOUND_OFFICER)
    return found
