"""Search in Thai: Thai writes no spaces between words, so a query is matched as substrings.

Text and query are normalised the same way (Unicode NFKC, so that sara am typed as nikhahit + sara aa
matches "ำ"; zero-width characters removed; runs of spaces collapsed; case folded for Latin letters
such as "MOOC"); every space-separated part of the query must appear somewhere in the item's text.
"""
import unicodedata

ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
MAX_QUERY = 100


def normalise(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(ZERO_WIDTH)
    return " ".join(text.split()).casefold()


def terms(query: str | None) -> list[str]:
    """The parts of a query that must all be found; at most five, as typed."""
    return normalise((query or "")[:MAX_QUERY]).split()[:5]


def matches(query_terms: list[str], *texts: str | None) -> bool:
    haystack = " ".join(normalise(text) for text in texts)
    return bool(query_terms) and all(term in haystack for term in query_terms)
