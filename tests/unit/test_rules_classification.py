"""ICD-11 chronic pain after spinal surgery (CPSS) check."""

from __future__ import annotations

from datetime import date

from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.classification import RedFlagCheck
from fbss_eval.checklist.rules.classification import icd11_cpss_check
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS

TODAY = date(2025, 6, 1)
NEGATIVE_SCREEN = {key: "no" for key in SCREEN_KEYS}


def _statuses(data: VisitData, red_flags_clear: RedFlagCheck | None = None) -> list[str]:
    report = icd11_cpss_check(data, red_flags_clear, today=TODAY)
    return [c.status for c in report.criteria]


def test_all_met_from_records_the_dates_over_a_stale_answer() -> None:
    """A 2026.11.1 visit's "months since the last operation" (2: it went stale when carried
    forward) is not read when the operation has a date: 2024-01-10 to 2025-06-01 is 508 days,
    16.7 months."""
    data = VisitData({
        "surgical_history": {"operations": [{"date": "2024-01-10"}], "n_prior_operations": 1,
                             "months_since_last": 2},
        "red_flags": NEGATIVE_SCREEN,
    })
    report = icd11_cpss_check(data, today=TODAY)
    assert [c.status for c in report.criteria] == ["met", "met", "met"]
    assert report.status == "met"
    assert report.criteria[1].evidence == "last operation 2024-01-10, 16.7 months before the visit"


def test_months_computed_from_the_most_recent_operation() -> None:
    ops = [{"date": "2020-01-01"}, {"date": "2025-04-15"}]
    data = VisitData({"surgical_history": {"operations": ops}, "red_flags": NEGATIVE_SCREEN})
    report = icd11_cpss_check(data, today=TODAY)
    assert report.criteria[0].status == "met"
    assert "2 operation(s)" in report.criteria[0].evidence
    assert report.criteria[1].status == "unmet"
    assert "2025-04-15" in report.criteria[1].evidence
    with_visit = VisitData({"surgical_history": {"operations": ops},
                            "visit": {"visit_date": "2025-08-01"}})
    assert icd11_cpss_check(with_visit, today=TODAY).criteria[1].status == "met"


def test_no_surgery_is_unmet() -> None:
    data = VisitData({"surgical_history": {"n_prior_operations": 0}})
    assert _statuses(data)[0] == "unmet"


def test_clinician_answers_fill_gaps() -> None:
    data = VisitData({"differential": {"icd_prior_spinal_surgery": "yes",
                                       "icd_pain_3_months": "no",
                                       "icd_red_flags_addressed": "yes"}})
    assert _statuses(data) == ["met", "unmet", "met"]
    assert _statuses(VisitData({})) == ["unknown", "unknown", "unknown"]


def test_positive_red_flag_unless_addressed() -> None:
    screen = {**NEGATIVE_SCREEN, "rf_inf_fever": "yes"}
    report = icd11_cpss_check(VisitData({"red_flags": screen}), today=TODAY)
    crit = report.criteria[2]
    assert crit.status == "unmet"
    assert "Fever" in crit.evidence
    addressed = VisitData({"red_flags": screen,
                           "differential": {"icd_red_flags_addressed": "yes"}})
    assert _statuses(addressed)[2] == "met"


def test_incomplete_or_unknown_screen_is_unknown() -> None:
    partial = {**NEGATIVE_SCREEN, "rf_mal_night_pain": "unknown"}
    assert _statuses(VisitData({"red_flags": partial}))[2] == "unknown"
    assert _statuses(VisitData({"red_flags": {"rf_inf_fever": "no"}}))[2] == "unknown"


def test_red_flag_callable() -> None:
    data = VisitData({"red_flags": {"rf_inf_fever": "yes"}})
    assert _statuses(data, red_flags_clear=lambda d: True)[2] == "met"
    assert _statuses(data, red_flags_clear=lambda d: False)[2] == "unmet"
    assert _statuses(data, red_flags_clear=lambda d: None)[2] == "unknown"
