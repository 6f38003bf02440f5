"""Sync: all or nothing. Every misbehaviour of DLA Connect leaves the registry exactly as it was."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from directory import registry
from directory.models import Assignment, Officer, OfficerChange, SyncLock, SyncRun, db
from directory.sync import SyncBusy, sync_with_settings
from shared.clock import utcnow
from tests.directory.conftest import misbehave


def sync(app, by="test"):
    with app.app_context():
        run = sync_with_settings(app.config, "command", by)
        return {c: getattr(run, c) for c in ("id", "status", "fetched", "added", "changed", "removed", "rejected",
                                              "error_code", "error_detail")}


def snapshot(app) -> dict:
    """Everything a sync may touch, as plain values."""
    with app.app_context():
        officers = {o.dla_id: {c.name: getattr(o, c.name) for c in Officer.__table__.columns}
                    for o in db.session.scalars(select(Officer))}
        assignments = sorted(db.session.execute(select(Assignment.officer_id, Assignment.district_code)).all())
        history = db.session.scalar(select(db.func.count()).select_from(OfficerChange))
        return {"officers": officers, "assignments": assignments, "history": history}


@pytest.fixture(scope="module")
def baseline(app, fake):
    first = sync(app, "baseline")
    assert first["status"] == "succeeded", first
    return first


def test_the_first_sync_fills_the_registry(baseline, app):
    assert baseline["fetched"] == 878 and baseline["added"] == 878 - 31
    assert baseline["changed"] == baseline["removed"] == baseline["rejected"] == 0
    with app.app_context():
        covered = registry.covered_counts()
        assert sum(covered.values()) == 878 - 31 + 15  # vacancies covered by a neighbour count too
        assert registry.last_sync().id == baseline["id"]


def test_a_second_identical_sync_changes_nothing(baseline, app):
    before = snapshot(app)
    again = sync(app)
    assert (again["status"], again["added"], again["changed"], again["removed"]) == ("succeeded", 0, 0, 0)
    assert snapshot(app) == before


def test_a_search_text_of_an_older_release_is_brought_in_step(baseline, app):
    with app.app_context():
        db.session.execute(update(Officer).where(Officer.dla_id == "DLA-8101-01").values(search_text="stale"))
        db.session.commit()
        assert not any(o.dla_id == "DLA-8101-01" for o in registry.search("เมืองกระบี่"))
    assert sync(app)["changed"] == 0  # nothing changed upstream
    with app.app_context():
        assert any(o.dla_id == "DLA-8101-01" for o in registry.search("เมืองกระบี่"))


@pytest.mark.parametrize("behaviour, code", [
    ({"fail_times": 99}, "http_error"),
    ({"fail_times": 99, "fail_status": 502}, "http_error"),
    ({"broken_page": 3}, "bad_page"),
    ({"malformed": ["DLA-8101-01"]}, "invalid_records"),
    ({"duplicate": True}, "duplicate_ids"),
    ({"slow_seconds": 1.5}, "unreachable"),  # beyond the app's 1 s read timeout, on every retry
])
def test_a_misbehaving_dla_connect_changes_nothing(baseline, app, fake, behaviour, code):
    # Changes that would apply if the sync went through: they must not, either.
    misbehave(fake, **behaviour, ended=["DLA-1101-01"], changes={"DLA-8102-01": {"office_phone": "075 999 999"}})
    before = snapshot(app)
    run = sync(app)
    assert run["status"] == "failed" and run["error_code"] == code, run
    assert snapshot(app) == before
    with app.app_context():
        assert registry.last_sync().id != run["id"]
        assert db.session.get(SyncLock, 1).run_id is None  # released for the next one


def test_a_failed_run_says_which_record_and_why(baseline, app, fake):
    misbehave(fake, malformed=["DLA-3001-01", "DLA-8101-01"])
    run = sync(app)
    assert run["rejected"] == 2 and run["added"] == run["changed"] == run["removed"] == 0
    records = {r["id"]: r for r in run["error_detail"]["records"]}
    assert records["DLA-8101-01"]["errors"]["office_email"] == ["รูปแบบ E-mail ไม่ถูกต้อง"]
    assert records["DLA-8101-01"]["errors"]["office_district_code"] == ["ไม่พบรหัสอำเภอนี้ในทะเบียนอำเภอ"]
    assert {r["page"] for r in records.values()} <= set(range(1, 6))


def test_a_transient_failure_is_retried_and_the_sync_succeeds(baseline, app, fake):
    misbehave(fake, fail_times=1)
    assert sync(app)["status"] == "succeeded"


def test_additions_changes_and_removals_apply_and_keep_history(baseline, app, fake):
    misbehave(fake, ended=["DLA-8101-01"], absent=["DLA-8102-01"],
              changes={"DLA-8103-01": {"office_phone": "075 999 999", "mobile_phone": "089 999 9999"},
                       "DLA-1202-01": {"status": "active"}})  # a vacancy filled
    run = sync(app)
    assert (run["status"], run["added"], run["changed"], run["removed"]) == ("succeeded", 1, 1, 2), run
    with app.app_context():
        assert registry.officer("DLA-8101-01") is None and registry.officer("DLA-8102-01") is None
        assert registry.officer("DLA-8103-01").office_phone == "075 999 999"
        removed = db.session.scalars(select(Officer).where(Officer.dla_id == "DLA-8101-01")).one()
        assert removed.removed_at is not None  # kept, out of the public pages
        changes = {c.dla_id: c
                   for c in db.session.scalars(select(OfficerChange).where(OfficerChange.run_id == run["id"]))}
        assert changes["DLA-8103-01"].action == "changed"
        assert changes["DLA-8103-01"].old_values["office_phone"] != "075 999 999"
        assert changes["DLA-8103-01"].new_values == {"office_phone": "075 999 999", "mobile_phone": "089 999 9999"}
        assert changes["DLA-8101-01"].action == "removed" and changes["DLA-1202-01"].action == "added"
        officers = registry.province_officers("81")
        assert "8101" not in officers and "8102" not in officers
    # DLA Connect lists them again: they come back on the same rows.
    misbehave(fake, ended=[], absent=[], changes={})
    back = sync(app)
    assert (back["added"], back["changed"], back["removed"]) == (2, 1, 1), back
    with app.app_context():
        assert registry.officer("DLA-8101-01").removed_at is None


def test_a_mass_removal_is_refused(baseline, app, fake):
    everyone = list(snapshot(app)["officers"])
    misbehave(fake, absent=everyone[: len(everyone) // 2])
    before = snapshot(app)
    run = sync(app)
    assert (run["status"], run["error_code"]) == ("failed", "too_many_removals")
    assert snapshot(app) == before


def test_two_syncs_never_run_at_once(baseline, app, fake):
    misbehave(fake, slow_seconds=0.3)
    results, errors = [], []

    def one():
        try:
            results.append(sync(app))
        except SyncBusy as busy:
            errors.append(busy)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 1 and results[0]["status"] == "succeeded"
    assert len(errors) == 1
    with app.app_context():
        assert db.session.get(SyncRun, errors[0].run_id).status == "busy"


def test_a_stale_lock_is_taken_over(baseline, app):
    """A process killed mid-sync leaves its claim behind: respected until it expires, then taken over."""
    with app.app_context():
        dead = SyncRun(status="running", trigger="command", started_by="crashed", started_at=utcnow())
        db.session.add(dead)
        db.session.flush()
        dead_id = dead.id
        db.session.execute(update(SyncLock).values(run_id=dead_id, expires_at=utcnow() + timedelta(minutes=1)))
        db.session.commit()
        with pytest.raises(SyncBusy):
            sync_with_settings(app.config, "command", "too-early")
        db.session.execute(update(SyncLock).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert sync(app)["status"] == "succeeded"
    with app.app_context():
        assert db.session.get(SyncRun, dead_id).error_code == "abandoned"
        assert db.session.get(SyncLock, 1).run_id is None
