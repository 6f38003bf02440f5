"""Token verification, the identity it carries and the vocabulary of roles (contract: docs/tokens.md).
Who may do what is each service's own decision, in its permissions.py.

Plain Python, no Flask: the web glue lives in shared/web.py.
"""
import json
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jwt

from shared import geography

ALGORITHMS = ["EdDSA"]
ROLES = ("district", "province", "ssoadmin", "central")
REQUIRED_CLAIMS = ["exp", "iat", "iss", "aud", "sub", "sid", "roles"]


class TokenError(Exception):
    """The token is missing, malformed, forged or expired."""


class TokenExpired(TokenError):
    """The token was genuine but its lifetime is over."""


@dataclass(frozen=True)
class Identity:
    username: str
    name: str
    roles: frozenset[str]
    province_code: str | None
    district_code: str | None
    session_id: str
    csrf: str
    via: str  # "cookie" or "bearer": only cookie-borne requests need a CSRF token

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    # Which office the user speaks for: facts about the identity, from which each service's permissions.py
    # builds its own decisions.
    def is_district_office(self, district_code: str) -> bool:
        return self.has_role("district") and self.district_code == district_code

    def is_province_office_of(self, district_code: str) -> bool:
        """The province office of the province that `district_code` lies in."""
        found = geography.district(district_code)
        return self.has_role("province") and found is not None and self.province_code == found.province_code

    @property
    def district_name(self) -> str | None:
        found = geography.district(self.district_code) if self.district_code else None
        return found.name_th if found else None

    @property
    def province_name(self) -> str | None:
        found = geography.province(self.province_code) if self.province_code else None
        return found.name_th if found else None


class KeySet:
    """The SSO's public keys from a JWKS file or URL, reloaded when a token names an unknown key."""

    RELOAD_COOLDOWN = 5.0

    def __init__(self, source):
        """`source`: a JWKS file path, an http(s) URL, the JWKS document itself, or a function returning it."""
        self.source = source
        self._keys: dict[str, jwt.PyJWK] = {}
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def _fetch(self) -> dict:
        if isinstance(self.source, dict):
            return self.source
        if callable(self.source):
            return self.source()
        if self.source.startswith(("http://", "https://")):
            import requests  # only deployments that fetch the JWKS over HTTP need it

            response = requests.get(self.source, timeout=3)
            response.raise_for_status()
            return response.json()
        return json.loads(Path(self.source).read_text())

    def _reload(self) -> None:
        with self._lock:
            if time.monotonic() - self._loaded_at < self.RELOAD_COOLDOWN and self._keys:
                return
            try:
                data = self._fetch()
            except (OSError, ValueError) as exc:
                raise TokenError(f"cannot load signing keys: {exc}") from exc
            self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(data).keys if k.key_id}
            self._loaded_at = time.monotonic()

    def get(self, kid: str) -> jwt.PyJWK:
        if kid not in self._keys:
            self._reload()
        try:
            return self._keys[kid]
        except KeyError:
            raise TokenError("unknown signing key") from None


class TokenVerifier:
    # Verifying a signature costs more than the rest of a small request (PyJWT's base64 checks, then
    # Ed25519), and a session sends the same token many times: remember the tokens already found
    # genuine. Expiry is still checked on every call; forged tokens are never remembered.
    VERIFIED_CACHE_SIZE = 4096

    def __init__(self, keys: KeySet, issuer: str, audience: str, leeway: int = 5):
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self._verified = lru_cache(maxsize=self.VERIFIED_CACHE_SIZE)(self._verify)

    def claims(self, token: str) -> dict:
        """The verified claims; TokenError for anything short of a valid, unexpired token of ours."""
        claims = self._verified(token)
        if claims["exp"] + self.leeway <= time.time():
            raise TokenExpired("Signature has expired")
        return claims

    def _verify(self, token: str) -> dict:
        try:
            header = jwt.get_unverified_header(token)
            if header.get("alg") not in ALGORITHMS:
                raise TokenError("algorithm not allowed")
            key = self.keys.get(str(header.get("kid", "")))
            return jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                leeway=self.leeway,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpired(str(exc)) from exc
        except jwt.PyJWTError as exc:
            raise TokenError(str(exc)) from exc

    def identity(self, token: str, via: str) -> Identity:
        claims = self.claims(token)
        roles = claims.get("roles")
        if not isinstance(roles, list) or not set(roles) <= set(ROLES):
            raise TokenError("bad roles claim")
        return Identity(
            username=claims["sub"],
            name=claims.get("name") or claims["sub"],
            roles=frozenset(roles),
            province_code=claims.get("province"),
            district_code=claims.get("district"),
            session_id=claims["sid"],
            csrf=claims.get("csrf", ""),
            via=via,
        )


def bearer_token(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None
