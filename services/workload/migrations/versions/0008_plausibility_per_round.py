"""rounds: the plausibility check's factor and floor, set by the central office per round (#20)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.add_column(sa.Column('plausibility_factor', sa.Float(), nullable=False, server_default='10'))
        batch.add_column(sa.Column('plausibility_floor', sa.Float(), nullable=False, server_default='40'))


def downgrade():
    with op.batch_alter_table('rounds') as batch:
        batch.drop_column('plausibility_floor')
        batch.drop_column('plausibility_factor')
