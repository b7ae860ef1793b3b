"""The queryable projections a visit save rewrites in the same transaction: instrument scores,
the differential's findings, and alerts (design.md section 4)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from ..checklist.categories import PAIN_GENERATORS
from ..checklist.evaluate import Evaluation
from ..extensions import db
from ..models import Finding
from ..models import InstrumentScore
from ..models import SectionStatus
from ..models import Visit
from ..models import VisitAlert
from ..models import VisitSection
from ..models.base import now_utc


def write_scores(visit: Visit, evaluation: Evaluation) -> None:
    """Rewrite the visit's instrument_score rows from its evaluation."""
    db.session.execute(sa.delete(InstrumentScore).where(InstrumentScore.visit_id == visit.id))
    for key, result in {**evaluation.results, **evaluation.nrs}.items():
        db.session.add(InstrumentScore(
            visit_id=visit.id, instrument=key, score=result.score, band=result.band,
            band_label=result.band_label, positive=result.positive, n_answered=result.n_answered,
            n_items=result.n_items, subscores=dict(result.subscores) or None, notes=list(result.notes) or None,
        ))


def write_findings(visit: Visit, rows: Mapping[str, VisitSection]) -> None:
    """Rewrite the visit's finding rows from its differential (not-assessed likelihoods left out)."""
    db.session.execute(sa.delete(Finding).where(Finding.visit_id == visit.id))
    row = rows.get("differential")
    answers = row.answers if row is not None and row.status != SectionStatus.NOT_ASSESSED else {}
    for category in PAIN_GENERATORS:
        likelihood = (answers or {}).get(f"lh_{category.value}")
        if likelihood and likelihood != "not_assessed":
            db.session.add(Finding(visit_id=visit.id, category=category.value, likelihood=likelihood))


def write_alerts(visit: Visit, evaluation: Evaluation) -> None:
    """Raise, update or retire the visit's alerts; a changed finding needs a fresh acknowledgement.

    A must-acknowledge alert that the patient's previous visit raised with the same evidence and
    that was acknowledged there is shown as acknowledged earlier, not raised anew."""
    existing = {a.kind: a for a in db.session.scalars(sa.select(VisitAlert).where(VisitAlert.visit_id == visit.id))}
    raised = {alert.kind: alert for alert in evaluation.alerts}
    for kind, stale in existing.items():
        if kind not in raised:
            stale.active = False
    for kind, alert in raised.items():
        evidence = list(alert.evidence)
        row = existing.get(kind)
        if row is None:
            row = VisitAlert(
                visit_id=visit.id, kind=kind, severity=alert.severity, message=alert.message,
                evidence=evidence, advice=alert.action, must_acknowledge=alert.must_acknowledge,
            )
            db.session.add(row)
        elif not row.active or row.evidence != evidence:
            # A new or changed finding needs a fresh acknowledgement.
            row.raised_at = now_utc()
            row.acknowledged_at = row.acknowledged_by_id = row.action_taken = None
            row.earlier_acknowledgement = None
        row.active, row.severity, row.message = True, alert.severity, alert.message
        row.evidence, row.advice, row.must_acknowledge = evidence, alert.action, alert.must_acknowledge
        if row.must_acknowledge and row.acknowledged_at is None and row.earlier_acknowledgement is None:
            row.earlier_acknowledgement = earlier_acknowledgement(visit, kind, evidence)


def _previous_visit(visit: Visit) -> Visit | None:
    """The patient's visit just before this one (by date, then by id), voided ones left out."""
    earlier = sa.or_(Visit.visit_date < visit.visit_date,
                     sa.and_(Visit.visit_date == visit.visit_date, Visit.id < visit.id))
    return db.session.scalars(
        sa.select(Visit).where(Visit.patient_id == visit.patient_id, Visit.id != visit.id, earlier,
                               sa.cast(Visit.status, sa.String(12)) != "voided")
        .order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(1)
    ).first()


def earlier_acknowledgement(visit: Visit, kind: str, evidence: list[str]) -> dict[str, Any] | None:
    """The acknowledgement of this alert at the patient's previous visit, when that visit raised it
    with the same evidence (a copy: visit_id, visit_date, by, at, action); else None."""
    previous = _previous_visit(visit)
    if previous is None:
        return None
    before = db.session.scalars(sa.select(VisitAlert).where(
        VisitAlert.visit_id == previous.id, VisitAlert.kind == kind, VisitAlert.active.is_(True))).first()
    if before is None or list(before.evidence or []) != evidence:
        return None
    if before.acknowledged_at is not None:
        return {
            "visit_id": previous.id, "visit_date": previous.visit_date.isoformat(),
            "by": before.acknowledged_by.full_name if before.acknowledged_by else None,
            "at": before.acknowledged_at.strftime("%Y-%m-%d %H:%M UTC"), "action": before.action_taken,
        }
    return dict(before.earlier_acknowledgement) if before.earlier_acknowledgement else None
