"""rounds, catalog, records, answers, custom rows, audit log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 07:55:18.011231
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('hours_per_day', sa.Float(), nullable=False),
    sa.Column('days_per_year', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rounds')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_rounds_fiscal_year'))
    )
    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('aspect', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_questions_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions')),
    sa.UniqueConstraint('round_id', 'code', name=op.f('uq_questions_round_id'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_round_id'), ['round_id'], unique=False)

    op.create_table('records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('office_address', sa.String(length=500), nullable=True),
    sa.Column('office_phone', sa.String(length=32), nullable=True),
    sa.Column('person_name', sa.String(length=200), nullable=True),
    sa.Column('person_mobile', sa.String(length=32), nullable=True),
    sa.Column('person_email', sa.String(length=254), nullable=True),
    sa.Column('responsible_districts', sa.String(length=400), nullable=True),
    sa.Column('contact_version', sa.Integer(), nullable=False),
    sa.Column('contact_saved_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['rounds.id'], name=op.f('fk_records_round_id_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_records')),
    sa.UniqueConstraint('round_id', 'district_code', name=op.f('uq_records_round_id'))
    )
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_records_province_code'), ['province_code'], unique=False)

    op.create_table('answers',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('volume', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_answers_question_id_questions')),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_answers_record_id_records')),
    sa.PrimaryKeyConstraint('record_id', 'question_id', name=op.f('pk_answers'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answers_question_id'), ['question_id'], unique=False)

    op.create_table('aspect_saves',
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('aspect', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('saved_by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_aspect_saves_record_id_records')),
    sa.PrimaryKeyConstraint('record_id', 'aspect', name=op.f('pk_aspect_saves'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=32), nullable=False),
    sa.Column('old_values', sa.JSON(), nullable=True),
    sa.Column('new_values', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_audit_log_record_id_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_record_id'), ['record_id'], unique=False)

    op.create_table('custom_rows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('volume', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], name=op.f('fk_custom_rows_record_id_records')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_rows'))
    )
    with op.batch_alter_table('custom_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_custom_rows_record_id'), ['record_id'], unique=False)



def downgrade():
    with op.batch_alter_table('custom_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_custom_rows_record_id'))

    op.drop_table('custom_rows')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_record_id'))

    op.drop_table('audit_log')
    op.drop_table('aspect_saves')
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answers_question_id'))

    op.drop_table('answers')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_records_province_code'))

    op.drop_table('records')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questions_round_id'))

    op.drop_table('questions')
    op.drop_table('rounds')
