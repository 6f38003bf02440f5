"""The directory service's tables: the officer registry, its history, and the log of syncs."""
from shared.clock import utcnow
from shared.db import make_db

db = make_db()


class Officer(db.Model):
    """One person DLA Connect lists as ผอ.กง.ทอ.; soft-removed when the assignment ends upstream."""
    __tablename__ = "officers"

    id = db.Column(db.Integer, primary_key=True)
    dla_id = db.Column(db.String(40), nullable=False, unique=True)
    full_name = db.Column(db.String(200), nullable=False)
    position = db.Column(db.String(200), nullable=False)
    office_district_code = db.Column(db.String(4), nullable=False)
    province_code = db.Column(db.String(2), nullable=False, index=True)
    office_phone = db.Column(db.String(40))
    office_email = db.Column(db.String(254))
    mobile_phone = db.Column(db.String(40))  # staff only (PDPA)
    personal_email = db.Column(db.String(254))  # staff only (PDPA)
    photo_url = db.Column(db.String(500))
    upstream_updated_at = db.Column(db.DateTime, nullable=False)
    # Normalised name, districts and province without spaces, so that search is one LIKE per term.
    search_text = db.Column(db.String(2000), nullable=False)
    first_seen_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    changed_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    removed_at = db.Column(db.DateTime, index=True)


class Assignment(db.Model):
    """A district an officer is assigned to (one officer may cover several districts)."""
    __tablename__ = "assignments"

    officer_id = db.Column(db.Integer, db.ForeignKey("officers.id"), primary_key=True)
    district_code = db.Column(db.String(4), primary_key=True)
    province_code = db.Column(db.String(2), nullable=False, index=True)


class OfficerChange(db.Model):
    """History: what each sync added, changed or removed, with the values before and after."""
    __tablename__ = "officer_changes"

    id = db.Column(db.Integer, primary_key=True)
    run_id = db.Column(db.Integer, db.ForeignKey("sync_runs.id"), nullable=False, index=True)
    dla_id = db.Column(db.String(40), nullable=False, index=True)
    action = db.Column(db.String(16), nullable=False)  # added, changed, removed
    old_values = db.Column(db.JSON)
    new_values = db.Column(db.JSON)


class SyncRun(db.Model):
    """One sync from DLA Connect, whatever its outcome, with its counts and what failed."""
    __tablename__ = "sync_runs"

    id = db.Column(db.Integer, primary_key=True)
    status = db.Column(db.String(16), nullable=False)  # running, succeeded, failed, busy
    trigger = db.Column(db.String(16), nullable=False)  # page, api, command
    started_by = db.Column(db.String(64), nullable=False)
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    finished_at = db.Column(db.DateTime)
    fetched = db.Column(db.Integer, nullable=False, default=0)
    added = db.Column(db.Integer, nullable=False, default=0)
    changed = db.Column(db.Integer, nullable=False, default=0)
    removed = db.Column(db.Integer, nullable=False, default=0)
    rejected = db.Column(db.Integer, nullable=False, default=0)
    error_code = db.Column(db.String(32))
    error_detail = db.Column(db.JSON)  # {"page": 3, "records": [{"index": .., "id": .., "errors": {..}}]}


class SyncLock(db.Model):
    """A single row: the run holding the sync, until when. Claimed with one conditional UPDATE, which
    serialises syncs across gunicorn processes on SQLite and PostgreSQL alike; an expired claim
    (a process killed mid-sync) is simply taken over."""
    __tablename__ = "sync_lock"

    id = db.Column(db.Integer, primary_key=True)
    run_id = db.Column(db.Integer)
    expires_at = db.Column(db.DateTime)
