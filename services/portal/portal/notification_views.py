"""/notifications/: the signed-in user's notices, newest first, each linking to its page; mark read."""
from flask import Blueprint, abort, redirect, render_template, request

from portal import inbox, permissions
from shared.web import allowed_if, current_user

bp = Blueprint("notification_pages", __name__)

own_inbox = allowed_if(permissions.read_own_notifications)


@bp.get("/notifications/")
@own_inbox
def index():
    """การแจ้งเตือน: every notice of the user."""
    username = current_user().username
    return render_template("portal/notifications.html", notices=inbox.notices_of(username),
                           unread=inbox.unread_count(username))


@bp.post("/notifications/<int:notification_id>/read")
@own_inbox
def read(notification_id):
    """Mark one notice read, then go to what it is about (or back to the list)."""
    try:
        notification = inbox.mark_read(current_user().username, notification_id)
    except inbox.NotFound:
        abort(404)
    return redirect(notification.link if request.form.get("open") else "/notifications/", code=303)


@bp.post("/notifications/read-all")
@own_inbox
def read_all():
    """Mark every notice of the user read."""
    inbox.mark_all_read(current_user().username)
    return redirect("/notifications/", code=303)
