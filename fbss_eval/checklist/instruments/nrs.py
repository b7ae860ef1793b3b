"""Numeric Pain Rating Scale (NPRS 0-10), back and leg separately (reference 2.3).

The NRS is not an instrument section: ``back_nrs_now``, ``back_nrs_avg``, ``leg_nrs_now`` and
``leg_nrs_avg`` are integer fields of the visit section. This module bands a single value and
judges change.

- Severity bands 0 none / 1-3 mild / 4-6 moderate / 7-10 severe: a common convention,
  UNVERIFIED (conventions vary), so the bounds come from ``ScoringSettings``
  (``nrs_mild_max``, ``nrs_moderate_max``).
- MCID: 2 points or 30% (Ostelo et al., Spine 2008;33(1):90-94, consensus) [V]. Childs 2005
  (Spine 30:1331): MDC 2 points. A >= 50% reduction is the conventional SCS-trial "success" [S].
- NICE TA159 uses >= 50 mm on a 0-100 mm VAS; an NRS >= 5 is not formally equivalent.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .common import BandSet
from .common import not_scored
from .common import scored
from .mcid import NRS_MCID_POINTS
from .mcid import improvement

NRS_FIELDS = ("back_nrs_now", "back_nrs_avg", "leg_nrs_now", "leg_nrs_avg")
SOURCE = "NPRS 0-10; MCID 2 points or 30% (Ostelo et al., Spine 2008;33(1):90-94)"
# How the admin's band filter names each field.
NRS_NAMES = {
    "back_nrs_now": "Back pain now (NRS)",
    "back_nrs_avg": "Back pain average (NRS)",
    "leg_nrs_now": "Leg pain now (NRS)",
    "leg_nrs_avg": "Leg pain average (NRS)",
}


def _span(low: int, high: int) -> str:
    return str(low) if low >= high else f"{low}-{high}"


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    mild, moderate = settings.nrs_mild_max, settings.nrs_moderate_max
    return "0", _span(1, mild), _span(mild + 1, moderate), _span(moderate + 1, 10)


# Reference 2.3: "the common convention is 0 none, 1-3 mild, 4-6 moderate, 7-10 severe",
# UNVERIFIED (conventions vary; one cancer-pain derivation gives 1-4/5-6/7-10): nrs_mild_max /
# nrs_moderate_max. One set for the four NRS fields.
BAND_SET = BandSet(
    bands=(("none", "No pain"), ("mild", "Mild pain"), ("moderate", "Moderate pain"), ("severe", "Severe pain")),
    graded=True,
    criteria=_criteria,
    settings=("nrs_mild_max", "nrs_moderate_max"),
)


def band_note(settings: ScoringSettings = DEFAULT_SETTINGS) -> str:
    """The band convention in force, labelled unverified."""
    mild, moderate = settings.nrs_mild_max, settings.nrs_moderate_max
    return (
        f"NRS bands 0 none / 1-{mild} mild / {mild + 1}-{moderate} moderate / "
        f"{moderate + 1}-10 severe: convention, UNVERIFIED (configurable)"
    )


def _valid(value: object) -> int | None:
    """The value as an int 0..10, or None when missing or invalid."""
    if isinstance(value, bool) or value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and 0 <= value <= 10:
        return value
    return None


def nrs_band(value: object, settings: ScoringSettings = DEFAULT_SETTINGS) -> tuple[str, str] | None:
    """(band key, label) for an NRS value; None when missing or not an integer 0-10.

    Bands (UNVERIFIED convention, bounds from settings): 0 none, 1..nrs_mild_max mild,
    ..nrs_moderate_max moderate, above that severe.
    """
    number = _valid(value)
    return None if number is None else _band(number, settings)


def _band(number: int, settings: ScoringSettings) -> tuple[str, str]:
    """The band of a valid NRS value."""
    if number == 0:
        return BAND_SET.band("none")
    if number <= settings.nrs_mild_max:
        return BAND_SET.band("mild")
    if number <= settings.nrs_moderate_max:
        return BAND_SET.band("moderate")
    return BAND_SET.band("severe")


def nrs_result(key: str, value: object, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """A ``Result`` for one NRS field (``instrument`` is the field key, e.g. ``back_nrs_now``)."""
    number = _valid(value)
    if number is None:
        reason = "not recorded" if value in (None, "") else f"invalid value {value!r} (0-10)"
        return not_scored(key, reason, n_answered=0, n_items=1)
    return scored(key, number, n_answered=1, n_items=1, band=_band(number, settings), notes=(band_note(settings),))


@dataclass(frozen=True)
class Change:
    """NRS change follow-up minus baseline (negative = improvement)."""

    delta: int | float
    pct_change: float | None  # None when the baseline is 0
    meets_2_points: bool  # fell by >= 2 points
    meets_30_pct: bool  # fell by >= 30%
    meets_50_pct: bool  # fell by >= 50% ("SCS-trial-success-like")

    @property
    def important_improvement(self) -> bool:
        """Ostelo 2008: 2 points OR 30%."""
        return self.meets_2_points or self.meets_30_pct


def change(baseline: int | float, followup: int | float) -> Change:
    """NRS change and its MCID flags (2 points or 30%, Ostelo 2008; >= 50% reported too)."""
    result = improvement(baseline, followup, mcid_points=NRS_MCID_POINTS)
    return Change(
        delta=followup - baseline,
        pct_change=result.pct_change,
        meets_2_points=result.meets_points,
        meets_30_pct=result.meets_30_pct,
        meets_50_pct=result.meets_50_pct,
    )
