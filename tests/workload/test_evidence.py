"""The evidence formulas as plain functions, with cases computed by hand, and totals that add up."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workload import evidence
from workload.domain import ASPECTS, Parameters
from workload.evidence import Basis, CatalogLine, DistrictFigures, Totals

PARAMS = Parameters(hours_per_day=7.0, days_per_year=230)  # one officer-year = 1,610 hours


@pytest.mark.parametrize("volume, days, hours, expected", [
    (12, 1, 0.0, 84.0),  # 12 × (1 × 7 + 0)
    (12, 0, 2.5, 30.0),  # halves: 12 × (0 × 7 + 2.5)
    (3, 2, 1.5, 46.5),  # 3 × (14 + 1.5)
    (0, 0, 0.0, 0.0),  # ไม่ได้ดำเนินการ
    (0, 5, 3.0, 0.0),  # nothing handled, however long it would take
    (52, 0, 0.5, 26.0),
])
def test_hours_per_year_by_hand(volume, days, hours, expected):
    assert evidence.answer_hours(volume, days, hours, PARAMS) == expected


def test_full_time_equivalents_by_hand():
    totals = evidence.totals_of([(1, 805.0), (2, 805.0)], [322.0])
    assert totals.total == 1932.0
    assert totals.fte(PARAMS) == pytest.approx(1.2)  # 1,932 ÷ (230 × 7)
    assert totals.aspect_fte(1, PARAMS) == pytest.approx(0.5)
    assert totals.share(1) == pytest.approx(805 / 1932) and totals.share(None) == pytest.approx(322 / 1932)
    assert totals.fte(Parameters(hours_per_day=6.0, days_per_year=240)) == pytest.approx(1932 / 1440)


def test_an_empty_record_has_no_shares_rather_than_a_division_by_zero():
    assert Totals().total == 0 and Totals().share(3) == 0.0 and Totals().fte(PARAMS) == 0.0


def figures(code, totals, complete=True, confirmed=False, has_record=True):
    return DistrictFigures(code, code[:2], has_record, complete, confirmed, totals)


def test_the_basis_decides_which_districts_count():
    one = evidence.totals_of([(1, 100.0)])
    rows = [figures("8101", one, complete=True, confirmed=True), figures("8102", one, complete=True),
            figures("8103", one, complete=False), figures("8104", Totals(), complete=False, has_record=False)]
    assert evidence.summarize(rows, Basis.CONFIRMED).counted == 1
    assert evidence.summarize(rows, Basis.COMPLETE).totals.total == 200.0
    everything = evidence.summarize(rows, Basis.ALL)
    assert (everything.counted, everything.districts, everything.totals.total) == (3, 4, 300.0)
    assert everything.coverage == "3 จาก 4 อำเภอ"
    assert evidence.parse_basis("nonsense") is Basis.COMPLETE and evidence.parse_basis("all") is Basis.ALL


def test_distribution_quartiles_and_outliers_by_hand():
    spread = evidence.distribution([1, 2, 3, 4, 5, 6, 7, 8, 100])
    assert (spread.minimum, spread.q1, spread.median, spread.q3, spread.maximum) == (1, 3, 5, 7, 100)
    assert spread.high_fence == 13 and spread.is_outlier(100) and not spread.is_outlier(8)
    rows = [figures(f"81{n:02d}", evidence.totals_of([(1, float(v))]))
            for n, v in enumerate([1, 2, 3, 4, 5, 6, 7, 8, 100])]
    assert evidence.summarize(rows, Basis.ALL).outliers == ("8108",)
    assert evidence.distribution([]) is None
    single = evidence.distribution([42.0])
    assert (single.q1, single.median, single.q3) == (42.0, 42.0, 42.0)


def test_histogram_bins_cover_every_value_once():
    bins = evidence.histogram([0, 1, 2, 3, 10], bins=5)
    assert [count for _, _, count in bins] == [2, 2, 0, 0, 1]
    assert bins[0][0] == 0 and bins[-1][1] == 10
    assert evidence.histogram([]) == [] and evidence.histogram([5, 5], bins=3)[0][2] == 2


def test_two_rounds_matched_by_code_show_what_changed():
    earlier = [CatalogLine("1.1", 1, "ตรวจสอบข้อร้องเรียน", "เรื่อง", 100.0),
               CatalogLine("1.2", 1, "ตรวจร่างข้อบัญญัติ", "ฉบับ", 50.0),
               CatalogLine("2.9", 2, "งานที่เลิกถาม", "ครั้ง", 10.0)]
    later = [CatalogLine("1.1", 1, "ตรวจสอบข้อร้องเรียน", "เรื่อง", 120.0),
             CatalogLine("1.2", 1, "ตรวจร่างข้อบัญญัติและงบเพิ่มเติม", "ฉบับ", 60.0),
             CatalogLine("1.10", 1, "งานใหม่", "ครั้ง", 5.0)]
    lines = {line.code: line for line in evidence.compare(earlier, later)}
    assert [line.code for line in evidence.compare(earlier, later)] == ["1.1", "1.2", "1.10", "2.9"]
    assert lines["1.1"].change == "same" and lines["1.1"].difference == 20.0
    assert lines["1.2"].change == "changed"
    assert lines["1.10"].change == "new" and lines["1.10"].earlier is None and lines["1.10"].difference is None
    assert lines["2.9"].change == "removed" and lines["2.9"].later is None


hours_values = st.floats(min_value=0, max_value=50_000, allow_nan=False, allow_infinity=False)
district_totals = st.builds(
    lambda aspects, custom: evidence.totals_of(aspects, custom),
    st.lists(st.tuples(st.sampled_from(list(ASPECTS)), hours_values), max_size=12),
    st.lists(hours_values, max_size=3))
district_rows = st.lists(
    st.tuples(st.sampled_from(["30", "81", "50"]), district_totals, st.booleans(), st.booleans()),
    min_size=1, max_size=40)


@settings(max_examples=150, deadline=None)
@given(district_rows, st.sampled_from(list(Basis)))
def test_totals_add_up_from_districts_to_provinces_to_the_nation(rows, basis):
    districts = [DistrictFigures(f"{province}{n:02d}", province, True, complete, complete and confirmed, totals)
                 for n, (province, totals, complete, confirmed) in enumerate(rows)]
    nation = evidence.summarize(districts, basis)
    provinces = evidence.by_province(districts, basis)
    assert nation.counted == sum(p.counted for p in provinces.values())
    assert nation.districts == len(districts)
    assert nation.totals.total == pytest.approx(sum(p.totals.total for p in provinces.values()), rel=1e-9, abs=1e-6)
    for n in ASPECTS:
        assert nation.totals.by_aspect[n] == pytest.approx(sum(p.totals.by_aspect[n] for p in provinces.values()),
                                                           rel=1e-9, abs=1e-6)
    if nation.totals.total:
        shares = sum(nation.totals.share(n) for n in ASPECTS) + nation.totals.share(None)
        assert shares == pytest.approx(1.0)
    # Confirmed records are complete ones, and complete ones have records: the bases nest.
    confirmed = evidence.summarize(districts, Basis.CONFIRMED).counted
    assert (confirmed <= evidence.summarize(districts, Basis.COMPLETE).counted
            <= evidence.summarize(districts, Basis.ALL).counted)


def test_question_codes_of_any_shape_sort_without_breaking_the_comparison():
    """Codes are free text: "1.ก" beside "1.2" once compared a number with a word (a 500 for everyone)."""
    later = [CatalogLine(code, 1, "งาน", "ครั้ง", 1.0) for code in ("1.ก", "1.10", "²", "1.2")]
    assert [line.code for line in evidence.compare([], later)] == ["1.2", "1.10", "1.ก", "²"]
