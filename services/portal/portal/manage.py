"""The central office's editing pages under /portal/manage/ (behind nginx's auth_request; central
only, checked here again): every kind of item is created, previewed, edited, ordered, published or
withdrawn and deleted; every change is recorded (who, when, what) and listed."""
from types import SimpleNamespace

from flask import Blueprint, abort, redirect, render_template, request, url_for

import portal
from portal import attachments, content, permissions, services
from portal.content import PortalError, ValidationFailed
from portal.messages import ACTION_LABELS, BODY_LABELS, ERROR, KIND_LABELS, KIND_PAGES, TITLE_LABELS, field_messages
from portal.models import db
from shared.inputs import whole_number
from shared.uploads import from_request
from shared.web import allowed_if, current_user

bp = Blueprint("portal_manage", __name__, url_prefix="/portal/manage")

FORM_FIELDS = ("title", "body", "category", "link_url", "order_number", "order_date", "course_tests", "todo")


@bp.before_request
@allowed_if(permissions.manage_content)
def _central_only():
    """Every page here: the central office only (others: login, or 403)."""
    return None


@bp.app_context_processor
def _labels():
    return {"kind_labels": KIND_LABELS, "kind_pages": KIND_PAGES, "action_labels": ACTION_LABELS,
            "categories": content.CATEGORIES}


def _kind(kind: str) -> str:
    if kind not in content.KINDS:
        abort(404)
    return kind


@bp.get("/")
def index():
    """แก้ไขเนื้อหาเว็บไซต์: every kind with its counts, and the latest changes."""
    return render_template("portal/manage/index.html", counts=services.counts(), changes=services.changes(limit=20))


@bp.get("/<kind>/")
def kind_list(kind):
    """The items of one kind in page order, with their actions."""
    listed = services.items(_kind(kind), published_only=False)
    return render_template("portal/manage/list.html", kind=kind, groups=services.by_category(listed),
                           done=request.args.get("done"))


def _form_input() -> tuple[dict, attachments.Upload | None]:
    raw = {name: request.form.get(name, "") for name in FORM_FIELDS}
    raw["published"] = request.form.get("published") == "1"
    return raw, from_request(request.files, "attachment")


def _form(kind: str, item, raw: dict, errors: dict, status: int = 200, preview=None, conflict: str | None = None):
    return render_template("portal/manage/form.html", kind=kind, item=item, form=raw, errors=errors,
                           preview=preview, conflict=conflict, title_label=TITLE_LABELS[kind],
                           body_label=BODY_LABELS[kind]), status


def _preview(kind: str, item, raw: dict, upload):
    """The form again with the item as the public will see it; nothing is saved."""
    remove = request.form.get("remove_attachment") == "1"
    keeps_file = item is not None and item.attachment_file is not None and not remove
    errors = {}
    if upload is not None:
        try:
            attachments.check_pdf(upload, portal.store())
        except ValidationFailed as error:
            errors.update(error.errors)
    try:
        parsed = services.preview(kind, raw, keeps_file or (upload is not None and not errors))
    except ValidationFailed as error:
        return _form(kind, item, raw, field_messages({**error.errors, **errors}), 422)
    if errors:
        return _form(kind, item, raw, field_messages(errors), 422)
    shown = SimpleNamespace(**vars(parsed), kind=kind, id=item.id if item else None,
                            attachment_file=item.attachment_file if keeps_file else None,
                            attachment_name=(upload.filename if upload else item.attachment_name if keeps_file
                                             else None))
    return _form(kind, item, raw, {}, preview=shown)


@bp.route("/<kind>/new", methods=["GET", "POST"])
def new(kind):
    """เพิ่มรายการ"""
    _kind(kind)
    if request.method == "GET":
        category = request.args.get("category", "")
        return _form(kind, None, {**dict.fromkeys(FORM_FIELDS, ""), "category": category, "published": False}, {})
    raw, upload = _form_input()
    if request.form.get("action") == "preview":
        return _preview(kind, None, raw, upload)
    try:
        item = services.create_item(current_user(), kind, raw, portal.store(), upload)
    except ValidationFailed as error:
        return _form(kind, None, raw, field_messages(error.errors), 422)
    return redirect(url_for(".kind_list", kind=kind, done="create", _anchor=f"item-{item.id}"))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit(item_id):
    """แก้ไขรายการ"""
    item = services.get_item(item_id)
    if request.method == "GET":
        return _form(item.kind, item, services.current_fields(item), {})
    raw, upload = _form_input()
    if request.form.get("action") == "preview":
        return _preview(item.kind, item, raw, upload)
    try:
        services.update_item(current_user(), item_id, raw, portal.store(), upload,
                             remove_attachment=request.form.get("remove_attachment") == "1",
                             version=request.form.get("version", type=whole_number))
    except ValidationFailed as error:
        return _form(item.kind, item, raw, field_messages(error.errors), 422)
    except PortalError as error:
        if error.code != "stale":
            raise
        db.session.rollback()
        return _form(item.kind, services.get_item(item_id), raw, {}, 409, conflict=ERROR["stale"][1])
    return redirect(url_for(".kind_list", kind=item.kind, done="edit", _anchor=f"item-{item_id}"))


@bp.post("/items/<int:item_id>/publish")
def publish(item_id):
    """เผยแพร่ / ยกเลิกการเผยแพร่"""
    item = services.get_item(item_id)
    published = request.form.get("published") == "1"
    try:
        services.set_published(current_user(), item_id, published, portal.store())
    except ValidationFailed as error:
        # A knowledge item without a link or a PDF: say why on its form.
        return _form(item.kind, item, {**services.current_fields(item), "published": True},
                     field_messages(error.errors), 422)
    return redirect(url_for(".kind_list", kind=item.kind, done="publish" if published else "unpublish",
                            _anchor=f"item-{item_id}"))


@bp.post("/items/<int:item_id>/move")
def move(item_id):
    """เลื่อนขึ้น / เลื่อนลง"""
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400, description="ทิศทางไม่ถูกต้อง")
    item = services.move_item(current_user(), item_id, direction)
    return redirect(url_for(".kind_list", kind=item.kind, done="move", _anchor=f"item-{item_id}"))


@bp.route("/items/<int:item_id>/delete", methods=["GET", "POST"])
def delete(item_id):
    """ลบรายการ: asks first; the change log keeps who deleted what."""
    item = services.get_item(item_id)
    if request.method == "GET":
        return render_template("portal/manage/delete.html", item=item)
    kind = item.kind
    services.delete_item(current_user(), item_id, portal.store())
    return redirect(url_for(".kind_list", kind=kind, done="delete"))


@bp.get("/changes")
def changes():
    """บันทึกการแก้ไข: who changed what, when."""
    return render_template("portal/manage/changes.html", changes=services.changes(limit=500))
