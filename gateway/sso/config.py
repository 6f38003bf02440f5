"""The SSO app's settings from SSO_* environment variables."""
from pathlib import Path

from shared import config


def settings() -> dict:
    key_dir = Path(config.env_str("SSO_KEY_DIR", str(config.var_dir() / "keys")))
    return {  # SSO_KEY_DIR holds the private key: a writable volume, or a read-only secret that has it
        "SSO_KEY_DIR": key_dir,
        "SSO_TOKEN_TTL_SECONDS": config.env_int("SSO_TOKEN_TTL_SECONDS", 12 * 60 * 60),
        # A temporary password from an SSO admin works this long, then the admin sets a new one.
        "SSO_TEMPORARY_PASSWORD_HOURS": config.env_int("SSO_TEMPORARY_PASSWORD_HOURS", 72),
        # Production sets true; otherwise the cookie is Secure whenever the request came over HTTPS.
        "SSO_COOKIE_SECURE": config.env_bool("SSO_COOKIE_SECURE", config.is_production()),
        # The SSO is the authority on sessions: it asks its own database, never nginx's word.
        "DCC_GATEWAY_SECRET": None,
    }
