"""Verify a visit (21 CFR 11.10(a), (c): the records' accuracy and integrity): recompute every hash
from what is stored (each signed revision's canonical answers and both of its PDFs; for a signed
visit, its current answers and stored summary PDF) and name each thing that differs."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..extensions import db
from ..models import Visit
from ..models import VisitRevision
from ..models import VisitStatus
from . import audit
from . import visits as visit_service
from .signing import canonical_answers
from .signing import revisions_of
from .signing import sha256


@dataclass(frozen=True)
class VerifyResult:
    """What ``verify`` found: ``intact`` when every hash matches; ``problems`` names what differs."""

    visit_id: int
    status: str
    revisions: int
    problems: tuple[str, ...]
    checked: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(visit: Visit) -> VerifyResult:
    """Recompute every hash from what is stored: each revision's canonical answers and both of
    its PDFs; for a signed visit, its current section answers against the last revision and its
    stored summary PDF. Names each thing that differs."""
    problems: list[str] = []
    checked: list[str] = []
    revisions = revisions_of(visit.id)
    for rev in revisions:
        label = f"revision {rev.revision}"
        for what, data, recorded in (("answers", rev.answers_json, rev.answers_sha256),
                                     ("summary PDF", rev.summary_pdf, rev.summary_pdf_sha256),
                                     ("full-record PDF", rev.record_pdf, rev.record_pdf_sha256)):
            checked.append(f"{label}: {what}")
            if sha256(data) != recorded:
                problems.append(f"{label}: the stored {what} do not match their SHA-256"
                                if what == "answers" else f"{label}: the stored {what} does not match its SHA-256")
    if visit.status == VisitStatus.SIGNED.value:
        problems.extend(_verify_current(visit, revisions[-1] if revisions else None, checked))
    return VerifyResult(visit.id, visit.status, len(revisions), tuple(problems), tuple(checked))


def _verify_current(visit: Visit, last: VisitRevision | None, checked: list[str]) -> list[str]:
    if last is None:
        return ["the visit is marked signed but has no stored revision"]
    problems = []
    if last.revision != visit.revision:
        problems.append(f"the visit says revision {visit.revision} but the last stored revision is {last.revision}")
    checked.append("current answers")
    current = canonical_answers(visit)
    if sha256(current) != last.answers_sha256:
        problems.extend(_answer_differences(visit, json.loads(last.answers_json), json.loads(current), last.revision))
    if visit.answers_sha256 != last.answers_sha256:
        problems.append("the visit's recorded answers SHA-256 is not its last revision's")
    checked.append("visit summary PDF")
    pdf = db.session.scalar(sa.select(Visit.signed_pdf).where(Visit.id == visit.id))
    if pdf is None or sha256(bytes(pdf)) != visit.signed_pdf_sha256:
        problems.append("the visit's stored summary PDF does not match its SHA-256")
    elif visit.signed_pdf_sha256 != last.summary_pdf_sha256:
        problems.append(f"the visit's stored summary PDF is not revision {last.revision}'s")
    return problems


def _answer_differences(visit: Visit, frozen: Mapping[str, Any], current: Mapping[str, Any], number: int) -> list[str]:
    titles = {s.key: s for s in visit_service.sections_of(visit)}
    out = []
    for key in ("visit_id", "checklist_version"):
        if frozen.get(key) != current.get(key):
            out.append(f"{key} differs from revision {number}")
    before, after = frozen.get("sections", {}), current.get("sections", {})
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key) or {}, after.get(key) or {}
        if old == new:
            continue
        section = titles.get(key)
        labels = {item.key: item.label for item in section.items} if section else {}
        fields = sorted(audit.diff(old.get("answers") or {}, new.get("answers") or {}))
        named = [labels.get(f, f) for f in fields]
        named += [what.replace("_", " ") for what in ("status", "not_assessed_reason")
                  if old.get(what) != new.get(what)]
        title = section.title if section else key
        out.append(f"section {title}: differs from revision {number} ({', '.join(named) or 'rows'})")
    return out
