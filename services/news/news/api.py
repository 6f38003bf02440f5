"""The news JSON API (OpenAPI: /api/news/openapi.json).

Public reading under /api/news/items; writing under /api/news/manage/ and the province's decision at
POST /api/news/items/<id>/approval, both behind nginx's auth_request (gateway/render.py).
"""
from flask import request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

import news
from news import domain, permissions, services
from news.domain import NewsError
from news.messages import ERROR, FIELD, STATE_LABELS
from shared import geography, refusals
from shared import richtext as sanitize
from shared.errors import ApiProblem
from shared.openapi import Answer, AreaOut, FileOut
from shared.schemas import single_line
from shared.thai import iso_bangkok
from shared.web import current_user, login_required, permission_required

blp = Blueprint("news_api", __name__, url_prefix="/api/news", description="ข่าวประชาสัมพันธ์")


def problem_for(error: NewsError) -> ApiProblem:
    state = {"state": error.details["state"]} if "state" in error.details else {}
    return refusals.problem(error, ERROR, FIELD, **state)


def _area(code: str, finder) -> dict:
    found = finder(code)
    return {"code": code, "name": found.name_th if found else code}


def media_url(name: str | None, external: bool = False) -> str | None:
    return url_for("news_pages.media_file", name=name, _external=external) if name else None


def image_json(image, external: bool = False) -> dict:
    return {"id": image.id, "url": media_url(image.file, external),
            "thumbnail_url": media_url(image.thumb_file, external),
            "width": image.width, "height": image.height, "type": image.content_type}


def item_json(item, external: bool = False, with_events: bool = False) -> dict:
    """One item; `path` and the media URLs are relative unless `external` (feeds, other sites)."""
    cover = next((image for image in item.images if image.position == 0), None)
    body = {
        "id": item.id,
        "public_id": item.public_id,
        "title": item.title,
        "body_html": item.body_html,
        "summary": sanitize.summary(item.body_html),
        "activity_date": item.activity_date.isoformat(),
        "district": _area(item.district_code, geography.district),
        "province": _area(item.province_code, geography.province),
        "state": item.state,
        "state_label": STATE_LABELS[item.state],
        "published": services.is_published(item),
        "publish_at": iso_bangkok(item.publish_at),
        "updated_at": iso_bangkok(item.updated_at),
        "version": item.version,
        "path": url_for("news_pages.item", item_id=item.id),
        "url": url_for("news_pages.item", item_id=item.id, _external=True),
        "cover": image_json(cover, external) if cover else None,
        "images": [image_json(image, external) for image in item.images if image.position > 0],
        "attachment": {"url": media_url(item.attachment_file, external), "name": item.attachment_name,
                       "size": item.attachment_size} if item.attachment_file else None,
    }
    if with_events:
        body["reason"] = item.reason
        body["events"] = [{"at": iso_bangkok(e.at), "actor": e.actor, "actor_name": e.actor_name, "action": e.action,
                           "from_state": e.from_state, "to_state": e.to_state, "reason": e.reason}
                          for e in services.events(item)]
    return body


class ImageSchema(Answer):
    id = fields.Integer(required=True)
    url = fields.String(required=True)
    thumbnail_url = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)
    type = fields.String(required=True, metadata={"example": "image/jpeg"})


class EventSchema(Answer):
    at = fields.String(required=True)
    actor = fields.String(required=True)
    actor_name = fields.String(allow_none=True)
    action = fields.String(required=True)
    from_state = fields.String(allow_none=True)
    to_state = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class ItemSchema(Answer):
    """One news item as item_json gives it; `reason` and `events` to who works on it."""
    id = fields.Integer(required=True)
    public_id = fields.String(required=True)
    title = fields.String(required=True)
    body_html = fields.String(required=True)
    summary = fields.String(required=True)
    activity_date = fields.String(required=True, metadata={"description": "YYYY-MM-DD, or d/m/yyyy B.E."})
    district = fields.Nested(AreaOut, required=True)
    province = fields.Nested(AreaOut, required=True)
    state = fields.String(required=True, validate=validate.OneOf(list(STATE_LABELS)))
    state_label = fields.String(required=True)
    published = fields.Boolean(required=True)
    publish_at = fields.String(allow_none=True)
    updated_at = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    path = fields.String(required=True)
    url = fields.String(required=True)
    cover = fields.Nested(ImageSchema, allow_none=True)
    images = fields.List(fields.Nested(ImageSchema), required=True)
    attachment = fields.Nested(FileOut, allow_none=True)
    reason = fields.String(allow_none=True)
    events = fields.List(fields.Nested(EventSchema))


