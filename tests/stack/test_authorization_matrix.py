"""Who may do what, route by route: every route of every service (pages and API, every method) against every
kind of user, through the gateway, on a stack of its own.

The target is district 3001 (เมืองนครราชสีมา) of province 30 and what belongs to it. A route missing from ALLOWED
fails the test: every new route declares who may use it (README "Who may see what").
Safe methods: an allowed user gets an answer (< 400, and no trip to the login page); anyone else 401, 403 or
404, or the login page. Unsafe methods are sent with an invalid body: an allowed user is not refused (the body
is what fails), anyone else is refused and nothing happens. Body-less acts (disable, confirm, logout…) are sent
only by those who must be refused.
"""
import importlib
import os
import re
from unittest import mock

import pytest
import requests

from tests.conftest import TEST_SETTINGS, Stack
from tools.stack import SERVICES, running

pytestmark = pytest.mark.stack

USERS = {"district": "d-3001", "neighbour": "d-3002", "district_elsewhere": "d-5001", "province": "p-30",
         "province_elsewhere": "p-50", "ssoadmin": "s-30", "ssoadmin_elsewhere": "s-50", "central": "demo-central"}
SUBJECTS = ("anonymous", *USERS)

EVERYONE = frozenset(SUBJECTS)
SIGNED_IN = EVERYONE - {"anonymous"}
WORKLOAD_USERS = SIGNED_IN - {"ssoadmin", "ssoadmin_elsewhere"}  # an SSO admin manages accounts only
RECORD = frozenset({"district", "province", "central"})  # district 3001's record: itself, its province, central
OWN_DISTRICT = frozenset({"district"})
PROVINCE_OFFICE = frozenset({"province"})
PROVINCE_PAGE = frozenset({"province", "central"})
CENTRAL = frozenset({"central"})
ACCOUNTS = frozenset({"ssoadmin", "central"})  # d-3001's account: its province's SSO admin, central
ADMINS = frozenset({"ssoadmin", "ssoadmin_elsewhere", "central"})
NEWS_EDITORS = frozenset({"district", "neighbour", "district_elsewhere", "province", "province_elsewhere", "central"})
NOBODY = frozenset()

