"""The CSV export's SQL: the visit ids once, then a fixed number of statements a batch of visits
(visits.csv: the visits, their sections, their scores; each repeat group's file: its section),
whatever the visits hold. Statements are counted, never timed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.services import visit_export
from tests.web.test_visit_export import make_visit

GROUP_FILES = 5  # operations, two kinds of studies, blocks, treatments (test_visit_export)


def statements_of_export(app: Any, visits: Any) -> int:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    with app.test_request_context():
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            b"".join(visit_export.export_visits_zip(visits))
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
    return len([statement for statement in seen if statement.strip() != "BEGIN"])  # SQLite's own


@pytest.mark.parametrize("n_visits", [1, 4, 5])
def test_the_statements_are_the_ids_and_eight_a_batch(app, users, patient, monkeypatch, n_visits):
    monkeypatch.setattr(visit_export, "BATCH", 2)
    for day in range(n_visits):
        make_visit(users, patient, when=date(2026, 1, day + 1))
    batches = (n_visits + 1) // 2
    assert statements_of_export(app, sa.select(Visit.id)) == 1 + batches * (3 + GROUP_FILES)
    assert statements_of_export(app, sa.select(Visit)) == 1 + batches * (3 + GROUP_FILES)


def test_no_visits_no_batches(app, users):
    assert statements_of_export(app, sa.select(Visit.id)) == 1
    assert statements_of_export(app, []) == 0
