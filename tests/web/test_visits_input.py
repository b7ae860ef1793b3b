"""Bad input on the section pages: a message beside the field and in the summary at the top,
status 422, everything typed still in the inputs, nothing stored. Repeat groups: add and remove
rows without JavaScript, losing nothing else."""

from __future__ import annotations

import pytest

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.conftest import summary_errors
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


GOOD_VISIT = {"chief_complaint": "Left leg pain", "nrs_recall": "7d", "back_nrs_now": "4", "leg_nrs_now": "7",
              "pain_side": "left", "pain_distribution": ["low_back", "buttock"], "back_pct": "30"}

# (field id, bad value, the message beside the field); the other fields hold GOOD_VISIT.
VISIT_CASES = [
    ("back_nrs_now", "4a", "Enter a whole number, using the digits 0-9 only."),
    ("back_nrs_now", "11", "Enter a value from 0 to 10."),
    ("leg_nrs_now", "-1", "Enter a value from 0 to 10."),
    ("back_pct", "2.5", "Enter a whole number, using the digits 0-9 only."),
    ("back_pct", "101", "Enter a value from 0 to 100%."),
    ("pain_duration_months", "1e9", "Enter a whole number, using the digits 0-9 only."),
    ("visit_date", days_ago(-3), "The date cannot be in the future."),
    ("visit_date", "2024-13-01", "Enter a real date as YYYY-MM-DD (for example 2024-03-31)."),
    ("visit_date", "1899-12-31", "Enter a date after 1900."),
    ("chief_complaint", "x" * 2001, "Use at most 2000 characters."),
]


@pytest.mark.parametrize(("field", "value", "message"), VISIT_CASES, ids=[f"{c[0]}={c[1][:12]}" for c in VISIT_CASES])
def test_bad_input_is_refused_beside_the_field_and_kept(as_clinician, visit_id, field, value, message):
    before = stored(visit_id, "visit")
    data = dict(GOOD_VISIT, **{field: value})
    response = post_section(as_clinician, visit_id, "visit", data)
    assert response.status_code == 422
    page = soup(response)
    assert field_error(page, field) == message
    label = page.find("label", attrs={"for": field}).get_text(strip=True)
    assert list(summary_errors(page).values()) == [f"{label}: {message}"]
    assert list(summary_errors(page)) == [field]  # the summary links to the field
    assert page.find(id=field).get("aria-invalid") == "true"
    posted = page_form(page)
    assert posted[field] == value  # what was typed is still there ...
    for key, typed in GOOD_VISIT.items():  # ... and so is everything else
        if key != field:
            assert posted.getlist(key) == (typed if isinstance(typed, list) else [typed]), key
    assert stored(visit_id, "visit") == before  # nothing stored
    assert section_row(visit_id, "visit").rev == 0


def test_a_forged_option_value_is_refused(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "visit",
                            dict(GOOD_VISIT, pain_side="upwards", pain_distribution=["low_back", "elbow"]))
    assert response.status_code == 422
    page = soup(response)
    assert field_error(page, "pain_side") == "Choose one of the options listed."
    assert field_error(page, "pain_distribution") == "Choose only from the options listed."
    assert set(summary_errors(page)) == {"pain_side", "pain_distribution"}
    posted = page_form(page)
    assert posted.getlist("pain_distribution") == ["low_back"]  # the real option is still ticked
    assert posted["chief_complaint"] == "Left leg pain"
    assert posted["back_nrs_now"] == "4"
    # a select (more than six options) refuses a forged value the same way
    response = post_section(as_clinician, visit_id, "surgical_history", {"operations-0-procedure": "exorcism",
                                                                         "n_prior_operations": "2"})
    assert response.status_code == 422
    assert field_error(soup(response), "operations-0-procedure") == "Choose one of the options listed."
    assert input_value(soup(response), "n_prior_operations") == "2"


def test_a_boolean_accepts_only_yes_or_no(as_clinician, visit_id):
    data = {"operations-0-procedure": "fusion_tlif", "operations-0-fusion_to_sacrum": "maybe"}
    response = post_section(as_clinician, visit_id, "surgical_history", data)
    assert response.status_code == 422
    assert field_error(soup(response), "operations-0-fusion_to_sacrum") == "Choose one of the options listed."
    data["operations-0-fusion_to_sacrum"] = "yes"
    assert post_section(as_clinician, visit_id, "surgical_history", data).status_code == 302
    operations = stored(visit_id, "surgical_history")["operations"]
    assert operations == [{"procedure": "fusion_tlif", "fusion_to_sacrum": True}]


