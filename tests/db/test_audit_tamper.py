"""Every way found to rewrite or erase the audit trail is refused (issue 11, fault 1).

SQLite: REPLACE, INSERT OR REPLACE and UPSERT on a taken id (REPLACE deletes the old row without
firing the delete trigger). PostgreSQL, as the app role the app runs as: UPDATE, DELETE, TRUNCATE,
disabling or dropping the triggers, replacing their function, replica mode, becoming the owner.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.services import audit
from tests.conftest import APP_ROLE
from tests.conftest import DATABASES
from tests.conftest import OWNER_ROLE


@pytest.fixture
def rows(app, users):
    """Audit rows as committed (three 'create' rows from the users fixture, one 'update')."""
    audit.record("update", "patient", 7, {"family_name": ["Doe", "Roe"]}, user=users.clinician)
    db.session.commit()
    return snapshot()


def snapshot():
    db.session.rollback()
    return [tuple(r) for r in db.session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.id))]


def triggers() -> list[tuple[str, str]]:
    """The audit table's triggers (name, enabled state) as the database has them."""
    db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        return sorted((name, "enabled") for name in db.session.scalars(sa.text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")))
    return sorted(tuple(row) for row in db.session.execute(sa.text(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_event'::regclass "
        "AND NOT tgisinternal")).all())


def refused(statement: str, match: str) -> None:
    with pytest.raises(sa.exc.DBAPIError, match=match):
        db.session.execute(sa.text(statement))  # every statement here fails at once, before a commit
    db.session.rollback()


SQLITE_REWRITES = [
    "REPLACE INTO audit_event (id, at, action, username) "
    "SELECT id, at, 'TAMPERED', 'nobody' FROM audit_event WHERE id = 2",
    "INSERT OR REPLACE INTO audit_event (id, at, action, username) "
    "SELECT id, at, 'TAMPERED', 'nobody' FROM audit_event WHERE id = 2",
    "INSERT OR REPLACE INTO audit_event (id, at, action) VALUES (2, '2026-01-01 00:00:00.000000', 'TAMPERED')",
    "INSERT INTO audit_event (id, at, action) SELECT id, at, 'TAMPERED' FROM audit_event WHERE id = 2 "
    "ON CONFLICT (id) DO UPDATE SET action = 'TAMPERED'",
    "UPDATE OR REPLACE audit_event SET id = 3 WHERE id = 2",
    "UPDATE audit_event SET action = 'TAMPERED'",
    "DELETE FROM audit_event WHERE id = 2",
]


on_sqlite = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
on_postgres = pytest.mark.parametrize("database", [d for d in DATABASES if d == "postgresql"], indirect=True)


@on_sqlite
@pytest.mark.parametrize("statement", SQLITE_REWRITES)
def test_sqlite_refuses_every_rewrite_of_a_row(app, rows, statement):
    before = triggers()
    refused(statement, "append-only")
    assert snapshot() == rows
    assert triggers() == before


@on_sqlite
def test_sqlite_still_appends_new_rows(app, rows):
    db.session.execute(sa.text("INSERT INTO audit_event (at, action) VALUES ('2026-01-01 00:00:00.000000', 'x')"))
    db.session.commit()
    assert len(snapshot()) == len(rows) + 1


PG_AS_APP_ROLE = [
    ("UPDATE audit_event SET action = 'TAMPERED'", "permission denied"),
    ("DELETE FROM audit_event", "permission denied"),
    ("TRUNCATE audit_event", "permission denied"),
    ("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only", "must be owner"),
    ("ALTER TABLE audit_event DISABLE TRIGGER ALL", "must be owner"),
    ("DROP TRIGGER audit_event_append_only ON audit_event", "must be owner"),
    ("DROP TRIGGER audit_event_no_truncate ON audit_event", "must be owner"),
    ("CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
     "$$ BEGIN RETURN OLD; END $$", "permission denied for schema|must be owner"),
    ("SET session_replication_role = replica", "permission denied"),
    (f'SET ROLE "{OWNER_ROLE}"', "permission denied"),
    (f'ALTER TABLE audit_event OWNER TO "{APP_ROLE}"', "must be owner"),
    ("DROP TABLE audit_event", "must be owner"),
]


@on_postgres
@pytest.mark.parametrize(("statement", "match"), PG_AS_APP_ROLE, ids=[s for s, _ in PG_AS_APP_ROLE])
def test_postgres_app_role_cannot_rewrite_or_erase_the_trail(app, rows, statement, match):
    assert db.session.scalar(sa.text("SELECT current_user")) == APP_ROLE
    before = triggers()
    assert [name for name, _ in before] == ["audit_event_append_only", "audit_event_no_truncate"]
    assert {state for _, state in before} == {"O"}  # enabled in origin (normal) mode
    refused(statement, match)
    assert snapshot() == rows
    assert triggers() == before


@on_postgres
def test_postgres_app_role_owns_nothing_and_may_only_read_and_add_audit_rows(app, rows):
    privileges = {
        privilege: db.session.scalar(sa.text("SELECT has_table_privilege(current_user, 'audit_event', :p)"),
                                     {"p": privilege})
        for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
    }
    assert privileges == {"SELECT": True, "INSERT": True, "UPDATE": False, "DELETE": False,
                          "TRUNCATE": False, "TRIGGER": False, "REFERENCES": False}
    owned = db.session.scalar(sa.text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"))
    assert owned == 0
    # The other tables take ordinary edits (the rest of the suite runs as this role too).
    assert db.session.scalar(sa.text("SELECT has_table_privilege(current_user, 'patient', 'UPDATE')")) is True


@on_postgres
def test_postgres_owner_is_refused_by_the_triggers_too(app, database, rows):
    """The owner can lift the triggers (verify-audit catches that), but plain statements fail."""
    db.session.rollback()  # no open transaction of ours for the owner's TRUNCATE to wait on
    engine = sa.create_engine(database.owner_url)
    try:
        for statement in ("TRUNCATE audit_event", "DELETE FROM audit_event", "UPDATE audit_event SET action = 'x'"):
            with engine.begin() as conn:
                assert conn.scalar(sa.text("SELECT current_user")) == OWNER_ROLE
                with pytest.raises(sa.exc.DBAPIError, match="append-only"):
                    conn.execute(sa.text(statement))
    finally:
        engine.dispose()
    assert snapshot() == rows
