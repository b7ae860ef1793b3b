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
    required = [section for section in visit_sections() if section.required]
    done = _done_sections([section.key for section in required])
    total = sum(n for status, n in by_status.items() if status != VOIDED)
    missing = [SectionMissing(section.key, section.title, total - done.get(section.key, 0)) for section in required]
    return Dashboard(
        by_status=by_status,
        unsigned_days=unsigned_days,
        unsigned_old=visit_count(VisitFilter(unsigned_days=unsigned_days, today=today)),
        critical_unacknowledged=visit_count(VisitFilter(critical_unacknowledged=True)),
        missing_by_section=missing,
        carried_forward=visit_count(VisitFilter(carried_forward=True)),
    )


def _done_sections(keys: list[str]) -> dict[str, int]:
    """How many visits that are not voided have each section done (two statements). Each
    (section, status) pair is counted on its own range of ix_visit_section_key_status, read from
    the index alone (a GROUP BY, or a join to the visit for its status, would touch every row);
    the done sections of voided visits, few, are then taken off."""
    if not keys:
        return {}
    pairs = [(key, status) for key in keys for status in DONE_STATUSES]
    counts = db.session.execute(sa.select(*(
        sa.select(sa.func.count()).where(VisitSection.section_key == key, VisitSection.status == status)
        .scalar_subquery() for key, status in pairs))).one()
    done = dict.fromkeys(keys, 0)
    for (key, _status), n in zip(pairs, counts, strict=True):
        done[key] += int(n or 0)
    # Seeks per (section, status, voided visit) in the same index (a join would walk every row).
    voided = db.session.execute(
        sa.select(VisitSection.section_key, sa.func.count())
        .where(VisitSection.visit_id.in_(sa.select(Visit.id).where(status_text() == VOIDED)),
               VisitSection.section_key.in_(keys), VisitSection.status.in_(DONE_STATUSES))
        .group_by(VisitSection.section_key)).all()
    for key, n in voided:
        done[key] -= int(n)
    return done
