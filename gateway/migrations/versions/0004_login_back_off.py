"""wrong passwords slow further attempts (per account and address, per address) instead of locking the account

The lockout columns users.failed_logins and users.locked_until stay, unused: during a rolling update the
previous version still reads them, and on SQLite dropping a column rebuilds the table, which (foreign keys on)
would cascade to every role and session. A later release drops them once no running version knows them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'login_throttles',
        sa.Column('key', sa.String(200), primary_key=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(), nullable=False),
        sa.Column('not_before', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_login_throttles_last_failure_at', 'login_throttles', ['last_failure_at'])


def downgrade():
    op.drop_index('ix_login_throttles_last_failure_at', 'login_throttles')
    op.drop_table('login_throttles')
