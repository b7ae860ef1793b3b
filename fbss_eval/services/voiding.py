"""Voiding a visit started in error, and the same-day check that prevents most such visits.

A voided visit is never deleted: it keeps every answer, projection and signed revision, and gains
who voided it, when and why. It is left out of lists, counts, trends and the carry-forward, is
shown marked VOID (on screen and on both PDFs), and never changes again: the transition table
(``services/transitions.py``) has no move out of ``voided``, and the database's triggers
(``models/visit_locks.py``) refuse any change to a voided visit, its sections or projections.

Who may void: the visit's own clinician while it is a draft (nobody else has relied on it yet);
an administrator at any status, a signed visit included (the record stays, marked VOID).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import User
from ..models import Visit
from ..models import VisitStatus
from ..models.base import now_utc
from . import audit
from .transitions import set_visit_status

REASON_MAX = 500


class VoidNotAllowedError(Exception):
    """This user may not void this visit (or it is voided already)."""


class VoidReasonError(ValueError):
    """A visit is voided only with a reason."""


def may_void(user: User, visit: Visit) -> bool:
    """The visit's clinician while it is a draft; an administrator at any status but voided."""
    if visit.status == VisitStatus.VOIDED:
        return False
    if user.is_admin:
        return True
    return visit.status == VisitStatus.DRAFT and visit.clinician_id == user.id


def void_visit(visit: Visit, by: User, reason: str) -> None:
    """Mark ``visit`` voided by ``by`` with ``reason`` (audited). Raises ``VoidNotAllowedError``
    (not allowed, or voided meanwhile) or ``VoidReasonError`` (no reason, or too long)."""
    text = " ".join((reason or "").split())
    if not text:
        raise VoidReasonError("Give the reason for voiding this visit.")
    if len(text) > REASON_MAX:
        raise VoidReasonError(f"Keep the reason under {REASON_MAX} characters.")
    # Serialised with the visit's saves and signing; decided on the row as last committed.
    db.session.scalars(
        sa.select(Visit).where(Visit.id == visit.id).with_for_update(of=Visit)
        .execution_options(populate_existing=True)
    ).one()
    if not may_void(by, visit):
        raise VoidNotAllowedError(visit.id)
    before = VisitStatus(visit.status)
    now = now_utc()
    set_visit_status(visit, VisitStatus.VOIDED)
    visit.voided_at, visit.voided_by_id, visit.void_reason = now, by.id, text
    visit.updated_at = now
    db.session.flush()
    audit.record("void", "visit", visit.id,
                 {"status": [before.value, VisitStatus.VOIDED.value], "void_reason": [None, text]}, user=by)


def void_note(visit: Visit) -> str | None:
    """``Voided by <name> at <time> UTC: <reason>`` for a voided visit (its PDFs print it); None
    for any other."""
    if visit.status != VisitStatus.VOIDED:
        return None
    who = db.session.get(User, visit.voided_by_id) if visit.voided_by_id else None
    when = visit.voided_at.strftime("%Y-%m-%d %H:%M UTC") if visit.voided_at else "?"
    return f"Voided by {who.full_name if who else '?'} at {when}: {visit.void_reason}"


def same_day_visits(patient_id: int, visit_date: date) -> list[Visit]:
    """The patient's visits (not voided) on ``visit_date``: starting another asks first."""
    return list(db.session.scalars(
        sa.select(Visit).where(Visit.patient_id == patient_id, Visit.visit_date == visit_date,
                               Visit.status != VisitStatus.VOIDED).order_by(Visit.id)
    ))
