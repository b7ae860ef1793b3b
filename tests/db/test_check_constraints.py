"""Every check constraint of the models refuses a row that breaks it, on each database (SQLite,
and PostgreSQL with TEST_DATABASE_URL), in the schema the real migrations built.

The cases are keyed by ``(table, constraint name)``; the list of constraints comes from the
models' metadata, so a new ``CheckConstraint`` without a case here fails
``test_every_check_constraint_has_a_case``. Each case gives a change the constraint allows (so the
row itself is sound) and one or more changes it must refuse; the refusal must name the constraint
(SQLite: ``CHECK constraint failed: <name>``, PostgreSQL: ``violates check constraint "<name>"``),
so it is this constraint that fired and not another one. The statements are raw SQL: what a
client that bypasses the app's code would send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Base
from fbss_eval.models import VisitAlert
from fbss_eval.models import VisitRevision
from fbss_eval.models import VisitSection
from fbss_eval.models.api_token import ApiToken
from fbss_eval.services import visits as visit_service
from tests.web.conftest import make_patient


@dataclass(frozen=True)
class Case:
    """An UPDATE of one row of ``table``: ``allowed`` must pass, each of ``refused`` must fail."""

    allowed: str
    refused: tuple[str, ...]


# "SET ..." clauses; the row is the one made by the ``rows`` fixture (``WHERE id = :id``).
CASES: dict[tuple[str, str], Case] = {
    ("user", "ck_user_role_valid"): Case(
        allowed="role = 'admin'",
        refused=("role = 'superuser'", "role = ''", "role = 'Admin'"),
    ),
    ("api_token", "ck_api_token_scope_valid"): Case(
        allowed="scope = 'read'",
        refused=("scope = 'write'", "scope = ''", "scope = 'Read'", "scope = 'admin'"),
    ),
    ("patient", "ck_patient_sex_valid"): Case(
        allowed="sex = 'unknown'",
        refused=("sex = 'f'", "sex = ''", "sex = 'FEMALE'"),
    ),
    ("visit", "ck_visit_status_valid"): Case(
        # A signer and a revision so that only the status is wrong.
        allowed="status = 'amending', signed_at = created_at, signed_by_id = clinician_id, revision = 1",
        refused=("status = 'archived', signed_at = created_at, signed_by_id = clinician_id, revision = 1",
                 "status = 'Signed', signed_at = created_at, signed_by_id = clinician_id, revision = 1"),
    ),
    ("visit", "ck_visit_signed_has_signer"): Case(
        allowed="status = 'signed', signed_at = created_at, signed_by_id = clinician_id",
        refused=("status = 'signed', signed_at = NULL, signed_by_id = clinician_id",
                 "status = 'signed', signed_at = created_at, signed_by_id = NULL",
                 "status = 'amending', signed_at = NULL, signed_by_id = NULL"),
    ),
    ("visit", "ck_visit_void_complete"): Case(
        # A voided draft has no signer; who voided it, when and why are all required.
        allowed="status = 'voided', voided_at = created_at, voided_by_id = clinician_id, void_reason = 'Duplicate'",
        refused=("status = 'voided', voided_at = NULL, voided_by_id = clinician_id, void_reason = 'Duplicate'",
                 "status = 'voided', voided_at = created_at, voided_by_id = NULL, void_reason = 'Duplicate'",
                 "status = 'voided', voided_at = created_at, voided_by_id = clinician_id, void_reason = NULL",
                 "void_reason = 'Duplicate'",
                 "voided_at = created_at, voided_by_id = clinician_id, void_reason = 'Duplicate'"),
    ),
    ("visit", "ck_visit_draft_revision_zero"): Case(
        allowed="status = 'signed', signed_at = created_at, signed_by_id = clinician_id, revision = 3",
        refused=("revision = 1", "revision = -1"),
    ),
    ("visit_section", "ck_visit_section_status_valid"): Case(
        allowed="status = 'complete'",
        refused=("status = 'done'", "status = 'not assessed'", "status = ''"),
    ),
    ("visit_section", "ck_visit_section_not_assessed_reason"): Case(
        allowed="status = 'not_assessed', not_assessed_reason = 'declined'",
        refused=("status = 'not_assessed', not_assessed_reason = NULL",),
    ),
    ("visit_revision", "ck_visit_revision_revision_positive"): Case(
        allowed="revision = 2, amendment_reason = 'Late MRI report'",
        refused=("revision = 0, amendment_reason = 'x'", "revision = -1, amendment_reason = 'x'"),
    ),
    ("visit_revision", "ck_visit_revision_meaning_valid"): Case(
        allowed="meaning = 'reviewed'",
        refused=("meaning = 'approved'", "meaning = 'Authored'", "meaning = ''"),
    ),
    ("visit_revision", "ck_visit_revision_amendment_has_reason"): Case(
        allowed="revision = 3, amendment_reason = 'Corrected the level'",
        refused=("revision = 2, amendment_reason = NULL",),
    ),
    ("alert", "ck_alert_ack_complete"): Case(
        allowed="acknowledged_at = raised_at, acknowledged_by_id = :user_id, action_taken = 'Referred'",
        refused=("acknowledged_at = raised_at, acknowledged_by_id = :user_id, action_taken = NULL",
                 "acknowledged_at = raised_at, acknowledged_by_id = NULL, action_taken = 'Referred'",
                 "acknowledged_at = raised_at, acknowledged_by_id = NULL, action_taken = NULL"),
    ),
}


def model_check_constraints() -> set[tuple[str, str]]:
    """``(table, constraint name)`` of every check constraint in the models' metadata."""
    return {
        (table.name, str(constraint.name))
        for table in Base.metadata.tables.values()
        for constraint in table.constraints
        if isinstance(constraint, sa.CheckConstraint)
    }


