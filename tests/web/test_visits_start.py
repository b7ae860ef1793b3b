"""Starting a visit: date and type validated with messages, history carried forward from the
previous visit (shown as such, values present), instruments never carried."""

from __future__ import annotations

import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.conftest import summary_errors
from tests.web.visits_support import days_ago
from tests.web.visits_support import nav_status
from tests.web.visits_support import nav_text
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored
from tests.web.visits_support import visible_text


def visit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Visit.id)))


def test_start_opens_a_draft_and_goes_to_the_red_flags(as_clinician, patient, users):
    page = as_clinician.get(f"/patients/{patient.id}/visits/new")
    assert page.status_code == 200
    assert input_value(soup(page), "visit_type") == "initial"  # the first visit of this patient
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": days_ago(3), "visit_type": "initial"})
    assert response.status_code == 302
    visit = db.session.scalar(sa.select(Visit))
    assert response.location == section_url(visit.id, "red_flags")
    assert (visit.visit_date.isoformat(), visit.visit_type, visit.status, visit.clinician_id) == (
        days_ago(3), "initial", "draft", users.clinician.id)
    assert stored(visit.id, "visit") == {"visit_date": days_ago(3), "visit_type": "initial"}


def test_a_future_visit_date_is_refused_with_a_message(as_clinician, patient):
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": days_ago(-1), "visit_type": "initial"})
    page = soup(response)
    assert field_error(page, "visit_date") == "The visit date cannot be in the future."
    assert summary_errors(page) == {"visit_date": "Visit date: The visit date cannot be in the future."}
    assert input_value(page, "visit_date") == days_ago(-1)  # what was typed is kept
    assert visit_count() == 0


def test_the_visit_type_is_required_and_must_be_an_option(as_clinician, patient):
    for posted, message in (("", "Choose the visit type."), ("emergency", "Not a valid choice.")):
        response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                     data={"visit_date": days_ago(1), "visit_type": posted})
        assert response.status_code == 200
        assert field_error(soup(response), "visit_type") == message
        assert summary_errors(soup(response)) == {"visit_type": f"Visit type: {message}"}
    response = as_clinician.post(f"/patients/{patient.id}/visits/new", data={"visit_date": days_ago(1)})
    assert field_error(soup(response), "visit_type") == "Choose the visit type."
    assert visit_count() == 0


def test_an_impossible_or_missing_date_is_refused(as_clinician, patient):
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": "2024-02-30", "visit_type": "initial"})
    assert "real date" in field_error(soup(response), "visit_date")
    assert input_value(soup(response), "visit_date") == "2024-02-30"
    response = as_clinician.post(f"/patients/{patient.id}/visits/new", data={"visit_type": "initial"})
    assert field_error(soup(response), "visit_date") == "Enter the visit date."
    assert visit_count() == 0


def test_an_unknown_patient_is_a_404(as_clinician, users):
    assert as_clinician.get("/patients/999/visits/new").status_code == 404
    assert as_clinician.post("/patients/999/visits/new",
                             data={"visit_date": days_ago(1), "visit_type": "initial"}).status_code == 404


HISTORY = {
    "surgical_history": {
        "records_reviewed": "full",
        "operations-0-date": "2021-03-04", "operations-0-procedure": "microdiscectomy",
        "operations-0-levels": ["L5", "S1"], "operations-0-side": "left",
        "operations-0-immediate_outcome": "improved", "operations-0-pain_free_weeks": "40",
        "n_prior_operations": "1",
    },
    "imaging": {"studies-0-modality": "mri_gd", "studies-0-date": "2022-01-10",
                "studies-0-findings": ["recurrent_herniation", "enhancing_scar"], "bloods_done": "no"},
    "electrodiagnostics": {"emg_status": "done", "studies-0-date": "2022-02-01", "studies-0-test": "emg_ncs",
                           "studies-0-findings": "chronic_changes"},
    "blocks": {"blocks_status": "yes", "blocks-0-type": "sij", "blocks-0-side": "left",
               "blocks-0-date": "2022-03-01", "blocks-0-relief_pct": "80", "blocks-0-concordant": "yes"},
    "treatments": {"treatments-0-category": "physiotherapy", "treatments-0-weeks": "12",
                   "treatments-0-response": "minimal", "mdt_involvement": "none"},
    "odi": {f"odi_{n}": "2" for n in range(1, 11)},
    "psychosocial": {"smoking": "never"},
}


def test_history_is_carried_forward_to_the_next_visit_but_not_the_rest(as_clinician, patient):
    first = start_visit(as_clinician, patient.id, days_ago(60))
    for key, data in HISTORY.items():
        response = post_section(as_clinician, first, key, data)
        assert response.status_code == 302, (key, visible_text(response)[:800])
    second = start_visit(as_clinician, patient.id, days_ago(1), "follow_up")

    carried = ("surgical_history", "imaging", "electrodiagnostics", "blocks", "treatments")
    for key in carried:
        assert stored(second, key) == stored(first, key) != {}, key
        assert section_row(second, key).carried_forward_from == first
    assert stored(second, "odi") == {}
    assert stored(second, "psychosocial") == {}

    page = as_clinician.get(section_url(second, "surgical_history"))
    text = visible_text(page)
    assert f"To confirm Carried forward from the visit of {days_ago(60)} (initial)." in text
    assert input_value(soup(page), "operations-0-date") == "2021-03-04"
    assert input_value(soup(page), "operations-0-pain_free_weeks") == "40"
    for key in carried:
        assert "To confirm · carried forward" in nav_text(page, key), key
        assert nav_status(page, key) == "to_confirm", key
    assert nav_status(page, "odi") == "empty"
    assert "carried forward" not in nav_text(page, "odi")
    imaging = soup(as_clinician.get(section_url(second, "imaging")))
    assert imaging.find("input", attrs={"name": "studies-0-findings", "value": "enhancing_scar"}).has_attr("checked")
    odi = soup(as_clinician.get(section_url(second, "odi")))
    assert not any(node.has_attr("checked") for node in odi.find_all("input", attrs={"name": "odi_1"}))


def test_saving_a_carried_section_confirms_it(as_clinician, patient):
    first = start_visit(as_clinician, patient.id, days_ago(60))
    post_section(as_clinician, first, "treatments", HISTORY["treatments"])
    second = start_visit(as_clinician, patient.id, days_ago(1), "follow_up")
    data = dict(HISTORY["treatments"], **{"treatments-0-response": "partial"})
    assert post_section(as_clinician, second, "treatments", data).status_code == 302
    row = section_row(second, "treatments")
    assert row.carried_forward_from is None
    assert row.answers["treatments"][0]["response"] == "partial"
    assert stored(first, "treatments")["treatments"][0]["response"] == "minimal"  # the old visit is untouched
    page = as_clinician.get(section_url(second, "treatments"))
    assert soup(page).find(id="carried-forward") is None  # no longer to confirm
    assert nav_status(page, "treatments") != "to_confirm"


def test_the_start_page_offers_a_follow_up_after_a_first_visit(as_clinician, patient):
    start_visit(as_clinician, patient.id, days_ago(30))
    page = soup(as_clinician.get(f"/patients/{patient.id}/visits/new"))
    assert input_value(page, "visit_type") == "follow_up"
    assert "will be carried forward from the visit of " + days_ago(30) in visible_text(page)
