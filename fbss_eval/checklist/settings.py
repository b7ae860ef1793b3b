"""Configurable clinical rules.

Where ``clinical-reference.md`` marks a threshold or a missing-item policy UNVERIFIED, the value
lives here instead of in the scoring code, so a clinic can set its own policy (the app reads
overrides from ``FBSS_SCORING`` in its configuration) and the UI can say the rule is unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import fields
from dataclasses import replace
from typing import Any


@dataclass(frozen=True)
class ScoringSettings:
    """Thresholds and policies; the defaults follow the reference's recommendations."""

    # ODI: sections that may be missing before the ODI is not scored (reference 2.1).
    odi_max_missing: int = 1
    # PHQ-9 / GAD-7: prorate a total when at most this many items are missing (0 = never).
    phq_gad_max_prorated: int = 0
    # NRS severity bands: 0 none, 1..mild_max mild, ..moderate_max moderate, above severe.
    nrs_mild_max: int = 3
    nrs_moderate_max: int = 6
    # PCS: flag at >= threshold (inclusive) or > threshold.
    pcs_threshold: int = 30
    pcs_inclusive: bool = True
    # TSK-17: high kinesiophobia when total > this.
    tsk17_high_above: int = 37
    # FABQ cut-offs (total > cut-off is flagged).
    fabq_pa_above: int = 14
    fabq_w_above: int = 34
    # LANSS / S-LANSS: neuropathic mechanisms likely at >= cut-off.
    lanss_cutoff: int = 12
    slanss_cutoff: int = 12
    # RMDQ with explicit yes/no: True = a blank counts as "no" (paper-form convention).
    rmdq_blank_as_no: bool = True
    # Diagnostic blocks: % relief for a positive block (reference 3.d).
    mbb_positive_pct: int = 50
    sij_positive_pct: int = 75
    snrb_positive_pct: int = 50
    esi_positive_pct: int = 50
    discography_min_concordant_pain: int = 7
    discography_max_pressure_psi: int = 50
    # Timing heuristic (reference 3.b), in weeks after the index operation.
    timing_early_recurrence_max_weeks: int = 6
    timing_fibrosis_min_weeks: int = 6
    timing_fibrosis_max_weeks: int = 12
    timing_true_recurrence_min_weeks: int = 26
    timing_late_min_weeks: int = 26

    def with_overrides(self, overrides: Mapping[str, Any] | None) -> ScoringSettings:
        """A copy with the given values replaced; unknown names raise ``KeyError``."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        unknown = set(overrides) - known
        if unknown:
            raise KeyError(f"unknown scoring settings: {sorted(unknown)}")
        return replace(self, **dict(overrides))


DEFAULT_SETTINGS = ScoringSettings()

# What each setting means, and whether the reference could verify it. The UI and the data
# dictionary show these beside any result that depends on an unverified setting.
SETTING_NOTES: dict[str, tuple[str, bool]] = {
    "odi_max_missing": ("ODI: sections allowed missing before no score (no official cap)", False),
    "phq_gad_max_prorated": ("PHQ-9/GAD-7: items allowed missing with proration", False),
    "nrs_mild_max": ("NRS band convention 1-3 mild / 4-6 moderate / 7-10 severe", False),
    "nrs_moderate_max": ("NRS band convention 1-3 mild / 4-6 moderate / 7-10 severe", False),
    "pcs_threshold": ("PCS clinically relevant level (Sullivan manual: 30)", True),
    "pcs_inclusive": ("PCS boundary written both as >=30 and >30", False),
    "tsk17_high_above": ("TSK-17 high kinesiophobia above 37 (Vlaeyen 1995)", True),
    "fabq_pa_above": ("FABQ-PA > 14 (George et al.)", True),
    "fabq_w_above": ("FABQ-W > 34 (Fritz & George 2002, primary unverified)", False),
    "lanss_cutoff": ("LANSS >= 12 (Bennett 2001)", True),
    "slanss_cutoff": ("S-LANSS >= 12 (alternative >= 10 unverified)", True),
    "rmdq_blank_as_no": ("RMDQ blank item counts as no (no standard rule)", False),
    "mbb_positive_pct": ("MBB positive at >= 50% relief (ASRA 2020)", True),
    "sij_positive_pct": ("SIJ block positive at >= 75% relief (traditional; trials used 50%)", True),
    "snrb_positive_pct": ("SNRB numeric threshold", False),
    "esi_positive_pct": ("Epidural steroid response threshold (therapeutic, not diagnostic)", False),
    "discography_min_concordant_pain": ("Discography concordant pain >= 7/10", True),
    "discography_max_pressure_psi": ("Discography positive below 50 psi", True),
    "timing_early_recurrence_max_weeks": ("Timing heuristic: early recurrence window", False),
    "timing_fibrosis_min_weeks": ("Timing heuristic: fibrosis from ~6 weeks", False),
    "timing_fibrosis_max_weeks": ("Timing heuristic: fibrosis to ~12 weeks", False),
    "timing_true_recurrence_min_weeks": ("Recurrent herniation after > 6 months pain-free", False),
    "timing_late_min_weeks": ("Timing heuristic: late return from ~6-12 months", False),
}
