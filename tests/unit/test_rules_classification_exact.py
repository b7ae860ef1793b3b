"""ICD-11 CPSS (MG30.21) criteria spelled out in full: each criterion's exact status and evidence,
the 3-month boundary of criterion (b), and the clinician's own ICD answers as the fallback.

Written against the mutation run (tests/MUTATION.md): the criteria's evidence, the ``>=`` at
3 months and the clinician fallback were not checked by any test. Criteria are compared as plain
tuples ``(criterion, status, evidence, unverified)``.
"""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.classification import icd11_cpss_check
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS

TODAY = date(2025, 6, 1)
NEGATIVE_SCREEN = {key: "no" for key in SCREEN_KEYS}
A = "(a) Prior spinal surgery"
B = "(b) Pain >= 3 months after the most recent surgery"
C = "(c) Red flags screened and negative or addressed (infection, malignancy excluded)"


def criteria(answers: dict, red_flags_clear=None) -> list[tuple]:
    return [tuple(c) for c in icd11_cpss_check(VisitData(answers), red_flags_clear, today=TODAY).criteria]


def test_all_met_from_the_records_in_full() -> None:
    report = icd11_cpss_check(VisitData({
        "surgical_history": {"n_prior_operations": 2, "months_since_last": 16},
        "red_flags": NEGATIVE_SCREEN,
    }), today=TODAY)
    assert [tuple(c) for c in report.criteria] == [
        (A, "met", "2 operation(s) recorded", False),
        (B, "met", "16 months since the last operation", False),
        (C, "met", "red-flag screen negative", False),
    ]
    assert report.title == "ICD-11 chronic pain after spinal surgery (CPSS, MG30.21) / PSPS-T2"
    assert report.source.startswith("ICD-11 MG30.21 chronic postsurgical pain; Christelis et al., Pain Med 2021")
    assert report.notes == (
        "PSPS-T2 is a proposed term; ICD-11's title is chronic pain after spinal surgery",
        "The postsurgical aetiology should be highly probable; pain continuing from a pre-existing problem "
        "does not count",
    )
    assert report.status == "met"


@pytest.mark.parametrize(("months", "status"), [
    ("2.9", "unmet"), ("3", "met"), ("3.0", "met"), ("3.1", "met"), ("0", "unmet"),
])
def test_three_months_is_enough(months: str, status: str) -> None:
    """ICD-11 MG30.21: pain persisting at least 3 months after the surgery."""
    (_a, b, _c) = criteria({"surgical_history": {"months_since_last": months}})
    assert b[:2] == (B, status)


def test_months_from_the_operation_dates_to_the_visit_date() -> None:
    ops = [{"date": "2020-01-01"}, {"date": "2025-03-01"}]
    # 2025-03-01 -> 2025-06-01 is 92 days = 3.02 months (30.4375 days a month), one decimal: 3.0
    (a, b, _c) = criteria({"surgical_history": {"operations": ops}, "visit": {"visit_date": "2025-06-01"}})
    assert a == (A, "met", "2 operation(s) recorded", False)
    assert b == (B, "met", "last operation 2025-03-01, 3 months before the visit", False)
    # 2025-03-01 -> 2025-05-30 is 90 days = 2.96 -> 3.0 months after rounding to one decimal: met
    (_a, b, _c) = criteria({"surgical_history": {"operations": ops}, "visit": {"visit_date": "2025-05-30"}})
    assert b == (B, "met", "last operation 2025-03-01, 3 months before the visit", False)
    # 88 days = 2.89 -> 2.9 months: unmet
    (_a, b, _c) = criteria({"surgical_history": {"operations": ops}, "visit": {"visit_date": "2025-05-28"}})
    assert b == (B, "unmet", "last operation 2025-03-01, 2.9 months before the visit", False)
    # 138 days = 4.53 months -> 4.5, the last of the two operations counts; no visit date: today
    (_a, b, _c) = criteria({"surgical_history": {"operations": [{"date": "2025-01-14"}, {"date": "2019-01-01"}]}})
    assert b == (B, "met", "last operation 2025-01-14, 4.5 months before the visit", False)


