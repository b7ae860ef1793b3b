"""A signed visit's PDFs are the ones stored at signing, byte for byte, never rendered again
(mutation testing, tests/MUTATION.md "services/ and reports/": a mutant of
``signing.stored_revision_pdf`` that returned nothing was served a fresh rendering unnoticed)."""

from __future__ import annotations

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.services import signing
from tests.conftest import PASSWORD
from tests.web.signing_support import FAKE_RECORD
from tests.web.signing_support import FAKE_SUMMARY
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit


def test_the_signed_visits_summary_and_record_downloads_are_the_stored_pdfs(app, users, as_clinician,  # type: ignore[no-untyped-def]
                                                                            fake_pdfs):  # noqa: F811
    visit = ready_visit(users.clinician)
    vid = visit.id
    assert signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored").revision.revision == 1
    db.session.commit()
    record = as_clinician.get(f"/visits/{vid}/record.pdf")
    assert record.status_code == 200
    assert record.data == FAKE_RECORD
    summary = as_clinician.get(f"/visits/{vid}/pdf")
    assert summary.status_code == 200
    assert summary.data == FAKE_SUMMARY
    assert as_clinician.get(f"/visits/{vid}/revisions/1/record.pdf").data == FAKE_RECORD
