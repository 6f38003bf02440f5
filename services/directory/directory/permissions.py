"""Who may do what in the registry (ทะเบียน ทถอ.), decided here only (README "Who may see what").

The provinces, the officers and the search are public; an officer's mobile number and personal e-mail (PDPA)
are for signed-in staff; syncing from DLA Connect and its log are the central office's. Plain Python.
"""
from shared.auth import Identity


def see_staff_contacts(user: Identity | None) -> bool:
    return user is not None


def run_sync(user: Identity | None) -> bool:
    return user is not None and user.has_role("central")
