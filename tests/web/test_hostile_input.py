"""Input that used to end in a 500 or be quietly changed (issue 11, faults 4 and 8).

Each case posts with a valid token and version and expects a clear refusal beside the field (or,
for redirect targets, the safe default), never a 500 and never a silent change of what was sent.
"""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import Visit
from tests.conftest import login
from tests.web.conftest import field_error
from tests.web.conftest import login_response
from tests.web.conftest import soup
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored

GOOD_VISIT = {"chief_complaint": "Left leg pain", "nrs_recall": "7d", "back_nrs_now": "4", "leg_nrs_now": "7",
              "pain_side": "left", "pain_distribution": ["low_back", "buttock"], "back_pct": "30"}
TREATMENT_ROW = {"treatments-0-category": "physiotherapy", "treatments-0-weeks": "6", "mdt_involvement": "none"}


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(2))


def _visit_data(**changes):
    data = MultiDict()
    for key, value in {**GOOD_VISIT, **changes}.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def _audit_count() -> int:
    return db.session.query(AuditEvent).count()


# -- fault 4: inputs that ended in a 500 -------------------------------------------------------


def test_a_multichoice_option_posted_twice_is_refused_beside_the_field(as_clinician, visit_id):
    before, audits = stored(visit_id, "visit"), _audit_count()
    response = post_section(as_clinician, visit_id, "visit",
                            _visit_data(pain_distribution=["low_back", "low_back"]))
    assert response.status_code == 422
    assert field_error(soup(response), "pain_distribution") == "Each option can be chosen once."
    assert stored(visit_id, "visit") == before
    assert _audit_count() == audits


@pytest.mark.parametrize("value", ["2" * 309, "-" + "9" * 400, "1" + "0" * 4000])
def test_an_integer_far_beyond_any_range_is_refused(as_clinician, visit_id, value):
    response = post_section(as_clinician, visit_id, "visit", _visit_data(back_nrs_now=value))
    assert response.status_code == 422
    assert field_error(soup(response), "back_nrs_now") == "Enter a value from 0 to 10."


def test_a_repeat_row_index_in_another_script_is_refused(as_clinician, visit_id):
    data = {**TREATMENT_ROW, "treatments-²-name": "x", "treatments-٣-weeks": "4"}
    response = post_section(as_clinician, visit_id, "treatments", data)
    assert response.status_code == 422
    assert "Rows are numbered with the digits 0-9" in field_error(soup(response), "treatments")


@pytest.mark.parametrize("action", ["remove:treatments:²", "remove:treatments:٣", "remove:treatments:-1"])
def test_removing_a_row_named_in_another_script_is_a_bad_request(as_clinician, visit_id, action):
    data = {**TREATMENT_ROW, "treatments-²-name": "x"}
    response = post_section(as_clinician, visit_id, "treatments", data, action=action)
    assert response.status_code == 400


def test_adding_a_row_beside_an_index_in_another_script_keeps_the_page(as_clinician, visit_id):
    data = {**TREATMENT_ROW, "treatments-²-name": "x"}
    response = post_section(as_clinician, visit_id, "treatments", data, action="add:treatments")
    assert response.status_code == 200
    assert soup(response).find(attrs={"name": "treatments-1-category"}) is not None


def test_the_audit_search_up_to_the_last_day_of_the_calendar(as_admin):
    response = as_admin.get("/admin/audit?until=9999-12-31")
    assert response.status_code == 200
    assert field_error(soup(response), "until") == "Enter a date before 9999-12-31."
    response = as_admin.get("/admin/audit?since=9999-12-31")
    assert response.status_code == 200


@pytest.mark.parametrize("target", ["/patients/1\r\nSet-Cookie: x=1", "/\n/evil.example", "/\r", "/\t/evil.example",
                                    "/a\x7fb"])
