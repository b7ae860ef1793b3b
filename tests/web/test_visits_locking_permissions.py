"""Two people on one section (optimistic locking), who may change a visit, and the audit trail
of section saves."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from flask.testing import FlaskClient

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from tests.conftest import login
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.visits_support import alert_row
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import page_form
from tests.web.visits_support import post_section
from tests.web.visits_support import rev_of
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored
from tests.web.visits_support import visible_text


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(2))


def client_as(app, username: str) -> FlaskClient:
    other = app.test_client()
    login(other, username)
    return other


# --- optimistic locking --------------------------------------------------------------------------------


def test_the_second_of_two_concurrent_saves_gets_a_conflict_and_keeps_its_input(app, as_clinician, visit_id):
    first = as_clinician
    second = client_as(app, "carl")  # the same clinician in a second tab or on another computer
    page_one = first.get(section_url(visit_id, "visit"))
    page_two = second.get(section_url(visit_id, "visit"))
    assert rev_of(page_one) == rev_of(page_two) == "0"

    mine = page_form(page_one)
    mine["chief_complaint"], mine["back_nrs_now"] = "Back pain (first)", "3"
    assert first.post(section_url(visit_id, "visit"), data=mine).status_code == 302

    theirs = page_form(page_two)
    theirs["chief_complaint"], theirs["leg_nrs_now"] = "Leg pain (second)", "8"
    response = second.post(section_url(visit_id, "visit"), data=theirs)
    assert response.status_code == 409
    text = visible_text(response)
    assert "Someone saved this section after you opened it" in text
    assert "not saved" in text
    assert "Dr Carl Clinician" in text  # who saved it
    assert "Chief complaint" in text  # what differs
    page = soup(response)
    assert page.find("textarea", attrs={"name": "chief_complaint"}).get_text().strip() == "Leg pain (second)"
    assert input_value(page, "leg_nrs_now") == "8"
    saved = stored(visit_id, "visit")
    assert saved["chief_complaint"] == "Back pain (first)"
    assert saved["back_nrs_now"] == 3
    assert "leg_nrs_now" not in saved  # nothing of the second save was stored
    assert section_row(visit_id, "visit").rev == 1

    # The conflict page carries the new revision; the field both changed needs a choice, then the
    # save applies it on top of the first one (tests/web/test_visits_merge.py has the cases).
    assert rev_of(page) == "1"
    resolved = page_form(page)
    resolved["_keep-chief_complaint"] = "mine"
    response = second.post(section_url(visit_id, "visit"), data=resolved)
    assert response.status_code == 302
    saved = stored(visit_id, "visit")
    assert saved["chief_complaint"] == "Leg pain (second)"
    assert saved["leg_nrs_now"] == 8
    assert saved["back_nrs_now"] == 3  # the first save's change is kept


def test_a_stale_or_missing_revision_is_a_conflict(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "odi", {"odi_1": "1"})
    for rev in ("0", "7", "-1", "abc", ""):
        response = post_section(as_clinician, visit_id, "odi", {"odi_1": "5"}, rev=rev)
        assert response.status_code == 409, rev
    response = as_clinician.post(section_url(visit_id, "odi"), data={"odi_1": "5"})  # no _rev at all
    assert response.status_code == 409
    assert stored(visit_id, "odi") == {"odi_1": "1"}
    # a section never saved is at revision 0
    assert post_section(as_clinician, visit_id, "pcs", {"pcs_1": "1"}, rev="1").status_code == 409
    assert section_row(visit_id, "pcs") is None


# --- permissions ---------------------------------------------------------------------------------------


def test_another_clinician_can_read_but_not_change_the_visit(app, as_clinician, visit_id, users):
    post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "yes"})
    alert = alert_row(visit_id, "red_flag.cauda_equina")
    olga = client_as(app, "olga")
    page = olga.get(section_url(visit_id, "red_flags"))
    assert page.status_code == 200
    assert "Only the visit's clinician or an admin can change it." in visible_text(page)
    assert soup(page).find("button", attrs={"value": "save"}) is None
    assert soup(page).find("form", class_="not-assessed") is None
    assert olga.get(f"/visits/{visit_id}").status_code == 200
    assert olga.get(f"/visits/{visit_id}/alerts/{alert.id}").status_code == 200

    assert post_section(olga, visit_id, "red_flags", {"rf_ces_saddle": "no"}).status_code == 403
    assert post_section(olga, visit_id, "surgical_history", {}, action="add:operations").status_code == 403
    assert olga.post(f"/visits/{visit_id}/sections/odi/not-assessed",
                     data={"reason": "declined", "rev": "0"}).status_code == 403
    assert olga.post(f"/visits/{visit_id}/alerts/{alert.id}", data={"action_taken": "x"}).status_code == 403
    assert stored(visit_id, "red_flags") == {"rf_ces_saddle": "yes"}
    assert section_row(visit_id, "odi") is None
    assert alert_row(visit_id, "red_flag.cauda_equina").pending
    assert [e.user_id for e in audit_rows(visit_id, "update")] == [users.clinician.id]


def test_an_admin_can_change_any_visit(app, as_clinician, visit_id, users):
    ada = client_as(app, "ada")
    response = post_section(ada, visit_id, "red_flags", {"rf_ces_saddle": "no"})
    assert response.status_code == 302
    assert stored(visit_id, "red_flags") == {"rf_ces_saddle": "no"}
    assert section_row(visit_id, "red_flags").updated_by_id == users.admin.id
    assert audit_rows(visit_id, "update")[-1].user_id == users.admin.id


def test_anonymous_requests_go_to_the_login_page(client, users, patient):
    author = client_as(client.application, "carl")
    visit_id = start_visit(author, patient.id)
    for method, url in (("get", f"/visits/{visit_id}"), ("get", section_url(visit_id, "visit")),
                        ("post", section_url(visit_id, "visit")), ("get", f"/patients/{patient.id}/visits/new"),
                        ("post", f"/visits/{visit_id}/sections/visit/not-assessed")):
        data = {"_rev": "0", "chief_complaint": "x"} if method == "post" else None
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302, url
        assert response.location.startswith("/login"), url
    assert "chief_complaint" not in stored(visit_id, "visit")


def test_a_signed_visit_cannot_be_changed_even_by_its_clinician(as_clinician, visit_id, users):
    visit = db.session.get(Visit, visit_id)
    visit.status, visit.revision = "signed", 1
    visit.signed_at, visit.signed_by_id = datetime.now(UTC), users.clinician.id
    db.session.commit()
    page = as_clinician.get(section_url(visit_id, "visit"))
    assert page.status_code == 200
    assert "This visit is signed and cannot be changed." in visible_text(page)
    assert post_section(as_clinician, visit_id, "visit", {"chief_complaint": "late"}).status_code == 403
    assert "chief_complaint" not in stored(visit_id, "visit")


# --- audit ---------------------------------------------------------------------------------------------


def test_a_section_save_is_audited_field_by_field(as_clinician, visit_id, users):
    post_section(as_clinician, visit_id, "visit", {"back_nrs_now": "4", "chief_complaint": "Leg pain"})
    post_section(as_clinician, visit_id, "visit", {"back_nrs_now": "6", "chief_complaint": "Leg pain"})
    first, second = audit_rows(visit_id, "update")
    assert first.changes == {"visit.back_nrs_now": [None, 4], "visit.chief_complaint": [None, "Leg pain"],
                             "visit.visit_date": [days_ago(2), None], "visit.visit_type": ["initial", None]}
    assert second.changes == {"visit.back_nrs_now": [4, 6]}
    assert (second.user_id, second.entity, second.entity_id) == (users.clinician.id, "visit", visit_id)

    post_section(as_clinician, visit_id, "visit", {"back_nrs_now": "6", "chief_complaint": "Leg pain"})
    assert len(audit_rows(visit_id, "update")) == 2  # a save that changes nothing writes no row


def test_repeat_group_changes_are_audited_as_the_whole_list(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "imaging", {"studies-0-modality": "ct", "bloods_done": "no"})
    post_section(as_clinician, visit_id, "imaging", {"studies-0-modality": "mri", "bloods_done": "no"})
    last = audit_rows(visit_id, "update")[-1]
    assert last.changes == {"imaging.studies": [[{"modality": "ct"}], [{"modality": "mri"}]]}


def test_not_assessed_is_audited(as_clinician, visit_id):
    as_clinician.post(f"/visits/{visit_id}/sections/dn4/not-assessed", data={"reason": "unknown", "rev": "0"})
    assert audit_rows(visit_id, "update")[-1].changes == {"dn4.not_assessed": [None, "unknown"]}
