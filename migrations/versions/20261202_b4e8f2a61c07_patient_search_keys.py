"""patient search keys: "family given" and "given family" in lower case, indexed, for the admin's
visit search; the visit list's patient, carried-forward and red-flag indexes cover what those
lists read

Revision ID: b4e8f2a61c07
Revises: b41c7e2a9d63
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = 'b4e8f2a61c07'
down_revision = 'b41c7e2a9d63'
branch_labels = None
depends_on = None

KEY = sa.String(420).with_variant(sa.String(420, collation="C"), "postgresql")
BATCH = 2000
# (name, table, columns at this revision, columns below it): recreated with the columns they cover.
WIDENED = (
    ('ix_visit_patient_date', 'visit', ['patient_id', 'visit_date', 'status'], ['patient_id', 'visit_date']),
    ('ix_visit_section_carried', 'visit_section', ['carried_forward_from', 'visit_id'], ['carried_forward_from']),
)


def _key(*words):
    # fbss_eval.models.patient.search_key as of this revision (a migration keeps its own copy).
    return " ".join(" ".join(words).replace(",", " ").lower().split())


def upgrade():
    # NOT NULL with a constant default: a plain ADD COLUMN on both databases (no table copy).
    op.add_column('patient', sa.Column('search_name', KEY, nullable=False, server_default=sa.text("''")))
    op.add_column('patient', sa.Column('search_given', KEY, nullable=False, server_default=sa.text("''")))
    bind = op.get_bind()
    patient = sa.table('patient', sa.column('id', sa.Integer), sa.column('family_name', sa.String),
                       sa.column('given_name', sa.String), sa.column('search_name', KEY),
                       sa.column('search_given', KEY))
    update = (sa.update(patient).where(patient.c.id == sa.bindparam('pid'))
              .values(search_name=sa.bindparam('name'), search_given=sa.bindparam('given')))
    last = 0
    while True:
        rows = bind.execute(sa.select(patient.c.id, patient.c.family_name, patient.c.given_name)
                            .where(patient.c.id > last).order_by(patient.c.id).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(update, [{'pid': pid, 'name': _key(family, given), 'given': _key(given, family)}
                              for pid, family, given in rows])
        last = rows[-1][0]
    op.create_index('ix_patient_search_name', 'patient', ['search_name'], unique=False)
    op.create_index('ix_patient_search_given', 'patient', ['search_given'], unique=False)
    for name, table, columns, _below in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
    op.create_index('ix_alert_severity_kind', 'alert', ['severity', 'active', 'kind', 'visit_id'], unique=False)


def downgrade():
    op.drop_index('ix_alert_severity_kind', table_name='alert')
    for name, table, _columns, below in WIDENED:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, below, unique=False)
    op.drop_index('ix_patient_search_given', table_name='patient')
    op.drop_index('ix_patient_search_name', table_name='patient')
    # A plain DROP COLUMN on both (SQLite 3.35+): no copy of a table that visits refer to.
    op.execute('ALTER TABLE patient DROP COLUMN search_given')
    op.execute('ALTER TABLE patient DROP COLUMN search_name')
