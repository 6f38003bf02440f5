"""The SSO's JSON API for clients that cannot use the browser login."""
from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared.auth import TokenError
from shared.errors import ApiProblem
from shared.web import current_user
from sso import domain, services
from sso.views import request_token

blp = Blueprint("sso_api", __name__, url_prefix="/api/sso", description="DLA-SSO tokens and sessions")


class TokenRequestSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class TokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds until the token expires"})


class MeSchema(Schema):
    username = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    province_code = fields.String(allow_none=True)
    district_code = fields.String(allow_none=True)


@blp.route("/token")
class TokenView(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenSchema)
    def post(self, credentials):
        """Exchange User and Password for a bearer token (a session that logout and idle time end)."""
        try:
            user = services.authenticate(credentials["username"], credentials["password"], request.remote_addr or "")
        except services.LoginRefused as refused:
            throttled = refused.failure == domain.LoginFailure.THROTTLED
            raise ApiProblem(429 if throttled else 401, refused.message, code=refused.failure.value,
                             hint=refused.hint, retry_after=refused.seconds if throttled else None) from None
        issued = services.start_session(user, "bearer")
        return {"access_token": issued.token, "token_type": "Bearer", "expires_in": issued.expires_in}


@blp.route("/session")
class SessionView(MethodView):
    @blp.response(200, MeSchema)
    def get(self):
        """Who the token belongs to, if its session is still live."""
        token = request_token()
        try:
            claims = services.check_session(token) if token else None
        except TokenError:
            claims = None
        if claims is None:
            raise ApiProblem(401, "กรุณาเข้าสู่ระบบ", code="login_required")
        return {"username": claims["sub"], "name": claims.get("name"), "roles": claims["roles"],
                "province_code": claims.get("province"), "district_code": claims.get("district")}

    @blp.response(204)
    def delete(self):
        """Log out: the token is refused everywhere within seconds."""
        if current_user() is None:
            raise ApiProblem(401, "กรุณาเข้าสู่ระบบ", code="login_required")
        services.end_session(current_user().session_id, "logout")
