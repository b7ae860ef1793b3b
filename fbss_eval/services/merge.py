"""Merging a stale section save with the version someone else saved meanwhile (a three-way merge).

The page carries the answers it was opened with, as ``_base``: a token signed with the app's
secret key that names the visit, the section and the revision (``_rev``) the answers belong to.
Signing keeps the check on the server without a history table: a token for another section,
visit or revision, or one that was altered, is ignored, and then every field that differs from
the saved version asks for a choice (asking more is safe; guessing is not).

With the base known, each field is one of:
- changed only by me: applied on top of the newer version;
- changed only by them: their value is kept;
- changed by both to the same value: nothing to decide;
- changed by both differently: the clinician chooses (keep mine / keep theirs).
Repeat groups (operations, imaging studies ...) are merged as one unit each. When nothing needs a
choice the merged answers are saved at once; else the conflict page shows the form filled with the
merged answers (theirs, with mine on top, mine for the fields to decide) and a choice per field.
Nothing typed is dropped unless the clinician chooses "keep theirs" for that field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any
from typing import Literal

from flask import current_app
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer
from sqlalchemy.orm.exc import StaleDataError

from ..checklist.completeness import blank
from ..checklist.display import format_value
from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from ..checklist.validate import clean_answers
from ..extensions import db
from ..models import User
from .unit_of_work import unit_of_work

SALT = "fbss-section-base"
KEEP_PREFIX = "_keep-"
Who = Literal["mine", "theirs", "both", "same"]
EMPTY = "—"


@dataclass(frozen=True)
class Base:
    """What a page was opened with: the answers at ``rev``; on a conflict page also the answers
    of the first page (``orig``, for the "when you opened it" column) and the fields to decide."""

    rev: int
    answers: dict[str, Any]
    orig: dict[str, Any] | None = None
    asks: tuple[str, ...] = ()


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.secret_key), salt=SALT)


def base_token(visit_id: int, key: str, rev: int, answers: Mapping[str, Any],
               orig: Mapping[str, Any] | None = None, asks: tuple[str, ...] = ()) -> str:
    """The signed ``_base`` of a page showing ``answers`` at revision ``rev``."""
    payload: dict[str, Any] = {"v": visit_id, "s": key, "r": rev, "a": dict(answers)}
    if orig is not None:
        payload["o"] = dict(orig)
    if asks:
        payload["k"] = list(asks)
    return _serializer().dumps(payload)


def read_base(token: str | None, visit_id: int, key: str, rev: int) -> Base | None:
    """The base a posted page was opened with, or None when the token is missing, altered, or
    belongs to another visit, section or revision."""
    if not token:
        return None
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or (data.get("v"), data.get("s"), data.get("r")) != (visit_id, key, rev):
        return None
    orig = data.get("o")
    return Base(rev, dict(data.get("a") or {}), dict(orig) if isinstance(orig, dict) else None,
                tuple(str(k) for k in data.get("k") or ()))


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between the base, their saved version and my input (as text)."""

    key: str
    label: str
    who: Who
    base: str
    theirs: str
    mine: str


@dataclass(frozen=True)
class Merge:
    """The result of merging my input into their newer version."""

    answers: dict[str, Any]  # theirs with my changes on top; mine where both changed (to decide)
    changes: tuple[FieldChange, ...] = ()
    asks: tuple[str, ...] = ()  # keys both changed differently: a choice is needed
    base_known: bool = True
    unresolved: tuple[str, ...] = dc_field(default=())  # asked fields posted without a choice

    def keys(self, who: Who) -> list[str]:
        return [c.label for c in self.changes if c.who == who]


def three_way(section: Section, base: Mapping[str, Any] | None, theirs: Mapping[str, Any],
              mine: Mapping[str, Any]) -> Merge:
    """Merge ``mine`` (made on ``base``) into ``theirs`` (saved on the same base meanwhile).
    ``base`` None (unknown): every field where mine and theirs differ asks for a choice."""
    merged = dict(theirs)
    changes: list[FieldChange] = []
    asks: list[str] = []
    for item in section.items:
        key = item.key
        b = None if base is None else base.get(key)
        t, m = theirs.get(key), mine.get(key)
        if _same(t, m):
            if base is not None and not _same(b, t):
                changes.append(_change(item, "same", b, t, m))
            continue
        if base is not None and _same(m, b):
            who: Who = "theirs"
        elif base is not None and _same(t, b):
            who = "mine"
        else:
            who = "both"
            asks.append(key)
        if who in ("mine", "both"):
            if blank(m):
                merged.pop(key, None)
            else:
                merged[key] = m
        changes.append(_change(item, who, b if base is not None else None, t, m))
    return Merge(merged, tuple(changes), tuple(asks), base is not None)


