"""officer registry, assignments, history, sync runs and the sync lock

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "officers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dla_id", sa.String(length=40), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=200), nullable=False),
        sa.Column("office_district_code", sa.String(length=4), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.Column("office_phone", sa.String(length=40), nullable=True),
        sa.Column("office_email", sa.String(length=254), nullable=True),
        sa.Column("mobile_phone", sa.String(length=40), nullable=True),
        sa.Column("personal_email", sa.String(length=254), nullable=True),
        sa.Column("photo_url", sa.String(length=500), nullable=True),
        sa.Column("upstream_updated_at", sa.DateTime(), nullable=False),
        sa.Column("search_text", sa.String(length=2000), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officers")),
        sa.UniqueConstraint("dla_id", name=op.f("uq_officers_dla_id")),
    )
    with op.batch_alter_table("officers") as batch_op:
        batch_op.create_index(batch_op.f("ix_officers_province_code"), ["province_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_officers_removed_at"), ["removed_at"], unique=False)
    op.create_table(
        "assignments",
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("district_code", sa.String(length=4), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(["officer_id"], ["officers.id"], name=op.f("fk_assignments_officer_id_officers")),
        sa.PrimaryKeyConstraint("officer_id", "district_code", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_province_code"), ["province_code"], unique=False)
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("rejected", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("error_detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_table(
        "officer_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("dla_id", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("old_values", sa.JSON(), nullable=True),
        sa.Column("new_values", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["sync_runs.id"], name=op.f("fk_officer_changes_run_id_sync_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer_changes")),
    )
    with op.batch_alter_table("officer_changes") as batch_op:
        batch_op.create_index(batch_op.f("ix_officer_changes_run_id"), ["run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_officer_changes_dla_id"), ["dla_id"], unique=False)
    lock = op.create_table(
        "sync_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_lock")),
    )
    op.bulk_insert(lock, [{"id": 1, "run_id": None, "expires_at": None}])


def downgrade():
    op.drop_table("sync_lock")
    op.drop_table("officer_changes")
    op.drop_table("sync_runs")
    op.drop_table("assignments")
    op.drop_table("officers")
