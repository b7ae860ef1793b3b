"""patient and user versions: optimistic locking of the edit forms

Revision ID: 7d3a9c1e5b42
Revises: 5c1e9a7b3d20
Create Date: 2026-12-01 22:40:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7d3a9c1e5b42'
down_revision = '5c1e9a7b3d20'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows start at version 1, as new ones do (the server default).
    for table in ('patient', 'user'):
        op.add_column(table, sa.Column('version_id', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    # A plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of "user" would trip the
    # foreign keys that point at it.
    for table in ('user', 'patient'):
        op.drop_column(table, 'version_id')
