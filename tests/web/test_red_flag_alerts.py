"""Alerts that mean something, on the pages: a risk factor alone warns in the section and the
summary without a banner; an acknowledged alert folds to a one-line chip on every visit page
(its full text in the summary); a red flag acknowledged at the previous visit and unchanged is
shown as acknowledged earlier, not raised anew; "No to all" records each blank item as "no" and
keeps every answer given; candidacy on the summary says "not met until addressed"."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from tests.web.conftest import soup
from tests.web.visits_support import alert_row
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import stored
from tests.web.visits_support import visible_text

NEGATIVE = {key: "no" for key in SCREEN_KEYS}
FEVER = "Fever, systemically unwell or sepsis: yes"
ACTION = "Bloods (CRP, WBC, cultures) sent; MRI with gadolinium booked today."
PAGES = ("visit", "red_flags", "examination", "plan")


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(40))


def _banner(page) -> str:
    node = soup(page).find(class_="alert-banner")
    return " ".join(node.get_text(" ").split()) if node else ""


def _chips(page) -> list[str]:
    return [" ".join(s.get_text(" ").split()) for s in soup(page).select(".alert-record details.alert-chip > summary")]


def _acknowledge(client, visit_id: int, kind: str) -> None:
    alert = alert_row(visit_id, kind)
    response = client.post(f"/visits/{visit_id}/alerts/{alert.id}", data={"action_taken": ACTION})
    assert response.status_code == 302


def test_a_risk_factor_alone_warns_in_the_section_and_summary_without_a_banner(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "red_flags", {**NEGATIVE, "rf_inf_diabetes": "yes"})
    alert = alert_row(visit_id, "red_flag_risk.infection")
    assert (alert.severity, alert.must_acknowledge, alert.pending) == ("warning", False, False)
    assert alert_row(visit_id, "red_flag.infection") is None
    section = as_clinician.get(section_url(visit_id, "red_flags"))
    assert _banner(section) == ""
    computed = " ".join(soup(section).select_one("aside.computed").get_text(" ").split())
    assert "raises the suspicion of infection if fever, wound signs or raised ESR/CRP" in computed
    assert "Downie et al., BMJ 2013;347:f7095" in computed
    summary = as_clinician.get(f"/visits/{visit_id}")
    assert _banner(summary) == ""
    assert "raises the suspicion of infection if fever, wound signs or raised ESR/CRP" in visible_text(summary)
    sign = visible_text(as_clinician.get(f"/visits/{visit_id}/sign"))
    assert "Alert not acknowledged" not in sign


def test_a_risk_factor_with_a_related_feature_raises_the_banner(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "red_flags", {**NEGATIVE, "rf_inf_diabetes": "yes", "rf_inf_fever": "yes"})
    alert = alert_row(visit_id, "red_flag.infection")
    assert alert.pending
    assert alert.evidence == [FEVER, "Diabetes: yes (risk factor)"]
    assert alert_row(visit_id, "red_flag_risk.infection") is None
    assert "Diabetes: yes (risk factor)" in _banner(as_clinician.get(section_url(visit_id, "examination")))


def test_an_acknowledged_alert_is_a_one_line_chip_on_every_page(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "red_flags", {**NEGATIVE, "rf_inf_fever": "yes"})
    for key in PAGES:
        assert "Acknowledge with action taken" in _banner(as_clinician.get(section_url(visit_id, key)))
        assert _chips(as_clinician.get(section_url(visit_id, key))) == []
    _acknowledge(as_clinician, visit_id, "red_flag.infection")
    alert = alert_row(visit_id, "red_flag.infection")
    at = alert.acknowledged_at.strftime("%H:%M UTC")
    day = alert.acknowledged_at.date().isoformat()
    when = at if day == days_ago(40) else f"{day} {at}"
    expected = f"Red flag acknowledged: possible infection — Dr Carl Clinician {when}"
    for url in [section_url(visit_id, key) for key in PAGES] + [f"/visits/{visit_id}"]:
        page = as_clinician.get(url)
        assert _banner(page) == "", url
        assert _chips(page) == [expected], url
        details = soup(page).select_one(".alert-record details.alert-chip")
        assert not details.has_attr("open")  # folded: one line until opened
        assert ACTION in details.get_text(" ")  # the full text one click away
        assert "<script" not in str(soup(page).select_one(".alert-record"))
    # the summary keeps the full text in its table
    table = " ".join(soup(as_clinician.get(f"/visits/{visit_id}")).select_one("#alerts-h").find_next("table")
                     .get_text(" ").split())
    assert "Urgent bloods (ESR/CRP, WBC, blood cultures) and MRI with gadolinium" in table
    stamp = alert.acknowledged_at.strftime("%Y-%m-%d %H:%M")
    assert f"Acknowledged by Dr Carl Clinician, {stamp} UTC: {ACTION}" in table


def test_a_red_flag_acknowledged_at_the_previous_visit_and_unchanged_is_not_raised_anew(as_clinician, patient,
                                                                                     visit_id):
    post_section(as_clinician, visit_id, "red_flags", {**NEGATIVE, "rf_mal_cancer_history": "yes"})
    _acknowledge(as_clinician, visit_id, "red_flag.malignancy")
    first = alert_row(visit_id, "red_flag.malignancy")
    second_id = start_visit(as_clinician, patient.id, days_ago(2), "follow_up")
    post_section(as_clinician, second_id, "red_flags", {**NEGATIVE, "rf_mal_cancer_history": "yes"})
    again = alert_row(second_id, "red_flag.malignancy")
    assert again.active
    assert again.must_acknowledge
    assert again.acknowledged_at is None
    assert not again.pending
    assert again.earlier_acknowledgement == {
        "visit_id": visit_id, "visit_date": days_ago(40), "by": "Dr Carl Clinician",
        "at": first.acknowledged_at.strftime("%Y-%m-%d %H:%M UTC"), "action": ACTION}
    page = as_clinician.get(section_url(second_id, "examination"))
    assert _banner(page) == ""
    assert _chips(page) == [
        f"Red flag acknowledged earlier (visit of {days_ago(40)}): possible malignancy — Dr Carl Clinician "
        f"{first.acknowledged_at.strftime('%Y-%m-%d %H:%M UTC')}"]
    assert f"Action taken (at the visit of {days_ago(40)}): {ACTION}" in " ".join(
        soup(page).select_one(".alert-record").get_text(" ").split())
    summary = visible_text(as_clinician.get(f"/visits/{second_id}"))
    assert f"Acknowledged earlier, at the visit of {days_ago(40)}, by Dr Carl Clinician" in summary
    assert "Alert not acknowledged" not in visible_text(as_clinician.get(f"/visits/{second_id}/sign"))
    ack_page = as_clinician.get(f"/visits/{second_id}/alerts/{again.id}")
    assert soup(ack_page).find("textarea") is None  # nothing to acknowledge again
    assert "Unchanged since, so not raised anew." in visible_text(ack_page)
    refused = as_clinician.post(f"/visits/{second_id}/alerts/{again.id}", data={"action_taken": "again"})
    assert refused.status_code == 302
    assert alert_row(second_id, "red_flag.malignancy").acknowledged_at is None
    # changed (a new feature of the same condition): raised anew, to acknowledge at this visit
    post_section(as_clinician, second_id, "red_flags",
                 {**NEGATIVE, "rf_mal_cancer_history": "yes", "rf_mal_weight_loss": "yes"})
    changed = alert_row(second_id, "red_flag.malignancy")
    assert changed.pending
    assert changed.earlier_acknowledgement is None
    assert "Acknowledge with action taken" in _banner(as_clinician.get(section_url(second_id, "examination")))


def test_a_red_flag_pending_at_the_previous_visit_is_raised_anew(as_clinician, patient, visit_id):
    post_section(as_clinician, visit_id, "red_flags", {**NEGATIVE, "rf_inf_fever": "yes"})
    second_id = start_visit(as_clinician, patient.id, days_ago(2), "follow_up")
    post_section(as_clinician, second_id, "red_flags", {**NEGATIVE, "rf_inf_fever": "yes"})
    assert alert_row(second_id, "red_flag.infection").pending


def test_no_to_all_records_each_blank_item_as_no_and_keeps_the_yes(as_clinician, visit_id):
    page = soup(as_clinician.get(section_url(visit_id, "red_flags")))
    button = page.find("button", attrs={"name": "_action", "value": "no_to_all"})
    assert button is not None
    assert button.find_parent("form")["id"] == "section-form"  # a plain submit: no script needed
    response = post_section(as_clinician, visit_id, "red_flags",
                            {"rf_inf_fever": "yes", "rf_fx_trauma": "unknown", "rf_notes": "seen at 9"},
                            action="no_to_all")
    assert response.status_code == 302
    answers = stored(visit_id, "red_flags")
    assert answers["rf_inf_fever"] == "yes"
    assert answers["rf_fx_trauma"] == "unknown"
    assert answers["rf_notes"] == "seen at 9"
    assert {k for k in SCREEN_KEYS if answers[k] == "no"} == set(SCREEN_KEYS) - {"rf_inf_fever", "rf_fx_trauma"}
    [event] = [e for e in audit_rows(visit_id, "update") if "red_flags.rf_ces_saddle" in (e.changes or {})]
    assert event.changes["red_flags.rf_ces_saddle"] == [None, "no"]  # each item recorded, audited
    page = as_clinician.get(response.location)
    text = visible_text(page)
    assert "No to all: 27 unanswered items recorded as 'no'; 1 'yes' answer kept as given." in text
    assert soup(page).find("input", attrs={"name": "rf_inf_fever", "value": "yes"}).has_attr("checked")
    assert alert_row(visit_id, "red_flag.infection").pending
    # again: nothing blank is left, nothing changes
    post_section(as_clinician, visit_id, "red_flags", answers, action="no_to_all")
    assert stored(visit_id, "red_flags") == answers


def test_no_to_all_elsewhere_is_a_plain_save(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "examination", {}, action="no_to_all")
    assert response.status_code == 302
    assert "No to all" not in visible_text(as_clinician.get(response.location))


def test_the_summary_says_scs_is_not_met_until_the_infection_is_addressed(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "red_flags",
                 {**NEGATIVE, "rf_inf_fever": "yes", "rf_inf_wound": "yes", "rf_inf_raised_markers": "yes"})
    text = visible_text(as_clinician.get(f"/visits/{visit_id}"))
    assert "Not met until addressed: possible infection (red flag)." in text
    assert "No red flag left unaddressed (local or systemic infection is a contraindication to SCS)" in text
    post_section(as_clinician, visit_id, "red_flags",
                 {**NEGATIVE, "rf_inf_fever": "yes", "rf_inf_wound": "yes", "rf_inf_raised_markers": "yes",
                  "rf_addressed": "infection"})
    assert "Not met until addressed" not in visible_text(as_clinician.get(f"/visits/{visit_id}"))
