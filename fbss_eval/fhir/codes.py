"""The URLs and codes the FHIR resources use."""

from __future__ import annotations

from typing import Any

from ..checklist.schema import FieldType

QUESTIONNAIRE_ID = "fbss-workup"
FHIR_JSON = "application/fhir+json"
ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
MAX_OCCURS = "http://hl7.org/fhir/StructureDefinition/questionnaire-maxOccurs"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# Instrument totals with a LOINC code, checked on loinc.org: 44261-6 "Patient Health Questionnaire
# 9 item (PHQ-9) total score [Reported]" (loinc.org/44261-6), 70274-6 "Generalized anxiety disorder
# 7 item (GAD-7) total score [Reported.PHQ]" (a member of the PHQ-SADS panel, loinc.org/69729-2).
# Every other total is coded in our own code system (``score_system``), by instrument key.
LOINC_TOTALS: dict[str, tuple[str, str]] = {
    "phq9": ("44261-6", "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]"),
    "gad7": ("70274-6", "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]"),
}

# The checklist's field types as Questionnaire item types (R4), and the answer value[x] each uses.
ITEM_TYPES: dict[FieldType, str] = {
    "integer": "integer", "decimal": "decimal", "text": "string", "textarea": "text", "date": "date",
    "choice": "choice", "multichoice": "choice", "boolean": "boolean",
}
VALUE_KEYS: dict[FieldType, str] = {
    "integer": "valueInteger", "decimal": "valueDecimal", "text": "valueString", "textarea": "valueString",
    "date": "valueDate", "choice": "valueCoding", "multichoice": "valueCoding", "boolean": "valueBoolean",
}


def questionnaire_url(base: str) -> str:
    """The Questionnaire's canonical URL (without version)."""
    return f"{base}/Questionnaire/{QUESTIONNAIRE_ID}"


def answer_system(base: str, link_id: str) -> str:
    """The code system of one choice item's options."""
    return f"{base}/CodeSystem/{link_id}"


def score_system(base: str) -> str:
    """Our code system of instrument totals (keyed by instrument)."""
    return f"{base}/CodeSystem/instrument-score"


def number(value: float) -> Any:
    """An integral float as an int (FHIR JSON prints 3, not 3.0, for an integer score)."""
    return int(value) if float(value).is_integer() else value
