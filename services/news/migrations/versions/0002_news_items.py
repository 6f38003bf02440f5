"""news items: drafts, approval states, images and the transitions of each item

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:51:50.262100
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('news_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=36), nullable=False),
    sa.Column('district_code', sa.String(length=4), nullable=False),
    sa.Column('province_code', sa.String(length=2), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('activity_date', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('publish_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('attachment_file', sa.String(length=64), nullable=True),
    sa.Column('attachment_name', sa.String(length=200), nullable=True),
    sa.Column('attachment_size', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_items')),
    sa.UniqueConstraint('public_id', name=op.f('uq_news_items_public_id'))
    )
    with op.batch_alter_table('news_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_items_district_code'), ['district_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_news_items_province_code'), ['province_code'], unique=False)
        batch_op.create_index('ix_news_items_state_publish_at', ['state', 'publish_at'], unique=False)

    op.create_table('news_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('from_state', sa.String(length=16), nullable=True),
    sa.Column('to_state', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['news_items.id'], name=op.f('fk_news_events_item_id_news_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_events'))
    )
    with op.batch_alter_table('news_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_events_item_id'), ['item_id'], unique=False)

    op.create_table('news_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('file', sa.String(length=64), nullable=False),
    sa.Column('thumb_file', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['news_items.id'], name=op.f('fk_news_images_item_id_news_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_news_images')),
    sa.UniqueConstraint('file', name=op.f('uq_news_images_file')),
    sa.UniqueConstraint('thumb_file', name=op.f('uq_news_images_thumb_file'))
    )
    with op.batch_alter_table('news_images', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_news_images_item_id'), ['item_id'], unique=False)



def downgrade():
    with op.batch_alter_table('news_images', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_images_item_id'))

    op.drop_table('news_images')
    with op.batch_alter_table('news_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_news_events_item_id'))

    op.drop_table('news_events')
    with op.batch_alter_table('news_items', schema=None) as batch_op:
        batch_op.drop_index('ix_news_items_state_publish_at')
        batch_op.drop_index(batch_op.f('ix_news_items_province_code'))
        batch_op.drop_index(batch_op.f('ix_news_items_district_code'))

    op.drop_table('news_items')
