"""What the visit PDFs say, found in the text extracted from them, for a complete visit.

Both documents: header and status block, the draft mark and identifiers on every page, page X of
Y, alerts first, the one-screen summary, not-assessed sections with their reason, no hidden
field, the trend. The summary: every section, with the answers of fields marked ``summary`` and a
count of the rest; tables, instruments, differential, pointers and candidacy whole but condensed.
The full record: every answer and every table cell."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.services.visits import visit_sections

from . import answers as given
from .builders import make_patient
from .conftest import HIDDEN_CRP
from .conftest import HIDDEN_DETAIL
from .conftest import Rendered
from .conftest import squash

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def missing(rendered: Rendered, *phrases: str) -> list[str]:
    return [p for p in phrases if p and squash(p) not in rendered.flat]


# The fixed visit (conftest._render_complete), by hand: DOE, Jane (family name upper case first),
# born 1970-05-17, seen 2025-06-01 by "Dr Carl Clinician" (the account's full name; its username
# is "carl"). Age on the visit date: 2025 - 1970 = 55, and her birthday (17 May) had passed by
# 1 June, so 55 (not 54, not 56).
HEADER = ("DOE, Jane", "MRN MRN-0001 · born 1970-05-17 (55 y, Female)",
          "Visit 2025-06-01 · Follow-up · Dr Carl Clinician", "Draft: not signed")
RUNNING_ID = "DOE, Jane · MRN MRN-0001 · born 1970-05-17"
GENERATED = "Generated 2025-06-01 14:30 UTC"  # conftest.GENERATED_AT
# The one-screen summary, each tile "label value band", computed by hand from answers.py with
# the clinical reference:
HEADLINE = (
    # NRS (2.3): back now 4 -> 4-6 moderate; average 5. Leg now 7 -> 7-10 severe; average 8.
    "Back pain now 4/10 Moderate pain · average 5/10",
    "Leg pain now 7/10 Severe pain · average 8/10",
    # ODI (2.1): 2+3+2+1+3+2+2+1+2+2 = 20; 20 / (5 x 10) x 100 = 40% -> <= 40 moderate.
    "ODI 40% Moderate disability",
    # PHQ-9 (2.4): 3+3+2+2+2+2+2+2+1 = 19 -> 15-19 moderately severe.
    "PHQ-9 19/27 Moderately severe depression",
    # GAD-7 (2.5): 2+2+2+1+1+1+1 = 10 -> 10-14 moderate.
    "GAD-7 10/21 Moderate anxiety",
    # DN4 (2.6): interview 1+0+1+1+0+0+0 = 3, exam 1+0+0 = 1, total 4 -> >= 4 positive (the score
    # once, out of 10: not "DN4 4 / DN4 4/10").
    "DN4 4/10 Positive",
    # painDETECT (2.7): 3+3+2+2+1+3+2 = 16, course with attacks -1, radiating +2 -> 17 -> 13-18 unclear.
    "painDETECT 17/38 Unclear: a neuropathic component may be present",
)
# The instruments section: the same scores, with their sub-totals.
INSTRUMENT_LINES = (
    "ODI 40 Moderate disability (raw sum 20) Items answered 10/10",
    "PHQ-9 19 Moderately severe depression Items answered 9/9",
    "GAD-7 10 Moderate anxiety Items answered 7/7",
    "DN4 4 Positive (interview 3, examination 1) Items answered 10/10",
    "painDETECT 17 Unclear: a neuropathic component may be present (symptoms 16, course -1, radiating 2)",
    "STarT Back — Not assessed: Patient declined",
)
# Since the first visit (MCID, Ostelo 2008: NRS 2 points, ODI 10 points or 30%): NRS 4 -> 4 and
# 7 -> 7 unchanged. ODI then (answers.EARLIER_SCORED): 4 x 9 + 5 = 41; 41/50 x 100 = 82%. Now 40:
# 40 - 82 = -42 points, 42/82 = 51.2% -> "-42 points (-51%)", >= 10 points: an important improvement.
TREND_CHANGES = ("Back pain now 4 (2024-11-05) → 4: unchanged; Leg pain now 7 (2024-11-05) → 7: unchanged; "
                 "ODI 82 (2024-11-05) → 40: -42 points (-51%), an important improvement")


def test_header_and_status_block(either: Rendered):
    assert not missing(either, *HEADER, "Signed by: —", "Signed at: —", "Revision: —")
    assert "carl" not in either.text.lower().replace("dr carl clinician", ""), "the clinician by full name only"


def test_a_draft_says_draft_on_every_page(either: Rendered):
    pages = either.text.split("\f")
    assert len(pages) >= 2
    assert all("DRAFT" in page for page in pages)


def test_every_page_has_identifiers_and_page_x_of_y(either: Rendered):
    pages = either.text.split("\f")
    for number, page in enumerate(pages, start=1):
        flat = squash(page)
        assert squash(f"Page {number} of {len(pages)}") in flat, f"page {number}"
        assert squash(RUNNING_ID) in flat, f"page {number}"
        assert squash(GENERATED) in flat, f"page {number}"


def test_alerts_and_red_flags_come_first(either: Rendered):
    # PHQ-9 item 9 = 1 (>= 1: alert, reference 2.4); diabetes answered yes: a risk factor alone, a
    # warning and no critical alert (Downie et al., BMJ 2013;347:f7095).
    assert not missing(either, "CRITICAL PHQ-9 item 9 = 1", "WARNING Risk factor for infection, not a red flag by "
                       "itself: it raises the suspicion of infection if fever, wound signs or raised ESR/CRP",
                       "Red-flag screen complete: 28 of 29 items answered no; yes: Diabetes.")  # age: computed
    assert squash("CRITICAL Red flag") not in either.flat
    r = either.report
    assert r.alerts, "the complete visit raises alerts"
    for alert in r.alerts:
        assert not missing(either, alert.message, *alert.evidence, alert.advice or "", alert.state)
    assert not missing(either, "Diabetes well controlled", "Red-flag screen complete")
    flat = either.flat
    assert flat.index(squash(r.alerts[0].message)) < flat.index("Summary") < flat.index("Surgicalhistory")


def test_one_screen_summary(either: Rendered):
    assert not missing(either, *HEADLINE, given.CHIEF_COMPLAINT)
    # In that order, before the first section.
    flat = either.flat
    at = [flat.index(squash(tile)) for tile in HEADLINE]
    assert at == sorted(at)
    assert at[-1] < flat.index("Painprofile")


def test_instrument_scores_and_bands(either: Rendered):
    assert not missing(either, *INSTRUMENT_LINES)


def test_the_summary_prints_its_chosen_answers_and_counts_the_rest(complete: Rendered, record: Rendered):
    marked = {s.key for s in visit_sections() if s.summary == "marked"}
    assert "visit summary" in complete.text.lower()
    assert "every answer is in the full record" in complete.text.lower()
    absent, left_out = [], 0
    for key, section in complete.report.sections.items():
        whole = record.report.sections[key]
        if section.state != "recorded":
            continue
        # Free text (a note, a report) is printed in the summary too, whatever the section's mode.
        kept = [line for line in whole.lines if key not in marked or line.summary or line.long]
        assert section.lines == tuple(kept), key
        assert section.omitted == len(whole.lines) - len(kept), key
        # The same tables (the summary may print one as a list: ``listed``).
        assert [(t, replace(table, listed=False)) for t, table in section.tables] == list(whole.tables), key
        for line in section.lines:
            absent += [f"{key}: {p}" for p in missing(complete, line.label, line.value)]
        for title, table in section.tables:
            # A list has no headings (its section's heading names it); a table has its title and columns.
            headings = () if table.listed else (title, *table.columns)
            cells = [*headings, *(c for row in table.rows for c in row),
                     *(d for details in table.details for d in details)]
            absent += [f"{key}: {p}" for p in missing(complete, *cells)]
        if section.omitted:
            plural = "s" if section.omitted != 1 else ""
            absent += missing(complete, f"{section.omitted} more answer{plural} in the full record")
        left_out += section.omitted
    assert not absent
    assert left_out > 20, "the summary is shorter than the record"
    # An answer the summary leaves out: paraspinal tenderness, printed in the record only;
    # the examination's notes are printed in both.
    assert "Paraspinal tenderness" not in complete.text
    assert "Paraspinal tenderness" in record.text
    assert "Sample examination notes" in complete.text
    assert "Sample examination notes" in record.text


def test_every_section_line_and_table_cell_is_in_the_full_record(record: Rendered):
    r = record.report
    complete = record
    assert "full visit record" in record.text.lower()
    recorded = [s for s in r.sections.values() if s.state == "recorded"]
    assert {s.key for s in recorded} >= {"visit", "surgical_history", "examination", "imaging", "electrodiagnostics",
                                         "blocks", "psychosocial", "treatments", "differential", "plan"}
    absent = []
    for section in recorded:
        for line in section.lines:
            absent += [f"{section.key}: {p}" for p in missing(complete, line.label, line.value)]
        for title, table in section.tables:
            cells = [title, *table.columns, *(c for row in table.rows for c in row),
                     *(d for details in table.details for d in details)]
            absent += [f"{section.key}: {p}" for p in missing(complete, *cells)]
    assert not absent


def test_surgical_history_is_a_timeline_table(either: Rendered):
    complete = either
    assert not missing(complete, "Operations (oldest first", "2021-03-02", "Microdiscectomy",
                       given.OPERATION_INDICATION, "2023-01-10", given.REVISION_DETAILS, "Pedicle screws / rods",
                       "30 weeks")
    flat = complete.flat
    assert flat.index("2021-03-02") < flat.index("2023-01-10")


def test_neurology_grid_and_imaging_and_emg(either: Rendered):
    complete = either
    grid = complete.report.neuro
    assert grid is not None
    assert not missing(complete, "Neurology by root", *(cell for row in grid.roots for cell in row),
                       *(cell for row in grid.reflexes for cell in row))
    assert not missing(complete, "MRI with and without gadolinium", given.IMAGING_REPORT, "Chronic left S1 changes")


def test_blocks_with_their_positivity_rule(either: Rendered):
    complete = either
    blocks = complete.report.blocks
    assert [b.outcome for b in blocks] == ["Positive", "Negative"]
    for block in blocks:
        assert not missing(complete, block.type, block.result, block.outcome, block.rule, *block.details)
    assert not missing(complete, "MBB positive at >=50% relief of the usual pain (ASRA 2020)", given.BLOCK_NOTES)


def test_every_instrument_with_score_band_and_citation(either: Rendered):
    complete = either
    shown = {i.key: i for i in complete.report.instruments}
    assert set(shown) == {s.instrument for s in visit_sections() if s.instrument}
    for info in shown.values():
        assert not missing(complete, info.short_name, info.score, info.band, info.subscores, *info.notes,
                           INSTRUMENTS[info.key].source)


def test_a_not_assessed_section_says_so_with_its_reason(either: Rendered):
    complete = either
    startback = next(i for i in complete.report.instruments if i.key == "startback")
    assert startback.state == "not_assessed"
    assert not missing(complete, "Not assessed: Patient declined")


def test_psychosocial_and_treatments(either: Rendered):
    assert not missing(either, "Psychosocial factors", "BMI (computed)", "Treatments tried", "Pregabalin",
                       "150 mg bd", "Physiotherapy / exercise therapy")


def test_differential_pointers_psps_plan_and_candidacy(either: Rendered):
    complete = either
    r = complete.report
    full = r.full
    assert r.differential[0].likelihood == "Probable"
    for row in r.differential:
        # The summary lists pointers once, with their reasons, under the table.
        assert not missing(complete, row.category, row.likelihood, row.evidence, *(row.pointers if full else ()))
    assert not missing(complete, *r.unlikely)
    if full:
        assert not missing(complete, *r.not_weighed)
    else:
        assert not missing(complete, f"Not weighed: {len(r.not_weighed)} other pain generators")
    assert r.pointers
    for pointer in r.pointers:
        assert not missing(complete, pointer.title, *pointer.suggests, *pointer.reasons,
                           pointer.source if full else "")
    assert r.psps_t2 == "Technical failure"
    assert not missing(complete, "PSPS-T2 category", "Technical failure", given.EVIDENCE_ROOT, given.PLAN_SUMMARY)
    titles = {c.key for c in r.candidacy}
    assert {"icd11", "scs", "revision_surgery"} <= titles
    for report in r.candidacy:
        assert not missing(complete, report.title, report.status_label, report.source)
        for c in report.criteria:
            # The summary gives the evidence of what is not met or unknown; the record, of all.
            evidence = c.evidence if full or c.status != "met" else ""
            assert not missing(complete, c.criterion, c.status_label, evidence), c.criterion


def test_the_trend_across_visits(either: Rendered):
    trend = either.report.trend
    assert trend is not None
    assert trend.dates == ("2024-11-05", "2025-06-01")
    assert not missing(either, "Trend across visits", "Pain now (NRS 0-10)", "Since the first visit",
                       TREND_CHANGES, "MCID: NRS 2 points, ODI 10 points, or 30% of the first value")
    if either.report.full:  # every visit's values in a table: back, leg, ODI, PHQ-9, GAD-7
        assert not missing(either, "Visit Back Leg ODI PHQ-9 GAD-7", "2025-06-01 (this visit) 4 7 40 19 10")
    else:
        assert not missing(either, "2 visits, 2024-11-05 to 2025-06-01 (this visit)")


def test_no_hidden_field_is_printed(either: Rendered):
    assert HIDDEN_DETAIL not in either.flat
    assert str(HIDDEN_CRP) not in either.text
    assert "CRP" not in {line.label for line in either.report.sections["imaging"].lines}


@pytest.mark.usefixtures("users")
def test_no_trend_without_earlier_visits(app, users):
    from fbss_eval.reports.build import build_visit_report
    from fbss_eval.services import visits as service

    from .conftest import VISIT_DATE

    patient = make_patient(users.clinician, mrn="MRN-SOLO")
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    report = build_visit_report(visit)
    assert report.trend is None
    assert report.status.signed_by is None
    assert report.status.draft


def test_page_one_renders_to_a_png_that_is_kept(complete: Rendered, tmp_path):
    from PIL import Image

    assert shutil.which("pdftoppm"), "pdftoppm is needed: apt-get install poppler-utils (.ci/run does)"
    source = tmp_path / "visit.pdf"
    source.write_bytes(complete.pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page1")], check=True, timeout=60)
    png = tmp_path / "page1.png"
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(png, ARTIFACTS / "pdf-page1.png")
    image = Image.open(png).convert("L")
    assert image.size[0] > 400
    assert image.size[1] > 600
    histogram = image.histogram()
    dark = sum(histogram[:160]) / sum(histogram)
    assert 0.01 < dark < 0.5, f"page 1 looks blank or solid ({dark:.3f} dark pixels)"
    assert png.stat().st_size > 10_000


def test_letter_page_size(app, complete: Rendered):
    from fbss_eval.pdf.render import page_size

    assert page_size("Letter") == "letter"
    assert page_size("A4") == "A4"
    assert page_size("bogus") == "A4"
    from fbss_eval.pdf.render import visit_html

    assert re.search(r"@page \{ size: letter; \}", visit_html(complete.report, "Letter"))
