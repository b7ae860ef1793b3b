"""Migration 573884ffae6c (user.must_change_password, issue 12): accounts that exist before it are
not asked to change their password and keep every other value; downgrading removes the column
and keeps the rows."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade
from flask_migrate import upgrade

from fbss_eval.extensions import db
from tests.db.test_migrations import fresh_url  # noqa: F401
from tests.db.test_migrations import mig_app  # noqa: F401  # the fresh-database fixture

REVISION = "573884ffae6c"
BELOW = "2581249d68ff"  # the migration before it


def _rows() -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.text('SELECT * FROM "user" ORDER BY id'))]


def test_existing_users_need_no_password_change_and_survive_both_ways(mig_app):  # noqa: F811
    upgrade(revision=BELOW)
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            'INSERT INTO "user" (id, username, full_name, password_hash, role, active, failed_logins, '
            "password_changed_at, created_at, version_id) VALUES (1, 'keeper', 'Kee Per', 'x', 'admin', true, 3, "
            "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 4)"))
    before = _rows()

    upgrade(revision=REVISION)
    after = _rows()
    assert [bool(row.pop("must_change_password")) for row in after] == [False]
    assert after == before

    downgrade(revision=BELOW)
    assert _rows() == before
