"""The admin's review dashboard: the numbers that say which visits need chasing. Each number is
the count of the visit list under one ``VisitFilter`` (``services/visit_query.py``), so the link
beside it shows exactly those visits. A handful of statements whatever the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Visit
from ..models import VisitSection
from .visit_query import DONE_STATUSES
from .visit_query import VOIDED
from .visit_query import VisitFilter
from .visit_query import status_text
from .visit_query import visit_count
from .visits import visit_sections


@dataclass(frozen=True)
class SectionMissing:
    """A required section of the current checklist and how many visits lack it."""

    key: str
    title: str
    count: int


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures."""

    by_status: dict[str, int]
    unsigned_days: int
    unsigned_old: int
    critical_unacknowledged: int
    missing_by_section: list[SectionMissing]
    carried_forward: int


def dashboard(unsigned_days: int, today: date | None = None) -> Dashboard:
    """The figures, with drafts counted as old when their visit date is more than
    ``unsigned_days`` days ago."""
    by_status = {str(status): int(n) for status, n in db.session.execute(
        sa.select(Visit.status, sa.func.count()).group_by(Visit.status)).all()}
    done = dict(db.session.execute(
        sa.select(VisitSection.section_key, sa.func.count()).join(Visit, Visit.id == VisitSection.visit_id)
        .where(VisitSection.status.in_(DONE_STATUSES), status_text() != VOIDED)
        .group_by(VisitSection.section_key)).all())
    total = sum(n for status, n in by_status.items() if status != VOIDED)
    missing = [SectionMissing(section.key, section.title, total - int(done.get(section.key, 0)))
               for section in visit_sections() if section.required]
    return Dashboard(
        by_status=by_status,
        unsigned_days=unsigned_days,
        unsigned_old=visit_count(VisitFilter(unsigned_days=unsigned_days, today=today)),
        critical_unacknowledged=visit_count(VisitFilter(critical_unacknowledged=True)),
        missing_by_section=missing,
        carried_forward=visit_count(VisitFilter(carried_forward=True)),
    )
