"""Change between two scores and whether it reaches a minimal clinically important change.

Ostelo RWJG et al. Interpreting change scores for pain and functional status in low back pain:
towards international consensus regarding minimal important change. Spine 2008;33(1):90-94.
Consensus MCIDs: NRS 2 points (0-10), ODI 10 points (0-100), RMDQ 5 points (0-24), or 30%
improvement from baseline for each. Woby SR et al. Pain 2005;117:137-144: a reduction of >= 4
points on the TSK (17 or 11 items) best identified an important reduction in fear.

All these scores improve downwards, so a change "meets" a criterion when the score fell by at
least that much. The point and percent criteria are reported separately (reference 2.2: 4 -> 2
meets 30% but not 5 points; report both flags).
"""

from __future__ import annotations

from dataclasses import dataclass

ODI_MCID_POINTS = 10  # Ostelo 2008
RMDQ_MCID_POINTS = 5  # Ostelo 2008
NRS_MCID_POINTS = 2  # Ostelo 2008
TSK_MCID_POINTS = 4  # Woby 2005
MCID_PCT = 30  # Ostelo 2008
SUBSTANTIAL_PCT = 50  # ">= 50% reduction", conventional SCS-trial success (reference 2.3)

_EPS = 1e-9  # scores such as ODI 35.56 are floats; compare with a tolerance


@dataclass(frozen=True)
class McidChange:
    """Follow-up minus baseline, with the improvement criteria it meets."""

    baseline: float
    followup: float
    delta: float
    pct_change: float | None  # None when the baseline is 0
    mcid_points: float
    meets_points: bool  # fell by >= mcid_points
    meets_30_pct: bool  # fell by >= 30% of baseline
    meets_50_pct: bool  # fell by >= 50% of baseline

    @property
    def important_improvement(self) -> bool:
        """True when either the point or the 30% criterion is met (Ostelo 2008: 'or')."""
        return self.meets_points or self.meets_30_pct


def improvement(baseline: float, followup: float, *, mcid_points: float) -> McidChange:
    """The change from ``baseline`` to ``followup`` for a score where lower is better."""
    delta = followup - baseline
    pct = None if baseline == 0 else delta / baseline * 100
    return McidChange(
        baseline=baseline,
        followup=followup,
        delta=delta,
        pct_change=pct,
        mcid_points=mcid_points,
        meets_points=delta <= -mcid_points + _EPS,
        meets_30_pct=pct is not None and pct <= -MCID_PCT + _EPS,
        meets_50_pct=pct is not None and pct <= -SUBSTANTIAL_PCT + _EPS,
    )


def odi_change(baseline: float, followup: float) -> McidChange:
    """ODI change; MCID 10 points or 30% (Ostelo et al., Spine 2008;33(1):90-94)."""
    return improvement(baseline, followup, mcid_points=ODI_MCID_POINTS)


def rmdq_change(baseline: float, followup: float) -> McidChange:
    """RMDQ change; MCID 5 points or 30% (Ostelo et al., Spine 2008;33(1):90-94)."""
    return improvement(baseline, followup, mcid_points=RMDQ_MCID_POINTS)


def tsk_change(baseline: float, followup: float) -> McidChange:
    """TSK-17 or TSK-11 change; a reduction of >= 4 points is important (Woby 2005)."""
    return improvement(baseline, followup, mcid_points=TSK_MCID_POINTS)
