"""Two people on one section: the second save merges into the first (services/merge.py).

Changes only one of them made are kept without asking; only fields both changed ask "keep mine /
keep theirs"; nothing typed is dropped unless its author chooses "keep theirs".
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import login
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import page_form
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


def conflict_rows(response) -> dict[str, list[str]]:
    """The conflict table: field key -> [question, when opened, theirs, yours, result] texts."""
    table = soup(response).find(id="conflict-fields")
    assert table is not None, "no conflict table"
    return {
        str(tr["id"]).removeprefix("conflict-"): [" ".join(c.get_text(" ").split()) for c in tr.find_all(["th", "td"])]
        for tr in table.find("tbody").find_all("tr")
    }


def keep_radios(response) -> set[str]:
    return {str(node["name"]).removeprefix("_keep-") for node in soup(response).select('input[name^="_keep-"]')}


def two_pages(app, first, visit_id):
    second = client_as(app, "ada")  # an admin may edit any visit
    return first.get(section_url(visit_id, "visit")), second, second.get(section_url(visit_id, "visit"))


def test_200_then_409_then_a_merge_that_asks_only_about_the_field_both_changed(app, as_clinician, visit_id):
    page_one, ada, page_two = two_pages(app, as_clinician, visit_id)
    mine = page_form(page_one)
    mine["chief_complaint"], mine["back_nrs_now"] = "Back pain (Carl)", "3"
    assert as_clinician.post(section_url(visit_id, "visit"), data=mine).status_code == 302

    theirs = page_form(page_two)
    theirs["chief_complaint"], theirs["leg_nrs_now"] = "Leg pain (Ada)", "8"
    response = ada.post(section_url(visit_id, "visit"), data=theirs)
    assert response.status_code == 409
    text = visible_text(response)
    assert "Someone saved this section after you opened it" in text
    assert "Dr Carl Clinician saved it at" in text
    rows = conflict_rows(response)
    assert rows["chief_complaint"][:4] == ["Chief complaint", "—", "Back pain (Carl)", "Leg pain (Ada)"]
    assert rows["back_nrs_now"][1:5] == ["—", "3/10", "—", "Their change, kept"]
    assert rows["leg_nrs_now"][1:5] == ["—", "—", "8/10", "Your change, applied on top of theirs"]
    assert keep_radios(response) == {"chief_complaint"}  # only the field both changed asks
    page = soup(response)
    # The form holds their version with Ada's changes on top (hers for the field to decide).
    assert page.find("textarea", attrs={"name": "chief_complaint"}).get_text().strip() == "Leg pain (Ada)"
    assert input_value(page, "back_nrs_now") == "3"
    assert input_value(page, "leg_nrs_now") == "8"
    assert stored(visit_id, "visit")["chief_complaint"] == "Back pain (Carl)"  # nothing stored yet
    assert "leg_nrs_now" not in stored(visit_id, "visit")
    assert rev_of(response) == "1"

    # Saving without a choice stores nothing and asks again, keeping everything.
    again = ada.post(section_url(visit_id, "visit"), data=page_form(response))
    assert again.status_code == 409
    assert "Choose whose answer to keep" in visible_text(again)
    assert keep_radios(again) == {"chief_complaint"}
    assert conflict_rows(again)["chief_complaint"][:4] == rows["chief_complaint"][:4]
    assert section_row(visit_id, "visit").rev == 1

    resolved = page_form(again)
    resolved["_keep-chief_complaint"] = "theirs"
    done = ada.post(section_url(visit_id, "visit"), data=resolved)
    assert done.status_code == 302
    saved = stored(visit_id, "visit")
    assert saved["chief_complaint"] == "Back pain (Carl)"  # Ada chose to keep Carl's
    assert saved["back_nrs_now"] == 3
    assert saved["leg_nrs_now"] == 8
    assert section_row(visit_id, "visit").rev == 2


def test_keep_mine_keeps_my_input_for_that_field(app, as_clinician, visit_id):
    page_one, ada, page_two = two_pages(app, as_clinician, visit_id)
    mine = page_form(page_one)
    mine["chief_complaint"] = "Carl's words"
    as_clinician.post(section_url(visit_id, "visit"), data=mine)
    theirs = page_form(page_two)
    theirs["chief_complaint"] = "Ada's words"
    conflict = ada.post(section_url(visit_id, "visit"), data=theirs)
    resolved = page_form(conflict)
    resolved["_keep-chief_complaint"] = "mine"
    assert ada.post(section_url(visit_id, "visit"), data=resolved).status_code == 302
    assert stored(visit_id, "visit")["chief_complaint"] == "Ada's words"


def test_changes_to_different_fields_merge_without_asking(app, as_clinician, visit_id, users):
    page_one, ada, page_two = two_pages(app, as_clinician, visit_id)
    mine = page_form(page_one)
    mine["back_nrs_now"] = "4"
    assert as_clinician.post(section_url(visit_id, "visit"), data=mine).status_code == 302
    theirs = page_form(page_two)
    theirs["leg_nrs_now"], theirs["chief_complaint"] = "6", "Leg pain"
    response = ada.post(section_url(visit_id, "visit"), data=theirs, follow_redirects=True)
    assert response.status_code == 200
    saved = stored(visit_id, "visit")
    assert (saved["back_nrs_now"], saved["leg_nrs_now"], saved["chief_complaint"]) == (4, 6, "Leg pain")
    text = visible_text(response)
    assert "Dr Carl Clinician saved this section" in text
    assert "Your changes (Chief complaint, Leg pain now" in text
    # Carl's save, then Ada's merged one on top, each audited with its own changes.
    updates = audit_rows(visit_id, "update")
    assert [sorted(e.changes) for e in updates] == [["visit.back_nrs_now"],
                                                    ["visit.chief_complaint", "visit.leg_nrs_now"]]
    assert updates[-1].user_id == users.admin.id


def test_a_missing_or_altered_base_asks_about_every_difference(app, as_clinician, visit_id):
    page_one, ada, page_two = two_pages(app, as_clinician, visit_id)
    mine = page_form(page_one)
    mine["back_nrs_now"] = "4"
    as_clinician.post(section_url(visit_id, "visit"), data=mine)
    for base in ("", page_form(page_two)["_base"][:-3] + "xyz"):
        theirs = page_form(page_two)
        theirs["leg_nrs_now"], theirs["_base"] = "6", base
        response = ada.post(section_url(visit_id, "visit"), data=theirs)
        assert response.status_code == 409
        assert keep_radios(response) == {"back_nrs_now", "leg_nrs_now"}
        assert "is not known" in visible_text(response)
    assert stored(visit_id, "visit")["back_nrs_now"] == 4
    assert "leg_nrs_now" not in stored(visit_id, "visit")


def test_a_base_from_another_section_is_not_trusted(app, as_clinician, visit_id):
    odi = page_form(as_clinician.get(section_url(visit_id, "odi")))
    page_one, ada, page_two = two_pages(app, as_clinician, visit_id)
    mine = page_form(page_one)
    mine["back_nrs_now"] = "4"
    as_clinician.post(section_url(visit_id, "visit"), data=mine)
    theirs = page_form(page_two)
    theirs["leg_nrs_now"], theirs["_base"] = "6", odi["_base"]
    response = ada.post(section_url(visit_id, "visit"), data=theirs)
    assert response.status_code == 409
    assert keep_radios(response) == {"back_nrs_now", "leg_nrs_now"}
