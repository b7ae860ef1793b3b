"""alert.earlier_acknowledgement: a red flag acknowledged at an earlier visit and unchanged is
not raised anew

Revision ID: 7ef5129bd1b1
Revises: 573884ffae6c
Create Date: 2026-12-02 02:10:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '7ef5129bd1b1'
down_revision = '573884ffae6c'
branch_labels = None
depends_on = None


def upgrade():
    # A nullable column: a plain ADD COLUMN on both databases (no batch copy of "alert").
    op.add_column('alert', sa.Column('earlier_acknowledgement', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('alert', 'earlier_acknowledgement')
