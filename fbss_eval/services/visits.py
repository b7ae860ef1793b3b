"""The visit workflow: start (carrying history forward), save a section, mark a section not
assessed, acknowledge an alert. Every save rewrites the projections (scores, findings, alerts)
in the same transaction, and is audited field by field.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask import current_app

from ..checklist.evaluate import Evaluation
from ..checklist.evaluate import evaluate
from ..checklist.schema import Section
from ..checklist.settings import DEFAULT_SETTINGS
from ..checklist.settings import ScoringSettings
from ..checklist.validate import clean_answers
from ..checklist.versions import current_version
from ..checklist.versions import sections_for
from ..checklist.visible import visible_answers
from ..extensions import db
from ..models import Patient
from ..models import SectionStatus
from ..models import User
from ..models import Visit
from ..models import VisitAlert
from ..models import VisitSection
from ..models import VisitStatus
from ..models.base import now_utc
from . import audit
from . import projections
from .transitions import VISIT_START
from .transitions import set_section_status

# History that stays true from one visit to the next: offered again for the clinician to confirm.
CARRY_FORWARD = ("surgical_history", "imaging", "electrodiagnostics", "blocks", "treatments")
NOT_ASSESSED_REASONS = {
    "not_asked": "Not asked",
    "declined": "Patient declined",
    "not_applicable": "Not applicable",
    "unknown": "Unknown / not available",
}
# The audit action of confirming a carried-forward section unchanged (services/carry_forward.py).
CONFIRM_ACTION = "confirm_carried_forward"


class StaleSectionError(Exception):
    """The section was saved by someone else after this page was loaded."""

    def __init__(self, current: VisitSection) -> None:
        super().__init__("stale section")
        self.current = current


class NotEditableError(Exception):
    """The visit is signed (amend it instead)."""


def scoring_settings() -> ScoringSettings:
    """The clinic's scoring settings (configured overrides of the reference defaults)."""
    return DEFAULT_SETTINGS.with_overrides(current_app.config.get("FBSS_SCORING"))


def _optional_instruments() -> tuple[str, ...]:
    return tuple(current_app.config.get("FBSS_OPTIONAL_INSTRUMENTS", ()))


def visit_sections() -> tuple[Section, ...]:
    """The sections of the current checklist (the one new visits are captured with), with this
    install's optional instruments. An existing visit is read with ``sections_of(visit)``."""
    return sections_for(current_version(), _optional_instruments())


def sections_of(visit: Visit) -> tuple[Section, ...]:
    """The sections a visit is read, validated and printed with: those of the checklist version it
    was captured with (``visit.checklist_version``), with this install's optional instruments; so a
    later checklist change never alters how an old visit reads (``checklist/versions.py``)."""
    return sections_for(visit.checklist_version, _optional_instruments())


def find_section(visit: Visit, key: str) -> Section | None:
    """The section ``key`` of the checklist this visit is read with, or None."""
    return next((section for section in sections_of(visit) if section.key == key), None)


def section_neighbours(visit: Visit, key: str | None) -> tuple[str | None, str | None]:
    """The keys of the sections before and after ``key`` in the visit's checklist (None at either
    end, and both None for a key not in it)."""
    keys = [section.key for section in sections_of(visit)]
    if key not in keys:
        return None, None
    position = keys.index(key)
    return (keys[position - 1] if position > 0 else None,
            keys[position + 1] if position < len(keys) - 1 else None)


def section_after(visit: Visit, key: str) -> str | None:
    """The key of the section that follows ``key`` in the visit's checklist, or None (the last)."""
    return section_neighbours(visit, key)[1]


def can_edit(user: User, visit: Visit) -> bool:
    """Clinicians edit their own unsigned visits; admins any unsigned visit."""
    return visit.editable and (user.is_admin or visit.clinician_id == user.id)


def find_visit(visit_id: int) -> Visit | None:
    """The visit with this id, or None."""
    return db.session.get(Visit, visit_id)


def find_patient(patient_id: int) -> Patient | None:
    """The patient a visit is started for, or None."""
    return db.session.get(Patient, patient_id)


