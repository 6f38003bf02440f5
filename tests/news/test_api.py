"""The news API: every transition and every refusal, permissions across provinces and roles."""
from datetime import timedelta

import pytest

from shared.clock import utcnow
from shared.thai import to_bangkok

ITEM = {"title": "อำเภอเมืองกระบี่จัดอบรม อปท.", "body": "ย่อหน้าแรก\n\n- ข้อหนึ่ง", "activity_date": "2026-11-20"}


def create(client, as_user, who="district", **changes):
    response = client.post("/api/news/manage/items", json={**ITEM, **changes}, headers=as_user(who))
    assert response.status_code == 201, response.json
    return response.json


def submit(client, as_user, item_id, who="district"):
    return client.post(f"/api/news/manage/items/{item_id}/submission", headers=as_user(who))


def decide(client, as_user, item_id, decision="approve", who="province", **extra):
    return client.post(f"/api/news/items/{item_id}/approval", json={"decision": decision, **extra},
                       headers=as_user(who))


def published_item(client, as_user) -> dict:
    item = create(client, as_user)
    assert submit(client, as_user, item["id"]).status_code == 200
    assert decide(client, as_user, item["id"]).status_code == 200
    return item


def test_the_whole_lifecycle_is_recorded(client, as_user):
    item = create(client, as_user)
    assert item["state"] == "draft" and item["district"] == {"code": "8101", "name": "เมืองกระบี่"}
    assert item["province"] == {"code": "81", "name": "กระบี่"}
    assert item["body_html"] == "<p>ย่อหน้าแรก</p><ul><li>ข้อหนึ่ง</li></ul>"
    assert client.get("/api/news/items").json["total"] == 0

    assert submit(client, as_user, item["id"]).json["state"] == "submitted"
    rejected = decide(client, as_user, item["id"], "reject", reason="ภาพไม่ชัด กรุณาแก้ไข")
    assert rejected.status_code == 200 and rejected.json["state"] == "rejected"
    assert rejected.json["reason"] == "ภาพไม่ชัด กรุณาแก้ไข"

    edited = client.patch(f"/api/news/manage/items/{item['id']}", json={"title": "ชื่อใหม่"}, headers=as_user("district"))
    assert edited.status_code == 200 and edited.json["title"] == "ชื่อใหม่" and edited.json["state"] == "rejected"
    assert submit(client, as_user, item["id"]).json["state"] == "submitted"
    approved = decide(client, as_user, item["id"], reason="เรียบร้อย")
    assert approved.json["state"] == "approved" and approved.json["published"] is True

    unpublished = client.post(f"/api/news/manage/items/{item['id']}/unpublication", json={"reason": "ข้อมูลซ้ำ"},
                              headers=as_user("central"))
    assert unpublished.status_code == 200 and unpublished.json["state"] == "unpublished"
    events = unpublished.json["events"]
    assert [(e["action"], e["from_state"], e["to_state"]) for e in events] == [
        ("create", None, "draft"), ("submit", "draft", "submitted"), ("reject", "submitted", "rejected"),
        ("edit", "rejected", "rejected"), ("submit", "rejected", "submitted"), ("approve", "submitted", "approved"),
        ("unpublish", "approved", "unpublished")]
    assert events[2]["actor"] == "province-user" and events[2]["reason"] == "ภาพไม่ชัด กรุณาแก้ไข"
    assert events[-1]["actor"] == "central-user" and events[-1]["reason"] == "ข้อมูลซ้ำ"
    assert all(e["at"] for e in events)
    assert client.get("/api/news/items").json["total"] == 0
    assert client.get(f"/api/news/items/{item['id']}").status_code == 404


def test_district_and_province_come_from_the_user_not_the_body(client, as_user):
    response = client.post("/api/news/manage/items", json={**ITEM, "district_code": "3001", "province_code": "30"},
                           headers=as_user("district"))
    assert response.status_code == 422  # unknown fields are refused by the schema, not quietly used
    item = create(client, as_user)
    assert item["district"]["code"] == "8101"


@pytest.mark.parametrize("setup, action, code", [
    ("draft", "approve", "not_submitted"),
    ("approved", "approve", "already_approved"),
    ("approved", "reject", "already_approved"),
    ("approved", "edit", "locked_approved"),
    ("submitted", "edit", "locked_submitted"),
    ("submitted", "submit", "already_submitted"),
    ("draft", "unpublish", "not_published"),
    ("submitted", "unpublish", "not_published"),
])
def test_illegal_transitions_are_refused_with_a_clear_message(client, as_user, setup, action, code):
    item = create(client, as_user)
    if setup in ("submitted", "approved"):
        submit(client, as_user, item["id"])
    if setup == "approved":
        decide(client, as_user, item["id"])
    before = client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("district")).json
    if action == "edit":
        response = client.patch(f"/api/news/manage/items/{item['id']}", json={"title": "x"},
                                headers=as_user("district"))
    elif action == "submit":
        response = submit(client, as_user, item["id"])
    elif action == "unpublish":
        response = client.post(f"/api/news/manage/items/{item['id']}/unpublication", json={"reason": "r"},
                               headers=as_user("central"))
    else:
        response = decide(client, as_user, item["id"], action, reason="r")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == code and response.json["detail"]
    after = client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("district")).json
    assert after == before  # nothing changed, no event recorded


