"""The SSO's Ed25519 signing keys, and the public JWKS beside them.

Three keys, so that a rotation logs nobody out and no replica ever signs with a key the others do not know:
- `sso-signing-key.pem`: the current key, which signs every new token;
- `sso-next-key.pem`: the next one, published in the JWKS before it signs anything;
- `sso-previous-key.pem`: the one before, still published so that its tokens stay valid until they expire
  (SSO_TOKEN_TTL_SECONDS, 12 hours: rotate at most twice a day).
`rotate` turns them: previous ← current ← next ← a new key. Every SSO process notices the change of the files
(KeyRing) and signs with the new current key; services know it already, from the JWKS.
"""
import hashlib
import json
import os
import sys
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

PRIVATE_FILE = "sso-signing-key.pem"
NEXT_FILE = "sso-next-key.pem"
PREVIOUS_FILE = "sso-previous-key.pem"
JWKS_FILE = "jwks.json"


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _kid(private_key: Ed25519PrivateKey) -> str:
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(public_pem).hexdigest()[:16]


def _write_private(path: Path, pem: bytes, replace: bool) -> None:
    """A private key file, readable by its owner only, appearing whole or not at all (a reader never sees half
    of it). Without `replace`, a file already there wins (workers racing to create the first key)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    try:
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)


def _create(path: Path) -> None:
    """A new key at `path` unless one is there."""
    if not path.exists():
        _write_private(path, _pem(Ed25519PrivateKey.generate()), replace=False)


def _load(path: Path) -> Ed25519PrivateKey | None:
    return serialization.load_pem_private_key(path.read_bytes(), password=None) if path.exists() else None


def _write_jwks(key_dir: Path, keys: list[Ed25519PrivateKey]) -> None:
    """jwks.json beside the keys lets services on the same machine read them from a file; on a read-only key
    directory (a production secret) it is skipped and services use the JWKS URL."""
    jwks = jwks_of(keys)
    path = key_dir / JWKS_FILE
    if (not path.exists() or json.loads(path.read_text()) != jwks) and os.access(key_dir, os.W_OK):
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(jwks, indent=2))
        tmp.replace(path)


def ensure_keys(key_dir: Path) -> tuple[Ed25519PrivateKey, str]:
    """The current signing key and its kid, creating the current and the next key when absent."""
    key_dir = Path(key_dir)
    if os.access(key_dir, os.W_OK) or not key_dir.exists():
        key_dir.mkdir(parents=True, exist_ok=True)
        _create(key_dir / PRIVATE_FILE)
        _create(key_dir / NEXT_FILE)
    ring = KeyRing(key_dir)
    _write_jwks(key_dir, ring.published())
    return ring.signing()


class NotPublishedYet(Exception):
    """There was no next key: one is created now, and must be published before it may sign."""


def rotate(key_dir: Path) -> str:
    """previous ← current ← next ← a new key; the new current kid. Run where the key files are written (a
    laptop's var/keys, or a copy that then replaces a production secret). A next key that was never published
    never signs: without one, this creates it and raises NotPublishedYet (rotate again once it is out)."""
    key_dir = Path(key_dir)
    current, upcoming = key_dir / PRIVATE_FILE, key_dir / NEXT_FILE
    if not upcoming.exists():
        ensure_keys(key_dir)
        raise NotPublishedYet(f"{upcoming} created: publish it (JWKS, the secret), then rotate again")
    _write_private(key_dir / PREVIOUS_FILE, current.read_bytes(), replace=True)
    _write_private(current, upcoming.read_bytes(), replace=True)
    upcoming.unlink()
    _create(upcoming)
    ring = KeyRing(key_dir)
    _write_jwks(key_dir, ring.published())
    return ring.signing()[1]


class KeyRing:
    """The key files of one directory as this process last read them, read again when they change."""

    def __init__(self, key_dir: Path):
        self.key_dir = Path(key_dir)
        self._stamp: tuple | None = None
        self._keys: dict[str, Ed25519PrivateKey | None] = {}

    def _fresh(self) -> dict[str, Ed25519PrivateKey | None]:
        stamp = tuple((p.stat().st_mtime_ns, p.stat().st_ino) if p.exists() else None
                      for p in (self.key_dir / f for f in (PREVIOUS_FILE, PRIVATE_FILE, NEXT_FILE)))
        if stamp != self._stamp:
            self._keys = {name: _load(self.key_dir / name) for name in (PREVIOUS_FILE, PRIVATE_FILE, NEXT_FILE)}
            self._stamp = stamp
        return self._keys

    def signing(self) -> tuple[Ed25519PrivateKey, str]:
        key = self._fresh()[PRIVATE_FILE]
        if key is None:
            raise FileNotFoundError(f"no signing key in {self.key_dir}")
        return key, _kid(key)

    def published(self) -> list[Ed25519PrivateKey]:
        return [key for key in self._fresh().values() if key is not None]

    def jwks(self) -> dict:
        return jwks_of(self.published())


def jwks_of(keys: list[Ed25519PrivateKey]) -> dict:
    return {"keys": [jwks_document(key, _kid(key))["keys"][0] for key in keys]}


def jwks_document(private_key: Ed25519PrivateKey, kid: str) -> dict:
    jwk = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "EdDSA"})
    return {"keys": [jwk]}


if __name__ == "__main__":
    # python -m sso.keys: a fresh private key in PEM, for a production secret.
    # python -m sso.keys rotate DIR: turn the keys of DIR (see above).
    if sys.argv[1:2] == ["rotate"]:
        try:
            print(rotate(Path(sys.argv[2])))
        except NotPublishedYet as pending:
            sys.exit(str(pending))
    else:
        print(_pem(Ed25519PrivateKey.generate()).decode(), end="")