ALLOWED = {
    # --- DLA-SSO ----------------------------------------------------------------------------------------
    "GET /api/sso/admin/log": ADMINS,
    "GET /api/sso/admin/users": ADMINS,
    "POST /api/sso/admin/users": ADMINS,
    "GET /api/sso/admin/users/<username>": ACCOUNTS,
    "PATCH /api/sso/admin/users/<username>": ACCOUNTS,
    "POST /api/sso/admin/users/<username>/disable": ACCOUNTS,
    "POST /api/sso/admin/users/<username>/enable": ACCOUNTS,
    "POST /api/sso/admin/users/<username>/password-reset": ACCOUNTS,
    "GET /api/sso/admins": EVERYONE,
    "GET /api/sso/openapi.json": EVERYONE,
    "POST /api/sso/password": SIGNED_IN,
    "GET /api/sso/session": SIGNED_IN,
    "DELETE /api/sso/session": SIGNED_IN,
    "POST /api/sso/token": EVERYONE,
    "GET /healthz": EVERYONE,
    "GET /livez": NOBODY,  # the kubelet asks a pod directly; nginx refuses it from outside
    "GET /internal/identify": NOBODY,  # nginx's own: never from outside
    "GET /internal/signin": NOBODY,
    "GET /internal/unauthorized": NOBODY,
    "GET /internal/verify": NOBODY,
    "GET /internal/recipients": NOBODY,  # the services' own (shared.internal): never from outside
    "GET /sso/admin/": ADMINS,
    "GET /sso/admin/log": ADMINS,
    "GET /sso/admin/users": ADMINS,
    "GET /sso/admin/users/<username>": ACCOUNTS,
    "POST /sso/admin/users/<username>/<action>": ACCOUNTS,
    "GET /sso/admin/users/new": ADMINS,
    "POST /sso/admin/users/new": ADMINS,
    "GET /sso/admins": EVERYONE,
    "GET /sso/expired": EVERYONE,
    "GET /sso/jwks.json": EVERYONE,
    "GET /sso/login": EVERYONE,
    "POST /sso/login": EVERYONE,
    "GET /sso/logout": EVERYONE,
    "POST /sso/logout": EVERYONE,
    "GET /sso/password": SIGNED_IN,
    "POST /sso/password": SIGNED_IN,
    # --- Portal -----------------------------------------------------------------------------------------
    "GET /": EVERYONE,
    "GET /api/": EVERYONE,
    "GET /about/": EVERYONE,
    "GET /faq/": EVERYONE,
    "GET /toolkits/": EVERYONE,
    "GET /api/portal/items": EVERYONE,
    "GET /api/portal/openapi.json": EVERYONE,
    "GET /portal/media/<name>": EVERYONE,
    "GET /api/portal/manage/changes": CENTRAL,
    "GET /api/portal/manage/items": CENTRAL,
    "POST /api/portal/manage/items": CENTRAL,
    "GET /api/portal/manage/items/<int:item_id>": CENTRAL,
    "PATCH /api/portal/manage/items/<int:item_id>": CENTRAL,
    "DELETE /api/portal/manage/items/<int:item_id>": CENTRAL,
    "POST /api/portal/manage/items/<int:item_id>/attachment": CENTRAL,
    "DELETE /api/portal/manage/items/<int:item_id>/attachment": CENTRAL,
    "POST /api/portal/manage/items/<int:item_id>/move": CENTRAL,
    "GET /portal/manage/": CENTRAL,
    "GET /portal/manage/<kind>/": CENTRAL,
    "GET /portal/manage/<kind>/new": CENTRAL,
    "POST /portal/manage/<kind>/new": CENTRAL,
    "GET /portal/manage/changes": CENTRAL,
    "GET /portal/manage/items/<int:item_id>/delete": CENTRAL,
    "POST /portal/manage/items/<int:item_id>/delete": CENTRAL,
    "GET /portal/manage/items/<int:item_id>/edit": CENTRAL,
    "POST /portal/manage/items/<int:item_id>/edit": CENTRAL,
    "POST /portal/manage/items/<int:item_id>/move": CENTRAL,
    "POST /portal/manage/items/<int:item_id>/publish": CENTRAL,
    # Each user's own notifications: another's is 404 (tests/portal/test_notifications.py)
    "GET /api/notifications": SIGNED_IN,
    "POST /api/notifications/<int:notification_id>/read": SIGNED_IN,
    "POST /api/notifications/read-all": SIGNED_IN,
    "GET /notifications/": SIGNED_IN,
    "POST /notifications/<int:notification_id>/read": SIGNED_IN,
    "POST /notifications/read-all": SIGNED_IN,
    # Each user's own e-mail per kind: no other user's can be named (tests/portal/test_preferences.py)
    "GET /api/notifications/settings": SIGNED_IN,
    "PUT /api/notifications/settings": SIGNED_IN,
    "GET /notifications/settings": SIGNED_IN,
    "POST /notifications/settings": SIGNED_IN,
    "POST /internal/events": NOBODY,  # a service's relay (shared.outbox), never from outside
    "GET /internal/unread": NOBODY,  # the bell of another service's page
    "GET /internal/deliveries": NOBODY,  # the workload cockpit's list of e-mail sent
    "POST /internal/notices/preview": NOBODY,  # the cockpit's text before ส่งแจ้งเตือนตอนนี้
    # --- Workload Tracking System ----------------------------------------------------------------------
    "GET /api/workload/me": SIGNED_IN,
    "GET /api/workload/openapi.json": EVERYONE,  # it describes, it grants nothing
    "GET /api/workload/rounds": WORKLOAD_USERS,
    "POST /api/workload/rounds": CENTRAL,
    "GET /api/workload/rounds/<int:year>": WORKLOAD_USERS,
    "PATCH /api/workload/rounds/<int:year>": CENTRAL,
    "POST /api/workload/rounds/<int:year>/catalog/copy": CENTRAL,
    "GET /api/workload/rounds/<int:year>/questions": WORKLOAD_USERS,
    "POST /api/workload/rounds/<int:year>/questions": CENTRAL,
    "PATCH /api/workload/rounds/<int:year>/questions/<int:question_id>": CENTRAL,
    "DELETE /api/workload/rounds/<int:year>/questions/<int:question_id>": CENTRAL,
    "PUT /api/workload/rounds/<int:year>/districts/<district>/aspects/<int:aspect>": OWN_DISTRICT,
    "PUT /api/workload/rounds/<int:year>/districts/<district>/contact": OWN_DISTRICT,
    "POST /api/workload/rounds/<int:year>/districts/<district>/custom-rows": OWN_DISTRICT,
    "PUT /api/workload/rounds/<int:year>/districts/<district>/custom-rows/<int:row_id>": OWN_DISTRICT,
    "DELETE /api/workload/rounds/<int:year>/districts/<district>/custom-rows/<int:row_id>": OWN_DISTRICT,
    "POST /api/workload/rounds/<int:year>/districts/<district>/confirmation": PROVINCE_OFFICE,
    "POST /api/workload/rounds/<int:year>/districts/<district>/corrections": PROVINCE_OFFICE,
    "GET /api/workload/rounds/<int:year>/districts/<district>/history": RECORD,
    "GET /api/workload/rounds/<int:year>/districts/<district>/record": RECORD,
    "GET /api/workload/rounds/<int:year>/districts/<district>/record.xlsx": RECORD,
    "POST /api/workload/rounds/<int:year>/districts/<district>/record.xlsx": OWN_DISTRICT,
    "POST /api/workload/rounds/<int:year>/districts/<district>/imports/<preview_id>/apply": OWN_DISTRICT,
    "GET /api/workload/rounds/<int:year>/districts/<district>/summary.pdf": RECORD,
    "GET /api/workload/rounds/<int:year>/evidence": CENTRAL,  # no scope: the nation
    "GET /api/workload/rounds/<int:year>/evidence/comparison": CENTRAL,
    "GET /api/workload/rounds/<int:year>/exports/evidence.csv": CENTRAL,
    "GET /api/workload/rounds/<int:year>/exports/evidence.xlsx": CENTRAL,
    "GET /api/workload/rounds/<int:year>/provinces/<province>/status": PROVINCE_PAGE,
    "GET /api/workload/rounds/<int:year>/season": CENTRAL,
    "GET /api/workload/rounds/<int:year>/cockpit/schedule": CENTRAL,
    "GET /api/workload/rounds/<int:year>/cockpit/progress": CENTRAL,
    "GET /api/workload/rounds/<int:year>/cockpit/deliveries": CENTRAL,
    "GET /api/workload/rounds/<int:year>/cockpit/send-preview": CENTRAL,
    "POST /api/workload/rounds/<int:year>/cockpit/sends": CENTRAL,
    "GET /workload/": SIGNED_IN,  # each to its own place; an SSO admin on to /sso/admin/users
    "GET /workload/<int:year>/districts/<district>/": RECORD,
    "GET /workload/<int:year>/districts/<district>/aspects/<int:number>": RECORD,
    "POST /workload/<int:year>/districts/<district>/aspects/<int:number>": OWN_DISTRICT,
    "POST /workload/<int:year>/districts/<district>/confirm": PROVINCE_OFFICE,
    "GET /workload/<int:year>/districts/<district>/contact": RECORD,
    "POST /workload/<int:year>/districts/<district>/contact": OWN_DISTRICT,
    "GET /workload/<int:year>/districts/<district>/custom": RECORD,
    "POST /workload/<int:year>/districts/<district>/custom": OWN_DISTRICT,
    "GET /workload/<int:year>/districts/<district>/history": RECORD,
    "GET /workload/<int:year>/districts/<district>/import": OWN_DISTRICT,
    "POST /workload/<int:year>/districts/<district>/import": OWN_DISTRICT,
    "POST /workload/<int:year>/districts/<district>/import/<preview_id>": OWN_DISTRICT,
    "POST /workload/<int:year>/districts/<district>/return": PROVINCE_OFFICE,
    "GET /workload/<int:year>/districts/<district>/summary": RECORD,
    "GET /workload/<int:year>/districts/<district>/summary.pdf": RECORD,
    "GET /workload/<int:year>/evidence/": WORKLOAD_USERS,  # each to its own level
    "GET /workload/<int:year>/evidence/compare": CENTRAL,  # no scope: the nation
    "GET /workload/<int:year>/evidence/districts/<district>": RECORD,
    "GET /workload/<int:year>/evidence/export.csv": CENTRAL,
    "GET /workload/<int:year>/evidence/export.xlsx": CENTRAL,
    "GET /workload/<int:year>/evidence/nation": CENTRAL,
    "GET /workload/<int:year>/evidence/provinces/<province>": PROVINCE_PAGE,
    "GET /workload/<int:year>/provinces/": CENTRAL,
    "GET /workload/<int:year>/provinces/<province>/": PROVINCE_PAGE,
    "GET /workload/rounds/": CENTRAL,
    "POST /workload/rounds/": CENTRAL,
    "GET /workload/rounds/<int:year>/catalog": CENTRAL,
    "POST /workload/rounds/<int:year>/catalog": CENTRAL,
    "POST /workload/rounds/<int:year>/window": CENTRAL,
    "POST /workload/rounds/<int:year>/plausibility": CENTRAL,
    "GET /workload/rounds/<int:year>/cockpit": CENTRAL,
    "GET /workload/rounds/<int:year>/cockpit/send": CENTRAL,  # the text and the recipients, nothing sent
    "POST /workload/rounds/<int:year>/cockpit/send": CENTRAL,  # without confirmed=yes: back to the preview
    # --- ทะเบียน ทถอ. -------------------------------------------------------------------------------------
    "GET /api/directory/admin/sync-runs": CENTRAL,
    "POST /api/directory/admin/sync-runs": CENTRAL,
    "GET /api/directory/admin/sync-runs/<int:run_id>": CENTRAL,
    "GET /api/directory/admin/sync-runs/<int:run_id>/changes": CENTRAL,
    "GET /api/directory/officers": EVERYONE,
    "GET /api/directory/officers/<dla_id>": EVERYONE,
    "GET /api/directory/openapi.json": EVERYONE,
    "GET /api/directory/provinces": EVERYONE,
    "GET /api/directory/provinces/<code>": EVERYONE,
    "GET /api/directory/staff/officers/<dla_id>": SIGNED_IN,  # mobile and personal e-mail: staff only
    "GET /api/directory/status": EVERYONE,
    "GET /directory/": EVERYONE,
    "GET /directory/admin/sync": CENTRAL,
    "POST /directory/admin/sync": CENTRAL,
    "GET /directory/officers/<dla_id>": EVERYONE,
    "GET /directory/provinces/<code>/": EVERYONE,
    "GET /directory/search": EVERYONE,
    "GET /directory/staff/officers/<dla_id>": SIGNED_IN,
    # --- News: <item_id> is a submitted item of district 3001 under /manage/ and the approval, a
    # published one elsewhere ------------------------------------------------------------------------------
    "GET /api/news/items": EVERYONE,
    "GET /api/news/items/<int:item_id>": EVERYONE,
    "POST /api/news/items/<int:item_id>/approval": PROVINCE_OFFICE,
    "GET /api/news/manage/items": NEWS_EDITORS,  # each its own working list
    "POST /api/news/manage/items": OWN_DISTRICT | {"neighbour", "district_elsewhere"},  # a district's own news
    "GET /api/news/manage/items/<int:item_id>": RECORD,
    "PATCH /api/news/manage/items/<int:item_id>": OWN_DISTRICT,
    "DELETE /api/news/manage/items/<int:item_id>/attachment": OWN_DISTRICT,
    "DELETE /api/news/manage/items/<int:item_id>/images/<int:image_id>": OWN_DISTRICT,
    "POST /api/news/manage/items/<int:item_id>/media": OWN_DISTRICT,
    "POST /api/news/manage/items/<int:item_id>/submission": OWN_DISTRICT,
    "POST /api/news/manage/items/<int:item_id>/unpublication": CENTRAL,
    "GET /api/news/openapi.json": EVERYONE,
    "GET /news/": EVERYONE,
    "GET /news/<int:item_id>": EVERYONE,
    "GET /news/feed.atom": EVERYONE,
    "GET /news/feed.json": EVERYONE,
    "GET /news/provinces/<province_code>/feed.atom": EVERYONE,
    "GET /news/provinces/<province_code>/feed.json": EVERYONE,
    "GET /news/media/<name>": EVERYONE,
    "GET /news/manage/": NEWS_EDITORS,
    "GET /news/manage/items/<int:item_id>": RECORD,
    "POST /news/manage/items/<int:item_id>/approval": PROVINCE_OFFICE,
    "GET /news/manage/items/<int:item_id>/edit": OWN_DISTRICT,
    "POST /news/manage/items/<int:item_id>/edit": OWN_DISTRICT,
    "POST /news/manage/items/<int:item_id>/submit": OWN_DISTRICT,
    "POST /news/manage/items/<int:item_id>/unpublish": CENTRAL,
    "GET /news/manage/new": OWN_DISTRICT | {"neighbour", "district_elsewhere"},
    "POST /news/manage/new": OWN_DISTRICT | {"neighbour", "district_elsewhere"},
}

