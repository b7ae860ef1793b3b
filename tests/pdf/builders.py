"""Building patients and visits for the PDF tests (and the benchmark) through the services."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from datetime import date
from typing import Any

from fbss_eval.extensions import db
from fbss_eval.models import Patient
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.services import patients as patient_service
from fbss_eval.services import visits as visit_service

from .answers import SCORED
from .answers import complete_answers


def make_patient(by: User, mrn: str = "MRN-0001", family: str = "Doe", given: str = "Jane",
                 birth_date: date = date(1970, 5, 17), sex: str = "female") -> Patient:
    """A patient created through the service."""
    return patient_service.create(
        {"mrn": mrn, "family_name": family, "given_name": given, "birth_date": birth_date, "sex": sex}, by=by
    )


def fill_visit(visit: Visit, by: User, answers: dict[str, dict[str, Any]], skip: Iterable[str] = ()) -> None:
    """Save every section's answers through ``save_section`` (the app's own path)."""
    skipped = set(skip)
    for section in visit_service.visit_sections():
        if section.key in skipped or section.key not in answers:
            continue
        row = visit_service.section_rows(visit).get(section.key)
        visit_service.save_section(visit, section, answers[section.key], row.rev if row else 0, by)


def make_complete_visit(patient: Patient, by: User, visit_date: date, seed: int = 7,
                        skip: Iterable[str] = (), not_assessed: dict[str, str] | None = None,
                        scored: Mapping[str, dict[str, str]] = SCORED) -> Visit:
    """A visit with every section answered (except ``skip``), some sections marked not assessed;
    the instruments of ``scored`` (the headline ones of ``answers.SCORED`` by default) as given."""
    visit = visit_service.start_visit(patient, by, visit_date, "follow_up")
    answers = complete_answers(visit_service.visit_sections(), visit_date, seed=seed, scored=scored)
    fill_visit(visit, by, answers, skip=set(skip) | set(not_assessed or {}))
    for key, reason in (not_assessed or {}).items():
        section = next(s for s in visit_service.visit_sections() if s.key == key)
        row = visit_service.section_rows(visit).get(key)
        visit_service.mark_not_assessed(visit, section, reason, row.rev if row else 0, by)
    db.session.flush()
    return visit
