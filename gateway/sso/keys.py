"""The SSO's Ed25519 signing key, created on first run, and the public JWKS beside it."""
import json
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

PRIVATE_FILE = "sso-signing-key.pem"
JWKS_FILE = "jwks.json"


def _kid(public_pem: bytes) -> str:
    import hashlib

    return hashlib.sha256(public_pem).hexdigest()[:16]


def ensure_keys(key_dir: Path) -> tuple[Ed25519PrivateKey, str]:
    """Load the signing key, creating it (and jwks.json) when absent; safe when workers race.

    jwks.json beside it lets services on the same machine read the public key from a file; on a
    read-only key directory (a production secret) it is skipped and services use the JWKS URL.
    """
    private_path = key_dir / PRIVATE_FILE
    if not private_path.exists():
        key_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        try:
            fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker won the race; use its key
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
    private_key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    public_pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    kid = _kid(public_pem)
    jwks = jwks_document(private_key, kid)
    jwks_path = key_dir / JWKS_FILE
    if (not jwks_path.exists() or json.loads(jwks_path.read_text()) != jwks) and os.access(key_dir, os.W_OK):
        tmp = jwks_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(jwks, indent=2))
        tmp.replace(jwks_path)
    return private_key, kid


def jwks_document(private_key: Ed25519PrivateKey, kid: str) -> dict:
    jwk = json.loads(OKPAlgorithm.to_jwk(private_key.public_key()))
    jwk.update({"kid": kid, "use": "sig", "alg": "EdDSA"})
    return {"keys": [jwk]}


if __name__ == "__main__":
    # A fresh private key in PEM, for a production secret: python -m sso.keys
    print(Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode(), end="")
