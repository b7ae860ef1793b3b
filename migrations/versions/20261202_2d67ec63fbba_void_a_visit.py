"""void a visit: the voided status, who voided it, when and why, and the locks that allow the void
transition (on a signed visit too) and nothing after it

Revision ID: 2d67ec63fbba
Revises: 973d7a1c3b38
Create Date: 2026-12-02 02:10:00

"""
from alembic import op
import sqlalchemy as sa

# revision identifiers, used by Alembic.
revision = '2d67ec63fbba'
down_revision = '973d7a1c3b38'
branch_labels = None
depends_on = None

# The visit table's check constraints before and after (SQLite stores them as written).
CHECKS = (
    ('ck_visit_status_valid',
     "status in ('draft', 'signed', 'amending')",
     "status in ('draft', 'signed', 'amending', 'voided')"),
    ('ck_visit_signed_has_signer',
     "status = 'draft' OR (signed_at IS NOT NULL AND signed_by_id IS NOT NULL)",
     "status in ('draft', 'voided') OR (signed_at IS NOT NULL AND signed_by_id IS NOT NULL)"),
)
VOID_COMPLETE = (
    "(status = 'voided' AND voided_at IS NOT NULL AND voided_by_id IS NOT NULL AND void_reason IS NOT NULL)"
    " OR (status <> 'voided' AND voided_at IS NULL AND voided_by_id IS NULL AND void_reason IS NULL)"
)
# Added to the end of SQLite's CREATE TABLE text of visit (and taken away again on downgrade).
SQLITE_ADDED = (
    f", \n\tCONSTRAINT ck_visit_void_complete CHECK ({VOID_COMPLETE}), "
    "\n\tCONSTRAINT fk_visit_voided_by_id_user FOREIGN KEY(voided_by_id) REFERENCES user (id)"
)

