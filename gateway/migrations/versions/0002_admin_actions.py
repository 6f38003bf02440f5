"""SSO admin: forced password change and the log of admin actions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('admin_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_admin_actions_at', 'admin_actions', ['at'])
    op.create_index('ix_admin_actions_province_code', 'admin_actions', ['province_code'])


def downgrade():
    op.drop_index('ix_admin_actions_province_code', table_name='admin_actions')
    op.drop_index('ix_admin_actions_at', table_name='admin_actions')
    op.drop_table('admin_actions')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('must_change_password')
