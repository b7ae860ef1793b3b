"""Verify names a changed checklist version of a signed visit (mutation testing,
tests/MUTATION.md "services/ and reports/": a mutant of ``verification._answer_differences`` that
no longer compared ``checklist_version`` survived the answer-tampering test)."""

from __future__ import annotations

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.services import signing
from fbss_eval.services import verification
from tests.conftest import PASSWORD
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit
from tests.web.test_signing import _tamper


def test_a_checklist_version_changed_through_sql_is_named_by_verify(app, database, users, fake_pdfs):  # type: ignore[no-untyped-def]  # noqa: F811
    visit = ready_visit(users.clinician)
    vid = visit.id
    signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored")
    db.session.commit()
    assert verification.verify(db.session.get(Visit, vid)).problems == ()
    db.session.rollback()  # end the read transaction (its snapshot would hide the change)
    _tamper(database, "UPDATE visit SET checklist_version = '2026.11.1' WHERE id = :v", "visit", {"v": vid})
    db.session.expire_all()
    assert db.session.get(Visit, vid).checklist_version == "2026.11.1"
    problems = verification.verify(db.session.get(Visit, vid)).problems
    assert "checklist_version differs from revision 1" in problems, problems