# The trigger SQL as it stood when this revision was written (copied from
# fbss_eval/models/visit_locks.py, not imported, so that a later change there cannot change
# what this migration did); and, for the downgrade, as 5c1e9a7b3d20 installed it.
SIGNED_LOCK_DDL = {'postgresql': ('CREATE OR REPLACE FUNCTION visit_revision_immutable() RETURNS trigger LANGUAGE plpgsql AS '
                "$$ BEGIN RAISE EXCEPTION 'a signed revision is never changed or deleted'; END $$",
                'CREATE TRIGGER visit_revision_immutable BEFORE UPDATE OR DELETE ON visit_revision FOR EACH '
                'ROW EXECUTE FUNCTION visit_revision_immutable()',
                'CREATE OR REPLACE FUNCTION visit_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF '
                "TG_OP = 'INSERT' THEN   IF NEW.status <> 'draft' THEN RAISE EXCEPTION 'visit status may "
                "only move draft -> signed -> amending -> signed, or to voided'; END IF; RETURN NEW; END IF; "
                "IF TG_OP = 'DELETE' THEN   IF OLD.status <> 'draft' THEN RAISE EXCEPTION 'visit is signed: "
                "amend it to change it'; END IF; RETURN OLD; END IF; IF OLD.status = 'voided' THEN RAISE "
                "EXCEPTION 'visit is voided: it is never changed'; END IF; IF OLD.status = 'signed' AND NOT "
                "((NEW.status = 'amending' AND (NEW.id, NEW.patient_id, NEW.clinician_id, NEW.visit_date, "
                'NEW.visit_type, NEW.checklist_version, NEW.revision, NEW.created_at, NEW.signed_by_id, '
                'NEW.signed_at, NEW.signed_pdf, NEW.signed_pdf_sha256, NEW.signature_meaning, '
                'NEW.answers_sha256, NEW.completeness_pct) IS NOT DISTINCT FROM (OLD.id, OLD.patient_id, '
                'OLD.clinician_id, OLD.visit_date, OLD.visit_type, OLD.checklist_version, OLD.revision, '
                'OLD.created_at, OLD.signed_by_id, OLD.signed_at, OLD.signed_pdf, OLD.signed_pdf_sha256, '
                "OLD.signature_meaning, OLD.answers_sha256, OLD.completeness_pct)) OR (NEW.status = 'voided' "
                'AND (NEW.id, NEW.patient_id, NEW.clinician_id, NEW.visit_date, NEW.visit_type, '
                'NEW.checklist_version, NEW.revision, NEW.created_at, NEW.signed_by_id, NEW.signed_at, '
                'NEW.signed_pdf, NEW.signed_pdf_sha256, NEW.signature_meaning, NEW.answers_sha256, '
                'NEW.completeness_pct) IS NOT DISTINCT FROM (OLD.id, OLD.patient_id, OLD.clinician_id, '
                'OLD.visit_date, OLD.visit_type, OLD.checklist_version, OLD.revision, OLD.created_at, '
                'OLD.signed_by_id, OLD.signed_at, OLD.signed_pdf, OLD.signed_pdf_sha256, '
                'OLD.signature_meaning, OLD.answers_sha256, OLD.completeness_pct) AND NEW.amendment_reason '
                "IS NOT DISTINCT FROM OLD.amendment_reason)) THEN   RAISE EXCEPTION 'visit is signed: amend "
                "it to change it'; END IF; IF (NEW.status IS DISTINCT FROM OLD.status OR NEW.revision IS "
                "DISTINCT FROM OLD.revision) AND NOT ((OLD.status IN ('draft', 'amending') AND NEW.status = "
                "'signed' AND NEW.revision > OLD.revision) OR (OLD.status = 'signed' AND NEW.status = "
                "'amending' AND NEW.revision = OLD.revision) OR (OLD.status IN ('draft', 'signed', "
                "'amending') AND NEW.status = 'voided' AND NEW.revision = OLD.revision)) THEN RAISE "
                "EXCEPTION 'visit status may only move draft -> signed -> amending -> signed, or to voided'; "
                'END IF; RETURN NEW; END $$',
                'CREATE TRIGGER visit_guard BEFORE INSERT OR UPDATE OR DELETE ON visit FOR EACH ROW EXECUTE '
                'FUNCTION visit_guard()',
                'CREATE OR REPLACE FUNCTION signed_visit_child_guard() RETURNS trigger LANGUAGE plpgsql AS '
                "$$ BEGIN IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM visit WHERE id = OLD.visit_id AND "
                "status = 'signed')) OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM visit WHERE id = "
                "NEW.visit_id AND status = 'signed')) THEN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || "
                "': visit is signed: amend it to change it'; END IF; IF (TG_OP <> 'INSERT' AND EXISTS "
                "(SELECT 1 FROM visit WHERE id = OLD.visit_id AND status = 'voided')) OR (TG_OP <> 'DELETE' "
                "AND EXISTS (SELECT 1 FROM visit WHERE id = NEW.visit_id AND status = 'voided')) THEN RAISE "
                "EXCEPTION USING MESSAGE = TG_TABLE_NAME || ': visit is voided: it is never changed'; END "
                "IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
                'CREATE TRIGGER visit_section_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON '
                'visit_section FOR EACH ROW EXECUTE FUNCTION signed_visit_child_guard()',
                'CREATE TRIGGER alert_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON alert FOR EACH ROW '
                'EXECUTE FUNCTION signed_visit_child_guard()',
                'CREATE TRIGGER instrument_score_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON '
                'instrument_score FOR EACH ROW EXECUTE FUNCTION signed_visit_child_guard()',
                'CREATE TRIGGER finding_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON finding FOR EACH '
                'ROW EXECUTE FUNCTION signed_visit_child_guard()'),
 'sqlite': ('CREATE TRIGGER visit_revision_no_update BEFORE UPDATE ON visit_revision BEGIN SELECT '
            "RAISE(ABORT, 'a signed revision is never changed or deleted'); END",
            'CREATE TRIGGER visit_revision_no_delete BEFORE DELETE ON visit_revision BEGIN SELECT '
            "RAISE(ABORT, 'a signed revision is never changed or deleted'); END",
            "CREATE TRIGGER visit_inserted_as_draft BEFORE INSERT ON visit WHEN NEW.status <> 'draft' BEGIN "
            "SELECT RAISE(ABORT, 'visit status may only move draft -> signed -> amending -> signed, or to "
            "voided'); END",
            "CREATE TRIGGER visit_signed_locked BEFORE UPDATE ON visit WHEN OLD.status = 'signed' AND NOT "
            "((NEW.status = 'amending' AND NEW.id IS OLD.id AND NEW.patient_id IS OLD.patient_id AND "
            'NEW.clinician_id IS OLD.clinician_id AND NEW.visit_date IS OLD.visit_date AND NEW.visit_type IS '
            'OLD.visit_type AND NEW.checklist_version IS OLD.checklist_version AND NEW.revision IS '
            'OLD.revision AND NEW.created_at IS OLD.created_at AND NEW.signed_by_id IS OLD.signed_by_id AND '
            'NEW.signed_at IS OLD.signed_at AND NEW.signed_pdf IS OLD.signed_pdf AND NEW.signed_pdf_sha256 '
            'IS OLD.signed_pdf_sha256 AND NEW.signature_meaning IS OLD.signature_meaning AND '
            'NEW.answers_sha256 IS OLD.answers_sha256 AND NEW.completeness_pct IS OLD.completeness_pct) OR '
            "(NEW.status = 'voided' AND NEW.id IS OLD.id AND NEW.patient_id IS OLD.patient_id AND "
            'NEW.clinician_id IS OLD.clinician_id AND NEW.visit_date IS OLD.visit_date AND NEW.visit_type IS '
            'OLD.visit_type AND NEW.checklist_version IS OLD.checklist_version AND NEW.revision IS '
            'OLD.revision AND NEW.created_at IS OLD.created_at AND NEW.signed_by_id IS OLD.signed_by_id AND '
            'NEW.signed_at IS OLD.signed_at AND NEW.signed_pdf IS OLD.signed_pdf AND NEW.signed_pdf_sha256 '
            'IS OLD.signed_pdf_sha256 AND NEW.signature_meaning IS OLD.signature_meaning AND '
            'NEW.answers_sha256 IS OLD.answers_sha256 AND NEW.completeness_pct IS OLD.completeness_pct AND '
            "NEW.amendment_reason IS OLD.amendment_reason)) BEGIN SELECT RAISE(ABORT, 'visit is signed: "
            "amend it to change it'); END",
            "CREATE TRIGGER visit_voided_locked BEFORE UPDATE ON visit WHEN OLD.status = 'voided' BEGIN "
            "SELECT RAISE(ABORT, 'visit is voided: it is never changed'); END",
            'CREATE TRIGGER visit_transition BEFORE UPDATE ON visit WHEN (NEW.status IS NOT OLD.status OR '
            "NEW.revision IS NOT OLD.revision) AND NOT ((OLD.status IN ('draft', 'amending') AND NEW.status "
            "= 'signed' AND NEW.revision > OLD.revision) OR (OLD.status = 'signed' AND NEW.status = "
            "'amending' AND NEW.revision = OLD.revision) OR (OLD.status IN ('draft', 'signed', 'amending') "
            "AND NEW.status = 'voided' AND NEW.revision = OLD.revision)) BEGIN SELECT RAISE(ABORT, 'visit "
            "status may only move draft -> signed -> amending -> signed, or to voided'); END",
            "CREATE TRIGGER visit_signed_no_delete BEFORE DELETE ON visit WHEN OLD.status <> 'draft' BEGIN "
            "SELECT RAISE(ABORT, 'visit is signed: amend it to change it'); END",
            'CREATE TRIGGER visit_section_signed_no_insert BEFORE INSERT ON visit_section WHEN (SELECT '
            "status FROM visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'visit_section: "
            "visit is signed: amend it to change it'); END",
            'CREATE TRIGGER visit_section_signed_no_update BEFORE UPDATE ON visit_section WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visit WHERE id = "
            "NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'visit_section: visit is signed: amend it to "
            "change it'); END",
            'CREATE TRIGGER visit_section_signed_no_delete BEFORE DELETE ON visit_section WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'visit_section: "
            "visit is signed: amend it to change it'); END",
            'CREATE TRIGGER alert_signed_no_insert BEFORE INSERT ON alert WHEN (SELECT status FROM visit '
            "WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'alert: visit is signed: amend it "
            "to change it'); END",
            'CREATE TRIGGER alert_signed_no_update BEFORE UPDATE ON alert WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visit WHERE id = NEW.visit_id) = "
            "'signed' BEGIN SELECT RAISE(ABORT, 'alert: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER alert_signed_no_delete BEFORE DELETE ON alert WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'alert: visit is signed: amend it "
            "to change it'); END",
            'CREATE TRIGGER instrument_score_signed_no_insert BEFORE INSERT ON instrument_score WHEN (SELECT '
            "status FROM visit WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, "
            "'instrument_score: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER instrument_score_signed_no_update BEFORE UPDATE ON instrument_score WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visit WHERE id = "
            "NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'instrument_score: visit is signed: amend it "
            "to change it'); END",
            'CREATE TRIGGER instrument_score_signed_no_delete BEFORE DELETE ON instrument_score WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, "
            "'instrument_score: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER finding_signed_no_insert BEFORE INSERT ON finding WHEN (SELECT status FROM visit '
            "WHERE id = NEW.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'finding: visit is signed: amend "
            "it to change it'); END",
            'CREATE TRIGGER finding_signed_no_update BEFORE UPDATE ON finding WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'signed' OR (SELECT status FROM visit WHERE id = NEW.visit_id) = "
            "'signed' BEGIN SELECT RAISE(ABORT, 'finding: visit is signed: amend it to change it'); END",
            'CREATE TRIGGER finding_signed_no_delete BEFORE DELETE ON finding WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'signed' BEGIN SELECT RAISE(ABORT, 'finding: visit is signed: amend "
            "it to change it'); END",
            'CREATE TRIGGER visit_section_voided_no_insert BEFORE INSERT ON visit_section WHEN (SELECT '
            "status FROM visit WHERE id = NEW.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'visit_section: "
            "visit is voided: it is never changed'); END",
            'CREATE TRIGGER visit_section_voided_no_update BEFORE UPDATE ON visit_section WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'voided' OR (SELECT status FROM visit WHERE id = "
            "NEW.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'visit_section: visit is voided: it is never "
            "changed'); END",
            'CREATE TRIGGER visit_section_voided_no_delete BEFORE DELETE ON visit_section WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'visit_section: "
            "visit is voided: it is never changed'); END",
            'CREATE TRIGGER alert_voided_no_insert BEFORE INSERT ON alert WHEN (SELECT status FROM visit '
            "WHERE id = NEW.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'alert: visit is voided: it is "
            "never changed'); END",
            'CREATE TRIGGER alert_voided_no_update BEFORE UPDATE ON alert WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'voided' OR (SELECT status FROM visit WHERE id = NEW.visit_id) = "
            "'voided' BEGIN SELECT RAISE(ABORT, 'alert: visit is voided: it is never changed'); END",
            'CREATE TRIGGER alert_voided_no_delete BEFORE DELETE ON alert WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'alert: visit is voided: it is "
            "never changed'); END",
            'CREATE TRIGGER instrument_score_voided_no_insert BEFORE INSERT ON instrument_score WHEN (SELECT '
            "status FROM visit WHERE id = NEW.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, "
            "'instrument_score: visit is voided: it is never changed'); END",
            'CREATE TRIGGER instrument_score_voided_no_update BEFORE UPDATE ON instrument_score WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'voided' OR (SELECT status FROM visit WHERE id = "
            "NEW.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'instrument_score: visit is voided: it is "
            "never changed'); END",
            'CREATE TRIGGER instrument_score_voided_no_delete BEFORE DELETE ON instrument_score WHEN (SELECT '
            "status FROM visit WHERE id = OLD.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, "
            "'instrument_score: visit is voided: it is never changed'); END",
            'CREATE TRIGGER finding_voided_no_insert BEFORE INSERT ON finding WHEN (SELECT status FROM visit '
            "WHERE id = NEW.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'finding: visit is voided: it is "
            "never changed'); END",
            'CREATE TRIGGER finding_voided_no_update BEFORE UPDATE ON finding WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'voided' OR (SELECT status FROM visit WHERE id = NEW.visit_id) = "
            "'voided' BEGIN SELECT RAISE(ABORT, 'finding: visit is voided: it is never changed'); END",
            'CREATE TRIGGER finding_voided_no_delete BEFORE DELETE ON finding WHEN (SELECT status FROM visit '
            "WHERE id = OLD.visit_id) = 'voided' BEGIN SELECT RAISE(ABORT, 'finding: visit is voided: it is "
            "never changed'); END")}
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
            'DROP TRIGGER IF EXISTS visit_voided_locked',
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
            'DROP TRIGGER IF EXISTS finding_signed_no_delete',
            'DROP TRIGGER IF EXISTS visit_section_voided_no_insert',
            'DROP TRIGGER IF EXISTS visit_section_voided_no_update',
            'DROP TRIGGER IF EXISTS visit_section_voided_no_delete',
            'DROP TRIGGER IF EXISTS alert_voided_no_insert',
            'DROP TRIGGER IF EXISTS alert_voided_no_update',
            'DROP TRIGGER IF EXISTS alert_voided_no_delete',
            'DROP TRIGGER IF EXISTS instrument_score_voided_no_insert',
            'DROP TRIGGER IF EXISTS instrument_score_voided_no_update',
            'DROP TRIGGER IF EXISTS instrument_score_voided_no_delete',
            'DROP TRIGGER IF EXISTS finding_voided_no_insert',
            'DROP TRIGGER IF EXISTS finding_voided_no_update',
            'DROP TRIGGER IF EXISTS finding_voided_no_delete')}
