"""Migration 7d3a9c1e5b42 (patient and user versions, issue 11 fault 2): rows that exist before it
get version 1 and keep every other value; downgrading removes the column and keeps the rows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade
from flask_migrate import upgrade

from fbss_eval.extensions import db
from tests.db.test_migrations import fresh_url  # noqa: F401
from tests.db.test_migrations import mig_app  # noqa: F401  # the fresh-database fixture

REVISION = "7d3a9c1e5b42"
BELOW = "242ef2770675"


def _rows(table: str) -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.text(f'SELECT * FROM "{table}" ORDER BY id'))]  # noqa: S608


def test_existing_patients_and_users_start_at_version_1_and_survive_both_ways(mig_app):  # noqa: F811
    upgrade(revision=BELOW)
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            'INSERT INTO "user" (id, username, full_name, password_hash, role, active, failed_logins, '
            "password_changed_at, created_at) VALUES (1, 'keeper', 'Kee Per', 'x', 'clinician', true, 0, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        conn.execute(sa.text(
            "INSERT INTO patient (id, mrn, family_name, given_name, birth_date, sex, created_by_id, created_at, "
            "updated_at) VALUES (1, 'KEEP-1', 'Doe', 'Jane', '1970-05-17', 'female', 1, '2026-01-01 00:00:00', "
            "'2026-01-01 00:00:00')"))
    before = {table: _rows(table) for table in ("user", "patient")}

    upgrade(revision=REVISION)
    for table in ("user", "patient"):
        after = _rows(table)
        assert [row.pop("version_id") for row in after] == [1]
        assert after == before[table]

    downgrade(revision=BELOW)
    for table in ("user", "patient"):
        assert _rows(table) == before[table]
