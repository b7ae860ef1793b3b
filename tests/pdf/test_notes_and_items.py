"""Issue 10, the PDFs: the visit summary prints every free-text note in full (notes are what a
colleague reads first), the full record prints every instrument's item answers (neutral labels
and item scores, no licensed text), the summary's last page holds more than a line or two, and
the small slips ("1 weeks", "DN4 4 / DN4 4/10") are gone. Checked on the extracted text."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.schema import Field
from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.reports.build import build_visit_report
from fbss_eval.services import visits as visit_service

from . import answers as given
from .builders import fill_visit
from .builders import make_patient
from .conftest import GENERATED_AT
from .conftest import Rendered
from .conftest import pdf_text
from .conftest import squash

# One note in every free-text field of the workup, each a literal the test looks for.
NOTES: dict[str, dict[str, str]] = {
    "visit": {"visit_notes": "Walks with a stick since March; drives short distances only"},
    "surgical_history": {"history_notes": "Operative note of the 2023 revision obtained from City Hospital"},
    "examination": {"exam_notes": "Tender over the left sacral sulcus; no wasting of the calf"},
    "imaging": {"imaging_notes": "CT myelogram requested if the metal artefact hides the foramen"},
    "electrodiagnostics": {"emg_notes": "Repeat EMG if the ankle weakness progresses"},
    "blocks": {"blocks_notes": "Radiofrequency denervation considered after a second positive block"},
    "psychosocial": {"expectations_text": "Hopes to return to gardening by the summer",
                     "notes": "Lives alone; daughter visits twice a week"},
    "treatments": {"notes": "Stopped amitriptyline after two weeks because of drowsiness"},
}
# Free text inside repeat-group rows: an operation's notes, an imaging and an EMG report.
OPERATION_NOTES = "Small dural tear repaired primarily; bed rest for 24 hours"


def _free_text_answers(visit_date: date) -> dict[str, dict[str, Any]]:
    sections = visit_service.visit_sections()
    answers = given.complete_answers(sections, visit_date)
    for key, notes in NOTES.items():
        answers[key] = {**answers[key], **notes}
    operations = [dict(row) for row in answers["surgical_history"]["operations"]]
    operations[1]["operation_notes"] = OPERATION_NOTES
    answers["surgical_history"]["operations"] = operations
    answers["plan"] = {**answers["plan"], "follow_up_weeks": 1}
    return answers


@pytest.fixture
def noted(app, users) -> Rendered:
    """A complete visit with a note in every free-text field; its summary, rendered."""
    from fbss_eval.pdf.render import render_visit_pdf

    patient = make_patient(users.clinician)
    visit_date = date(2025, 6, 1)
    visit = visit_service.start_visit(patient, users.clinician, visit_date, "follow_up")
    fill_visit(visit, users.clinician, _free_text_answers(visit_date))
    db.session.commit()
    report = build_visit_report(visit, GENERATED_AT)
    pdf = render_visit_pdf(report, app.config["PDF_PAGE_SIZE"])
    return Rendered(visit.id, report, pdf, pdf_text(pdf))


def _textareas() -> list[tuple[str, str | None, Field]]:
    """Every free-text field of the workup: (section, repeat group or None, field)."""
    out: list[tuple[str, str | None, Field]] = []
    for section in visit_service.visit_sections():
        out += [(section.key, None, f) for f in section.fields() if f.type == "textarea"]
        for group in section.groups():
            out += [(section.key, group.key, f) for f in group.fields if f.type == "textarea"]
    return out


def test_every_note_is_printed_in_full_in_the_summary(noted: Rendered):
    flat = noted.flat
    literal = [text for notes in NOTES.values() for text in notes.values()]
    literal += [OPERATION_NOTES, given.IMAGING_REPORT, "Chronic left S1 changes", given.BLOCK_NOTES,
                given.CHIEF_COMPLAINT, given.EVIDENCE_ROOT, given.PLAN_SUMMARY,
                "Predominantly neuropathic S1 pain after revision fusion", "Walk the dog for 30 minutes",
                "Diabetes well controlled; no fever, wound healed"]
    assert [text for text in literal if squash(text) not in flat] == []
    # Any free-text field (a new one included) with an answer reaches the summary: none is
    # dropped for not being marked ``summary``.
    rows = visit_service.section_rows(db.session.get(Visit, noted.visit_id))
    recorded = visit_service.recorded_answers(visit_service.visit_sections(), rows)
    absent = []
    for section_key, group_key, field in _textareas():
        answers = recorded.get(section_key, {})
        values = ([row.get(field.key) for row in answers.get(group_key, [])] if group_key
                  else [answers.get(field.key)])
        absent += [f"{section_key}.{field.key}" for v in values if v and squash(str(v)) not in flat]
    assert absent == []


def test_one_week_is_singular(noted: Rendered):
    # plan.follow_up_weeks = 1
    assert "Follow-up in: 1 week" in noted.text
    assert "1 weeks" not in noted.text
    assert "Follow-up in: 6 weeks" not in noted.text


def _expected_item_answers() -> list[str]:
    """By hand from answers.SCORED and the instruments' neutral labels: "label: option (score)"."""
    return [
        # ODI options are the section scores themselves: no bracket.
        "Section 1 — pain intensity: 2", "Section 2 — personal care: 3", "Section 10 — travelling: 2",
        # PHQ-9 3,3,2,2,2,2,2,2,1 (reference 2.4 worked example).
        "Item 1 — little interest or pleasure (topic): Nearly every day (3)",
        "Item 9: Several days (1)",
        # GAD-7 2,2,2,1,1,1,1.
        "Item 1 — feeling nervous, anxious or on edge (topic): More than half the days (2)",
        # DN4: the examination done (context field, no score), items yes = 1, no = 0.
        "Examination of the painful area done (items 8-10): Yes", "Burning: Yes (1)", "Painful cold: No (0)",
        # painDETECT: burning 3 ("3 moderately"... the label starts with its score: no bracket).
        "Burning: 3",
    ]