class PageSchema(Answer):
    items = fields.List(fields.Nested(ItemSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class WorkSchema(Answer):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True,
                         metadata={"description": "items per state"})
    items = fields.List(fields.Nested(ItemSchema), required=True)


class StateArgs(Schema):
    state = fields.String(load_default=None, validate=validate.OneOf(list(domain.STATES)))


class ListArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 10_000))
    per_page = fields.Integer(load_default=10, validate=validate.Range(1, 50))
    province = fields.String(load_default=None, validate=validate.Regexp(r"^\d{2}$"))
    district = fields.String(load_default=None, validate=validate.Regexp(r"^\d{4}$"))
    q = fields.String(load_default=None, validate=validate.Length(max=100),
                      metadata={"description": "words that must all appear in the title"})


class ContentSchema(Schema):
    """Raw as typed: the domain validates it so that pages and API give the same messages."""
    title = fields.String(required=True, validate=single_line)
    body = fields.String(required=True, metadata={"description": "HTML (p, br, strong, b, em, ul, ol, li, a) "
                                                                  "or plain text; sanitised on the server"})
    activity_date = fields.String(required=True, metadata={"description": "YYYY-MM-DD, or d/m/yyyy B.E."})


class ContentUpdateSchema(Schema):
    title = fields.String(validate=single_line)
    body = fields.String()
    activity_date = fields.String(metadata={"description": "YYYY-MM-DD, or d/m/yyyy B.E."})
    version = fields.Integer(metadata={"description": "the version read; a newer one refuses the change"})


class PublishAt(fields.String):
    """When to publish: ISO 8601 (a moment, or a day) or a B.E. day as typed (1/12/2569, optionally 09:00);
    a day alone publishes from 06:00 Bangkok time, as the province's page does."""

    def _deserialize(self, value, attr, data, **kwargs):
        moment = domain.publish_moment(super()._deserialize(value, attr, data, **kwargs))
        if moment is None:
            raise ValidationError(FIELD["date"])
        return moment


class ApprovalSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    reason = fields.String(load_default=None, allow_none=True,
                           metadata={"description": "required when rejecting; shown to the district"})
    publish_at = PublishAt(load_default=None, allow_none=True, metadata={
        "description": "publish later than now (approval only): 2026-12-01T09:00:00+07:00, 2026-12-01, "
                       "or B.E. as typed: 1/12/2569 or 1/12/2569 09:00 (Bangkok time; a day alone from 06:00)",
        "example": "1/12/2569"})


class ReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=1000))


@blp.route("/items")
class PublishedList(MethodView):
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, PageSchema)
    def get(self, args):
        """Published news, newest first, paged; filter by province, district and words of the title."""
        items, total = services.published(args["province"], args["district"], args["q"], args["page"],
                                          args["per_page"])
        return {"items": [item_json(item) for item in items], "total": total, "page": args["page"],
                "per_page": args["per_page"]}


@blp.route("/items/<int:item_id>")
class PublishedItem(MethodView):
    @blp.response(200, ItemSchema)
    def get(self, item_id):
        """One item: anyone when published; otherwise its district, its province and central only."""
        user = current_user()
        item = services.readable_item(user, item_id)
        return item_json(item, with_events=not services.is_published(item))


def acting_on_item(act: str):
    """Only who may `act` (permissions.RULES) on the route's item gets further: asked before the body is read."""
    return permission_required(lambda user, item_id, **_route: services.authorize_item(user, act, item_id))


