"""The SSO admin's pages under /sso/admin/: find a user, create one, change rights, disable, reset."""
from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from shared import geography
from shared.web import no_store
from sso import accounts, rules
from sso.guard import admin_required

bp = Blueprint("sso_admin", __name__, url_prefix="/sso/admin")
bp.after_request(no_store)  # temporary passwords and personal data

DONE_MESSAGES = {
    "rights": "บันทึกสิทธิ์เรียบร้อยแล้ว ผู้ใช้ต้องเข้าสู่ระบบใหม่",
    "profile": "บันทึกข้อมูลผู้ใช้เรียบร้อยแล้ว",
    "disabled": "ระงับการใช้งานเรียบร้อยแล้ว ผู้ใช้ถูกออกจากระบบทุกเครื่อง",
    "enabled": "เปิดการใช้งานเรียบร้อยแล้ว",
}


@bp.context_processor
def _labels():
    return {"role_labels": rules.ROLE_LABELS, "office_name": accounts.office_name, "geography": geography,
            "state_of": accounts.state_of}


def _form_rights() -> tuple[set[str], str | None, str | None]:
    roles = {r for r in request.form.getlist("roles") if r}
    return roles, request.form.get("province_code") or None, request.form.get("district_code") or None


def _profile() -> dict:
    return {field: request.form.get(field, "") for field in accounts.PROFILE_FIELDS}


def _districts_for(actor) -> list:
    province = rules.visible_province(accounts.person(actor), None)
    return geography.by_name(geography.districts(province) if province else geography.districts())


@bp.get("/")
@admin_required
def home():
    return redirect(url_for(".users"))


@bp.get("/users")
@admin_required
def users():
    """ตรวจสอบ User: search the province's users by user name or name."""
    query = request.args.get("q", "").strip()[:100]
    province = request.args.get("province") or None
    found = accounts.search_users(g.actor, query, province)
    return render_template("sso/admin/users.html", users=found, query=query, province=province,
                           limit=accounts.SEARCH_LIMIT)


@bp.route("/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    """เพิ่มผู้ใช้งาน: a user for a district or the province office, with a temporary password shown once."""
    form = {"username": "", "roles": ["district"], **_profile(), "province_code": g.actor.province_code,
            "district_code": ""}
    if request.method == "POST":
        roles, province, district = _form_rights()
        form.update(username=request.form.get("username", ""), roles=sorted(roles), province_code=province,
                    district_code=district or "", **_profile())
        try:
            issued = accounts.create_account(g.actor, form["username"], form["display_name"], roles, province,
                                             district, **{k: form[k] for k in ("position", "phone", "email")})
        except rules.Refused as refused:
            return render_template("sso/admin/new.html", form=form, error=refused.message,
                                   districts=_districts_for(g.actor)), 422
        return render_template("sso/admin/issued.html", user=issued.user, password=issued.temporary_password,
                               created=True)
    return render_template("sso/admin/new.html", form=form, districts=_districts_for(g.actor))


def _refusal(check, user) -> str | None:
    """Why `check` (a rules.check_may_…) refuses the acting admin this act on `user`; None when it allows."""
    try:
        check(accounts.person(g.actor), accounts.person(user))
    except rules.Refused as refused:
        return refused.message
    return None


def _user_page(user, error: str | None = None, status: int = 200):
    reason = _refusal(rules.check_may_manage, user)
    reset_refusal = _refusal(rules.check_may_reset_password, user)
    page = render_template("sso/admin/user.html", user=user, may_manage=reason is None, reason=reason, error=error,
                           may_reset=reset_refusal is None, reset_refusal=reset_refusal,
                           done=DONE_MESSAGES.get(request.args.get("done", "")),
                           grantable=rules.grantable_roles(accounts.person(g.actor)),
                           districts=geography.districts(user.province_code) if user.province_code else [],
                           log=accounts.action_log(g.actor, target=user.username, limit=20))
    return page, status


def _visible_or_404(username: str):
    try:
        return accounts.visible_user(g.actor, username)
    except rules.Refused as refused:
        abort(refused.status, description=refused.message)


@bp.get("/users/<username>")
@admin_required
def user(username):
    return _user_page(_visible_or_404(username))


@bp.post("/users/<username>/<action>")
@admin_required
def act(username, action):
    """One form per act; a refusal shows the user's page again with the reason and changes nothing."""
    target = _visible_or_404(username)
    try:
        if action == "rights":
            roles, province, district = _form_rights()
            accounts.update_user(g.actor, username, roles=roles, district_code=district, province_code=province)
        elif action == "profile":
            accounts.update_user(g.actor, username, **_profile())
        elif action in ("disable", "enable"):
            accounts.set_disabled(g.actor, username, action == "disable")
            action = action + "d"
        elif action == "password":
            # A new password locks the user out of every open session: asked once more, naming the user, and
            # done only with the confirmation's field (no JavaScript needed; the API acts on its POST alone).
            if request.form.get("confirm") != "yes":
                rules.check_may_reset_password(accounts.person(g.actor), accounts.person(target))
                return render_template("sso/admin/confirm_password.html", user=target)
            issued = accounts.reset_password(g.actor, username)
            return render_template("sso/admin/issued.html", user=issued.user, password=issued.temporary_password)
        else:
            abort(404)
    except rules.Refused as refused:
        accounts.db.session.rollback()
        return _user_page(accounts.visible_user(g.actor, target.username), refused.message, refused.status)
    return redirect(url_for(".user", username=username, done=action))


@bp.get("/log")
@admin_required
def log():
    """บันทึกการดำเนินการ: who did what to which user, newest first."""
    province = request.args.get("province") or None
    if province and geography.province(province) is None:
        province = None
    return render_template("sso/admin/log.html", actions=accounts.action_log(g.actor, province),
                           province=province)
