"""Database triggers that make a signed visit a record nothing can quietly change.

Whatever the client (the app, a forged request that reached SQL, ``psql``, ``sqlite3``):
- ``visit_revision`` rows are never updated or deleted;
- the sections and projections (``visit_section``, ``alert``, ``instrument_score``,
  ``finding``) of a visit whose status is ``signed`` are never inserted, updated or deleted;
- a signed visit's own row changes only by the amend transition (``signed -> amending``, with
  nothing else changed but ``version_id`` and ``updated_at``) or by the void transition
  (``signed -> voided``, which also writes ``voided_at``, ``voided_by_id`` and ``void_reason``
  and leaves the amendment reason as it was); it is never deleted;
- status moves only along ``draft -> signed -> amending -> signed``, or from any of those to
  ``voided``; the revision number changes only when the visit is signed, and only upwards; a
  visit is inserted as a draft;
- a voided visit, its sections and its projections never change again (nothing moves a visit out
  of ``voided``), and it is never deleted.

The migration that adds them copies this SQL (a migration must not change when this file does).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from .base import Base

LOCKED_CHILDREN = ("visit_section", "alert", "instrument_score", "finding")
# Columns a signed visit keeps unchanged when it is amended: all but status, version_id,
# updated_at and amendment_reason (the amendment's reason is written by the amend transition).
FROZEN_VISIT_COLUMNS = (
    "id", "patient_id", "clinician_id", "visit_date", "visit_type", "checklist_version", "revision",
    "created_at", "signed_by_id", "signed_at", "signed_pdf", "signed_pdf_sha256", "signature_meaning",
    "answers_sha256", "completeness_pct",
)
SIGNED_MESSAGE = "visit is signed: amend it to change it"
REVISION_MESSAGE = "a signed revision is never changed or deleted"
TRANSITION_MESSAGE = "visit status may only move draft -> signed -> amending -> signed, or to voided"
VOIDED_MESSAGE = "visit is voided: it is never changed"

_ALLOWED_TRANSITION = (
    "((OLD.status IN ('draft', 'amending') AND NEW.status = 'signed' AND NEW.revision > OLD.revision)"
    " OR (OLD.status = 'signed' AND NEW.status = 'amending' AND NEW.revision = OLD.revision)"
    " OR (OLD.status IN ('draft', 'signed', 'amending') AND NEW.status = 'voided' AND NEW.revision = OLD.revision))"
)


def _sqlite_child(table: str, status: str = "signed", message: str = SIGNED_MESSAGE) -> tuple[str, ...]:
    locked = "(SELECT status FROM visit WHERE id = {row}.visit_id) = '" + status + "'"  # noqa: S608  # nosec B608 - constants
    raise_ = f"BEGIN SELECT RAISE(ABORT, '{table}: {message}'); END"
    return (
        f"CREATE TRIGGER {table}_{status}_no_insert BEFORE INSERT ON {table} "
        f"WHEN {locked.format(row='NEW')} {raise_}",
        f"CREATE TRIGGER {table}_{status}_no_update BEFORE UPDATE ON {table} "
        f"WHEN {locked.format(row='OLD')} OR {locked.format(row='NEW')} {raise_}",
        f"CREATE TRIGGER {table}_{status}_no_delete BEFORE DELETE ON {table} "
        f"WHEN {locked.format(row='OLD')} {raise_}",
    )


_SQLITE_UNCHANGED = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in FROZEN_VISIT_COLUMNS)
_PG_UNCHANGED = (
    "(" + ", ".join(f"NEW.{c}" for c in FROZEN_VISIT_COLUMNS) + ") IS NOT DISTINCT FROM ("
    + ", ".join(f"OLD.{c}" for c in FROZEN_VISIT_COLUMNS) + ")"
)
# The two changes a signed visit's row allows: amend, and void (which keeps the amendment reason).
_SQLITE_SIGNED_MAY = (
    f"(NEW.status = 'amending' AND {_SQLITE_UNCHANGED}) OR (NEW.status = 'voided' AND {_SQLITE_UNCHANGED}"
    " AND NEW.amendment_reason IS OLD.amendment_reason)"
)
_PG_SIGNED_MAY = (
    f"(NEW.status = 'amending' AND {_PG_UNCHANGED}) OR (NEW.status = 'voided' AND {_PG_UNCHANGED}"
    " AND NEW.amendment_reason IS NOT DISTINCT FROM OLD.amendment_reason)"
)

SIGNED_LOCK_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "CREATE TRIGGER visit_revision_no_update BEFORE UPDATE ON visit_revision "
        f"BEGIN SELECT RAISE(ABORT, '{REVISION_MESSAGE}'); END",
        "CREATE TRIGGER visit_revision_no_delete BEFORE DELETE ON visit_revision "
        f"BEGIN SELECT RAISE(ABORT, '{REVISION_MESSAGE}'); END",
        "CREATE TRIGGER visit_inserted_as_draft BEFORE INSERT ON visit WHEN NEW.status <> 'draft' "
        f"BEGIN SELECT RAISE(ABORT, '{TRANSITION_MESSAGE}'); END",
        "CREATE TRIGGER visit_signed_locked BEFORE UPDATE ON visit WHEN OLD.status = 'signed' "
        f"AND NOT ({_SQLITE_SIGNED_MAY}) "
        f"BEGIN SELECT RAISE(ABORT, '{SIGNED_MESSAGE}'); END",
        "CREATE TRIGGER visit_voided_locked BEFORE UPDATE ON visit WHEN OLD.status = 'voided' "
        f"BEGIN SELECT RAISE(ABORT, '{VOIDED_MESSAGE}'); END",
        "CREATE TRIGGER visit_transition BEFORE UPDATE ON visit "
        "WHEN (NEW.status IS NOT OLD.status OR NEW.revision IS NOT OLD.revision) "
        f"AND NOT {_ALLOWED_TRANSITION} "
        f"BEGIN SELECT RAISE(ABORT, '{TRANSITION_MESSAGE}'); END",
        "CREATE TRIGGER visit_signed_no_delete BEFORE DELETE ON visit WHEN OLD.status <> 'draft' "
        f"BEGIN SELECT RAISE(ABORT, '{SIGNED_MESSAGE}'); END",
        *(statement for table in LOCKED_CHILDREN for statement in _sqlite_child(table)),
        *(statement for table in LOCKED_CHILDREN for statement in _sqlite_child(table, "voided", VOIDED_MESSAGE)),
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION visit_revision_immutable() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{REVISION_MESSAGE}'; END $$",
        "CREATE TRIGGER visit_revision_immutable BEFORE UPDATE OR DELETE ON visit_revision "
        "FOR EACH ROW EXECUTE FUNCTION visit_revision_immutable()",
        "CREATE OR REPLACE FUNCTION visit_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'INSERT' THEN "
        f"  IF NEW.status <> 'draft' THEN RAISE EXCEPTION '{TRANSITION_MESSAGE}'; END IF; RETURN NEW; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN "
        f"  IF OLD.status <> 'draft' THEN RAISE EXCEPTION '{SIGNED_MESSAGE}'; END IF; RETURN OLD; "
        "END IF; "
        f"IF OLD.status = 'voided' THEN RAISE EXCEPTION '{VOIDED_MESSAGE}'; END IF; "
        f"IF OLD.status = 'signed' AND NOT ({_PG_SIGNED_MAY}) THEN "
        f"  RAISE EXCEPTION '{SIGNED_MESSAGE}'; "
        "END IF; "
        "IF (NEW.status IS DISTINCT FROM OLD.status OR NEW.revision IS DISTINCT FROM OLD.revision) "
        f"AND NOT {_ALLOWED_TRANSITION} THEN RAISE EXCEPTION '{TRANSITION_MESSAGE}'; END IF; "
        "RETURN NEW; END $$",
        "CREATE TRIGGER visit_guard BEFORE INSERT OR UPDATE OR DELETE ON visit "
        "FOR EACH ROW EXECUTE FUNCTION visit_guard()",
        "CREATE OR REPLACE FUNCTION signed_visit_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "  # noqa: S608  # nosec B608
        "IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM visit WHERE id = OLD.visit_id AND status = 'signed')) "
        "OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM visit WHERE id = NEW.visit_id AND status = 'signed')) "
        f"THEN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ': {SIGNED_MESSAGE}'; "
        "END IF; "
        "IF (TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM visit WHERE id = OLD.visit_id AND status = 'voided')) "
        "OR (TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM visit WHERE id = NEW.visit_id AND status = 'voided')) "
        f"THEN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ': {VOIDED_MESSAGE}'; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$",
        *(
            f"CREATE TRIGGER {table}_signed_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION signed_visit_child_guard()"
            for table in LOCKED_CHILDREN
        ),
    ),
}

DROP_SIGNED_LOCK_DDL: dict[str, tuple[str, ...]] = {
    "sqlite": (
        "DROP TRIGGER IF EXISTS visit_revision_no_update",
        "DROP TRIGGER IF EXISTS visit_revision_no_delete",
        "DROP TRIGGER IF EXISTS visit_inserted_as_draft",
        "DROP TRIGGER IF EXISTS visit_signed_locked",
        "DROP TRIGGER IF EXISTS visit_voided_locked",
        "DROP TRIGGER IF EXISTS visit_transition",
        "DROP TRIGGER IF EXISTS visit_signed_no_delete",
        *(f"DROP TRIGGER IF EXISTS {table}_{status}_no_{op}" for status in ("signed", "voided")
          for table in LOCKED_CHILDREN for op in ("insert", "update", "delete")),
    ),
    "postgresql": (
        *(f"DROP TRIGGER IF EXISTS {table}_signed_guard ON {table}" for table in LOCKED_CHILDREN),
        "DROP FUNCTION IF EXISTS signed_visit_child_guard()",
        "DROP TRIGGER IF EXISTS visit_guard ON visit",
        "DROP FUNCTION IF EXISTS visit_guard()",
        "DROP TRIGGER IF EXISTS visit_revision_immutable ON visit_revision",
        "DROP FUNCTION IF EXISTS visit_revision_immutable()",
    ),
}

# For schemas built with ``create_all`` (the migrations install the same SQL): after every table.
for _dialect, _statements in SIGNED_LOCK_DDL.items():
    for _statement in _statements:
        event.listen(Base.metadata, "after_create", sa.DDL(_statement).execute_if(dialect=_dialect))
