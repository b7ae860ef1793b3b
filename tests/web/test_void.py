"""Voiding a visit started in error (issue 10, item 8): with a reason, by its clinician while a
draft or by an admin at any status (signed included); never deleted; kept but hidden from the
patient's list (shown only collapsed), the trend and the carry-forward; marked VOID on screen;
audited; never edited, signed or amended afterwards. And a second visit on the same day is
started only after a confirmation step."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.models import VisitSection
from fbss_eval.services import signing
from fbss_eval.services import visits as visit_service
from fbss_eval.services import voiding
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.web.conftest import make_patient
from tests.web.conftest import page_text
from tests.web.conftest import soup
from tests.web.signing_support import audit_actions
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit
from tests.web.visits_support import days_ago
from tests.web.visits_support import page_form
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit

REASON = "Duplicate: started twice for the same consultation"


def _visit(visit_id: int) -> Visit:
    db.session.expire_all()
    visit = db.session.get(Visit, visit_id)
    assert visit is not None
    return visit


def _void(client, visit_id: int, reason: str = REASON):  # type: ignore[no-untyped-def]
    return client.post(f"/visits/{visit_id}/void", data={"reason": reason})


def test_a_clinician_voids_their_own_draft_with_a_reason(as_clinician, patient, users):
    vid = start_visit(as_clinician, patient.id, days_ago(2))
    page = as_clinician.get(f"/visits/{vid}")
    assert soup(page).find("a", href=f"/visits/{vid}/void") is not None  # offered on the summary
    form_page = as_clinician.get(f"/visits/{vid}/void")
    assert form_page.status_code == 200
    assert "Nothing is deleted" in page_text(form_page)

    response = _void(as_clinician, vid, f"  {REASON}  ")
    assert response.status_code == 302
    assert response.location.endswith(f"/visits/{vid}")
    visit = _visit(vid)
    assert (visit.status, visit.voided_by_id, visit.void_reason) == ("voided", users.clinician.id, REASON)
    assert visit.voided_at is not None
    assert audit_actions(vid)[-1] == "void"
    summary = page_text(as_clinician.get(f"/visits/{vid}"))
    assert f"VOID This visit was voided by {users.clinician.full_name}" in summary
    assert REASON in summary
    assert "Void visit…" not in summary
    assert "Sign visit" not in summary
    # Kept: its answers are still there.
    assert db.session.scalar(sa.select(sa.func.count(VisitSection.id)).where(VisitSection.visit_id == vid)) >= 1


def test_a_reason_is_required_and_nothing_changes_without_one(as_clinician, patient):
    vid = start_visit(as_clinician, patient.id, days_ago(2))
    for reason in ("", "   ", "x" * 501):
        response = _void(as_clinician, vid, reason)
        assert response.status_code == 422, reason
        assert _visit(vid).status == "draft"
    assert "void" not in audit_actions(vid)


def test_who_may_void_what(app, users, fake_pdfs):  # noqa: F811
    carl, olga, ada = (db.session.get(User, u.id) for u in (users.clinician, users.other, users.admin))
    draft = visit_service.start_visit(make_patient(carl, mrn="V-1"), carl, date(2025, 3, 3), "initial")
    signed = ready_visit(carl, mrn="V-2")
    assert signing.sign(signed, carl, PASSWORD, "authored").revision
    db.session.commit()
    assert voiding.may_void(carl, draft)
    assert not voiding.may_void(olga, draft)
    assert voiding.may_void(ada, draft)
    assert not voiding.may_void(carl, signed)  # a signed record is voided by an admin only
    assert voiding.may_void(ada, signed)

    clinician, other, admin = app.test_client(), app.test_client(), app.test_client()
    login(clinician, "carl"), login(other, "olga"), login(admin, "ada")
    assert _void(other, draft.id).status_code == 403
    assert other.get(f"/visits/{draft.id}/void").status_code == 403
    assert _void(clinician, signed.id).status_code == 403
    assert _visit(signed.id).status == "signed"
    assert _visit(draft.id).status == "draft"
    assert _void(admin, draft.id).status_code == 302
    assert _visit(draft.id).status == "voided"


def test_an_admin_voids_a_signed_visit_which_keeps_its_revision_and_cannot_be_amended(app, users, fake_pdfs):  # noqa: F811
    carl = db.session.get(User, users.clinician.id)
    visit = ready_visit(carl)
    assert signing.sign(visit, carl, PASSWORD, "authored").revision
    db.session.commit()
    vid = visit.id
    admin = app.test_client()
    login(admin, "ada")
    assert _void(admin, vid, "Wrong patient: belongs to another record").status_code == 302
    voided = _visit(vid)
    assert (voided.status, voided.revision, voided.voided_by_id) == ("voided", 1, users.admin.id)
    assert voided.signed_by_id == users.clinician.id
    assert voided.signed_pdf_sha256
    assert len(signing.revisions_of(vid)) == 1
    assert audit_actions(vid)[-1] == "void"
    # Never again: amend, sign, void, edit.
    with pytest.raises(signing.TransitionError):
        signing.amend(voided, db.session.get(User, users.admin.id), "a reason")
    db.session.rollback()
    response = admin.post(f"/visits/{vid}/amend", data={"reason": "try"})
    assert response.status_code == 302
    assert _visit(vid).status == "voided"
    response = admin.post(f"/visits/{vid}/sign", data={"meaning": "authored", "password": PASSWORD})
    assert response.status_code == 302
    assert _visit(vid).status == "voided"
    response = _void(admin, vid, "again")
    assert response.status_code == 302
    assert _visit(vid).void_reason == "Wrong patient: belongs to another record"


def test_a_voided_visit_cannot_be_edited(as_clinician, patient):
    vid = start_visit(as_clinician, patient.id, days_ago(2))
    form = page_form(as_clinician.get(section_url(vid, "visit")))
    assert _void(as_clinician, vid).status_code == 302
    form["chief_complaint"] = "after voiding"
    assert as_clinician.post(section_url(vid, "visit"), data=form).status_code == 403
    assert as_clinician.post(f"/visits/{vid}/sections/dn4/not-assessed",
                             data={"reason": "declined", "rev": "0"}).status_code == 403
    visit = _visit(vid)
    assert not visit.editable
    section = next(s for s in visit_service.visit_sections() if s.key == "visit")
    with pytest.raises(visit_service.NotEditableError):
        visit_service.save_section(visit, section, {"chief_complaint": "direct"}, 1, visit.clinician)
    db.session.rollback()
    with pytest.raises(voiding.VoidNotAllowedError):
        voiding.void_visit(_visit(vid), _visit(vid).clinician, "twice")
    db.session.rollback()


def test_voided_visits_are_hidden_from_the_list_and_never_carried_forward(as_clinician, patient):
    kept = start_visit(as_clinician, patient.id, days_ago(30))
    mistake = start_visit(as_clinician, patient.id, days_ago(3))
    assert _void(as_clinician, mistake).status_code == 302
    page = soup(as_clinician.get(f"/patients/{patient.id}"))
    main_rows = page.select("section[aria-labelledby=visits-title] > table tbody tr")
    assert [row.find("a")["href"] for row in main_rows] == [f"/visits/{kept}"]
    details = page.select_one("details.voided-visits")
    assert details is not None
    assert details.get("open") is None
    assert "1 voided visit" in details.summary.get_text()
    assert [a["href"] for a in details.select("tbody a")] == [f"/visits/{mistake}"]
    assert "VOID" in details.get_text()
    assert REASON in details.get_text()
    assert visit_service.previous_visit(patient.id).id == kept
    assert visit_service.visits_of(patient.id) == [_visit(kept)]


def test_the_pdfs_of_a_voided_visit_say_void(as_clinician, patient, users):
    from tests.pdf.conftest import pdf_text

    vid = start_visit(as_clinician, patient.id, days_ago(2))
    assert _void(as_clinician, vid).status_code == 302
    for url in (f"/visits/{vid}/pdf", f"/visits/{vid}/record.pdf"):
        response = as_clinician.get(url)
        assert response.status_code == 200, url
        text = " ".join(pdf_text(response.data).split())
        assert "VOID" in text, url
        assert "VOID: started in error, not a valid record" in text, url
        assert f"Voided by {users.clinician.full_name}" in text, url
        assert REASON in text, url


# --- a second visit on the same day ------------------------------------------------------------------


def _visits(patient_id: int) -> list[Visit]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Visit).where(Visit.patient_id == patient_id).order_by(Visit.id)))


def test_a_second_visit_on_the_same_day_asks_first(as_clinician, patient):
    first = start_visit(as_clinician, patient.id, days_ago(1))
    url = f"/patients/{patient.id}/visits/new"
    asked = as_clinician.post(url, data={"visit_date": days_ago(1), "visit_type": "follow_up"})
    assert asked.status_code == 200
    assert [v.id for v in _visits(patient.id)] == [first]  # nothing started yet
    page = soup(asked)
    warning = page.select_one(".same-day")
    assert warning is not None
    assert f"already has a visit on {days_ago(1)}" in warning.get_text(" ")
    assert warning.find("a", href=f"/visits/{first}") is not None
    assert page.find("input", attrs={"name": "confirm_same_day"})["value"] == days_ago(1)
    assert "Start another visit on this day" in page.select_one("main form button.primary").get_text()

    # A confirmation for another day does not count; confirming this day starts the visit.
    other = as_clinician.post(url, data={"visit_date": days_ago(1), "visit_type": "follow_up",
                                         "confirm_same_day": days_ago(5)})
    assert other.status_code == 200
    assert len(_visits(patient.id)) == 1
    confirmed = as_clinician.post(url, data={"visit_date": days_ago(1), "visit_type": "follow_up",
                                             "confirm_same_day": days_ago(1)})
    assert confirmed.status_code == 302
    assert len(_visits(patient.id)) == 2


def test_another_day_or_a_voided_visit_that_day_needs_no_confirmation(as_clinician, patient):
    first = start_visit(as_clinician, patient.id, days_ago(4))
    url = f"/patients/{patient.id}/visits/new"
    assert as_clinician.post(url, data={"visit_date": days_ago(3), "visit_type": "follow_up"}).status_code == 302
    assert _void(as_clinician, first).status_code == 302
    assert as_clinician.post(url, data={"visit_date": days_ago(4), "visit_type": "follow_up"}).status_code == 302
    assert len(_visits(patient.id)) == 3
