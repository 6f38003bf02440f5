"""ทะเบียน ทถอ. pages under /directory/."""
from flask import Blueprint, render_template

from shared import geography

bp = Blueprint("directory_pages", __name__, url_prefix="/directory")


@bp.get("/")
def index():
    """The registry's entry: every province with its number of districts."""
    rows = [(p, len(geography.districts(p.code))) for p in geography.provinces()]
    return render_template("directory/index.html", rows=rows, district_total=len(geography.districts()))