def test_the_full_record_prints_every_item_answer(record: Rendered):
    flat = record.flat
    # Item labels of the instruments as the checklist names them (neutral, no licensed text).
    phq9_item9 = next(f for f in INSTRUMENTS["phq9"].items if f.key == "phq9_9")
    expected = [e.replace("Item 9", phq9_item9.label) for e in _expected_item_answers()]
    assert [e for e in expected if squash(e) not in flat] == []
    # Every answered item of every instrument, with its option label.
    absent = []
    for info in record.report.instruments:
        instrument = INSTRUMENTS[info.key]
        if info.state in ("not_assessed", "not_recorded"):
            assert info.items == ()
            continue
        n_answered = int(info.answered.split("/")[0])
        assert n_answered > 0, info.key
        assert len(info.items) >= n_answered, info.key  # every answered item (context fields besides)
        for item in info.items:
            label = item.partition(": ")[0]
            assert label in {f.label for f in instrument.items + instrument.extra_fields}, item
            if squash(item) not in flat:
                absent.append(item)
    assert absent == []


def test_the_summary_prints_no_item_answers(complete: Rendered):
    assert all(info.items == () for info in complete.report.instruments)
    assert "Nearly every day (3)" not in complete.text


def test_no_score_printed_twice(complete: Rendered):
    assert "DN4 4/10 — positive" not in complete.text.split("Instruments")[0]
    assert squash("DN4 4/10 Positive") in complete.flat


def test_the_summary_ends_on_a_page_worth_printing(complete: Rendered, noted: Rendered):
    for rendered in (complete, noted):
        pages = PdfReader(io.BytesIO(rendered.pdf)).pages
        last = (pages[-1].extract_text() or "").splitlines()
        # Without the running header and footer (patient line, status, generated line).
        body = [line for line in last if line.strip() and "MRN MRN-0001 · born" not in line
                and not line.startswith("Generated ")]
        assert len(body) >= 5, body
