"""The portal's content as plain Python: the kinds of item, their categories, and the validation of
what an editor typed. Errors are codes (messages.py has their Thai wording); no Flask, no SQL.

One table holds every kind: a knowledge item of the Toolkits (toolkit), a summary of an important
order (order, "สาระน่ารู้เพิ่มเติม"), a Local MOOC course (course), a question and answer (faq) and a
section of the about page (about). Only the fields of its kind are kept; the others are emptied.
"""
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from shared import refusals
from shared.thai import parse_date

TOOLKIT, ORDER, COURSE, FAQ, ABOUT = "toolkit", "order", "course", "faq", "about"
KINDS = (TOOLKIT, ORDER, COURSE, FAQ, ABOUT)

# Categories are content the public reads, so they are Thai; their order is the order on the page.
CATEGORIES = {
    TOOLKIT: (
        "กฎหมายและระเบียบ",
        "ยุทธศาสตร์ชาติ",
        "แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ ฉบับที่ 12",
        "มาตรฐานการบริการสาธารณะขององค์กรปกครองส่วนท้องถิ่น",
        "คู่มือแนวทางปฏิบัติ",
    ),
    FAQ: (
        "การเข้าถึงเว็บไซต์",
        "การเข้าสู่ระบบและรหัสผ่าน",
        "การบันทึกข้อมูลปริมาณงาน (Workload Tracking System)",
        "ข่าวประชาสัมพันธ์และทะเบียน ทถอ.",
    ),
}

# The body is rich text; which kinds must have one.
BODY_REQUIRED = frozenset({ORDER, FAQ, ABOUT})
MAX_TITLE = 300
MAX_BODY = 20_000  # characters of sanitised HTML
MAX_URL = 500
MAX_SHORT = 500  # course_tests, todo
MAX_ORDER_NUMBER = 100
EARLIEST_ORDER = date(1990, 1, 1)  # the department was founded in 2545 (2002); older laws still apply

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class PortalError(refusals.Refusal):
    """A refusal the user can understand: `code` is looked up in messages.py."""


class ValidationFailed(refusals.ValidationFailed, PortalError):
    """Field by field: `errors` maps a field to its code."""


@dataclass(frozen=True)
class Content:
    """An item's fields after validation; those its kind does not use are None."""
    title: str
    body_html: str
    category: str | None
    link_url: str | None
    order_number: str | None
    order_date: date | None
    course_tests: str | None
    todo: str | None
    published: bool


def one_line(raw) -> str:
    """Plain text on one line: templates escape it, so markup in it is shown, never run."""
    return " ".join(CONTROL.sub("", str(raw or "")).split())


TRUE, FALSE = frozenset({"1", "true", "on", "yes"}), frozenset({"", "0", "false", "off", "no", "none"})


def parse_bool(raw) -> bool | None:
    """A checkbox or a JSON boolean; None for anything else (an API client's typo is not "no")."""
    if isinstance(raw, bool):
        return raw
    text = str(raw if raw is not None else "").strip().lower()
    return True if text in TRUE else False if text in FALSE else None


def check_url(raw) -> tuple[str | None, str | None]:
    """(the URL, None) or (None, an error code): absolute http or https links only."""
    url = str(raw or "").strip()
    if not url:
        return None, None
    if len(url) > MAX_URL:
        return None, "too_long"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return None, "url"
    return url, None


def parse_content(kind: str, raw: dict, body_html: str, body_text: str, has_attachment: bool,
                  today: date) -> Content:
    """What an editor sent for an item of `kind` (the body already sanitised) → Content, or
    ValidationFailed with every field's problem at once."""
    if kind not in KINDS:
        raise PortalError("unknown_kind")
    errors: dict[str, str] = {}

    title = one_line(raw.get("title"))
    if not title:
        errors["title"] = "required"
    elif len(title) > MAX_TITLE:
        errors["title"] = "too_long"

    if kind in BODY_REQUIRED and not body_text.strip():
        errors["body"] = "required"
    elif len(body_html) > MAX_BODY:
        errors["body"] = "too_long"

    category = None
    if kind in CATEGORIES:
        category = one_line(raw.get("category"))
        if not category:
            errors["category"] = "required"
        elif category not in CATEGORIES[kind]:
            errors["category"] = "category"

    link_url, problem = check_url(raw.get("link_url"))
    if problem:
        errors["link_url"] = problem

    order_number = order_date = None
    if kind == ORDER:
        order_number = one_line(raw.get("order_number")) or None
        if order_number and len(order_number) > MAX_ORDER_NUMBER:
            errors["order_number"] = "too_long"
        typed = str(raw.get("order_date") or "").strip() if not isinstance(raw.get("order_date"), date) else "x"
        if typed:
            order_date = parse_date(raw.get("order_date"))
            if order_date is None:
                errors["order_date"] = "date"
            elif not EARLIEST_ORDER <= order_date <= today:
                errors["order_date"] = "date_range"

    course_tests = None
    if kind == COURSE:
        course_tests = one_line(raw.get("course_tests"))
        if not course_tests:
            errors["course_tests"] = "required"
        elif len(course_tests) > MAX_SHORT:
            errors["course_tests"] = "too_long"

    todo = one_line(raw.get("todo")) or None
    if todo and len(todo) > MAX_SHORT:
        errors["todo"] = "too_long"

    published = parse_bool(raw.get("published"))
    if published is None:
        errors["published"] = "boolean"
        published = False
    # A published knowledge item leads somewhere: the DLA's e-book page or its own PDF.
    if kind == TOOLKIT and published and link_url is None and not has_attachment and "link_url" not in errors:
        errors["link_url"] = "link_or_file"

    if errors:
        raise ValidationFailed(errors)
    return Content(title, body_html, category, link_url, order_number, order_date, course_tests, todo, published)


def neighbour(ids_in_order: list[int], item_id: int, direction: str) -> int | None:
    """The id `item_id` swaps places with when moved "up" or "down", or None at either end."""
    if direction not in ("up", "down"):
        raise ValidationFailed({"direction": "direction"})
    index = ids_in_order.index(item_id)
    other = index - 1 if direction == "up" else index + 1
    return ids_in_order[other] if 0 <= other < len(ids_in_order) else None


def category_rank(kind: str, category: str | None) -> int:
    """Where a category comes on its page; kinds without categories are one group."""
    categories = CATEGORIES.get(kind, ())
    return categories.index(category) if category in categories else len(categories)
