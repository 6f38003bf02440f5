"""Use cases of the news service: load, apply the domain's rules, write files and rows, commit once.

Plain arguments in, items out; never `request`. Uploaded files are checked and re-encoded before
anything is written, staged beside their final place, and moved in only after the commit.
"""
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from news import domain, media, notices, permissions
from news.domain import NewsError, ValidationFailed
from news.models import NewsEvent, NewsImage, NewsItem, db
from shared import geography, storage, thai
from shared import richtext as sanitize
from shared.auth import Identity
from shared.clock import utcnow
from shared.uploads import all_from_request, from_request


@dataclass(frozen=True)
class Store:
    files: "storage.Folder | storage.Bucket"
    limits: media.Limits


@dataclass
class Uploads:
    """Files sent with a create or an edit; each may be absent."""
    cover: media.Upload | None = None
    images: list[media.Upload] = field(default_factory=list)
    attachment: media.Upload | None = None


def uploads_from(files) -> Uploads:
    """The files of a news form or upload request: the cover, the attachment and the images."""
    return Uploads(cover=from_request(files, "cover"), attachment=from_request(files, "attachment"),
                   images=all_from_request(files, "images"))


today = thai.today


# --- Reading ---------------------------------------------------------------------------------------

def get_item(item_id: int, for_update: bool = False) -> NewsItem:
    item = db.session.get(NewsItem, item_id, with_for_update=for_update)
    if item is None:
        raise NewsError("not_found")
    return item


def is_published(item: NewsItem, now: datetime | None = None) -> bool:
    return domain.is_published(item.state, item.publish_at, now or utcnow())


def readable_item(user: Identity | None, item_id: int) -> NewsItem:
    """A published item for anyone; a draft only for its district (as in the working lists); any other
    for its district, its province and central. Others are told it does not exist rather than that
    it is hidden."""
    item = get_item(item_id)
    if not is_published(item):
        try:
            permissions.authorize(user, "district" if item.state == domain.DRAFT else "read", item.district_code)
        except NewsError:
            raise NewsError("not_found") from None
    return item


def _published_filter(now: datetime):
    return (NewsItem.state == domain.APPROVED) & (NewsItem.publish_at <= now)


def published(province: str | None = None, district: str | None = None, query: str | None = None,
              page: int = 1, per_page: int = 10, now: datetime | None = None) -> tuple[list[NewsItem], int]:
    """Published items, newest first, one page of them and how many there are in all."""
    conditions = [_published_filter(now or utcnow())]
    if province:
        conditions.append(NewsItem.province_code == province)
    if district:
        conditions.append(NewsItem.district_code == district)
    words = (query or "").split()
    for word in words[:5]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(func.lower(NewsItem.title).like(f"%{escaped.lower()}%", escape="\\"))
    total = db.session.scalar(select(func.count()).select_from(NewsItem).where(*conditions))
    items = db.session.scalars(select(NewsItem).where(*conditions)
                               .order_by(NewsItem.publish_at.desc(), NewsItem.id.desc())
                               .limit(per_page).offset((page - 1) * per_page)).all()
    return list(items), total


def last_change(province: str | None = None) -> datetime | None:
    """When the set of published items last changed: a publication or an unpublication."""
    now = utcnow()
    scope = [NewsItem.province_code == province] if province else []
    published_at = db.session.scalar(select(func.max(NewsItem.publish_at)).where(_published_filter(now), *scope))
    withdrawn_at = db.session.scalar(
        select(func.max(NewsEvent.at)).join(NewsItem, NewsItem.id == NewsEvent.item_id)
        .where(NewsEvent.action == "unpublish", *scope))
    return max((t for t in (published_at, withdrawn_at) if t is not None), default=None)


