"""Pages of every user's own account (change password) and the public list of SSO admins."""
from flask import Blueprint, g, redirect, render_template, request

from shared import geography
from sso import accounts, domain, rules, services
from sso.guard import signed_in
from sso.views import set_session_cookie

bp = Blueprint("sso_account", __name__, url_prefix="/sso")


@bp.get("/admins")
def admins():
    """ตรวจสอบรายชื่อ SSO Admin: choose a province, press ค้นหา."""
    code = request.args.get("province", "")
    province = geography.province(code) if code else None
    error = "กรุณาเลือกจังหวัด" if code and province is None else None
    found = accounts.public_admins(province.code) if province else None
    return render_template("sso/admins.html", provinces=geography.by_name(geography.provinces()), province=province,
                           geography=geography, admins=found, error=error), 400 if error else 200


@bp.route("/password", methods=["GET", "POST"])
@signed_in(password_change=True)
def password():
    """เปลี่ยนรหัสผ่าน; after a reset by the SSO admin, the only page a temporary password opens."""
    next_path = domain.safe_next(request.values.get("next"), default="/")
    user = g.account
    if request.method == "GET":
        return render_template("sso/password.html", user=user, next=next_path, reset=accounts.last_reset(user),
                               changed=request.args.get("changed") == "1")
    try:
        accounts.change_own_password(user, request.form.get("current_password"), request.form.get("new_password", ""),
                                     request.form.get("confirm_password", ""), request.remote_addr or "")
    except rules.Refused as refused:
        return render_template("sso/password.html", user=user, next=next_path, reset=accounts.last_reset(user),
                               error=refused.message), refused.status
    # Every session ended with the old password, this one too: the browser gets a new one.
    issued = services.start_session(user, "cookie")
    target = next_path if next_path != "/" else "/sso/password?changed=1"
    response = redirect(target)
    set_session_cookie(response, issued.token)
    return response
