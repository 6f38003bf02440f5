"""Use cases of the portal's content: load, apply content.py's rules, write the row, its change record
and any PDF, commit once. Plain arguments in, items out; never `request`.
"""
from sqlalchemy import func, select

from portal import attachments, content, search
from portal.content import PortalError, ValidationFailed
from portal.models import ContentChange, ContentItem, db
from shared import richtext, thai
from shared.auth import Identity
from shared.clock import utcnow

# The kinds the Toolkits page shows, and so searches.
SEARCHED_KINDS = (content.TOOLKIT, content.ORDER, content.COURSE)


today = thai.today


# --- Reading ---------------------------------------------------------------------------------------

def _sort_key(item: ContentItem):
    return content.category_rank(item.kind, item.category), item.position, item.id


def _shown(query, unfinished: bool):
    """Published items only; those still being completed only when asked (permissions.read_unfinished)."""
    query = query.where(ContentItem.published.is_(True))
    return query if unfinished else query.where(ContentItem.todo.is_(None))


def items(kind: str, published_only: bool = True, unfinished: bool = False) -> list[ContentItem]:
    """Items of one kind in page order: by category (in content.CATEGORIES' order), then position."""
    if kind not in content.KINDS:
        raise PortalError("unknown_kind")
    query = select(ContentItem).where(ContentItem.kind == kind)
    if published_only:
        query = _shown(query, unfinished)
    return sorted(db.session.scalars(query), key=_sort_key)


def all_published(kinds=content.KINDS, unfinished: bool = False) -> dict[str, list[ContentItem]]:
    """Every published item of `kinds` in one query, by kind, in page order; finished ones only unless
    `unfinished` (the central office's view)."""
    found = {kind: [] for kind in kinds}
    for item in db.session.scalars(_shown(select(ContentItem).where(ContentItem.kind.in_(kinds)), unfinished)):
        found[item.kind].append(item)
    return {kind: sorted(listed, key=_sort_key) for kind, listed in found.items()}


def by_category(listed: list[ContentItem]) -> list[tuple[str | None, list[ContentItem]]]:
    """Consecutive items of one category together (the list is already in page order)."""
    groups: list[tuple[str | None, list[ContentItem]]] = []
    for item in listed:
        if groups and groups[-1][0] == item.category:
            groups[-1][1].append(item)
        else:
            groups.append((item.category, [item]))
    return groups


def search_items(query: str | None, kinds=SEARCHED_KINDS, unfinished: bool = False) -> list[ContentItem]:
    """Published items whose title, text, category, order number or course description hold every
    part of the query. The content is a few hundred rows at most: matched in Python, the same way
    on SQLite and PostgreSQL (whose Thai collation and lower() differ)."""
    terms = search.terms(query)
    if not terms:
        return []
    published = all_published(kinds, unfinished)
    return [item for kind in kinds for item in published[kind]
            if search.matches(terms, item.title, richtext.body_text(item.body_html), item.category,
                              item.order_number, item.course_tests, item.attachment_name)]


def get_item(item_id: int, for_update: bool = False) -> ContentItem:
    item = db.session.get(ContentItem, item_id, with_for_update=for_update)
    if item is None:
        raise PortalError("not_found")
    return item


def changes(limit: int = 200, item_id: int | None = None) -> list[ContentChange]:
    query = select(ContentChange).order_by(ContentChange.at.desc(), ContentChange.id.desc()).limit(limit)
    if item_id is not None:
        query = query.where(ContentChange.item_id == item_id)
    return list(db.session.scalars(query))


def counts() -> dict[str, tuple[int, int]]:
    """Per kind: (published, all)."""
    result = dict.fromkeys(content.KINDS, (0, 0))
    rows = db.session.execute(select(ContentItem.kind, ContentItem.published, func.count())
                              .group_by(ContentItem.kind, ContentItem.published))
    for kind, published, count in rows:
        shown, total = result.get(kind, (0, 0))
        result[kind] = (shown + (count if published else 0), total + count)
    return result


# --- Writing ---------------------------------------------------------------------------------------

def _record(item: ContentItem, user: Identity, action: str, detail: str | None = None) -> None:
    db.session.add(ContentChange(item_id=item.id, kind=item.kind, title=item.title[:300], action=action,
                                 at=utcnow(), actor=user.username, actor_name=user.name or user.username,
                                 detail=(detail or None) and detail[:500]))


def preview(kind: str, raw: dict, has_attachment: bool = False) -> content.Content:
    """What the item would look like, without saving: the same cleaning and checks as saving."""
    body = richtext.body_html(raw.get("body"))
    return content.parse_content(kind, raw, body, richtext.body_text(body), has_attachment, today())


def _apply(item: ContentItem, parsed: content.Content) -> None:
    item.title, item.body_html, item.category = parsed.title, parsed.body_html, parsed.category
    item.link_url, item.order_number, item.order_date = parsed.link_url, parsed.order_number, parsed.order_date
    item.course_tests, item.todo, item.published = parsed.course_tests, parsed.todo, parsed.published


