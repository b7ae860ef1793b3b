"""The answers that count: what was recorded, without blanks, keys the checklist does not know,
or fields (and repeat groups) whose enable-when does not hold.

Saving refuses hidden answers (``validate.clean_answers``), but stored data can still hold them
(legacy data, a direct database edit, a changed enable-when): everything that scores, shows or
prints answers reads them through ``visible_answers``.

Every visit page, report and export row asks this of every section, so what it needs of a
section (its field keys in order, the fields that have an enable-when at all) is worked out once
per section and kept on it, as ``Section.fields`` keeps its fields: a field without an
enable-when is never hidden, so only the conditional ones are checked again and again.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .completeness import blank
from .schema import EnableWhen
from .schema import Field
from .schema import RepeatGroup
from .schema import Section


@dataclass(frozen=True)
class _Fields:
    """What pruning needs of a run of fields: their keys in order (each once) and the
    conditions of those with an enable-when."""

    keys: tuple[str, ...]
    conditional: tuple[tuple[str, tuple[EnableWhen, ...]], ...]

    @classmethod
    def of(cls, fields: Iterable[Field]) -> _Fields:
        fields = tuple(fields)
        return cls(tuple(dict.fromkeys(f.key for f in fields)),
                   tuple((f.key, f.enable_when) for f in fields if f.enable_when))

    def prune(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """The answers of these fields that are applicable, repeated until stable (a hidden
        field cannot keep another one visible); blank answers left out."""
        kept = {key: value for key in self.keys if not blank(value := answers.get(key))}
        if not self.conditional:
            return kept
        while True:
            hidden = [key for key, conditions in self.conditional
                      if key in kept and not all(c.holds(kept) for c in conditions)]
            if not hidden:
                return kept
            for key in hidden:
                kept.pop(key, None)


@dataclass(frozen=True)
class _Plan:
    """A section's fields and, for each repeat group, the group and its fields."""

    fields: _Fields
    groups: tuple[tuple[RepeatGroup, _Fields], ...]


def _plan(section: Section) -> _Plan:
    cached: _Plan | None = section.__dict__.get("_visible_plan")
    if cached is None:
        cached = _Plan(_Fields.of(section.fields()),
                       tuple((group, _Fields.of(group.fields)) for group in section.groups()))
        object.__setattr__(section, "_visible_plan", cached)
    return cached


def visible_answers(section: Section, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The section's answers without blanks, unknown keys and fields hidden by enable-when."""
    plan = _plan(section)
    kept = plan.fields.prune(answers)
    for group, fields in plan.groups:
        rows = answers.get(group.key)
        if not isinstance(rows, list) or not group.enabled(kept):
            continue
        clean_rows = [fields.prune(row) for row in rows if isinstance(row, Mapping)]
        clean_rows = [row for row in clean_rows if row]
        if clean_rows:
            kept[group.key] = clean_rows
    return kept
