"""Helpers for the signing tests: a visit with nothing blocking signing, built through the
services as the app builds it, and signing without the PDF renderer where a test is about locks
rather than PDFs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Visit
from fbss_eval.models import VisitRevision
from fbss_eval.services import signing
from fbss_eval.services import visits as visit_service
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient

VISIT_DATE = date(2025, 6, 1)
FAKE_SUMMARY = b"%PDF-1.7\n% summary stand-in for lock tests\n%%EOF\n"
FAKE_RECORD = b"%PDF-1.7\n% record stand-in for lock tests\n%%EOF\n"


def ready_visit(by: Any, mrn: str = "SIGN-1", patient: Any = None) -> Visit:
    """A complete visit (differential marked not assessed) with every alert acknowledged."""
    patient = patient or make_patient(by, mrn=mrn)
    visit = make_complete_visit(patient, by, VISIT_DATE, not_assessed={"differential": "not_applicable"})
    for alert in visit_service.active_alerts(visit.id):
        if alert.pending:
            visit_service.acknowledge_alert(visit, alert, "Discussed; same-week review booked", by)
    db.session.commit()
    assert signing.sign_blockers(visit) == []
    return visit


@pytest.fixture
def fake_pdfs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Signing without WeasyPrint (for tests of locks and transitions, not of PDFs)."""
    monkeypatch.setattr(signing, "_render", lambda visit: (FAKE_SUMMARY, FAKE_RECORD))


def revisions(visit_id: int) -> list[VisitRevision]:
    db.session.expire_all()
    return signing.revisions_of(visit_id)


def audit_actions(visit_id: int) -> list[str]:
    return list(db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.entity == "visit", AuditEvent.entity_id == visit_id)
        .order_by(AuditEvent.id)))


def no_wait_engine() -> sa.Engine:
    """A second connection to the test's database that fails at once instead of waiting for a lock."""
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        return sa.create_engine(url, connect_args={"timeout": 0}, isolation_level="AUTOCOMMIT")
    return sa.create_engine(url, connect_args={"options": "-c lock_timeout=200"})


def write_elsewhere(statement: str, **params: Any) -> None:
    """Run one write on a connection of its own, committed at once (it fails rather than waits for a lock)."""
    engine = no_wait_engine()
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                conn.execute(sa.text(statement), params)
                conn.exec_driver_sql("COMMIT")
            else:
                conn.execute(sa.text(statement), params)
                conn.commit()
    finally:
        engine.dispose()


@pytest.fixture
def renders(app, monkeypatch):  # type: ignore[no-untyped-def]
    """Count the PDF renders; ``during_first`` runs inside the first one."""
    real = app.extensions["fbss_eval.render_report"]
    state: dict[str, Any] = {"count": 0, "during_first": None}

    def render(report: Any) -> bytes:
        state["count"] += 1
        hook: Callable[[], None] | None = state["during_first"]
        if state["count"] == 1 and hook is not None:
            hook()
        return real(report)

    monkeypatch.setitem(app.extensions, "fbss_eval.render_report", render)
    return state
