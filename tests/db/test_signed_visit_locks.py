"""Nothing changes a signed visit except the amend flow: not a page, not a forged POST, not a
direct service call, not the ORM, and not SQL (triggers on SQLite and PostgreSQL).

Signing here uses stand-in PDF bytes (``fake_pdfs``): these tests are about locks, not PDFs."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.models import VisitAlert
from fbss_eval.models import VisitSection
from fbss_eval.models import VisitStatus
from fbss_eval.services import signing
from fbss_eval.services import verification
from fbss_eval.services import visits as visit_service
from fbss_eval.services.transitions import check_transition
from tests.conftest import PASSWORD
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit
from tests.web.visits_support import page_form
from tests.web.visits_support import section_url

pytestmark = pytest.mark.usefixtures("fake_pdfs")


def _signed(users) -> int:  # type: ignore[no-untyped-def]
    visit = ready_visit(users.clinician)
    assert signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored").revision
    db.session.commit()
    return visit.id


def _section(key: str):  # type: ignore[no-untyped-def]
    return next(s for s in visit_service.visit_sections() if s.key == key)


def _snapshot(visit_id: int) -> list[tuple[str, str, int]]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(VisitSection).where(VisitSection.visit_id == visit_id)
                              .order_by(VisitSection.section_key)).all()
    snapshot = [(r.section_key, repr(sorted((r.answers or {}).items())), r.rev) for r in rows]
    db.session.rollback()
    return snapshot


def test_every_page_and_forged_post_is_refused_on_a_signed_visit(app, users, as_clinician):
    # The forms are read while the visit is still a draft: what a stale tab would post later.
    draft = ready_visit(users.clinician)
    vid = draft.id
    visit_form = page_form(as_clinician.get(section_url(vid, "visit")))
    history_form = page_form(as_clinician.get(section_url(vid, "surgical_history")))
    alert_id = db.session.scalar(sa.select(VisitAlert.id).where(VisitAlert.visit_id == vid))
    assert signing.sign(draft, db.session.get(User, users.clinician.id), PASSWORD, "authored").revision
    db.session.commit()
    before = _snapshot(vid)

    visit_form["chief_complaint"] = "changed after signing"
    attempts = {
        "section save": (section_url(vid, "visit"), visit_form),
        "save and next": (section_url(vid, "visit"), {**visit_form.to_dict(), "_action": "save_next"}),
        "add a repeat row": (section_url(vid, "surgical_history"),
                             {**history_form.to_dict(), "_action": "add:operations"}),
        "remove a repeat row": (section_url(vid, "surgical_history"),
                                {**history_form.to_dict(), "_action": "remove:operations:0"}),
        "not assessed": (f"/visits/{vid}/sections/dn4/not-assessed", {"reason": "declined", "rev": "1"}),
        "alert acknowledgement": (f"/visits/{vid}/alerts/{alert_id}", {"action_taken": "overwritten"}),
        "sign again": (f"/visits/{vid}/sign", {"meaning": "authored", "password": PASSWORD}),
    }
    for name, (url, data) in attempts.items():
        response = as_clinician.post(url, data=data)
        if name == "sign again":  # sent back to the summary, where the signature is shown
            assert response.status_code == 302, name
            assert response.location.endswith(f"/visits/{vid}"), name
        else:
            assert response.status_code == 403, f"{name}: {response.status_code}"
    admin = app.test_client()
    from tests.conftest import login

    login(admin, "ada")
    assert admin.post(section_url(vid, "visit"), data=visit_form).status_code == 403
    assert _snapshot(vid) == before
    db.session.expire_all()
    assert len(signing.revisions_of(vid)) == 1
    assert verification.verify(db.session.get(Visit, vid)).intact


def test_every_service_write_path_refuses_a_signed_visit(app, users):
    vid = _signed(users)
    visit, carl = db.session.get(Visit, vid), db.session.get(User, users.clinician.id)
    rows = visit_service.section_rows(visit)
    visit_section = _section("visit")
    answers = {**rows["visit"].answers, "chief_complaint": "direct call"}
    alert = db.session.scalars(sa.select(VisitAlert).where(VisitAlert.visit_id == vid)).first()
    assert alert is not None
    calls = {
        "save_section": lambda: visit_service.save_section(visit, visit_section, answers, rows["visit"].rev, carl),
        "save_sections": lambda: visit_service.save_sections(visit, [(visit_section, answers, rows["visit"].rev)],
                                                             carl),
        "mark_not_assessed": lambda: visit_service.mark_not_assessed(visit, _section("dn4"), "declined",
                                                                     rows["dn4"].rev, carl),
        "acknowledge_alert": lambda: visit_service.acknowledge_alert(visit, alert, "overwritten", carl),
    }
    for name, call in calls.items():
        try:
            call()
        except visit_service.NotEditableError:
            pass
        else:
            pytest.fail(f"{name} wrote to a signed visit")
        finally:
            db.session.rollback()
    with pytest.raises(signing.TransitionError):
        signing.sign(visit, carl, PASSWORD, "authored")
    db.session.rollback()
    assert visit_service.can_edit(carl, visit) is False


def test_the_orm_cannot_write_around_the_service(app, users):
    vid = _signed(users)
    row = db.session.scalars(sa.select(VisitSection).where(VisitSection.visit_id == vid,
                                                           VisitSection.section_key == "visit")).one()
    row.answers = {**row.answers, "chief_complaint": "through the ORM"}
    with pytest.raises(sa.exc.DatabaseError, match="signed"):
        db.session.flush()
    db.session.rollback()
    visit = db.session.get(Visit, vid)
    visit.signed_at = datetime(2020, 1, 1, tzinfo=UTC)
    with pytest.raises(sa.exc.DatabaseError, match="signed"):
        db.session.flush()
    db.session.rollback()


def _refused(statement: str, **params: object) -> str:
    """Run one statement in its own transaction; it must be refused. Returns the message."""
    with db.engine.connect() as conn, conn.begin():
        try:
            conn.execute(sa.text(statement), params)
        except sa.exc.DatabaseError as exc:
            return str(exc)
    pytest.fail(f"not refused: {statement}")


def test_sql_cannot_change_or_delete_a_signed_visit_its_sections_or_its_revisions(app, users):
    vid = _signed(users)
    db.session.commit()
    statements = [
        "UPDATE visit_section SET n_answered = 0 WHERE visit_id = :v",
        "UPDATE visit_section SET answers = '{}' WHERE visit_id = :v AND section_key = 'visit'",
        "DELETE FROM visit_section WHERE visit_id = :v",
        "INSERT INTO visit_section (visit_id, section_key, answers, status, n_answered, n_required, rev, updated_at)"
        " VALUES (:v, 'extra', '{}', 'empty', 0, 0, 0, CURRENT_TIMESTAMP)",
        "UPDATE alert SET action_taken = 'rewritten' WHERE visit_id = :v",
        "DELETE FROM alert WHERE visit_id = :v",
        "UPDATE instrument_score SET score = 0 WHERE visit_id = :v",
        "INSERT INTO finding (visit_id, category, likelihood) VALUES (:v, 'facet', 'likely')",
        "UPDATE visit_revision SET answers_sha256 = 'x' WHERE visit_id = :v",
        "UPDATE visit_revision SET answers_json = '{}' WHERE visit_id = :v",
        "DELETE FROM visit_revision WHERE visit_id = :v",
        "UPDATE visit SET visit_date = '2020-01-01' WHERE id = :v",
        "UPDATE visit SET signed_pdf_sha256 = 'x' WHERE id = :v",
        "UPDATE visit SET status = 'draft', revision = 0, signed_at = NULL, signed_by_id = NULL WHERE id = :v",
        "UPDATE visit SET status = 'amending', answers_sha256 = 'x' WHERE id = :v",
        "DELETE FROM visit WHERE id = :v",
    ]
    for statement in statements:
        message = _refused(statement, v=vid)
        assert "signed" in message or "revision" in message or "status" in message, statement
    db.session.expire_all()
    assert verification.verify(db.session.get(Visit, vid)).intact

    # The amend transition is the one change allowed; then the sections are editable again,
    # the revision stays frozen, and a way back to draft does not exist.
    with db.engine.begin() as conn:
        conn.execute(sa.text("UPDATE visit SET status = 'amending', version_id = version_id + 1 WHERE id = :v"),
                     {"v": vid})
        conn.execute(sa.text("UPDATE visit_section SET n_answered = n_answered WHERE visit_id = :v"), {"v": vid})
    _refused("UPDATE visit_revision SET meaning = 'reviewed' WHERE visit_id = :v", v=vid)
    _refused("UPDATE visit SET status = 'draft', revision = 0 WHERE id = :v", v=vid)
    _refused("UPDATE visit SET status = 'signed' WHERE id = :v", v=vid)  # signing raises the revision


def test_status_moves_only_along_the_state_machine(app, users):
    visit = ready_visit(users.clinician)
    vid, carl = visit.id, users.clinician.id
    _refused("UPDATE visit SET status = 'amending' WHERE id = :v", v=vid)
    _refused("UPDATE visit SET revision = 3 WHERE id = :v", v=vid)
    _refused("INSERT INTO visit (patient_id, clinician_id, visit_date, visit_type, status, checklist_version,"
             " revision, version_id, created_at, updated_at, completeness_pct, signed_at, signed_by_id)"
             " VALUES (:p, :c, '2025-01-01', 'initial', 'signed', 'x', 1, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,"
             " 0, CURRENT_TIMESTAMP, :c)", p=visit.patient_id, c=carl)
    with pytest.raises(signing.TransitionError):  # the one table, services/transitions.py
        check_transition(VisitStatus.SIGNED, VisitStatus.DRAFT)
    with pytest.raises(signing.TransitionError):
        signing.amend(db.session.get(Visit, vid), db.session.get(User, carl), "a reason")
    with pytest.raises(ValueError, match="reason"):
        signing.amend(db.session.get(Visit, _signed_other(users)), db.session.get(User, carl), "   ")


def _signed_other(users) -> int:  # type: ignore[no-untyped-def]
    visit = ready_visit(users.clinician, mrn="SIGN-2")
    assert signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored").revision
    db.session.commit()
    return visit.id
