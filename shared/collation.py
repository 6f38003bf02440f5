"""Thai dictionary order (as the Royal Institute's dictionary sorts), one key for every list sorted by name.

Applied in Python, never in SQL: SQLite compares code points and PostgreSQL its server's collation, so the
two would disagree (README "Thai order"). Why not PyICU: it has no wheel, building it needs libicu-dev and a
compiler on every machine and image, and for names — Thai letters, digits, a little Latin — three rules
give the dictionary's order exactly:

1. A leading vowel (เ แ โ ใ ไ) is written first but read after its consonant, and the dictionary files the
   word under that consonant: "เก" sorts as "กเ". Thai letters are otherwise in dictionary order in Unicode
   (ก … ฮ, then ะ ั า ำ ิ ี ึ ื ุ ู เ แ โ ใ ไ), so consonants before vowels, as in กก < กะ < กา < เก.
2. Tone marks and the other signs above a letter (่ ้ ๊ ๋ ็ ์ ํ ๎) do not count at first: กา, ก่า and ก้า
   sort together, then by their marks (กา < ก่า < ก้า), as ICU's secondary level does.
3. Anything else (digits, Latin) by code point, Latin letters without case; the text itself breaks ties.
"""
import re
import unicodedata

_LEADING_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")
_MARKS = "\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"
_STRIP_MARKS = str.maketrans("", "", _MARKS)


def thai_key(text: str | None) -> tuple[str, str, str]:
    """A sort key that puts Thai text in dictionary order: sorted(names, key=thai_key)."""
    text = unicodedata.normalize("NFC", text or "")
    logical = _LEADING_VOWEL.sub(r"\2\1", text.casefold())
    return logical.translate(_STRIP_MARKS), "".join(c for c in logical if c in _MARKS), text
