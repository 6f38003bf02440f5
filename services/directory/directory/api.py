"""The directory JSON API under /api/directory/."""
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from shared import geography

blp = Blueprint("directory_api", __name__, url_prefix="/api/directory", description="Provinces and districts")


class ProvinceSchema(Schema):
    code = fields.String(metadata={"description": "DOPA province code"})
    name_th = fields.String()
    name_en = fields.String()
    district_count = fields.Integer()


@blp.route("/provinces")
class ProvinceList(MethodView):
    @blp.response(200, ProvinceSchema(many=True))
    def get(self):
        """The 76 provinces the center serves, by DOPA code, with their number of districts."""
        return [{"code": p.code, "name_th": p.name_th, "name_en": p.name_en,
                 "district_count": len(geography.districts(p.code))} for p in geography.provinces()]
