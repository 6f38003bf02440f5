"""import previews: an uploaded workbook's changes until applied or expired

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_previews',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('uploader', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('applied_at', sa.DateTime(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('plan', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_import_previews_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_previews'))
    )
    with op.batch_alter_table('import_previews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_previews_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('import_previews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_previews_expires_at'))
    op.drop_table('import_previews')