@blp.route("/items/<int:item_id>/approval")
class Approval(MethodView):
    decorators = [login_required]

    @acting_on_item("province")
    @blp.arguments(ApprovalSchema)
    @blp.response(200, ItemSchema)
    def post(self, data, item_id):
        """The province approves (publishes now or at `publish_at`) or rejects with a reason an item of
        its own province that waits for it (รออนุมัติ)."""
        item = services.act(current_user(), item_id, data["decision"], data["reason"], data["publish_at"])
        return item_json(item, with_events=True)


# --- Writing: /api/news/manage/ ---------------------------------------------------------------------

def _uploads() -> services.Uploads:
    return services.uploads_from(request.files)


@blp.route("/manage/items")
class WorkingList(MethodView):
    decorators = [login_required]

    @blp.arguments(StateArgs, location="query")
    @blp.response(200, WorkSchema)
    def get(self, args):
        """The items the user works on (a district its own, a province its province's submitted ones),
        with counts per state; `?state=submitted` is the province's queue (รออนุมัติ)."""
        user = current_user()
        if not permissions.work_on_news(user):
            raise NewsError("forbidden")
        state = args["state"]
        return {"counts": services.counts(user),
                "items": [item_json(item) for item in services.working_list(user, state)]}

    @permission_required(permissions.require_write_news)  # before the body is read
    @blp.arguments(ContentSchema)
    @blp.response(201, ItemSchema)
    def post(self, data):
        """Write a new draft for the user's own district."""
        item = services.create_item(current_user(), data, services.Uploads(), news.store())
        return item_json(item, with_events=True)


@blp.route("/manage/items/<int:item_id>")
class WorkingItem(MethodView):
    decorators = [login_required]

    @blp.response(200, ItemSchema)
    def get(self, item_id):
        """One item with its history of transitions."""
        return item_json(services.readable_item(current_user(), item_id), with_events=True)

    @acting_on_item("district")
    @blp.arguments(ContentUpdateSchema)
    @blp.response(200, ItemSchema)
    def patch(self, data, item_id):
        """Change the text of a draft (or of an item sent back or withdrawn)."""
        version = data.pop("version", None)
        item = services.get_item(item_id)
        raw = {"title": item.title, "body": item.body_html, "activity_date": item.activity_date, **data}
        updated = services.update_item(current_user(), item_id, raw, services.Uploads(), news.store(), version=version)
        return item_json(updated, with_events=True)


@blp.route("/manage/items/<int:item_id>/media")
class ItemMedia(MethodView):
    decorators = [login_required]

    @blp.response(200, ItemSchema)
    def post(self, item_id):
        """multipart/form-data: `cover` (replaces it), `images` (up to 10 in all), `attachment` (a PDF,
        replaces it). Checked by content, re-encoded; all or nothing."""
        updated = services.update_item(current_user(), item_id, None, _uploads(), news.store())
        return item_json(updated, with_events=True)


@blp.route("/manage/items/<int:item_id>/images/<int:image_id>")
class ItemImage(MethodView):
    decorators = [login_required]

    @blp.response(204)
    def delete(self, item_id, image_id):
        """Remove one image (the cover too)."""
        services.update_item(current_user(), item_id, None, services.Uploads(), news.store(), remove_images=[image_id])


@blp.route("/manage/items/<int:item_id>/attachment")
class ItemAttachment(MethodView):
    decorators = [login_required]

    @blp.response(204)
    def delete(self, item_id):
        """Remove the attached PDF."""
        services.update_item(current_user(), item_id, None, services.Uploads(), news.store(), remove_attachment=True)


@blp.route("/manage/items/<int:item_id>/submission")
class Submission(MethodView):
    decorators = [login_required]

    @blp.response(200, ItemSchema)
    def post(self, item_id):
        """The district sends the item to its province (สถจ.) for approval."""
        return item_json(services.act(current_user(), item_id, "submit"), with_events=True)


@blp.route("/manage/items/<int:item_id>/unpublication")
class Unpublication(MethodView):
    decorators = [login_required]

    @acting_on_item("central")
    @blp.arguments(ReasonSchema)
    @blp.response(200, ItemSchema)
    def post(self, data, item_id):
        """The central office withdraws a published item, with a reason."""
        return item_json(services.act(current_user(), item_id, "unpublish", data["reason"]), with_events=True)
