"""Issue 10, the on-screen summary says what was concluded: the differential with likelihoods and
evidence, the working conclusion and classification, the PSPS-T2 category, the plan, follow-up
and the clinician's summary, beside the computed scores and pointers, as the PDF has them (both
read ``reports.build.build_visit_report``). Expected values are the literals of the hand-written
complete visit (tests/pdf/answers.py)."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from fbss_eval.extensions import db
from fbss_eval.services import visits as visit_service
from tests.conftest import login
from tests.pdf import answers as given
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient
from tests.web.conftest import soup


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _complete_summary(client, users):
    patient = make_patient(users.clinician)
    visit = make_complete_visit(patient, users.clinician, date(2025, 6, 1))
    db.session.commit()
    login(client, users.clinician.username)
    response = client.get(f"/visits/{visit.id}")
    assert response.status_code == 200
    return visit, soup(response)


def test_the_summary_shows_the_clinicians_conclusions(app, client, users):
    _, page = _complete_summary(client, users)
    section = page.find(id="conclusions")
    assert section is not None
    facts = {dt.get_text(" ", strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in section.select("dl.conclusions dt")}
    assert facts["Working conclusion"] == "Predominantly neuropathic pain"
    assert facts["Working PSPS-T2 aetiological category"] == "Technical failure"
    assert facts["Working classification of the pain"] == "Neurologic (compression, root injury, neuropathic)"
    assert facts["Plan"] == "Evaluate for spinal cord stimulation (incl. high-frequency / DRG), Pain psychology / CBT"
    # NICE TA159: 10 criteria met, the trial not yet done -> unknown.
    assert facts["SCS candidacy (NICE TA159)"] == "Unknown (1 of 12 criteria unknown)"
    assert facts["Chief complaint"] == given.CHIEF_COMPLAINT
    assert facts["Differential summary"] == "Predominantly neuropathic S1 pain after revision fusion"
    # The plan's answers: follow-up and the clinician's summary.
    assert facts["Follow-up in"] == "6 weeks"
    assert facts["Clinician's summary"] == given.PLAN_SUMMARY
    assert facts["SCS decision"] == "Proceed to trial"
    assert "PSPS-T2 category: Technical failure" in section.get_text(" ", strip=True)

    rows = [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in section.select("table.differential tbody tr")]
    # Most likely first: probable, then the two possible (checklist order); SIJ judged unlikely
    # with no evidence goes to the one-line list.
    assert [r[:3] for r in rows] == [
        ["Neuropathic radicular pain / root injury or compression", "Probable", given.EVIDENCE_ROOT],
        ["Epidural fibrosis / arachnoiditis", "Possible", "—"],
        ["Facet joint pain", "Possible", "—"],
    ]
    assert "Positive medial branch block" in rows[2][3]  # the pointer that suggests facet pain
    assert "Judged unlikely (no evidence written): Sacroiliac joint pain." in section.get_text(" ", strip=True)


def test_the_conclusions_sit_beside_the_computed_scores_and_pointers(app, client, users):
    _, page = _complete_summary(client, users)
    text = " ".join(page.get_text(" ").split())
    assert text.index("The clinician's conclusions") < text.index("Pain and instruments")
    assert "Pointers for the differential" in text
    assert "Positive medial branch block" in text


def test_screen_and_pdf_say_the_same(app, client, users):
    visit, page = _complete_summary(client, users)
    screen = _flat(page.find(id="conclusions").get_text(" "))
    pdf = client.get(f"/visits/{visit.id}/pdf")
    printed = _flat("".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf.data)).pages))
    for phrase in ("Working conclusion", "Predominantly neuropathic pain", "Technical failure",
                   "Neurologic (compression, root injury, neuropathic)", given.EVIDENCE_ROOT, given.PLAN_SUMMARY,
                   "Follow-up in", "6 weeks", "Unknown (1 of 12 criteria unknown)", "Proceed to trial"):
        assert _flat(phrase) in screen, phrase
        assert _flat(phrase) in printed, phrase


def test_an_empty_visit_says_nothing_is_concluded_yet(app, client, users):
    patient = make_patient(users.clinician)
    visit = visit_service.start_visit(patient, users.clinician, date(2025, 6, 1), "initial")
    db.session.commit()
    login(client, users.clinician.username)
    page = soup(client.get(f"/visits/{visit.id}"))
    text = " ".join(page.find(id="conclusions").get_text(" ").split())
    assert "No conclusion recorded yet" in text
    assert "PSPS-T2 category: Not recorded" in text
    assert "No pain generator weighed yet." in text
    assert "No plan recorded yet." in text
