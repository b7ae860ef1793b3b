"""What changed between two signed revisions of a visit, and the history of a visit, both in the
checklist's words: section titles, field labels and option labels, never keys.

Repeat-group rows have no id of their own: they are matched by content. Rows equal in both
revisions are left out, wherever they moved (an operation removed from the middle of the list is
that row removed, not every later row changed); the rows in between are compared in order, the
rest shown as added or removed. A row is named by its number in the later revision ("Operation 2
(was 3)" when it moved), a removed one by its number in the earlier.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from typing import Any

import sqlalchemy as sa

from ..checklist import display
from ..checklist.evaluate import evaluate
from ..checklist.instruments import INSTRUMENTS
from ..checklist.schema import Field
from ..checklist.schema import Item
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from ..extensions import db
from ..models import AuditEvent
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitRevision
from . import visits as visit_service

NONE = "—"
STATUS_LABELS = {"empty": "Not started", "in_progress": "In progress", "complete": "Complete",
                 "not_assessed": "Not assessed"}


def format_value(item: Item | None, value: Any) -> str:
    """A stored value as a clinician reads it: option labels, Yes/No, units; rows one per line."""
    if value is None or value == "" or value == []:
        return NONE
    if isinstance(item, RepeatGroup) and isinstance(value, list):
        return "\n".join(f"{item.row_label.capitalize()} {n}: {_row_text(item, row)}"
                         for n, row in enumerate(value, 1))
    if not isinstance(item, Field):
        return json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
    return display.format_value(item, value)


def _row_text(group: RepeatGroup, row: Mapping[str, Any]) -> str:
    fields = {f.key: f for f in group.fields}
    parts = [f"{fields[k].label if k in fields else k}: {format_value(fields.get(k), v)}"
             for k, v in row.items() if v not in (None, "", [])]
    return "; ".join(parts) or NONE


@dataclass(frozen=True)
class Change:
    """One field (or repeat-group row field) that differs, with both values as read."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class SectionChanges:
    """The changes in one section."""

    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class ScoreChange:
    """An instrument's score and band in both revisions."""

    label: str
    before: str
    after: str
    changed: bool


@dataclass(frozen=True)
class RevisionDiff:
    """Everything that differs between revision ``a`` and revision ``b``."""

    a: VisitRevision
    b: VisitRevision
    sections: tuple[SectionChanges, ...]
    scores: tuple[ScoreChange, ...]


def frozen_sections(revision: VisitRevision) -> dict[str, dict[str, Any]]:
    """A revision's stored sections (answers, status, not-assessed reason) by key."""
    return dict(json.loads(revision.answers_json).get("sections", {}))


def section_changes(section: Section | None, key: str, old: Mapping[str, Any],
                    new: Mapping[str, Any]) -> SectionChanges | None:
    """The field-by-field changes of one section between two stored states (None if equal)."""
    changes: list[Change] = []
    if old.get("status") != new.get("status") or old.get("not_assessed_reason") != new.get("not_assessed_reason"):
        changes.append(Change("Section status", _status_text(old), _status_text(new)))
    before, after = old.get("answers") or {}, new.get("answers") or {}
    items: list[Item] = list(section.items) if section else []
    known = {item.key for item in items}
    for item in items + [Field(k, k, "text") for k in sorted((set(before) | set(after)) - known)]:
        if before.get(item.key) == after.get(item.key):
            continue
        if isinstance(item, RepeatGroup):
            changes.extend(_row_changes(item, before.get(item.key) or [], after.get(item.key) or []))
        else:
            changes.append(Change(item.label, format_value(item, before.get(item.key)),
                                  format_value(item, after.get(item.key))))
    if not changes:
        return None
    return SectionChanges(section.title if section else key, tuple(changes))


def _status_text(state: Mapping[str, Any]) -> str:
    status = state.get("status")
    if not status:
        return NONE
    text = STATUS_LABELS.get(status, status)
    reason = state.get("not_assessed_reason")
    if status == SectionStatus.NOT_ASSESSED.value and reason:
        text += f" ({visit_service.NOT_ASSESSED_REASONS.get(reason, reason)})"
    return text


def _row_changes(group: RepeatGroup, old: list[Any], new: list[Any]) -> list[Change]:
    out: list[Change] = []
    name = f"{group.label}: {group.row_label.capitalize()}"
    before, after = ([json.dumps(row, sort_keys=True, default=str) for row in rows] for rows in (old, new))
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        paired = min(i2 - i1, j2 - j1)
        for i, j in zip(range(i1, i1 + paired), range(j1, j1 + paired), strict=True):
            label = f"{name} {j + 1}" + (f" (was {i + 1})" if i != j else "")
            a, b = old[i] or {}, new[j] or {}
            out += [Change(f"{label}: {f.label}", format_value(f, a.get(f.key)), format_value(f, b.get(f.key)))
                    for f in group.fields if a.get(f.key) != b.get(f.key)]
        out += [Change(f"{name} {i + 1}", _row_text(group, old[i]) if old[i] else NONE, "(row removed)")
                for i in range(i1 + paired, i2)]
        out += [Change(f"{name} {j + 1}", "(no row)", _row_text(group, new[j]) if new[j] else NONE)
                for j in range(j1 + paired, j2)]
    return out


