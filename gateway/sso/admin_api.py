"""The SSO admins' JSON API under /api/sso/admin/, the public list of SSO admins, and the own password."""
from contextlib import contextmanager
from functools import wraps

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from shared import geography
from shared.errors import ApiProblem
from shared.schemas import BangkokDateTime
from shared.web import no_store
from sso import accounts, rules, services
from sso.api import TokenSchema
from sso.guard import admin_required, signed_in

blp = Blueprint("sso_admin_api", __name__, url_prefix="/api/sso",
                description="SSO admins: the users of their province; the public list of SSO admins")
blp.after_request(no_store)  # temporary passwords and personal data

ROLE_FIELD = fields.String(validate=validate.OneOf(["district", "province", "ssoadmin"]))
OPTIONAL_TEXT = {"allow_none": True, "validate": validate.Length(max=255)}


class UserSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    position = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    province_code = fields.String(allow_none=True)
    district_code = fields.String(allow_none=True)
    office = fields.Function(accounts.office_name)
    disabled = fields.Boolean()
    must_change_password = fields.Boolean()
    state = fields.Function(accounts.state_of)
    last_login_at = BangkokDateTime(allow_none=True)
    created_at = BangkokDateTime()


class UserQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100),
                      metadata={"description": "part of the user name or the name"})
    province = fields.String(load_default=None, metadata={"description": "central office only"})


class UserCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(max=64))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=255))
    roles = fields.List(ROLE_FIELD, required=True)
    province_code = fields.String(load_default=None, metadata={"description": "central office only"})
    district_code = fields.String(load_default=None)
    position = fields.String(**OPTIONAL_TEXT)
    phone = fields.String(allow_none=True, validate=validate.Length(max=32))
    email = fields.Email(allow_none=True, validate=validate.Length(max=255))


class UserUpdateSchema(Schema):
    roles = fields.List(ROLE_FIELD, metadata={"description": "the whole new set; ends the user's sessions"})
    province_code = fields.String(allow_none=True, metadata={"description": "central office only"})
    district_code = fields.String(allow_none=True)
    display_name = fields.String(validate=validate.Length(min=1, max=255))
    position = fields.String(**OPTIONAL_TEXT)
    phone = fields.String(allow_none=True, validate=validate.Length(max=32))
    email = fields.Email(allow_none=True, validate=validate.Length(max=255))


class IssuedSchema(Schema):
    user = fields.Nested(UserSchema)
    temporary_password = fields.String(metadata={"description": "shown this once; the user must replace it"})


class ActionSchema(Schema):
    at = BangkokDateTime()
    actor = fields.String()
    target = fields.String()
    province_code = fields.String(allow_none=True)
    action = fields.String()
    detail = fields.String()


class LogQuerySchema(Schema):
    province = fields.String(load_default=None)
    target = fields.String(load_default=None)


class PublicAdminSchema(Schema):
    name = fields.String(attribute="display_name")
    position = fields.String(allow_none=True)
    office = fields.Function(lambda user: geography.province_office_name(user.province_code))
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)


class ProvinceQuerySchema(Schema):
    province = fields.String(required=True, validate=validate.OneOf([p.code for p in geography.provinces()]))


class PasswordChangeSchema(Schema):
    current_password = fields.String(load_default=None, load_only=True,
                                     metadata={"description": "not asked after a reset by an SSO admin"})
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(max=256))


@contextmanager
def refusals():
    """The rules' refusals as problem documents."""
    try:
        yield
    except rules.Refused as refused:
        raise ApiProblem(refused.status, refused.message, code=refused.code) from None


def managing(view):
    """Only an admin who may manage the route's user gets further: asked before the body is read, so a refused
    admin hears 403/404 whatever it sent."""
    @wraps(view)
    def wrapped(*args, username, **kwargs):
        with refusals():
            accounts.managed_user(g.actor, username)
        return view(*args, username=username, **kwargs)
    return wrapped


@blp.route("/admin/users")
class Users(MethodView):
    decorators = [admin_required]

    @blp.arguments(UserQuerySchema, location="query")
    @blp.response(200, UserSchema(many=True))
    def get(self, query):
        """Search the users the caller manages (an SSO admin: its province; central: all or one province)."""
        return accounts.search_users(g.actor, query["q"], query["province"])

    @blp.arguments(UserCreateSchema)
    @blp.response(201, IssuedSchema)
    def post(self, data):
        """Create a user for a district or the province office; answers its temporary password once."""
        with refusals():
            return accounts.create_account(g.actor, roles=set(data.pop("roles")), **data)


@blp.route("/admin/users/<username>")
class OneUser(MethodView):
    decorators = [admin_required]

    @blp.response(200, UserSchema)
    def get(self, username):
        """One user the caller may see."""
        with refusals():
            return accounts.visible_user(g.actor, username)

    @managing
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    def patch(self, data, username):
        """Change rights (roles, district) and/or the profile. A change of rights ends the user's sessions."""
        roles = set(data.pop("roles")) if "roles" in data else None
        with refusals():
            return accounts.update_user(g.actor, username, roles=roles, **data)


@blp.route("/admin/users/<username>/disable")
class Disable(MethodView):
    decorators = [admin_required]

    @blp.response(200, UserSchema)
    def post(self, username):
        """Disable the user: it cannot log in, and its open sessions end."""
        with refusals():
            return accounts.set_disabled(g.actor, username, True)


@blp.route("/admin/users/<username>/enable")
class Enable(MethodView):
    decorators = [admin_required]

    @blp.response(200, UserSchema)
    def post(self, username):
        """Enable the user again."""
        with refusals():
            return accounts.set_disabled(g.actor, username, False)


@blp.route("/admin/users/<username>/password-reset")
class PasswordReset(MethodView):
    decorators = [admin_required]

    @blp.response(200, IssuedSchema)
    def post(self, username):
        """A one-time temporary password; the user must choose a new one at the next login."""
        with refusals():
            return accounts.reset_password(g.actor, username)


@blp.route("/admin/log")
class Log(MethodView):
    decorators = [admin_required]

    @blp.arguments(LogQuerySchema, location="query")
    @blp.response(200, ActionSchema(many=True))
    def get(self, query):
        """What was done to the users of the caller's province (central: all, or one province), newest first."""
        return accounts.action_log(g.actor, query["province"], query["target"])


@blp.route("/admins")
class PublicAdmins(MethodView):
    @blp.arguments(ProvinceQuerySchema, location="query")
    @blp.response(200, PublicAdminSchema(many=True))
    def get(self, query):
        """ตรวจสอบรายชื่อ SSO Admin: a province's SSO admins and how to reach them (public)."""
        return accounts.public_admins(query["province"])


@blp.route("/password")
class Password(MethodView):
    decorators = [signed_in(password_change=True)]

    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, TokenSchema)
    def post(self, data):
        """Change the caller's own password. Every session of the user ends; the answer is a new token."""
        with refusals():
            accounts.change_own_password(g.account, data["current_password"], data["new_password"],
                                         data["new_password"], request.remote_addr or "")
        issued = services.start_session(g.account, "bearer")
        return {"access_token": issued.token, "token_type": "Bearer", "expires_in": issued.expires_in}
