"""Carry-forward to confirm: a follow-up's history sections start "to confirm" (their own state,
not done), name the visit they came from, are confirmed unchanged in one audited click (or by an
edit), and block signing until then; instruments are never carried; a first visit says nothing
about carrying forward; values derived from dates are computed on each visit's date."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from fbss_eval.extensions import db
from fbss_eval.models import User
from fbss_eval.models import Visit
from fbss_eval.models import VisitSection
from fbss_eval.services import carry_forward
from fbss_eval.services import signing
from fbss_eval.services import visits as visit_service
from tests.conftest import PASSWORD
from tests.conftest import login
from tests.pdf.builders import make_complete_visit
from tests.pdf.builders import make_patient
from tests.web.conftest import soup
from tests.web.signing_support import fake_pdfs  # noqa: F401 - fixture
from tests.web.signing_support import ready_visit
from tests.web.test_visits_start import HISTORY
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import nav_status
from tests.web.visits_support import post_section
from tests.web.visits_support import section_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored
from tests.web.visits_support import visible_text

CARRIED = ("surgical_history", "imaging", "electrodiagnostics", "blocks", "treatments")


def confirm_url(visit_id: int, key: str) -> str:
    return f"/visits/{visit_id}/sections/{key}/confirm"


def confirm(client, visit_id: int, key: str, rev: int | str | None = None):  # type: ignore[no-untyped-def]
    row = section_row(visit_id, key)
    posted = rev if rev is not None else (row.rev if row else 0)
    return client.post(confirm_url(visit_id, key), data={"rev": str(posted)})


def done_line(page) -> str:  # type: ignore[no-untyped-def]
    text = visible_text(page)
    found = re.search(r"(\d+) of (\d+) sections done", text)
    assert found, text[:500]
    return found.group(0)


def follow_up_after_history(client, patient) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    first = start_visit(client, patient.id, days_ago(60))
    for key, data in HISTORY.items():
        assert post_section(client, first, key, data).status_code == 302, key
    second = start_visit(client, patient.id, days_ago(1), "follow_up")
    return first, second


def test_carried_sections_are_to_confirm_and_count_as_not_done(as_clinician, patient):
    first, second = follow_up_after_history(as_clinician, patient)
    assert nav_status(as_clinician.get(section_url(first, "visit")), "treatments") == "complete"
    assert section_row(second, "treatments").status == "complete"  # its answers are complete ...

    page = as_clinician.get(section_url(second, "treatments"))
    for key in CARRIED:
        assert nav_status(page, key) == "to_confirm", key  # ... yet it is to confirm
    assert done_line(page).startswith("0 of ")  # and not counted as done
    assert db.session.get(Visit, second).completeness_pct == 0
    box = soup(page).find(id="carried-forward")
    assert box is not None
    assert " ".join(box.get_text(" ").split()).startswith(
        f"To confirm Carried forward from the visit of {days_ago(60)} (initial).")
    link = box.find("a")
    assert link["href"] == f"/visits/{first}"
    form = box.find("form")
    assert form["action"] == confirm_url(second, "treatments")
    assert form.find("button").get_text(strip=True) == "Confirm unchanged"

    assert confirm(as_clinician, second, "treatments").status_code == 302
    page = as_clinician.get(section_url(second, "treatments"))
    assert nav_status(page, "treatments") == "complete"
    assert done_line(page).startswith("1 of ")
    assert soup(page).find(id="carried-forward") is None
    db.session.expire_all()
    visit = db.session.get(Visit, second)
    required = sum(1 for s in visit_service.sections_of(visit) if s.required)
    assert visit.completeness_pct == round(100 / required)  # treatments is required and now done


def test_confirm_unchanged_keeps_the_answers_and_is_audited(as_clinician, patient, users):
    first, second = follow_up_after_history(as_clinician, patient)
    before = section_row(second, "imaging")
    answers, rev = dict(before.answers), before.rev
    response = confirm(as_clinician, second, "imaging")
    assert response.status_code == 302
    assert response.location == section_url(second, "imaging")
    assert "Imaging and bloods: confirmed unchanged." in visible_text(as_clinician.get(response.location))
    db.session.expire_all()
    row = section_row(second, "imaging")
    assert (row.carried_forward_from, row.answers, row.rev, row.updated_by_id) == (
        None, answers, rev + 1, users.clinician.id)
    [event] = audit_rows(second, "confirm_carried_forward")
    assert event.changes == {"imaging.carried_forward_from": [first, None]}
    assert event.user_id == users.clinician.id
    # The other carried sections are still to confirm; the first visit is untouched.
    assert all(section_row(second, key).carried_forward_from == first for key in CARRIED if key != "imaging")
    assert stored(first, "imaging") == answers
    # The history page names it.
    history = visible_text(as_clinician.get(f"/visits/{second}/history"))
    assert "Carried-forward section confirmed unchanged" in history


def test_saving_unchanged_confirms_and_an_edit_confirms_too_both_audited(as_clinician, patient):
    first, second = follow_up_after_history(as_clinician, patient)
    assert post_section(as_clinician, second, "treatments", HISTORY["treatments"]).status_code == 302
    [event] = audit_rows(second, "confirm_carried_forward")
    assert event.changes == {"treatments.carried_forward_from": [first, None]}
    edited = dict(HISTORY["blocks"], **{"blocks-0-relief_pct": "60"})
    assert post_section(as_clinician, second, "blocks", edited).status_code == 302
    [update] = [e for e in audit_rows(second, "update") if any(k.startswith("blocks.") for k in e.changes)]
    assert update.changes == {"blocks.blocks": update.changes["blocks.blocks"],
                              "blocks.carried_forward_from": [first, None]}
    assert section_row(second, "blocks").carried_forward_from is None
    assert section_row(second, "treatments").carried_forward_from is None


def test_confirm_twice_or_a_section_never_carried_changes_nothing(as_clinician, patient):
    _first, second = follow_up_after_history(as_clinician, patient)
    assert confirm(as_clinician, second, "imaging").status_code == 302
    rev = section_row(second, "imaging").rev
    again = confirm(as_clinician, second, "imaging", rev=rev)
    assert again.status_code == 302
    assert "Imaging and bloods: nothing to confirm (already confirmed or edited)." in visible_text(
        as_clinician.get(again.location))
    never = confirm(as_clinician, second, "odi", rev=0)
    assert never.status_code == 302
    assert len(audit_rows(second, "confirm_carried_forward")) == 1
    assert section_row(second, "imaging").rev == rev
    assert section_row(second, "odi") is None


def test_a_stale_page_does_not_confirm(as_clinician, patient):
    _first, second = follow_up_after_history(as_clinician, patient)
    rev = section_row(second, "imaging").rev
    for posted in (rev + 1, "not a number", "", "9" * 30):
        response = confirm(as_clinician, second, "imaging", rev=posted)
        assert response.status_code == 302, posted
        assert "changed since you opened it" in visible_text(as_clinician.get(response.location))
    assert section_row(second, "imaging").carried_forward_from is not None
    assert audit_rows(second, "confirm_carried_forward") == []


def test_only_who_may_edit_confirms(client, patient, users):
    login(client, "carl")
    _first, second = follow_up_after_history(client, patient)
    client.post("/logout")
    login(client, "olga")  # another clinician: reads, may not change
    assert confirm(client, second, "imaging").status_code == 403
    assert section_row(second, "imaging").carried_forward_from is not None
    client.post("/logout")
    login(client, "ada")  # an admin may
    assert confirm(client, second, "imaging").status_code == 302
    assert section_row(second, "imaging").carried_forward_from is None
    [event] = audit_rows(second, "confirm_carried_forward")
    assert event.user_id == users.admin.id


def test_unknown_visit_or_section_is_a_404(as_clinician, patient):
    _first, second = follow_up_after_history(as_clinician, patient)
    assert as_clinician.post(confirm_url(99999, "imaging"), data={"rev": "1"}).status_code == 404
    assert as_clinician.post(confirm_url(second, "nope"), data={"rev": "1"}).status_code == 404
    assert as_clinician.get(confirm_url(second, "imaging")).status_code == 405


def test_confirm_is_refused_on_a_signed_visit(app, users, as_clinician, fake_pdfs):  # noqa: F811
    visit = ready_visit(users.clinician)
    outcome = signing.sign(visit, db.session.get(User, users.clinician.id), PASSWORD, "authored")
    db.session.commit()
    assert outcome.revision is not None
    vid = visit.id
    rows = {key: row.rev for key, row in visit_service.section_rows(visit).items()}
    assert as_clinician.post(confirm_url(vid, "surgical_history"),
                             data={"rev": str(rows["surgical_history"])}).status_code == 403
    section = visit_service.find_section(visit, "surgical_history")
    with pytest.raises(visit_service.NotEditableError):
        carry_forward.confirm_section(visit, section, rows["surgical_history"], users.clinician)
    db.session.rollback()
    assert audit_rows(vid, "confirm_carried_forward") == []


def test_a_first_visit_says_nothing_about_carrying_forward(as_clinician, patient):
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": days_ago(3), "visit_type": "initial"}, follow_redirects=True)
    text = visible_text(response)
    assert "Visit started." in text
    assert "carried forward" not in text.lower()
    vid = db.session.scalar(sa.select(Visit.id))
    assert carry_forward.awaiting(visit_service.section_rows(db.session.get(Visit, vid))) == []


def test_a_follow_up_says_what_came_from_which_visit(as_clinician, patient):
    first = start_visit(as_clinician, patient.id, days_ago(60))
    for key in ("imaging", "treatments", "odi"):
        post_section(as_clinician, first, key, HISTORY[key])
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": days_ago(1), "visit_type": "follow_up"}, follow_redirects=True)
    assert (f"Visit started. Carried forward from the visit of {days_ago(60)}, to confirm unchanged or edit: "
            "Imaging and bloods, Rehabilitation and treatments tried.") in visible_text(response)


def test_a_follow_up_of_a_visit_with_no_history_carries_nothing_and_says_so_not(as_clinician, patient):
    start_visit(as_clinician, patient.id, days_ago(60))  # nothing saved in it
    response = as_clinician.post(f"/patients/{patient.id}/visits/new",
                                 data={"visit_date": days_ago(1), "visit_type": "follow_up"}, follow_redirects=True)
    assert "carried forward" not in visible_text(response).lower()


def test_instruments_and_the_rest_are_never_carried(as_clinician, patient):
    first, second = follow_up_after_history(as_clinician, patient)
    assert stored(first, "odi") != {}
    visit = db.session.get(Visit, second)
    keys = set(db.session.scalars(sa.select(VisitSection.section_key).where(VisitSection.visit_id == second)))
    assert keys == {"visit", *CARRIED}
    instrument_keys = {s.key for s in visit_service.sections_of(visit) if s.instrument}
    assert "odi" in instrument_keys
    assert not keys & instrument_keys
    assert stored(second, "visit") == {"visit_date": days_ago(1), "visit_type": "follow_up"}


# --- signing waits for every carried-forward section -------------------------------------------

def _complete_follow_up(by) -> Visit:  # type: ignore[no-untyped-def]
    patient = make_patient(by, mrn="CARRY-1")
    make_complete_visit(patient, by, date(2025, 1, 10), not_assessed={"differential": "not_applicable"})
    second = make_complete_visit(patient, by, date(2025, 7, 10), skip=CARRIED,
                                 not_assessed={"differential": "not_applicable"})
    for alert in visit_service.active_alerts(second.id):
        if alert.pending:
            visit_service.acknowledge_alert(second, alert, "Discussed; same-week review booked", by)
    db.session.commit()
    return second


def test_signing_is_blocked_until_each_carried_section_is_confirmed(app, users, as_clinician):
    visit = _complete_follow_up(users.clinician)
    vid = visit.id
    blockers = signing.sign_blockers(visit)
    titles = {s.key: s.title for s in visit_service.sections_of(visit)}
    with app.test_request_context():
        assert [(b.message, b.url) for b in blockers] == [
            (f"{titles[key]}: carried forward from the visit of 2025-01-10 and not yet confirmed; "
             "confirm it unchanged or edit it.", f"/visits/{vid}/sections/{key}")
            for key in (s.key for s in visit_service.sections_of(visit)) if key in CARRIED
        ]
    page = as_clinician.get(f"/visits/{vid}/sign")
    assert "carried forward from the visit of 2025-01-10 and not yet confirmed" in visible_text(page)
    assert soup(page).find("input", attrs={"name": "password"}) is None
    for key in CARRIED[:-1]:
        assert confirm(as_clinician, vid, key).status_code == 302
    db.session.expire_all()
    remaining = signing.sign_blockers(db.session.get(Visit, vid))
    assert [b.message.split(":")[0] for b in remaining] == [titles[CARRIED[-1]]]
    assert confirm(as_clinician, vid, CARRIED[-1]).status_code == 302
    db.session.expire_all()
    assert signing.sign_blockers(db.session.get(Visit, vid)) == []
    assert soup(as_clinician.get(f"/visits/{vid}/sign")).find("input", attrs={"name": "password"}) is not None


# --- values derived from dates: computed on each visit's date, never carried ------------------

OPERATION = {
    "records_reviewed": "full",
    "operations-0-date": "2024-01-15", "operations-0-procedure": "fusion_tlif",
    "operations-0-levels": ["L4", "L5"], "operations-0-side": "bilateral",
    "operations-0-immediate_outcome": "improved", "n_prior_operations": "1",
    "current_pain_onset": "2024-07-15",
}


def derived_text(page) -> str:  # type: ignore[no-untyped-def]
    box = soup(page).find(id="derived-values")
    assert box is not None, "no computed values on the page"
    return re.sub(r" ([;,.)])", r"\1", " ".join(box.get_text(" ").split()))


def test_stale_derived_values_are_recomputed_on_the_follow_up(as_clinician, patient):
    """Operation 2024-01-15; visits 2026-01-15 (731 days: 24 months) and 2026-07-15 (912 days:
    30 months). Born 1970-05-17: 55 at the first visit, 56 (over 55) at the follow-up. Onset
    2024-07-15: 182 days after the operation, 6 months (26 weeks)."""
    first = start_visit(as_clinician, patient.id, "2026-01-15")
    assert post_section(as_clinician, first, "surgical_history", OPERATION).status_code == 302
    second = start_visit(as_clinician, patient.id, "2026-07-15", "follow_up")
    assert section_row(second, "surgical_history").carried_forward_from == first

    before = derived_text(as_clinician.get(section_url(first, "surgical_history")))
    after = derived_text(as_clinician.get(section_url(second, "surgical_history")))
    assert "Months since the last operation 24 months computed from the date of operation 1 (2024-01-15) " \
           "and the visit date (2026-01-15)" in before
    assert "Months since the last operation 30 months computed from the date of operation 1 (2024-01-15) " \
           "and the visit date (2026-07-15)" in after
    assert "Time since operation 1 (2024-01-15) 30 months" in after
    assert ("Pain-free interval after the last operation 6 months (26 weeks) computed from the date of "
            "operation 1 (2024-01-15) and the onset of the current pain (2024-07-15)") in after
    assert "months_since_last" not in stored(second, "surgical_history")
    assert "Age on the visit date 55 years; age over 55: no" in derived_text(
        as_clinician.get(section_url(first, "red_flags")))
    assert ("Age on the visit date 56 years; age over 55: yes computed from the date of birth (1970-05-17) "
            "and the visit date (2026-07-15)") in derived_text(as_clinician.get(section_url(second, "red_flags")))
    # The form asks neither: no input for them.
    page = soup(as_clinician.get(section_url(second, "surgical_history")))
    assert page.find(attrs={"name": "months_since_last"}) is None
    assert soup(as_clinician.get(section_url(second, "red_flags"))).find(
        attrs={"name": "rf_fx_age_over_55"}) is None
    # The summary PDF prints the computed values, not an answer.
    summary = as_clinician.get(f"/visits/{second}/pdf")
    assert summary.status_code == 200
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(summary.data)).pages))
    assert "Monthssincethelastoperation(computedfromitsdate):30months" in text
    assert "Pain-freeintervalafterit(computedfromthedates):6months(26weeks)" in text
    # The ICD-11 criterion reads the computed months of each visit.
    evidence = {vid: visit_service.evaluation_of(db.session.get(Visit, vid)).candidacy["icd11"].criteria[1].evidence
                for vid in (first, second)}
    assert evidence == {first: "last operation 2024-01-15, 24 months before the visit",
                        second: "last operation 2024-01-15, 30 months before the visit"}


def test_a_2026_11_1_visit_with_the_removed_answers_still_loads_and_prints(as_clinician, patient, users):
    visit = visit_service.start_visit(patient, users.clinician, date(2026, 7, 15), "follow_up")
    visit.checklist_version = "2026.11.1"
    db.session.flush()
    history = visit_service.find_section(visit, "surgical_history")
    red_flags = visit_service.find_section(visit, "red_flags")
    assert "months_since_last" in {f.key for f in history.fields()}
    visit_service.save_section(visit, history, {
        "records_reviewed": "full", "n_prior_operations": 1, "months_since_last": 24,
        "operations": [{"date": "2024-01-15", "procedure": "fusion_tlif"}]}, 0, users.clinician)
    visit_service.save_section(visit, red_flags, {"rf_fx_age_over_55": "no"}, 0, users.clinician)
    db.session.commit()
    vid = visit.id
    for key in ("surgical_history", "red_flags"):
        page = as_clinician.get(section_url(vid, key))
        assert page.status_code == 200, key
    old_field = soup(as_clinician.get(section_url(vid, "surgical_history"))).find(attrs={"name": "months_since_last"})
    assert old_field is not None
    assert old_field["value"] == "24"  # shown as it was recorded
    assert "30 months" in derived_text(as_clinician.get(section_url(vid, "surgical_history")))
    assert as_clinician.get(f"/visits/{vid}").status_code == 200
    pdf = as_clinician.get(f"/visits/{vid}/record.pdf")
    assert pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    # The rules read the computed age (56 on 2026-07-15), not the old "no".
    evaluation = visit_service.evaluation_of(db.session.get(Visit, vid))
    assert evaluation.derived.age_over_55 is True
