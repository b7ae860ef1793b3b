"""visit list indexes: the admin's visit filters and review dashboard

Revision ID: 2581249d68ff
Revises: 2d67ec63fbba
Create Date: 2026-12-02 02:20:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '2581249d68ff'
down_revision = '2d67ec63fbba'
branch_labels = None
depends_on = None

INDEXES = (
    ('ix_visit_date_id', 'visit', ['visit_date', 'id', 'status']),
    ('ix_visit_status_date_id', 'visit', ['status', 'visit_date', 'id']),
    ('ix_visit_completeness_date_id', 'visit', ['completeness_pct', 'visit_date', 'id', 'status']),
    ('ix_visit_section_key_status', 'visit_section', ['section_key', 'status', 'visit_id']),
    ('ix_visit_section_carried', 'visit_section', ['carried_forward_from']),
    ('ix_instrument_score_band', 'instrument_score', ['instrument', 'band', 'visit_id']),
    ('ix_finding_category_likelihood', 'finding', ['category', 'likelihood', 'visit_id']),
    ('ix_alert_pending', 'alert', ['acknowledged_at', 'must_acknowledge', 'active', 'severity', 'visit_id']),
)


def upgrade():
    # Plain CREATE INDEX (no table rebuild on SQLite).
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
