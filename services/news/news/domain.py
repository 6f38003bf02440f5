"""The news lifecycle as plain Python: states, who may move an item from which state to which, and
the validation of its text. Errors are codes (messages.py has their Thai wording); no Flask, no SQL.

    draft ──submit──▶ submitted ──approve──▶ approved (published from publish_at) ──unpublish──▶ unpublished
      ▲                  │                                                                          │
      └──(edit)── rejected ◀──reject──┘            the district edits and submits again ◀───────────┘
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from shared import refusals
from shared.thai import BANGKOK, parse_date, parse_datetime

DRAFT, SUBMITTED, APPROVED, REJECTED, UNPUBLISHED = "draft", "submitted", "approved", "rejected", "unpublished"
STATES = (DRAFT, SUBMITTED, APPROVED, REJECTED, UNPUBLISHED)

# Only the district edits, and only while the province is not looking at the item or has sent it back.
EDITABLE = frozenset({DRAFT, REJECTED, UNPUBLISHED})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    actor: str  # "district": the item's own district; "province": its province's staff; "central"
    needs_reason: bool = False


TRANSITIONS = {
    "submit": Transition(EDITABLE, SUBMITTED, "district"),
    "approve": Transition(frozenset({SUBMITTED}), APPROVED, "province"),
    "reject": Transition(frozenset({SUBMITTED}), REJECTED, "province", needs_reason=True),
    "unpublish": Transition(frozenset({APPROVED}), UNPUBLISHED, "central", needs_reason=True),
}

MAX_TITLE = 200
MAX_BODY = 20_000  # characters of sanitised HTML: several pages of text
MAX_REASON = 1000
MAX_IMAGES = 10  # besides the cover
EARLIEST_ACTIVITY = date(2020, 1, 1)  # the center started in fiscal year 2564


class NewsError(refusals.Refusal):
    """A refusal the user can understand: `code` is looked up in messages.py."""


class ValidationFailed(refusals.ValidationFailed, NewsError):
    """Field by field: `errors` maps a field to its code."""


# --- Transitions -----------------------------------------------------------------------------------

def _refusal(action: str, state: str) -> str:
    """The code that says why `action` cannot happen in `state`, as precisely as the user needs."""
    if state == APPROVED and action in ("approve", "reject", "submit"):
        return "already_approved"
    if state == SUBMITTED and action == "submit":
        return "already_submitted"
    if state == REJECTED and action in ("approve", "reject"):
        return "already_rejected"
    if action in ("approve", "reject"):
        return "not_submitted"
    if action == "unpublish":
        return "not_published"
    return "not_allowed"


def transition(action: str, state: str, reason: str | None = None) -> str:
    """The state after `action`, or NewsError: unknown action, wrong state, missing reason."""
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise NewsError("unknown_action")
    if state not in rule.sources:
        raise NewsError(_refusal(action, state), state=state)
    if rule.needs_reason:
        problem = check_reason(reason)
        if problem:
            raise ValidationFailed({"reason": problem})
    return rule.target


def check_editable(state: str) -> None:
    if state not in EDITABLE:
        raise NewsError("locked_submitted" if state == SUBMITTED else "locked_approved", state=state)


def check_reason(reason: str | None) -> str | None:
    text = (reason or "").strip()
    if not text:
        return "reason_required"
    if len(text) > MAX_REASON:
        return "too_long"
    return None


def is_published(state: str, publish_at: datetime | None, now: datetime) -> bool:
    return state == APPROVED and publish_at is not None and publish_at <= now


def publish_time(chosen: datetime | None, now: datetime) -> datetime:
    """Approval publishes at once, or at the chosen moment when that is still to come."""
    return chosen if chosen is not None and chosen > now else now


# --- Content ---------------------------------------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Content:
    title: str
    body_html: str
    activity_date: date


def clean_title(raw) -> str:
    """Plain text on one line: templates escape it, so markup in it is shown, never run."""
    return " ".join(CONTROL.sub("", str(raw or "")).split())


# A publication date without a time publishes from this hour in Bangkok (the province's page asks for a day).
PUBLISH_HOUR = time(6, 0)


def publish_moment(raw) -> datetime | None:
    """When an approved item goes out: a B.E. day as typed (1/12/2569, from 06:00 Bangkok), with its time
    (1/12/2569 09:00), or ISO 8601 (a day, or a moment; without an offset, Bangkok time); naive UTC, or None."""
    if isinstance(raw, datetime):
        moment = raw if raw.tzinfo else raw.replace(tzinfo=BANGKOK)
    else:
        day = parse_date(raw)
        moment = datetime.combine(day, PUBLISH_HOUR, BANGKOK) if day else parse_datetime(raw)
    return None if moment is None else moment.astimezone(timezone.utc).replace(tzinfo=None)


def parse_content(title, body_html: str, body_text: str, activity_date, today: date) -> Content:
    """Title, sanitised body (and its text) and activity date → Content, or ValidationFailed."""
    errors = {}
    title = clean_title(title)
    if not title:
        errors["title"] = "required"
    elif len(title) > MAX_TITLE:
        errors["title"] = "too_long"
    if not body_text.strip():
        errors["body"] = "required"
    elif len(body_html) > MAX_BODY:
        errors["body"] = "too_long"
    day = parse_date(activity_date)
    if day is None:
        errors["activity_date"] = "date" if str(activity_date or "").strip() else "required"
    elif not EARLIEST_ACTIVITY <= day <= today + timedelta(days=366):
        errors["activity_date"] = "date_range"
    if errors:
        raise ValidationFailed(errors)
    return Content(title, body_html, day)


def check_image_count(existing: int, removed: int, added: int) -> None:
    if existing - removed + added > MAX_IMAGES:
        raise ValidationFailed({"images": "too_many_images"})
