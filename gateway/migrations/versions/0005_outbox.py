"""outbox: the events the SSO tells the portal about (shared.outbox)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 07:05:00
"""
from alembic import op

from shared.migrations import create_outbox_table

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    create_outbox_table(op)


def downgrade():
    op.drop_table('outbox_events')
