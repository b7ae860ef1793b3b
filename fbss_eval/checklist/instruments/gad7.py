"""GAD-7 anxiety scale (reference 2.5).

Source: Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166:1092-1097.
Free: no permission is required to reproduce, translate, display or distribute.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from . import _phq
from .base import Instrument
from .common import answered
from .common import band_lower
from .common import fmt
from .common import not_scored
from .common import numbered_items
from .common import scored
from .common import scores_of

KEY = "gad7"

TOPICS = (
    "Item 1 — feeling nervous, anxious or on edge (topic)",
    "Item 2 — not able to stop or control worrying (topic)",
    "Item 3 — worrying too much (topic)",
    "Item 4 — trouble relaxing (topic)",
    "Item 5 — restlessness (topic)",
    "Item 6 — easily annoyed or irritable (topic)",
    "Item 7 — feeling afraid something awful might happen (topic)",
)

ITEMS = numbered_items(KEY, TOPICS, _phq.OPTIONS)

# [V] CamCOPS gad7.py (>= 15 severe, >= 10 moderate, >= 5 mild); awell table.
BANDS = (
    (0, "minimal", "Minimal anxiety"),
    (5, "mild", "Mild anxiety"),
    (10, "moderate", "Moderate anxiety"),
    (15, "severe", "Severe anxiety"),
)
CUTOFF = 10  # >= 10 probable GAD (sensitivity 89%, specificity 82%) [V]


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the GAD-7: sum 0-21, bands 0-4/5-9/10-14/15-21, >= 10 probable GAD.

    Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166:1092-1097.
    Missing items: as PHQ-9 (no total unless ``settings.phq_gad_max_prorated`` allows it).
    """
    scores = scores_of(ITEMS, answers)
    n_answered = len(answered(scores))
    total, reason, prorated = _phq.prorated_total(list(scores.values()), settings)
    if total is None:
        return not_scored(KEY, reason or "not scored", n_answered=n_answered, n_items=len(ITEMS))
    notes: list[str] = []
    if prorated:
        notes.append(f"prorated: mean of {n_answered} answered items x 7 = {fmt(total)} (local policy)")
    if total >= CUTOFF:
        notes.append("GAD-7 >= 10: probable generalised anxiety disorder (screen)")
    return scored(KEY, total, n_answered=n_answered, n_items=len(ITEMS), band=band_lower(total, BANDS), notes=notes,
                  positive=total >= CUTOFF)


INSTRUMENT = Instrument(
    key=KEY,
    name="Generalised Anxiety Disorder scale (GAD-7)",
    short_name="GAD-7",
    version="GAD-7",
    source="Spitzer RL, Kroenke K, Williams JBW, Löwe B. Arch Intern Med 2006;166:1092-1097",
    licence=(
        "Free: no permission required to reproduce, translate, display or distribute "
        "(phqscreeners.com; developed with an educational grant from Pfizer Inc.)"
    ),
    items=ITEMS,
    scorer=score,
    unverified=(
        "GAD-7 proration of missing items (configurable, default off)",
        "GAD-7 MCID (not established; not used)",
    ),
    description="Over the last 2 weeks, how often has the patient been bothered by each problem.",
)
