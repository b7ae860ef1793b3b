"""GET /fhir/Questionnaire/fbss-workup: the checklist as a FHIR R4 Questionnaire, valid for the
``fhir.resources`` R4B models, with the codes, scores, conditions and cardinalities checked here
(the library checks structure, not codes)."""

from __future__ import annotations

from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaire import Questionnaire

from fbss_eval.checklist import VERSION
from tests.web.fhir_support import QUESTIONNAIRE_URL
from tests.web.fhir_support import items_by_link

ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def ordinals(item):
    return [(opt["valueCoding"]["code"], next(e["valueDecimal"] for e in opt["extension"] if e["url"] == ORDINAL))
            for opt in item["answerOption"]]


def test_the_questionnaire_is_valid_fhir_with_version_url_and_media_type(as_clinician):
    response = as_clinician.get("/fhir/Questionnaire/fbss-workup")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    body = response.get_json(force=True)
    Questionnaire.model_validate(body)  # raises on any structural error
    assert body["url"] == QUESTIONNAIRE_URL
    assert body["version"] == VERSION
    assert body["status"] == "active"
    top = [item["linkId"] for item in body["item"]]
    assert {"visit", "red_flags", "odi", "phq9", "gad7", "plan"} <= set(top)
    assert all(item["type"] == "group" for item in body["item"])


def test_instrument_items_carry_their_codes_and_scores(as_clinician):
    items = items_by_link(as_clinician.get("/fhir/Questionnaire/fbss-workup").get_json(force=True))
    # PHQ-9 (Kroenke 2001): Not at all 0, Several days 1, More than half the days 2, Nearly every day 3.
    phq = items["phq9.phq9_1"]
    assert phq["type"] == "choice"
    assert ordinals(phq) == [("0", 0), ("1", 1), ("2", 2), ("3", 3)]
    assert [o["valueCoding"]["display"] for o in phq["answerOption"]] == [
        "Not at all", "Several days", "More than half the days", "Nearly every day"]
    system = phq["answerOption"][0]["valueCoding"]["system"]
    assert system == f"{QUESTIONNAIRE_URL.rsplit('/', 2)[0]}/CodeSystem/phq9.phq9_1"
    # ODI (Fairbank 2000): each section scored 0 (first statement) to 5 (last).
    assert ordinals(items["odi.odi_1"]) == [(str(n), n) for n in range(6)]
    assert items["odi.odi_1"]["required"] is True
    assert "required" not in items["odi.odi_8"]  # section 8 (sex life) may not apply
    assert len([key for key in items if key.startswith("phq9.phq9_")]) == 9
    assert len([key for key in items if key.startswith("gad7.gad7_")]) == 7


def test_types_repeats_enable_when_and_bounds(as_clinician):
    items = items_by_link(as_clinician.get("/fhir/Questionnaire/fbss-workup").get_json(force=True))
    operations = items["surgical_history.operations"]
    assert operations["type"] == "group"
    assert operations["repeats"] is True
    assert "surgical_history.operations.date" in {i["linkId"] for i in operations["item"]}
    assert items["surgical_history.operations.date"]["type"] == "date"
    options = items["plan.options"]
    assert options["type"] == "choice"
    assert options["repeats"] is True
    # plan.scs_modality shows when the plan's options include an SCS evaluation.
    assert items["plan.scs_modality"]["enableWhen"] == [{
        "question": "plan.options", "operator": "=",
        "answerCoding": {"system": f"{QUESTIONNAIRE_URL.rsplit('/', 2)[0]}/CodeSystem/plan.options",
                         "code": "scs_evaluation"}}]
    assert items["visit.visit_date"]["type"] == "date"


def test_an_older_released_version_is_served_and_an_unknown_one_is_not_found(as_clinician):
    old = as_clinician.get("/fhir/Questionnaire/fbss-workup?version=2026.11.1")
    assert old.status_code == 200
    assert old.get_json(force=True)["version"] == "2026.11.1"
    missing = as_clinician.get("/fhir/Questionnaire/fbss-workup?version=1999.1.1")
    assert missing.status_code == 404
    OperationOutcome.model_validate(missing.get_json(force=True))
    assert "1999.1.1" in missing.get_json(force=True)["issue"][0]["diagnostics"]
    for hostile in ("../../../etc/passwd", ".hidden", "2026/11", "\u0661\u0662"):
        response = as_clinician.get("/fhir/Questionnaire/fbss-workup", query_string={"version": hostile})
        assert response.status_code == 404, hostile
