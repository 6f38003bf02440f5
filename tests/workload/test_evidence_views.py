"""Evidence pages and API on a filled round: the right numbers, for the right people only."""
import pytest
from sqlalchemy import select

from workload import demo, rounds
from workload.models import AnswerRow, CustomRow, Question, Record, Round, db


@pytest.fixture(scope="module", autouse=True)
def filled(app):
    """Round 2568 with a generated record for every district, 90 % confirmed, some custom rows."""
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.fiscal_year == 2568))
        demo._fill(round_, confirmed_share=0.9)
        db.session.commit()


def hand_total(app, district_codes=None, confirmed_only=False) -> float:
    """The hours per year recomputed here from the raw rows, independently of workload.evidence."""
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.fiscal_year == 2568))
        hpd = round_.hours_per_day
        scope = [Record.round_id == round_.id]
        if district_codes:
            scope.append(Record.district_code.in_(district_codes))
        if confirmed_only:
            scope.append(Record.confirmed_at.is_not(None))
        answers = db.session.execute(select(AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
                                     .join(Record, Record.id == AnswerRow.record_id)
                                     .join(Question, Question.id == AnswerRow.question_id)
                                     .where(*scope, Question.retired_at.is_(None))).all()
        custom = db.session.execute(select(CustomRow.volume, CustomRow.days, CustomRow.hours)
                                    .join(Record, Record.id == CustomRow.record_id).where(*scope)).all()
    return sum(v * (d * hpd + h) for v, d, h in answers + custom)


def test_a_district_sees_its_own_figures_and_they_are_right(client, as_user, app):
    body = client.get("/api/workload/rounds/2568/evidence?district=8101&basis=all",
                      headers=as_user("district", "8101")).json
    assert body["hours"] == pytest.approx(hand_total(app, ["8101"]))
    assert body["counted"] == 1 and body["districts"] == 1
    assert sum(a["hours"] for a in body["aspects"]) + body["custom"]["hours"] == pytest.approx(body["hours"])
    assert body["fte"] == pytest.approx(body["hours"] / (230 * 7))
    assert {q["aspect"] for q in body["questions"]} == set(range(1, 9))
    page = client.get("/workload/2568/evidence/districts/8101?basis=all", headers=as_user("district", "8101"))
    assert page.status_code == 200
    assert f'data-figure="hours">{body["hours"]:,.0f}<' in page.get_data(as_text=True)


def test_the_nation_on_confirmed_records_only(client, as_user, app):
    body = client.get("/api/workload/rounds/2568/evidence?basis=confirmed", headers=as_user("central")).json
    assert body["basis"] == "confirmed" and body["districts"] == 878 and 700 < body["counted"] < 878
    assert body["hours"] == pytest.approx(hand_total(app, confirmed_only=True))
    assert sum(p["hours"] for p in body["provinces"]) == pytest.approx(body["hours"])
    assert sum(p["counted"] for p in body["provinces"]) == body["counted"]
    assert len(body["provinces"]) == 76
    spread = body["distribution"]
    assert spread["min"] <= spread["q1"] <= spread["median"] <= spread["q3"] <= spread["max"]
    page = client.get("/workload/2568/evidence/nation?basis=confirmed",
                      headers=as_user("central")).get_data(as_text=True)
    assert f'data-figure="coverage">{body["counted"]} จาก 878 อำเภอ<' in page
    assert "เฉพาะอำเภอที่จังหวัดยืนยันข้อมูลแล้ว" in page and 'data-chart="bar"' in page


def test_a_province_sees_its_districts(client, as_user, app):
    body = client.get("/api/workload/rounds/2568/evidence?province=81&basis=all",
                      headers=as_user("province", province="81")).json
    codes = [d["code"] for d in body["districts"]]
    assert codes and all(code.startswith("81") for code in codes)
    assert body["hours"] == pytest.approx(hand_total(app, codes))
    page = client.get("/workload/2568/evidence/provinces/81", headers=as_user("province", province="81"))
    assert page.status_code == 200 and 'data-district="8101"' in page.get_data(as_text=True)


@pytest.mark.parametrize("role, district, province, path", [
    ("district", "8101", None, "/workload/2568/evidence/districts/8102"),
    ("district", "8101", None, "/workload/2568/evidence/provinces/81"),
    ("district", "8101", None, "/workload/2568/evidence/nation"),
    ("province", None, "81", "/workload/2568/evidence/provinces/30"),
    ("province", None, "81", "/workload/2568/evidence/districts/3001"),
    ("province", None, "81", "/workload/2568/evidence/nation"),
    ("ssoadmin", None, "81", "/workload/2568/evidence/provinces/81"),
    ("ssoadmin", None, "81", "/workload/2568/evidence/districts/8101"),
    ("province", None, "81", "/workload/2568/evidence/compare?with=2569&province=30"),
])
def test_no_other_districts_or_provinces_numbers_leak(client, as_user, role, district, province, path):
    headers = as_user(role, district, province)
    assert client.get(path, headers=headers).status_code == 403
    api = path.replace("/workload/2568/evidence/districts/", "/api/workload/rounds/2568/evidence?district=") \
              .replace("/workload/2568/evidence/provinces/", "/api/workload/rounds/2568/evidence?province=") \
              .replace("/workload/2568/evidence/nation", "/api/workload/rounds/2568/evidence") \
              .replace("/workload/2568/evidence/compare?", "/api/workload/rounds/2568/evidence/comparison?")
    response = client.get(api, headers=headers)
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_anonymous_is_sent_to_login_and_refused_by_the_api(client):
    assert client.get("/workload/2568/evidence/nation").status_code == 302
    assert client.get("/api/workload/rounds/2568/evidence").status_code == 401


def test_each_user_starts_at_its_own_level(client, as_user):
    assert client.get("/workload/2568/evidence/",
                      headers=as_user("district", "8101")).headers["Location"].endswith("/districts/8101")
    assert client.get("/workload/2568/evidence/",
                      headers=as_user("province", province="81")).headers["Location"].endswith("/provinces/81")
    assert client.get("/workload/2568/evidence/", headers=as_user("central")).headers["Location"].endswith("/nation")


def test_two_rounds_side_by_side_mark_changed_questions(client, as_user, app):
    body = client.get("/api/workload/rounds/2569/evidence/comparison?with=2568&province=81&basis=all",
                      headers=as_user("province", province="81")).json
    assert body["earlier"]["round"]["fiscal_year"] == 2568 and body["later"]["round"]["fiscal_year"] == 2569
    assert body["common_districts"] == 0 and body["earlier"]["counted_in_round"] > 0  # 2569: nobody recorded yet
    assert body["later"]["hours"] == 0 and body["earlier"]["hours"] == 0  # nobody to set against
    assert body["note"].startswith("เทียบเฉพาะ 0 อำเภอที่มีข้อมูลทั้งสองปี")
    with app.app_context():
        catalogs = {year: {q["code"]: q for a in rounds.catalog_file(year)["aspects"] for q in a["questions"]}
                    for year in (2568, 2569)}
    changes = {q["code"]: q["change"] for q in body["questions"]}
    for code, question in catalogs[2569].items():
        before = catalogs[2568].get(code)
        expected = ("new" if before is None
                    else "same" if (before["detail"], before["unit"]) == (question["detail"], question["unit"])
                    else "changed")
        assert changes[code] == expected, code
    assert {c for c, change in changes.items() if change == "removed"} == set(catalogs[2568]) - set(catalogs[2569])
    page = client.get("/workload/2569/evidence/compare?with=2568&province=81",
                      headers=as_user("province", province="81"))
    assert page.status_code == 200 and 'data-chart="compare"' in page.get_data(as_text=True)
    same = client.get("/api/workload/rounds/2569/evidence/comparison?with=2569", headers=as_user("central"))
    assert same.status_code == 422


def test_the_comparison_sets_only_the_districts_of_both_years_against_each_other(client, as_user, app):
    """Eight districts in 2568 against one in 2569 compare that one district with itself (#20)."""
    headers = as_user("district", "8102")
    view = client.get("/api/workload/rounds/2569/districts/8102/record", headers=headers).json
    aspect = view["aspects"][0]
    answers = [{"question_id": q["id"], "volume": "2", "days": "1", "hours": "0"} for q in aspect["questions"]]
    assert client.put("/api/workload/rounds/2569/districts/8102/aspects/1", json={"version": 0, "answers": answers},
                      headers=headers).status_code == 200
    province = as_user("province", province="81")
    body = client.get("/api/workload/rounds/2569/evidence/comparison?with=2568&province=81&basis=all",
                      headers=province).json
    in_2568 = body["earlier"]["counted_in_round"]
    assert in_2568 == 8 and body["later"]["counted_in_round"] == 1 and body["common_districts"] == 1
    assert body["note"] == "เทียบเฉพาะ 1 อำเภอที่มีข้อมูลทั้งสองปี (ปี 2568 นับได้ 8 อำเภอ ปี 2569 นับได้ 1 อำเภอ)"
    assert body["earlier"]["hours"] == pytest.approx(hand_total(app, ["8102"]))  # 8102's own 2568, not all eight
    assert body["later"]["hours"] == pytest.approx(len(answers) * 2 * 7)
    assert sum(q["earlier_hours"] or 0 for q in body["questions"]) == pytest.approx(
        body["earlier"]["hours"] - body["earlier"]["custom"]["hours"])
    page = client.get("/workload/2569/evidence/compare?with=2568&province=81&basis=all", headers=province)
    assert body["note"] in page.get_data(as_text=True)


def test_a_bad_basis_is_refused_by_the_api_and_defaulted_on_pages(client, as_user):
    assert client.get("/api/workload/rounds/2568/evidence?basis=everything",
                      headers=as_user("central")).status_code == 422
    page = client.get("/workload/2568/evidence/nation?basis=everything", headers=as_user("central"))
    assert page.status_code == 200 and "เฉพาะอำเภอที่บันทึกข้อมูลครบถ้วน" in page.get_data(as_text=True)


def test_the_district_status_page_shows_the_same_hours_as_the_evidence(client, as_user):
    headers = as_user("district", "8102")
    body = client.get("/api/workload/rounds/2568/evidence?district=8102&basis=all", headers=headers).json
    page = client.get("/workload/2568/districts/8102/", headers=headers).get_data(as_text=True)
    assert f'data-figure="hours">{body["hours"]:,.0f}<' in page
    assert f'data-figure="fte">{body["fte"]:,.2f}<' in page
    assert "/workload/2568/districts/8102/summary.pdf" in page


def test_a_retired_questions_answers_are_kept_but_not_counted(client, as_user, app):
    headers = as_user("district", "8103")
    before = client.get("/api/workload/rounds/2568/evidence?district=8103&basis=all", headers=headers).json
    with app.app_context():
        round_id = db.session.scalar(select(Round.id).where(Round.fiscal_year == 2568))
        record_id = db.session.scalar(select(Record.id).where(Record.round_id == round_id,
                                                              Record.district_code == "8103"))
        question_id, volume, days, hours = db.session.execute(
            select(AnswerRow.question_id, AnswerRow.volume, AnswerRow.days, AnswerRow.hours)
            .where(AnswerRow.record_id == record_id, AnswerRow.volume > 0).limit(1)).one()
        question = db.session.get(Question, question_id)
        code = question.code
        question.retired_at = db.session.scalar(select(Round.opens_at).where(Round.id == round_id))
        db.session.commit()
    try:
        after = client.get("/api/workload/rounds/2568/evidence?district=8103&basis=all", headers=headers).json
        expected = volume * (days * 7.0 + hours)  # worked out by hand from the stored answer
        assert before["hours"] - after["hours"] == pytest.approx(expected)
        assert all(q["code"] != code for q in after["questions"])
    finally:
        with app.app_context():
            db.session.get(Question, question_id).retired_at = None
            db.session.commit()