def test_rejecting_without_a_reason_is_refused(client, as_user):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    response = decide(client, as_user, item["id"], "reject", reason="  ")
    assert response.status_code == 422 and response.json["errors"] == {"reason": "กรุณาระบุเหตุผล"}
    assert client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("province")).json["state"] == "submitted"
    assert decide(client, as_user, item["id"], "maybe").status_code == 422


def test_approval_at_a_chosen_date_publishes_then(client, as_user):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    later = to_bangkok(utcnow() + timedelta(days=3)).replace(microsecond=0)
    approved = decide(client, as_user, item["id"], publish_at=later.isoformat()).json
    assert approved["state"] == "approved" and approved["published"] is False
    assert approved["publish_at"] == later.isoformat()
    assert client.get("/api/news/items").json["total"] == 0
    assert client.get(f"/api/news/items/{item['id']}").status_code == 404


@pytest.mark.parametrize("typed, expected", [
    ("1/1/2642", "2099-01-01T06:00:00+07:00"), ("1/1/2642 09:30", "2099-01-01T09:30:00+07:00"),
    ("๑/๑/๒๖๔๒", "2099-01-01T06:00:00+07:00"), ("2099-01-01", "2099-01-01T06:00:00+07:00"),
    ("2099-01-01T09:30:00+07:00", "2099-01-01T09:30:00+07:00")])
def test_approval_takes_a_buddhist_era_or_an_iso_publication_date(client, as_user, typed, expected):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    approved = decide(client, as_user, item["id"], publish_at=typed)
    assert approved.status_code == 200 and approved.json["publish_at"] == expected


@pytest.mark.parametrize("typed", ["12/31/2026", "1/1/2099", "31/2/2569", "พรุ่งนี้", "2099-13-01", 20990101])
def test_a_malformed_publication_date_is_refused_and_nothing_changes(client, as_user, typed):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    refused = decide(client, as_user, item["id"], publish_at=typed)
    assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
    assert "publish_at" in refused.json["errors"]
    assert client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("province")).json["state"] == "submitted"


# --- Permissions -----------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["other_district", "far_district", "province", "central"])
def test_only_the_own_district_edits_and_submits(client, as_user, who):
    item = create(client, as_user)
    for response in (client.patch(f"/api/news/manage/items/{item['id']}", json={"title": "x"}, headers=as_user(who)),
                     submit(client, as_user, item["id"], who)):
        assert response.status_code in (403, 404), who
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("who", ["province", "other_province", "ssoadmin", "central"])
def test_only_district_users_write_news(client, as_user, who):
    response = client.post("/api/news/manage/items", json=ITEM, headers=as_user(who))
    assert response.status_code == 403 and response.json["code"] == "no_district"


@pytest.mark.parametrize("who", ["district", "other_district", "far_district", "other_province", "ssoadmin", "central"])
def test_only_the_own_province_decides(client, as_user, who):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    for decision in ("approve", "reject"):
        response = decide(client, as_user, item["id"], decision, who=who, reason="r")
        assert response.status_code in (403, 404) and response.json["code"] in ("forbidden", "not_found"), who
    assert client.get(f"/api/news/manage/items/{item['id']}", headers=as_user("province")).json["state"] == "submitted"


@pytest.mark.parametrize("who", ["district", "province", "other_province"])
def test_only_central_unpublishes(client, as_user, who):
    item = published_item(client, as_user)
    response = client.post(f"/api/news/manage/items/{item['id']}/unpublication", json={"reason": "r"},
                           headers=as_user(who))
    assert response.status_code == 403
    assert client.get(f"/api/news/items/{item['id']}").json["state"] == "approved"


def test_anonymous_requests_are_refused(client, as_user):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    for method, path, body in [("post", "/api/news/manage/items", ITEM), ("get", "/api/news/manage/items", None),
                               ("patch", f"/api/news/manage/items/{item['id']}", {"title": "x"}),
                               ("post", f"/api/news/manage/items/{item['id']}/submission", None),
                               ("post", f"/api/news/items/{item['id']}/approval", {"decision": "approve"}),
                               ("post", f"/api/news/manage/items/{item['id']}/unpublication", {"reason": "r"})]:
        response = getattr(client, method)(path, json=body)
        assert response.status_code == 401, path
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("who, visible", [
    ("district", True), ("province", True), ("central", True), ("other_district", False),
    ("other_province", False), ("far_district", False)])
