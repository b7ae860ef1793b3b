"""Carried-forward history sections: "to confirm" until the clinician confirms or edits them.

A new visit starts with the history sections of the patient's previous visit
(``visits.start_visit``); each such section row records the visit it came from in
``VisitSection.carried_forward_from``. While that column is set the section is *to confirm*: it
counts as not done in the progress and the section list, its page names the visit it came from
and offers "Confirm unchanged", and signing waits for it (``signing.sign_blockers``). Confirming
it (here) or saving it with any answers (``visits.save_sections``) clears the column; either is
audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..checklist.schema import Section
from ..extensions import db
from ..models import User
from ..models import Visit
from ..models import VisitSection
from ..models.base import now_utc
from . import audit
from .visits import CONFIRM_ACTION as CONFIRM_ACTION
from .visits import NotEditableError
from .visits import StaleSectionError
from .visits import lock_visit
from .visits import recompute
from .visits import section_rows
from .visits import sections_of


class NothingToConfirmError(Exception):
    """The section is not awaiting confirmation (never carried forward, or already confirmed or
    edited)."""


@dataclass(frozen=True)
class CarriedFrom:
    """The visit a section was carried forward from, as the page names it."""

    visit_id: int
    visit_date: date
    visit_type: str


def to_confirm(row: VisitSection | None) -> bool:
    """True while a section row is carried forward and neither confirmed nor edited."""
    return row is not None and row.carried_forward_from is not None


def carried_from(rows: Iterable[VisitSection]) -> dict[int, CarriedFrom]:
    """The visits the given rows were carried forward from, by id (one query)."""
    ids = {row.carried_forward_from for row in rows if row.carried_forward_from is not None}
    if not ids:
        return {}
    found = db.session.execute(
        sa.select(Visit.id, Visit.visit_date, Visit.visit_type).where(Visit.id.in_(ids))
    ).all()
    return {vid: CarriedFrom(vid, when, kind) for vid, when, kind in found}


def confirm_section(visit: Visit, section: Section, expected_rev: int, by: User) -> VisitSection:
    """Confirm a carried-forward section unchanged: its answers stay as they are and it counts as
    done (when complete). Raises ``NotEditableError`` (signed), ``StaleSectionError`` (saved by
    someone since the page was loaded) or ``NothingToConfirmError``."""
    if not visit.editable:
        raise NotEditableError(visit.id)
    lock_visit(visit)
    rows = section_rows(visit, fresh=True)
    row = rows.get(section.key)
    if row is None or row.carried_forward_from is None:
        raise NothingToConfirmError(section.key)
    if row.rev != expected_rev:
        raise StaleSectionError(row)
    source = row.carried_forward_from
    row.carried_forward_from = None
    row.rev += 1
    row.updated_by_id = by.id
    row.updated_at = now_utc()
    visit.updated_at = now_utc()
    recompute(visit, rows)
    audit.record(CONFIRM_ACTION, "visit", visit.id,
                 {f"{section.key}.carried_forward_from": [source, None]}, user=by)
    return row


def awaiting(rows: Mapping[str, VisitSection]) -> list[str]:
    """Keys of the sections still to confirm."""
    return [key for key, row in rows.items() if to_confirm(row)]


def started_message(visit: Visit) -> str:
    """What the page says once a visit is started: which sections came from which earlier visit,
    or nothing about carrying forward when none did (a first visit)."""
    rows = section_rows(visit)
    titles = [section.title for section in sections_of(visit) if to_confirm(rows.get(section.key))]
    sources = carried_from(rows.values())
    if not titles or not sources:
        return "Visit started."
    source = max(sources.values(), key=lambda s: (s.visit_date, s.visit_id))
    return (f"Visit started. Carried forward from the visit of {source.visit_date.isoformat()}, "
            f"to confirm unchanged or edit: {', '.join(titles)}.")
