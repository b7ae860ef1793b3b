"""A PDF download's transactions (visits/pdf_views.py): the reads, then the audit row. PostgreSQL
writes the row in the same transaction, so a signed visit's repeat download is one commit (two
before: a commit, the pool's reset, a ping and a second BEGIN, 1-2 ms of its 10 ms target). SQLite
ends the read transaction first and writes in a BEGIN IMMEDIATE of its own, so no snapshot goes
stale and no writer waits for a render. Either way the download is audited once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import User
from fbss_eval.services import signing
from tests.conftest import PASSWORD
from tests.web.signing_support import FAKE_SUMMARY
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit


@pytest.fixture
def app_overrides() -> dict[str, object]:
    # No last-seen write on these requests (at most every 30 s by default): only the download's own.
    return {"SESSION_TOUCH_INTERVAL": timedelta(days=1)}


@contextmanager
def transactions() -> Iterator[list[str]]:
    """What the engine begins and commits meanwhile: "BEGIN" / "BEGIN IMMEDIATE" (SQLite's own
    statements), "begin" (PostgreSQL's, from the driver), "commit"."""
    seen: list[str] = []

    def statement(conn, cursor, sql, *args):  # type: ignore[no-untyped-def]
        if sql.startswith("BEGIN"):
            seen.append(sql)

    def began(conn):  # type: ignore[no-untyped-def]
        if conn.dialect.name != "sqlite":
            seen.append("begin")

    def committed(conn):  # type: ignore[no-untyped-def]
        seen.append("commit")

    hooks = (("before_cursor_execute", statement), ("begin", began), ("commit", committed))
    for name, fn in hooks:
        sa.event.listen(db.engine, name, fn)
    try:
        yield seen
    finally:
        for name, fn in hooks:
            sa.event.remove(db.engine, name, fn)


def _downloads(vid: int) -> int:
    db.session.rollback()
    return int(db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "export_pdf", AuditEvent.entity_id == vid)) or 0)


def test_a_signed_pdf_download_is_one_transaction_on_postgresql_and_a_write_of_its_own_on_sqlite(
        database, app, users, as_clinician, fake_pdfs):  # type: ignore[no-untyped-def]  # noqa: F811
    visit = ready_visit(users.clinician)
    vid = visit.id
    signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored")
    db.session.commit()
    as_clinician.get(f"/visits/{vid}/pdf")  # the hour's record of access is written on the first view
    before = _downloads(vid)
    db.session.remove()
    with transactions() as seen:
        response = as_clinician.get(f"/visits/{vid}/pdf")
    assert response.status_code == 200
    assert response.data == FAKE_SUMMARY
    if database.kind == "postgresql":
        assert seen == ["begin", "commit"]
    else:
        assert seen[-2:] == ["BEGIN IMMEDIATE", "commit"]  # the write, after the read's own BEGIN
        assert seen[0] == "BEGIN"
    assert _downloads(vid) == before + 1
