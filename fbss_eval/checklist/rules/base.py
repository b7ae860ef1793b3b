"""Decision-support primitives: a read-only view of a visit's answers and the Pointer it yields.

Pointers support the clinician's reasoning; they never state a diagnosis. Each names its rule,
the findings that triggered it and its source, so the clinician can see why it is there.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..derived import Derived
from ..derived import derive
from ..schema import Result
from ..settings import ScoringSettings


@dataclass(frozen=True)
class Pointer:
    """One suggestion for the differential."""

    rule: str  # stable key, e.g. "timing.no_relief"
    title: str  # what the rule noticed, e.g. "No relief at all after the index operation"
    suggests: tuple[str, ...]  # pain-generator category keys (categories.PAIN_GENERATORS)
    reasons: tuple[str, ...]  # the findings that triggered it, in words
    source: str  # citation
    unverified: bool = False  # rests on a threshold the reference marks UNVERIFIED


class VisitData:
    """Answers of one visit, by section key, plus the instrument results computed from them and
    the values derived from its dates (``derived.py``: age, months since each operation ...;
    without ``derived``, those the answers alone give, so no age)."""

    def __init__(
        self,
        answers: Mapping[str, Mapping[str, Any]],
        results: Mapping[str, Result] | None = None,
        derived: Derived | None = None,
    ) -> None:
        self.answers = answers
        self.results = dict(results or {})
        self.derived = derived if derived is not None else derive(answers)

    def get(self, section: str, field: str, default: Any = None) -> Any:
        """A field's stored value; ``default`` when the section or field is absent or blank."""
        value = self.answers.get(section, {}).get(field)
        return default if value in (None, "", []) else value

    def rows(self, section: str, group: str) -> list[Mapping[str, Any]]:
        """Rows of a repeat group (empty list when absent)."""
        rows = self.answers.get(section, {}).get(group)
        return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []

    def result(self, instrument: str) -> Result | None:
        """The scored result of an instrument, if it was scored."""
        return self.results.get(instrument)


RuleFn = Callable[[VisitData, ScoringSettings], Iterable[Pointer]]
RULES: list[RuleFn] = []


def rule(fn: RuleFn) -> RuleFn:
    """Register a rule function; ``rules.pointers()`` runs every registered rule."""
    RULES.append(fn)
    return fn
