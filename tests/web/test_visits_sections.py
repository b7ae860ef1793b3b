"""Section pages: drafts, status and progress in the navigation, save and next, completeness
counting only applicable questions, and "not assessed" with a reason."""

from __future__ import annotations

import pytest

from fbss_eval.checklist import section_map
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from fbss_eval.extensions import db
from fbss_eval.models import Visit
from tests.web.conftest import soup
from tests.web.visits_support import days_ago
from tests.web.visits_support import nav_status
from tests.web.visits_support import nav_text
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored
from tests.web.visits_support import visible_text


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(2))


def done_count(page) -> tuple[int, int]:
    bar = soup(page).select_one("nav.section-nav progress")
    return int(bar["value"]), int(bar["max"])


def test_every_section_page_renders_empty(as_clinician, visit_id):
    page = as_clinician.get(f"/visits/{visit_id}")
    keys = [a["href"].rsplit("/", 1)[1] for a in soup(page).select("nav.section-nav a")]
    assert keys[:3] == ["visit", "red_flags", "surgical_history"]
    assert keys[-2:] == ["differential", "plan"]
    for key in keys:
        response = as_clinician.get(section_url(visit_id, key))
        assert response.status_code == 200, key
        assert soup(response).find("form", id="section-form") is not None
    assert as_clinician.get(section_url(visit_id, "no_such_section")).status_code == 404
    assert as_clinician.get(section_url(999, "visit")).status_code == 404


def test_a_partial_section_is_saved_as_a_draft_then_completed(as_clinician, visit_id):
    page = as_clinician.get(section_url(visit_id, "red_flags"))
    assert nav_status(page, "red_flags") == "empty"
    assert done_count(page)[0] == 0

    response = post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "no", "rf_fx_trauma": "no"})
    assert response.status_code == 302
    assert response.location == section_url(visit_id, "red_flags")
    assert stored(visit_id, "red_flags") == {"rf_ces_saddle": "no", "rf_fx_trauma": "no"}
    row = section_row(visit_id, "red_flags")
    assert (row.status, row.n_answered, row.n_required) == ("in_progress", 2, len(SCREEN_KEYS))
    page = as_clinician.get(response.location)
    assert nav_status(page, "red_flags") == "in_progress"
    assert f"In progress 2/{len(SCREEN_KEYS)}" in nav_text(page, "red_flags")
    assert "saved (2 changes)" in visible_text(page)
    assert soup(page).find("input", attrs={"name": "rf_ces_saddle", "value": "no"}).has_attr("checked")

    response = post_section(as_clinician, visit_id, "red_flags", {key: "no" for key in SCREEN_KEYS})
    page = as_clinician.get(response.location)
    assert nav_status(page, "red_flags") == "complete"
    assert done_count(page)[0] == 1
    assert section_row(visit_id, "red_flags").status == "complete"


def test_save_and_next_goes_to_the_next_section(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "no"}, action="save_next")
    assert response.status_code == 302
    assert response.location == section_url(visit_id, "surgical_history")
    assert stored(visit_id, "red_flags") == {"rf_ces_saddle": "no"}
    # The last section has no next: "save and next" stays there (and the button is not offered).
    page = as_clinician.get(section_url(visit_id, "plan"))
    assert soup(page).find("button", attrs={"value": "save_next"}) is None
    response = post_section(as_clinician, visit_id, "plan", {"follow_up_weeks": "6"}, action="save_next")
    assert response.location == section_url(visit_id, "plan")


def test_an_unknown_action_is_a_bad_request_and_stores_nothing(as_clinician, visit_id):
    for action in ("add:", "add:studies", "remove:operations:x", "remove:operations", "add:a:b"):
        response = post_section(as_clinician, visit_id, "surgical_history", {"records_reviewed": "full"}, action=action)
        assert response.status_code == 400, action
    assert stored(visit_id, "surgical_history") == {}


def test_enter_in_a_field_saves_rather_than_removing_a_row(as_clinician, visit_id):
    """Without JavaScript, Enter submits with the form's first submit button."""
    post_section(as_clinician, visit_id, "surgical_history", {"operations-0-procedure": "laminectomy"})
    page = soup(as_clinician.get(section_url(visit_id, "surgical_history")))
    buttons = page.find("form", id="section-form").find_all("button", attrs={"type": "submit"})
    assert buttons[0]["value"] == "save"
    assert any(b["value"] == "remove:operations:0" for b in buttons)


def test_a_blank_save_of_an_empty_section_leaves_it_empty(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "examination", {})
    assert response.status_code == 302
    row = section_row(visit_id, "examination")
    assert (row.answers, row.status) == ({}, "empty")
    assert nav_status(as_clinician.get(response.location), "examination") == "empty"


IMAGING_STUDY = {"studies-0-modality": "mri_gd", "studies-0-date": "2024-05-02",
                 "studies-0-levels": ["L4", "L5"], "studies-0-findings": "enhancing_scar"}


