"""Scores, bands, alerts and pointers appear as soon as a section is saved: on the section page,
on the summary, and (for alerts) in a banner on every page of the visit until acknowledged."""

from __future__ import annotations

import pytest

from tests.web.conftest import field_error
from tests.web.conftest import soup
from tests.web.visits_support import alert_row
from tests.web.visits_support import audit_rows
from tests.web.visits_support import days_ago
from tests.web.visits_support import post_section
from tests.web.visits_support import score_row
from tests.web.visits_support import section_url
from tests.web.visits_support import start_visit
from tests.web.visits_support import visible_text


@pytest.fixture
def visit_id(as_clinician, patient) -> int:
    return start_visit(as_clinician, patient.id, days_ago(2))


def banner(page) -> str:
    """The red banner of pending alerts ('' when none)."""
    node = soup(page).find(class_="alert-banner")
    return " ".join(node.get_text(" ").split()) if node else ""


def acknowledged_record(page) -> str:
    """The quiet record of acknowledged alerts shown instead of the red banner."""
    node = soup(page).find(class_="alert-record")
    return " ".join(node.get_text(" ").split()) if node else ""


# clinical-reference.md 2.1, worked example: 2,3,2,1,3,2,2,1,2,2 -> 20/50 -> 40.0, moderate (upper boundary)
ODI_EXAMPLE = dict(zip([f"odi_{n}" for n in range(1, 11)], "2,3,2,1,3,2,2,1,2,2".split(","), strict=True))


def test_the_odi_worked_example_is_shown_and_stored_right_after_save(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "odi", ODI_EXAMPLE)
    assert response.status_code == 302
    page = as_clinician.get(response.location)
    box = soup(page).select_one("aside.computed .result")
    assert box is not None
    text = " ".join(box.select_one(".result-head").get_text(" ").split())
    assert box.select_one(".score").get_text(strip=True) == "40"
    assert text == "ODI : 40 — Moderate disability (10/10 answered)"
    score = score_row(visit_id, "odi")
    assert (score.score, score.band, score.n_answered, score.n_items) == (40.0, "moderate", 10, 10)
    summary = visible_text(as_clinician.get(f"/visits/{visit_id}"))
    assert "Moderate disability" in summary


def test_the_odi_published_missing_section_example(as_clinician, visit_id):
    answers = dict(zip([f"odi_{n}" for n in range(1, 11)], "3,3,1,2,2,2,1,,2,0".split(","), strict=True))
    post_section(as_clinician, visit_id, "odi", {k: v for k, v in answers.items() if v})
    score = score_row(visit_id, "odi")
    assert round(score.score, 2) == 35.56
    assert score.band == "moderate"
    assert score.n_answered == 9
    page = soup(as_clinician.get(section_url(visit_id, "odi")))
    assert page.select_one("aside.computed .result .score").get_text(strip=True) == "35.6"


def test_the_nrs_is_scored_from_the_visit_section(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "visit", {"nrs_recall": "7d", "back_nrs_now": "7", "leg_nrs_now": "3"})
    assert score_row(visit_id, "back_nrs_now").score == 7
    assert score_row(visit_id, "leg_nrs_now").score == 3
    assert score_row(visit_id, "back_nrs_avg") is None


PHQ_ITEM9 = {**{f"phq9_{n}": "0" for n in range(1, 9)}, "phq9_9": "1"}


