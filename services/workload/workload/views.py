"""Workload Tracking System pages under /workload/."""
from flask import Blueprint, render_template

from shared.web import current_user, login_required
from workload.offices import office_of

bp = Blueprint("workload_pages", __name__, url_prefix="/workload")


@bp.get("/")
@login_required
def index():
    """The entry page: greets the office by its Thai name."""
    return render_template("workload/index.html", office=office_of(current_user()))
