"""visit_revision (the frozen signed revisions) and the triggers that lock signed visits

Revision ID: 5c1e9a7b3d20
Revises: 7c3e1a9b5d21
Create Date: 2026-12-01 22:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '5c1e9a7b3d20'
down_revision = '7c3e1a9b5d21'
branch_labels = None
depends_on = None

# The trigger SQL as it stood when this revision was written (copied from
# fbss_eval/models/visit_locks.py, not imported, so that a later change there cannot change
# what this migration did).
SIGNED_LOCK_DDL = {'postgresql': ('CREATE OR REPLACE FUNCTION visit_revision_immutable() RETURNS trigger LANGUAGE '
                "plpgsql AS $$ BEGIN RAISE EXCEPTION 'a signed revision is never changed or "
                "deleted'; END $$",
                'CREATE TRIGGER visit_revision_immutable BEFORE UPDATE OR DELETE ON visit_revision '
                'FOR EACH ROW EXECUTE FUNCTION visit_revision_immutable()',
                'CREATE OR REPLACE FUNCTION visit_guard() RETURNS trigger LANGUAGE plpgsql AS $$ '
                "BEGIN IF TG_OP = 'INSERT' THEN   IF NEW.status <> 'draft' THEN RAISE EXCEPTION "
                "'visit status may only move draft -> signed -> amending -> signed'; END IF; "
                "RETURN NEW; END IF; IF TG_OP = 'DELETE' THEN   IF OLD.status <> 'draft' THEN "
                "RAISE EXCEPTION 'visit is signed: amend it to change it'; END IF; RETURN OLD; END "
                "IF; IF OLD.status = 'signed' AND NOT (NEW.status = 'amending' AND (NEW.id, "
                'NEW.patient_id, NEW.clinician_id, NEW.visit_date, NEW.visit_type, '
                'NEW.checklist_version, NEW.revision, NEW.created_at, NEW.signed_by_id, '
                'NEW.signed_at, NEW.signed_pdf, NEW.signed_pdf_sha256, NEW.signature_meaning, '
                'NEW.answers_sha256, NEW.completeness_pct) IS NOT DISTINCT FROM (OLD.id, '
                'OLD.patient_id, OLD.clinician_id, OLD.visit_date, OLD.visit_type, '
                'OLD.checklist_version, OLD.revision, OLD.created_at, OLD.signed_by_id, '
                'OLD.signed_at, OLD.signed_pdf, OLD.signed_pdf_sha256, OLD.signature_meaning, '
                "OLD.answers_sha256, OLD.completeness_pct)) THEN   RAISE EXCEPTION 'visit is "
                "signed: amend it to change it'; END IF; IF (NEW.status IS DISTINCT FROM "
                'OLD.status OR NEW.revision IS DISTINCT FROM OLD.revision) AND NOT ((OLD.status IN '
                "('draft', 'amending') AND NEW.status = 'signed' AND NEW.revision > OLD.revision) "
                "OR (OLD.status = 'signed' AND NEW.status = 'amending' AND NEW.revision = "
                "OLD.revision)) THEN RAISE EXCEPTION 'visit status may only move draft -> signed "
                "-> amending -> signed'; END IF; RETURN NEW; END $$",
                'CREATE TRIGGER visit_guard BEFORE INSERT OR UPDATE OR DELETE ON visit FOR EACH '
                'ROW EXECUTE FUNCTION visit_guard()',
                'CREATE OR REPLACE FUNCTION signed_visit_child_guard() RETURNS trigger LANGUAGE '
                "plpgsql AS $$ BEGIN IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM visit WHERE "
                "id = OLD.visit_id AND status = 'signed')) OR (TG_OP <> 'DELETE' AND EXISTS "
                "(SELECT 1 FROM visit WHERE id = NEW.visit_id AND status = 'signed')) THEN RAISE "
                "EXCEPTION USING MESSAGE = TG_TABLE_NAME || ': visit is signed: amend it to change "
                "it'; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
                'CREATE TRIGGER visit_section_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON '
                'visit_section FOR EACH ROW EXECUTE FUNCTION signed_visit_child_guard()',
                'CREATE TRIGGER alert_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON alert FOR '
                'EACH ROW EXECUTE FUNCTION signed_visit_child_guard()',
                'CREATE TRIGGER instrument_score_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON '
                'instrument_score FOR EACH ROW EXECUTE FUNCTION signed_visit_child_guard()',
                'CREATE TRIGGER finding_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON finding '
                'FOR EACH ROW EXECUTE FUNCTION signed_visit_child_guard()'),
 'sqlite': ('CREATE TRIGGER visit_revision_no_update BEFORE UPDATE ON visit_revision BEGIN SELECT '
            "RAISE(ABORT, 'a signed revision is never changed or deleted'); END",
            'CREATE TRIGGER visit_revision_no_delete BEFORE DELETE ON visit_revision BEGIN SELECT '
            "RAISE(ABORT, 'a signed revision is never changed or deleted'); END",
            'CREATE TRIGGER visit_inserted_as_draft BEFORE INSERT ON visit WHEN NEW.status <> '
            "'draft' BEGIN SELECT RAISE(ABORT, 'visit status may only move draft -> signed -> "
            "amending -> signed'); END",
            "CREATE TRIGGER visit_signed_locked BEFORE UPDATE ON visit WHEN OLD.status = 'signed' "
            "AND NOT (NEW.status = 'amending' AND NEW.id IS OLD.id AND NEW.patient_id IS "
            'OLD.patient_id AND NEW.clinician_id IS OLD.clinician_id AND NEW.visit_date IS '
            'OLD.visit_date AND NEW.visit_type IS OLD.visit_type AND NEW.checklist_version IS '
            'OLD.checklist_version AND NEW.revision IS OLD.revision AND NEW.created_at IS '
            'OLD.created_at AND NEW.signed_by_id IS OLD.signed_by_id AND NEW.signed_at IS '
            'OLD.signed_at AND NEW.signed_pdf IS OLD.signed_pdf AND NEW.signed_pdf_sha256 IS '
            'OLD.signed_pdf_sha256 AND NEW.signature_meaning IS OLD.signature_meaning AND '
            'NEW.answers_sha256 IS OLD.answers_sha256 AND NEW.completeness_pct IS '
            "OLD.completeness_pct) BEGIN SELECT RAISE(ABORT, 'visit is signed: amend it to change "
            "it'); END",
            'CREATE TRIGGER visit_transition BEFORE UPDATE ON visit WHEN (NEW.status IS NOT '
            "OLD.status OR NEW.revision IS NOT OLD.revision) AND NOT ((OLD.status IN ('draft', "
            "'amending') AND NEW.status = 'signed' AND NEW.revision > OLD.revision) OR (OLD.status "
            "= 'signed' AND NEW.status = 'amending' AND NEW.revision = OLD.revision)) BEGIN SELECT "
            "RAISE(ABORT, 'visit status may only move draft -> signed -> amending -> signed'); END",
            'CREATE TRIGGER visit_signed_no_delete BEFORE DELETE ON visit WHEN OLD.status <> '
            "'draft' BEGIN SELECT RAISE(ABORT, 'visit is signed: amend it to change it'); END",
            'CREATE TRIGGER visit_section_signed_no_insert BEFORE INSERT ON visit_section WHEN '
            "(SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT "
            "RAISE(ABORT, 'visit_section: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER visit_section_signed_no_update BEFORE UPDATE ON visit_section WHEN '
            "(SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM "
            "visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'visit_section: "
            "visit is signed: amend it to change it'); END",
            'CREATE TRIGGER visit_section_signed_no_delete BEFORE DELETE ON visit_section WHEN '
            "(SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT "
            "RAISE(ABORT, 'visit_section: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER alert_signed_no_insert BEFORE INSERT ON alert WHEN (SELECT status FROM '
            "visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'alert: visit is "
            "signed: amend it to change it'); END",
            'CREATE TRIGGER alert_signed_no_update BEFORE UPDATE ON alert WHEN (SELECT status FROM '
            "visit WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visit WHERE id = "
            "NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'alert: visit is signed: amend it "
            "to change it'); END",
            'CREATE TRIGGER alert_signed_no_delete BEFORE DELETE ON alert WHEN (SELECT status FROM '
            "visit WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'alert: visit is "
            "signed: amend it to change it'); END",
            'CREATE TRIGGER instrument_score_signed_no_insert BEFORE INSERT ON instrument_score '
            "WHEN (SELECT status FROM visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT "
            "RAISE(ABORT, 'instrument_score: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER instrument_score_signed_no_update BEFORE UPDATE ON instrument_score '
            "WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed' OR (SELECT status "
            "FROM visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, "
            "'instrument_score: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER instrument_score_signed_no_delete BEFORE DELETE ON instrument_score '
            "WHEN (SELECT status FROM visit WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT "
            "RAISE(ABORT, 'instrument_score: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER finding_signed_no_insert BEFORE INSERT ON finding WHEN (SELECT status '
            "FROM visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'finding: "
            "visit is signed: amend it to change it'); END",
            'CREATE TRIGGER finding_signed_no_update BEFORE UPDATE ON finding WHEN (SELECT status '
            "FROM visit WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visit WHERE id "
            "= NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'finding: visit is signed: amend "
            "it to change it'); END",
            'CREATE TRIGGER finding_signed_no_delete BEFORE DELETE ON finding WHEN (SELECT status '
            "FROM visit WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'finding: "
            "visit is signed: amend it to change it'); END")}
DROP_SIGNED_LOCK_DDL = {'postgresql': ('DROP TRIGGER IF EXISTS visit_section_signed_guard ON visit_section',
                'DROP TRIGGER IF EXISTS alert_signed_guard ON alert',
                'DROP TRIGGER IF EXISTS instrument_score_signed_guard ON instrument_score',
                'DROP TRIGGER IF EXISTS finding_signed_guard ON finding',
                'DROP FUNCTION IF EXISTS signed_visit_child_guard()',
                'DROP TRIGGER IF EXISTS visit_guard ON visit',
                'DROP FUNCTION IF EXISTS visit_guard()',
                'DROP TRIGGER IF EXISTS visit_revision_immutable ON visit_revision',
                'DROP FUNCTION IF EXISTS visit_revision_immutable()'),
 'sqlite': ('DROP TRIGGER IF EXISTS visit_revision_no_update',
            'DROP TRIGGER IF EXISTS visit_revision_no_delete',
            'DROP TRIGGER IF EXISTS visit_inserted_as_draft',
            'DROP TRIGGER IF EXISTS visit_signed_locked',
            'DROP TRIGGER IF EXISTS visit_transition',
            'DROP TRIGGER IF EXISTS visit_signed_no_delete',
            'DROP TRIGGER IF EXISTS visit_section_signed_no_insert',
            'DROP TRIGGER IF EXISTS visit_section_signed_no_update',
            'DROP TRIGGER IF EXISTS visit_section_signed_no_delete',
            'DROP TRIGGER IF EXISTS alert_signed_no_insert',
            'DROP TRIGGER IF EXISTS alert_signed_no_update',
            'DROP TRIGGER IF EXISTS alert_signed_no_delete',
            'DROP TRIGGER IF EXISTS instrument_score_signed_no_insert',
            'DROP TRIGGER IF EXISTS instrument_score_signed_no_update',
            'DROP TRIGGER IF EXISTS instrument_score_signed_no_delete',
            'DROP TRIGGER IF EXISTS finding_signed_no_insert',
            'DROP TRIGGER IF EXISTS finding_signed_no_update',
            'DROP TRIGGER IF EXISTS finding_signed_no_delete')}


def upgrade():
    op.create_table('visit_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('meaning', sa.String(length=12), nullable=False),
    sa.Column('amendment_reason', sa.Text(), nullable=True),
    sa.Column('checklist_version', sa.String(length=20), nullable=False),
    sa.Column('answers_json', sa.Text(), nullable=False),
    sa.Column('answers_sha256', sa.String(length=64), nullable=False),
    sa.Column('summary_pdf', sa.LargeBinary(), nullable=False),
    sa.Column('summary_pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('record_pdf', sa.LargeBinary(), nullable=False),
    sa.Column('record_pdf_sha256', sa.String(length=64), nullable=False),
    sa.CheckConstraint("meaning in ('authored', 'reviewed')", name=op.f('ck_visit_revision_meaning_valid')),
    sa.CheckConstraint('revision = 1 OR amendment_reason IS NOT NULL', name=op.f('ck_visit_revision_amendment_has_reason')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_visit_revision_revision_positive')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['user.id'], name=op.f('fk_visit_revision_signed_by_id_user')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_revision_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_revision')),
    sa.UniqueConstraint('visit_id', 'revision', name='uq_visit_revision_number')
    )
    with op.batch_alter_table('visit_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_revision_visit_id'), ['visit_id'], unique=False)

    op.add_column('visit', sa.Column('signature_meaning', sa.String(length=12), nullable=True))
    op.add_column('visit', sa.Column('answers_sha256', sa.String(length=64), nullable=True))
    op.add_column('visit', sa.Column('amendment_reason', sa.Text(), nullable=True))

    dialect = op.get_bind().dialect.name
    # A signed visit has revision >= 1: the triggers below hold it on both databases (a visit is
    # inserted as a draft with revision 0, and signing must raise the revision).
    for statement in SIGNED_LOCK_DDL.get(dialect, ()):
        op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    for statement in DROP_SIGNED_LOCK_DDL.get(dialect, ()):
        op.execute(statement)
    with op.batch_alter_table('visit_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_revision_visit_id'))

    op.drop_table('visit_revision')
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35), never a batch rebuild of the visit
    # table: with foreign keys on, dropping the old table would cascade-delete every section.
    for column in ('amendment_reason', 'answers_sha256', 'signature_meaning'):
        op.drop_column('visit', column)