OLD_SIGNED_LOCK_DDL = {'postgresql': ('CREATE OR REPLACE FUNCTION visit_revision_immutable() RETURNS trigger LANGUAGE '
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
OLD_DROP_SIGNED_LOCK_DDL = {'postgresql': ('DROP TRIGGER IF EXISTS visit_section_signed_guard ON visit_section',
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




def _sqlite_rewrite_visit(change):
    """Change the CREATE TABLE text of visit in place (the procedure of
    https://www.sqlite.org/lang_altertable.html section 7 for changing CHECK and FOREIGN KEY
    constraints, which leaves the rows as they are): a batch rebuild of visit would cascade-delete
    its sections. Only done where every row already satisfies the new text."""
    bind = op.get_bind()
    sql = bind.exec_driver_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'visit'").scalar()
    new_sql = change(sql)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.execute(sa.text("UPDATE sqlite_master SET sql = :sql WHERE type = 'table' AND name = 'visit'"),
                 {"sql": new_sql})
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = bind.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ['ok']:
        raise RuntimeError(f"visit table after the schema change: {problems}")


def _replace_once(text, old, new):
    if text.count(old) != 1:
        raise RuntimeError(f"expected exactly one {old!r} in the visit table's schema")
    return text.replace(old, new)


def _upgraded_sql(sql):
    for name, old, new in CHECKS:
        sql = _replace_once(sql, f"CONSTRAINT {name} CHECK ({old})", f"CONSTRAINT {name} CHECK ({new})")
    body, close = sql.rstrip().rsplit(")", 1)
    if close.strip():
        raise RuntimeError("the visit table's schema does not end with ')'")
    return body.rstrip() + SQLITE_ADDED + "\n)"


def _downgraded_sql(sql):
    sql = _replace_once(sql, SQLITE_ADDED, "")
    for name, old, new in CHECKS:
        sql = _replace_once(sql, f"CONSTRAINT {name} CHECK ({new})", f"CONSTRAINT {name} CHECK ({old})")
    return sql


def upgrade():
    dialect = op.get_bind().dialect.name
    for statement in OLD_DROP_SIGNED_LOCK_DDL.get(dialect, ()):
        op.execute(statement)
    op.add_column('visit', sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('visit', sa.Column('voided_by_id', sa.Integer(), nullable=True))
    op.add_column('visit', sa.Column('void_reason', sa.Text(), nullable=True))
    if dialect == 'sqlite':
        _sqlite_rewrite_visit(_upgraded_sql)
    else:
        op.create_foreign_key(op.f('fk_visit_voided_by_id_user'), 'visit', 'user', ['voided_by_id'], ['id'])
        for name, _old, new in CHECKS:
            op.drop_constraint(op.f(name), 'visit', type_='check')
            op.create_check_constraint(op.f(name), 'visit', new)
        op.create_check_constraint(op.f('ck_visit_void_complete'), 'visit', VOID_COMPLETE)
    for statement in SIGNED_LOCK_DDL.get(dialect, ()):
        op.execute(statement)


def downgrade():
    # Refused while a visit is voided (the old status check cannot hold it): a voided visit is a
    # record that is kept, and no downgrade may quietly turn it back into a draft.
    voided = op.get_bind().exec_driver_sql("SELECT count(*) FROM visit WHERE status = 'voided'").scalar()
    if voided:  # before any change
        raise RuntimeError(f"{voided} voided visits: the schema below this revision cannot hold them")
    dialect = op.get_bind().dialect.name
    for statement in DROP_SIGNED_LOCK_DDL.get(dialect, ()):
        op.execute(statement)
    if dialect == 'sqlite':
        _sqlite_rewrite_visit(_downgraded_sql)
    else:
        op.drop_constraint(op.f('ck_visit_void_complete'), 'visit', type_='check')
        for name, old, _new in CHECKS:
            op.drop_constraint(op.f(name), 'visit', type_='check')
            op.create_check_constraint(op.f(name), 'visit', old)
        op.drop_constraint(op.f('fk_visit_voided_by_id_user'), 'visit', type_='foreignkey')
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35): never a batch rebuild of visit.
    for column in ('void_reason', 'voided_by_id', 'voided_at'):
        op.drop_column('visit', column)
    for statement in OLD_SIGNED_LOCK_DDL.get(dialect, ()):
        op.execute(statement)
