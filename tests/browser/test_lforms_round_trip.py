"""A real FHIR client: LHC-Forms (the lforms npm package, from local files) loads our
Questionnaire in Chromium, PHQ-9 and ODI are filled there, the QuestionnaireResponse it makes
(``LForms.Util.getFormFHIRData``) is posted to our import with an API token, and the visit shows
the same scores as a visit whose same answers were typed into our own form."""

from __future__ import annotations

import json
import urllib.request
from datetime import date
from datetime import timedelta

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.services import api_tokens
from fbss_eval.services import visits as visit_service
from tests.browser.conftest import log_in
from tests.browser.conftest import server_data
from tests.pdf.builders import make_patient

pytestmark = pytest.mark.browser

# PHQ-9 1,3,2,0,1,2,3,0,1 = 13 (moderate, 10-14; Kroenke 2001); item 9 = 1 raises the alert.
PHQ9 = (1, 3, 2, 0, 1, 2, 3, 0, 1)
PHQ_LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
# ODI 5,4,3,2,1,0,1,2,3,4 = 25 of 50 = 50 % (severe disability, 41-60; Fairbank 2000).
ODI = (5, 4, 3, 2, 1, 0, 1, 2, 3, 4)
ODI_LABELS = ("0 (least)", "1", "2", "3", "4", "5 (most)")


def _api(live_server, method, path, secret, body=None):
    request = urllib.request.Request(  # noqa: S310 - the test's own local server
        live_server.url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {secret}", "Content-Type": "application/fhir+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  # nosec B310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def two_drafts(live_server):
    """Two draft visits of carl's, for two new patients, and a read-write token for carl."""
    with server_data(live_server):
        carl = db.session.scalars(sa.select(User).where(User.username == "carl")).one()
        when = date.today() - timedelta(days=1)
        stamp = str(date.today().toordinal())
        by_lforms = visit_service.start_visit(make_patient(carl, mrn=f"LF-{stamp}-A"), carl, when, "initial")
        by_form = visit_service.start_visit(make_patient(carl, mrn=f"LF-{stamp}-B"), carl, when, "initial")
        _token, secret = api_tokens.create_token("LHC-Forms tablet", "read-write", carl, carl)
        db.session.commit()
        ids = (by_lforms.id, by_lforms.patient_id, by_form.id)
        db.session.remove()
    return ids, secret


def _choose(page, link_id, label):
    """Pick an answer in an LHC-Forms list (an autocomplete box: click it, click the option)."""
    box = page.locator(f'[id="{link_id}/1/1"]')
    box.scroll_into_view_if_needed()
    box.click()
    page.locator("#lhc-tools-searchResults li", has_text=label).first.click()


# True once the form's QuestionnaireResponse holds at least n answered PHQ-9 and ODI items.
ANSWERED_AT_LEAST = """(n) => {
  const data = LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'));
  let answered = 0;
  const walk = (items) => (items || []).forEach((item) => {
    if (item.answer && /^(phq9|odi)[.]/.test(item.linkId)) answered += 1;
    walk(item.item);
    (item.answer || []).forEach((answer) => walk(answer.item));
  });
  walk(data.item);
  return answered >= n;
}"""


def _scores_text(page, visit_id):
    page.goto(f"/visits/{visit_id}")
    return " ".join(page.locator("section[aria-labelledby=scores-h]").inner_text().split())


def test_lhc_forms_fills_our_questionnaire_and_its_response_scores_as_our_form_does(
        page, live_server, lforms_client, two_drafts):
    (lforms_visit, lforms_patient, form_visit), secret = two_drafts
    status, questionnaire = _api(live_server, "GET", "/fhir/Questionnaire/fbss-workup", secret)
    assert status == 200

    page.set_default_timeout(60_000)  # the whole workup renders in LHC-Forms (tens of seconds here)
    page.goto(lforms_client)
    page.wait_for_function("() => window.LForms && LForms.Util && LForms.Util.addFormToPage")
    page.evaluate("(q) => LForms.Util.addFormToPage(q, 'form', {fhirVersion: 'R4'})", questionnaire)
    page.locator('[id="phq9.phq9_1/1/1"]').wait_for()
    for number, value in enumerate(PHQ9, start=1):
        _choose(page, f"phq9.phq9_{number}", PHQ_LABELS[value])
    for number, value in enumerate(ODI, start=1):
        _choose(page, f"odi.odi_{number}", ODI_LABELS[value])
    # Every choice has reached the form's data before it is read (a last click can land late).
    page.wait_for_function(ANSWERED_AT_LEAST, arg=len(PHQ9) + len(ODI))
    response = page.evaluate(
        "() => LForms.Util.getFormFHIRData('QuestionnaireResponse', 'R4', document.getElementById('form'))")
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    # The launch context an SDC client is given: which encounter (our visit) and patient.
    response["encounter"] = {"reference": f"Encounter/{lforms_visit}"}
    response["subject"] = {"reference": f"Patient/{lforms_patient}"}
    status, outcome = _api(live_server, "POST", "/fhir/QuestionnaireResponse", secret, response)
    assert status == 200, outcome

    # The same answers through our own form, in the same browser.
    log_in(page)
    for key, values in (("phq9", PHQ9), ("odi", ODI)):
        page.goto(f"/visits/{form_visit}/sections/{key}")
        for number, value in enumerate(values, start=1):
            page.locator(f"input[name='{key}_{number}'][value='{value}']").check()
        with page.expect_navigation():  # the save's POST and redirect, before the next page is opened
            page.get_by_role("button", name="Save", exact=True).click()

    imported, typed = _scores_text(page, lforms_visit), _scores_text(page, form_visit)
    assert imported == typed
    assert "13" in imported
    assert "Moderate depression" in imported
    assert "50" in imported
    assert "Severe disability" in imported
    status, bundle = _api(live_server, "GET", f"/fhir/Observation?encounter={lforms_visit}", secret)
    totals = {e["resource"]["code"]["coding"][-1]["code"]: e["resource"]["valueQuantity"]["value"]
              for e in bundle["entry"]}
    assert totals == {"phq9": 13, "odi": 50}
