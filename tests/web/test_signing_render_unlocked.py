"""Signing renders its two PDFs (about half a second) before it takes the visit's lock, so other
writers go on meanwhile: on SQLite the database's write lock, on PostgreSQL the visit's row lock.
Under the lock the reports are built again; PDFs rendered from what has since changed are never
stored: they are rendered again there. Real WeasyPrint renders; the other writer is a second
database connection that does not wait for a lock."""

from __future__ import annotations

import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import Visit
from fbss_eval.models import VisitRevision
from tests.conftest import PASSWORD
from tests.pdf.conftest import pdf_text
from tests.web.signing_support import ready_visit
from tests.web.signing_support import write_elsewhere


def _sign(client, visit_id: int):  # type: ignore[no-untyped-def]
    return client.post(f"/visits/{visit_id}/sign", data={"meaning": "authored", "password": PASSWORD})


def test_another_writer_is_not_kept_waiting_while_the_pdfs_render(app, users, as_clinician, renders):
    visit = ready_visit(users.clinician)
    vid = visit.id
    other = ready_visit(users.clinician, mrn="SIGN-2")
    other_id = other.id
    wrote: list[str] = []

    def another_save() -> None:  # another visit's row on SQLite's one lock; this visit's row itself
        write_elsewhere("UPDATE visit SET updated_at = updated_at WHERE id IN (:a, :b)", a=vid, b=other_id)
        wrote.append("done")

    renders["during_first"] = another_save
    response = _sign(as_clinician, vid)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert wrote == ["done"]
    assert renders["count"] == 2  # the PDFs rendered before the lock were the ones stored
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "signed"


def test_pdfs_rendered_before_a_change_are_not_stored_they_are_rendered_again(app, users, as_clinician, renders):
    visit = ready_visit(users.clinician)
    vid, patient_id = visit.id, visit.patient_id
    renders["during_first"] = lambda: write_elsewhere("UPDATE patient SET family_name = 'Renamed' WHERE id = :p",
                                                      p=patient_id)
    assert _sign(as_clinician, vid).status_code == 302
    assert renders["count"] == 4  # two before the lock, two again under it
    db.session.expire_all()
    revision = db.session.scalar(sa.select(VisitRevision).where(VisitRevision.visit_id == vid))
    assert revision is not None
    for pdf in (revision.summary_pdf, revision.record_pdf):
        text = pdf_text(bytes(pdf))
        assert "RENAMED, Jane" in text
        assert "DOE, Jane" not in text
