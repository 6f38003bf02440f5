"""The workload JSON API under /api/workload/."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared.web import current_user, login_required
from workload.offices import office_of

blp = Blueprint("workload_api", __name__, url_prefix="/api/workload", description="Workload Tracking System")


class AreaSchema(Schema):
    code = fields.String()
    name = fields.String()


class OfficeSchema(Schema):
    level = fields.String(metadata={"description": "district, province or central"})
    name = fields.String()
    province = fields.Nested(AreaSchema, allow_none=True)
    district = fields.Nested(AreaSchema, allow_none=True)


class MeSchema(Schema):
    username = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    office = fields.Nested(OfficeSchema)


@blp.route("/me")
class MeView(MethodView):
    decorators = [login_required]

    @blp.response(200, MeSchema)
    def get(self):
        """The signed-in user and the office whose workload it records or checks."""
        user = current_user()
        return {"username": user.username, "name": user.name, "roles": sorted(user.roles),
                "office": office_of(user)}
