"""The workload JSON API under /api/workload/ (OpenAPI: /api/workload/openapi.json)."""
import dataclasses

from flask.views import MethodView
from flask_smorest import Blueprint

from shared import geography, refusals
from shared.clock import utcnow
from shared.errors import ApiProblem
from shared.thai import iso_bangkok
from shared.web import current_user, login_required, permission_required
from workload import confirmation, permissions, read_models, rounds, saving, schemas
from workload.domain import WorkloadError
from workload.messages import ERROR, FIELD
from workload.offices import office_of
from workload.schemas import MeSchema

blp = Blueprint("workload_api", __name__, url_prefix="/api/workload", description="Workload Tracking System")


def problem_for(error: WorkloadError) -> ApiProblem:
    return refusals.problem(error, ERROR, FIELD)


def round_json(round_) -> dict:
    return {"fiscal_year": round_.fiscal_year, "opens_at": iso_bangkok(round_.opens_at),
            "closes_at": iso_bangkok(round_.closes_at),
            "hours_per_day": round_.hours_per_day, "days_per_year": round_.days_per_year,
            "reminder_days": [int(d) for d in round_.reminder_days.split(",")],
            "plausibility_factor": round_.plausibility_factor, "plausibility_floor": round_.plausibility_floor,
            "is_open": rounds.window(round_).is_open(utcnow())}


def question_json(question) -> dict:
    return {"id": question.id, "aspect": question.aspect, "code": question.code, "detail": question.detail,
            "unit": question.unit, "retired": question.retired_at is not None}


def answer_json(answer) -> dict | None:
    return None if answer is None else {"volume": answer.volume, "days": answer.days, "hours": answer.hours}


def contact_json(contact) -> dict | None:
    return None if contact is None else dict(contact.__dict__)


def record_json(view: read_models.RecordView) -> dict:
    district = geography.district(view.district_code)
    return {
        "fiscal_year": view.round.fiscal_year,
        "district": {"code": district.code, "name": district.name_th},
        "writable": view.writable,
        "complete": view.complete,
        "confirmed_at": iso_bangkok(view.confirmed_at),
        "contact": contact_json(view.contact),
        "contact_version": view.contact_version,
        "aspects": [{
            "number": a.number, "title": a.title, "status": a.status.value, "version": a.version,
            "questions": [{**question_json(q), "answer": answer_json(a.answers.get(q.id)),
                           "flag": a.flags[q.id].reason if q.id in a.flags else None} for q in a.questions],
        } for a in view.aspects.values()],
        "custom_rows": [{"id": r.id, "detail": r.detail, "unit": r.unit, "volume": r.volume, "days": r.days,
                         "hours": r.hours} for r in view.custom_rows],
        "corrections": [{"aspect": c.aspect, "reason": c.reason, "requested_by": c.requested_by,
                         "requested_at": iso_bangkok(c.requested_at)} for c in view.corrections],
    }


@blp.route("/me")
class MeView(MethodView):
    decorators = [login_required]

    @blp.response(200, MeSchema)
    def get(self):
        """The signed-in user and the office whose workload it records or checks."""
        user = current_user()
        return {"username": user.username, "name": user.name, "roles": sorted(user.roles), "office": office_of(user)}


@blp.route("/rounds")
class RoundList(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.RoundOutSchema(many=True))
    def get(self):
        """Every round, newest first, with whether its recording window is open now."""
        return [round_json(r) for r in rounds.rounds()]

    @permission_required(permissions.require_manage_rounds)
    @blp.arguments(schemas.RoundCreateSchema)
    @blp.response(201, schemas.RoundOutSchema)
    def post(self, data):
        """Create a round (central office); optionally copy an earlier round's catalog into it."""
        source = data.pop("copy_catalog_from", None)
        source_round = rounds.get_round(source) if source else None
        actor = current_user()
        round_ = rounds.create_round(**data, actor=actor)
        if source_round:
            rounds.copy_catalog(source_round, round_, actor=actor)
        return round_json(round_)


@blp.route("/rounds/<int:year>")
class RoundDetail(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.RoundOutSchema)
    def get(self, year):
        """One round."""
        return round_json(rounds.get_round(year))

    @permission_required(permissions.require_manage_rounds)
    @blp.arguments(schemas.RoundUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, schemas.RoundOutSchema)
    def patch(self, data, year):
        """Set the window, the parameters, the reminder days or the plausibility check's factor and floor, or
        `action`: open_now / close_now (central office)."""
        round_ = rounds.get_round(year)
        actor = current_user()
        action = data.pop("action", None)
        if data:
            round_ = rounds.update_round(round_, actor=actor, **data)
        if action == "open_now":
            round_ = rounds.open_now(round_, actor=actor)
        elif action == "close_now":
            round_ = rounds.close_now(round_, actor=actor)
        return round_json(round_)


