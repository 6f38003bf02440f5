"""A sync from DLA Connect: claim the lock, fetch and validate everything, then apply it all in one
transaction — or change nothing and log why. Readers keep the last good registry throughout."""
import logging
from datetime import timedelta

from sqlalchemy import select, update

from directory import domain
from directory.dlaconnect import DlaConnectClient, DlaConnectError
from directory.domain import OfficerData, SyncRefused
from directory.models import Assignment, Officer, OfficerChange, SyncLock, SyncRun, db
from shared import geography, metrics
from shared.clock import utcnow

log = logging.getLogger("dcc.directory.sync")


class SyncBusy(Exception):
    """Another sync holds the lock."""

    def __init__(self, run_id: int):
        super().__init__("busy")
        self.run_id = run_id


def run_sync(client: DlaConnectClient, trigger: str, started_by: str, lock_seconds: int = 300,
             max_removal_percent: int = 20) -> SyncRun:
    """One sync, logged in sync_runs whatever happens; SyncBusy when another one is running."""
    run = SyncRun(status="running", trigger=trigger, started_by=started_by, started_at=utcnow())
    db.session.add(run)
    db.session.commit()
    if not _claim_lock(run.id, lock_seconds):
        run.status, run.error_code, run.finished_at = "busy", "busy", utcnow()
        db.session.commit()
        metrics.SYNC_RUNS.labels("busy").inc()
        raise SyncBusy(run.id)
    try:
        try:
            snapshot = client.fetch_all()
            _apply(run, snapshot, max_removal_percent / 100)
        except DlaConnectError as error:
            _fail(run, error.code, {"message": error.message, **error.detail}, error.detail.get("rejected", 0))
        except SyncRefused as error:
            _fail(run, error.code, error.detail)
    except Exception:
        db.session.rollback()
        _fail(run, "internal", {"message": "unexpected error; see the service log"})
        metrics.SYNC_RUNS.labels("internal").inc()
        raise
    metrics.SYNC_RUNS.labels(run.status if run.status != "failed" else run.error_code).inc()
    return run


def _claim_lock(run_id: int, lock_seconds: int) -> bool:
    """One conditional UPDATE: free or expired → ours. The database serialises concurrent claims."""
    now = utcnow()
    previous = db.session.execute(select(SyncLock.run_id, SyncLock.expires_at).where(SyncLock.id == 1)).one()
    claimed = db.session.execute(
        update(SyncLock).where(SyncLock.id == 1, (SyncLock.run_id.is_(None)) | (SyncLock.expires_at < now))
        .values(run_id=run_id, expires_at=now + timedelta(seconds=lock_seconds))).rowcount == 1
    if claimed and previous.run_id is not None:
        # Took over an expired lock: that run's process died mid-sync; say so in its log entry.
        db.session.execute(update(SyncRun).where(SyncRun.id == previous.run_id, SyncRun.status == "running")
                           .values(status="failed", error_code="abandoned", finished_at=now))
    db.session.commit()
    return claimed


def _release(run_id: int) -> bool:
    """Inside the caller's transaction: still ours → released, True; someone took it over → False."""
    return db.session.execute(update(SyncLock).where(SyncLock.id == 1, SyncLock.run_id == run_id)
                              .values(run_id=None, expires_at=None)).rowcount == 1


def _fail(run: SyncRun, code: str, detail: dict, rejected: int = 0) -> None:
    db.session.rollback()
    run = db.session.get(SyncRun, run.id)
    run.status, run.error_code, run.error_detail = "failed", code, detail
    run.rejected, run.finished_at = rejected, utcnow()
    _release(run.id)
    db.session.commit()
    log.warning("directory sync %s failed: %s %s", run.id, code, detail.get("message", ""))


def stored_officers() -> tuple[dict[int, Officer], dict[str, OfficerData]]:
    """Every stored officer as a row (removed ones too, so that a returning officer keeps its row)
    and the active ones as domain records, in two statements."""
    rows = {o.id: o for o in db.session.scalars(select(Officer))}
    codes: dict[int, list[str]] = {}
    for officer_id, district in db.session.execute(
            select(Assignment.officer_id, Assignment.district_code)
            .order_by(Assignment.officer_id, Assignment.district_code)):
        codes.setdefault(officer_id, []).append(district)
    active = {}
    for row in rows.values():
        if row.removed_at is not None:
            continue
        active[row.dla_id] = OfficerData(
            dla_id=row.dla_id, full_name=row.full_name, position=row.position,
            office_district_code=row.office_district_code, district_codes=tuple(codes.get(row.id, ())),
            upstream_updated_at=row.upstream_updated_at, office_phone=row.office_phone,
            office_email=row.office_email, mobile_phone=row.mobile_phone,
            personal_email=row.personal_email, photo_url=row.photo_url)
    return rows, active