def test_phq9_item9_raises_a_banner_on_every_page_until_acknowledged(as_clinician, visit_id, users):
    response = post_section(as_clinician, visit_id, "phq9", PHQ_ITEM9)
    assert response.status_code == 302
    alert = alert_row(visit_id, "phq9_item9")
    assert alert.must_acknowledge
    assert alert.pending
    assert alert.evidence == ["PHQ-9 item 9 = 1"]
    assert score_row(visit_id, "phq9").score == 1  # whatever the total
    pages = [section_url(visit_id, key) for key in ("visit", "odi", "phq9", "plan")] + [f"/visits/{visit_id}"]
    for url in pages:
        text = banner(as_clinician.get(url))
        assert "PHQ-9 item 9 = 1" in text, url
        assert "Acknowledge with action taken" in text, url

    ack_url = f"/visits/{visit_id}/alerts/{alert.id}"
    page = as_clinician.get(ack_url)
    assert "local suicide-risk assessment protocol" in visible_text(page)  # the advised action
    response = as_clinician.post(ack_url, data={"action_taken": "   "})
    assert response.status_code == 200
    assert field_error(soup(response), "action_taken") == "Describe the action taken."
    assert alert_row(visit_id, "phq9_item9").pending
    assert audit_rows(visit_id, "acknowledge_alert") == []

    action = "Asked directly: no plan or intent; safety plan agreed, GP informed."
    response = as_clinician.post(f"{ack_url}?back=/visits/{visit_id}/sections/odi", data={"action_taken": action})
    assert response.status_code == 302
    assert response.location == section_url(visit_id, "odi")
    alert = alert_row(visit_id, "phq9_item9")
    assert not alert.pending
    assert alert.action_taken == action
    assert alert.acknowledged_by_id == users.clinician.id
    [event] = audit_rows(visit_id, "acknowledge_alert")
    assert event.changes == {"phq9_item9": [None, action]}
    assert event.user_id == users.clinician.id
    for url in pages:
        page = as_clinician.get(url)
        assert banner(page) == "", url
        text = acknowledged_record(page)
        assert "PHQ-9 item 9 = 1" in text, url
        chip = soup(page).select_one(".alert-record details.alert-chip summary").get_text(" ", strip=True)
        assert chip.startswith("Alert acknowledged: "), url
        assert "— Dr Carl Clinician " in chip, url
        assert f"Action taken: {action}" in text, url
    assert soup(as_clinician.get(ack_url)).find("textarea") is None  # nothing left to acknowledge

    # Changed evidence (item 9 = 2) needs a fresh acknowledgement.
    post_section(as_clinician, visit_id, "phq9", dict(PHQ_ITEM9, phq9_9="2"))
    alert = alert_row(visit_id, "phq9_item9")
    assert alert.pending
    assert alert.evidence == ["PHQ-9 item 9 = 2"]
    assert alert.action_taken is None
    assert "Acknowledge with action taken" in banner(as_clinician.get(section_url(visit_id, "visit")))

    as_clinician.post(ack_url, data={"action_taken": action})
    assert not alert_row(visit_id, "phq9_item9").pending

    # Item 9 back to 0: the alert goes; the same evidence coming back needs a new acknowledgement.
    post_section(as_clinician, visit_id, "phq9", dict(PHQ_ITEM9, phq9_9="0"))
    assert not alert_row(visit_id, "phq9_item9").active
    page = as_clinician.get(section_url(visit_id, "visit"))
    assert banner(page) == ""
    assert acknowledged_record(page) == ""
    post_section(as_clinician, visit_id, "phq9", dict(PHQ_ITEM9, phq9_9="2"))
    alert = alert_row(visit_id, "phq9_item9")
    assert alert.active
    assert alert.pending
    assert "PHQ-9 item 9 = 2" in banner(as_clinician.get(f"/visits/{visit_id}"))


def test_an_unanswered_item9_prompts_to_ask_directly(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "phq9", {f"phq9_{n}": "1" for n in range(1, 9)})
    alert = alert_row(visit_id, "phq9_item9_unanswered")
    assert alert.active
    assert not alert.must_acknowledge
    assert "ask directly" in visible_text(as_clinician.get(f"/visits/{visit_id}"))


def test_a_red_flag_raises_a_banner_with_the_advised_action(as_clinician, visit_id):
    response = post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "yes", "rf_fx_trauma": "no"})
    assert response.status_code == 302
    text = banner(as_clinician.get(section_url(visit_id, "examination")))
    assert "Red flag: suspected cauda equina syndrome" in text
    assert "Saddle / perianal / genital numbness or altered sensation: yes" in text
    assert "Advised: Immediate same-day referral; emergency MRI lumbosacral spine" in text
    alert = alert_row(visit_id, "red_flag.cauda_equina")
    assert alert.severity == "critical"
    assert alert.pending
    summary = visible_text(as_clinician.get(f"/visits/{visit_id}"))
    assert "Immediate same-day referral; emergency MRI lumbosacral spine" in summary
    page = visible_text(as_clinician.get(f"/visits/{visit_id}/alerts/{alert.id}"))
    assert "Advised action: Immediate same-day referral" in page
    # "no" clears it
    post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "no"})
    assert not alert_row(visit_id, "red_flag.cauda_equina").active
    assert banner(as_clinician.get(section_url(visit_id, "examination"))) == ""


