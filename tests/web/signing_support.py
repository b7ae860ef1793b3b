"""Helpers for the signing tests: a visit with nothing blocking signing, built through the
services as the app builds it, and signing without the PDF renderer where a test is about locks
rather than PDFs."""

from __future__ import annotations

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
