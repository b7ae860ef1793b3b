"""The audit trail's hash chain and ``flask verify-audit`` (issue 11, fault 1): an edit or a
removal made by someone who can lift the triggers (the owner, a superuser, anyone with the SQLite
file) is named by the first row that no longer matches; two writers at once never fork the chain."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from fbss_eval.database import write_transaction
from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models.audit import GENESIS_HASH
from fbss_eval.services import audit
from fbss_eval.services.unit_of_work import unit_of_work
from tests.db.test_migrations import fresh_url  # noqa: F401 - fixture
from tests.db.test_migrations import mig_app  # noqa: F401 - fixture


@pytest.fixture
def rows(app, users):
    """Four committed rows: three 'create' rows from the users fixture, one 'update'."""
    audit.record("update", "patient", 7, {"family_name": ["Doe", "Röe"], "born": "1970-01-01"}, user=users.clinician)
    db.session.commit()
    return chain()


def chain() -> list[tuple[int, str | None, str | None]]:
    db.session.rollback()
    return [tuple(r) for r in db.session.execute(
        sa.select(AuditEvent.id, AuditEvent.prev_hash, AuditEvent.row_hash).order_by(AuditEvent.id))]


def behind_the_triggers(database, *statements: str) -> None:
    """Run statements as someone who can lift the append-only triggers and does: on SQLite any
    client of the file; on PostgreSQL the owner (the app role cannot)."""
    db.session.rollback()
    if database.kind == "sqlite":
        engine = sa.create_engine(db.engine.url)
        lift = ["DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"]
        restore: list[str] = []
    else:
        engine = sa.create_engine(database.owner_url)
        lift = ["ALTER TABLE audit_event DISABLE TRIGGER USER"]
        restore = ["ALTER TABLE audit_event ENABLE TRIGGER USER"]
    try:
        with engine.begin() as conn:
            for statement in [*lift, *statements, *restore]:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def verify(runner):
    return runner.invoke(args=["verify-audit"])


def test_each_row_links_to_the_one_before(rows):
    assert len(rows) == 4
    assert rows[0][1] == GENESIS_HASH
    for before, row in zip(rows, rows[1:], strict=False):
        assert row[1] == before[2]
    assert all(len(row_hash) == 64 for _, _, row_hash in rows)
    assert len({row_hash for _, _, row_hash in rows}) == 4


def test_verify_audit_says_an_untouched_trail_is_intact(rows, runner):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "Audit trail intact: 4 rows." in result.output


def test_verify_audit_names_a_row_edited_behind_the_triggers(database, rows, runner):
    behind_the_triggers(database, "UPDATE audit_event SET username = 'someone-else' WHERE id = 2")
    result = verify(runner)
    assert result.exit_code != 0
    assert "broken at row 2" in result.output
    assert "content does not match its hash" in result.output


def test_verify_audit_names_an_edit_of_the_changes_column(database, rows, runner):
    last = rows[-1][0]
    behind_the_triggers(database, f"UPDATE audit_event SET changes = NULL WHERE id = {last}")  # noqa: S608
    result = verify(runner)
    assert result.exit_code != 0
    assert f"broken at row {last}" in result.output


def test_verify_audit_names_the_row_after_a_removed_one(database, rows, runner):
    behind_the_triggers(database, "DELETE FROM audit_event WHERE id = 2")
    result = verify(runner)
    assert result.exit_code != 0
    assert "broken at row 3: it does not link to row 1" in result.output


def test_verify_audit_names_a_row_written_without_the_app(rows, runner):
    db.session.execute(sa.text("INSERT INTO audit_event (at, action) VALUES (CURRENT_TIMESTAMP, 'forged')"))
    db.session.commit()
    result = verify(runner)
    assert result.exit_code != 0
    assert f"broken at row {rows[-1][0] + 1}: it has no hash" in result.output


def test_two_writers_at_once_do_not_fork_the_chain(app, rows, runner):
    per_writer, errors = 15, []

    def writer(name: str) -> None:
        try:
            with app.app_context():
                for i in range(per_writer):
                    write_transaction()  # as a write request does (BEGIN IMMEDIATE on SQLite)
                    with unit_of_work():
                        audit.record("concurrent", "patient", i, {"writer": name})
                db.session.remove()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    db.session.rollback()
    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    links = chain()
    assert len(links) == 4 + 2 * per_writer
    assert len({prev for _, prev, _ in links}) == len(links), "two rows name the same predecessor"
    result = verify(runner)
    assert result.exit_code == 0, result.output


def test_the_migration_chains_the_rows_already_there(mig_app):  # noqa: F811
    upgrade(revision="242ef2770675")
    with db.engine.begin() as conn:
        for at, action, changes in (("2026-11-22 08:00:00.123456", "login", None),
                                    ("2026-11-22 08:01:00", "update", '{"family_name": ["Doe", "Röe"]}'),
                                    ("2026-11-22 08:02:00", "logout", None)):
            conn.execute(sa.text("INSERT INTO audit_event (at, action, username, changes) "
                                 "VALUES (:at, :action, 'carl', :changes)"),
                         {"at": at, "action": action, "changes": changes})
    upgrade()
    check = audit.verify_chain()
    assert (check.rows, check.bad_id) == (3, None)
    audit.record("export_pdf", "visit", 1)
    db.session.commit()
    check = audit.verify_chain()
    assert (check.rows, check.bad_id) == (4, None)


def test_numbers_in_changes_hash_the_same_after_the_database_returns_them(app, users, runner):
    """JSONB hands some floats back as integers (1e16 -> 10000000000000000); the chain must not
    take that for an edit."""
    numbers = {"big": 1e16, "whole": 2.0, "tenth": 0.1, "huge": 1.7976931348623157e308, "wide": 2**60,
               "tiny": 1e-7, "flag": True, "nested": [[-3.0, 12.5]]}
    audit.record("update", "visit", 1, {"weight_kg": [None, numbers]}, user=users.clinician)
    db.session.commit()
    result = verify(runner)
    assert result.exit_code == 0, result.output