def test_a_control_character_in_the_login_next_falls_back_to_the_patient_list(client, users, target):
    response = login_response(client, "carl", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/visits/1\r\nX: y", "/\n/evil.example", "//evil.example"])
def test_a_control_character_in_the_acknowledgement_back_falls_back_to_the_summary(
        as_clinician, visit_id, target):
    from fbss_eval.models import VisitAlert

    alert = VisitAlert(visit_id=visit_id, kind="hostile_back", severity="warning", message="m",
                       must_acknowledge=True)
    db.session.add(alert)
    db.session.commit()
    response = as_clinician.post(f"/visits/{visit_id}/alerts/{alert.id}", query_string={"back": target},
                                 data={"action_taken": "Called the patient"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/visits/{visit_id}"


def test_the_500_page_does_not_promise_to_have_kept_what_was_typed(app, client, users):
    def crash():  # a view that fails, standing for any unexpected fault
        raise RuntimeError("boom")

    app.add_url_rule("/_test/crash-post", "test_crash_post", crash, methods=["POST"])
    login(client, "carl")
    response = client.post("/_test/crash-post", data={"notes": "typed by the clinician"})
    assert response.status_code == 500
    text = " ".join(soup(response).get_text(" ").split())
    assert "Nothing you typed was lost" not in text
    assert "typed by the clinician" not in text  # the page does not show it, so it must not promise it
    assert "Back button" in text  # where what was typed may still be: the browser's form


# -- fault 8: input that was quietly changed ----------------------------------------------------


@pytest.mark.parametrize("value", ["1_0", "٣", "１２", "+\u0663", "5\u200b"])
def test_an_integer_in_another_script_or_with_underscores_is_refused(as_clinician, visit_id, value):
    response = post_section(as_clinician, visit_id, "visit", _visit_data(back_nrs_now=value))
    assert response.status_code == 422
    assert field_error(soup(response), "back_nrs_now") == "Enter a whole number, using the digits 0-9 only."


@pytest.mark.parametrize("value", ["1_0.5", "٣.5", "1e3", "７２"])
def test_a_decimal_in_another_script_or_with_underscores_is_refused(as_clinician, patient, value):
    visit_id = start_visit(as_clinician, patient.id, days_ago(2))
    from fbss_eval.checklist import all_sections

    decimal = next((section, field) for section in all_sections() for field in section.fields()
                   if field.type == "decimal" and not field.enable_when)
    section, field = decimal
    response = post_section(as_clinician, visit_id, section.key, {field.key: value})
    assert response.status_code == 422
    assert field_error(soup(response), field.key) == "Enter a number using the digits 0-9, e.g. 72.5."


@pytest.mark.parametrize("value", ["٢٠٢٤-٠١-٠١", "2024-1-5", "+2024-01-01"])
def test_a_date_in_another_script_or_shape_is_refused(as_clinician, visit_id, value):
    response = post_section(as_clinician, visit_id, "visit", _visit_data(visit_date=value))
    assert response.status_code == 422
    assert field_error(soup(response), "visit_date") == "Enter a real date as YYYY-MM-DD (for example 2024-03-31)."


def test_a_single_choice_posted_twice_is_refused_not_cut_to_the_first(as_clinician, visit_id):
    before = stored(visit_id, "visit")
    response = post_section(as_clinician, visit_id, "visit", _visit_data(pain_side=["left", "right"]))
    assert response.status_code == 422
    assert field_error(soup(response), "pain_side") == "This was sent with more than one value; choose one."
    assert stored(visit_id, "visit") == before


def test_a_text_posted_twice_is_refused(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "visit", _visit_data(chief_complaint=["a", "b"]))
    assert response.status_code == 422
    assert field_error(soup(response), "chief_complaint") == "This was sent with more than one value; choose one."


def test_rows_beyond_the_maximum_are_refused_not_dropped(as_clinician, visit_id):
    data = MultiDict({"mdt_involvement": "none"})
    for index in range(61):
        data.add(f"treatments-{index}-category", "physiotherapy")
        data.add(f"treatments-{index}-weeks", "2")
    response = post_section(as_clinician, visit_id, "treatments", data)
    assert response.status_code == 422
    assert field_error(soup(response), "treatments") == "At most 60 rows can be saved; 61 were sent."
    assert stored(visit_id, "treatments") == {}


def test_twenty_thousand_rows_are_refused_quickly(as_clinician, visit_id):
    data = MultiDict({"mdt_involvement": "none"})
    for index in range(20_000):
        data.add(f"treatments-{index}-weeks", "2")
    response = post_section(as_clinician, visit_id, "treatments", data)
    assert response.status_code == 422
    assert "20000 were sent" in field_error(soup(response), "treatments")


@pytest.mark.parametrize("when", ["0001-01-01", "1899-12-31"])
def test_a_visit_cannot_start_before_1900(as_clinician, patient, when):
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": when, "visit_type": "initial"})
    assert response.status_code == 200
    assert field_error(soup(response), "visit_date") == "Enter a date after 1900."
    assert db.session.query(Visit).count() == 0


@pytest.mark.parametrize("text", ["pain\x07", "a\x1bb", "x\x7f", "\x85next", "line\x0bbreak"])
def test_control_characters_in_free_text_are_refused(as_clinician, visit_id, text):
    before = stored(visit_id, "visit")
    response = post_section(as_clinician, visit_id, "visit", _visit_data(chief_complaint=text))
    assert response.status_code == 422
    assert field_error(soup(response), "chief_complaint").startswith("Remove the control character")
    assert stored(visit_id, "visit") == before


def test_newlines_and_tabs_are_kept_in_a_text_area(as_clinician, patient):
    visit_id = start_visit(as_clinician, patient.id, days_ago(2))
    data = {**TREATMENT_ROW, "notes": "line one\r\nline\ttwo"}
    response = post_section(as_clinician, visit_id, "treatments", data)
    assert response.status_code == 302
    assert stored(visit_id, "treatments")["notes"] == "line one\r\nline\ttwo"


@pytest.mark.parametrize("name", ["Doe\x01", "Do\ne", "Do\x1be"])
def test_control_characters_in_a_patient_name_are_refused(as_clinician, name):
    data = {"mrn": "MRN-CTRL", "family_name": name, "given_name": "Jane", "birth_date": "1970-05-17",
            "sex": "female"}
    response = as_clinician.post("/patients/new", data=data)
    assert response.status_code == 200
    assert field_error(soup(response), "family_name").startswith("Remove the control character")
    from fbss_eval.models import Patient

    assert db.session.query(Patient).count() == 0