def test_a_field_posted_for_a_hidden_question_is_refused(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "visit", dict(GOOD_VISIT, nrs_recall="now", back_nrs_avg="5"))
    assert response.status_code == 422
    page = soup(response)
    message = field_error(page, "back_nrs_avg")
    assert "does not apply" in message
    assert "NRS recall period" in message
    assert "back_nrs_avg" in summary_errors(page)
    item = page.find(id="back_nrs_avg").find_parent(class_="cl-item")
    assert not item.has_attr("hidden")  # shown with its message, so the user can clear it
    assert input_value(page, "back_nrs_avg") == "5"
    assert stored(visit_id, "visit") == {"visit_date": days_ago(2), "visit_type": "initial"}


def test_a_hidden_question_inside_a_row_is_refused(as_clinician, visit_id):
    # fusion to the sacrum applies to fusions only
    data = {"operations-0-procedure": "microdiscectomy", "operations-0-fusion_to_sacrum": "yes"}
    response = post_section(as_clinician, visit_id, "surgical_history", data)
    assert response.status_code == 422
    page = soup(response)
    assert "does not apply" in field_error(page, "operations-0-fusion_to_sacrum")
    assert "Procedure" in field_error(page, "operations-0-fusion_to_sacrum")
    assert summary_errors(page)["operations-0-fusion_to_sacrum"].startswith(
        "Operation 1 — Fusion extends to the sacrum / pelvis: This question does not apply")
    # and a whole list that does not apply (EMG studies when no EMG was done)
    response = post_section(as_clinician, visit_id, "electrodiagnostics",
                            {"emg_status": "not_done", "studies-0-test": "emg"})
    assert response.status_code == 422
    assert "does not apply" in field_error(soup(response), "studies")
    assert "studies" in summary_errors(soup(response))
    assert stored(visit_id, "surgical_history") == {}
    assert stored(visit_id, "electrodiagnostics") == {}


def test_errors_inside_a_row_name_the_row_and_the_field(as_clinician, visit_id):
    data = {"operations-0-procedure": "laminectomy", "operations-1-date": days_ago(-10),
            "operations-1-pain_free_weeks": "x", "operations-1-immediate_outcome": "improved"}
    response = post_section(as_clinician, visit_id, "surgical_history", data)
    assert response.status_code == 422
    page = soup(response)
    assert summary_errors(page) == {
        "operations-1-date": "Operation 2 — Date of operation: The date cannot be in the future.",
        "operations-1-pain_free_weeks": "Operation 2 — Pain-free (or good-relief) interval: "
                                        "Enter a whole number, using the digits 0-9 only.",
    }
    assert field_error(page, "operations-1-date") == "The date cannot be in the future."
    assert field_error(page, "operations") == ""  # no raw error dump on the group
    assert "{" not in page.find(id="operations").get_text()
    assert input_value(page, "operations-1-pain_free_weeks") == "x"
    assert input_value(page, "operations-0-procedure") == "laminectomy"


def test_a_refused_save_writes_no_audit_row(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "visit", dict(GOOD_VISIT, back_nrs_now="eleven"))
    assert audit_rows(visit_id, "update") == []


# --- repeat groups --------------------------------------------------------------------------------------

OPERATION = {"date": "2019-04-01", "procedure": "microdiscectomy", "levels": ["L4", "L5"], "side": "left",
             "immediate_outcome": "improved", "pain_free_weeks": "30"}


def rows_data(*dates: str) -> dict[str, object]:
    data: dict[str, object] = {"records_reviewed": "partial", "n_prior_operations": str(len(dates)),
                               "history_notes": "Three operations, notes from the patient"}
    for index, when in enumerate(dates):
        for key, value in OPERATION.items():
            data[f"operations-{index}-{key}"] = value
        data[f"operations-{index}-date"] = when
    return data


