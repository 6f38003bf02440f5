"""outbox: the events the news service tells the portal about (shared.outbox)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 07:00:00
"""
from alembic import op

from shared.migrations import create_outbox_table

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    create_outbox_table(op)


def downgrade():
    op.drop_table('outbox_events')
