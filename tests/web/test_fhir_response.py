"""A visit as a QuestionnaireResponse and its instrument totals as Observations; the import of a
QuestionnaireResponse into a draft visit (POST /fhir/QuestionnaireResponse): validation item by
item, version, signed visits, and the round trip (export a visit, import it into a new draft:
the same answers and scores)."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from fbss_eval.checklist import VERSION
from fbss_eval.extensions import db
from fbss_eval.models import VisitStatus
from fbss_eval.services import visits as visit_service
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient
from tests.web.fhir_support import QUESTIONNAIRE_URL
from tests.web.fhir_support import issue_token
from tests.web.fhir_support import issues
from tests.web.fhir_support import items_by_link
from tests.web.fhir_support import post_response
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit
from tests.web.visits_support import audit_rows
from tests.web.visits_support import score_row
from tests.web.visits_support import stored

VISIT_DATE = date(2025, 6, 1)
LOINC = "http://loinc.org"


@pytest.fixture
def complete(users):
    """A complete draft visit of carl's (differential not assessed), instruments as in
    tests/pdf/answers.py SCORED: ODI 40%, PHQ-9 19, GAD-7 10."""
    patient = make_patient(users.clinician, mrn="FHIR-A")
    visit = make_complete_visit(patient, users.clinician, VISIT_DATE, not_assessed={"differential": "not_applicable"})
    db.session.commit()
    return visit


def new_draft(users, mrn="FHIR-B"):
    visit = visit_service.start_visit(make_patient(users.clinician, mrn=mrn), users.clinician, VISIT_DATE, "initial")
    db.session.commit()
    return visit


def retarget(resource, visit):
    sent = copy.deepcopy(resource)
    sent.pop("id", None)
    sent["encounter"] = {"reference": f"Encounter/{visit.id}"}
    sent["subject"] = {"reference": f"Patient/{visit.patient_id}"}
    return sent


def phq9_response(visit, values, version=VERSION):
    return {
        "resourceType": "QuestionnaireResponse", "status": "completed",
        "questionnaire": f"{QUESTIONNAIRE_URL}|{version}",
        "encounter": {"reference": f"Encounter/{visit.id}"},
        "item": [{"linkId": "phq9", "item": [
            {"linkId": f"phq9.phq9_{n}", "answer": [{"valueCoding": {"code": str(v)}}]}
            for n, v in enumerate(values, start=1)]}],
    }


def test_a_draft_visit_is_an_in_progress_response_valid_for_fhir_resources(as_clinician, complete, users):
    response = as_clinician.get(f"/fhir/QuestionnaireResponse/{complete.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    body = response.get_json(force=True)
    QuestionnaireResponse.model_validate(body)
    assert body["status"] == "in-progress"
    assert body["questionnaire"] == f"{QUESTIONNAIRE_URL}|{VERSION}"
    assert body["subject"] == {"reference": f"Patient/{complete.patient_id}"}
    assert body["encounter"] == {"reference": f"Encounter/{complete.id}"}
    assert body["author"]["reference"] == f"Practitioner/{users.clinician.id}"
    assert body["authored"].endswith("+00:00")
    items = items_by_link(body)
    assert items["phq9.phq9_1"]["answer"] == [{"valueCoding": {
        "system": f"{QUESTIONNAIRE_URL.rsplit('/', 2)[0]}/CodeSystem/phq9.phq9_1", "code": "3",
        "display": "Nearly every day"}}]
    assert "differential" not in {item["linkId"] for item in body["item"]}  # marked not assessed
    assert [a.action for a in audit_rows(complete.id, "fhir_export")]


def test_a_signed_visit_is_completed_and_an_amended_one_amended(as_clinician, users, fake_pdfs):  # noqa: F811
    from fbss_eval.services import signing
    from tests.conftest import PASSWORD

    visit = ready_visit(users.clinician, mrn="FHIR-S")
    signing.sign(visit, users.clinician, PASSWORD, "authored")
    db.session.commit()
    assert as_clinician.get(f"/fhir/QuestionnaireResponse/{visit.id}").get_json(force=True)["status"] == "completed"
    signing.amend(visit, users.clinician, "Correct the ODI section 3 score")
    db.session.commit()
    assert as_clinician.get(f"/fhir/QuestionnaireResponse/{visit.id}").get_json(force=True)["status"] == "in-progress"
    signing.sign(visit, users.clinician, PASSWORD, "authored")
    db.session.commit()
    assert visit.revision == 2
    assert as_clinician.get(f"/fhir/QuestionnaireResponse/{visit.id}").get_json(force=True)["status"] == "amended"


def test_instrument_totals_are_observations_with_loinc_where_one_exists(as_clinician, complete):
    response = as_clinician.get(f"/fhir/Observation?encounter={complete.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    body = response.get_json(force=True)
    Bundle.model_validate(body)
    assert body["type"] == "searchset"
    by_key = {}
    for entry in body["entry"]:
        obs = entry["resource"]
        ours = next(c["code"] for c in obs["code"]["coding"] if c["system"].endswith("/CodeSystem/instrument-score"))
        by_key[ours] = obs
    # PHQ-9 3,3,2,2,2,2,2,2,1 = 19 (LOINC 44261-6); GAD-7 2,2,2,1,1,1,1 = 10 (LOINC 70274-6);
    # ODI 20 of 50 = 40 % (no LOINC code used: our own code system).
    phq, gad, odi = by_key["phq9"], by_key["gad7"], by_key["odi"]
    assert {"system": LOINC, "code": "44261-6"}.items() <= phq["code"]["coding"][0].items()
    assert {"system": LOINC, "code": "70274-6"}.items() <= gad["code"]["coding"][0].items()
    assert all(c["system"] != LOINC for c in odi["code"]["coding"])
    assert phq["valueQuantity"]["value"] == 19
    assert phq["valueQuantity"]["code"] == "{score}"
    assert gad["valueQuantity"]["value"] == 10
    assert odi["valueQuantity"] == {"value": 40, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"}
    assert phq["status"] == "preliminary"
    assert phq["category"][0]["coding"][0]["code"] == "survey"
    assert phq["encounter"] == {"reference": f"Encounter/{complete.id}"}
    assert phq["interpretation"][0]["text"] == "Moderately severe depression"


def test_an_odi_percentage_is_rounded_as_on_screen(as_clinician, users):
    visit = new_draft(users)
    # nine sections answered (8 left out), 2,2,2,2,3,3,3,3,2 = 22 of 45 = 48.888... -> 48.9 %
    values = dict(zip([1, 2, 3, 4, 5, 6, 7, 9, 10], [2, 2, 2, 2, 3, 3, 3, 3, 2], strict=True))
    resource = {"resourceType": "QuestionnaireResponse", "status": "completed",
                "questionnaire": f"{QUESTIONNAIRE_URL}|{VERSION}",
                "encounter": {"reference": f"Encounter/{visit.id}"},
                "item": [{"linkId": "odi", "item": [
                    {"linkId": f"odi.odi_{n}", "answer": [{"valueCoding": {"code": str(v)}}]}
                    for n, v in values.items()]}]}
    assert post_response(as_clinician, resource).status_code == 200
    body = as_clinician.get(f"/fhir/Observation?encounter=Encounter/{visit.id}").get_json(force=True)
    odi = next(e["resource"] for e in body["entry"] if e["resource"]["id"].endswith("-odi"))
    assert odi["valueQuantity"]["value"] == 48.9


def test_round_trip_export_then_import_into_a_new_draft_gives_the_same_answers_and_scores(
        client, users, complete):
    _, secret = issue_token(users.clinician, "read-write", users.admin)
    exported = client.get(f"/fhir/QuestionnaireResponse/{complete.id}",
                          headers={"Authorization": f"Bearer {secret}"}).get_json(force=True)
    target = new_draft(users)
    response = post_response(client, retarget(exported, target), secret)
    assert response.status_code == 200, response.get_json(force=True)
    OperationOutcome.model_validate(response.get_json(force=True))
    db.session.expire_all()
    for item in exported["item"]:
        assert stored(target.id, item["linkId"]) == stored(complete.id, item["linkId"]), item["linkId"]
    for instrument in ("odi", "phq9", "gad7", "dn4", "paindetect"):
        a, b = score_row(complete.id, instrument), score_row(target.id, instrument)
        assert (a.score, a.band, a.n_answered) == (b.score, b.band, b.n_answered), instrument
    assert score_row(target.id, "phq9").score == 19  # by hand, as above
    again = client.get(f"/fhir/QuestionnaireResponse/{target.id}",
                       headers={"Authorization": f"Bearer {secret}"}).get_json(force=True)
    assert again["item"] == exported["item"]
    # audited as a form save is (one update row a section), plus the import itself
    assert len(audit_rows(target.id, "update")) == len(exported["item"])
    assert audit_rows(target.id, "fhir_import")[0].changes["via"][1].startswith("api_token ")


def test_a_bad_answer_is_refused_naming_its_item_and_nothing_is_stored(as_clinician, users):
    visit = new_draft(users)
    resource = phq9_response(visit, [1, 1, 1, 1, 1, 1, 1, 1, 7])
    response = post_response(as_clinician, resource)
    assert response.status_code == 422
    found = issues(response)
    OperationOutcome.model_validate(response.get_json(force=True))
    assert len(found) == 1
    assert found[0]["expression"] == ["QuestionnaireResponse.item.where(linkId='phq9')"
                                      ".item.where(linkId='phq9.phq9_9')"]
    assert "Choose one of the options listed" in found[0]["diagnostics"]
    assert stored(visit.id, "phq9") == {}
    assert score_row(visit.id, "phq9") is None


@pytest.mark.parametrize(("change", "expected"), [
    (lambda r: r["item"][0]["item"].append({"linkId": "phq9.nope", "answer": [{"valueInteger": 1}]}),
     "not part of this section"),
    (lambda r: r["item"].append({"linkId": "nowhere", "item": []}), "not a section"),
    (lambda r: r["item"][0]["item"][0].update(answer=[{"valueInteger": 1}]), "expected one valueCoding"),
    (lambda r: r["item"][0]["item"][0].update(answer=[{"valueCoding": {"code": "1"}}, {"valueCoding": {"code": "2"}}]),
     "give one answer"),
    (lambda r: r["item"][0]["item"][0]["answer"][0]["valueCoding"].update(system="http://loinc.org"),
     "code system must be"),
    (lambda r: r.update(subject={"reference": "Patient/999999"}), "not this visit's patient"),
    (lambda r: r.update(questionnaire="http://elsewhere.example/Questionnaire/x|1"), "not for the questionnaire"),
])
def test_malformed_responses_are_refused_with_an_outcome(as_clinician, users, change, expected):
    visit = new_draft(users)
    resource = phq9_response(visit, [0] * 9)
    change(resource)
    response = post_response(as_clinician, resource)
    assert response.status_code == 422
    assert any(expected in issue["diagnostics"] for issue in issues(response)), issues(response)
    assert stored(visit.id, "phq9") == {}


def test_a_response_for_another_questionnaire_version_is_refused_clearly(as_clinician, users):
    visit = new_draft(users)
    response = post_response(as_clinician, phq9_response(visit, [0] * 9, version="2020.1.1"))
    assert response.status_code == 422
    text = issues(response)[0]["diagnostics"]
    assert "version 2020.1.1" in text
    assert f"version {VERSION}" in text
    unversioned = phq9_response(visit, [0] * 9)
    unversioned["questionnaire"] = QUESTIONNAIRE_URL
    assert "no version" in issues(post_response(as_clinician, unversioned))[0]["diagnostics"]


def test_a_signed_visit_is_never_written(as_clinician, users, fake_pdfs):  # noqa: F811
    from fbss_eval.services import signing
    from tests.conftest import PASSWORD

    visit = ready_visit(users.clinician, mrn="FHIR-T")
    signing.sign(visit, users.clinician, PASSWORD, "authored")
    db.session.commit()
    before = stored(visit.id, "phq9")
    response = post_response(as_clinician, phq9_response(visit, [0] * 9))
    assert response.status_code == 409
    assert "signed" in issues(response)[0]["diagnostics"]
    db.session.expire_all()
    assert stored(visit.id, "phq9") == before
    assert visit_service.find_visit(visit.id).status == VisitStatus.SIGNED


def test_the_visit_must_be_named_and_exist_and_be_the_users_to_change(client, as_clinician, users):
    visit = new_draft(users)
    nameless = phq9_response(visit, [0] * 9)
    del nameless["encounter"]
    assert post_response(as_clinician, nameless).status_code == 422
    missing = phq9_response(visit, [0] * 9)
    missing["encounter"] = {"reference": "Encounter/2147483647"}
    assert post_response(as_clinician, missing).status_code == 404
    assert post_response(as_clinician, {"not": "fhir"}).status_code == 422
    response = as_clinician.post("/fhir/QuestionnaireResponse", data="not json", content_type="application/fhir+json")
    assert response.status_code == 400
    # olga may not change carl's visit
    from tests.conftest import login
    other = client.application.test_client()
    login(other, "olga")
    assert post_response(other, phq9_response(visit, [0] * 9)).status_code == 403
    assert stored(visit.id, "phq9") == {}


def test_an_import_through_fhir_equals_a_save_through_the_form(as_clinician, users):
    from tests.web.visits_support import post_section

    by_form, by_fhir = new_draft(users, "FORM-1"), new_draft(users, "FHIR-1")
    values = [3, 2, 1, 0, 3, 2, 1, 0, 1]
    form_data = {f"phq9_{n}": str(v) for n, v in enumerate(values, start=1)}
    assert post_section(as_clinician, by_form.id, "phq9", form_data).status_code == 302
    assert post_response(as_clinician, phq9_response(by_fhir, values)).status_code == 200
    db.session.expire_all()
    assert stored(by_fhir.id, "phq9") == stored(by_form.id, "phq9")
    a, b = score_row(by_form.id, "phq9"), score_row(by_fhir.id, "phq9")
    assert a.score == b.score == 13  # 3+2+1+0+3+2+1+0+1
    form_rows, fhir_rows = audit_rows(by_form.id, "update"), audit_rows(by_fhir.id, "update")
    assert [r.changes for r in form_rows] == [r.changes for r in fhir_rows]


def test_text_a_database_cannot_store_is_refused_not_a_500(as_clinician, users):
    visit = new_draft(users)
    body = json.dumps({
        "resourceType": "QuestionnaireResponse", "questionnaire": f"{QUESTIONNAIRE_URL}|{VERSION}",
        "encounter": {"reference": f"Encounter/{visit.id}"},
        "item": [{"linkId": "psychosocial", "item": [{"linkId": "psychosocial.\ud800",
                                                        "answer": [{"valueString": "x"}]}]},
                 {"linkId": "red_flags", "item": [
                     {"linkId": "red_flags.rf_notes", "answer": [{"valueString": "\ud800"}]},
                     {"linkId": "red_flags.rf_ces_saddle", "answer": [{"valueString": "a\u0000b"}]}]}]})
    assert "\\ud800" in body  # sent as JSON escapes, as a client would
    response = as_clinician.post("/fhir/QuestionnaireResponse", data=body, content_type="application/fhir+json")
    assert response.status_code == 422
    messages = " ".join(issue["diagnostics"] for issue in issues(response))
    assert "not valid Unicode" in messages
    assert stored(visit.id, "red_flags") == {}
