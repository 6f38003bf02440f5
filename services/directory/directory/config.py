"""The directory's settings from DIRECTORY_* environment variables (docs/dlaconnect.md)."""
from shared.config import env_int, env_str, is_production


def settings() -> dict:
    # The pages serve the last good registry without DLA Connect; in production an unset URL makes
    # every sync fail as "not_configured" (logged) instead of reaching for a laptop's fake.
    default_url = "" if is_production() else "http://127.0.0.1:8095"
    return {
        "DLACONNECT_URL": env_str("DIRECTORY_DLACONNECT_URL", default_url),
        "DLACONNECT_TOKEN": env_str("DIRECTORY_DLACONNECT_TOKEN"),
        "DLACONNECT_PAGE_SIZE": env_int("DIRECTORY_DLACONNECT_PAGE_SIZE", 200),
        "DLACONNECT_TIMEOUT": env_int("DIRECTORY_DLACONNECT_TIMEOUT", 10),
        "DLACONNECT_RETRIES": env_int("DIRECTORY_DLACONNECT_RETRIES", 3),
        # The whole fetch must end well inside gunicorn's 30 s when the central office presses the button.
        "DLACONNECT_DEADLINE": env_int("DIRECTORY_DLACONNECT_DEADLINE", 20),
        "SYNC_LOCK_SECONDS": env_int("DIRECTORY_SYNC_LOCK_SECONDS", 300),
        "SYNC_MAX_REMOVAL_PERCENT": env_int("DIRECTORY_SYNC_MAX_REMOVAL_PERCENT", 20),
    }
