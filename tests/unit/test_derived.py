"""Values derived from dates (checklist/derived.py): computed on the visit date, never asked, and
what the rules read instead of an answer that would go stale when carried forward.

Expected values are worked by hand from the calendar: months are days / 30.4375 (365.25 / 12) to
one decimal; "age over 55" is age > 55 (the red-flag lists' "age >55", e.g. the fracture row of
the red-flag table, Downie et al. BMJ 2013;347:f7095 discuss these flags).
"""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.checklist import all_sections
from fbss_eval.checklist.derived import derive
from fbss_eval.checklist.evaluate import evaluate
from fbss_eval.checklist.rules.base import VisitData
from fbss_eval.checklist.rules.classification import icd11_cpss_check
from fbss_eval.checklist.rules.red_flags import missing_red_flag_items
from fbss_eval.checklist.rules.red_flags import red_flag_alerts
from fbss_eval.checklist.rules.red_flags import red_flag_screen_complete
from fbss_eval.checklist.rules.timing import weeks_to_recurrence
from fbss_eval.checklist.sections.red_flags import SCREEN_KEYS
from fbss_eval.checklist.versions import release_sections

NEGATIVE = {key: "no" for key in SCREEN_KEYS}


@pytest.mark.parametrize(("birth", "visit", "age", "over"), [
    (date(1970, 6, 1), date(2025, 6, 1), 55, False),  # the 55th birthday: 55 is not over 55
    (date(1970, 6, 2), date(2026, 6, 1), 55, False),  # the day before the 56th birthday
    (date(1970, 6, 1), date(2026, 6, 1), 56, True),   # the 56th birthday
])
def test_age_and_age_over_55_on_the_visit_date(birth, visit, age, over):
    derived = derive({}, birth, visit)
    assert (derived.age, derived.age_over_55) == (age, over)
    assert derived.screen_answer("rf_fx_age_over_55") == ("yes" if over else "no")
    assert derived.screen_answer("rf_inf_diabetes") is None  # asked, not computed


def test_leap_day_birth_counts_a_year_only_on_1_march():
    assert derive({}, date(1968, 2, 29), date(2026, 2, 28)).age == 57
    assert derive({}, date(1968, 2, 29), date(2026, 3, 1)).age == 58


def test_no_birth_date_no_age():
    derived = derive({}, None, date(2026, 1, 1))
    assert (derived.age, derived.age_over_55, derived.screen_answer("rf_fx_age_over_55")) == (None, None, None)


def _history(*dates: str, onset: str | None = None, outcome: str = "improved") -> dict:
    rows = [{"date": d, "immediate_outcome": outcome} for d in dates]
    history: dict = {"operations": rows}
    if onset:
        history["current_pain_onset"] = onset
    return {"surgical_history": history}


def test_months_since_each_operation_on_the_visit_date():
    # 2024-01-15 -> 2026-01-15: 731 days = 24.0 months; 2022-03-01 -> 2026-01-15: 1416 days = 46.5.
    derived = derive(_history("2022-03-01", "2024-01-15"), None, date(2026, 1, 15))
    assert [(op.number, op.date.isoformat(), op.months_before) for op in derived.operations] == [
        (1, "2022-03-01", 46.5), (2, "2024-01-15", 24.0)]
    assert derived.months_since_last == 24.0
    assert derived.last_operation.number == 2


def test_a_follow_up_six_months_later_gets_the_new_value_not_the_old_answer():
    """The issue's case: carried forward, the history said 24 months; six months later it is 30
    (2024-01-15 -> 2026-07-15: 912 days = 29.96 -> 30.0)."""
    answers = _history("2024-01-15")
    answers["surgical_history"]["months_since_last"] = 24  # a 2026.11.1 answer, carried forward
    answers["visit"] = {"visit_date": "2026-07-15"}
    assert derive(answers).months_since_last == 30.0
    criterion = icd11_cpss_check(VisitData(answers), today=date(2026, 7, 15)).criteria[1]
    assert criterion.evidence == "last operation 2024-01-15, 30 months before the visit"


def test_the_visit_date_answer_wins_over_the_fallback_and_later_operations_do_not_count():
    answers = _history("2024-01-15", "2026-09-01")
    answers["visit"] = {"visit_date": "2026-07-15"}
    derived = derive(answers, None, date(2000, 1, 1))
    assert derived.visit_date == date(2026, 7, 15)
    assert [op.number for op in derived.operations] == [1]


def test_invalid_or_missing_dates_are_skipped():
    derived = derive({"surgical_history": {"operations": [{"date": "2024-02-30"}, {}, "junk", {"date": 5}]}},
                     None, date(2026, 1, 1))
    assert derived.operations == ()
    assert derived.months_since_last is None
    assert derive({"surgical_history": {"operations": "not a list"}}, None, date(2026, 1, 1)).operations == ()


def test_pain_free_interval_from_the_last_operation_to_the_onset():
    # 2024-01-15 -> 2024-07-15: 182 days = 26.0 weeks, 6.0 months.
    derived = derive(_history("2020-05-05", "2024-01-15", onset="2024-07-15"), None, date(2026, 1, 15))
    assert derived.pain_free is not None
    assert (derived.pain_free.number, derived.pain_free.weeks, derived.pain_free.months) == (2, 26.0, 6.0)


