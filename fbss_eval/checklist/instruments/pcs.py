"""Pain Catastrophizing Scale (PCS) (reference 2.10).

Source: Sullivan MJL, Bishop SR, Pivik J. Psychol Assess 1995;7(4):524-532. PCS User Manual
(© 1995-2009, M. Sullivan). Subscales [S] (RehabMeasures; awell-score): rumination 8-11,
magnification 6, 7, 13, helplessness 1-5, 12.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import Instrument
from .base import scale
from .common import BandSet
from .common import all_needed_reason
from .common import answered
from .common import not_scored
from .common import numbered_items
from .common import scored
from .common import scores_of

KEY = "pcs"

OPTIONS = scale(
    "0 not at all",
    "1 to a slight degree",
    "2 to a moderate degree",
    "3 to a great degree",
    "4 all the time",
)
ITEMS = numbered_items(KEY, tuple(f"Item {number}" for number in range(1, 14)), OPTIONS)

SUBSCALES = {
    "rumination": (8, 9, 10, 11),
    "magnification": (6, 7, 13),
    "helplessness": (1, 2, 3, 4, 5, 12),
}


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    at_or_above = settings.pcs_inclusive
    below = "<" if at_or_above else "<="
    relevant = ">=" if at_or_above else ">"
    return f"PCS {below} {settings.pcs_threshold}", f"PCS {relevant} {settings.pcs_threshold}"


# Reference 2.10 [S]: the Sullivan manual (PCS User Manual, Sullivan MJL 1995-2009) describes a
# total of 30 (about the 75th percentile) as a clinically relevant level of catastrophising;
# written both as ">= 30" and "> 30" (boundary UNVERIFIED: pcs_threshold / pcs_inclusive).
BAND_SET = BandSet(
    bands=(("below_threshold", "Not flagged"), ("clinically_relevant", "Clinically relevant catastrophising")),
    graded=False,
    criteria=_criteria,
    settings=("pcs_threshold", "pcs_inclusive"),
)


def flagged(value: float, settings: ScoringSettings) -> bool:
    """PCS at or above (``pcs_inclusive``) / above the clinically relevant threshold."""
    if settings.pcs_inclusive:
        return value >= settings.pcs_threshold
    return value > settings.pcs_threshold


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the PCS: total 0-52 and rumination / magnification / helplessness subscales.

    Sullivan MJL, Bishop SR, Pivik J. Psychol Assess 1995;7(4):524-532; the manual describes
    30 (about the 75th percentile) as clinically relevant. The boundary is written both as
    ">= 30" and "> 30" (UNVERIFIED): ``settings.pcs_threshold`` / ``pcs_inclusive``.
    No verified missing rule: scored only when all 13 items are answered.
    """
    scores = scores_of(ITEMS, answers)
    done = answered(scores)
    n_missing = len(ITEMS) - len(done)
    if n_missing:
        return not_scored(KEY, all_needed_reason(n_missing), n_answered=len(done), n_items=len(ITEMS))
    value = sum(done.values())
    subscores = {name: float(sum(done[f"{KEY}_{number}"] for number in numbers)) for name, numbers in SUBSCALES.items()}
    relation = ">=" if settings.pcs_inclusive else ">"
    rule = f"PCS {relation} {settings.pcs_threshold} (Sullivan manual threshold)"
    flag = flagged(value, settings)
    key, label = BAND_SET.band("clinically_relevant" if flag else "below_threshold")
    band = (key, f"{label} ({rule})")
    return scored(KEY, value, n_answered=len(done), n_items=len(ITEMS), band=band, subscores=subscores, positive=flag)


INSTRUMENT = Instrument(
    key=KEY,
    name="Pain Catastrophizing Scale (PCS)",
    short_name="PCS",
    version="PCS-13",
    source="Sullivan MJL, Bishop SR, Pivik J. Psychol Assess 1995;7(4):524-532",
    licence=(
        "© Michael JL Sullivan; listed as free for non-commercial clinical/research use, "
        "software/commercial terms UNVERIFIED. Item text not included — capture item scores"
    ),
    items=ITEMS,
    scorer=score,
    unverified=(
        "PCS threshold boundary >= 30 vs > 30 (configurable, default >= 30)",
        "PCS missing items: scored only when all 13 are answered",
    ),
    description=("Thinking about past painful experiences; each item 0 (not at all) .. 4 (all the time)."),
)
