"""The PDFs stored at signing: every page carries the signature (who, when in UTC and local time,
the meaning, the revision) and the SHA-256 of the frozen answers, and no DRAFT mark. Checked on the
text extracted from the stored bytes, with the expected values written out here; page 1 of each is
kept as a PNG for a person to look at."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from datetime import UTC
from datetime import datetime
from pathlib import Path

import pytest
from freezegun import freeze_time

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import VisitRevision
from fbss_eval.services import signing
from tests.conftest import PASSWORD
from tests.web.signing_support import ready_visit

from .conftest import pdf_text
from .conftest import squash

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
SIGNED_AT = datetime(2026, 11, 30, 14, 32, 5, tzinfo=UTC)


@pytest.fixture
def signed(app, users):  # type: ignore[no-untyped-def]
    visit = ready_visit(users.clinician)
    with freeze_time(SIGNED_AT):
        outcome = signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored")
    db.session.commit()
    assert outcome.revision is not None
    return db.session.get(VisitRevision, outcome.revision.id)


@pytest.mark.parametrize("document", ["summary", "record"])
def test_every_page_carries_the_signature_and_the_answers_hash(signed, document):  # type: ignore[no-untyped-def]
    pdf = bytes(signed.summary_pdf if document == "summary" else signed.record_pdf)
    answers_sha = hashlib.sha256(signed.answers_json.encode()).hexdigest()
    assert signed.answers_sha256 == answers_sha  # the hash printed is of the text that was frozen
    pages = pdf_text(pdf).split("\f")
    assert len(pages) >= 2
    # 14:32 UTC on 30 November is 14:32 GMT in London (no summer time in November).
    expected = ("Signed by Dr Carl Clinician · 2026-11-30 14:32:05 UTC (2026-11-30 14:32:05 GMT (Europe/London))"
                " · Authored · revision 1")
    for number, page in enumerate(pages, 1):
        flat = squash(page)
        assert squash(expected) in flat, f"page {number}: no signature line"
        assert squash(f"Answers SHA-256 {answers_sha}") in flat, f"page {number}: no answers hash"
        assert "DRAFT" not in page, f"page {number} still says DRAFT"
        assert f"Page{number}of{len(pages)}" in flat


def test_page_one_of_each_signed_pdf_is_kept_as_a_png(signed, tmp_path):  # type: ignore[no-untyped-def]
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm, "pdftoppm is needed (apt-get install poppler-utils)"
    ARTIFACTS.mkdir(exist_ok=True)
    for document, pdf in (("summary", signed.summary_pdf), ("record", signed.record_pdf)):
        source = tmp_path / f"{document}.pdf"
        source.write_bytes(bytes(pdf))
        target = ARTIFACTS / f"signed-{document}-page1"
        subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source), str(target)],
                       check=True, timeout=60)
        png = target.with_suffix(".png")
        assert png.stat().st_size > 10_000  # a rendered page, not an empty image
