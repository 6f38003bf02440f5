"""baseline: the service's database exists and is under Alembic; its tables come with its features

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""
revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
