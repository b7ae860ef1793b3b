""""Adding a field to a section in checklist/ is the only change needed for it to appear,
validate, store and count toward completeness" (issue 3, Done when).

The test adds one field to the examination section the way a developer would: in the checklist
data only. Nothing else (forms, templates, views, services) is touched.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterator

import pytest

import fbss_eval.checklist.sections as checklist_sections
from fbss_eval.checklist import all_sections
from fbss_eval.checklist import section_map
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Section
from fbss_eval.forms import builder
from tests.web.conftest import field_error
from tests.web.conftest import input_value
from tests.web.conftest import soup
from tests.web.conftest import summary_errors
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored

NEW_FIELD = Field("morning_stiffness_min", "Morning stiffness", "integer", unit="min", min=0, max=240,
                  required=True, hint="Minutes until the back loosens up in the morning.")


def _required(section: Section) -> int:
    return sum(1 for f in section.fields() if f.required)


@pytest.fixture
def extended_checklist() -> Iterator[Section]:
    """The examination section with one more field, in the checklist data only."""
    original = checklist_sections.BEFORE_INSTRUMENTS
    index = next(i for i, s in enumerate(original) if s.key == "examination")
    extended = dataclasses.replace(original[index], items=(*original[index].items, NEW_FIELD))
    builder.section_form_class.cache_clear()
    builder.row_form_class.cache_clear()
    checklist_sections.BEFORE_INSTRUMENTS = (*original[:index], extended, *original[index + 1:])
    try:
        yield extended
    finally:
        checklist_sections.BEFORE_INSTRUMENTS = original
        builder.section_form_class.cache_clear()
        builder.row_form_class.cache_clear()


def test_a_field_added_in_the_checklist_appears_validates_stores_and_counts(as_clinician, patient, runner,
                                                                            extended_checklist):
    assert section_map()["examination"] is extended_checklist  # what every reader of the checklist now sees
    assert NEW_FIELD in all_sections()[3].items
    visit_id = start_visit(as_clinician, patient.id, days_ago(1))

    # appears, with its label, unit, range and hint
    page = soup(as_clinician.get(section_url(visit_id, "examination")))
    node = page.find("input", attrs={"name": "morning_stiffness_min"})
    assert node is not None
    # a text box with a numeric keyboard (type=number would send "" for "5e"), with its range
    assert (node["type"], node["inputmode"], node["min"], node["max"]) == ("text", "numeric", "0", "240")
    assert page.find("label", attrs={"for": "morning_stiffness_min"}).get_text(strip=True) == "Morning stiffness"
    assert "Minutes until the back loosens up" in page.get_text()
    assert node.find_parent(class_="cl-item")["class"].count("required") == 1

    # validates
    response = post_section(as_clinician, visit_id, "examination", {"morning_stiffness_min": "300", "gait": "normal"})
    assert response.status_code == 422
    assert field_error(soup(response), "morning_stiffness_min") == "Enter a value from 0 to 240 min."
    assert "morning_stiffness_min" in summary_errors(soup(response))
    assert input_value(soup(response), "morning_stiffness_min") == "300"
    response = post_section(as_clinician, visit_id, "examination", {"morning_stiffness_min": "half an hour"})
    assert field_error(soup(response), "morning_stiffness_min") == "Enter a whole number, using the digits 0-9 only."

    # counts toward completeness even before it is answered
    post_section(as_clinician, visit_id, "examination", {"gait": "normal"})
    row = section_row(visit_id, "examination")
    assert row.n_required == _required(extended_checklist) == _required(_original_examination()) + 1
    answered_before = row.n_answered

    # stores, as a typed answer, and is shown again
    response = post_section(as_clinician, visit_id, "examination", {"gait": "normal", "morning_stiffness_min": "45"})
    assert response.status_code == 302
    assert stored(visit_id, "examination") == {"gait": "normal", "morning_stiffness_min": 45}
    row = section_row(visit_id, "examination")
    assert row.n_answered == answered_before + 1
    assert input_value(soup(as_clinician.get(section_url(visit_id, "examination"))), "morning_stiffness_min") == "45"

    # and the data dictionary lists it
    result = runner.invoke(args=["checklist", "--format", "csv"])
    [row] = [r for r in csv.DictReader(io.StringIO(result.output)) if r["field"] == "morning_stiffness_min"]
    assert (row["section"], row["type"], row["min"], row["max"], row["unit"], row["required"]) == (
        "examination", "integer", "0", "240", "min", "True")


def _original_examination() -> Section:
    from fbss_eval.checklist.sections.examination import SECTION

    return SECTION


def test_without_the_addition_the_field_is_unknown(as_clinician, patient):
    """The control: the real checklist refuses the field (so the test above proves something)."""
    assert "morning_stiffness_min" not in {f.key for f in section_map()["examination"].fields()}
    visit_id = start_visit(as_clinician, patient.id, days_ago(1))
    assert soup(as_clinician.get(section_url(visit_id, "examination"))).find(
        attrs={"name": "morning_stiffness_min"}) is None
    post_section(as_clinician, visit_id, "examination", {"gait": "normal", "morning_stiffness_min": "45"})
    assert stored(visit_id, "examination") == {"gait": "normal"}  # an unknown posted name is ignored
