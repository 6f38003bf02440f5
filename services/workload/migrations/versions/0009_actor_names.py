"""audit_log, round_changes: the actor's display name (the SSO's "name" claim) beside the username (#20)

Old rows keep NULL: the history shows their username.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 07:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('audit_log', 'round_changes'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('actor_name', sa.String(length=200), nullable=True))


def downgrade():
    for table in ('audit_log', 'round_changes'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('actor_name')
