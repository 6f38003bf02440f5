"""Key rotation that logs nobody out, and the purge of what nobody needs any more."""
from datetime import timedelta

import jwt
from sqlalchemy import func, select, update

from shared.clock import utcnow
from sso import keys
from sso.models import Session, db

from .conftest import PASSWORD


def kids(document: dict) -> set[str]:
    return {key["kid"] for key in document["keys"]}


def token(client, username="district-a") -> str:
    response = client.post("/api/sso/token", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return response.json["access_token"]


def test_a_rotation_signs_with_the_published_next_key_and_keeps_old_tokens_valid(app, client):
    before = client.get("/sso/jwks.json").json
    old_token = token(client)
    old_kid = jwt.get_unverified_header(old_token)["kid"]
    assert len(before["keys"]) >= 2 and old_kid in kids(before)  # the current key and the next one

    new_kid = keys.rotate(app.config["SSO_KEY_DIR"])  # as `flask --app sso rotate-keys` does
    assert new_kid in kids(before)  # services knew the new key before it signed anything

    new_token = token(client)
    assert jwt.get_unverified_header(new_token)["kid"] == new_kid  # this process noticed the new files
    after = client.get("/sso/jwks.json").json
    assert {old_kid, new_kid} <= kids(after) and len(after["keys"]) == 3  # previous, current, next
    for each in (old_token, new_token):
        assert client.get("/internal/verify", headers={"Authorization": f"Bearer {each}"}).status_code == 200

    # Twice (12 hours later at the earliest, when its tokens have expired): the oldest key is no longer published.
    keys.rotate(app.config["SSO_KEY_DIR"])
    assert old_kid not in kids(client.get("/sso/jwks.json").json)
    assert client.get("/internal/verify", headers={"Authorization": f"Bearer {new_token}"}).status_code == 200


def test_the_purge_deletes_only_what_ended_long_ago(app, client):
    token(client)  # a live session stays
    ended = jwt.decode(token(client), options={"verify_signature": False})["sid"]
    with app.app_context():
        db.session.execute(update(Session).where(Session.id == ended)
                           .values(ended_at=utcnow() - timedelta(days=31), end_reason="logout"))
        db.session.commit()
        live = db.session.scalar(select(func.count()).select_from(Session).where(Session.ended_at.is_(None)))
    result = app.test_cli_runner().invoke(args=["purge", "--days", "30"])
    assert result.exit_code == 0 and "purged 1 sessions" in result.output
    with app.app_context():
        assert db.session.get(Session, ended) is None
        assert db.session.scalar(select(func.count()).select_from(Session).where(Session.ended_at.is_(None))) == live


def test_a_key_never_published_never_signs_and_private_keys_stay_private(tmp_path):
    keys.ensure_keys(tmp_path)
    (tmp_path / keys.NEXT_FILE).unlink()  # e.g. a secret that holds the current key only
    signing_before = keys.KeyRing(tmp_path).signing()[1]
    try:
        keys.rotate(tmp_path)
        raise AssertionError("rotated onto a key nobody knew")
    except keys.NotPublishedYet:
        pass
    assert keys.KeyRing(tmp_path).signing()[1] == signing_before  # still the old key
    assert (tmp_path / keys.NEXT_FILE).exists()  # published from now on
    keys.rotate(tmp_path)
    for name in (keys.PRIVATE_FILE, keys.NEXT_FILE, keys.PREVIOUS_FILE):
        assert (tmp_path / name).stat().st_mode & 0o077 == 0, name
