"""portal items: mark the demo's example items (flask --app portal load-demo), never real content

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("portal_items") as batch:
        batch.add_column(sa.Column("example", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("portal_items") as batch:
        batch.drop_column("example")