def find_alert(visit: Visit, alert_id: int) -> VisitAlert | None:
    """One of this visit's alerts, or None (also when the id names another visit's alert)."""
    alert = db.session.get(VisitAlert, alert_id)
    return alert if alert is not None and alert.visit_id == visit.id else None


def user_name(user_id: int | None) -> str | None:
    """The full name of a user (who saved a section), or None."""
    user = db.session.get(User, user_id) if user_id else None
    return user.full_name if user else None


def section_rows(visit: Visit, fresh: bool = False) -> dict[str, VisitSection]:
    """The stored sections of a visit by key (one query). ``fresh`` re-reads rows already in the
    session (after ``lock_visit``: what other writers committed meanwhile)."""
    stmt = sa.select(VisitSection).where(VisitSection.visit_id == visit.id)
    if fresh:
        stmt = stmt.execution_options(populate_existing=True)
    return {row.section_key: row for row in db.session.scalars(stmt).all()}


def lock_visit(visit: Visit) -> None:
    """Serialise the writers of one visit: take its row lock until the transaction ends, and
    reload it (its ``version_id`` too) as last committed.

    Every save rewrites visit-wide projections (completeness, scores, findings, alerts) from all
    of the visit's sections, so two saves of one visit must not interleave, even of different
    sections. PostgreSQL (READ COMMITTED): ``SELECT ... FOR UPDATE OF visit`` waits for the
    other writer's commit, and every statement after it sees that commit, so the section
    ``rev`` checks and the projections read current data and the version-checked UPDATE of the
    visit row cannot go stale. SQLite: writing requests already hold the database's write lock
    from ``BEGIN IMMEDIATE`` (``database.py``); FOR UPDATE is not emitted there.

    Raises ``NotEditableError`` when the visit, as last committed, is signed."""
    db.session.scalars(  # consumed: the ORM reloads ``visit`` only as it reads the row
        sa.select(Visit).where(Visit.id == visit.id).with_for_update(of=Visit)
        .execution_options(populate_existing=True)
    ).one()
    if not visit.editable:
        raise NotEditableError(visit.id)


def recorded_answers(sections: Iterable[Section], rows: Mapping[str, VisitSection]) -> dict[str, dict[str, Any]]:
    """The answers as recorded, by section key: sections marked not assessed left out, and of the
    others only what the checklist shows (no blanks, unknown keys or fields hidden by enable-when)."""
    return {
        section.key: visible_answers(section, rows[section.key].answers or {})
        for section in sections
        if section.key in rows and rows[section.key].status != SectionStatus.NOT_ASSESSED
    }


def evaluation_of(visit: Visit, rows: Mapping[str, VisitSection] | None = None) -> Evaluation:
    """The visit's scores, alerts, pointers, candidacy and progress, from its answers as recorded
    (``recorded_answers``), its checklist version and the clinic's scoring settings: the one
    evaluation the visit's pages, its stored projections and its reports all show. ``rows``:
    the visit's section rows when the caller holds them (else they are read)."""
    sections = sections_of(visit)
    answers = recorded_answers(sections, section_rows(visit) if rows is None else rows)
    return evaluate(answers, sections, scoring_settings(), today=visit.visit_date,
                    birth_date=visit.patient.birth_date)


def previous_visit(patient_id: int, before: Visit | None = None) -> Visit | None:
    """The patient's latest earlier visit (a voided one is never carried forward)."""
    stmt = sa.select(Visit).where(Visit.patient_id == patient_id, Visit.status != VisitStatus.VOIDED)
    if before is not None:
        stmt = stmt.where(Visit.id != before.id)
    return db.session.scalars(stmt.order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(1)).first()


def start_visit(patient: Patient, clinician: User, visit_date: date, visit_type: str) -> Visit:
    """Open a draft visit; history sections are carried forward from the latest visit."""
    last = previous_visit(patient.id)
    visit = Visit(
        patient_id=patient.id,
        clinician_id=clinician.id,
        visit_date=visit_date,
        visit_type=visit_type,
        status=VISIT_START,
        checklist_version=current_version(),
    )
    db.session.add(visit)
    db.session.flush()
    rows = {"visit": VisitSection(visit_id=visit.id, section_key="visit",
                                  answers={"visit_date": visit_date.isoformat(), "visit_type": visit_type},
                                  updated_by_id=clinician.id)}
    if last is not None:
        rows.update(_carried_forward(visit, last, clinician))
    db.session.add_all(rows.values())
    db.session.flush()
    recompute(visit, rows)
    audit.record(
        "create", "visit", visit.id,
        {"patient_id": [None, patient.id], "visit_date": [None, visit_date.isoformat()],
         "visit_type": [None, visit_type], "carried_forward": [None, sorted(set(rows) - {"visit"})]},
        user=clinician,
    )
    return visit