def diff_revisions(visit: Visit, a: VisitRevision, b: VisitRevision) -> RevisionDiff:
    """What changed from revision ``a`` to revision ``b``, section by section, with the
    instrument scores of both."""
    sections = visit_service.sections_of(visit)
    by_key = {s.key: s for s in sections}
    old, new = frozen_sections(a), frozen_sections(b)
    ordered = [s.key for s in sections] + sorted((set(old) | set(new)) - set(by_key))
    found = [section_changes(by_key.get(k), k, old.get(k) or {}, new.get(k) or {}) for k in ordered]
    return RevisionDiff(a, b, tuple(c for c in found if c), _score_changes(visit, sections, old, new))


def _scores(visit: Visit, sections: tuple[Section, ...], frozen: Mapping[str, Any]) -> dict[str, str]:
    answers = {k: dict(v.get("answers") or {}) for k, v in frozen.items()
               if v.get("status") != SectionStatus.NOT_ASSESSED.value}
    evaluation = evaluate(answers, sections, visit_service.scoring_settings(), today=visit.visit_date,
                          birth_date=visit.patient.birth_date)
    out = {}
    for key, result in {**evaluation.results, **evaluation.nrs}.items():
        score = NONE if result.score is None else f"{result.score:g}"
        out[key] = f"{score} ({result.band_label})" if result.band_label else score
    return out


def _score_changes(visit: Visit, sections: tuple[Section, ...], old: Mapping[str, Any],
                   new: Mapping[str, Any]) -> tuple[ScoreChange, ...]:
    before, after = _scores(visit, sections, old), _scores(visit, sections, new)
    names = {s.instrument: s.title for s in sections if s.instrument}
    names.update({f.key: f.label for s in sections if s.key == "visit" for f in s.fields()})  # the NRS
    out = []
    for key in sorted(set(before) | set(after)):
        instrument = INSTRUMENTS.get(key)
        label = names.get(key) or (instrument.name if instrument else key.replace("_", " "))
        b, c = before.get(key, NONE), after.get(key, NONE)
        out.append(ScoreChange(label, b, c, b != c))
    return tuple(out)


# --- history ---------------------------------------------------------------------------------

ACTION_LABELS = {
    "create": "Visit started", "update": "Saved", "acknowledge_alert": "Alert acknowledged",
    "sign": "Signed", "sign_refused": "Signing refused", "amend": "Amendment started",
    "export_pdf": "PDF opened", "autosave": "Autosaved",
    visit_service.CONFIRM_ACTION: "Carried-forward section confirmed unchanged",
}


@dataclass(frozen=True)
class HistoryEntry:
    """One event in a visit's history."""

    at: datetime
    who: str
    action: str
    changes: tuple[Change, ...]


def visit_history(visit: Visit) -> list[HistoryEntry]:
    """Every audited event of the visit, in order, with field-level old -> new in labels."""
    rows = db.session.execute(
        sa.select(AuditEvent, User.full_name).outerjoin(User, User.id == AuditEvent.user_id)
        .where(AuditEvent.entity == "visit", AuditEvent.entity_id == visit.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    sections = {s.key: s for s in visit_service.sections_of(visit)}
    return [
        HistoryEntry(event.at, name or event.username or "system", ACTION_LABELS.get(event.action, event.action),
                     tuple(_event_change(sections, event.action, key, value)
                           for key, value in (event.changes or {}).items()))
        for event, name in rows
    ]


def _event_change(sections: Mapping[str, Section], action: str, key: str, value: Any) -> Change:
    if not (isinstance(value, list) and len(value) == 2):  # a detail of the event, not old -> new
        return Change(key.replace("_", " ").capitalize(), "", _plain(value))
    old, new = value
    section_key, _, field_key = key.partition(".")
    section = sections.get(section_key) if field_key else None
    if action == "acknowledge_alert":
        return Change(f"Alert ({key.replace('.', ': ').replace('_', ' ')}): action taken", _plain(old), _plain(new))
    if section is None:
        return Change(key.replace("_", " ").capitalize(), _plain(old), _plain(new))
    if field_key == "carried_forward_from":
        return Change(f"{section.title}: carried forward from visit {old}", "to confirm",
                      "confirmed unchanged" if action == visit_service.CONFIRM_ACTION else "edited")
    if field_key == "not_assessed":
        return Change(f"{section.title}: marked not assessed", NONE,
                      visit_service.NOT_ASSESSED_REASONS.get(str(new), str(new)))
    try:
        item: Item | None = section.item(field_key)
    except KeyError:
        item = None
    label = item.label if item else field_key
    return Change(f"{section.title}: {label}", format_value(item, old), format_value(item, new))


def event_change(sections: Mapping[str, Section], action: str, key: str, value: Any) -> Change:
    """One ``key: [old, new]`` of a visit's audit row in labels (the audit page reads it too)."""
    return _event_change(sections, action, key, value)


def _plain(value: Any) -> str:
    if value is None or value == "":
        return NONE
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
