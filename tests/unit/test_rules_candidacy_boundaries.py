"""SCS candidacy (NICE TA159, clinical-reference 3.g and section 0) at its boundaries, criterion by
criterion with the exact evidence: pain >= 6 months, >= 50 mm on a 0-100 mm VAS, a trial with
>= 50% relief, an MDT review on or before the visit, and the PHQ-9 >= 20 note.

Written against the mutation run (tests/MUTATION.md): each ``>=`` here could become ``>`` and the
suite still passed.
"""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.candidacy import scs_candidacy
from fbss_eval.checklist.schema import Result
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

TODAY = date(2025, 6, 1)


def criterion(answers: dict, starts: str, results: dict | None = None) -> tuple:
    report = scs_candidacy(VisitData(answers, results or {}), DEFAULT_SETTINGS, today=TODAY)
    (found,) = [c for c in report.criteria if c.criterion.startswith(starts)]
    return tuple(found)


@pytest.mark.parametrize(("months", "status", "shown"), [(5.9, "unmet", "5.9"), (6, "met", "6"), (7, "met", "7")])
def test_six_months_of_pain_from_the_visit(months: float, status: str, shown: str) -> None:
    assert criterion({"visit": {"pain_duration_months": months}}, "Pain for") == (
        "Pain for >= 6 months despite conventional management", status, f"current pain for {shown} months (visit)",
        False)


def test_the_clinicians_duration_answer_wins() -> None:
    assert criterion({"plan": {"scs_duration_6_months": "no"}, "visit": {"pain_duration_months": 20}},
                     "Pain for")[1:3] == ("unmet", "clinician: no")
    assert criterion({}, "Pain for")[1:3] == ("unknown", "pain duration not recorded")


@pytest.mark.parametrize(("mm", "status"), [(49, "unmet"), (50, "met"), (51, "met")])
def test_fifty_mm_on_the_vas(mm: int, status: str) -> None:
    assert criterion({"plan": {"scs_vas_mm": mm, "scs_pain_measure": "vas_mm"}}, "Pain >=") == (
        "Pain >= 50 mm on a 0-100 mm VAS", status, f"VAS {mm} mm", False)


def test_an_nrs_proxy_is_labelled_unverified() -> None:
    assert criterion({"plan": {"scs_vas_mm": 50, "scs_pain_measure": "nrs_proxy"}}, "Pain >=") == (
        "Pain >= 50 mm on a 0-100 mm VAS", "met",
        "NRS x 10 = 50 (proxy: an NRS is not formally equivalent to the VAS)", True)
    assert criterion({"visit": {"back_nrs_avg": 6, "leg_nrs_avg": 8}}, "Pain >=")[1:3] == (
        "unknown", "no VAS recorded; back NRS 6/10; leg NRS 8/10; an NRS is not formally equivalent to the VAS")
    assert criterion({}, "Pain >=")[1:3] == ("unknown", "no VAS recorded")


@pytest.mark.parametrize(("relief", "status"), [(49, "unmet"), (50, "met"), (80, "met")])
def test_a_trial_needs_fifty_percent_relief(relief: int, status: str) -> None:
    plan = {"scs_trial_relief_pct": relief, "scs_trial_start": "2025-04-01", "scs_trial_end": "2025-04-08",
            "scs_trial_function": "walks further"}
    assert criterion({"plan": plan}, "Successful trial") == (
        "Successful trial of stimulation (>= 50% relief)", status,
        f"{relief}% relief; trial 2025-04-01 to 2025-04-08; function: walks further", False)
    assert criterion({"plan": {"scs_trial_relief_pct": relief}}, "Successful trial")[2] == f"{relief}% relief"
    assert criterion({}, "Successful trial")[1:3] == ("unknown", "trial relief not recorded")


@pytest.mark.parametrize(("review", "status", "evidence"), [
    ("2025-06-01", "met", "MDT review 2025-06-01"),  # on the day of the visit
    ("2025-05-31", "met", "MDT review 2025-05-31"),
    ("2025-06-02", "unknown", "MDT review scheduled for 2025-06-02"),
])
def test_an_mdt_review_counts_from_its_day(review: str, status: str, evidence: str) -> None:
    assert criterion({"plan": {"scs_mdt_review_date": review}}, "Assessed") == (
        "Assessed by a specialist multidisciplinary team", status, evidence, False)


def test_mdt_involvement_recorded_in_treatments() -> None:
    assert criterion({"treatments": {"mdt_involvement": "reviewed", "mdt_date": "2025-01-02"}}, "Assessed")[1:3] == (
        "met", "MDT involvement: reviewed (2025-01-02)")
    assert criterion({"treatments": {"mdt_involvement": "ongoing"}}, "Assessed")[1:3] == (
        "met", "MDT involvement: ongoing")
    assert criterion({"treatments": {"mdt_involvement": "none"}}, "Assessed")[1:3] == (
        "unmet", "no MDT involvement recorded")
    assert criterion({}, "Assessed")[1:3] == ("unknown", "MDT involvement: not recorded")


def test_psychological_evaluation_evidence() -> None:
    assert criterion({"plan": {"scs_psych_eval": "suitable_with_support", "scs_psych_eval_date": "2025-02-02"}},
                     "Psychological")[1:3] == ("met", "psychological evaluation: suitable_with_support (2025-02-02)")
    assert criterion({"plan": {"scs_psych_eval": "not_done"}}, "Psychological")[1:3] == (
        "unmet", "psychological evaluation: not_done")
    assert criterion({}, "Psychological")[1:3] == ("unknown", "psychological evaluation: not recorded")


def test_contraindications_not_reviewed() -> None:
    assert criterion({}, "No relative")[1:3] == ("unknown", "relative contraindications not reviewed")
    assert criterion({}, "No absolute")[1:3] == ("unknown", "absolute contraindications not reviewed")


PHQ_NOTE = "PHQ-9 {score} (severe): weigh 'unresolved major psychiatric comorbidity'"


@pytest.mark.parametrize(("score", "noted"), [(19, False), (20, True), (27, True)])
def test_a_severe_phq9_adds_a_note_from_twenty(score: int, noted: bool) -> None:
    report = scs_candidacy(VisitData({}, {"phq9": Result("phq9", score)}), DEFAULT_SETTINGS, today=TODAY)
    assert (PHQ_NOTE.format(score=score) in report.notes) is noted
    assert len(report.notes) == 2 + noted