# Acts without a body: sent only by those who must be refused, so that the matrix itself changes nothing.
BODYLESS = {"POST /api/sso/admin/users/<username>/disable", "POST /api/sso/admin/users/<username>/enable",
            "POST /api/sso/admin/users/<username>/password-reset", "POST /sso/admin/users/<username>/<action>",
            "DELETE /api/sso/session", "POST /sso/logout",
            "DELETE /api/portal/manage/items/<int:item_id>", "DELETE /api/portal/manage/items/<int:item_id>/attachment",
            "POST /portal/manage/items/<int:item_id>/delete", "POST /portal/manage/items/<int:item_id>/publish",
            "DELETE /api/workload/rounds/<int:year>/questions/<int:question_id>",
            "DELETE /api/workload/rounds/<int:year>/districts/<district>/custom-rows/<int:row_id>",
            "POST /api/workload/rounds/<int:year>/districts/<district>/confirmation",
            "POST /workload/<int:year>/districts/<district>/confirm",
            # No preview of the matrix's own: the allowed user would only hear 404 for the made-up id.
            "POST /api/workload/rounds/<int:year>/districts/<district>/imports/<preview_id>/apply",
            "POST /workload/<int:year>/districts/<district>/import/<preview_id>",
            "POST /api/directory/admin/sync-runs", "POST /directory/admin/sync",
            "DELETE /api/news/manage/items/<int:item_id>/attachment",
            "DELETE /api/news/manage/items/<int:item_id>/images/<int:image_id>",
            "POST /api/news/manage/items/<int:item_id>/submission",
            "POST /api/news/manage/items/<int:item_id>/unpublication",
            "POST /news/manage/items/<int:item_id>/submit", "POST /news/manage/items/<int:item_id>/unpublish"}