def test_unpublished_items_are_seen_only_by_their_own(client, as_user, who, visible):
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    response = client.get(f"/api/news/manage/items/{item['id']}", headers=as_user(who))
    assert response.status_code == (200 if visible else 404)
    assert client.get(f"/api/news/items/{item['id']}").status_code == 404  # anonymous


def test_the_provinces_queue_and_counts(client, as_user):
    first, second, third = create(client, as_user), create(client, as_user), create(client, as_user)
    create(client, as_user, "far_district")
    submit(client, as_user, first["id"])
    submit(client, as_user, second["id"])
    decide(client, as_user, second["id"])
    queue = client.get("/api/news/manage/items?state=submitted", headers=as_user("province")).json
    assert [i["id"] for i in queue["items"]] == [first["id"]]
    assert queue["counts"] == {"draft": 0, "submitted": 1, "approved": 1, "rejected": 0, "unpublished": 0}
    own = client.get("/api/news/manage/items", headers=as_user("district")).json
    assert own["counts"]["draft"] == 1 and {i["id"] for i in own["items"]} == {first["id"], second["id"], third["id"]}
    assert client.get("/api/news/manage/items", headers=as_user("other_province")).json["items"] == []
    assert client.get("/api/news/manage/items?state=nonsense", headers=as_user("province")).status_code == 422


def test_public_list_is_newest_first_paged_and_filtered(client, as_user):
    titles = ["งานวันเด็ก", "ประชุมประจำเดือน", "อบรมการเงินการคลัง"]
    for title in titles:
        item = create(client, as_user, title=title)
        submit(client, as_user, item["id"])
        decide(client, as_user, item["id"])
    far = create(client, as_user, "far_district", title="ข่าวโคราช")
    submit(client, as_user, far["id"], "far_district")
    decide(client, as_user, far["id"], who="other_province")

    everything = client.get("/api/news/items").json
    assert everything["total"] == 4 and everything["items"][0]["title"] == "ข่าวโคราช"
    assert [i["title"] for i in client.get("/api/news/items?province=81").json["items"]] == titles[::-1]
    assert client.get("/api/news/items?district=3001").json["total"] == 1
    page = client.get("/api/news/items?per_page=2&page=2").json
    assert page["total"] == 4 and [i["title"] for i in page["items"]] == ["ประชุมประจำเดือน", "งานวันเด็ก"]
    assert [i["title"] for i in client.get("/api/news/items?q=การเงิน").json["items"]] == ["อบรมการเงินการคลัง"]
    assert client.get("/api/news/items?q=%25").json["total"] == 0  # a % is a character, not a wildcard
    assert client.get("/api/news/items?province=abc").status_code == 422
    assert client.get("/api/news/items?per_page=500").status_code == 422


def test_invalid_content_is_refused_with_a_message_per_field(client, as_user):
    response = client.post("/api/news/manage/items", json={"title": " ", "body": "<script>x</script>",
                                                            "activity_date": "พรุ่งนี้"}, headers=as_user("district"))
    assert response.status_code == 422
    assert set(response.json["errors"]) == {"title", "body", "activity_date"}
    assert client.get("/api/news/manage/items", headers=as_user("district")).json["items"] == []


def test_a_stale_edit_is_refused(client, as_user):
    item = create(client, as_user)
    client.patch(f"/api/news/manage/items/{item['id']}", json={"title": "หนึ่ง", "version": item["version"]},
                 headers=as_user("district"))
    stale = client.patch(f"/api/news/manage/items/{item['id']}", json={"title": "สอง", "version": item["version"]},
                         headers=as_user("district"))
    assert stale.status_code == 409 and stale.json["code"] == "stale"


def test_the_openapi_document_names_the_approval_endpoint(client):
    spec = client.get("/api/news/openapi.json").json
    assert "post" in spec["paths"]["/api/news/items/{item_id}/approval"]


def test_a_draft_is_the_districts_own_until_it_is_submitted(client, as_user):
    item = create(client, as_user)
    path = f"/api/news/items/{item['id']}"
    assert client.get(path, headers=as_user("district")).status_code == 200
    for who in ("province", "ssoadmin", "central", "other_district"):
        assert client.get(path, headers=as_user(who)).status_code == 404, who
    submit(client, as_user, item["id"])
    assert client.get(path, headers=as_user("province")).status_code == 200


def test_an_item_id_in_other_digits_is_no_item(client, as_user):
    """Werkzeug would read Arabic-Indic or full-width digits as an id; nginx protects by ASCII path."""
    item = create(client, as_user)
    submit(client, as_user, item["id"])
    for digits in (str(item["id"]).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
                   str(item["id"]).translate(str.maketrans("0123456789", "０１２３４５６７８９"))):
        response = client.post(f"/api/news/items/{digits}/approval", json={"decision": "approve"},
                               headers=as_user("province"))
        assert response.status_code == 404, digits
