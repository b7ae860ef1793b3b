"""What a visit still lacks: per section, the required questions left blank, each with the id of
its input on the section page (``checklist.completeness.missing_items``), and the sections carried
forward from the previous visit that nobody has confirmed yet."""

from __future__ import annotations

from dataclasses import dataclass

from ..checklist.completeness import MissingItem
from ..checklist.completeness import missing_items
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from . import visits as visit_service


@dataclass(frozen=True)
class SectionGap:
    """A required section that is neither complete nor marked not assessed, or one carried
    forward and not confirmed; ``items`` are its blank required questions."""

    key: str
    title: str
    status: str
    items: tuple[MissingItem, ...]
    carried_forward: bool


def can_view(user: User, visit: Visit) -> bool:
    """Admins, and the visit's own clinician."""
    return user.is_admin or visit.clinician_id == user.id


def gaps(visit: Visit) -> list[SectionGap]:
    """The visit's gaps in workup order (one query for its sections)."""
    rows = visit_service.section_rows(visit)
    out: list[SectionGap] = []
    for section in visit_service.sections_of(visit):
        row = rows.get(section.key)
        status = row.status if row is not None else SectionStatus.EMPTY.value
        carried = row is not None and row.carried_forward_from is not None
        done = status in (SectionStatus.COMPLETE.value, SectionStatus.NOT_ASSESSED.value)
        if (section.required and not done) or carried:
            items = () if status == SectionStatus.NOT_ASSESSED.value else tuple(
                missing_items(section, (row.answers or {}) if row is not None else {}))
            out.append(SectionGap(section.key, section.title, str(status), items, carried))
    return out