def test_every_check_constraint_has_a_case():
    assert set(CASES) == model_check_constraints()


def test_the_models_have_the_check_constraints_the_cases_were_written_for():
    """The list itself, spelled out: losing a constraint from a model fails here too."""
    assert model_check_constraints() == {
        ("user", "ck_user_role_valid"),
        ("api_token", "ck_api_token_scope_valid"),
        ("patient", "ck_patient_sex_valid"),
        ("visit", "ck_visit_status_valid"),
        ("visit", "ck_visit_signed_has_signer"),
        ("visit", "ck_visit_void_complete"),
        ("visit", "ck_visit_draft_revision_zero"),
        ("visit_section", "ck_visit_section_status_valid"),
        ("visit_section", "ck_visit_section_not_assessed_reason"),
        ("visit_revision", "ck_visit_revision_revision_positive"),
        ("visit_revision", "ck_visit_revision_meaning_valid"),
        ("visit_revision", "ck_visit_revision_amendment_has_reason"),
        ("alert", "ck_alert_ack_complete"),
    }


@pytest.fixture
def visit_triggers_off(database):  # type: ignore[no-untyped-def]
    """The triggers of the visit and its frozen revisions out of the way (they refuse most raw
    changes before any CHECK is reached): this file tests the check constraints themselves. SQLite:
    the test's own database copy loses them; PostgreSQL: disabled as the schema's owner, then
    restored."""
    if database.kind == "sqlite":
        names = db.session.scalars(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('visit', 'visit_revision')")).all()
        for name in names:
            db.session.execute(sa.text(f'DROP TRIGGER "{name}"'))
        db.session.commit()
        yield
        return
    owner = sa.create_engine(database.owner_url)
    with owner.begin() as conn:
        conn.execute(sa.text("ALTER TABLE visit DISABLE TRIGGER USER"))
        conn.execute(sa.text("ALTER TABLE visit_revision DISABLE TRIGGER USER"))
    try:
        yield
    finally:
        db.session.rollback()
        with owner.begin() as conn:
            conn.execute(sa.text("ALTER TABLE visit ENABLE TRIGGER USER"))
            conn.execute(sa.text("ALTER TABLE visit_revision ENABLE TRIGGER USER"))
        owner.dispose()


@pytest.fixture
def rows(app, users, visit_triggers_off) -> dict[str, int]:
    """One committed, valid row of each constrained table: table name -> row id."""
    patient = make_patient(users.clinician)
    visit = visit_service.start_visit(patient, users.clinician, date(2026, 11, 2), "initial")
    section = db.session.scalar(sa.select(VisitSection).where(VisitSection.visit_id == visit.id))
    assert section is not None
    alert = VisitAlert(visit_id=visit.id, kind="constraint_probe", severity="warning",
                       message="A probe alert.", must_acknowledge=True)
    db.session.add(alert)
    revision = VisitRevision(visit_id=visit.id, revision=1, signed_by_id=users.clinician.id,
                             signed_at=datetime(2026, 11, 2, 12, 0, tzinfo=UTC), meaning="authored",
                             checklist_version="2026.11.1", answers_json="{}", answers_sha256="0" * 64,
                             summary_pdf=b"%PDF", summary_pdf_sha256="0" * 64, record_pdf=b"%PDF",
                             record_pdf_sha256="0" * 64)
    db.session.add(revision)
    token = ApiToken(name="constraint probe", token_hash="1" * 64, scope="read-write",
                     user_id=users.clinician.id, created_by_id=users.admin.id)
    db.session.add(token)
    db.session.commit()
    return {"user": users.clinician.id, "patient": patient.id, "visit": visit.id,
            "visit_section": section.id, "alert": alert.id, "visit_revision": revision.id,
            "api_token": token.id}


def _update(table: str, assignments: str, row_id: int, user_id: int) -> None:
    statement = sa.text(f'UPDATE "{table}" SET {assignments} WHERE id = :id')  # noqa: S608 (literal cases)
    params = {"id": row_id}
    if ":user_id" in assignments:
        params["user_id"] = user_id
    result = db.session.execute(statement, params)
    assert result.rowcount == 1


def _row(table: str, row_id: int) -> dict[str, object]:
    return dict(db.session.execute(sa.text(f'SELECT * FROM "{table}" WHERE id = :id'),  # noqa: S608
                                   {"id": row_id}).one()._mapping)


@pytest.mark.parametrize("key", sorted(CASES), ids=lambda key: key[1])
def test_the_database_allows_a_sound_change(rows, users, key):
    table, _name = key
    _update(table, CASES[key].allowed, rows[table], users.clinician.id)
    db.session.commit()


@pytest.mark.parametrize(
    ("key", "assignments"),
    [(key, refused) for key in sorted(CASES) for refused in CASES[key].refused],
    ids=lambda value: value[1] if isinstance(value, tuple) else value,
)
def test_the_database_refuses_a_row_that_breaks_the_constraint(rows, users, key, assignments):
    table, name = key
    before = _row(table, rows[table])
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError) as refused:
        _update(table, assignments, rows[table], users.clinician.id)
    db.session.rollback()
    message = str(refused.value.orig)
    assert f"CHECK constraint failed: {name}" in message or f'violates check constraint "{name}"' in message, message
    assert _row(table, rows[table]) == before
