"""The central office's sync page under /directory/admin/ (behind the gateway's auth_request)."""
from flask import Blueprint, current_app, redirect, render_template, url_for
from sqlalchemy import select

from directory import permissions
from directory.messages import ERROR, STATUS, TRIGGER
from directory.models import SyncRun, db
from directory.sync import SyncBusy, sync_with_settings
from shared.web import allowed_if, current_user

bp = Blueprint("directory_admin", __name__, url_prefix="/directory/admin")


@bp.get("/sync")
@allowed_if(permissions.run_sync)
def sync_log():
    """The sync button and the log of the latest syncs."""
    runs = db.session.scalars(select(SyncRun).order_by(SyncRun.id.desc()).limit(30)).all()
    return render_template("directory/admin_sync.html", runs=runs, status_labels=STATUS,
                           trigger_labels=TRIGGER, error_labels=ERROR)


@bp.post("/sync")
@allowed_if(permissions.run_sync)
def sync_now():
    """Sync from DLA Connect now; the log shows the outcome."""
    try:
        run = sync_with_settings(current_app.config, "page", current_user().username)
        run_id = run.id
    except SyncBusy as busy:
        run_id = busy.run_id
    return redirect(url_for(".sync_log") + f"#run-{run_id}")
