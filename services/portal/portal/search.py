"""Search in Thai: Thai writes no spaces between words, so a query is matched as substrings.

Text and query are normalised the same way (Unicode NFKC, so that sara am typed as nikhahit + sara aa
matches "ำ"; zero-width characters removed; runs of spaces collapsed; case folded for Latin letters
such as "MOOC"); every space-separated part of the query must appear somewhere in the item's text.
"""
from shared.thai import search_form as normalise

MAX_QUERY = 100


def terms(query: str | None) -> list[str]:
    """The parts of a query that must all be found; at most five, as typed."""
    return normalise((query or "")[:MAX_QUERY]).split()[:5]


def matches(query_terms: list[str], *texts: str | None) -> bool:
    haystack = " ".join(normalise(text) for text in texts)
    return bool(query_terms) and all(term in haystack for term in query_terms)