def _carried_forward(visit: Visit, last: Visit, by: User) -> dict[str, VisitSection]:
    """The history sections of the last visit, offered again in the new one. Answers captured with
    another checklist version are fitted to the new visit's version: what it no longer asks (a
    field or an option removed or renamed) is left out, so a visit only holds answers its own
    checklist defines."""
    sections = {section.key: section for section in sections_of(visit)}
    same_version = last.checklist_version == visit.checklist_version
    carried: dict[str, VisitSection] = {}
    for key, old in section_rows(last).items():
        if key not in CARRY_FORWARD or key not in sections or not old.answers:
            continue
        if old.status == SectionStatus.NOT_ASSESSED.value:
            continue
        answers = dict(old.answers) if same_version else clean_answers(sections[key], old.answers)[0]
        if answers:
            carried[key] = VisitSection(visit_id=visit.id, section_key=key, answers=answers,
                                        carried_forward_from=last.id, updated_by_id=by.id)
    return carried


@dataclass(frozen=True)
class SaveResult:
    """What a save changed, and the evaluation after it."""

    changes: dict[str, list[Any]]
    evaluation: Evaluation


def save_section(
    visit: Visit, section: Section, answers: Mapping[str, Any], expected_rev: int, by: User,
    action: str = "update",
) -> SaveResult:
    """Store a section's answers (validated again against the checklist) if nobody saved it since
    the page was loaded (``expected_rev``); else raise ``StaleSectionError``. ``action`` names
    the audit rows ("autosave" for the page's own saves)."""
    return save_sections(visit, [(section, answers, expected_rev)], by, action)


def save_sections(
    visit: Visit, entries: Iterable[tuple[Section, Mapping[str, Any], int]], by: User,
    action: str = "update",
) -> SaveResult:
    """``save_section`` for several sections at once, evaluated once (the demo seeder, imports).

    Each entry is ``(section, answers, expected_rev)``; nothing is stored unless every section
    validates and is current. One audit row per changed section, as ``save_section`` writes."""
    if not visit.editable:
        raise NotEditableError(visit.id)
    cleaned = []
    for section, answers, expected_rev in entries:
        clean, errors = clean_answers(section, answers)
        if errors:
            raise ValueError(f"answers do not fit section {section.key}: {sorted(errors)}")
        cleaned.append((section, clean, expected_rev))
    lock_visit(visit)
    rows = section_rows(visit, fresh=True)
    for section, _clean, expected_rev in cleaned:
        row = rows.get(section.key)
        if (row.rev if row is not None else 0) != expected_rev:
            raise StaleSectionError(row if row is not None else VisitSection(
                visit_id=visit.id, section_key=section.key, answers={}, rev=0))
    changes: dict[str, list[Any]] = {}
    for section, clean, _rev in cleaned:
        row = rows.get(section.key)
        if row is None:
            row = VisitSection(visit_id=visit.id, section_key=section.key, answers={}, rev=0)
            db.session.add(row)
            rows[section.key] = row
        before = dict(row.answers or {})
        carried = row.carried_forward_from
        row.answers = clean
        row.rev += 1
        row.not_assessed_reason = None
        row.carried_forward_from = None  # saving a carried-forward section confirms or edits it
        set_section_status(row, SectionStatus.IN_PROGRESS)  # recompute sets the real status
        row.updated_by_id = by.id
        row.updated_at = now_utc()
        if section.key == "visit":
            _sync_visit_header(visit, clean)
        section_changes = {f"{section.key}.{k}": v for k, v in audit.diff(before, clean).items()}
        if section_changes:
            confirmed = {f"{section.key}.carried_forward_from": [carried, None]} if carried is not None else {}
            audit.record(action, "visit", visit.id, {**section_changes, **confirmed}, user=by)  # an edit confirms
        elif carried is not None:  # saved as it came: confirmed unchanged
            audit.record(CONFIRM_ACTION, "visit", visit.id,
                         {f"{section.key}.carried_forward_from": [carried, None]}, user=by)
        changes.update(section_changes)
    visit.updated_at = now_utc()  # bumps version_id; safe: lock_visit reloaded it under the lock
    evaluation = recompute(visit, rows)
    return SaveResult(changes, evaluation)


