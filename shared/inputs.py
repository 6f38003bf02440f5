"""One input discipline for every service: text, numbers and JSON bodies as they arrive; and text as it
leaves in a spreadsheet. Plain Python, no Flask (shared.web applies it to every request).

- Text is normalised once: NFC, zero-width characters removed; NUL and other control characters, bidi
  overrides, lone surrogates and non-characters refused (tab and line breaks are text).
- Numbers people type: ASCII or Thai digits, ',' only between groups of three, '.' the decimal point.
- JSON bodies: bounded nesting and integer length, no NaN or Infinity.
"""
import json
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Removed, not refused: they are invisible, so nobody typed them on purpose (they come with a paste).
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
UNENCODABLE = re.compile("[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")  # lone surrogates; XML's non-characters

MAX_JSON_DEPTH = 32
MAX_INT_DIGITS = 18  # within PostgreSQL's bigint, and far from Python's 4,300-digit limit
SAFE_INTEGER = 2**31 - 1  # PostgreSQL's integer: every id, version and count here

MESSAGES = {
    "control": "มีอักขระควบคุมที่ไม่อนุญาต (เช่น NUL) กรุณาพิมพ์ข้อความใหม่",
    "bidi": "มีอักขระกำหนดทิศทางข้อความที่ไม่อนุญาต กรุณาพิมพ์ข้อความใหม่",
    "unencodable": "มีอักขระที่ระบบจัดเก็บไม่ได้ กรุณาพิมพ์ข้อความใหม่",
    "single_line": "ต้องเป็นข้อความบรรทัดเดียว",
    "not_number": "ต้องเป็นตัวเลข (ใช้ , คั่นหลักพันได้ และ . เป็นจุดทศนิยม)",
    "digits": "ใช้ได้เฉพาะเลขอารบิก (0-9) หรือเลขไทย (๐-๙)",
    "too_large": "ตัวเลขมากเกินไป",
    "json": "ข้อมูล JSON ไม่ถูกต้อง",
    "body_too_large": "ข้อมูลที่ส่งมามีขนาดใหญ่เกินกำหนด",
    "json_depth": f"ข้อมูล JSON ซ้อนกันลึกเกิน {MAX_JSON_DEPTH} ชั้น",
}


class InputRefused(ValueError):
    """Input no service takes: `code` names the reason (MESSAGES), `field` where it was, `status` 400 or 422."""

    def __init__(self, code: str, field: str | None = None, status: int = 422):
        super().__init__(code)
        self.code, self.field, self.status = code, field, status

    @property
    def message(self) -> str:
        return MESSAGES[self.code]


def clean_text(value: str, multiline: bool = True, field: str | None = None) -> str:
    """The text to keep (NFC, no zero-width characters); InputRefused for what no field takes."""
    text = unicodedata.normalize("NFC", value.translate(ZERO_WIDTH))
    for pattern, code in ((CONTROL, "control"), (BIDI, "bidi"), (UNENCODABLE, "unencodable")):
        if pattern.search(text):
            raise InputRefused(code, field)
    if not multiline and any(c in text for c in "\r\n\t"):
        raise InputRefused("single_line", field)
    return text


def is_password(field: str) -> bool:
    """Passwords are checked as typed, never normalised: a stored hash is of the exact characters (NFC would
    reorder some Thai marks), and a password never reaches a page or the database as text."""
    return field.rsplit(".", 1)[-1].endswith("password")


def clean_value(value, path: str = ""):
    """Every string (and key) of a parsed JSON value cleaned, passwords aside; the field path names where a
    refusal is."""
    if isinstance(value, str):
        return value if is_password(path) else clean_text(value, field=path or None)
    if isinstance(value, list):
        return [clean_value(item, f"{path}.{i}" if path else str(i)) for i, item in enumerate(value)]
    if isinstance(value, dict):
        return {clean_text(key, False, path or None): clean_value(item, f"{path}.{key}" if path else key)
                for key, item in value.items()}
    return value


def display_only(text: str) -> str:
    """Text shown but never typed into a form (an uploaded file's name): what clean_text refuses is dropped."""
    text = unicodedata.normalize("NFC", text.translate(ZERO_WIDTH))
    for pattern in (CONTROL, BIDI, UNENCODABLE):
        text = pattern.sub("", text)
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def clean_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Form fields or query arguments, cleaned (a form's text may have line breaks)."""
    return [(clean_text(k, False, k), v if is_password(k) else clean_text(v, field=k)) for k, v in pairs]


# --- Numbers -----------------------------------------------------------------------------------------

NUMBER = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def parse_number(raw) -> Decimal:
    """A non-negative number as people type it: '1,000' and '๑,๐๐๐' are 1000, '2.5' is 2.5; '1,5', '1.000,5',
    '-1', '١٢' (other scripts' digits) are refused (InputRefused)."""
    text = str(raw).strip().translate(THAI_DIGITS)
    if len(text) > 40 or not NUMBER.fullmatch(text):
        raise InputRefused("digits" if any(c.isdigit() and not c.isascii() for c in text) else "not_number")
    return Decimal(text.replace(",", ""))


def whole_number(value) -> int:
    """An id, a version, a year or a page as a form or a query sends it: ASCII or Thai digits within the
    database's integer; InputRefused (a ValueError, so also werkzeug's `type=`, which then gives the default)."""
    text = str(value).strip().translate(THAI_DIGITS)
    if not re.fullmatch(r"[0-9]{1,10}", text) or int(text) > SAFE_INTEGER:
        raise InputRefused("not_number")
    return int(text)


def ascii_digits(text: str) -> str:
    """Thai digits as ASCII ones (a phone number typed on the Thai keyboard); other scripts' digits stay, for
    the caller's pattern of [0-9] to refuse."""
    return text.translate(THAI_DIGITS)


# --- JSON bodies -------------------------------------------------------------------------------------

# Possessive, and an unclosed string ends with the text: linear whatever the body (a backtracking pattern
# took an hour over a megabyte of \" without a closing quote).
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*+(?:"|\Z)', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    deepest = depth = 0
    for char in _BRACKETS.findall(_STRINGS.sub("", text)):
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise InputRefused("too_large")
    return int(digits)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise InputRefused("too_large")
    return value


def _no_constant(name: str):
    raise InputRefused("json", status=400)


def load_json(data: bytes):
    """A JSON body parsed within bounds and cleaned (clean_value); InputRefused otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputRefused("json", status=400) from None
    if _depth(text) > MAX_JSON_DEPTH:
        raise InputRefused("json_depth", status=400)
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_finite, parse_constant=_no_constant)
    except InputRefused:
        raise
    except (ValueError, RecursionError):
        raise InputRefused("json", status=400) from None
    return clean_value(value)


# --- Output -----------------------------------------------------------------------------------------

# What XML 1.0 cannot carry at all, and what UTF-8 cannot encode: dropped from what leaves (feeds,
# workbooks), whatever was stored before this discipline existed.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return XML_ILLEGAL.sub("", text)


# --- Spreadsheets ------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Text that a spreadsheet shows as typed, never runs (OWASP CSV injection): a leading ' where it
    could start a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text
