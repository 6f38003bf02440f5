"""News pages under /news/."""
from flask import Blueprint, render_template

bp = Blueprint("news_pages", __name__, url_prefix="/news")


@bp.get("/")
def index():
    """The public list of approved news."""
    return render_template("news/index.html")
