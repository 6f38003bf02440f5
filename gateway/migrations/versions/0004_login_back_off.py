"""wrong passwords slow further attempts (per account and address, per address) instead of locking the account

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
    with op.batch_alter_table('users') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.drop_index('ix_login_throttles_last_failure_at', 'login_throttles')
    op.drop_table('login_throttles')
