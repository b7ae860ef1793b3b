"""user.must_change_password: an admin's password reset makes the user choose a new one

Revision ID: 573884ffae6c
Revises: 2581249d68ff
Create Date: 2026-12-02 02:05:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '573884ffae6c'
down_revision = '2581249d68ff'
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN with a server default (no batch copy of "user": foreign keys point at it).
    op.add_column('user', sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(),
                                    nullable=False))


def downgrade():
    op.drop_column('user', 'must_change_password')
