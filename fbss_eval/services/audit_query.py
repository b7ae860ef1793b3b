"""Searching the audit trail: a typed filter, newest first, one page at a time."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import AuditEvent
from ..models import Patient
from ..models import Visit

# Ids and offsets are INTEGER-sized: a larger number matches nothing (PostgreSQL would overflow).
MAX_INTEGER = 2**31 - 1


@dataclass(frozen=True)
class AuditFilter:
    """What to look for; None (or empty) means any. ``user`` matches the username in any case;
    ``since`` and ``until`` are whole days, both included."""

    user: str | None = None
    action: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    since: date | None = None
    until: date | None = None
    # Events about this patient: the patient record itself and every visit of theirs.
    patient_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filter's given values, JSON-ready (what an audit row of a search records)."""
        values = {"user": self.user, "action": self.action, "entity": self.entity, "entity_id": self.entity_id,
                  "since": self.since.isoformat() if self.since else None,
                  "until": self.until.isoformat() if self.until else None, "patient_id": self.patient_id}
        return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True)
class AuditPage:
    """One page of events and whether a next page exists."""

    events: Sequence[AuditEvent]
    page: int
    has_next: bool


class PageOutOfRangeError(LookupError):
    """The page asked for lies beyond the last one (or beyond any possible one)."""


def _where(stmt: sa.Select[Any], f: AuditFilter) -> sa.Select[Any]:
    if f.user:
        stmt = stmt.where(sa.func.lower(AuditEvent.username) == f.user.lower())
    if f.action:
        stmt = stmt.where(AuditEvent.action == f.action)
    if f.entity:
        stmt = stmt.where(AuditEvent.entity == f.entity)
    if f.entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == f.entity_id if 0 <= f.entity_id <= MAX_INTEGER else sa.false())
    if f.since:
        stmt = stmt.where(AuditEvent.at >= datetime.combine(f.since, time(), UTC))
    if f.until:
        stmt = stmt.where(AuditEvent.at < datetime.combine(f.until, time(), UTC) + timedelta(days=1))
    if f.patient_id is not None:
        visits = sa.select(Visit.id).where(Visit.patient_id == f.patient_id)
        stmt = stmt.where(sa.or_(
            sa.and_(AuditEvent.entity == "patient", AuditEvent.entity_id == f.patient_id),
            sa.and_(AuditEvent.entity == "visit", AuditEvent.entity_id.in_(visits))))
    return stmt


def patient_id_of(mrn: str) -> int | None:
    """The id of the patient with this MRN (as typed, surrounding spaces ignored), or None."""
    return db.session.scalar(sa.select(Patient.id).where(Patient.mrn == mrn.strip()))


def iter_audit(f: AuditFilter, batch: int = 500) -> Iterator[AuditEvent]:
    """Every event matching ``f``, newest first, read ``batch`` at a time by id (no OFFSET) and
    let go of after each batch, so that a long trail streams in flat memory."""
    last: int | None = None
    while True:
        stmt = _where(sa.select(AuditEvent), f).order_by(AuditEvent.id.desc()).limit(batch)
        if last is not None:
            stmt = stmt.where(AuditEvent.id < last)
        rows = db.session.scalars(stmt).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        for row in rows:
            db.session.expunge(row)


def search_audit(f: AuditFilter, page: int, per_page: int) -> AuditPage:
    """Page ``page`` (from 1) of the events matching ``f``, newest first. Raises
    ``PageOutOfRangeError`` for a page past the last one (page 1 is never out of range)."""
    page = max(1, page)
    if (page - 1) * per_page > MAX_INTEGER:
        raise PageOutOfRangeError(page)
    stmt = _where(sa.select(AuditEvent), f).order_by(AuditEvent.id.desc())
    rows = db.session.scalars(stmt.limit(per_page + 1).offset((page - 1) * per_page)).all()
    if page > 1 and not rows:
        raise PageOutOfRangeError(page)
    return AuditPage(rows[:per_page], page, len(rows) > per_page)
