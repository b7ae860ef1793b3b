"""audit index for the hourly record of access: (entity, entity_id, user_id, at)

The first view of a visit in an hour asks whether this user's view of this record is already
recorded this hour. With only (entity, entity_id) and single-column indexes, SQLite chose the
user_id index and read every audit row of a busy user (~39 ms for 81,000 rows). The composite index
answers it with one range scan, and its (entity, entity_id) prefix serves what ix_audit_entity did,
so that one is dropped (one index fewer to write on every audited change).

Revision ID: b41c7e2a9d63
Revises: 7ef5129bd1b1
Create Date: 2026-12-02 06:40:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b41c7e2a9d63'
down_revision = '7ef5129bd1b1'
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE / DROP INDEX (no table rebuild on SQLite; the append-only triggers are untouched).
    op.create_index('ix_audit_entity_user_at', 'audit_event', ['entity', 'entity_id', 'user_id', 'at'], unique=False)
    op.drop_index('ix_audit_entity', table_name='audit_event')


def downgrade():
    op.create_index('ix_audit_entity', 'audit_event', ['entity', 'entity_id'], unique=False)
    op.drop_index('ix_audit_entity_user_at', table_name='audit_event')
