"""The audit trail is append-only: the ORM refuses changes, and so does the database itself
(triggers), whatever the client. On PostgreSQL the app's role lacks UPDATE and DELETE on the
table, so the refusal comes first from the privileges (permission denied), then the triggers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models.audit import AuditImmutableError
from fbss_eval.services import audit

REFUSED = "append-only|permission denied"


@pytest.fixture
def rows(app, users):
    """Audit rows as committed (the users fixture wrote three 'create' rows; add one with changes)."""
    audit.record("update", "patient", 7, {"family_name": ["Doe", "Roe"]}, user=users.clinician)
    db.session.commit()
    return snapshot()


def snapshot():
    db.session.rollback()
    return [tuple(r) for r in db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.at, AuditEvent.user_id, AuditEvent.action, AuditEvent.entity,
                  AuditEvent.entity_id, AuditEvent.changes).order_by(AuditEvent.id))]


def test_adding_rows_works(rows):
    assert len(rows) == 4
    assert rows[-1][3:] == ("update", "patient", 7, {"family_name": ["Doe", "Roe"]})


def test_the_orm_refuses_to_update_an_audit_row(rows):
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "update"))
    event.changes = {"family_name": ["Doe", "Forged"]}
    with pytest.raises(AuditImmutableError):
        db.session.flush()
    db.session.rollback()
    assert snapshot() == rows


def test_the_orm_refuses_to_delete_an_audit_row(rows):
    event = db.session.scalar(sa.select(AuditEvent).limit(1))
    db.session.delete(event)
    with pytest.raises(AuditImmutableError):
        db.session.flush()
    db.session.rollback()
    assert snapshot() == rows


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'forged'",
        "UPDATE audit_event SET changes = NULL WHERE action = 'update'",
        "DELETE FROM audit_event",
        "DELETE FROM audit_event WHERE action = 'update'",
    ],
)
def test_the_database_refuses_raw_sql_changes(rows, statement):
    with pytest.raises(sa.exc.DBAPIError, match=REFUSED):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert snapshot() == rows


def test_a_bulk_orm_update_is_refused_by_the_database(rows):
    with pytest.raises(sa.exc.DBAPIError, match=REFUSED):
        db.session.execute(sa.update(AuditEvent).values(username="forged"))
    db.session.rollback()
    assert snapshot() == rows


def test_the_refusal_does_not_depend_on_the_app_connection(app, rows):
    """A separate engine (another client of the same database) is refused too."""
    engine = sa.create_engine(db.engine.url)
    try:
        with pytest.raises(sa.exc.DBAPIError, match=REFUSED), engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_event"))
    finally:
        engine.dispose()
    assert snapshot() == rows