@blp.route("/rounds/<int:year>/questions")
class QuestionList(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.QuestionOutSchema(many=True))
    def get(self, year):
        """The round's catalog: its questions by aspect, retired ones included and marked."""
        round_ = rounds.get_round(year)
        return [question_json(q) for q in rounds.questions(round_.id, active_only=False)]

    @permission_required(permissions.require_manage_rounds)
    @blp.arguments(schemas.QuestionSchema)
    @blp.response(201, schemas.QuestionOutSchema)
    def post(self, data, year):
        """Add a question (central office)."""
        return question_json(rounds.add_question(rounds.get_round(year), data, actor=current_user()))


@blp.route("/rounds/<int:year>/questions/<int:question_id>")
class QuestionDetail(MethodView):
    decorators = [permission_required(permissions.require_manage_rounds)]

    @blp.arguments(schemas.QuestionUpdateSchema, required=False)  # no body: nothing changes
    @blp.response(200, schemas.QuestionOutSchema)
    def patch(self, data, year, question_id):
        """Reword a question, or retire it / bring it back (`retired`)."""
        return question_json(rounds.update_question(rounds.get_round(year), question_id, data,
                                                    actor=current_user()))

    @blp.response(204)
    def delete(self, year, question_id):
        """Delete a question nobody has answered (answered ones can only be retired)."""
        rounds.delete_question(rounds.get_round(year), question_id, actor=current_user())


@blp.route("/rounds/<int:year>/catalog/copy")
class CatalogCopy(MethodView):
    decorators = [permission_required(permissions.require_manage_rounds)]

    @blp.arguments(schemas.CatalogCopySchema)
    @blp.response(200, schemas.CopiedSchema)
    def post(self, data, year):
        """Copy another round's active questions into this round's empty catalog."""
        count = rounds.copy_catalog(rounds.get_round(data["from_year"]), rounds.get_round(year),
                                    actor=current_user())
        return {"copied": count}


@blp.route("/rounds/<int:year>/districts/<district>/record")
class RecordView(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.RecordSchema)
    def get(self, year, district):
        """A district's whole record: contact data, the eight aspects with answers and status, custom rows."""
        permissions.require_record(current_user(), district)
        round_ = rounds.get_round(year)
        body = record_json(read_models.record_view(round_, district))
        body["previous_contact"] = contact_json(read_models.previous_contact(round_, district))
        return body


@blp.route("/rounds/<int:year>/districts/<district>/contact")
class ContactView(MethodView):
    decorators = [login_required]

    @permission_required(permissions.require_writer)  # before the body is read
    @blp.arguments(schemas.ContactSchema)
    @blp.response(200, schemas.VersionOutSchema)
    def put(self, data, year, district):
        """Save ข้อมูล ติดต่อ สถอ. (the district's own user, while the window is open)."""
        version = data.pop("version")
        new = saving.save_contact(current_user(), rounds.get_round(year), district, version, data)
        return {"version": new}


@blp.route("/rounds/<int:year>/districts/<district>/aspects/<int:aspect>")
class AspectView(MethodView):
    decorators = [login_required]

    @permission_required(permissions.require_writer)  # before the body is read
    @blp.arguments(schemas.AspectSaveSchema)
    @blp.response(200, schemas.VersionOutSchema)
    def put(self, data, year, district, aspect):
        """Save one aspect's answers in one transaction. A question left out, or with three nulls,
        is unanswered; `version` must be the one read, or the save is refused (409) with the current data."""
        raw = {a["question_id"]: (a["volume"], a["days"], a["hours"]) for a in data["answers"]}
        if len(raw) != len(data["answers"]):
            raise ApiProblem(422, ERROR["invalid"][1], code="invalid",
                             errors={"answers": "ข้อคำถามเดียวกันซ้ำกันในคำขอ"})
        try:
            return {"version": saving.save_aspect(current_user(), year, district, aspect, data["version"], raw)}
        except WorkloadError as error:
            if error.code != "stale":
                raise
            current = record_json(read_models.record_view(rounds.get_round(year), district))["aspects"][aspect - 1]
            raise ApiProblem(409, ERROR["stale"][1], code="stale", current=current) from None


