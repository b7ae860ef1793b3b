"""Migration 2d67ec63fbba (void a visit, issue 10 item 8): on SQLite it rewrites the visit table's
CREATE TABLE text in place rather than rebuilding the table, so visits, their sections and a
signed visit's lock all come through both ways untouched; a downgrade refuses to drop voided
visits."""

# ruff: noqa: S608 - raw SQL from literal test cases, no outside input
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade
from flask_migrate import upgrade

from fbss_eval.extensions import db
from tests.db.test_migrations import fresh_url  # noqa: F401
from tests.db.test_migrations import mig_app  # noqa: F401  # the fresh-database fixture

REVISION = "2d67ec63fbba"
BELOW = "973d7a1c3b38"  # the migration before it
NOW = "'2026-01-01 00:00:00'"


def _rows(table: str) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.text(f'SELECT * FROM "{table}" ORDER BY id'))]  # noqa: S608


def _seed() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            'INSERT INTO "user" (id, username, full_name, password_hash, role, active, failed_logins, '
            "password_changed_at, created_at) VALUES (1, 'keeper', 'Kee Per', 'x', 'clinician', true, 0, "
            f"{NOW}, {NOW})"))
        conn.execute(sa.text(
            "INSERT INTO patient (id, mrn, family_name, given_name, birth_date, sex, created_by_id, created_at, "
            f"updated_at) VALUES (1, 'KEEP-1', 'Doe', 'Jane', '1970-05-17', 'female', 1, {NOW}, {NOW})"))
        for visit_id in (1, 2):
            conn.execute(sa.text(
                "INSERT INTO visit (id, patient_id, clinician_id, visit_date, visit_type, status, checklist_version, "
                f"revision, version_id, created_at, updated_at, completeness_pct) VALUES ({visit_id}, 1, 1, "
                f"'2026-01-0{visit_id}', 'initial', 'draft', '2026.11.1', 0, 1, {NOW}, {NOW}, 40)"))
            conn.execute(sa.text(
                "INSERT INTO visit_section (visit_id, section_key, answers, status, n_answered, n_required, rev, "
                f"updated_at) VALUES ({visit_id}, 'visit', '{{\"chief_complaint\": \"back\"}}', 'in_progress', 1, 3, "
                f"1, {NOW})"))
        # Visit 2 signed (draft -> signed, the one way the triggers allow).
        conn.execute(sa.text(f"UPDATE visit SET status = 'signed', revision = 1, signed_at = {NOW}, "
                             "signed_by_id = 1 WHERE id = 2"))


def test_visits_and_their_sections_survive_both_ways_and_the_lock_holds(mig_app):  # noqa: F811
    upgrade(revision=BELOW)
    _seed()
    before = {table: _rows(table) for table in ("visit", "visit_section")}

    upgrade(revision=REVISION)
    after = _rows("visit")
    assert [(r.pop("voided_at"), r.pop("voided_by_id"), r.pop("void_reason")) for r in after] == [(None,) * 3] * 2
    assert after == before["visit"]
    assert _rows("visit_section") == before["visit_section"]
    with pytest.raises(sa.exc.DatabaseError, match="signed"), db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE visit SET visit_date = '2020-01-01' WHERE id = 2"))

    downgrade(revision=BELOW)
    assert {table: _rows(table) for table in ("visit", "visit_section")} == before


def test_a_downgrade_does_not_drop_a_voided_visit(mig_app):  # noqa: F811
    upgrade(revision=BELOW)
    _seed()
    upgrade(revision=REVISION)
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"UPDATE visit SET status = 'voided', voided_at = {NOW}, voided_by_id = 1, "
                             "void_reason = 'started in error' WHERE id = 1"))
    with pytest.raises(SystemExit):  # Flask-Migrate logs the migration's RuntimeError and exits
        downgrade(revision=BELOW)
    db.session.remove()
    assert [r["status"] for r in _rows("visit")] == ["voided", "signed"]
    with pytest.raises(sa.exc.DatabaseError, match="voided"), db.engine.begin() as conn:  # still locked
        conn.execute(sa.text("UPDATE visit SET status = 'draft' WHERE id = 1"))
