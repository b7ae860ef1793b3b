"""Migration b4e8f2a61c07 (patient search keys, issue 13): patients that exist before it get
"family given" and "given family" in lower case, single-spaced, so the admin's visit search
finds them; every other value is kept both ways."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_migrate import downgrade
from flask_migrate import upgrade

from fbss_eval.extensions import db
from tests.db.test_migrations import fresh_url  # noqa: F401
from tests.db.test_migrations import mig_app  # noqa: F401  # the fresh-database fixture

REVISION = "b4e8f2a61c07"
BELOW = "b41c7e2a9d63"  # the migration before it
NOW = "2026-01-01 00:00:00"
PATIENTS = ((1, "KEEP-1", "Doe", "Jane"), (2, "KEEP-2", "van  der Berg", "Anna-Marie"),
            (3, "KEEP-3", "ÖZTÜRK", "Ayşe"))


def _rows() -> list[dict[str, Any]]:
    with db.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(sa.text("SELECT * FROM patient ORDER BY id"))]


def test_existing_patients_get_their_search_keys_and_survive_both_ways(mig_app):  # noqa: F811
    upgrade(revision=BELOW)
    with db.engine.begin() as conn:
        conn.execute(sa.text(
            'INSERT INTO "user" (id, username, full_name, password_hash, role, active, failed_logins, '
            "password_changed_at, created_at) VALUES (1, 'keeper', 'Kee Per', 'x', 'clinician', true, 0, :now, :now)"),
            {"now": NOW})
        conn.execute(sa.text(
            "INSERT INTO patient (id, mrn, family_name, given_name, birth_date, sex, created_by_id, created_at, "
            "updated_at) VALUES (:id, :mrn, :family, :given, '1970-05-17', 'female', 1, :now, :now)"),
            [{"id": pid, "mrn": mrn, "family": family, "given": given, "now": NOW}
             for pid, mrn, family, given in PATIENTS])
    before = _rows()

    upgrade(revision=REVISION)
    after = _rows()
    assert [(row.pop("search_name"), row.pop("search_given")) for row in after] == [
        ("doe jane", "jane doe"),
        ("van der berg anna-marie", "anna-marie van der berg"),
        ("öztürk ayşe", "ayşe öztürk"),
    ]
    assert after == before

    downgrade(revision=BELOW)
    assert _rows() == before
