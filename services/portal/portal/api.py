"""The portal's JSON API (OpenAPI: /api/portal/openapi.json).

Public reading under /api/portal/items; the central office's editing under /api/portal/manage/, behind
nginx's auth_request (gateway/render.py) and checked again here: central only.
"""
from flask import request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

import portal
from portal import attachments, content, permissions, services
from portal.content import PortalError, ValidationFailed
from portal.messages import ERROR, FIELD, KIND_LABELS
from shared import refusals
from shared.errors import ApiProblem
from shared.openapi import Answer, FileOut
from shared.thai import iso_bangkok
from shared.uploads import from_request
from shared.web import allowed_if, current_user

blp = Blueprint("portal_api", __name__, url_prefix="/api/portal",
                description="เนื้อหาของศูนย์: ชุดความรู้ Local MOOC เกี่ยวกับศูนย์ คำถามที่พบบ่อย")

central_only = allowed_if(permissions.manage_content)


def problem_for(error: PortalError) -> ApiProblem:
    return refusals.problem(error, ERROR, FIELD)


def item_json(item, with_editing: bool = False) -> dict:
    body = {
        "id": item.id,
        "kind": item.kind,
        "kind_label": KIND_LABELS[item.kind],
        "category": item.category,
        "title": item.title,
        "body_html": item.body_html,
        "link_url": item.link_url,
        "attachment": {"url": url_for("portal_pages.media_file", name=item.attachment_file),
                       "name": item.attachment_name, "size": item.attachment_size} if item.attachment_file else None,
        "order_number": item.order_number,
        "order_date": item.order_date.isoformat() if item.order_date else None,
        "course_tests": item.course_tests,
        "to_be_completed": bool(item.todo),
        "example": item.example,
        "position": item.position,
        "updated_at": iso_bangkok(item.updated_at),
    }
    if with_editing:
        body.update({"todo": item.todo, "published": item.published, "version": item.version,
                     "updated_by": item.updated_by, "updated_by_name": item.updated_by_name})
    return body


def change_json(change) -> dict:
    return {"id": change.id, "item_id": change.item_id, "kind": change.kind, "title": change.title,
            "action": change.action, "at": iso_bangkok(change.at), "actor": change.actor,
            "actor_name": change.actor_name, "detail": change.detail}




class ChangeSchema(Answer):
    id = fields.Integer(required=True)
    item_id = fields.Integer(allow_none=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    action = fields.String(required=True)
    at = fields.String(required=True)
    actor = fields.String(required=True)
    actor_name = fields.String(allow_none=True)
    detail = fields.String(allow_none=True)


class ItemSchema(Answer):
    """One item as item_json gives it; the editing fields (todo … updated_by_name) to the central office."""
    id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(content.KINDS))
    kind_label = fields.String(required=True)
    category = fields.String(allow_none=True)
    title = fields.String(required=True)
    body_html = fields.String(allow_none=True)
    link_url = fields.String(allow_none=True)
    attachment = fields.Nested(FileOut, allow_none=True)
    order_number = fields.String(allow_none=True)
    order_date = fields.String(allow_none=True)
    course_tests = fields.String(allow_none=True)
    to_be_completed = fields.Boolean(required=True)
    example = fields.Boolean(required=True, metadata={"description": "an example of the demo, not real content"})
    position = fields.Integer(required=True)
    updated_at = fields.String(allow_none=True)
    todo = fields.String(allow_none=True)
    published = fields.Boolean()
    version = fields.Integer()
    updated_by = fields.String(allow_none=True)
    updated_by_name = fields.String(allow_none=True)
    changes = fields.List(fields.Nested(ChangeSchema))


class PublishedSchema(Answer):
    items = fields.List(fields.Nested(ItemSchema), required=True)
    categories = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                             metadata={"description": "per kind, its categories in page order"})


class ManagedSchema(Answer):
    items = fields.List(fields.Nested(ItemSchema), required=True)


class ChangesSchema(Answer):
    changes = fields.List(fields.Nested(ChangeSchema), required=True)


class AttachmentUpload(Schema):
    attachment = fields.Raw(required=True, metadata={"type": "string", "format": "binary",
                                                     "description": "a PDF"})


class ListArgs(Schema):
    kind = fields.String(load_default=None, validate=validate.OneOf(content.KINDS))
    q = fields.String(load_default=None, validate=validate.Length(max=100),
                      metadata={"description": "Thai search: every space-separated part must appear (toolkit, "
                                               "order and course items)"})


class ItemFields(Schema):
    """Raw as typed (null = empty): content.py validates them so that pages and API give the same Thai messages."""
    title = fields.String(allow_none=True)
    body = fields.String(allow_none=True,
                         metadata={"description": "HTML (p, br, strong, b, em, ul, ol, li, a) or plain text; "
                                                  "sanitised on the server"})
    category = fields.String(allow_none=True,
                             metadata={"description": "required for toolkit and faq: one of their categories"})
    link_url = fields.String(allow_none=True,
                             metadata={"description": "http(s) link, e.g. the DLA website's e-book page"})
    order_number = fields.String(allow_none=True, metadata={"description": "order only"})
    order_date = fields.String(allow_none=True, metadata={"description": "order only: YYYY-MM-DD"})
    course_tests = fields.String(allow_none=True,
                                 metadata={"description": "course only (required): what the course tests"})
    todo = fields.String(allow_none=True,
                         metadata={"description": "what the central office still has to fill in; empty when done"})
    published = fields.Raw(allow_none=True, metadata={"description": "true or false"})