def test_add_a_row_without_javascript_then_fill_and_save(as_clinician, visit_id):
    page = soup(as_clinician.get(section_url(visit_id, "surgical_history")))
    assert page.find(attrs={"name": "operations-0-date"}) is None
    assert "No operation recorded." in page.get_text()
    add = page.find("button", attrs={"value": "add:operations"})
    assert add is not None
    assert add["name"] == "_action"

    typed = {"records_reviewed": "full", "n_prior_operations": "1"}
    response = post_section(as_clinician, visit_id, "surgical_history", typed, action="add:operations")
    assert response.status_code == 200
    page = soup(response)
    assert page.find(attrs={"name": "operations-0-date"}) is not None  # an empty row to fill
    assert input_value(page, "n_prior_operations") == "1"  # nothing typed was lost
    assert page.find("input", attrs={"name": "records_reviewed", "value": "full"}).has_attr("checked")
    assert stored(visit_id, "surgical_history") == {}  # adding a row does not save

    data = page_form(page)
    data.pop("_action", None)
    for key, value in OPERATION.items():
        data.setlist(f"operations-0-{key}", value if isinstance(value, list) else [value])
    response = post_section(as_clinician, visit_id, "surgical_history", data)
    assert response.status_code == 302
    saved = stored(visit_id, "surgical_history")
    assert saved["operations"] == [{**OPERATION, "pain_free_weeks": 30}]
    assert (saved["records_reviewed"], saved["n_prior_operations"]) == ("full", 1)

    # a second row is added after the first, which keeps its values
    page = soup(post_section(as_clinician, visit_id, "surgical_history",
                             page_form(as_clinician.get(section_url(visit_id, "surgical_history"))),
                             action="add:operations"))
    assert input_value(page, "operations-0-date") == "2019-04-01"
    assert page.find(attrs={"name": "operations-1-date"}) is not None


def test_remove_the_middle_row_keeps_the_others_and_everything_else(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "surgical_history", rows_data("2015-01-01", "2018-02-02", "2021-03-03"))
    assert [r["date"] for r in stored(visit_id, "surgical_history")["operations"]] == [
        "2015-01-01", "2018-02-02", "2021-03-03"]
    page = as_clinician.get(section_url(visit_id, "surgical_history"))
    data = page_form(page)
    data["operations-2-side"] = "right"  # an unsaved change in another row ...
    data["history_notes"] = "edited, not yet saved"  # ... and outside the list
    response = post_section(as_clinician, visit_id, "surgical_history", data, action="remove:operations:1")
    assert response.status_code == 200
    page = soup(response)
    assert input_value(page, "operations-0-date") == "2015-01-01"
    assert input_value(page, "operations-1-date") == "2021-03-03"  # row 2 moved up
    assert page.find(attrs={"name": "operations-2-date"}) is None
    assert page.find("input", attrs={"name": "operations-1-side", "value": "right"}).has_attr("checked")
    assert page.find("input", attrs={"name": "operations-1-levels", "value": "L5"}).has_attr("checked")
    assert input_value(page, "operations-1-pain_free_weeks") == "30"
    assert page.find("textarea", attrs={"name": "history_notes"}).get_text().strip() == "edited, not yet saved"
    assert input_value(page, "n_prior_operations") == "3"
    assert len(stored(visit_id, "surgical_history")["operations"]) == 3  # removing does not save ...

    response = post_section(as_clinician, visit_id, "surgical_history", page_form(page))
    assert response.status_code == 302  # ... saving does
    saved = stored(visit_id, "surgical_history")
    assert [(r["date"], r["side"]) for r in saved["operations"]] == [("2015-01-01", "left"), ("2021-03-03", "right")]
    assert saved["history_notes"] == "edited, not yet saved"
    update = audit_rows(visit_id, "update")[-1]
    assert set(update.changes) == {"surgical_history.operations", "surgical_history.history_notes"}


def test_remove_the_only_row_and_save_empties_the_list(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "surgical_history", rows_data("2015-01-01"))
    data = page_form(as_clinician.get(section_url(visit_id, "surgical_history")))
    page = soup(post_section(as_clinician, visit_id, "surgical_history", data, action="remove:operations:0"))
    assert page.find(attrs={"name": "operations-0-date"}) is None
    post_section(as_clinician, visit_id, "surgical_history", page_form(page))
    saved = stored(visit_id, "surgical_history")
    assert "operations" not in saved
    assert saved["records_reviewed"] == "partial"
    row = section_row(visit_id, "surgical_history")
    assert row.status == "in_progress"  # at least one operation is required for completeness


def test_an_empty_row_is_not_stored(as_clinician, visit_id):
    data = rows_data("2015-01-01")
    data["operations-1-notes"] = ""
    data["operations-1-procedure"] = ""
    post_section(as_clinician, visit_id, "surgical_history", data)
    assert len(stored(visit_id, "surgical_history")["operations"]) == 1


def test_audit_rows_are_only_visit_updates(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "surgical_history", rows_data("2015-01-01"))
    actions = [e.action for e in db.session.query(AuditEvent).filter(AuditEvent.entity == "visit")]
    assert actions == ["create", "update"]
