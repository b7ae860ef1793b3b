"""The allowed status transitions of a visit and of a visit's section, one table each.

A visit: ``draft -> signed -> amending -> signed`` (each signing after an amendment is revision
n+1), and from any of those to ``voided`` (started in error; final). ``services/signing.py`` and
``services/voiding.py`` make those moves through ``set_visit_status``; the database's check
constraints hold the states and its triggers (``models/visit_locks.py``) the moves.

A section's status follows its answers (``services.visits.recompute``: empty, in progress or
complete, back to empty when every answer is cleared) and the clinician's "not assessed", so
every section status may follow every other; the table says so explicitly, and the check still
refuses a value that is not a section status.

Every status is set through ``set_visit_status`` / ``set_section_status``, which call
``check_transition(current, target)`` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from typing import TypeVar

from ..models import SectionStatus
from ..models import Visit
from ..models import VisitSection
from ..models import VisitStatus

VISIT_START = VisitStatus.DRAFT  # where every visit begins
VISIT_TRANSITIONS: Mapping[VisitStatus, frozenset[VisitStatus]] = {
    VisitStatus.DRAFT: frozenset({VisitStatus.SIGNED, VisitStatus.VOIDED}),
    VisitStatus.SIGNED: frozenset({VisitStatus.AMENDING, VisitStatus.VOIDED}),
    VisitStatus.AMENDING: frozenset({VisitStatus.SIGNED, VisitStatus.VOIDED}),
    VisitStatus.VOIDED: frozenset(),  # final: a voided visit is kept as it is
}

SECTION_TRANSITIONS: Mapping[SectionStatus, frozenset[SectionStatus]] = {
    status: frozenset(SectionStatus) for status in SectionStatus
}

_TABLES: dict[type, Mapping[Any, frozenset[Any]]] = {
    VisitStatus: VISIT_TRANSITIONS,
    SectionStatus: SECTION_TRANSITIONS,
}

Status = TypeVar("Status", VisitStatus, SectionStatus)


class TransitionError(ValueError):
    """A status change the transition table does not allow."""

    def __init__(self, current: object, target: object, allowed: frozenset[Any] = frozenset()) -> None:
        choices = ", ".join(sorted(str(s) for s in allowed)) or "nothing"
        super().__init__(f"status cannot go from {current!s} to {target!s} (from {current!s}: {choices})")
        self.current = current
        self.target = target


def may_transition(current: Status, target: Status) -> bool:
    """True when the table allows ``current -> target`` (``check_transition`` without raising)."""
    table = _TABLES.get(type(current))
    return table is not None and type(target) is type(current) and target in table.get(current, frozenset())


def check_transition(current: Status, target: Status) -> None:
    """Raise ``TransitionError`` unless the table allows ``current -> target``. A visit status and
    a section status never mix; a plain string is refused (convert it with ``VisitStatus(...)``)."""
    table = _TABLES.get(type(current))
    if table is None or type(target) is not type(current):
        raise TransitionError(current, target)
    allowed = table.get(current, frozenset())
    if target not in allowed:
        raise TransitionError(current, target, allowed)


def set_visit_status(visit: Visit, target: VisitStatus) -> None:
    """Move a visit to ``target`` if the table allows it from where it is."""
    check_transition(VisitStatus(visit.status), target)
    visit.status = target


def set_section_status(row: VisitSection, target: SectionStatus) -> None:
    """Move a section to ``target`` if the table allows it (a row not yet stored is ``empty``)."""
    current = SectionStatus(row.status) if row.status is not None else SectionStatus.EMPTY
    check_transition(current, target)
    row.status = target