def _save(user: Identity, item: ContentItem | None, kind: str, raw: dict | None, upload, remove_attachment: bool,
          store: attachments.Store, version: int | None, example: bool = False) -> ContentItem:
    errors: dict[str, str] = {}
    pdf = None
    if upload is not None:
        try:
            pdf = attachments.check_pdf(upload, store)
        except ValidationFailed as error:
            errors.update(error.errors)
    if item is not None and version is not None and version != item.version:
        raise PortalError("stale")
    has_attachment = pdf is not None or (item is not None and item.attachment_file is not None
                                         and not remove_attachment)
    parsed = None
    if raw is not None:
        try:
            parsed = preview(kind, raw, has_attachment)
        except ValidationFailed as error:
            errors.update(error.errors)
    elif item is not None and item.published and item.kind == content.TOOLKIT and not has_attachment \
            and not item.link_url:
        errors["attachment"] = "link_or_file"
    if errors:
        raise ValidationFailed(errors)

    staging = attachments.Staging(store.files)
    try:
        now = utcnow()
        actions = []
        if item is None:
            last = db.session.scalar(select(func.max(ContentItem.position)).where(ContentItem.kind == kind))
            item = ContentItem(kind=kind, position=(last or 0) + 1, created_at=now, version=1, example=example)
            db.session.add(item)
            actions.append("create")
        else:
            item.version += 1
            if parsed is not None:
                published_before = item.published
                changed = (parsed.title, parsed.body_html, parsed.category, parsed.link_url, parsed.order_number,
                           parsed.order_date, parsed.course_tests, parsed.todo) != (
                    item.title, item.body_html, item.category, item.link_url, item.order_number, item.order_date,
                    item.course_tests, item.todo)
                if changed:
                    actions.append("edit")
                if parsed.published != published_before:
                    actions.append("publish" if parsed.published else "unpublish")
        if parsed is not None:
            _apply(item, parsed)
        if (remove_attachment or pdf is not None) and item.attachment_file:
            staging.remove_after_commit(item.attachment_file)
            item.attachment_file = item.attachment_name = item.attachment_size = None
            if pdf is None:
                actions.append("detach")
        if pdf is not None:
            item.attachment_file = staging.add(pdf, ".pdf", "application/pdf")
            item.attachment_name = attachments.display_name(upload.filename)
            item.attachment_size = len(pdf)
            actions.append("attach")
        item.updated_at, item.updated_by, item.updated_by_name = now, user.username, user.name or user.username
        db.session.flush()
        for action in actions or ["edit"]:
            _record(item, user, action, item.attachment_name if action == "attach" else None)
        db.session.commit()
        staging.publish()
    except BaseException:
        db.session.rollback()
        staging.discard()
        raise
    return item


def create_item(user: Identity, kind: str, raw: dict, store: attachments.Store,
                upload: attachments.Upload | None = None, example: bool = False) -> ContentItem:
    """A new item; `example` marks one of the demo's examples (demo.py), which nobody can make otherwise."""
    if kind not in content.KINDS:
        raise PortalError("unknown_kind")
    return _save(user, None, kind, raw, upload, False, store, None, example)


def update_item(user: Identity, item_id: int, raw: dict | None, store: attachments.Store,
                upload: attachments.Upload | None = None, remove_attachment: bool = False,
                version: int | None = None) -> ContentItem:
    """Change an item; `raw` None keeps its fields and changes only the attachment."""
    item = get_item(item_id, for_update=True)
    return _save(user, item, item.kind, raw, upload, remove_attachment, store, version)


def current_fields(item: ContentItem) -> dict:
    """The item's fields as an editor would send them (the base of a partial API update)."""
    return {"title": item.title, "body": item.body_html, "category": item.category or "",
            "link_url": item.link_url or "", "order_number": item.order_number or "",
            "order_date": item.order_date.isoformat() if item.order_date else "",
            "course_tests": item.course_tests or "", "todo": item.todo or "", "published": item.published}


def set_published(user: Identity, item_id: int, published: bool, store: attachments.Store) -> ContentItem:
    item = get_item(item_id, for_update=True)
    return _save(user, item, item.kind, {**current_fields(item), "published": published}, None, False, store, None)


def move_item(user: Identity, item_id: int, direction: str) -> ContentItem:
    """Swap places with the neighbour of the same kind and category, up or down the page."""
    item = get_item(item_id, for_update=True)
    try:
        siblings = [other for other in items(item.kind, published_only=False) if other.category == item.category]
        other_id = content.neighbour([other.id for other in siblings], item.id, direction)
        if other_id is not None:
            other = get_item(other_id, for_update=True)
            if other.position == item.position:  # equal positions (hand-made data) would not swap
                other.position += 1 if direction == "down" else -1
            item.position, other.position = other.position, item.position
            item.version += 1
            other.version += 1
            item.updated_at, item.updated_by, item.updated_by_name = utcnow(), user.username, user.name or user.username
            _record(item, user, "move", "ขึ้น" if direction == "up" else "ลง")
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return item


def delete_item(user: Identity, item_id: int, store: attachments.Store) -> None:
    """Remove an item (its change record stays) and, after the commit, its PDF."""
    item = get_item(item_id, for_update=True)
    staging = attachments.Staging(store.files)
    try:
        _record(item, user, "delete")
        staging.remove_after_commit(item.attachment_file)
        db.session.delete(item)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    staging.publish()
