"""Fear-Avoidance Beliefs Questionnaire (FABQ) (reference 2.11).

Source: Waddell G, Newton M, Henderson I, Somerville D, Main CJ. Pain 1993;52:157-168.
16 items 0 (completely disagree) .. 6 (completely agree). Subscales [V] (JOSPT 2012 LBP CPG;
RehabMeasures): physical activity (PA) items 2-5, work (W) items 6, 7, 9, 10, 11, 12, 15.
Items 1, 8, 13, 14, 16 are in neither subscale (item 11 IS part of FABQ-W).
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import Instrument
from .base import scale
from .common import BandSet
from .common import answered
from .common import not_scored
from .common import numbered_items
from .common import scored
from .common import scores_of
from .common import total

KEY = "fabq"

OPTIONS = scale("0 completely disagree", "1", "2", "3", "4", "5", "6 completely agree")
ITEMS = numbered_items(KEY, tuple(f"Item {number}" for number in range(1, 17)), OPTIONS)

PA_ITEMS = tuple(f"{KEY}_{number}" for number in (2, 3, 4, 5))
W_ITEMS = tuple(f"{KEY}_{number}" for number in (6, 7, 9, 10, 11, 12, 15))
W_RTW_ABOVE = 29  # FABQ-W > 29: return-to-work risk, acute occupational LBP (JOSPT CPG) [V]


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    pa, work = settings.fabq_pa_above, settings.fabq_w_above
    return f"FABQ-PA <= {pa}, FABQ-W <= {work} or not scored", f"FABQ-PA > {pa} or FABQ-W > {work}"


# Reference 2.11 (context-specific, none validated for PSPS-T2): FABQ-PA > 14 "previously
# reported" (George et al., PMC2881572) [V]; FABQ-W > 34 high risk of not returning to work
# (Fritz & George 2002; primary UNVERIFIED: fabq_w_above). Elevated when either is exceeded.
BAND_SET = BandSet(
    bands=(("not_elevated", "Below FABQ cut-offs"), ("elevated", "Elevated fear-avoidance beliefs")),
    graded=False,
    criteria=_criteria,
    settings=("fabq_pa_above", "fabq_w_above"),
)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the FABQ subscales: FABQ-PA (0-24) and FABQ-W (0-42).

    Waddell G et al. Pain 1993;52:157-168. The FABQ has no total: ``score`` is FABQ-PA,
    ``subscores`` hold both. Each subscale is scored only when all its items are answered
    (no verified missing rule), so FABQ-W may be missing when work items do not apply.
    Flags (context-specific, none validated for PSPS-T2): PA > ``settings.fabq_pa_above``
    (George et al.), W > ``settings.fabq_w_above`` (Fritz & George 2002, UNVERIFIED primary);
    W > 29 is noted (JOSPT CPG, acute occupational LBP).
    """
    scores = scores_of(ITEMS, answers)
    n_answered = len(answered(scores))
    pa = total(scores, PA_ITEMS)
    work = total(scores, W_ITEMS)
    subscores: dict[str, float | None] = {"pa": pa, "w": work}
    notes: list[str] = []
    if work is None:
        notes.append("FABQ-W not scored: work items (6, 7, 9-12, 15) incomplete")
    if pa is None:
        return not_scored(KEY, "FABQ-PA not scored: physical-activity items (2-5) incomplete",
                          n_answered=n_answered, n_items=len(ITEMS), subscores=subscores, notes=notes)
    flags: list[str] = []
    if pa > settings.fabq_pa_above:
        flags.append(f"FABQ-PA > {settings.fabq_pa_above}")
    if work is not None and work > settings.fabq_w_above:
        flags.append(f"FABQ-W > {settings.fabq_w_above} (high risk of not returning to work)")
    if work is not None and work > W_RTW_ABOVE:
        notes.append(f"FABQ-W > {W_RTW_ABOVE}: return-to-work risk (acute occupational LBP)")
    notes.append("Cut-offs are context-specific; none validated for PSPS-T2")
    band = (BAND_SET.band("elevated")[0], "; ".join(flags)) if flags else BAND_SET.band("not_elevated")
    return scored(KEY, pa, n_answered=n_answered, n_items=len(ITEMS), band=band, subscores=subscores, notes=notes,
                  positive=bool(flags))


INSTRUMENT = Instrument(
    key=KEY,
    name="Fear-Avoidance Beliefs Questionnaire (FABQ)",
    short_name="FABQ",
    version="FABQ-16",
    source="Waddell G, Newton M, Henderson I, Somerville D, Main CJ. Pain 1993;52:157-168",
    licence=(
        "Waddell et al. 1993; free to use as published; no licensing body found "
        "(UNVERIFIED). Item text not included — capture item scores"
    ),
    items=ITEMS,
    scorer=score,
    optional=True,
    unverified=(
        "FABQ-W > 34 cut-off (Fritz & George 2002; configurable)",
        "FABQ missing items: each subscale scored only when all its items are answered",
    ),
    description="Each item 0 (completely disagree) .. 6 (completely agree). Score = FABQ-PA.",
)
