"""Revoked means refused: each of the five ways, after a pause longer than every cache, through either
gateway and on a service's own port; within 5 s under continuous use; and with the SSO down, public pages
read as the public while everything protected answers 503 in Thai, until the SSO is back.

Its own stack (two gateways, two workload instances): it stops the SSO."""
import time
from datetime import timedelta

import jwt
import pytest
import requests
from sqlalchemy import create_engine, text

from shared.clock import utcnow
from tests.conftest import TEST_SETTINGS, Stack
from tools.stack import running

pytestmark = pytest.mark.stack

BOUND = 5.0  # seconds: README "Who may see what", docs/tokens.md
PAUSE = 20.0  # longer than every verdict's lifetime (3 s); the pause after which revoked tokens were once accepted
WAYS = ("logout", "disable", "rights", "reset", "idle")
# The SSO admin demo-ssoadmin manages Krabi (81): who it disables, changes or resets lives there.
USERS = {"logout": "d-3001", "disable": "d-8102", "rights": "d-8103", "reset": "d-8104", "idle": "d-3002",
         "control": "d-8105"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running(tmp_path_factory.mktemp("revocation"), TEST_SETTINGS) as started:
        yield Stack(**vars(started))


class Holder:
    """One user's two ways in: a browser's cookie session and an API client's bearer token."""

    def __init__(self, stack: Stack, username: str):
        self.username = username
        self.browser, response = stack.sign_in(username)
        assert response.status_code == 302, response.text
        self.cookie = self.browser.cookies["dcc_session"]
        self.bearer = stack.bearer(username)
        self.district = username[2:]

    def sessions(self) -> list[str]:
        return [jwt.decode(t, options={"verify_signature": False})["sid"]
                for t in (self.cookie, self.bearer["Authorization"][7:])]

    def requests(self, base: str) -> dict[str, requests.Response]:
        """A page, an API read and an API write, by cookie and by bearer token, at `base`."""
        record = f"{base}/api/workload/rounds/2569/districts/{self.district}"
        csrf = jwt.decode(self.cookie, options={"verify_signature": False})["csrf"]
        cookies = {"dcc_session": self.cookie}
        row = {"detail": "งานทดสอบการเพิกถอน", "unit": "ครั้ง", "volume": "1", "days": "0", "hours": "1"}
        return {
            "page by cookie": requests.get(f"{base}/workload/2569/districts/{self.district}/", cookies=cookies,
                                           allow_redirects=False, timeout=10),
            "read by cookie": requests.get(record + "/record", cookies=cookies, timeout=10),
            "write by cookie": requests.post(record + "/custom-rows", cookies=cookies, json=row,
                                             headers={"X-CSRF-Token": csrf}, timeout=10),
            "read by token": requests.get(record + "/record", headers=self.bearer, timeout=10),
            "write by token": requests.post(record + "/custom-rows", headers=self.bearer, json=row, timeout=10),
        }


def accepted(name: str, response: requests.Response) -> bool:
    if name.startswith("page"):
        return response.status_code == 200
    return response.status_code in (200, 201)


def refused(name: str, response: requests.Response) -> bool:
    if name.startswith("page"):
        return response.status_code == 302 and response.headers["Location"].startswith(("/sso/login", "/sso/expired"))
    return response.status_code == 401 and response.headers["Content-Type"] == "application/problem+json"


def entrances(stack: Stack) -> list[str]:
    """Both gateways, and the workload service's first instance on its own port."""
    return [*stack.gateway_urls, stack.service_urls("workload")[0]]


def revoke(stack: Stack, way: str, holder: Holder) -> None:
    admin = stack.bearer("demo-ssoadmin")
    user = holder.username
    if way == "logout":
        page = holder.browser.get(stack.url + "/workload/").text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        assert holder.browser.post(stack.url + "/sso/logout", data={"csrf_token": csrf},
                                   allow_redirects=False).status_code == 302
        assert stack.delete("/api/sso/session", headers=holder.bearer).status_code == 204
    elif way == "disable":
        assert stack.post(f"/api/sso/admin/users/{user}/disable", headers=admin).status_code == 200
    elif way == "rights":
        changed = stack.patch(f"/api/sso/admin/users/{user}", headers=admin,
                              json={"roles": ["province"], "district_code": None})
        assert changed.status_code == 200, changed.text
    elif way == "reset":
        assert stack.post(f"/api/sso/admin/users/{user}/password-reset", headers=admin).status_code == 200
    elif way == "idle":  # 31 minutes without a request, as the SSO's clock sees it
        engine = create_engine(stack.database_urls["sso"])
        with engine.begin() as conn:
            for sid in holder.sessions():
                conn.execute(text("UPDATE sessions SET last_seen_at = :t WHERE id = :sid"),
                             {"t": utcnow() - timedelta(minutes=31), "sid": sid})
        engine.dispose()


def custom_rows(stack: Stack, district: str) -> int:
    record = stack.get(f"/api/workload/rounds/2569/districts/{district}/record", headers=stack.bearer("demo-central"))
    return len(record.json()["custom_rows"])


def test_each_way_of_revoking_holds_after_a_pause_on_every_gateway_and_on_the_services_own_port(stack):
    holders = {way: Holder(stack, username) for way, username in USERS.items()}
    for holder in holders.values():  # every cache on every way in now holds "allowed"
        for base in entrances(stack):
            answers = holder.requests(base)
            assert all(accepted(name, r) for name, r in answers.items()), (holder.username, base, answers)
    rows = {way: custom_rows(stack, holders[way].district) for way in WAYS}

    for way in WAYS:
        revoke(stack, way, holders[way])
    time.sleep(PAUSE)

    for base in entrances(stack):
        for way in WAYS:
            answers = holders[way].requests(base)
            wrong = {name: r.status_code for name, r in answers.items() if not refused(name, r)}
            assert not wrong, f"{way} at {base}: {wrong}"
        control = holders["control"].requests(base)
        assert all(accepted(name, r) for name, r in control.items()), base
    assert {way: custom_rows(stack, holders[way].district) for way in WAYS} == rows  # no refused write landed


def test_under_continuous_use_each_way_is_refused_within_five_seconds_everywhere(stack):
    users = {"logout": "d-3003", "disable": "d-8106", "rights": "d-8107", "reset": "d-8108", "idle": "d-3004"}
    holders = {way: Holder(stack, username) for way, username in users.items()}

    def read(holder: Holder, base: str) -> requests.Response:
        return requests.get(f"{base}/api/workload/rounds/2569/districts/{holder.district}/record",
                            headers=holder.bearer, timeout=10)

    warm_until = time.monotonic() + 4  # verdicts refreshed continuously, at every phase of their lifetime
    while time.monotonic() < warm_until:
        for holder in holders.values():
            for base in entrances(stack):
                assert read(holder, base).status_code == 200
    revoked_at = time.monotonic()
    for way, holder in holders.items():
        revoke(stack, way, holder)
    pending = {(way, base) for way in WAYS for base in entrances(stack)}
    refused_after = {}
    while pending and time.monotonic() - revoked_at < BOUND + 5:
        for way, base in sorted(pending):
            if read(holders[way], base).status_code == 401:
                refused_after[(way, base)] = time.monotonic() - revoked_at
                pending.discard((way, base))
        time.sleep(0.1)
    assert not pending, f"still accepted after {BOUND + 5} s: {pending}"
    assert max(refused_after.values()) <= BOUND, refused_after


def test_a_services_own_port_believes_no_identity_headers_a_client_sends(stack):
    holder = Holder(stack, "d-3005")
    sid = holder.sessions()[1]
    assert stack.delete("/api/sso/session", headers=holder.bearer).status_code == 204
    direct = stack.service_urls("workload")[1]
    forged = {**holder.bearer, "X-Auth-Checked": "1", "X-Auth-Session": sid}
    deadline = time.monotonic() + BOUND
    while requests.get(f"{direct}/api/workload/me", headers=forged, timeout=10).status_code != 401:
        assert time.monotonic() < deadline, "a logged-out token still accepted on the service's own port"
        time.sleep(0.2)


def test_with_the_sso_down_public_pages_serve_the_public_and_everything_protected_answers_503(stack):
    holder = Holder(stack, "d-3006")
    cookies = {"dcc_session": holder.cookie}
    assert holder.browser.get(stack.url + "/").text.count("ท้องถิ่นอำเภอ") > 0
    stack.kill("sso")
    try:
        time.sleep(BOUND)  # every verdict taken before the SSO went down has run out
        for base in stack.gateway_urls:
            for who in (cookies, {}):
                home = requests.get(base + "/", cookies=who, timeout=10)
                assert home.status_code == 200, (base, home.status_code)
                assert 'data-testid="sso-unavailable"' in home.text and 'data-testid="user-name"' not in home.text
            news = requests.get(base + "/api/news/items", cookies=cookies, timeout=10)
            assert news.status_code == 200
            page = requests.get(base + "/workload/", cookies=cookies, allow_redirects=False, timeout=10)
            assert page.status_code == 503 and "เข้าสู่ระบบไม่ได้ชั่วคราว" in page.text
            assert page.headers["Content-Type"].startswith("text/html")
            for response in (requests.get(base + "/api/workload/me", headers=holder.bearer, timeout=10),
                             requests.post(base + "/api/sso/token", json={"username": "d-3006", "password": "x"},
                                           timeout=10)):
                assert response.status_code == 503, response.text
                assert response.headers["Content-Type"] == "application/problem+json"
                assert response.json()["code"] == "sso_unavailable"
            login = requests.get(base + "/sso/login", timeout=10)
            assert login.status_code == 503 and "DLA-SSO ขัดข้องชั่วคราว" in login.text
        direct = requests.get(stack.service_urls("workload")[0] + "/api/workload/me", headers=holder.bearer,
                              timeout=10)
        assert direct.status_code == 503 and direct.json()["code"] == "sso_unavailable"
    finally:
        stack.start("sso")

    time.sleep(BOUND)  # no verdict taken while the SSO was down outlives this
    for base in entrances(stack):
        assert requests.get(base + "/api/workload/me", headers=holder.bearer, timeout=10).status_code == 200
    for base in stack.gateway_urls:
        home = requests.get(base + "/", cookies=cookies, timeout=10)
        assert 'data-testid="user-name"' in home.text and "sso-unavailable" not in home.text
        assert requests.get(base + "/sso/login", timeout=10).status_code == 200