def test_the_clinicians_answers_fill_the_gaps_with_their_value_as_evidence() -> None:
    assert criteria({"differential": {"icd_prior_spinal_surgery": "yes", "icd_pain_3_months": "no",
                                      "icd_red_flags_addressed": "yes"}}, red_flags_clear=lambda d: None) == [
        (A, "met", "clinician: yes", False),
        (B, "unmet", "clinician: no", False),
        (C, "met", "red flags recorded as addressed (clinician)", False),
    ]
    assert criteria({"differential": {"icd_prior_spinal_surgery": "no", "icd_pain_3_months": "yes"}}) == [
        (A, "unmet", "clinician: no", False),
        (B, "met", "clinician: yes", False),
        (C, "unknown", "red-flag screen not done", False),
    ]


def test_with_nothing_recorded_every_criterion_is_unknown_and_says_why() -> None:
    assert criteria({}) == [
        (A, "unknown", "no surgery recorded", False),
        (B, "unknown", "date of last operation unknown", False),
        (C, "unknown", "red-flag screen not done", False),
    ]
    # 'unknown' from the clinician is not an answer either
    assert criteria({"differential": {"icd_prior_spinal_surgery": "unknown", "icd_pain_3_months": "unknown"}})[:2] == [
        (A, "unknown", "no surgery recorded", False),
        (B, "unknown", "date of last operation unknown", False),
    ]


def test_recorded_surgery_wins_over_the_clinicians_answer() -> None:
    (a, b, _c) = criteria({"surgical_history": {"n_prior_operations": 0, "months_since_last": "2"},
                           "differential": {"icd_prior_spinal_surgery": "yes", "icd_pain_3_months": "yes"}})
    assert a == (A, "unmet", "0 operation(s) recorded", False)
    assert b == (B, "unmet", "2 months since the last operation", False)


def test_red_flag_screen_evidence() -> None:
    fever = {**NEGATIVE_SCREEN, "rf_inf_fever": "yes"}
    assert criteria({"red_flags": fever})[2] == (C, "unmet", "positive: Fever, systemically unwell or sepsis", False)
    assert criteria({"red_flags": fever, "differential": {"icd_red_flags_addressed": "yes"}})[2] == (
        C, "met", "positive: Fever, systemically unwell or sepsis (recorded as addressed by the clinician)", False)
    assert criteria({"red_flags": fever, "differential": {"icd_red_flags_addressed": "no"}})[2][1] == "unmet"
    two_open = {**NEGATIVE_SCREEN, "rf_mal_night_pain": "unknown", "rf_inf_fever": ""}
    assert criteria({"red_flags": two_open})[2] == (C, "unknown", "2 screen item(s) unanswered or unknown", False)
    assert criteria({"red_flags": two_open, "differential": {"icd_red_flags_addressed": "yes"}})[2] == (
        C, "met", "2 screen item(s) unanswered or unknown; recorded as addressed by the clinician", False)
    assert criteria({"differential": {"icd_red_flags_addressed": "yes"}})[2] == (
        C, "met", "red-flag screen not done; recorded as addressed by the clinician", False)


def test_a_red_flag_kept_as_a_list_counts_when_it_holds_yes() -> None:
    listed = {**NEGATIVE_SCREEN, "rf_inf_fever": ["yes"]}
    assert criteria({"red_flags": listed})[2][:2] == (C, "unmet")
    not_yes = {**NEGATIVE_SCREEN, "rf_inf_fever": ["no"]}
    assert criteria({"red_flags": not_yes})[2] == (C, "met", "red-flag screen negative", False)


def test_a_red_flag_check_given_by_the_caller() -> None:
    data = {"red_flags": {"rf_inf_fever": "yes"}}
    assert criteria(data, lambda d: True)[2] == (C, "met", "red-flag screen negative", False)
    assert criteria(data, lambda d: False)[2] == (C, "unmet", "red-flag screen positive", False)
    assert criteria(data, lambda d: None)[2] == (C, "unknown", "red-flag screen not established", False)
    seen = []
    criteria(data, lambda d: seen.append(d.answers) or True)
    assert seen == [data]  # the check reads this visit's data


def test_several_positive_red_flags_are_listed_and_an_unknown_key_is_kept_as_is() -> None:
    screen = {**NEGATIVE_SCREEN, "rf_inf_fever": "yes", "rf_inf_wound": "yes", "rf_legacy_item": "yes"}
    assert criteria({"red_flags": screen})[2] == (
        C, "unmet", "positive: Fever, systemically unwell or sepsis; Wound redness, discharge or dehiscence; "
                    "rf_legacy_item", False)
