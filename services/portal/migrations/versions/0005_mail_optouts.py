"""notifications: each user's e-mail turned off per kind; room for "user:<name>" as a mail's recipient

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 07:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "portal_mail_optouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portal_mail_optouts")),
        sa.UniqueConstraint("username", "kind", name="uq_portal_mail_optouts_username_kind"),
    )
    with op.batch_alter_table("portal_mail") as batch:
        batch.alter_column("recipient", existing_type=sa.String(length=64), type_=sa.String(length=80),
                           existing_nullable=False)


def downgrade():
    with op.batch_alter_table("portal_mail") as batch:
        batch.alter_column("recipient", existing_type=sa.String(length=80), type_=sa.String(length=64),
                           existing_nullable=False)
    op.drop_table("portal_mail_optouts")
