"""The registry's rules without Flask: Thai search matching and what a sync changes."""
from datetime import datetime

import pytest

from directory import domain
from directory.domain import OfficerData, SyncRefused


@pytest.mark.parametrize("query, terms", [
    ("อ.เมืองกระบี่", ["เมืองกระบี่"]),
    ("อำเภอเมืองกระบี่", ["เมืองกระบี่"]),
    ("อำเภอ เมืองกระบี่", ["เมืองกระบี่"]),
    ("อ. เมือง กระบี่", ["เมือง", "กระบี่"]),
    ("จ.กระบี่", ["กระบี่"]),
    ("จังหวัดกระบี่", ["กระบี่"]),
    ("  ท้องถิ่นอำเภอคลองท่อม ", ["คลองท่อม"]),
    ("สมชาย\u00a0 ใจดี", ["สมชาย", "ใจดี"]),
    ("อ.อำเภอ", []),
    ("", []),
    ("อ่าวลึก", ["อ่าวลึก"]),  # a name that starts with อ is not a prefix
])
def test_query_terms_strip_prefixes_and_spaces(query, terms):
    assert domain.query_terms(query) == terms


def test_search_text_matches_names_typed_with_or_without_spaces():
    text = domain.search_text("นายสมชาย ใจดี", ["เมืองกระบี่", "คลองท่อม"], "กระบี่")
    for query in ("สมชาย ใจดี", "สมชายใจดี", "สม ชาย", "อ.คลองท่อม", "จ. กระบี่", "ใจดี จังหวัดกระบี่"):
        assert domain.matches(domain.query_terms(query), text), query
    for query in ("สมหญิง", "จ.ตรัง", "อ.", ""):
        assert not domain.matches(domain.query_terms(query), text), query


def test_a_term_never_spans_two_parts():
    text = domain.search_text("นายเมือง", ["กระบี่"], "ตรัง")
    assert not domain.matches(["เมืองกระบี่"], text)


def officer(dla_id, **changes):
    values = dict(dla_id=dla_id, full_name=f"นาย{dla_id}", position="นักวิเคราะห์", office_district_code="8101",
                  district_codes=("8101",), upstream_updated_at=datetime(2026, 11, 1))
    values.update(changes)
    return OfficerData(**values)


def test_plan_adds_changes_removes_and_leaves_the_rest():
    stored = {"a": officer("a"), "b": officer("b"), "c": officer("c")}
    incoming = [officer("a"), officer("b", office_phone="075 611 234"), officer("d"), officer("c", active=False)]
    plan = domain.plan_sync(stored, incoming)
    assert [o.dla_id for o in plan.added] == ["d"]
    assert [(b.dla_id, a.office_phone) for b, a in plan.changed] == [("b", "075 611 234")]
    assert [o.dla_id for o in plan.removed] == ["c"]


def test_an_officer_missing_from_the_snapshot_is_removed_and_may_come_back():
    plan = domain.plan_sync({"a": officer("a"), "b": officer("b")}, [officer("a"), officer("z")])
    assert [o.dla_id for o in plan.removed] == ["b"]
    assert [o.dla_id for o in plan.added] == ["z"]


def test_a_new_district_assignment_is_a_change():
    plan = domain.plan_sync({"a": officer("a")}, [officer("a", district_codes=("8101", "8102"))])
    assert len(plan.changed) == 1


def test_mass_removal_is_refused_but_small_registries_are_exempt():
    domain.check_removals(100, 20, 0.2)
    domain.check_removals(10, 10, 0.2)
    with pytest.raises(SyncRefused) as refused:
        domain.check_removals(100, 21, 0.2)
    assert refused.value.code == "too_many_removals"


def test_duplicate_ids():
    assert domain.duplicate_ids(["a", "b", "a", "c", "b", "a"]) == ["a", "b"]
    assert domain.duplicate_ids(["a", "b"]) == []
