"""Signing a visit: what blocks it (each with its link), the password re-entry (refused, throttled,
audited), who may sign, the signature block, amending into revision 2 with revision 1 and its PDFs
kept, the diff in labels, and verify (intact, then tampered through SQL) with its CLI."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
import sqlalchemy as sa

from fbss_eval.extensions import db
from fbss_eval.models import AuditEvent
from fbss_eval.models import LoginAttempt
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.models import VisitAlert
from fbss_eval.services import signing
from fbss_eval.services import verification
from fbss_eval.services import visits as visit_service
from fbss_eval.services.auth import THROTTLED_MESSAGE
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.pdf.conftest import pdf_text
from tests.web.conftest import page_text
from tests.web.conftest import soup
from tests.web.signing_support import audit_actions
from tests.web.signing_support import ready_visit
from tests.web.signing_support import revisions
from tests.web.visits_support import page_form
from tests.web.visits_support import section_url


def _sign(client, visit_id: int, password: str = PASSWORD, meaning: str = "authored"):  # type: ignore[no-untyped-def]
    return client.post(f"/visits/{visit_id}/sign", data={"meaning": meaning, "password": password})


def _blocker_links(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    box = soup(response).find(class_="sign-blockers")
    assert box is not None, "no list of blockers on the page"
    return {a.get_text(" ", strip=True): str(a["href"]) for a in box.find_all("a")}


def test_signing_is_blocked_with_each_reason_and_a_link_to_fix_it(app, users, as_clinician):
    first = ready_visit(users.clinician)
    second = visit_service.start_visit(first.patient, users.clinician, date(2025, 9, 1), "follow_up")
    red_flags = next(s for s in visit_service.visit_sections() if s.key == "red_flags")
    visit_service.save_section(second, red_flags, {"rf_inf_fever": "yes"}, 0, users.clinician)
    db.session.commit()
    alert = db.session.scalar(sa.select(VisitAlert).where(VisitAlert.visit_id == second.id))
    assert alert is not None
    assert alert.pending
    vid = second.id

    response = as_clinician.get(f"/visits/{vid}/sign")
    assert response.status_code == 200
    links = _blocker_links(response)
    by_href: dict[str, list[str]] = {}
    for text, href in links.items():
        by_href.setdefault(href, []).append(text)
    assert any("red-flag screen is incomplete" in t for t in by_href[f"/visits/{vid}/sections/red_flags"])
    assert any(t.startswith("Alert not acknowledged") for t in by_href[f"/visits/{vid}/alerts/{alert.id}"])
    assert any("carried forward" in t and "not yet confirmed" in t
               for t in by_href[f"/visits/{vid}/sections/surgical_history"])
    assert any("not complete" in t for t in by_href[f"/visits/{vid}/sections/examination"])
    assert soup(response).find("input", attrs={"name": "password"}) is None  # no form while blocked

    # A forged POST of the form changes nothing.
    assert _sign(as_clinician, vid).status_code == 409
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "draft"
    assert revisions(vid) == []
    with pytest.raises(signing.SignBlockedError):
        signing.sign(db.session.get(Visit, vid), db.session.get(User, users.clinician.id), PASSWORD, "authored")

    # Confirming a carried-forward section (saving it) clears that blocker.
    history = next(s for s in visit_service.visit_sections() if s.key == "surgical_history")
    page = as_clinician.get(section_url(vid, "surgical_history"))
    assert as_clinician.post(section_url(vid, "surgical_history"), data=page_form(page)).status_code == 302
    links = _blocker_links(as_clinician.get(f"/visits/{vid}/sign"))
    assert not any("carried forward" in t for t, h in links.items() if h.endswith(f"/{history.key}"))


def test_a_wrong_password_is_refused_counted_by_the_login_throttle_and_audited(app, users, as_clinician):
    visit = ready_visit(users.clinician)
    vid = visit.id
    no_meaning = as_clinician.post(f"/visits/{vid}/sign", data={"password": PASSWORD})
    assert no_meaning.status_code == 422
    assert "Choose what your signature means." in page_text(no_meaning)
    response = _sign(as_clinician, vid, password="not my password")
    assert response.status_code == 422
    assert "Invalid username or password" in page_text(response)
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "draft"
    assert revisions(vid) == []
    assert "sign_refused" in audit_actions(vid)
    failed = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert [e.changes for e in failed] == [{"reason": [None, "wrong password (sign visit)"]}]
    assert db.session.scalar(sa.select(sa.func.count(LoginAttempt.id)).where(LoginAttempt.username == "carl")) == 1
    assert db.session.get(User, users.clinician.id).failed_logins == 1

    for _ in range(app.config["LOGIN_THROTTLE_ATTEMPTS"] - 1):
        assert _sign(as_clinician, vid, password="still wrong").status_code == 422
    throttled = _sign(as_clinician, vid)  # the right password, but the throttle holds
    assert throttled.status_code == 422
    assert THROTTLED_MESSAGE in page_text(throttled)
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "draft"


def test_only_the_visits_clinician_or_an_admin_may_sign(app, users, client):
    visit = ready_visit(users.clinician)
    vid = visit.id
    login(client, "olga")
    assert client.get(f"/visits/{vid}/sign").status_code == 403
    assert _sign(client, vid).status_code == 403
    with pytest.raises(signing.NotAllowedError):
        signing.sign(db.session.get(Visit, vid), db.session.get(User, users.other.id), PASSWORD, "authored")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "draft"
    assert "sign" not in audit_actions(vid)
    outcome = signing.sign(db.session.get(Visit, vid), db.session.get(User, users.admin.id), PASSWORD, "reviewed")
    db.session.commit()
    assert outcome.revision is not None
    assert (outcome.revision.signed_by_id, outcome.revision.meaning) == (users.admin.id, "reviewed")
    # Nor may another clinician amend it.
    assert client.post(f"/visits/{vid}/amend", data={"reason": "not mine to amend"}).status_code == 403
    with pytest.raises(signing.NotAllowedError):
        signing.amend(db.session.get(Visit, vid), db.session.get(User, users.other.id), "not mine to amend")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "signed"


def test_sign_amend_and_sign_again_keeps_revision_1_and_shows_the_changes_in_labels(app, users, as_clinician):
    visit = ready_visit(users.clinician)
    vid = visit.id
    page = as_clinician.get(section_url(vid, "visit"))
    form = page_form(page)
    form["impact_work"], form["chief_complaint"], form["back_nrs_now"] = "mild", "Leg pain, left", "4"
    assert as_clinician.post(section_url(vid, "visit"), data=form).status_code == 302

    response = _sign(as_clinician, vid)
    assert response.status_code == 302
    summary = as_clinician.get(f"/visits/{vid}")
    block = soup(summary).find(class_="signature-block")
    assert block is not None
    text = " ".join(block.get_text(" ").split())
    (first,) = revisions(vid)
    assert first.answers_sha256 == hashlib.sha256(first.answers_json.encode()).hexdigest()
    assert "Dr Carl Clinician" in text
    assert "Authored" in text
    assert "revision 1" in text
    assert first.signed_at.strftime("%Y-%m-%d %H:%M:%S UTC") in text
    assert "(Europe/London)" in text
    assert first.answers_sha256 in text
    stored = (bytes(first.summary_pdf), bytes(first.record_pdf), first.answers_json)
    assert hashlib.sha256(stored[0]).hexdigest() == first.summary_pdf_sha256
    assert as_clinician.get(f"/visits/{vid}/pdf").data == stored[0]  # the stored PDF, served again
    printed = pdf_text(stored[0])
    assert "DRAFT" not in printed
    assert "Dr Carl Clinician" in printed
    # Signed: the section page refuses a save.
    assert as_clinician.post(section_url(vid, "visit"), data=form).status_code == 403

    assert as_clinician.post(f"/visits/{vid}/amend", data={"reason": "  "}).status_code == 422
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "signed"
    assert as_clinician.post(f"/visits/{vid}/amend", data={"reason": "MRI report arrived"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Visit, vid).status == "amending"
    amend_row = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "amend")).one()
    assert amend_row.changes["reason"] == [None, "MRI report arrived"]

    form = page_form(as_clinician.get(section_url(vid, "visit")))
    form["impact_work"], form["chief_complaint"], form["back_nrs_now"] = "severe", "Leg and back pain", "7"
    assert as_clinician.post(section_url(vid, "visit"), data=form).status_code == 302
    history = page_form(as_clinician.get(section_url(vid, "surgical_history")))
    history["operations-0-centre_surgeon"] = "St Elsewhere, Mr Amended"
    assert as_clinician.post(section_url(vid, "surgical_history"), data=history).status_code == 302
    assert _sign(as_clinician, vid, meaning="reviewed").status_code == 302

    first_again, second = revisions(vid)
    assert (bytes(first_again.summary_pdf), bytes(first_again.record_pdf), first_again.answers_json) == stored
    assert (second.revision, second.meaning, second.amendment_reason) == (2, "reviewed", "MRI report arrived")
    assert as_clinician.get(f"/visits/{vid}/revisions/1/summary.pdf").data == stored[0]
    assert as_clinician.get(f"/visits/{vid}/revisions/1/record.pdf").data == stored[1]
    assert as_clinician.get(f"/visits/{vid}/pdf").data == bytes(second.summary_pdf)
    listing = page_text(as_clinician.get(f"/visits/{vid}/revisions"))
    assert f"Revision 1, signed {first.signed_at:%Y-%m-%d} by Dr Carl Clinician" in listing
    assert "Reason for amendment: MRI report arrived" in listing

    diff = as_clinician.get(f"/visits/{vid}/revisions/diff?a=1&b=2")
    assert diff.status_code == 200
    rows = {tr.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in soup(diff).select("table.diff tbody tr")}
    assert rows["Impact on work"] == ["Mild", "Severe"]
    assert rows["Chief complaint"] == ["Leg pain, left", "Leg and back pain"]
    assert rows["Back pain now (NRS 0-10)"] == ["4/10", "7/10"]
    operation = [label for label in rows if label.startswith("Operations: Operation 1: Centre")]
    assert operation
    assert rows[operation[0]][1] == "St Elsewhere, Mr Amended"
    assert "impact_work" not in page_text(diff)
    assert "severe" not in rows["Impact on work"]
    scores = {tr.th.get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
              for tr in soup(diff).select("table.scores tbody tr")}
    nrs = scores["Back pain now (NRS 0-10)"]
    assert nrs[0].startswith("4")
    assert nrs[1].startswith("7")
    assert "(changed)" in nrs[1]

    history_page = page_text(as_clinician.get(f"/visits/{vid}/history"))
    for expected in ("Signed", "Amendment started", "Saved", "Visit and pain profile: Impact on work: Mild → Severe",
                     "Reason: — → MRI report arrived", "Alert acknowledged"):
        assert expected in history_page, history_page[history_page.find("Impact on work") - 200:][:600]
    assert history_page.index("Amendment started") < history_page.index("Impact on work: Mild → Severe")


def _tamper(database, statement: str, table: str, params: dict[str, object]) -> None:
    """Change a locked row as someone with database access would: with its trigger out of the way
    (on PostgreSQL as the schema's owner: the app's role can neither disable nor drop a trigger)."""
    from fbss_eval.models.visit_locks import SIGNED_LOCK_DDL

    if db.engine.dialect.name == "postgresql":
        owner = sa.create_engine(database.owner_url)
        try:
            with owner.begin() as conn:
                conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
                conn.execute(sa.text(statement), params)
                conn.execute(sa.text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
        finally:
            owner.dispose()
        return
    with db.engine.begin() as conn:
        names = conn.execute(sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                             {"t": table}).scalars().all()
        for name in names:
            conn.execute(sa.text(f"DROP TRIGGER {name}"))
        conn.execute(sa.text(statement), params)
        for ddl in SIGNED_LOCK_DDL["sqlite"]:
            if f" ON {table} " in ddl:
                conn.execute(sa.text(ddl))


def test_verify_is_intact_until_a_stored_answer_or_pdf_is_changed_through_sql(app, database, users, as_clinician,
                                                                             runner):
    visit = ready_visit(users.clinician)
    vid = visit.id
    assert signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored").revision
    db.session.commit()
    assert "Intact." in page_text(as_clinician.get(f"/visits/{vid}/verify"))
    result = runner.invoke(args=["verify-visit", str(vid)])
    assert result.exit_code == 0
    assert "intact" in result.output

    if db.engine.dialect.name == "postgresql":
        statement = ("UPDATE visit_section SET answers = jsonb_set(answers, '{chief_complaint}', '\"Tampered\"') "
                     "WHERE visit_id = :v AND section_key = 'visit'")
    else:
        statement = ("UPDATE visit_section SET answers = json_set(answers, '$.chief_complaint', 'Tampered') "
                     "WHERE visit_id = :v AND section_key = 'visit'")
    _tamper(database, statement, "visit_section", {"v": vid})
    db.session.expire_all()
    stored = db.session.scalar(
        sa.text("SELECT answers FROM visit_section WHERE visit_id = :v AND section_key = 'visit'"), {"v": vid})
    assert (json.loads(stored) if isinstance(stored, str) else stored)["chief_complaint"] == "Tampered"
    db.session.rollback()

    page = as_clinician.get(f"/visits/{vid}/verify")
    problems = [li.get_text(" ", strip=True) for li in soup(page).select(".verify-result li")]
    assert "Not intact" in page_text(page)
    assert any("Visit and pain profile" in p and "Chief complaint" in p for p in problems), problems
    result = runner.invoke(args=["verify-visit", str(vid)])
    assert result.exit_code == 1
    assert "NOT INTACT" in result.output
    assert "Chief complaint" in result.output

    _tamper(database, "UPDATE visit_revision SET record_pdf = :pdf WHERE visit_id = :v", "visit_revision",
            {"pdf": b"%PDF-1.7 forged", "v": vid})
    db.session.expire_all()
    problems = verification.verify(db.session.get(Visit, vid)).problems
    assert "revision 1: the stored full-record PDF does not match its SHA-256" in problems
    forged = as_clinician.get(f"/visits/{vid}/revisions/1/record.pdf")
    assert forged.status_code == 500
    assert b"forged" not in forged.data
    assert as_clinician.get(f"/visits/{vid}/revisions/1/summary.pdf").status_code == 200  # still intact


@pytest.mark.parametrize("number", ["9223372036854775808", "2147483648", "-1", "²", "1.0", "", "0"])
def test_a_revision_number_that_cannot_name_one_is_not_found(app, users, as_clinician, number):
    # Found by the fuzz: a number beyond the INTEGER column made the database driver raise (a 500).
    visit = ready_visit(users.clinician)
    for url in (f"/visits/{visit.id}/revisions/diff?a={number}&b=1",
                f"/visits/{visit.id}/revisions/diff?a=1&b={number}"):
        assert as_clinician.get(url).status_code == 404
