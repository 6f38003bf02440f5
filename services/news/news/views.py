"""News pages: the public list and item pages under /news/, the editors' pages under /news/manage/
(behind nginx's auth_request), and the uploaded files under /news/media/."""
from pathlib import Path

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import or_, select

import news
from news import domain, media, permissions, services
from news.domain import NewsError, ValidationFailed
from news.messages import ACTION_LABELS, ERROR, STATE_LABELS, field_messages
from news.models import NewsImage, NewsItem, db
from shared import geography
from shared.inputs import whole_number
from shared.uploads import send_stored
from shared.web import current_user, login_required

bp = Blueprint("news_pages", __name__, url_prefix="/news")

PER_PAGE = 12


@bp.app_context_processor
def _labels():
    return {"state_labels": STATE_LABELS, "action_labels": ACTION_LABELS, "area_name": _area_name,
            "media_url": lambda name: url_for("news_pages.media_file", name=name) if name else None,
            "is_published": services.is_published}


def _area_name(code: str | None) -> str:
    if not code:
        return ""
    return geography.district_name(code) if len(code) == 4 else geography.province_name(code)


def _cover(item):
    return next((image for image in item.images if image.position == 0), None)


# --- Public ------------------------------------------------------------------------------------------

@bp.get("/")
def index():
    """ข่าวประชาสัมพันธ์: published news, newest first, by province and district, searchable by title."""
    province = request.args.get("province") or None
    district = request.args.get("district") or None
    if province and geography.province(province) is None:
        province = None
    if district and (geography.district(district) is None or
                     (province and geography.district(district).province_code != province)):
        district = None
    query = (request.args.get("q") or "").strip()[:100]
    page = max(1, min(request.args.get("page", 1, type=whole_number) or 1, 10_000))
    items, total = services.published(province, district, query, page, PER_PAGE)
    pages = max(1, -(-total // PER_PAGE))
    return render_template("news/index.html", items=items, total=total, page=page, pages=pages,
                           province=province, district=district, query=query, cover=_cover,
                           provinces=geography.by_name(geography.provinces()),
                           districts=geography.by_name(geography.districts(province)) if province else ())


@bp.get("/<int:item_id>")
def item(item_id):
    """One published item; its editors are taken to the working page of one not (yet) published."""
    found = db.session.get(NewsItem, item_id)
    if found is None:
        abort(404)
    if not services.is_published(found):
        try:
            services.readable_item(current_user(), item_id)
        except NewsError:
            abort(404)
        return redirect(url_for(".manage_item", item_id=item_id))
    return render_template("news/item.html", item=found, cover=_cover(found),
                           gallery=[image for image in found.images if image.position > 0])


@bp.get("/media/<name>")
def media_file(name):
    """An uploaded file: public once its item is published, else only for those who may read the item."""
    if not media.is_stored_name(name):
        abort(404)
    owner = db.session.scalar(select(NewsItem).join(NewsImage, NewsImage.item_id == NewsItem.id)
                              .where(or_(NewsImage.file == name, NewsImage.thumb_file == name)))
    owner = owner or db.session.scalar(select(NewsItem).where(NewsItem.attachment_file == name))
    if owner is None:
        abort(404)
    public = services.is_published(owner)
    if not public:
        try:
            services.readable_item(current_user(), owner.id)
        except NewsError:
            abort(404)
    found = news.store().files.get(name)
    if found is None:
        abort(404)
    suffix = Path(name).suffix
    return send_stored(found, media.CONTENT_TYPES[suffix], public, owner.attachment_name if suffix == ".pdf" else None)


# --- Editors: /news/manage/ ---------------------------------------------------------------------------

@bp.get("/manage/")
@login_required
def manage():
    """A district's own news by state; a province's queue of news waiting for approval (รออนุมัติ)."""
    user = current_user()
    if not permissions.work_on_news(user):
        raise NewsError("forbidden")
    state = request.args.get("state")
    if state not in domain.STATES:
        state = None
    return render_template("news/manage/index.html", items=services.working_list(user, state),
                           counts=services.counts(user), state=state,
                           queue=services.working_list(user, domain.SUBMITTED) if permissions.decide_any(user) else [],
                           may_write=permissions.write_news(user), may_decide=permissions.decide_any(user))


def _form_input() -> tuple[dict, services.Uploads]:
    raw = {name: request.form.get(name, "") for name in ("title", "body", "activity_date")}

    return raw, services.uploads_from(request.files)


def _form(item, raw: dict, errors: dict, status: int = 200, conflict: str | None = None):
    return render_template("news/manage/form.html", item=item, form=raw, errors=errors, conflict=conflict,
                           cover=_cover(item) if item else None,
                           gallery=[image for image in item.images if image.position > 0] if item else [],
                           max_images=domain.MAX_IMAGES), status


def _after_save(item, action: str):
    if action == "submit":
        services.act(current_user(), item.id, "submit")
        return redirect(url_for(".manage_item", item_id=item.id, done="submit"))
    return redirect(url_for(".manage_item", item_id=item.id, done="save"))


@bp.route("/manage/new", methods=["GET", "POST"])
@login_required
def new():
    """เขียนข่าว: a new draft of the user's own district."""
    user = current_user()
    permissions.require_write_news(user)
    if request.method == "GET":
        return _form(None, {"title": "", "body": "", "activity_date": services.today().isoformat()}, {})
    raw, uploads = _form_input()
    try:
        item = services.create_item(user, raw, uploads, news.store())
    except ValidationFailed as error:
        return _form(None, raw, field_messages(error.errors), 422)
    return _after_save(item, request.form.get("action", "save"))


@bp.route("/manage/items/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
def edit(item_id):
    """แก้ไขข่าว: a draft, or an item the province sent back or the central office withdrew."""
    user = current_user()
    item = services.get_item(item_id)
    permissions.authorize(user, "district", item.district_code)
    if request.method == "GET":
        domain.check_editable(item.state)
        return _form(item, {"title": item.title, "body": item.body_html,
                            "activity_date": item.activity_date.isoformat()}, {})
    raw, uploads = _form_input()
    remove = request.form.getlist("remove_images", type=whole_number)
    try:
        saved = services.update_item(user, item_id, raw, uploads, news.store(), remove_images=remove,
                                     remove_attachment=request.form.get("remove_attachment") == "1",
                                     version=request.form.get("version", type=whole_number))
    except ValidationFailed as error:
        return _form(item, raw, field_messages(error.errors), 422)
    except NewsError as error:
        if error.code != "stale":
            raise
        db.session.rollback()
        return _form(services.get_item(item_id), raw, {}, 409, conflict=ERROR["stale"][1])
    return _after_save(saved, request.form.get("action", "save"))


@bp.get("/manage/items/<int:item_id>")
@login_required
def manage_item(item_id):
    """The item as its editors see it: state, history of transitions, and what the user may do next."""
    user = current_user()
    item = services.readable_item(user, item_id)
    return _manage_page(item, {})


def _manage_page(item, errors: dict, status: int = 200, form: dict | None = None):
    user = current_user()
    allowed = {act: item.state in rule.sources and permissions.RULES[rule.actor](user, item.district_code)
               for act, rule in domain.TRANSITIONS.items()}
    allowed["edit"] = item.state in domain.EDITABLE and permissions.RULES["district"](user, item.district_code)
    return render_template("news/manage/item.html", item=item, events=services.events(item), allowed=allowed,
                           cover=_cover(item), gallery=[image for image in item.images if image.position > 0],
                           errors=errors, form=form or {}, done=request.args.get("done")), status


@bp.post("/manage/items/<int:item_id>/submit")
@login_required
def submit(item_id):
    """ส่งให้ สถจ. พิจารณา"""
    services.act(current_user(), item_id, "submit")
    return redirect(url_for(".manage_item", item_id=item_id, done="submit"))


@bp.post("/manage/items/<int:item_id>/approval")
@login_required
def approval(item_id):
    """The province's decision: อนุมัติ (now or from a chosen day) or ไม่อนุมัติ with a reason."""
    services.authorize_item(current_user(), "province", item_id)  # before the form is read
    decision = request.form.get("decision")
    reason = request.form.get("reason", "")
    publish_at = None
    if decision == "approve" and request.form.get("publish_on", "").strip():
        publish_at = domain.publish_moment(request.form["publish_on"])  # B.E. as typed, or ISO
        if publish_at is None:
            return _manage_page(services.get_item(item_id), field_messages({"publish_on": "date"}), 422,
                                request.form)
    try:
        services.act(current_user(), item_id, decision or "", reason, publish_at)
    except ValidationFailed as error:
        return _manage_page(services.get_item(item_id), field_messages(error.errors), 422, request.form)
    return redirect(url_for(".manage_item", item_id=item_id, done=decision))


@bp.post("/manage/items/<int:item_id>/unpublish")
@login_required
def unpublish(item_id):
    """The central office withdraws a published item, with a reason."""
    try:
        services.act(current_user(), item_id, "unpublish", request.form.get("reason", ""))
    except ValidationFailed as error:
        return _manage_page(services.get_item(item_id), field_messages(error.errors), 422, request.form)
    return redirect(url_for(".manage_item", item_id=item_id, done="unpublish"))
