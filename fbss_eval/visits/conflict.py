"""The section save with its conflict flow, for the section page and the autosave endpoint: what
``_rev`` and ``_base`` a page carries, the save-or-merge call in one unit of work, and what the
conflict page shows (see ``services/merge.py`` for the merge itself)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import abort

from ..checklist.schema import Section
from ..models import User
from ..models import Visit
from ..models import VisitSection
from ..services import merge
from ..services import visits as service


def posted_rev(form: Mapping[str, str]) -> int:
    """The ``_rev`` a form was posted with (-1, never a revision, when missing or not a number)."""
    try:
        return int(form.get("_rev", "-1"))
    except ValueError:
        return -1


def page_state(visit: Visit, spec: Section, row: VisitSection | None) -> tuple[int, str]:
    """``(_rev, _base)`` of a page showing the saved answers of ``row``."""
    rev = row.rev if row is not None else 0
    return rev, merge.base_token(visit.id, spec.key, rev, (row.answers or {}) if row is not None else {})


def posted_state(form: Mapping[str, str]) -> tuple[int, str]:
    """``(_rev, _base)`` as posted: a page shown again with the same input keeps them."""
    return posted_rev(form), form.get("_base", "")


def save(visit: Visit, spec: Section, answers: Mapping[str, Any], form: Mapping[str, str], by: User,
         allow_merge: bool = True) -> merge.Outcome:
    """Save a section (merging into a newer version if need be) in one unit of work. A
    ``StaleDataError`` (a write the row lock did not cover) is retried once, then it is a conflict."""
    rev = posted_rev(form)
    base = merge.read_base(form.get("_base"), visit.id, spec.key, rev)
    if not allow_merge:
        base = None if base is None else merge.Base(base.rev, base.answers)
    choices = merge.posted_choices(form, base.asks if base else ()) if allow_merge else None
    try:
        return merge.save_committed(visit, spec, answers, rev, base, choices, by)
    except service.NotEditableError:  # signed meanwhile (seen under the visit's row lock)
        abort(403)


def conflict_context(visit: Visit, spec: Section, outcome: merge.Outcome,
                     form: Mapping[str, str]) -> dict[str, Any]:
    """What the conflict page shows: who saved when, each differing field, the choices needed,
    and the ``_rev``/``_base`` of the version the merged form now builds on."""
    m = _merge_of(outcome)
    token = merge.base_token(visit.id, spec.key, outcome.their_rev, outcome.their_answers,
                             orig=outcome.base_answers, asks=m.asks)
    return {
        "by": outcome.their_by,
        "at": outcome.their_at,
        "changes": m.changes,
        "asks": set(m.asks),
        "unresolved": set(m.unresolved),
        "base_known": m.base_known,
        "rev": outcome.their_rev,
        "token": token,
        "answers": m.answers,  # their version with my changes: what the merged form starts from
        "keep_prefix": merge.KEEP_PREFIX,
        "chosen": {k: v for k, v in merge.posted_choices(form, m.asks).items() if v in ("mine", "theirs")},
    }


def merged_message(outcome: merge.Outcome) -> str:
    """The note shown after my changes were applied on top of a newer version."""
    merged = _merge_of(outcome)
    when = outcome.their_at.strftime("%H:%M UTC") if outcome.their_at else ""
    mine = ", ".join(merged.keys("mine")) or "none"
    theirs = ", ".join(merged.keys("theirs")) or "none"
    return (f"{outcome.their_by or 'Someone'} saved this section {when} after you opened it. "
            f"Your changes ({mine}) were applied on top of theirs ({theirs}).")


def _merge_of(outcome: merge.Outcome) -> merge.Merge:
    if outcome.merge is None:
        raise ValueError("the save went through: there is no merge to show")
    return outcome.merge
