"""Who may do what with the portal's content, decided here only (README "Who may see what").

Finished published content is public; an item still being completed (its `todo` says what the central office
has to add) is shown, with that notice, only to the central office; editing, unpublished items and their attachments,
and the log of changes are the central office's. Plain Python.
"""
from shared.auth import Identity


def manage_content(user: Identity | None) -> bool:
    return user is not None and user.has_role("central")


def read_unpublished(user: Identity | None) -> bool:
    return manage_content(user)


def read_own_notifications(user: Identity | None) -> bool:
    """Every signed-in user has an inbox; each reads and marks only its own notices (portal.inbox)."""
    return user is not None


def read_unfinished(user: Identity | None) -> bool:
    """Published items still being completed (with a `todo`): the central office's, until they are done."""
    return manage_content(user)
