"""The database's locks around voiding (models/visit_locks.py, migration 2d67ec63fbba), in raw
SQL on SQLite and PostgreSQL: a signed visit's row allows exactly one change besides the amend,
the void (status, who, when and why; nothing frozen touched); once voided, nothing changes the
visit, its sections or its projections, and nothing deletes it."""

# ruff: noqa: S608 - raw SQL from literal test cases, no outside input
from __future__ import annotations

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.services import signing
from fbss_eval.services import verification
from fbss_eval.services import visits as visit_service
from tests.conftest import PASSWORD
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit

pytestmark = pytest.mark.usefixtures("fake_pdfs")

VOID = ("status = 'voided', voided_at = CURRENT_TIMESTAMP, voided_by_id = clinician_id, "
        "void_reason = 'started in error'")


def _refused(statement: str, **params: object) -> str:
    with db.engine.connect() as conn, conn.begin():
        try:
            conn.execute(sa.text(statement), params)
        except sa.exc.DatabaseError as exc:
            return str(exc)
    pytest.fail(f"not refused: {statement}")


def _run(statement: str, **params: object) -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def _signed(users) -> int:  # type: ignore[no-untyped-def]
    visit = ready_visit(users.clinician)
    assert signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored").revision
    db.session.commit()
    return visit.id


def test_a_signed_visit_allows_the_void_and_nothing_beside_it(app, users):
    vid = _signed(users)
    for extra in ("visit_date = '2020-01-01'", "signed_pdf_sha256 = 'x'", "answers_sha256 = 'x'",
                  "amendment_reason = 'slipped in'", "revision = 2", "completeness_pct = 0"):
        message = _refused(f"UPDATE visit SET {VOID}, {extra} WHERE id = :v", v=vid)
        assert "signed" in message or "status" in message, extra
    _run(f"UPDATE visit SET {VOID}, version_id = version_id + 1 WHERE id = :v", v=vid)
    db.session.rollback()  # a fresh snapshot (SQLite WAL)
    assert db.session.get(Visit, vid).status == "voided"


def test_nothing_changes_or_deletes_a_voided_visit_or_its_rows(app, users):
    vid = _signed(users)
    _run(f"UPDATE visit SET {VOID} WHERE id = :v", v=vid)
    statements = [
        "UPDATE visit SET status = 'signed' WHERE id = :v",
        "UPDATE visit SET status = 'amending' WHERE id = :v",
        "UPDATE visit SET status = 'draft', revision = 0 WHERE id = :v",
        "UPDATE visit SET void_reason = 'rewritten' WHERE id = :v",
        "UPDATE visit SET version_id = version_id + 1 WHERE id = :v",
        "DELETE FROM visit WHERE id = :v",
        "UPDATE visit_section SET n_answered = 0 WHERE visit_id = :v",
        "DELETE FROM visit_section WHERE visit_id = :v",
        "INSERT INTO visit_section (visit_id, section_key, answers, status, n_answered, n_required, rev, updated_at)"
        " VALUES (:v, 'extra', '{}', 'empty', 0, 0, 0, CURRENT_TIMESTAMP)",
        "UPDATE alert SET action_taken = 'rewritten' WHERE visit_id = :v",
        "UPDATE instrument_score SET score = 0 WHERE visit_id = :v",
        "INSERT INTO finding (visit_id, category, likelihood) VALUES (:v, 'facet', 'likely')",
        "UPDATE visit_revision SET meaning = 'reviewed' WHERE visit_id = :v",
    ]
    for statement in statements:
        message = _refused(statement, v=vid)
        assert "voided" in message or "revision" in message or "signed" in message, statement
    db.session.rollback()
    assert verification.verify(db.session.get(Visit, vid)).intact  # the signed revision still checks out


def test_a_draft_is_voided_keeping_its_revision_and_then_locked(app, users):
    visit = ready_visit(users.clinician)
    vid = visit.id
    _refused(f"UPDATE visit SET {VOID}, revision = 1 WHERE id = :v", v=vid)  # voiding never signs
    _run(f"UPDATE visit SET {VOID} WHERE id = :v", v=vid)
    _refused("UPDATE visit_section SET n_answered = 0 WHERE visit_id = :v", v=vid)
    _refused("UPDATE visit SET status = 'signed', revision = 1, signed_at = CURRENT_TIMESTAMP, "
             "signed_by_id = clinician_id WHERE id = :v", v=vid)
    db.session.rollback()  # a fresh snapshot (SQLite WAL)
    voided = db.session.get(Visit, vid)
    assert (voided.status, voided.revision) == ("voided", 0)
    assert not visit_service.can_edit(db.session.get(User, users.admin.id), voided)