def test_completeness_counts_required_questions_only_when_they_apply(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "imaging", {**IMAGING_STUDY, "bloods_done": "no"})
    row = section_row(visit_id, "imaging")
    # one study needed + its 4 required fields + "bloods done"; the bloods date does not apply
    assert (row.status, row.n_answered, row.n_required) == ("complete", 6, 6)

    post_section(as_clinician, visit_id, "imaging", {**IMAGING_STUDY, "bloods_done": "yes"})
    db.session.expire_all()
    row = section_row(visit_id, "imaging")
    assert (row.status, row.n_answered, row.n_required) == ("in_progress", 6, 7)  # now the date is required
    page = as_clinician.get(section_url(visit_id, "imaging"))
    assert "6 of 7 required answers" in visible_text(page)
    assert not soup(page).find(id="bloods_date").find_parent(class_="cl-item").has_attr("hidden")

    post_section(as_clinician, visit_id, "imaging", {**IMAGING_STUDY, "bloods_done": "yes", "bloods_date": days_ago(5)})
    db.session.expire_all()
    row = section_row(visit_id, "imaging")
    assert (row.status, row.n_answered, row.n_required) == ("complete", 7, 7)


def test_questions_that_do_not_apply_are_hidden_on_the_page(as_clinician, visit_id):
    page = soup(as_clinician.get(section_url(visit_id, "imaging")))
    item = page.find(id="bloods_date").find_parent(class_="cl-item")
    assert item.has_attr("hidden")
    assert item.has_attr("data-enable-when")
    post_section(as_clinician, visit_id, "visit", {"nrs_recall": "now", "back_nrs_now": "5"})
    page = soup(as_clinician.get(section_url(visit_id, "visit")))
    assert page.find(id="back_nrs_avg").find_parent(class_="cl-item").has_attr("hidden")
    assert not page.find(id="back_nrs_now").find_parent(class_="cl-item").has_attr("hidden")
    row = section_row(visit_id, "visit")
    required = [f for f in section_map()["visit"].fields() if f.required]
    assert row.n_required == len(required) - 2  # the two averages do not apply to "now only"


def test_a_section_marked_not_assessed_counts_as_done(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "gad7", {"gad7_1": "1"})
    response = as_clinician.post(f"/visits/{visit_id}/sections/gad7/not-assessed",
                                 data={"reason": "declined", "rev": "1"})
    assert response.status_code == 302
    assert response.location == section_url(visit_id, "gad7")
    row = section_row(visit_id, "gad7")
    assert (row.status, row.not_assessed_reason) == ("not_assessed", "declined")
    assert row.answers == {"gad7_1": "1"}  # kept, but not counted
    page = as_clinician.get(response.location)
    assert nav_status(page, "gad7") == "not_assessed"
    assert "Not assessed: Patient declined" in visible_text(page)
    assert done_count(page)[0] == 1
    visit = db.session.get(Visit, visit_id)
    assert visit.completeness_pct > 0
    # Its answers no longer score: the summary shows GAD-7 as not recorded.
    assert "not recorded" in visible_text(as_clinician.get(f"/visits/{visit_id}"))

    # Saving the section again brings it back into the workup.
    response = post_section(as_clinician, visit_id, "gad7", {f"gad7_{n}": "0" for n in range(1, 8)})
    assert response.status_code == 302
    db.session.expire_all()
    row = section_row(visit_id, "gad7")
    assert (row.status, row.not_assessed_reason) == ("complete", None)


def test_not_assessed_needs_a_known_reason_and_the_current_revision(as_clinician, visit_id):
    for data in ({"rev": "0"}, {"reason": "bored", "rev": "0"}):
        response = as_clinician.post(f"/visits/{visit_id}/sections/pcs/not-assessed", data=data)
        assert response.status_code == 302
        assert "Choose why the section was not assessed." in visible_text(as_clinician.get(response.location))
        assert section_row(visit_id, "pcs") is None
    response = as_clinician.post(f"/visits/{visit_id}/sections/pcs/not-assessed",
                                 data={"reason": "not_asked", "rev": "3"})
    assert "changed since you opened it" in visible_text(as_clinician.get(response.location))
    assert section_row(visit_id, "pcs") is None
    response = as_clinician.post(f"/visits/{visit_id}/sections/pcs/not-assessed",
                                 data={"reason": "not_applicable", "rev": "0"})
    assert section_row(visit_id, "pcs").status == "not_assessed"


def test_the_not_assessed_form_offers_the_four_reasons(as_clinician, visit_id):
    page = soup(as_clinician.get(section_url(visit_id, "examination")))
    form = page.find("form", class_="not-assessed")
    assert [o["value"] for o in form.find_all("option")] == ["not_asked", "declined", "not_applicable", "unknown"]
    assert form.find("input", attrs={"name": "rev"})["value"] == "0"
