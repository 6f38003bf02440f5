"""The cockpit's computations as plain functions (workload.cockpit, no Flask, no database): the reminder
schedule as dates, and records complete and confirmed at the end of each day replayed from their history."""
from datetime import date, datetime

from workload import cockpit
from workload.cockpit import Day, RecordHistory, Sent, Step

REQUIRED = {"1.1", "1.2", "2.1"}
CONTACT = {"office_address": "ที่ว่าการอำเภอ", "office_phone": "075611234", "person_name": "นายทดสอบ",
           "person_mobile": "0812345678", "person_email": "t@example.org", "responsible_districts": ["8101"]}
D = [date(2026, 12, d) for d in range(1, 8)]  # 1–7 December


def answers(*codes, blank=()):
    return {**{c: True for c in codes}, **{c: False for c in blank}}


def test_a_record_counts_as_complete_from_the_day_its_last_missing_piece_was_saved():
    history = RecordHistory("8101", [Step(D[0], answers("1.1", "1.2")), Step(D[1], contact=CONTACT),
                                     Step(D[3], answers("2.1"))])
    assert cockpit.complete_changes(history, REQUIRED) == {D[3]: True}
    assert [d.complete for d in cockpit.daily_counts([history], REQUIRED, D)] == [0, 0, 0, 1, 1, 1, 1]


def test_a_save_that_blanks_an_answer_makes_it_incomplete_again_and_a_day_ends_as_its_last_save_left_it():
    history = RecordHistory("8101", [
        Step(D[0], answers("1.1", "1.2", "2.1")), Step(D[0], contact=CONTACT),  # complete on the 1st
        Step(D[2], answers(blank=("2.1",))),  # the 3rd: blanked …
        Step(D[4], answers("2.1")), Step(D[4], answers(blank=("1.1",))),  # the 5th: fixed, broken again
        Step(D[5], answers("1.1"))])
    assert cockpit.complete_changes(history, REQUIRED) == {D[0]: True, D[2]: False, D[5]: True}
    assert [d.complete for d in cockpit.daily_counts([history], REQUIRED, D)] == [1, 1, 0, 0, 0, 1, 1]


def test_the_contact_must_name_the_own_district_and_every_field():
    missing_district = {**CONTACT, "responsible_districts": ["8102"]}
    no_mobile = {**CONTACT, "person_mobile": ""}
    for contact in (missing_district, no_mobile):
        history = RecordHistory("8101", [Step(D[0], answers(*REQUIRED)), Step(D[1], contact=contact)])
        assert cockpit.complete_changes(history, REQUIRED) == {}


def test_confirmed_per_day_and_records_without_history():
    confirmed = RecordHistory("8101", [Step(D[0], answers(*REQUIRED), ), Step(D[0], contact=CONTACT)],
                              confirmed_on=D[2])
    bulk = RecordHistory("8102", complete_on_without_history=D[1])  # loaded data: complete since its last save
    before_window = RecordHistory("8103", complete_on_without_history=date(2026, 11, 20))
    counts = cockpit.daily_counts([confirmed, bulk, before_window, RecordHistory("8104")], REQUIRED, D[:4])
    assert counts == [Day(D[0], 2, 0), Day(D[1], 3, 0), Day(D[2], 3, 1), Day(D[3], 3, 1)]
    assert cockpit.daily_counts([confirmed], REQUIRED, []) == []


def test_the_schedule_names_each_reminder_day_what_went_out_and_which_is_next():
    closes = date(2026, 12, 31)
    sent = {14: Sent(districts=870, provinces=12, first_at=datetime(2026, 12, 17, 0, 0))}
    marks = cockpit.schedule(closes, [1, 14, 3, 7], date(2026, 12, 25), sent)
    assert [(m.days_before, m.day, m.status) for m in marks] == [
        (14, date(2026, 12, 17), "sent"), (7, date(2026, 12, 24), "passed"),
        (3, date(2026, 12, 28), "next"), (1, date(2026, 12, 30), "later")]
    assert marks[0].sent.districts == 870
    assert [m.status for m in cockpit.schedule(closes, [3, 1], date(2026, 12, 28), {})] == ["today", "later"]


def test_the_chart_spans_the_window_up_to_every_district():
    counts = [Day(D[0], 0, 0), Day(D[1], 439, 100), Day(D[2], 878, 878)]
    chart = cockpit.chart(counts, D[0], D[6], 878, D[2])
    first, second, third = (tuple(map(float, p.split(","))) for p in chart.complete_points.split())
    assert first == (chart.left, chart.bottom) and third[1] == chart.top == chart.target_y
    assert second[1] == (chart.top + chart.bottom) / 2 and chart.deadline_x == chart.right
    assert chart.today_x == third[0] and chart.y_ticks[-1][1] == 878
