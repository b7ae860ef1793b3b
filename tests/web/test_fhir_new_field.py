"""A field added to the checklist data reaches the FHIR Questionnaire, the export and the import
with no edit to ``fbss_eval/fhir`` (the fields of tests/pdf/test_new_field.py)."""

from __future__ import annotations

from datetime import date

from fbss_eval.checklist import VERSION
from fbss_eval.extensions import db
from fbss_eval.services import visits as visit_service
from tests.pdf.builders import make_patient
from tests.pdf.test_new_field import extended_checklist  # noqa: F401 - fixture
from tests.web.fhir_support import QUESTIONNAIRE_URL
from tests.web.fhir_support import items_by_link
from tests.web.fhir_support import post_response
from tests.web.visits_support import stored


def test_a_new_field_and_a_new_column_reach_fhir_both_ways(as_clinician, users, extended_checklist):  # noqa: F811
    items = items_by_link(as_clinician.get("/fhir/Questionnaire/fbss-workup").get_json(force=True))
    stiffness = items["examination.morning_stiffness_min"]
    assert stiffness["type"] == "integer"
    assert [e["valueInteger"] for e in stiffness["extension"]] == [0, 240]
    assert [o["valueCoding"]["code"] for o in items["imaging.studies.contrast"]["answerOption"]] == ["yes", "no"]
    visit = visit_service.start_visit(make_patient(users.clinician, mrn="NEW-F"), users.clinician,
                                      date(2025, 6, 1), "initial")
    db.session.commit()
    resource = {"resourceType": "QuestionnaireResponse", "status": "completed",
                "questionnaire": f"{QUESTIONNAIRE_URL}|{VERSION}",
                "encounter": {"reference": f"Encounter/{visit.id}"},
                "item": [{"linkId": "examination", "item": [
                    {"linkId": "examination.morning_stiffness_min", "answer": [{"valueInteger": 45}]}]}]}
    assert post_response(as_clinician, resource).status_code == 200
    assert stored(visit.id, "examination") == {"morning_stiffness_min": 45}
    exported = as_clinician.get(f"/fhir/QuestionnaireResponse/{visit.id}").get_json(force=True)
    assert items_by_link(exported)["examination.morning_stiffness_min"]["answer"] == [{"valueInteger": 45}]
