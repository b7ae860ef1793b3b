"""What the FHIR endpoints read and write: the checklist of a version, a visit's answers and
scores as plain data for the builders (``fbss_eval.fhir``), and the import of a
QuestionnaireResponse into an editable visit through the same save as the section form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from ..checklist.instruments import INSTRUMENTS
from ..checklist.schema import Result
from ..checklist.schema import Section
from ..checklist.versions import UnknownChecklistVersion
from ..checklist.versions import current_version
from ..checklist.versions import released_versions
from ..checklist.versions import sections_for
from ..fhir.importer import Issue
from ..fhir.importer import check_header
from ..fhir.importer import read_answers
from ..fhir.response import VisitFacts
from ..models import User
from ..models import Visit
from . import audit
from . import visits


class ImportRefused(Exception):
    """The response was not imported: ``issues`` say why, ``status`` is the HTTP status."""

    def __init__(self, issues: list[Issue], status: int = 422) -> None:
        super().__init__("import refused")
        self.issues, self.status = issues, status


def fhir_base() -> str:
    """The base of our canonical URLs (``FBSS_FHIR_BASE``)."""
    return str(current_app.config["FBSS_FHIR_BASE"]).rstrip("/")


def questionnaire_sections(version: str | None) -> tuple[str, tuple[Section, ...]]:
    """The version asked for (default: the current one) and its sections with this install's
    optional instruments; ``UnknownChecklistVersion`` for a version never released."""
    chosen = version or current_version()
    if chosen != current_version() and chosen not in released_versions():  # never a path built from input
        raise UnknownChecklistVersion(chosen)
    return chosen, sections_for(chosen, tuple(current_app.config.get("FBSS_OPTIONAL_INSTRUMENTS", ())))


@dataclass(frozen=True)
class VisitExport:
    """A visit as the builders need it."""

    sections: tuple[Section, ...]
    answers: dict[str, dict[str, Any]]
    facts: VisitFacts
    results: Mapping[str, Result]
    names: dict[str, str]
    visit_date: str


def visit_export(visit: Visit) -> VisitExport:
    """The visit's recorded answers (as its pages show them), facts and instrument results."""
    sections = visits.sections_of(visit)
    rows = visits.section_rows(visit)
    answers = visits.recorded_answers(sections, rows)
    evaluation = visits.evaluation_of(visit, rows)
    facts = VisitFacts(
        visit_id=visit.id, patient_id=visit.patient_id, clinician_id=visit.clinician_id,
        clinician_name=visit.clinician.full_name, status=str(visit.status.value), revision=visit.revision,
        checklist_version=visit.checklist_version,
        authored=visit.signed_at if visit.signed_at is not None and visit.status == "signed" else visit.updated_at,
    )
    return VisitExport(sections, answers, facts, evaluation.results,
                       {key: inst.short_name for key, inst in INSTRUMENTS.items()}, visit.visit_date.isoformat())


def record_export(visit: Visit, what: str, by: User) -> None:
    """Audit a FHIR read of a visit (an export of its data)."""
    audit.record("fhir_export", "visit", visit.id, {"resource": [None, what]}, user=by)


def import_response(visit: Visit, resource: Mapping[str, Any], by: User, via: str) -> visits.SaveResult:
    """Store the response's answers in the visit, section by section, as the section form's Save
    stores them (validation, projections, one audit row a changed section), plus one
    ``fhir_import`` audit row naming the sections and how the request was authenticated (``via``).

    Raises ``ImportRefused`` (nothing stored) when the response does not fit the visit's
    questionnaire, ``visits.NotEditableError`` when the visit is signed, and
    ``visits.StaleSectionError`` when a section changed meanwhile."""
    if not visit.editable:
        raise visits.NotEditableError(visit.id)
    base = fhir_base()
    header = check_header(resource, visit.checklist_version, visit.patient_id, base)
    if header:
        raise ImportRefused(header)
    sections = visits.sections_of(visit)
    parsed = read_answers(resource, sections, base)
    if parsed.issues:
        raise ImportRefused(parsed.issues)
    if not parsed.answers:
        raise ImportRefused([Issue("The response holds no section to import.",
                                   expression="QuestionnaireResponse.item")])
    by_key = {section.key: section for section in sections}
    rows = visits.section_rows(visit)
    entries = [(by_key[key], answers, rows[key].rev if key in rows else 0) for key, answers in parsed.answers.items()]
    result = visits.save_sections(visit, entries, by)
    audit.record("fhir_import", "visit", visit.id,
                 {"sections": [None, sorted(parsed.answers)], "via": [None, via]}, user=by)
    return result
