"""Change / MCID helpers for ODI and RMDQ (Ostelo 2008), reference 2.1 and 2.2."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments.mcid import odi_change
from fbss_eval.checklist.instruments.mcid import rmdq_change


def test_rmdq_14_to_8_meets_both() -> None:
    change = rmdq_change(14, 8)
    assert change.delta == -6
    assert change.pct_change is not None
    assert round(change.pct_change, 1) == -42.9
    assert change.meets_points
    assert change.meets_30_pct
    assert change.important_improvement


def test_rmdq_4_to_2_meets_pct_only() -> None:
    change = rmdq_change(4, 2)
    assert change.delta == -2
    assert change.pct_change == -50
    assert not change.meets_points
    assert change.meets_30_pct


@pytest.mark.parametrize(
    ("baseline", "followup", "points", "pct"),
    [(50, 40, True, False), (50, 41, False, False), (30, 21, False, True),
     (46.67, 36.67, True, False), (40, 20, True, True)],
)  # fmt: skip
def test_odi_change(baseline: float, followup: float, points: bool, pct: bool) -> None:
    change = odi_change(baseline, followup)
    assert change.meets_points is points
    assert change.meets_30_pct is pct
    assert change.mcid_points == 10
