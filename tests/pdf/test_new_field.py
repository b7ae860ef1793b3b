"""A field added to the checklist reaches the visit summary and the full record with no edit to
``fbss_eval/reports``: what the summary prints is the field's own ``summary`` attribute, a table
column its ``column`` and ``heading``.

The test adds fields the way a developer would, in the checklist data only (as
tests/web/test_visits_checklist_extension.py does for the forms): one summary field and one
record-only field to the examination, and one column to the imaging studies.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

import fbss_eval.checklist.sections as checklist_sections
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Option
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.forms import builder
from fbss_eval.pdf.render import visit_html
from fbss_eval.reports.build import build_visit_report
from fbss_eval.services import visits as service

from .builders import make_patient
from .conftest import VISIT_DATE

STIFFNESS = Field("morning_stiffness_min", "Morning stiffness", "integer", unit="min", min=0, max=240, summary=True)
SCHOBER = Field("schober_cm", "Modified Schober test", "decimal", unit="cm", min=0, max=15)  # record only
CONTRAST = Field("contrast", "Contrast given", "choice", options=(Option("yes", "Yes"), Option("no", "No")),
                 column=4, heading="Contrast")


def _with(sections: tuple[Section, ...], key: str, change: dict[str, object]) -> tuple[Section, ...]:
    return tuple(dataclasses.replace(s, **change) if s.key == key else s for s in sections)  # type: ignore[arg-type]


@pytest.fixture
def extended_checklist() -> Iterator[None]:
    """The examination with two more fields and the imaging studies with one more column."""
    original = checklist_sections.BEFORE_INSTRUMENTS
    by_key = {s.key: s for s in original}
    studies = by_key["imaging"].item("studies")
    assert isinstance(studies, RepeatGroup)
    imaging_items = tuple(dataclasses.replace(studies, fields=(*studies.fields, CONTRAST)) if i is studies else i
                          for i in by_key["imaging"].items)
    extended = _with(original, "examination", {"items": (*by_key["examination"].items, STIFFNESS, SCHOBER)})
    checklist_sections.BEFORE_INSTRUMENTS = _with(extended, "imaging", {"items": imaging_items})
    builder.section_form_class.cache_clear()
    builder.row_form_class.cache_clear()
    try:
        yield
    finally:
        checklist_sections.BEFORE_INSTRUMENTS = original
        builder.section_form_class.cache_clear()
        builder.row_form_class.cache_clear()


@pytest.mark.usefixtures("extended_checklist")
def test_new_fields_reach_the_summary_and_the_record_by_their_attributes(app, users):
    patient = make_patient(users.clinician)
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    sections = {s.key: s for s in service.sections_of(visit)}
    service.save_section(visit, sections["examination"], {"morning_stiffness_min": 30, "schober_cm": 4.5}, 0,
                         users.clinician)
    service.save_section(visit, sections["imaging"], {"studies": [
        {"modality": "ct", "date": "2025-01-10", "levels": ["L5"], "findings": ["normal_postop"], "contrast": "no"},
    ]}, 0, users.clinician)

    summary = build_visit_report(visit)
    record = build_visit_report(visit, full=True)

    exam = summary.sections["examination"]
    assert [(line.label, line.value) for line in exam.lines] == [("Morning stiffness", "30 min")]
    assert exam.omitted == 1  # the Schober test: counted on the page, printed in the full record
    assert [(line.label, line.value) for line in record.sections["examination"].lines] == [
        ("Morning stiffness", "30 min"), ("Modified Schober test", "4.5 cm")]

    (_, table), = record.sections["imaging"].tables
    assert table.columns == ("Date", "Modality · levels", "Findings", "Contrast")
    assert table.rows == (("2025-01-10", "CT · L5", "Expected post-operative appearance only", "No"),)

    summary_html, record_html = visit_html(summary), visit_html(record)
    assert "Morning stiffness: 30 min" in summary_html
    assert "Modified Schober test" not in summary_html
    assert "1 more answer in the full record" in summary_html
    assert "Modified Schober test: 4.5 cm" in record_html
    assert '">Contrast</th>' in record_html
    # The summary prints the studies as a list of entries, the new column among the cells.
    assert "CT · L5 · Expected post-operative appearance only · No" in summary_html
