"""The news service's events (news/notices.py) go into its own outbox in the transition's transaction: the
province hears that an item waits for approval, the district what became of it; a refused act tells nobody."""
from sqlalchemy import select

from news.models import db, outbox
from portal import notices
from tests.news.test_api import create, decide, submit


def events(app):
    with app.app_context():
        return [(e.event_id, e.kind, e.payload)
                for e in db.session.scalars(select(outbox.model).order_by(outbox.model.id))]


def test_each_transition_is_one_event_and_a_refused_one_none(app, client, as_user):
    item = create(client, as_user)
    assert events(app) == []  # a draft is the district's own business
    assert submit(client, as_user, item["id"]).status_code == 200
    assert decide(client, as_user, item["id"], "reject").status_code == 422  # no reason: nothing happened
    assert decide(client, as_user, item["id"], "reject", who="other_province", reason="x").status_code == 403
    assert decide(client, as_user, item["id"], "reject", reason="ภาพไม่ชัด").status_code == 200
    assert submit(client, as_user, item["id"]).status_code == 200
    assert decide(client, as_user, item["id"]).status_code == 200
    withdrawn = client.post(f"/api/news/manage/items/{item['id']}/unpublication", json={"reason": "ข้อมูลซ้ำ"},
                            headers=as_user("central"))
    assert withdrawn.status_code == 200
    found = events(app)
    assert [kind for _, kind, _ in found] == ["news.submitted", "news.rejected", "news.submitted", "news.approved",
                                              "news.withdrawn"]
    assert len({event_id for event_id, _, _ in found}) == 5 and all(e.startswith("news:") for e, _, _ in found)
    rejected = found[1][2]
    assert rejected == {"item_id": item["id"], "title": item["title"], "district_code": "8101",
                        "province_code": "81", "by": "ผู้ใช้ province", "reason": "ภาพไม่ชัด"}
    assert found[3][2]["publish_at"] and found[4][2]["reason"] == "ข้อมูลซ้ำ"


def test_the_portal_words_them_for_the_right_office():
    payload = {"item_id": 7, "title": "อบรม อปท.", "district_code": "8101", "province_code": "81",
               "by": "สถจ.กระบี่", "reason": "ภาพไม่ชัด", "publish_at": "2026-12-03T09:00:00+07:00"}
    waiting = notices.compose("news.submitted", payload)
    assert waiting.office == ("province", "81") and "รออนุมัติ" in waiting.title
    assert waiting.link == "/news/manage/items/7"
    rejected = notices.compose("news.rejected", payload)
    assert rejected.office == ("district", "8101") and "ไม่อนุมัติ" in rejected.title
    assert "เหตุผล: ภาพไม่ชัด" in rejected.text
    approved = notices.compose("news.approved", payload)
    assert "อนุมัติเผยแพร่" in approved.title and "3 ธันวาคม 2569" in approved.text
    withdrawn = notices.compose("news.withdrawn", payload)
    assert "ยกเลิกการเผยแพร่" in withdrawn.title and "ภาพไม่ชัด" in withdrawn.text
