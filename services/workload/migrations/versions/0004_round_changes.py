"""round changes: the audit of rounds and catalogs

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 16:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('round_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=False),
    sa.Column('old_values', sa.JSON(), nullable=True),
    sa.Column('new_values', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_round_changes_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_round_changes'))
    )
    with op.batch_alter_table('round_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_round_changes_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_round_changes_round_id'), ['round_id'], unique=False)


def downgrade():
    with op.batch_alter_table('round_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_round_changes_round_id'))
        batch_op.drop_index(batch_op.f('ix_round_changes_at'))
    op.drop_table('round_changes')
