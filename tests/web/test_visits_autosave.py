"""The autosave endpoint (visits/autosave.py): stores valid input as Save does, says what is wrong
with invalid input, never overwrites a newer version, and writes nothing when nothing changed."""

from __future__ import annotations

import pytest

from tests.conftest import login
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import page_form
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(2))


def autosave_url(visit_id: int, key: str) -> str:
    return f"/visits/{visit_id}/sections/{key}/autosave"


def opened(client, visit_id, key="visit"):
    page = client.get(section_url(visit_id, key))
    assert soup(page).find("form", id="section-form")["data-autosave"] == autosave_url(visit_id, key)
    return page_form(page)


def test_autosave_stores_valid_input_and_answers_the_new_revision(as_clinician, visit_id, users):
    data = opened(as_clinician, visit_id)
    data["chief_complaint"], data["back_nrs_now"] = "Typed, never clicked", "6"
    response = as_clinician.post(autosave_url(visit_id, "visit"), data=data)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "saved"
    assert answer["rev"] == 1 == section_row(visit_id, "visit").rev
    assert answer["changes"] == 2
    assert stored(visit_id, "visit")["chief_complaint"] == "Typed, never clicked"
    assert stored(visit_id, "visit")["back_nrs_now"] == 6
    event = audit_rows(visit_id, "autosave")[-1]
    assert event.user_id == users.clinician.id
    assert sorted(event.changes) == ["visit.back_nrs_now", "visit.chief_complaint"]

    # The page goes on with the new revision and base: a later Save is not a conflict.
    data["_rev"], data["_base"] = str(answer["rev"]), answer["base"]
    data["leg_nrs_now"] = "2"
    assert as_clinician.post(section_url(visit_id, "visit"), data=data).status_code == 302
    assert stored(visit_id, "visit")["leg_nrs_now"] == 2


def test_an_unchanged_autosave_writes_nothing(as_clinician, visit_id):
    data = opened(as_clinician, visit_id)
    data["chief_complaint"] = "Once"
    first = as_clinician.post(autosave_url(visit_id, "visit"), data=data).get_json()
    data["_rev"], data["_base"] = str(first["rev"]), first["base"]
    again = as_clinician.post(autosave_url(visit_id, "visit"), data=data)
    assert again.status_code == 200
    assert again.get_json()["changes"] == 0
    assert section_row(visit_id, "visit").rev == 1
    assert len(audit_rows(visit_id, "autosave")) == 1


def test_invalid_input_is_not_stored_and_each_field_gets_its_message(as_clinician, visit_id):
    data = opened(as_clinician, visit_id)
    data["chief_complaint"], data["back_nrs_now"] = "Kept in the page", "5e"
    response = as_clinician.post(autosave_url(visit_id, "visit"), data=data)
    assert response.status_code == 422
    answer = response.get_json()
    assert answer["message"] == "Not saved: fix the marked fields."
    assert answer["errors"] == {
        "back_nrs_now": "Back pain now (NRS 0-10): Enter a whole number, using the digits 0-9 only."}
    assert "chief_complaint" not in stored(visit_id, "visit")
    assert section_row(visit_id, "visit").rev == 0


def test_a_stale_autosave_is_a_conflict_and_overwrites_nothing(app, as_clinician, visit_id):
    data = opened(as_clinician, visit_id)
    post_section(as_clinician, visit_id, "visit", {"chief_complaint": "Saved elsewhere", "visit_date": days_ago(2),
                                                   "visit_type": "initial"})
    data["chief_complaint"] = "Typed on the old page"
    response = as_clinician.post(autosave_url(visit_id, "visit"), data=data)
    assert response.status_code == 409
    answer = response.get_json()
    assert answer["status"] == "conflict"
    assert "Dr Carl Clinician saved this section" in answer["message"]
    assert stored(visit_id, "visit")["chief_complaint"] == "Saved elsewhere"
    assert section_row(visit_id, "visit").rev == 1


def test_only_someone_who_may_edit_can_autosave(app, as_clinician, visit_id):
    other = app.test_client()
    login(other, "olga")
    data = opened(as_clinician, visit_id)
    data["chief_complaint"] = "Not Olga's visit"
    response = other.post(autosave_url(visit_id, "visit"), data=data)
    assert response.status_code == 403
    assert response.get_json()["status"] == "refused"
    assert "chief_complaint" not in stored(visit_id, "visit")
    assert other.post(autosave_url(visit_id, "nonsense"), data=data).status_code == 404


def test_5e_in_an_nrs_box_is_sent_as_typed_refused_beside_the_field_and_shown_back(as_clinician, visit_id):
    page = soup(as_clinician.get(section_url(visit_id, "visit")))
    box = page.find("input", attrs={"name": "back_nrs_now"})
    # type=number would make the browser send "" for "5e": nothing to explain, nothing to show back.
    assert (box["type"], box["inputmode"]) == ("text", "numeric")
    data = page_form(page)
    data["back_nrs_now"] = "5e"
    response = as_clinician.post(section_url(visit_id, "visit"), data=data)
    assert response.status_code == 422
    assert field_error(soup(response), "back_nrs_now") == "Enter a whole number, using the digits 0-9 only."
    assert input_value(soup(response), "back_nrs_now") == "5e"



def test_an_autosave_after_an_idle_logout_keeps_the_typing_for_the_section_page(client, users, patient):
    from datetime import timedelta

    import sqlalchemy as sa
    from freezegun import freeze_time

    from fbss_eval.extensions import db
    from fbss_eval.models import FormStash
    from fbss_eval.models.base import now_utc

    with freeze_time(now_utc()) as clock:
        login(client, "carl")
        visit_id = start_visit(client, patient.id, days_ago(2))
        data = opened(client, visit_id)
        clock.tick(timedelta(minutes=20))
        data["chief_complaint"] = "Typed after the session ended"
        response = client.post(autosave_url(visit_id, "visit"), data=data, headers={"Accept": "application/json"})
        assert response.status_code == 401
        assert response.get_json() == {"status": "logged_out",
                                       "login": f"/login?next=/visits/{visit_id}/sections/visit"}
        # The typing is kept for the section page (not the endpoint), and comes back after login.
        stash = db.session.scalars(sa.select(FormStash)).one()
        assert stash.path == section_url(visit_id, "visit")
        login(client, "carl")
        page = client.get(section_url(visit_id, "visit"))
        assert "Typed after the session ended" in page.get_data(as_text=True)
    assert "chief_complaint" not in stored(visit_id, "visit")