def _sync_visit_header(visit: Visit, answers: Mapping[str, Any]) -> None:
    if answers.get("visit_date"):
        visit.visit_date = date.fromisoformat(answers["visit_date"])
    if answers.get("visit_type"):
        visit.visit_type = answers["visit_type"]


def mark_not_assessed(visit: Visit, section: Section, reason: str, expected_rev: int, by: User) -> None:
    """Record that a section was not assessed, and why (its answers are kept but not counted)."""
    if not visit.editable:
        raise NotEditableError(visit.id)
    if reason not in NOT_ASSESSED_REASONS:
        raise ValueError(f"unknown reason {reason!r}")
    lock_visit(visit)
    rows = section_rows(visit, fresh=True)
    row = rows.get(section.key)
    if row is None:
        row = VisitSection(visit_id=visit.id, section_key=section.key, answers={}, rev=0)
        db.session.add(row)
        rows[section.key] = row
    if row.rev != expected_rev:
        raise StaleSectionError(row)
    set_section_status(row, SectionStatus.NOT_ASSESSED)
    row.not_assessed_reason = reason
    row.rev += 1
    row.updated_by_id = by.id
    row.updated_at = now_utc()
    visit.updated_at = now_utc()
    recompute(visit, rows)
    audit.record("update", "visit", visit.id, {f"{section.key}.not_assessed": [None, reason]}, user=by)


def recompute(visit: Visit, rows: Mapping[str, VisitSection]) -> Evaluation:
    """Evaluate the visit and rewrite its projections (section status, scores, findings, alerts)."""
    sections = sections_of(visit)
    evaluation = evaluation_of(visit, rows)
    required_done = required = 0
    for section in sections:
        row = rows.get(section.key)
        if row is not None and row.status != SectionStatus.NOT_ASSESSED:
            prog = evaluation.progress[section.key]
            set_section_status(row, SectionStatus(prog.status))
            row.n_answered, row.n_required = prog.answered, prog.required
        if section.required:
            required += 1
            required_done += row is not None and row.carried_forward_from is None and row.status in (
                SectionStatus.COMPLETE, SectionStatus.NOT_ASSESSED)  # carried forward: to confirm
    visit.completeness_pct = round(100 * required_done / required) if required else 100
    projections.write_scores(visit, evaluation)
    projections.write_findings(visit, rows)
    projections.write_alerts(visit, evaluation)
    db.session.flush()
    return evaluation


def acknowledge_alert(visit: Visit, alert: VisitAlert, action_taken: str, by: User) -> None:
    """Record who acknowledged an alert, when, and the action taken."""
    if not visit.editable:
        raise NotEditableError(visit.id)
    lock_visit(visit)
    alert.acknowledged_by_id = by.id
    alert.acknowledged_at = now_utc()
    alert.action_taken = action_taken
    visit.updated_at = now_utc()
    audit.record("acknowledge_alert", "visit", visit.id, {alert.kind: [None, action_taken]}, user=by)


def active_alerts(visit_id: int) -> list[VisitAlert]:
    """Alerts in force for a visit, most severe first."""
    rows = db.session.scalars(
        sa.select(VisitAlert).where(VisitAlert.visit_id == visit_id, VisitAlert.active.is_(True))
    ).all()
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(rows, key=lambda a: (order.get(a.severity, 3), a.kind))


def visits_of(patient_id: int, *, voided: bool = False) -> list[Visit]:
    """A patient's visits, newest first: those in force, or with ``voided`` the voided ones."""
    in_force = Visit.status == VisitStatus.VOIDED if voided else Visit.status != VisitStatus.VOIDED
    return list(db.session.scalars(
        sa.select(Visit).where(Visit.patient_id == patient_id, in_force)
        .order_by(Visit.visit_date.desc(), Visit.id.desc())
    ))
