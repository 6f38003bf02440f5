"""Reminders (workload.reminders): "window opened" once to every district, the countdown to the districts
whose record is not complete and to the provinces with complete records waiting for confirmation; a second
run on the same day emits nothing; the days are the round's own, set by the central office."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from shared import geography
from shared.thai import to_bangkok
from tests.workload.test_province import confirm, fill_record
from workload import domain, reminders, rounds
from workload.models import db, outbox

DISTRICTS, PROVINCES = len(geography.districts()), len(geography.provinces())


def events(app, kind):
    with app.app_context():
        return {e.event_id: e.payload for e in db.session.scalars(
            select(outbox.model).where(outbox.model.kind == kind))}


def closing_day(app):
    with app.app_context():
        return to_bangkok(rounds.current_round().closes_at).date()


@pytest.fixture(scope="module")
def season(app, tokens):
    """8101 and 8102 complete (8102 confirmed), 8103 half done, 8104's record covers 8105 as well."""
    client, as_user = app.test_client(), tokens.as_user
    for code in ("8101", "8102"):
        fill_record(client, as_user("district", code), code)
    fill_record(client, as_user("district", "8103"), "8103", skip_aspect=4)
    fill_record(client, as_user("district", "8104"), "8104", responsible=("8105",))
    assert confirm(client, as_user("province", province="81"), "8102").status_code == 200
    return app


def remind(app, day):
    with app.app_context():
        return reminders.remind(day)


def test_the_countdown_goes_to_who_is_behind_once(season):
    app, day = season, closing_day(season) - timedelta(days=3)
    emitted = remind(app, day)
    # 8101, 8102 and 8104 are complete, 8105 is covered by 8104's record: everyone else is behind.
    assert (emitted.window_opened, emitted.districts, emitted.provinces) == (DISTRICTS, DISTRICTS - 4, 1)
    countdown = events(app, "workload.countdown_district")
    assert "workload:countdown:2569:3:district:8103" in countdown
    assert not {f"workload:countdown:2569:3:district:{c}" for c in ("8101", "8102", "8104", "8105")} & set(countdown)
    assert countdown["workload:countdown:2569:3:district:8103"]["contact_email"] == "test@example.org"
    assert countdown["workload:countdown:2569:3:district:3001"]["contact_email"] is None  # no record yet
    assert countdown["workload:countdown:2569:3:district:8103"]["days_left"] == 3
    # Krabi: 8101 and 8104 complete and unconfirmed (8102 is confirmed); no other province has a complete record.
    [(event_id, payload)] = events(app, "workload.countdown_province").items()
    assert event_id == "workload:countdown:2569:3:province:81" and payload["waiting"] == 2
    again = remind(app, day)
    assert (again.window_opened, again.districts, again.provinces) == (0, 0, 0)
    # Two days before closing: the 3-day reminder was sent, the 1-day one is not due yet.
    assert str(remind(app, day + timedelta(days=1))) == str(reminders.Emitted())


def test_a_missed_day_is_caught_up_once_and_nothing_before_the_first_mark_or_after_closing():
    days = [14, 7, 3, 1]
    assert [reminders.due_mark(days, left) for left in (20, 15, 14, 13, 8, 7, 6, 4, 3, 2, 1, 0, -1)] == \
        [None, None, 14, 14, 14, 7, 7, 7, 3, 3, 1, 1, None]


def test_no_reminder_outside_the_window(season):
    app = season
    with app.app_context():
        before = outbox.pending()
        opens = to_bangkok(rounds.current_round().opens_at).date()
        assert reminders.open_on(opens - timedelta(days=1)) == []
        assert str(reminders.remind(closing_day(app) + timedelta(days=1))) == str(reminders.Emitted())
        assert outbox.pending() == before


@pytest.mark.parametrize("value, days", [("14,7,3,1", [14, 7, 3, 1]), ([1, 30, 7, 7], [30, 7, 1]), ("๗, 3", [7, 3])])
def test_reminder_days_are_whole_days_each_once(value, days):
    assert domain.reminder_days(value) == days


@pytest.mark.parametrize("value", ["", "0", "121", "7,x", "1.5", "٣", [True], list(range(1, 12)), None, "7,,3"])
def test_reminder_days_refuse_what_is_not(value):
    with pytest.raises(domain.ValidationFailed):
        domain.reminder_days(value)


def test_the_central_office_sets_the_days_on_the_api_and_the_page(app, client, as_user, tokens):
    central, url = as_user("central"), "/api/workload/rounds/2569"
    assert client.get(url, headers=central).json["reminder_days"] == [14, 7, 3, 1]
    refused = client.patch(url, json={"reminder_days": [0, 3]}, headers=central)
    assert refused.status_code == 422 and "1–120" in refused.json["errors"]["reminder_days"]
    assert client.patch(url, json={"reminder_days": [5]}, headers=as_user("province", province="81")).status_code == 403
    assert client.get(url, headers=central).json["reminder_days"] == [14, 7, 3, 1]
    changed = client.patch(url, json={"reminder_days": [10, 2]}, headers=central)
    assert changed.status_code == 200 and changed.json["reminder_days"] == [10, 2]
    with app.app_context():
        [(change, _year)] = rounds.changes(1)
        assert change.action == "reminders" and change.new_values == {"reminder_days": "10,2"}
    page = app.test_client()
    tokens.sign_in(page, "central-office", ["central"], None, None, name="ส่วนกลาง")
    assert 'name="reminder_days" value="10,2"' in page.get("/workload/rounds/").get_data(as_text=True)
    form = {"csrf_token": "test-csrf", "action": "reminders"}
    odd = page.post("/workload/rounds/2569/window", data={**form, "reminder_days": "7,สาม"})
    assert odd.status_code == 422 and "เช่น 14,7,3,1" in odd.get_data(as_text=True)
    assert page.post("/workload/rounds/2569/window", data={**form, "reminder_days": "14, 7, 3, 1"}).status_code == 302
    assert client.get(url, headers=central).json["reminder_days"] == [14, 7, 3, 1]


def test_a_complete_record_left_untold_by_a_crash_is_told_by_the_daily_run_once(season):
    """The PostgreSQL save tells the province right after its statement, in a transaction of its own: as if a
    crash came between the two, 8101's notice is taken away; the next daily run writes it, the one after not."""
    app, day = season, closing_day(season) - timedelta(days=20)
    event_id = "workload:record_complete:2569:8101"
    before = set(events(app, "workload.record_complete"))
    assert event_id in before
    with app.app_context():
        db.session.execute(outbox.model.__table__.delete().where(outbox.model.event_id == event_id))
        db.session.commit()
    assert remind(app, day).caught_up == 1
    assert set(events(app, "workload.record_complete")) == before  # 8101's again, and no other's twice
    assert remind(app, day).caught_up == 0
