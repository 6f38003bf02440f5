"""The workload service's tables: rounds, their question catalog, district records and the audit trail."""
from shared.clock import utcnow
from shared.db import make_db
from shared.outbox import Outbox

db = make_db()


class Round(db.Model):
    """One fiscal year (Buddhist Era) with its recording window and workload parameters."""
    __tablename__ = "rounds"

    id = db.Column(db.Integer, primary_key=True)
    fiscal_year = db.Column(db.Integer, nullable=False, unique=True)
    opens_at = db.Column(db.DateTime, nullable=False)
    closes_at = db.Column(db.DateTime, nullable=False)
    hours_per_day = db.Column(db.Float, nullable=False, default=7.0)
    days_per_year = db.Column(db.Integer, nullable=False, default=230)
    # How many days before closing the districts (and provinces) that are behind are reminded (workload.reminders).
    reminder_days = db.Column(db.String(40), nullable=False, default="14,7,3,1", server_default="14,7,3,1")
    # An answer is flagged when it is more than `factor` times off the previous round, unless both years
    # are below `floor` hours per year for that question (domain.implausible).
    plausibility_factor = db.Column(db.Float, nullable=False, default=10.0, server_default="10")
    plausibility_floor = db.Column(db.Float, nullable=False, default=40.0, server_default="40")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (db.UniqueConstraint("round_id", "code"),)

    id = db.Column(db.Integer, primary_key=True)
    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id"), nullable=False, index=True)
    aspect = db.Column(db.Integer, nullable=False)
    code = db.Column(db.String(16), nullable=False)
    detail = db.Column(db.String(500), nullable=False)
    unit = db.Column(db.String(50), nullable=False)
    position = db.Column(db.Integer, nullable=False)
    retired_at = db.Column(db.DateTime)  # retired questions leave the form but keep their answers


class Record(db.Model):
    """One district's record of one round: its contact data; answers and custom rows hang off it."""
    __tablename__ = "records"
    __table_args__ = (db.UniqueConstraint("round_id", "district_code"),)

    id = db.Column(db.Integer, primary_key=True)
    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id"), nullable=False)
    district_code = db.Column(db.String(4), nullable=False)
    province_code = db.Column(db.String(2), nullable=False, index=True)
    office_address = db.Column(db.String(500))
    office_phone = db.Column(db.String(32))
    person_name = db.Column(db.String(200))
    person_mobile = db.Column(db.String(32))
    person_email = db.Column(db.String(254))
    responsible_districts = db.Column(db.String(400))  # DOPA codes, comma-separated, own first
    contact_version = db.Column(db.Integer, nullable=False, default=0)
    contact_saved_at = db.Column(db.DateTime)
    confirmed_at = db.Column(db.DateTime)  # the province's final confirmation (part 2)
    confirmed_by = db.Column(db.String(64))
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class AspectSave(db.Model):
    """The version of one aspect of a record, so that two tabs cannot silently overwrite each other."""
    __tablename__ = "aspect_saves"

    record_id = db.Column(db.Integer, db.ForeignKey("records.id"), primary_key=True)
    aspect = db.Column(db.Integer, primary_key=True)
    version = db.Column(db.Integer, nullable=False)
    saved_at = db.Column(db.DateTime, nullable=False)
    saved_by = db.Column(db.String(64), nullable=False)


class AnswerRow(db.Model):
    __tablename__ = "answers"

    record_id = db.Column(db.Integer, db.ForeignKey("records.id"), primary_key=True)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id"), primary_key=True, index=True)
    volume = db.Column(db.Integer, nullable=False)
    days = db.Column(db.Integer, nullable=False)
    hours = db.Column(db.Float, nullable=False)


class CustomRow(db.Model):
    """ข้อมูลเฉพาะ สถอ.: work outside the eight aspects."""
    __tablename__ = "custom_rows"

    id = db.Column(db.Integer, primary_key=True)
    record_id = db.Column(db.Integer, db.ForeignKey("records.id"), nullable=False, index=True)
    detail = db.Column(db.String(500), nullable=False)
    unit = db.Column(db.String(50), nullable=False)
    volume = db.Column(db.Integer, nullable=False)
    days = db.Column(db.Integer, nullable=False)
    hours = db.Column(db.Float, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class AuditEntry(db.Model):
    """Every save and delete: who, when, which record, the old and the new values."""
    __tablename__ = "audit_log"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)
    actor = db.Column(db.String(64), nullable=False)
    actor_name = db.Column(db.String(200))  # the person's display name; NULL on rows older than 0009
    record_id = db.Column(db.Integer, db.ForeignKey("records.id"), nullable=False, index=True)
    action = db.Column(db.String(32), nullable=False)
    target = db.Column(db.String(32), nullable=False)
    old_values = db.Column(db.JSON)
    new_values = db.Column(db.JSON)

    @property
    def who(self) -> str:
        """Whom the history names: the person, or the username on rows written before names were kept."""
        return self.actor_name or self.actor


class Correction(db.Model):
    """ส่งกลับแก้ไข: the province asks a district to correct one aspect; cleared when it saves it again."""
    __tablename__ = "corrections"

    id = db.Column(db.Integer, primary_key=True)
    record_id = db.Column(db.Integer, db.ForeignKey("records.id"), nullable=False, index=True)
    aspect = db.Column(db.Integer, nullable=False)
    reason = db.Column(db.String(500), nullable=False)
    requested_by = db.Column(db.String(64), nullable=False)
    requested_at = db.Column(db.DateTime, nullable=False)
    cleared_at = db.Column(db.DateTime)


class RoundChange(db.Model):
    """Every change of a round or its catalog: who, when, what, before → after (listed on the rounds page)."""
    __tablename__ = "round_changes"

    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor = db.Column(db.String(64), nullable=False)
    actor_name = db.Column(db.String(200))  # the person's display name; NULL on rows older than 0009
    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id"), nullable=False, index=True)
    action = db.Column(db.String(32), nullable=False)
    target = db.Column(db.String(64), nullable=False, default="")
    old_values = db.Column(db.JSON)
    new_values = db.Column(db.JSON)

    @property
    def who(self) -> str:
        """Whom the history names: the person, or the username on rows written before names were kept."""
        return self.actor_name or self.actor


# Events for the portal's notifications, written in the transaction of the change (shared.outbox).
outbox = Outbox(db, "workload")


class ImportPreview(db.Model):
    """An uploaded workbook's preview (imports.py): kept in the database so that any instance can apply it,
    for its uploader only, until it expires."""
    __tablename__ = "import_previews"

    id = db.Column(db.String(32), primary_key=True)  # random: the preview's address
    round_id = db.Column(db.Integer, db.ForeignKey("rounds.id"), nullable=False)
    district_code = db.Column(db.String(4), nullable=False)
    uploader = db.Column(db.String(64), nullable=False)
    file_name = db.Column(db.String(200), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False)
    expires_at = db.Column(db.DateTime, nullable=False, index=True)
    applied_at = db.Column(db.DateTime)
    changes = db.Column(db.JSON, nullable=False)  # what the preview shows
    errors = db.Column(db.JSON, nullable=False)
    plan = db.Column(db.JSON, nullable=False)  # what apply saves
