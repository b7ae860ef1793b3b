"""Searching the audit trail: a typed filter, newest first, one page at a time."""

from __future__ import annotations

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
    return stmt


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