def apply_choices(section: Section, mine: Mapping[str, Any], theirs: Mapping[str, Any], asks: tuple[str, ...],
                  choices: Mapping[str, str | None]) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``mine`` with "keep theirs" applied to the asked fields; and the asked fields with no
    choice (``mine`` is kept for them until the clinician chooses)."""
    out = dict(mine)
    unresolved = []
    known = {item.key for item in section.items}
    for key in asks:
        if key not in known:
            continue
        choice = choices.get(key)
        if choice == "theirs":
            if blank(theirs.get(key)):
                out.pop(key, None)
            else:
                out[key] = theirs[key]
        elif choice != "mine":
            unresolved.append(key)
    return out, tuple(unresolved)


def posted_choices(form: Mapping[str, str], asks: tuple[str, ...]) -> dict[str, str | None]:
    """The keep mine / keep theirs radios of a conflict page."""
    return {key: form.get(KEEP_PREFIX + key) for key in asks}


def _same(a: Any, b: Any) -> bool:
    return (blank(a) and blank(b)) or a == b


def _change(item: Field | RepeatGroup, who: Who, b: Any, t: Any, m: Any) -> FieldChange:
    return FieldChange(item.key, item.label, who, display(item, b), display(item, t), display(item, m))


def display(item: Field | RepeatGroup, value: Any) -> str:
    """A stored value as a clinician reads it (option labels, units; repeat rows one per line)."""
    if blank(value):
        return EMPTY
    if isinstance(item, RepeatGroup):
        rows = value if isinstance(value, list) else []
        return "\n".join(
            f"{item.row_label.capitalize()} {number}: "
            + "; ".join(f"{f.label}: {format_value(f, row[f.key])}" for f in item.fields
                        if isinstance(row, dict) and not blank(row.get(f.key)))
            for number, row in enumerate(rows, start=1)
        ) or EMPTY
    return format_value(item, value)


@dataclass(frozen=True)
class Outcome:
    """What became of a section save: applied (``result``; ``merged`` when my changes were put
    on top of a newer version), or a conflict to resolve (``merge`` with ``asks``)."""

    result: Any = None  # services.visits.SaveResult
    merge: Merge | None = None
    merged: bool = False
    their_rev: int = 0
    their_answers: dict[str, Any] = dc_field(default_factory=dict)
    their_by_id: int | None = None
    their_at: Any = None
    their_by: str | None = None  # the name of who saved the newer version
    base_answers: dict[str, Any] | None = None  # what the merge took as the common ancestor


def save_or_merge(visit: Any, section: Section, mine: Mapping[str, Any], rev: int, base: Base | None,
                  choices: Mapping[str, str | None], by: Any) -> Outcome:
    """Save ``mine`` if the section is still at ``rev``; else merge it into the newer version:
    saved at once when no field needs a choice, else returned as a conflict (nothing stored)."""
    from . import visits as service  # services.visits imports nothing of this module

    answers = dict(mine)
    if base is not None and base.asks:
        answers, unresolved = apply_choices(section, answers, base.answers, base.asks, choices)
        current = service.section_rows(visit).get(section.key)
        if unresolved and current is not None and current.rev == rev:
            again = three_way(section, base.orig, base.answers, answers)
            return _conflict(Merge(again.answers, again.changes, base.asks, again.base_known, unresolved),
                             current, base.orig)
    try:
        return Outcome(result=service.save_section(visit, section, answers, rev, by))
    except service.StaleSectionError as exc:
        current = exc.current
    ancestor = base.answers if base is not None else None
    merge = three_way(section, ancestor, dict(current.answers or {}), answers)
    if not merge.asks:
        errors = clean_answers(section, merge.answers)[1]
        if not errors:
            outcome = _conflict(merge, current, ancestor)  # who and when, read before the save
            result = service.save_section(visit, section, merge.answers, current.rev, by)
            return Outcome(result, merge, True, outcome.their_rev, outcome.their_answers,
                           outcome.their_by_id, outcome.their_at, outcome.their_by, ancestor)
        # The combination does not hold together (e.g. a follow-up of an answer they changed):
        # the clinician decides on the fields involved.
        involved = tuple(c.key for c in merge.changes if c.who == "mine" or any(
            k == c.key or k.startswith(f"{c.key}-") for k in errors))
        merge = Merge(merge.answers, merge.changes, involved, merge.base_known)
    return _conflict(merge, current, ancestor)


def save_only(visit: Any, section: Section, mine: Mapping[str, Any], rev: int, by: Any) -> Outcome:
    """Save ``mine`` if the section is still at ``rev``; else a conflict, without merging (an
    autosave: the page still shows the old version of their fields, so it must not merge)."""
    from . import visits as service

    try:
        return Outcome(result=service.save_section(visit, section, mine, rev, by, action="autosave"))
    except service.StaleSectionError as exc:
        return _conflict(Merge(dict(mine)), exc.current, None)


def _conflict(merge: Merge, current: Any, ancestor: Mapping[str, Any] | None) -> Outcome:
    user = db.session.get(User, current.updated_by_id) if current.updated_by_id else None
    return Outcome(None, merge, False, current.rev, dict(current.answers or {}), current.updated_by_id,
                   current.updated_at, user.full_name if user else None,
                   dict(ancestor) if ancestor is not None else None)


def save_committed(visit: Any, section: Section, mine: Mapping[str, Any], rev: int, base: Base | None,
                   choices: Mapping[str, str | None] | None, by: Any) -> Outcome:
    """``save_or_merge`` (or, with ``choices`` None, ``save_only``) as one unit of work, committed.
    A ``StaleDataError`` (a write the visit's row lock did not cover) is retried once; the second
    one propagates (the app answers it with the 409 page). ``NotEditableError`` propagates too."""
    for attempt in (1, 2):
        try:
            with unit_of_work():
                if choices is None:
                    return save_only(visit, section, mine, rev, by)
                return save_or_merge(visit, section, mine, rev, base, choices, by)
        except StaleDataError:  # rolled back by unit_of_work
            if attempt == 2:
                raise
    raise AssertionError("unreachable")