# What nothing here has uploaded: an allowed reader may be told 404 for these.
NOT_HERE = {"GET /portal/media/<name>", "GET /news/media/<name>"}
QUERIES = {"GET /api/workload/rounds/<int:year>/evidence/comparison": "?with=2568",
           "GET /workload/<int:year>/evidence/compare": "?with=2568", "GET /directory/search": "?q=นคร",
           "GET /api/directory/officers": "?q=นคร", "GET /api/sso/admins": "?province=30",
           "GET /api/workload/rounds/<int:year>/cockpit/send-preview": "?audience=provinces",
           "GET /workload/rounds/<int:year>/cockpit/send": "?audience=provinces"}


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> dict[str, str]:
    """Every "METHOD rule" of every service → the service, read from the apps' own URL maps."""
    found = {}
    with mock.patch.dict(os.environ, {"DCC_VAR_DIR": str(tmp_path_factory.mktemp("routes"))}):
        for service in SERVICES:
            app = importlib.import_module(service.name).create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://",
                                                                    "TESTING": True})
            for rule in app.url_map.iter_rules():
                if rule.endpoint != "static":
                    found.update({f"{m} {rule.rule}": service.name for m in rule.methods - {"HEAD", "OPTIONS"}})
    return found


def test_every_route_of_every_service_declares_who_may_use_it(routes):
    assert sorted(set(routes) - set(ALLOWED)) == [], "declare these routes in ALLOWED"
    assert sorted(set(ALLOWED) - set(routes)) == [], "these declared routes no longer exist"


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    """A stack of its own (the matrix sends what other tests would not expect), its users' tokens and the
    ids of what belongs to district 3001."""
    with running(tmp_path_factory.mktemp("matrix"), TEST_SETTINGS) as started:
        stack = Stack(**vars(started))
        headers = {"anonymous": {}, **{subject: stack.bearer(name) for subject, name in USERS.items()}}
        district, central = headers["district"], headers["central"]
        api = stack.url + "/api"
        row = requests.post(f"{api}/workload/rounds/2569/districts/3001/custom-rows", headers=district, timeout=10,
                            json={"detail": "งานเฉพาะของอำเภอ", "unit": "เรื่อง", "volume": "1", "days": "0",
                                  "hours": "1"})
        item = requests.post(f"{api}/news/manage/items", headers=district, timeout=10,
                             json={"title": "ข่าวทดสอบสิทธิ์", "body": "<p>เนื้อหา</p>", "activity_date": "2026-11-30"})
        assert row.status_code == 201 and item.status_code == 201, (row.text, item.text)
        submitted = requests.post(f"{api}/news/manage/items/{item.json()['id']}/submission", headers=district,
                                  timeout=10)
        assert submitted.status_code == 200, submitted.text
        published = requests.get(f"{api}/news/items", timeout=10).json()["items"][0]
        officer = requests.get(f"{api}/directory/provinces/30", timeout=10).json()["districts"][0]["officers"][0]
        values = {
            "year": "2569", "district": "3001", "province": "30", "province_code": "30", "code": "30",
            "aspect": "1", "number": "1", "row_id": str(row.json()["id"]),
            "question_id": str(requests.get(f"{api}/workload/rounds/2569/questions", headers=central,
                                            timeout=10).json()[0]["id"]),
            "username": "d-3001", "action": "disable", "kind": "about", "name": "not-uploaded.pdf",
            "item_id:portal": str(requests.get(f"{api}/portal/items", timeout=10).json()["items"][0]["id"]),
            "item_id:news": str(item.json()["id"]), "item_id:news-public": str(published["id"]),
            "image_id": "999999", "notification_id": "999999", "run_id": "1", "dla_id": officer["id"],
            "preview_id": "0" * 32,
        }
        yield stack, headers, values


