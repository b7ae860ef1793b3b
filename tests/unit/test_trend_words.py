"""The patient page's change since the first visit, in words, against the minimal important
change (Ostelo et al., Spine 2008;33(1):90-94: NRS 2 points, ODI 10 points, or 30% of the first
value); PHQ-9 and GAD-7 without a threshold (none established in chronic back pain). Expected
texts written out by hand, boundaries included."""

from __future__ import annotations

from datetime import date

import pytest

from fbss_eval.reports.trend import change_in_words
from fbss_eval.reports.trend import page_charts
from fbss_eval.reports.trend import patient_trend


@pytest.mark.parametrize(("label", "first", "last", "mcid", "expected"), [
    ("ODI", 56, 38, 10, "ODI 56 → 38: improved by 18 points, more than the MCID of 10"),
    ("ODI", 56, 46, 10, "ODI 56 → 46: improved by 10 points, reaching the MCID of 10"),  # exactly the MCID
    ("ODI", 56, 47, 10, "ODI 56 → 47: improved by 9 points, less than the MCID of 10"),  # 16%: neither
    ("ODI", 20, 14, 10, "ODI 20 → 14: improved by 6 points, less than the MCID of 10 but 30% of the first "
                        "value (at least the 30% MCID)"),  # 30% exactly
    ("ODI", 20, 15, 10, "ODI 20 → 15: improved by 5 points, less than the MCID of 10"),  # 25%
    ("ODI", 35.56, 35.56, 10, "ODI 35.56 → 35.56: unchanged"),
    ("ODI", 38, 44, 10, "ODI 38 → 44: worse by 6 points"),
    ("Back pain", 7, 5, 2, "Back pain 7 → 5: improved by 2 points, reaching the MCID of 2"),
    ("Back pain", 7, 6, 2, "Back pain 7 → 6: improved by 1 point, less than the MCID of 2"),
    ("Leg pain", 3, 2, 2, "Leg pain 3 → 2: improved by 1 point, less than the MCID of 2 but 33% of the first "
                          "value (at least the 30% MCID)"),
    ("Leg pain", 4, 5, 2, "Leg pain 4 → 5: worse by 1 point"),
    ("PHQ-9", 15, 9, None, "PHQ-9 15 → 9: improved by 6 points (no established minimal important change)"),
    ("GAD-7", 8, 12, None, "GAD-7 8 → 12: worse by 4 points"),
])
def test_change_in_words(label, first, last, mcid, expected):
    assert change_in_words(label, first, last, mcid) == expected


def test_the_trend_keeps_each_visits_values_and_marks_the_mcid_level():
    trend = patient_trend(
        [date(2025, 1, 10), date(2025, 4, 2), date(2025, 9, 30)],
        [{"odi": 56.0, "back_nrs_now": 7.0, "phq9": None},
         {"odi": None, "back_nrs_now": 6.0, "phq9": 12.0},
         {"odi": 38.0, "back_nrs_now": 1.0, "phq9": 9.0}],
    )
    assert trend is not None
    assert trend.dates == ("2025-01-10", "2025-04-02", "2025-09-30")
    by_key = {m.key: m for m in trend.measures}
    assert list(by_key) == ["back_nrs_now", "odi", "phq9"]  # leg NRS and GAD-7: never recorded
    assert by_key["odi"].values == (56.0, None, 38.0)
    assert [(m.value, m.label) for m in by_key["odi"].marks] == [(46.0, "MCID: 46")]
    assert [(m.value, m.label) for m in by_key["back_nrs_now"].marks] == [(5.0, "MCID: 5")]
    assert by_key["phq9"].marks == ()  # no MCID
    assert by_key["phq9"].change == "PHQ-9 12 → 9: improved by 3 points (no established minimal important change)"
    assert trend.rows == [("2025-01-10", ["7", "56", "—"]), ("2025-04-02", ["6", "—", "12"]),
                          ("2025-09-30", ["1", "38", "9"])]
    charts = [str(svg) for svg in page_charts(trend)]
    assert len(charts) == 3
    assert 'class="mk"' in charts[1]
    assert 'data-value="46"' in charts[1]
    assert "MCID: 46" in charts[1]
    assert 'class="mk"' not in charts[2]
    assert all("<style>" not in svg and "<script" not in svg for svg in charts)  # CSP: styled by app.css


def test_a_first_value_below_the_mcid_draws_no_line_and_one_visit_gives_no_change():
    trend = patient_trend([date(2025, 1, 10)], [{"leg_nrs_now": 1.0}])
    assert trend is not None
    (leg,) = trend.measures
    assert leg.marks == ()
    assert leg.change is None
    assert patient_trend([], []) is None
    assert patient_trend([date(2025, 1, 10)], [{"odi": None}]) is None
