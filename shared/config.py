"""Settings from environment variables, with safe defaults for a laptop."""
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the process must not start."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {value!r}")


def addresses(value: str) -> list[str]:
    """A list setting such as GATEWAY_UPSTREAM_WORKLOAD="10.0.0.5:8000 10.0.0.6:8000": spaces or commas apart."""
    return [item for item in re.split(r"[\s,]+", value.strip()) if item]


GATEWAY_SECRET = re.compile(r"[A-Za-z0-9_\-]{32,200}")


def gateway_secret(value: str | None) -> str | None:
    """DCC_GATEWAY_SECRET as nginx and the services share it: 32 to 200 letters, digits, - or _, and not the
    example's; ConfigError else, so that no process starts with a guessable one."""
    if not value:
        return None
    if not GATEWAY_SECRET.fullmatch(value) or "CHANGE-ME" in value.upper():
        raise ConfigError("DCC_GATEWAY_SECRET must be 32 to 200 letters, digits, - or _, and not an example "
                          "(python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return value


def is_production() -> bool:
    return env_str("DCC_ENV", "development") == "production"


def var_dir() -> Path:
    """Where databases, keys and logs of a laptop installation live."""
    return Path(env_str("DCC_VAR_DIR", str(ROOT / "var"))).resolve()


def database_url(service: str) -> str:
    """`<SERVICE>_DATABASE_URL`, or a SQLite file under var/ by default."""
    url = env_str(f"{service.upper()}_DATABASE_URL")
    if url:
        return url
    if is_production():
        raise ConfigError(f"{service.upper()}_DATABASE_URL is required in production")
    return f"sqlite:///{var_dir() / f'{service}.sqlite3'}"


def sso_settings() -> dict:
    """The token contract's settings, shared by the SSO app and every service (docs/tokens.md)."""
    return {
        "issuer": env_str("SSO_ISSUER", "dla-dcc-sso"),
        "audience": env_str("SSO_AUDIENCE", "dla-dcc"),
        "cookie_name": env_str("SSO_COOKIE_NAME", "dcc_session"),
        # A file path or an http(s) URL of the SSO's JSON Web Key Set.
        "jwks": env_str("SSO_JWKS", str(var_dir() / "keys" / "jwks.json")),
        "login_path": "/sso/login",
    }
