"""Who is asking, for the SSO's own pages and API: the live session's user, read from the database.

The SSO is the authority on sessions, so it does not rely on nginx's cached verdict nor on the roles
inside the token: an admin whose rights were withdrawn a second ago is refused at once.
"""
from functools import wraps

from flask import abort, g, redirect, request
from sqlalchemy import select

from shared.auth import TokenError
from shared.errors import wants_problem_json
from shared.web import login_url
from sso import accounts, rules
from sso.models import User, db
from sso.services import check_session
from sso.views import request_token


def session_user(password_change: bool = False) -> User | None:
    """The user of the request's live session; None without one."""
    token = request_token()
    if not token:
        return None
    try:
        claims = check_session(token, password_change)
    except TokenError:
        return None
    return db.session.scalar(select(User).where(User.username == claims["sub"]))


def _not_signed_in():
    if wants_problem_json():
        abort(401, description="กรุณาเข้าสู่ระบบ")
    return redirect(login_url(request.full_path.rstrip("?")))


def admin_required(view):
    """SSO admins and the central office; the acting user is g.actor."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        actor = session_user()
        if actor is None:
            return _not_signed_in()
        if not rules.is_admin(accounts.person(actor)):
            abort(403, description="เฉพาะ SSO Admin ของ สถจ. หรือส่วนกลางเท่านั้น")
        g.actor = actor
        return view(*args, **kwargs)
    return wrapped


def signed_in(password_change: bool = False):
    """Any live session (for the change-password page, also one that still holds a temporary password)."""
    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = session_user(password_change)
            if user is None:
                return _not_signed_in()
            g.account = user
            return view(*args, **kwargs)
        return wrapped
    return decorate
