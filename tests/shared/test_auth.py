"""Token verification, without Flask."""
import json
import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from shared.auth import KeySet, TokenError, TokenExpired, TokenVerifier, bearer_token
from sso.keys import jwks_document

ISSUER, AUDIENCE, KID = "dla-dcc-sso", "dla-dcc", "test-key"


@pytest.fixture(scope="module")
def signing_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def verifier(signing_key, tmp_path_factory):
    path = tmp_path_factory.mktemp("keys") / "jwks.json"
    path.write_text(json.dumps(jwks_document(signing_key, KID)))
    return TokenVerifier(KeySet(str(path)), ISSUER, AUDIENCE)


def claims(**changes):
    now = int(time.time())
    base = {"iss": ISSUER, "aud": AUDIENCE, "sub": "demo-district", "name": "ท้องถิ่นอำเภอเมืองกระบี่",
            "roles": ["district"], "province": "81", "district": "8101", "sid": "s1", "csrf": "c1",
            "iat": now, "exp": now + 600}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def sign(key, payload, kid=KID, alg="EdDSA"):
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def test_a_genuine_token_gives_the_identity(signing_key, verifier):
    user = verifier.identity(sign(signing_key, claims()), via="cookie")
    assert (user.username, user.roles, user.district_code, user.via) == (
        "demo-district", frozenset({"district"}), "8101", "cookie")
    assert user.district_name == "เมืองกระบี่"


def test_unsigned_token_is_refused(verifier):
    unsigned = jwt.encode(claims(), key=None, algorithm="none", headers={"kid": KID})
    with pytest.raises(TokenError, match="algorithm"):
        verifier.claims(unsigned)


def test_token_signed_by_another_key_with_our_kid_is_refused(verifier):
    with pytest.raises(TokenError):
        verifier.claims(sign(Ed25519PrivateKey.generate(), claims()))


def test_rs256_token_is_refused(verifier):
    rsa = generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(TokenError, match="algorithm"):
        verifier.claims(sign(rsa, claims(), alg="RS256"))


def test_expired_token_is_refused_as_expired(signing_key, verifier):
    with pytest.raises(TokenExpired):
        verifier.claims(sign(signing_key, claims(exp=int(time.time()) - 60)))


@pytest.mark.parametrize("change", [{"aud": "another-app"}, {"iss": "someone-else"}, {"sid": None},
                                    {"roles": ["district", "king"]}, {"roles": "central"}])
def test_wrong_audience_issuer_or_claims_are_refused(signing_key, verifier, change):
    with pytest.raises(TokenError):
        verifier.identity(sign(signing_key, claims(**change)), via="bearer")


def test_unknown_kid_is_refused(signing_key, verifier):
    with pytest.raises(TokenError, match="unknown signing key"):
        verifier.claims(sign(signing_key, claims(), kid="other"))


def test_garbage_is_refused(verifier):
    with pytest.raises(TokenError):
        verifier.claims("not.a.token")


@pytest.mark.parametrize("header, expected", [("Bearer abc", "abc"), ("bearer abc", "abc"),
                                              ("Basic abc", None), ("Bearer ", None), (None, None)])
def test_bearer_token(header, expected):
    assert bearer_token(header) == expected


def test_a_key_published_later_is_fetched_when_a_token_names_it(signing_key, tmp_path):
    """After a rotation a service meets the new kid: it reads the JWKS again (at most every RELOAD_COOLDOWN s)."""
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks_document(signing_key, KID)))
    keys = KeySet(str(path))
    verifier = TokenVerifier(keys, ISSUER, AUDIENCE)
    assert verifier.claims(sign(signing_key, claims()))["sub"] == "demo-district"
    newer = Ed25519PrivateKey.generate()
    path.write_text(json.dumps({"keys": jwks_document(signing_key, KID)["keys"]
                                + jwks_document(newer, "newer")["keys"]}))
    with pytest.raises(TokenError):  # asked again only after the cooldown: a flood of unknown kids costs nothing
        verifier.claims(sign(newer, claims(sid="s2"), kid="newer"))
    keys._loaded_at -= KeySet.RELOAD_COOLDOWN
    assert verifier.claims(sign(newer, claims(sid="s3"), kid="newer"))["sid"] == "s3"
    assert verifier.claims(sign(signing_key, claims(sid="s4")))["sid"] == "s4"  # the old key still counts
