"""Keele STarT Back Screening Tool (SBST, 9 items) (reference 2.9).

Source: Hill JC et al. Arthritis Rheum 2008;59(5):632-641; Keele SBST website. Keele form item
order: the psychosocial (distress) subscale is items 5-9 (RehabMeasures / JOSPT 2012 list
"1, 4, 7, 8, 9" in the development order; do not use that numbering here).
Designed for primary-care low back pain, not validated for PSPS-T2: a prognostic and
psychosocial screen, not a diagnosis.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Option
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import Instrument
from .common import BandSet
from .common import all_needed_reason
from .common import answered
from .common import item
from .common import not_scored
from .common import numbered_items
from .common import scored
from .common import scores_of

KEY = "startback"

AGREE = (Option("1", "Agree", 1), Option("0", "Disagree", 0))
# Item 9 recode [V]: "Very much" or "Extremely" = 1, otherwise 0.
BOTHER = (
    Option("not_at_all", "Not at all", 0),
    Option("slightly", "Slightly", 0),
    Option("moderately", "Moderately", 0),
    Option("very_much", "Very much", 1),
    Option("extremely", "Extremely", 1),
)
TOPICS = (
    "Item 1 — leg pain (last 2 weeks)",
    "Item 2 — shoulder/neck pain",
    "Item 3 — walked only short distances",
    "Item 4 — dressed more slowly",
    "Item 5 — fear: not safe to be physically active",
    "Item 6 — worrying thoughts (anxiety)",
    "Item 7 — catastrophising about back pain",
    "Item 8 — not enjoyed things (low mood)",
)
ITEMS = numbered_items("sbst", TOPICS, AGREE) + (
    item("sbst_9", "Item 9 — bothersomeness of back pain (last 2 weeks)", BOTHER),
)
PSYCHOSOCIAL = tuple(f"sbst_{number}" for number in range(5, 10))


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    del settings  # fixed cut-offs
    return "total <= 3", "total >= 4, psychosocial <= 3", "psychosocial >= 4"


# Reference 2.9 [V] (Keele flowchart; Hill JC et al. Arthritis Rheum 2008;59(5):632-641):
# total <= 3 low; total >= 4 and psychosocial (items 5-9) <= 3 medium; psychosocial >= 4 high.
BAND_SET = BandSet(
    bands=(("low", "Low risk"), ("medium", "Medium risk"), ("high", "High risk")),
    graded=True,
    criteria=_criteria,
)

KEELE_COPYRIGHT = (
    "The copyright (©2007) of the STarT Back Screening Tool and associated materials is owned "
    "by Keele University, the development of which was part funded by Arthritis Research UK: "
    "i) the tool is designed for use by health care practitioners, with appropriate treatment "
    "packages for each of the stratified groups; ii) the tool is not intended to recommend the "
    "use of any particular product. No license is required for non-commercial use. If you "
    "would like to incorporate the tool in any way into commercial product materials, please "
    "contact Keele University for further advice."
)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the SBST: total 0-9, psychosocial subscale (items 5-9) 0-5, risk group.

    Hill JC et al. Arthritis Rheum 2008;59(5):632-641 (Keele flowchart): total <= 3 low;
    total >= 4 and psychosocial <= 3 medium; psychosocial >= 4 high. No official missing rule:
    no classification unless all 9 are answered (missing items can only lower the risk;
    UNVERIFIED policy).
    """
    del settings  # no configurable rule
    scores = scores_of(ITEMS, answers)
    done = answered(scores)
    n_missing = len(ITEMS) - len(done)
    if n_missing:
        return not_scored(
            KEY,
            all_needed_reason(n_missing) + " (missing items can only lower the risk group)",
            n_answered=len(done),
            n_items=len(ITEMS),
        )
    value = sum(done.values())
    psychosocial = sum(done[key] for key in PSYCHOSOCIAL)
    band = BAND_SET.band("low" if value <= 3 else "medium" if psychosocial <= 3 else "high")
    return scored(KEY, value, n_answered=len(done), n_items=len(ITEMS), band=band,
                  subscores={"psychosocial": psychosocial},
                  notes=("Validated in primary-care low back pain, not specifically in PSPS-T2",))


INSTRUMENT = Instrument(
    key=KEY,
    name="Keele STarT Back Screening Tool",
    short_name="STarT Back",
    version="SBST 9-item (Keele form order)",
    source="Hill JC et al. Arthritis Rheum 2008;59(5):632-641",
    licence=KEELE_COPYRIGHT,
    items=ITEMS,
    scorer=score,
    unverified=("STarT Back missing items: classify only when all 9 are answered",),
    description=(
        "Use the unmodified Keele form (item order as on the form); record each answer here. "
        "Items 1-8 agree/disagree; item 9 bothersomeness."
    ),
)
