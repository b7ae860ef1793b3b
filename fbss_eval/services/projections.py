"""The queryable projections a visit save rewrites in the same transaction: instrument scores,
the differential's findings, and alerts (design.md section 4)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import cast

import sqlalchemy as sa

from ..checklist.categories import PAIN_GENERATORS
from ..checklist.evaluate import Evaluation
from ..checklist.schema import Result
from ..extensions import db
from ..models import Finding
from ..models import InstrumentScore
from ..models import SectionStatus
from ..models import Visit
from ..models import VisitAlert
from ..models import VisitSection
from ..models.base import now_utc

# The instrument_score columns a save writes, in the order ``_score_values`` gives them.
SCORE_COLUMNS = ("instrument", "score", "band", "band_label", "positive", "n_answered", "n_items",
                 "subscores", "notes")


def _json_text(value: Any) -> str | None:
    """A JSON value as canonical text: two values compare equal only when they are stored alike."""
    return None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))


def _score_values(key: str, result: Result) -> tuple[Any, ...]:
    return (key, result.score, result.band, result.band_label, result.positive, result.n_answered,
            result.n_items, dict(result.subscores) or None, list(result.notes) or None)


def _comparable(values: Sequence[Any]) -> tuple[Any, ...]:
    """A score row as compared: the score as the float column holds it, JSON as canonical text."""
    key, score, band, band_label, positive, n_answered, n_items, subscores, notes = values
    return (key, None if score is None else float(score), band, band_label, positive, n_answered, n_items,
            _json_text(subscores), _json_text(notes))


def write_scores(visit: Visit, evaluation: Evaluation) -> None:
    """Make the visit's instrument_score rows those of its evaluation: one read, and only the rows
    that differ deleted and inserted again (a constant number of statements whatever changed)."""
    wanted = {key: _score_values(key, result) for key, result in {**evaluation.results, **evaluation.nrs}.items()}
    table = cast(sa.Table, InstrumentScore.__table__)
    stored = db.session.execute(
        sa.select(table.c.id, *(table.c[name] for name in SCORE_COLUMNS)).where(table.c.visit_id == visit.id)
    ).all()
    kept = {row[1] for row in stored if row[1] in wanted and _comparable(row[1:]) == _comparable(wanted[row[1]])}
    _replace(table, visit, [row[0] for row in stored if row[1] not in kept],
             [dict(zip(SCORE_COLUMNS, values, strict=True)) for key, values in wanted.items() if key not in kept])


def write_findings(visit: Visit, rows: Mapping[str, VisitSection]) -> None:
    """Make the visit's finding rows those of its differential (not-assessed likelihoods left out),
    writing only the rows that differ."""
    row = rows.get("differential")
    answers = (row.answers if row is not None and row.status != SectionStatus.NOT_ASSESSED else {}) or {}
    wanted = {}
    for category in PAIN_GENERATORS:
        likelihood = answers.get(f"lh_{category.value}")
        if likelihood and likelihood != "not_assessed":
            wanted[category.value] = likelihood
    table = cast(sa.Table, Finding.__table__)
    stored = db.session.execute(
        sa.select(table.c.id, table.c.category, table.c.likelihood).where(table.c.visit_id == visit.id)).all()
    kept = {category for _id, category, likelihood in stored if wanted.get(category) == likelihood}
    _replace(table, visit, [row_id for row_id, category, _likelihood in stored if category not in kept],
             [{"category": category, "likelihood": likelihood}
              for category, likelihood in wanted.items() if category not in kept])


def _replace(table: sa.Table, visit: Visit, stale_ids: list[int], new_rows: list[dict[str, Any]]) -> None:
    """Delete the visit's ``stale_ids`` rows of ``table`` and insert ``new_rows`` (at most one
    statement each; the deletes first, so a replaced row's unique key is free)."""
    if stale_ids:
        db.session.execute(sa.delete(table).where(table.c.visit_id == visit.id, table.c.id.in_(stale_ids)))
    if new_rows:
        db.session.execute(sa.insert(table), [{"visit_id": visit.id, **values} for values in new_rows])


def write_alerts(visit: Visit, evaluation: Evaluation) -> None:
    """Raise, update or retire the visit's alerts; a changed finding needs a fresh acknowledgement.

    A must-acknowledge alert that the patient's previous visit raised with the same evidence and
    that was acknowledged there is shown as acknowledged earlier, not raised anew (looked up for
    all such alerts at once: two statements at most, however many alerts wait)."""
    existing = {a.kind: a for a in db.session.scalars(sa.select(VisitAlert).where(VisitAlert.visit_id == visit.id))}
    raised = {alert.kind: alert for alert in evaluation.alerts}
    for kind, stale in existing.items():
        if kind not in raised:
            stale.active = False
    waiting: dict[str, VisitAlert] = {}
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
            waiting[kind] = row
    if waiting:
        earlier = earlier_acknowledgements(visit, {kind: list(row.evidence or []) for kind, row in waiting.items()})
        for kind, row in waiting.items():
            row.earlier_acknowledgement = earlier.get(kind)


def _previous_visit(visit: Visit) -> Visit | None:
    """The patient's visit just before this one (by date, then by id), voided ones left out."""
    earlier = sa.or_(Visit.visit_date < visit.visit_date,
                     sa.and_(Visit.visit_date == visit.visit_date, Visit.id < visit.id))
    return db.session.scalars(
        sa.select(Visit).where(Visit.patient_id == visit.patient_id, Visit.id != visit.id, earlier,
                               sa.cast(Visit.status, sa.String(12)) != "voided")
        .order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(1)
    ).first()


def earlier_acknowledgements(visit: Visit, evidence: Mapping[str, list[str]]) -> dict[str, dict[str, Any]]:
    """For each alert kind of ``evidence`` that the patient's previous visit raised with the same
    evidence: a copy of its acknowledgement there (visit_id, visit_date, by, at, action), or the
    earlier acknowledgement that one carried. Kinds with neither are left out."""
    previous = _previous_visit(visit)
    if previous is None:
        return {}
    found: dict[str, dict[str, Any]] = {}
    for before in db.session.scalars(sa.select(VisitAlert).where(
            VisitAlert.visit_id == previous.id, VisitAlert.kind.in_(list(evidence)), VisitAlert.active.is_(True))):
        if list(before.evidence or []) != evidence[before.kind]:
            continue
        if before.acknowledged_at is not None:
            found[before.kind] = {
                "visit_id": previous.id, "visit_date": previous.visit_date.isoformat(),
                "by": before.acknowledged_by.full_name if before.acknowledged_by else None,
                "at": before.acknowledged_at.strftime("%Y-%m-%d %H:%M UTC"), "action": before.action_taken,
            }
        elif before.earlier_acknowledgement:
            found[before.kind] = dict(before.earlier_acknowledgement)
    return found
