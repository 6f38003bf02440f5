"""Who may do what with the portal's content, decided here only (README "Who may see what"), and which of
the center's work the home page offers each role (its shortcuts; views.py gives them their words and addresses).

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


# A role's work, in the order the home page offers it. An SSO admin's work is the accounts of its province,
# never the workload (workload's permissions refuse it everything).
ROLE_SHORTCUTS = (
    ("district", ("workload_record", "news_write")),
    ("province", ("workload_province", "news_approve")),
    ("ssoadmin", ("users", "users_new")),
    ("central", ("workload_season", "workload_rounds", "users", "content", "directory_sync")),
)


def home_shortcuts(user: Identity | None) -> tuple[str, ...]:
    """The shortcuts of the signed-in user's roles on the home page (none for the public), each once."""
    if user is None:
        return ()
    found: dict[str, None] = {}
    for role, shortcuts in ROLE_SHORTCUTS:
        if user.has_role(role):
            found.update(dict.fromkeys(shortcuts))
    return tuple(found)
