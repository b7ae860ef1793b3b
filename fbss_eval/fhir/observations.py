"""A visit's instrument totals as FHIR R4 Observations, in a searchset Bundle."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

from ..checklist.schema import Result
from .codes import LOINC
from .codes import LOINC_TOTALS
from .codes import OBSERVATION_CATEGORY
from .codes import UCUM
from .codes import number
from .codes import score_system
from .response import VisitFacts
from .response import fhir_datetime

Json = dict[str, Any]
# The ODI total is a percentage; the others are points (UCUM's annotation {score}).
PERCENT_TOTALS = frozenset({"odi"})


def observation_code(instrument: str, name: str, base: str) -> Json:
    """LOINC where the total has a code (``LOINC_TOTALS``), else our own code system, by key."""
    codings = []
    if instrument in LOINC_TOTALS:
        code, display = LOINC_TOTALS[instrument]
        codings.append({"system": LOINC, "code": code, "display": display})
    codings.append({"system": score_system(base), "code": instrument, "display": f"{name} total score"})
    return {"coding": codings, "text": f"{name} total score"}


def build_observations(results: Mapping[str, Result], names: Mapping[str, str], facts: VisitFacts,
                       visit_date: str, base: str) -> list[Json]:
    """One Observation a scored instrument (an instrument with no total is left out)."""
    status = "final" if facts.status == "signed" else "preliminary"
    if facts.status == "signed" and facts.revision > 1:
        status = "amended"
    if facts.status == "voided":
        status = "entered-in-error"
    out = []
    for key, result in results.items():
        if result.score is None:
            continue
        percent = key in PERCENT_TOTALS
        observation: Json = {
            "resourceType": "Observation",
            "id": f"{facts.visit_id}-{key}",
            "status": status,
            "category": [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}],
            "code": observation_code(key, names.get(key, key), base),
            "subject": {"reference": f"Patient/{facts.patient_id}"},
            "encounter": {"reference": f"Encounter/{facts.visit_id}"},
            "effectiveDateTime": visit_date,
            "issued": fhir_datetime(facts.authored),
            "performer": [{"reference": f"Practitioner/{facts.clinician_id}", "display": facts.clinician_name}],
            "valueQuantity": {"value": number(round(result.score, 1)),  # as the screen shows it
                              "unit": "%" if percent else "{score}", "system": UCUM,
                              "code": "%" if percent else "{score}"},
            "derivedFrom": [{"reference": f"QuestionnaireResponse/{facts.visit_id}"}],
        }
        if result.band_label:
            observation["interpretation"] = [{"text": result.band_label}]
        out.append(observation)
    return out


def searchset(resources: Iterable[Json], base: str) -> Json:
    """A searchset Bundle of these resources."""
    entries = [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r, "search": {"mode": "match"}}
               for r in resources]
    return {"resourceType": "Bundle", "type": "searchset", "total": len(entries), "entry": entries}


def outcome(issues: Iterable[tuple[str, str, str | None]]) -> Json:
    """An OperationOutcome: (severity-code, message, expression) triples, code ``invalid``
    unless the message says otherwise."""
    return {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": code, "diagnostics": message, **({"expression": [expr]} if expr else {})}
        for code, message, expr in issues
    ]}