def _search_text(record: OfficerData) -> str:
    names = [geography.district(c).name_th for c in record.district_codes]
    return domain.search_text(record.full_name, names, geography.province(record.province_code).name_th)


def _columns(record: OfficerData) -> dict:
    return {"full_name": record.full_name, "position": record.position,
            "office_district_code": record.office_district_code, "province_code": record.province_code,
            "office_phone": record.office_phone, "office_email": record.office_email,
            "mobile_phone": record.mobile_phone, "personal_email": record.personal_email,
            "photo_url": record.photo_url, "upstream_updated_at": record.upstream_updated_at,
            "search_text": _search_text(record)}


def _apply(run: SyncRun, snapshot: list[OfficerData], max_removal_fraction: float) -> None:
    rows, active = stored_officers()
    plan = domain.plan_sync(active, snapshot)
    domain.check_removals(len(active), len(plan.removed), max_removal_fraction)
    by_dla_id = {row.dla_id: row for row in rows.values()}
    now = utcnow()
    history: list[dict] = []
    for record in plan.added:
        row = by_dla_id.get(record.dla_id)  # back after a removal: the same row, restored
        if row is None:
            row = Officer(dla_id=record.dla_id, first_seen_at=now, **_columns(record))
            db.session.add(row)
            by_dla_id[record.dla_id] = row
        else:
            for name, value in _columns(record).items():
                setattr(row, name, value)
            row.removed_at = None
        row.changed_at = now
        history.append({"dla_id": record.dla_id, "action": "added", "old_values": None,
                        "new_values": record.values()})
    for before, record in plan.changed:
        row = by_dla_id[record.dla_id]
        for name, value in _columns(record).items():
            setattr(row, name, value)
        row.changed_at = now
        old, new = before.values(), record.values()
        history.append({"dla_id": record.dla_id, "action": "changed",
                        "old_values": {k: v for k, v in old.items() if new[k] != v},
                        "new_values": {k: v for k, v in new.items() if old[k] != v}})
    for before in plan.removed:
        row = by_dla_id[before.dla_id]
        row.removed_at = row.changed_at = now
        history.append({"dla_id": before.dla_id, "action": "removed", "old_values": before.values(),
                        "new_values": None})
    # The search form can change between releases (shared.thai.search_form): unchanged officers'
    # search text is brought in step too, or a search would miss them until DLA Connect changed them.
    for record in snapshot:
        row = by_dla_id.get(record.dla_id)
        if row is not None and row.removed_at is None and row.search_text != (text := _search_text(record)):
            row.search_text = text
    db.session.flush()  # new officers get their ids
    # Assignments are rewritten for officers added or whose districts changed; the rest stay.
    rewritten = [*plan.added,
                 *(after for before, after in plan.changed if before.district_codes != after.district_codes)]
    if rewritten:
        db.session.execute(Assignment.__table__.delete().where(
            Assignment.officer_id.in_([by_dla_id[r.dla_id].id for r in rewritten])))
        db.session.execute(Assignment.__table__.insert(), [
            {"officer_id": by_dla_id[r.dla_id].id, "district_code": code, "province_code": code[:2]}
            for r in rewritten for code in r.district_codes])
    if history:
        db.session.execute(OfficerChange.__table__.insert(), [{"run_id": run.id, **h} for h in history])
    run.status, run.finished_at, run.fetched = "succeeded", utcnow(), len(snapshot)
    run.added, run.changed, run.removed = len(plan.added), len(plan.changed), len(plan.removed)
    if not _release(run.id):
        raise SyncRefused("lock_lost", {"message": "the lock expired and another sync took it over"})
    db.session.commit()
    log.info("directory sync %s: %s fetched, %s added, %s changed, %s removed", run.id, run.fetched,
             run.added, run.changed, run.removed)


def sync_with_settings(config, trigger: str, started_by: str) -> SyncRun:
    """A sync with the app's settings (DIRECTORY_* variables): what the button, the API and the
    scheduled command all call."""
    client = DlaConnectClient.from_config(config)
    try:
        return run_sync(client, trigger, started_by, config["SYNC_LOCK_SECONDS"], config["SYNC_MAX_REMOVAL_PERCENT"])
    finally:
        client.close()
