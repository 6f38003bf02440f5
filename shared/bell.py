"""The bell in every page's header: how many of the signed-in user's notices are unread.

The portal owns the inbox; another service asks it at /internal/unread (shared.internal) with a short timeout,
at most once per request and only when a page shows the bell. When the portal does not answer, the bell shows
no number rather than holding the page.
"""
from flask import current_app, g

from shared import internal

TIMEOUT_SECONDS = 0.3


def portal_counter(secret: str | None):
    """username → unread count from the portal, or None when it does not answer."""
    base_urls = internal.portal_urls()

    def count(username: str) -> int | None:
        try:
            response = internal.call(base_urls, "GET", "/internal/unread", secret, TIMEOUT_SECONDS,
                                     params={"user": username})
            return int(response.json()["unread"]) if response.status_code == 200 else None
        except (internal.InternalUnavailable, ValueError, KeyError, TypeError):
            return None
    return count


def unread_notifications() -> int | None:
    """For the layout: the current user's unread count, asked once per request."""
    if "dcc_unread" not in g:
        user = g.get("identity")
        g.dcc_unread = current_app.extensions["dcc_unread"](user.username) if user else None
    return g.dcc_unread