def test_an_acknowledgement_is_never_overwritten(as_clinician, visit_id, users):
    post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "yes", "rf_pvr_ml": "80"})
    alert = alert_row(visit_id, "red_flag.cauda_equina")
    url = f"/visits/{visit_id}/alerts/{alert.id}"
    as_clinician.post(url, data={"action_taken": "Emergency MRI: no compression."})
    response = as_clinician.post(url, data={"action_taken": "Something else"})
    assert response.status_code == 302
    alert = alert_row(visit_id, "red_flag.cauda_equina")
    assert alert.action_taken == "Emergency MRI: no compression."
    assert len(audit_rows(visit_id, "acknowledge_alert")) == 1
    # an alert that needs no acknowledgement (a warning) cannot be "acknowledged" either
    post_section(as_clinician, visit_id, "phq9", {"phq9_1": "1"})
    warning = alert_row(visit_id, "phq9_item9_unanswered")
    as_clinician.post(f"/visits/{visit_id}/alerts/{warning.id}", data={"action_taken": "asked"})
    assert alert_row(visit_id, "phq9_item9_unanswered").acknowledged_at is None


def test_an_alert_of_another_visit_is_not_found(as_clinician, patient, visit_id):
    post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "yes"})
    other = start_visit(as_clinician, patient.id, days_ago(1), "follow_up")
    alert = alert_row(visit_id, "red_flag.cauda_equina")
    assert as_clinician.get(f"/visits/{other}/alerts/{alert.id}").status_code == 404
    assert as_clinician.post(f"/visits/{other}/alerts/{alert.id}", data={"action_taken": "x"}).status_code == 404
    assert as_clinician.get(f"/visits/{visit_id}/alerts/999").status_code == 404
    assert alert_row(visit_id, "red_flag.cauda_equina").pending


def test_acknowledge_never_redirects_off_site(as_clinician, visit_id):
    post_section(as_clinician, visit_id, "red_flags", {"rf_ces_saddle": "yes"})
    alert = alert_row(visit_id, "red_flag.cauda_equina")
    response = as_clinician.post(f"/visits/{visit_id}/alerts/{alert.id}?back=https://evil.example/x",
                                 data={"action_taken": "Referred"})
    assert response.status_code == 302
    assert response.location == f"/visits/{visit_id}"


def test_a_no_relief_operation_shows_its_pointer_on_the_differential_and_summary(as_clinician, visit_id):
    data = {"operations-0-date": "2023-06-01", "operations-0-procedure": "microdiscectomy",
            "operations-0-immediate_outcome": "unchanged"}
    assert post_section(as_clinician, visit_id, "surgical_history", data).status_code == 302
    post_section(as_clinician, visit_id, "visit", {"pain_vs_preop": "same"})
    for url in (section_url(visit_id, "differential"), f"/visits/{visit_id}"):
        pointers = soup(as_clinician.get(url)).select("li.pointer")
        texts = [" ".join(p.get_text(" ").split()) for p in pointers]
        [text] = [t for t in texts if "No relief at all after the index operation" in t]
        assert "Operation 1 (2023-06-01, Microdiscectomy): immediate outcome 'unchanged'" in text, url
        assert "Current pain the same as before surgery" in text
        # Its published source, not its rule id (issue 10: rule ids stay in the dictionary and the audit).
        assert "Timing heuristic (Sebaaly et al., Asian Spine J 2018" in text
        assert "timing.no_relief" not in text
    # the section it comes from shows it too; an improved outcome removes it
    assert "No relief at all" in visible_text(as_clinician.get(section_url(visit_id, "surgical_history")))
    data["operations-0-immediate_outcome"] = "improved"
    post_section(as_clinician, visit_id, "surgical_history", data)
    assert "No relief at all" not in visible_text(as_clinician.get(f"/visits/{visit_id}"))


def test_block_outcomes_are_shown_with_their_rule(as_clinician, visit_id):
    data = {"blocks_status": "yes", "blocks-0-type": "sij", "blocks-0-side": "left", "blocks-0-date": days_ago(20),
            "blocks-0-relief_pct": "80", "blocks-0-duration_hours": "3", "blocks-0-concordant": "yes",
            "blocks-1-type": "mbb", "blocks-1-level": "L4-L5", "blocks-1-side": "left", "blocks-1-date": days_ago(10),
            "blocks-1-relief_pct": "40", "blocks-1-concordant": "yes"}
    assert post_section(as_clinician, visit_id, "blocks", data).status_code == 302
    outcomes = [" ".join(p.get_text(" ").split())
                for p in soup(as_clinician.get(section_url(visit_id, "blocks"))).select(".block-outcome")]
    assert outcomes[0].startswith("Block 1: positive")
    assert ">=75% relief" in outcomes[0]
    assert outcomes[1].startswith("Block 2: negative")
    assert ">=50% relief" in outcomes[1]