@blp.route("/rounds/<int:year>/districts/<district>/custom-rows")
class CustomRows(MethodView):
    decorators = [login_required]

    @permission_required(permissions.require_writer)  # before the body is read
    @blp.arguments(schemas.CustomRowSchema)
    @blp.response(201, schemas.IdSchema)
    def post(self, data, year, district):
        """Add a row of ข้อมูลเฉพาะ สถอ."""
        row = saving.add_custom_row(current_user(), rounds.get_round(year), district, data)
        return {"id": row.id}


@blp.route("/rounds/<int:year>/districts/<district>/custom-rows/<int:row_id>")
class CustomRowDetail(MethodView):
    decorators = [login_required]

    @permission_required(permissions.require_writer)  # before the body is read
    @blp.arguments(schemas.CustomRowSchema)
    @blp.response(200, schemas.IdSchema)
    def put(self, data, year, district, row_id):
        """Change a custom row."""
        row = saving.update_custom_row(current_user(), rounds.get_round(year), district, row_id, data)
        return {"id": row.id}

    @blp.response(204)
    def delete(self, year, district, row_id):
        """Delete a whole custom row."""
        saving.delete_custom_row(current_user(), rounds.get_round(year), district, row_id)


@blp.route("/rounds/<int:year>/districts/<district>/history")
class History(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.HistorySchema(many=True))
    def get(self, year, district):
        """Every save and delete of the record: who, when, old and new values."""
        permissions.require_record(current_user(), district)
        return read_models.history(rounds.get_round(year), district)



def province_json(status: read_models.ProvinceStatus) -> dict:
    return {
        "fiscal_year": status.round.fiscal_year,
        "province": {"code": status.province.code, "name": status.province.name_th},
        "counts": counts_json(status.counts),
        "districts": [{
            "code": row.district.code, "name": row.district.name_th,
            "aspects": {str(n): state.value for n, state in row.states.items()},
            "complete": row.complete, "confirmed_at": iso_bangkok(row.confirmed_at),
            "contact": contact_json(row.contact), "covered_by": row.covered_by, "flagged": row.flagged,
        } for row in status.rows],
    }


def counts_json(counts: read_models.Counts) -> dict:
    """The counts alone (a province's row also names its province)."""
    return {f.name: getattr(counts, f.name) for f in dataclasses.fields(read_models.Counts)}


@blp.route("/rounds/<int:year>/provinces/<province>/status")
class ProvinceStatus(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.ProvinceStatusSchema)
    def get(self, year, province):
        """Every district of a province: aspect states, contact, coverage, confirmation, and counts."""
        permissions.require_province(current_user(), province)
        return province_json(read_models.province_status(rounds.get_round(year), province))


@blp.route("/rounds/<int:year>/districts/<district>/confirmation")
class Confirmation(MethodView):
    decorators = [login_required]

    @blp.response(200, schemas.ConfirmedSchema)
    def post(self, year, district):
        """The province confirms a complete record: final, for the province's own districts only."""
        return {"confirmed_at": iso_bangkok(confirmation.confirm(current_user(), rounds.get_round(year), district))}


@blp.route("/rounds/<int:year>/season")
class Season(MethodView):
    decorators = [permission_required(permissions.require_season)]

    @blp.response(200, schemas.SeasonSchema)
    def get(self, year):
        """The season at a glance (central office): per province and for the nation, how many districts
        are complete, confirmed, covered by another record or missing."""
        round_ = rounds.get_round(year)
        season = read_models.season_status(round_)
        is_open = rounds.window(round_).is_open(utcnow())
        return {"fiscal_year": year, "is_open": is_open,
                "days_left": (round_.closes_at - utcnow()).days if is_open else None,
                "nation": counts_json(season.nation), "provinces": [
            {"code": row.province.code, "name": row.province.name_th, **counts_json(row)} for row in season.provinces]}


@blp.route("/rounds/<int:year>/districts/<district>/corrections")
class Corrections(MethodView):
    decorators = [login_required]

    @permission_required(permissions.require_province_act)  # before the body is read
    @blp.arguments(schemas.CorrectionSchema)
    @blp.response(201, schemas.ReturnedSchema)
    def post(self, data, year, district):
        """ส่งกลับแก้ไข: the province asks the district to correct aspects (while the window is open).
        Nothing in the record changes; the note shows until the district saves that aspect again."""
        count = confirmation.return_for_correction(current_user(), rounds.get_round(year), district,
                                              data["aspects"], data["reason"])
        return {"aspects": count}
