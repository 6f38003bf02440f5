"""reminder days: how many days before a round's window closes the districts behind are reminded

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.String(length=40), nullable=False,
                                      server_default='14,7,3,1'))


def downgrade():
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('reminder_days')
