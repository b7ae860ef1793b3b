"""A visit as a FHIR R4 QuestionnaireResponse (its answers as recorded)."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from typing import Any

from ..checklist.schema import Field
from ..checklist.schema import RepeatGroup
from ..checklist.schema import Section
from .codes import VALUE_KEYS
from .codes import answer_system
from .codes import number
from .codes import questionnaire_url

Json = dict[str, Any]


@dataclass(frozen=True)
class VisitFacts:
    """What a response says about its visit besides the answers."""

    visit_id: int
    patient_id: int
    clinician_id: int
    clinician_name: str
    status: str  # the visit's: draft, signed, amending
    revision: int
    checklist_version: str
    authored: datetime


def response_status(status: str, revision: int) -> str:
    """draft (and an amendment under way) -> in-progress; signed -> completed, or amended when
    the signed revision is an amendment (revision 2 on); voided -> entered-in-error."""
    if status == "voided":
        return "entered-in-error"
    if status == "signed":
        return "amended" if revision > 1 else "completed"
    return "in-progress"


def fhir_datetime(moment: datetime) -> str:
    """A FHIR dateTime (with its time zone: a naive moment is UTC)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="seconds")


def build_response(sections: Iterable[Section], answers: Mapping[str, Mapping[str, Any]], facts: VisitFacts,
                   base: str) -> Json:
    """The QuestionnaireResponse: one group item a section with recorded answers (a section
    marked not assessed has none)."""
    items = []
    for section in sections:
        section_answers = answers.get(section.key) or {}
        children = _children(section, section_answers, base)
        if children:
            items.append({"linkId": section.key, "text": section.title, "item": children})
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(facts.visit_id),
        "questionnaire": f"{questionnaire_url(base)}|{facts.checklist_version}",
        "status": response_status(facts.status, facts.revision),
        "subject": {"reference": f"Patient/{facts.patient_id}"},
        "encounter": {"reference": f"Encounter/{facts.visit_id}"},
        "author": {"reference": f"Practitioner/{facts.clinician_id}", "display": facts.clinician_name},
        "authored": fhir_datetime(facts.authored),
        "item": items,
    }


def _children(section: Section, answers: Mapping[str, Any], base: str) -> list[Json]:
    out: list[Json] = []
    for entry in section.items:
        value = answers.get(entry.key)
        if value is None or value == "" or value == []:
            continue
        link_id = f"{section.key}.{entry.key}"
        if isinstance(entry, RepeatGroup):
            for row in value:
                row_items = [_field(field, f"{link_id}.{field.key}", row.get(field.key), base)
                             for field in entry.fields if row.get(field.key) not in (None, "", [])]
                if row_items:
                    out.append({"linkId": link_id, "text": entry.label, "item": row_items})
        else:
            out.append(_field(entry, link_id, value, base))
    return out


def _field(field: Field, link_id: str, value: Any, base: str) -> Json:
    values = value if field.type == "multichoice" else [value]
    return {"linkId": link_id, "text": field.label, "answer": [_value(field, link_id, v, base) for v in values]}


def _value(field: Field, link_id: str, value: Any, base: str) -> Json:
    key = VALUE_KEYS[field.type]
    if field.type in ("choice", "multichoice"):
        return {key: {"system": answer_system(base, link_id), "code": str(value),
                      "display": field.option_label(value)}}
    if field.type == "decimal":
        return {key: number(value)}
    return {key: value}
