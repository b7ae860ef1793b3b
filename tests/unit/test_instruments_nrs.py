"""NRS: bands (configurable), results, and change per reference 2.3."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import nrs
from fbss_eval.checklist.settings import DEFAULT_SETTINGS
from fbss_eval.checklist.settings import ScoringSettings


@pytest.mark.parametrize(
    ("value", "band"),
    [(0, "none"), (1, "mild"), (3, "mild"), (4, "moderate"), (6, "moderate"), (7, "severe"),
     (10, "severe")],
)  # fmt: skip
def test_bands(value: int, band: str) -> None:
    result = nrs.nrs_band(value, DEFAULT_SETTINGS)
    assert result is not None
    assert result[0] == band


@pytest.mark.parametrize("value", [None, "", -1, 11, 2.5, True, "5", [3]])
def test_invalid_values(value: object) -> None:
    assert nrs.nrs_band(value, DEFAULT_SETTINGS) is None
    result = nrs.nrs_result("back_nrs_now", value, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.notes


def test_bands_from_settings() -> None:
    settings = ScoringSettings(nrs_mild_max=4, nrs_moderate_max=6)
    assert nrs.nrs_band(4, settings) == ("mild", "Mild pain")
    assert nrs.nrs_band(5, settings) == ("moderate", "Moderate pain")


def test_result() -> None:
    result = nrs.nrs_result("leg_nrs_avg", 7, DEFAULT_SETTINGS)
    assert result.instrument == "leg_nrs_avg"
    assert result.score == 7
    assert result.band == "severe"
    assert result.complete
    assert "UNVERIFIED" in result.notes[0]


@pytest.mark.parametrize(
    ("baseline", "followup", "delta", "pct", "two", "thirty", "fifty"),
    [
        (7, 5, -2, -28.6, True, False, False),
        (8, 3, -5, -62.5, True, True, True),
        (3, 2, -1, -33.3, False, True, False),
    ],
)
def test_change_worked_examples(
    baseline: int, followup: int, delta: int, pct: float, two: bool, thirty: bool, fifty: bool
) -> None:
    change = nrs.change(baseline, followup)
    assert change.delta == delta
    assert change.pct_change is not None
    assert round(change.pct_change, 1) == pct
    assert (change.meets_2_points, change.meets_30_pct, change.meets_50_pct) == (two, thirty, fifty)
    assert change.important_improvement is (two or thirty)


def test_change_exact_30_and_50_percent() -> None:
    assert nrs.change(10, 7).meets_30_pct  # -30% exactly
    assert nrs.change(4, 2).meets_50_pct  # -50% exactly


def test_change_worsening_and_zero_baseline() -> None:
    worse = nrs.change(3, 6)
    assert worse.delta == 3
    assert not worse.meets_2_points
    assert not worse.meets_30_pct
    zero = nrs.change(0, 0)
    assert zero.pct_change is None
    assert not zero.meets_30_pct