def path_of(route: str, service: str, values: dict) -> str:
    _method, rule = route.split(" ", 1)

    def value(match):
        name = match.group(1).split(":")[-1]
        if name == "item_id":
            public = service == "news" and "/manage/" not in rule and not rule.endswith("/approval")
            return values[f"item_id:{service}" + ("-public" if public else "")]
        return values[name]

    return re.sub(r"<([^>]+)>", value, rule) + QUERIES.get(route, "")


def to_login(response) -> bool:
    return response.status_code in (302, 303) and response.headers.get("Location", "").startswith("/sso/login")


def refused(response) -> bool:
    return response.status_code in (401, 403, 404) or to_login(response)


@pytest.mark.parametrize("route", sorted(ALLOWED))  # a declared route that no longer exists fails the test above
def test_each_route_refuses_whoever_is_not_declared(matrix, routes, route):
    if route not in routes:
        pytest.fail(f"{route} is declared but no service has it")
    stack, headers, values = matrix
    method, _rule = route.split(" ", 1)
    url = stack.url + path_of(route, routes[route], values)
    safe = method == "GET"
    wrong = []
    for subject in SUBJECTS:
        allowed = subject in ALLOWED[route]
        if allowed and not safe and route in BODYLESS:
            continue
        # An invalid body: a JSON value where an object is expected, or a form without its fields.
        body = {} if safe else ({"json": ["not", "an", "object"]} if "/api/" in route else {"data": {"x": "y"}})
        response = requests.request(method, url, headers=headers[subject], allow_redirects=False, timeout=20, **body)
        if allowed and safe:  # an answer, which may be the domain's own "not now" (409, 423)
            ok = response.status_code < 500 and not refused(response) or (
                route in NOT_HERE and response.status_code == 404)
        elif allowed:  # the invalid body is what fails, not the user
            ok = response.status_code not in (401, 403) and not to_login(response)
        else:  # asked who it is before its body is read: never a validation message
            ok = refused(response)
        if not ok:
            wrong.append((subject, response.status_code, response.headers.get("Location", ""), response.text[:160]))
    assert wrong == [], f"{route}: {wrong}"
