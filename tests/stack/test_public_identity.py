"""Public locations ask the SSO too: a token whose session ended elsewhere is anonymous there, so it
no longer reads a district's unpublished news nor shows its owner's name."""
import time

import pytest
import requests

from .test_gateway import REVOCATION_BOUND

pytestmark = pytest.mark.stack


def wait_until(check) -> bool:
    deadline = time.monotonic() + REVOCATION_BOUND + 3
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def test_an_ended_session_reads_public_paths_as_the_public(stack):
    headers = stack.bearer("d-8108")
    created = stack.post("/api/news/manage/items", headers=headers,
                         json={"title": "ร่างข่าวของอำเภอเหนือคลอง", "body": "ร่าง", "activity_date": "2026-11-20"})
    assert created.status_code == 201, created.text
    item = f"/api/news/items/{created.json()['id']}"
    assert stack.get(item, headers=headers).status_code == 200  # its own draft, on a public path
    session, _ = stack.sign_in("d-8108", next_path="/")
    assert "ท้องถิ่นอำเภอเหนือคลอง" in session.get(stack.url + "/").text
    cookie = session.cookies.get("dcc_session")

    assert stack.delete("/api/sso/session", headers=headers).status_code == 204
    csrf = session.get(stack.url + "/sso/logout").text.split('name="csrf_token" value="')[1].split('"')[0]
    session.post(stack.url + "/sso/logout", data={"csrf_token": csrf})

    assert wait_until(lambda: stack.get(item, headers=headers).status_code == 404)
    assert wait_until(lambda: 'data-testid="user-name"' not in requests.get(
        stack.url + "/", cookies={"dcc_session": cookie}, timeout=10).text)


def test_identity_headers_sent_by_a_client_are_ignored_on_public_paths(stack):
    headers = stack.bearer("d-8108")
    forged = {**headers, "X-Auth-Checked": "0", "X-Auth-Session": "someone-else"}
    assert stack.get("/api/news/manage/items", headers=forged).status_code == 200
    page = requests.get(stack.url + "/", headers={"X-Auth-Checked": "0", "X-Auth-Session": "x"}, timeout=10)
    assert page.status_code == 200 and 'data-testid="user-name"' not in page.text