def _working_scope(user: Identity) -> list | None:
    """The items a signed-in user works on: a district its own, a province its province's (drafts
    stay the district's own business), central everything submitted so far; None for nobody else."""
    if user.has_role("district") and user.district_code:
        return [NewsItem.district_code == user.district_code]
    if user.has_role("province") and user.province_code:
        return [NewsItem.province_code == user.province_code, NewsItem.state != domain.DRAFT]
    if user.has_role("central"):
        return [NewsItem.state != domain.DRAFT]
    return None


def working_list(user: Identity, state: str | None = None, limit: int = 500) -> list[NewsItem]:
    """The user's working items, most recently changed first."""
    scope = _working_scope(user)
    if scope is None:
        return []
    if state:
        scope.append(NewsItem.state == state)
    return list(db.session.scalars(select(NewsItem).where(*scope)
                                   .order_by(NewsItem.updated_at.desc(), NewsItem.id.desc()).limit(limit)))


def counts(user: Identity) -> dict[str, int]:
    """How many of the user's working items are in each state."""
    result = dict.fromkeys(domain.STATES, 0)
    scope = _working_scope(user)
    if scope is not None:
        rows = db.session.execute(select(NewsItem.state, func.count()).where(*scope).group_by(NewsItem.state))
        result.update({state: count for state, count in rows})
    return result


def events(item: NewsItem) -> list[NewsEvent]:
    return list(db.session.scalars(select(NewsEvent).where(NewsEvent.item_id == item.id)
                                   .order_by(NewsEvent.at, NewsEvent.id)))


# --- Writing ---------------------------------------------------------------------------------------

def _record(item: NewsItem, user: Identity, action: str, from_state: str | None, reason: str | None = None):
    event = NewsEvent(item_id=item.id, at=utcnow(), actor=user.username, actor_name=user.name,
                      action=action, from_state=from_state, to_state=item.state, reason=reason)
    db.session.add(event)
    return event


def _content(raw: dict) -> domain.Content:
    body = sanitize.body_html(raw.get("body"))
    return domain.parse_content(raw.get("title"), body, sanitize.body_text(body), raw.get("activity_date"), today())


def _process(uploads: Uploads, store: Store) -> tuple:
    """Every upload checked and re-encoded, all errors together; nothing is written yet."""
    errors, cover, images, pdf = {}, None, [], None
    if uploads.cover is not None:
        try:
            cover = media.process_image(uploads.cover, store.limits, "cover")
        except ValidationFailed as error:
            errors.update(error.errors)
    for upload in uploads.images:
        try:
            images.append(media.process_image(upload, store.limits, "images"))
        except ValidationFailed as error:
            errors.update(error.errors)
    if uploads.attachment is not None:
        try:
            pdf = media.check_pdf(uploads.attachment, store.limits)
        except ValidationFailed as error:
            errors.update(error.errors)
    return errors, cover, images, pdf


def _stage_image(item: NewsItem, processed: media.ProcessedImage, position: int, staging: media.Staging):
    item.images.append(NewsImage(
        position=position, file=staging.add(processed.data, processed.suffix, processed.content_type),
        thumb_file=staging.add(processed.thumb, processed.suffix, processed.content_type), width=processed.width,
        height=processed.height, content_type=processed.content_type))


def _commit(staging: media.Staging) -> None:
    db.session.commit()
    staging.publish()