class CreateSchema(ItemFields):
    kind = fields.String(required=True, validate=validate.OneOf(content.KINDS))
    title = fields.String(required=True)


class UpdateSchema(ItemFields):
    version = fields.Integer(metadata={"description": "the version read; a newer one refuses the change"})


class MoveSchema(Schema):
    direction = fields.String(required=True, validate=validate.OneOf(["up", "down"]))


# --- Public ----------------------------------------------------------------------------------------

@blp.route("/items")
class PublishedList(MethodView):
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, PublishedSchema)
    def get(self, args):
        """Published items, in page order: of one kind, or those matching `q` (Thai substring search). Items
        still being completed are listed (`to_be_completed`) only to the central office."""
        unfinished = permissions.read_unfinished(current_user())
        if args["q"]:
            found = services.search_items(args["q"], (args["kind"],) if args["kind"] else services.SEARCHED_KINDS,
                                          unfinished)
        else:
            published = services.all_published((args["kind"],) if args["kind"] else content.KINDS, unfinished)
            found = [item for listed in published.values() for item in listed]
        return {"items": [item_json(item) for item in found],
                "categories": {k: list(v) for k, v in content.CATEGORIES.items()}}


# --- The central office's editing: /api/portal/manage/ ---------------------------------------------

def _upload() -> attachments.Upload | None:
    return from_request(request.files, "attachment")


@blp.route("/manage/items")
class ManagedList(MethodView):
    decorators = [central_only]

    @blp.arguments(ListArgs, location="query")
    @blp.response(200, ManagedSchema)
    def get(self, args):
        """Every item, published or not, with who changed it last."""
        kinds = (args["kind"],) if args["kind"] else content.KINDS
        return {"items": [item_json(item, True) for kind in kinds for item in services.items(kind, False)]}

    @blp.arguments(CreateSchema)
    @blp.response(201, ItemSchema)
    def post(self, data):
        """A new item, last of its kind; unpublished unless `published` is true."""
        kind = data.pop("kind")
        return item_json(services.create_item(current_user(), kind, data, portal.store()), True)


@blp.route("/manage/items/<int:item_id>")
class ManagedItem(MethodView):
    decorators = [central_only]

    @blp.response(200, ItemSchema)
    def get(self, item_id):
        """One item with its changes."""
        item = services.get_item(item_id)
        return {**item_json(item, True), "changes": [change_json(c) for c in services.changes(item_id=item_id)]}

    @blp.arguments(UpdateSchema, required=False)  # no body: nothing changes, the item comes back
    @blp.response(200, ItemSchema)
    def patch(self, data, item_id):
        """Change some fields (the others stay); `published` publishes or withdraws."""
        version = data.pop("version", None)
        item = services.get_item(item_id)
        raw = {**services.current_fields(item), **data}
        return item_json(services.update_item(current_user(), item_id, raw, portal.store(), version=version), True)

    @blp.response(204)
    def delete(self, item_id):
        """Delete the item and its PDF; the change log keeps who deleted what and when."""
        services.delete_item(current_user(), item_id, portal.store())


@blp.route("/manage/items/<int:item_id>/attachment")
class ManagedAttachment(MethodView):
    decorators = [central_only]

    @blp.arguments(AttachmentUpload, location="files")
    @blp.response(200, ItemSchema)
    def post(self, _files, item_id):
        """multipart/form-data `attachment`: a PDF (checked by content and size), replacing any other."""
        upload = _upload()
        if upload is None:
            raise ValidationFailed({"attachment": "required"})
        return item_json(services.update_item(current_user(), item_id, None, portal.store(), upload=upload), True)

    @blp.response(200, ItemSchema)
    def delete(self, item_id):
        """Remove the PDF (a published knowledge item keeps a link or cannot lose it)."""
        if services.get_item(item_id).attachment_file is None:
            raise PortalError("no_attachment")
        return item_json(services.update_item(current_user(), item_id, None, portal.store(), remove_attachment=True),
                         True)


@blp.route("/manage/items/<int:item_id>/move")
class ManagedMove(MethodView):
    decorators = [central_only]

    @blp.arguments(MoveSchema)
    @blp.response(200, ItemSchema)
    def post(self, data, item_id):
        """Swap places with the previous (up) or next (down) item of the same kind and category."""
        return item_json(services.move_item(current_user(), item_id, data["direction"]), True)


@blp.route("/manage/changes")
class Changes(MethodView):
    decorators = [central_only]

    @blp.response(200, ChangesSchema)
    def get(self):
        """The latest 200 changes: who, when, what."""
        return {"changes": [change_json(change) for change in services.changes()]}