@pytest.mark.parametrize("history", [
    _history("2024-01-15", onset="2024-01-14"),                     # onset before the operation
    _history("2024-01-15", onset="2024-07-15", outcome="unchanged"),  # never relieved: no interval
    _history("2024-01-15"),                                          # onset unknown
    {"surgical_history": {"current_pain_onset": "2024-07-15"}},      # no operation
    _history("2024-01-15", onset="2026-02-01"),                      # onset after the visit date
])
def test_no_pain_free_interval_without_both_dates_and_relief(history):
    assert derive(history, None, date(2026, 1, 15)).pain_free is None


def test_the_timing_rule_reads_the_dates_over_a_stale_interval():
    row = {"date": "2024-01-15", "immediate_outcome": "improved", "pain_free_weeks": 2}
    data = VisitData({"surgical_history": {"operations": [row], "current_pain_onset": "2024-07-15"}})
    weeks, how = weeks_to_recurrence(row, data)
    assert weeks == 26.0
    assert how == "current pain began 26 weeks after the operation (2024-07-15)"
    without_onset = VisitData({"surgical_history": {"operations": [row]}})
    assert weeks_to_recurrence(row, without_onset) == (2.0, "pain-free interval 2 weeks")


def test_age_over_55_is_not_a_question_of_the_screen():
    assert "rf_fx_age_over_55" not in SCREEN_KEYS
    red_flags = next(s for s in all_sections() if s.key == "red_flags")
    assert "rf_fx_age_over_55" not in {f.key for f in red_flags.fields()}
    history = next(s for s in all_sections() if s.key == "surgical_history")
    assert "months_since_last" not in {f.key for f in history.fields()}
    data = VisitData({"red_flags": NEGATIVE})
    assert red_flag_screen_complete(data)
    assert missing_red_flag_items(data) == []


@pytest.mark.parametrize(("birth", "stored", "over"), [
    (date(1960, 1, 1), None, True),     # 66 on the visit date: computed, no answer needed
    (date(1960, 1, 1), "no", True),     # an old visit's answer does not hide the computed fact
    (date(1980, 1, 1), "yes", False),   # 46: an old "yes" does not count either
    (date(1970, 6, 2), None, False),    # 55 on the visit date (2026-06-01): not over 55
])
def test_the_fracture_flag_reads_the_computed_age(birth, stored, over):
    """Age over 55 is a risk factor: alone it raises no critical alert (Downie et al. BMJ
    2013;347:f7095: fracture flags are informative in combination); with significant trauma
    the fracture alert lists it."""
    screen = dict(NEGATIVE)
    if stored:
        screen["rf_fx_age_over_55"] = stored
    answers = {"red_flags": screen, "visit": {"visit_date": "2026-06-01"}}
    assert evaluate(answers, all_sections(), birth_date=birth).alert("red_flag.fracture") is None
    assert evaluate(answers, all_sections(), birth_date=birth).derived.age_over_55 is over
    answers["red_flags"] = {**screen, "rf_fx_trauma": "yes"}
    fracture = evaluate(answers, all_sections(), birth_date=birth).alert("red_flag.fracture")
    assert fracture is not None
    age_line = ("Age over 55 (computed from the date of birth): yes (risk factor)",) if over else ()
    assert fracture.evidence == ("Significant trauma: yes", *age_line)


def test_without_a_birth_date_an_old_answer_still_counts():
    """Rules run on bare answers too (no patient): a 2026.11.1 answer is then what is known."""
    alerts = red_flag_alerts(VisitData({"red_flags": {**NEGATIVE, "rf_fx_age_over_55": "yes",
                                                      "rf_fx_trauma": "yes"}}))
    assert [a.evidence for a in alerts if a.severity == "critical"] == [
        ("Significant trauma: yes", "Age over 55 (computed from the date of birth): yes (risk factor)")]
    alone = red_flag_alerts(VisitData({"red_flags": {**NEGATIVE, "rf_fx_age_over_55": "yes"}}))
    assert [(a.kind, a.severity) for a in alone] == [("red_flag_risk.fracture", "warning"),
                                                     ("red_flag_risk.malignancy", "warning")]


def test_a_2026_11_1_visit_still_evaluates_with_its_removed_fields():
    sections = release_sections("2026.11.1")
    keys = {f.key for s in sections if s.key == "surgical_history" for f in s.fields()}
    assert "months_since_last" in keys  # the old version asked it
    answers = {
        "visit": {"visit_date": "2026-07-15"},
        "red_flags": {**NEGATIVE, "rf_fx_age_over_55": "no"},
        "surgical_history": {"operations": [{"date": "2024-01-15"}], "months_since_last": 24,
                             "n_prior_operations": 1},
    }
    evaluation = evaluate(answers, sections, today=date(2026, 7, 15), birth_date=date(1968, 3, 2))
    assert evaluation.derived.age == 58
    assert evaluation.derived.months_since_last == 30.0
    assert evaluation.derived.age_over_55 is True
    assert evaluation.candidacy["icd11"].criteria[1].evidence == "last operation 2024-01-15, 30 months before the visit"
