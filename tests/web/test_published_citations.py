"""Issue 10, published citations only: every page a clinician reads and both PDFs of complete
demo visits cite published sources, never our internal documents (``clinical-reference.md``,
``design.md``, "reference 3.a", "§"), their evidence marks ([S], [V]), web site names or rule ids
(``psychosocial.smoking``: those stay in the data dictionary and the audit).

Page 1 of both PDFs of a follow-up demo visit is kept as a PNG artefact of the test run
(``$FBSS_ARTIFACTS``, else ``artifacts/`` at the project root, which git ignores)."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from pypdf import PdfReader

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.services import visits as visit_service
from tests.conftest import login
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient
from tests.web.conftest import soup

ARTIFACTS = Path(os.environ.get("FBSS_ARTIFACTS") or Path(__file__).resolve().parents[2] / "artifacts")

INTERNAL = re.compile(
    r"\.md\b|§|\[S\]|\[V\]|\b[Rr]eference \d|clinical-reference|design\.md"
    r"|heyneurosurgeon|mdsteps|clinicalgate|physio-?pedia|RehabMeasures|awell|CamCOPS|findacode|\bPMC\d"
)
# Rule ids are <rule module>.<name> (and the PHQ-9 item 9 alert kinds).
RULE_ID = re.compile(
    r"\b(?:red_flag|psychosocial|imaging|blocks|timing|neuropathic|electrodiagnostics|rehabilitation"
    r"|classification|candidacy|scs|disc_repair|revision)\.[a-z][a-z0-9_]+|\bphq9_item9\w*"
)


def offending(text: str) -> list[str]:
    """Each internal reference or rule id in a text, with a little context."""
    found = []
    for pattern in (INTERNAL, RULE_ID):
        for m in pattern.finditer(text):
            found.append(text[max(0, m.start() - 40): m.end() + 20].replace("\n", " "))
    return found


def test_the_patterns_catch_what_they_must() -> None:
    for bad in ("clinical-reference.md 3.g (3) [S]", "design.md section 7", "reference 3.a",
                "Rule psychosocial.smoking", "heyneurosurgeon.co.uk", "kind red_flag.infection", "§2.1",
                "Annertz [V]", "phq9_item9"):
        assert offending(bad), bad
    for good in ("NICE NG59; Downie et al., BMJ 2013;347:f7095", "BMJ Best Practice: cauda equina syndrome",
                 "Fairbank JCT, Pynsent PB. Spine 2000;25(22):2940-2952", "NICE TA159", "Red-flag screen complete",
                 "Psychosocial factors", "Imaging and bloods", "Diagnostic blocks"):
        assert not offending(good), good


def _page_text(response) -> str:
    page = soup(response)
    for hidden in page(["script", "style", "template"]):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


def _pdf_text(content: bytes) -> str:
    return "\f".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)


def _keep_page_one(content: bytes, name: str, tmp_path: Path) -> Path:
    assert shutil.which("pdftoppm"), "pdftoppm is needed: apt-get install poppler-utils"
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "70", "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / name)], check=True, timeout=60)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    kept = ARTIFACTS / f"{name}.png"
    shutil.copyfile(tmp_path / f"{name}.png", kept)
    return kept


def test_no_page_or_pdf_of_complete_demo_visits_cites_internal_documents_or_rule_ids(
        app, runner, client, users, tmp_path) -> None:
    result = runner.invoke(args=["seed-demo", "--patients", "2", "--visits-per-patient", "2", "--seed", "11"])
    assert result.exit_code == 0, result.output
    login(client, users.admin.username)
    visits = list(db.session.scalars(sa.select(Visit).order_by(Visit.patient_id, Visit.visit_date)))
    assert len(visits) == 4
    follow_ups = [v for v in visits if v.visit_type == "follow_up"]
    assert len(follow_ups) == 2
    problems: dict[str, list[str]] = {}
    scanned = 0
    rule_ids: set[str] = set()
    for visit in visits:
        evaluation = visit_service.evaluation_of(visit)
        rule_ids |= {p.rule for p in evaluation.pointers} | {a.kind for a in evaluation.alerts}
        urls = [f"/visits/{visit.id}", f"/visits/{visit.id}/sign", f"/patients/{visit.patient_id}",
                f"/visits/{visit.id}/completeness"]
        urls += [f"/visits/{visit.id}/sections/{s.key}" for s in visit_service.sections_of(visit)]
        urls += [f"/visits/{visit.id}/alerts/{a.id}" for a in visit_service.active_alerts(visit.id)]
        for url in urls:
            response = client.get(url)
            if url.endswith("/completeness") and response.status_code == 404:
                continue  # the completeness page comes with another change of the same issue
            assert response.status_code == 200, url
            text = _page_text(response)
            scanned += 1
            if found := offending(text) + [r for r in rule_ids if r in text]:
                problems[url] = found
        for url in (f"/visits/{visit.id}/pdf", f"/visits/{visit.id}/record.pdf"):
            response = client.get(url)
            assert response.status_code == 200, url
            text = _pdf_text(response.data)
            scanned += 1
            if found := offending(text) + [r for r in rule_ids if r in text]:
                problems[url] = found
            if visit.id == follow_ups[0].id:
                name = "followup-summary-page1" if url.endswith("/pdf") else "followup-record-page1"
                kept = _keep_page_one(response.data, name, tmp_path)
                assert kept.stat().st_size > 10_000
    assert scanned > 4 * 20
    assert len(rule_ids) > 3  # the demo visits raise pointers and alerts, whose ids were looked for
    assert problems == {}


def test_the_complete_test_visit_cites_no_internal_document(app, client, users) -> None:
    """The hand-written complete visit of the PDF tests (blocks, imaging, candidacy, pointers)."""
    patient = make_patient(users.clinician)
    visit = make_complete_visit(patient, users.clinician, date(2025, 6, 1))
    db.session.commit()
    login(client, users.clinician.username)
    problems = {}
    evaluation = visit_service.evaluation_of(visit)
    rule_ids = {p.rule for p in evaluation.pointers} | {a.kind for a in evaluation.alerts}
    assert rule_ids
    for url in [f"/visits/{visit.id}", f"/visits/{visit.id}/sign",
                *(f"/visits/{visit.id}/sections/{s.key}" for s in visit_service.sections_of(visit))]:
        response = client.get(url)
        assert response.status_code == 200, url
        text = _page_text(response)
        if found := offending(text) + [r for r in rule_ids if r in text]:
            problems[url] = found
    for url in (f"/visits/{visit.id}/pdf", f"/visits/{visit.id}/record.pdf"):
        text = _pdf_text(client.get(url).data)
        if found := offending(text) + [r for r in rule_ids if r in text]:
            problems[url] = found
    assert problems == {}