def _write(item_id: int | None, user: Identity, raw: dict | None, uploads: Uploads, store: Store,
           remove_images: list[int], remove_attachment: bool, version: int | None) -> NewsItem:
    errors = {}
    content = None
    if raw is not None:
        try:
            content = _content(raw)
        except ValidationFailed as error:
            errors.update(error.errors)
    upload_errors, cover, images, pdf = _process(uploads, store)
    errors.update(upload_errors)

    if item_id is None:
        item = None
        existing_images, removing = 0, 0
    else:
        item = get_item(item_id, for_update=True)
        permissions.authorize(user, "district", item.district_code)
        domain.check_editable(item.state)
        if version is not None and version != item.version:
            raise NewsError("stale")
        others = [image for image in item.images if image.position > 0]
        if set(remove_images) - {image.id for image in item.images}:
            errors["images"] = "unknown_image"
        existing_images = len(others)
        removing = len([image for image in others if image.id in set(remove_images)])
    try:
        domain.check_image_count(existing_images, removing, len(images))
    except ValidationFailed as error:
        errors.update(error.errors)
    if errors:
        raise ValidationFailed(errors)

    staging = media.Staging(store.files)
    try:
        now = utcnow()
        if item is None:
            item = NewsItem(public_id=str(uuid.uuid4()), district_code=user.district_code,
                            province_code=geography.district(user.district_code).province_code,
                            author=user.username, state=domain.DRAFT, created_at=now, version=1)
            db.session.add(item)
            action, from_state = "create", None
        else:
            item.version += 1
            action, from_state = "edit", item.state
        if content is not None:
            item.title, item.body_html, item.activity_date = content.title, content.body_html, content.activity_date
        item.updated_at = now
        for image in [image for image in item.images if image.id in set(remove_images)]:
            item.images.remove(image)
            staging.remove_after_commit(image.file)
            staging.remove_after_commit(image.thumb_file)
        if cover is not None:
            for old in [image for image in item.images if image.position == 0]:
                item.images.remove(old)
                staging.remove_after_commit(old.file)
                staging.remove_after_commit(old.thumb_file)
            _stage_image(item, cover, 0, staging)
        next_position = max([image.position for image in item.images], default=0) + 1
        for offset, processed in enumerate(images):
            _stage_image(item, processed, next_position + offset, staging)
        if remove_attachment or pdf is not None:
            staging.remove_after_commit(item.attachment_file)
            item.attachment_file = item.attachment_name = item.attachment_size = None
        if pdf is not None:
            item.attachment_file = staging.add(pdf, ".pdf", "application/pdf")
            item.attachment_name = media.display_name(uploads.attachment.filename)
            item.attachment_size = len(pdf)
        db.session.flush()
        _record(item, user, action, from_state)
        _commit(staging)
    except BaseException:
        db.session.rollback()
        staging.discard()
        raise
    return item


def authorize_item(user: Identity, act: str, item_id: int) -> None:
    """Whether the user may `act` (permissions.RULES) on the item, before anything it sent is read."""
    permissions.authorize(user, act, get_item(item_id).district_code)


def create_item(user: Identity, raw: dict, uploads: Uploads, store: Store) -> NewsItem:
    """A new draft of the user's own district; district and province come from the user, never the form."""
    permissions.require_write_news(user)
    return _write(None, user, raw, uploads, store, [], False, None)


def update_item(user: Identity, item_id: int, raw: dict | None, uploads: Uploads, store: Store,
                remove_images: list[int] | None = None, remove_attachment: bool = False,
                version: int | None = None) -> NewsItem:
    """Change a draft, or an item sent back or withdrawn; `raw` None keeps the text as it is."""
    return _write(item_id, user, raw, uploads, store, list(remove_images or []), remove_attachment, version)


def act(user: Identity, item_id: int, action: str, reason: str | None = None,
        publish_at: datetime | None = None) -> NewsItem:
    """submit, approve, reject or unpublish: one transition, recorded with who, when and why."""
    rule = domain.TRANSITIONS.get(action)
    if rule is None:
        raise NewsError("unknown_action")
    item = get_item(item_id, for_update=True)
    try:
        permissions.authorize(user, rule.actor, item.district_code)
        from_state = item.state
        item.state = domain.transition(action, from_state, reason)
        now = utcnow()
        reason = (reason or "").strip() or None
        if action == "approve":
            item.publish_at = domain.publish_time(publish_at, now)
        if rule.needs_reason:
            item.reason = reason
        item.updated_at = now
        item.version += 1
        event = _record(item, user, action, from_state, reason)
        db.session.flush()  # the transition's id names its event
        notices.transition(item, event)  # in the same transaction: told if and only if it happened
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return item
