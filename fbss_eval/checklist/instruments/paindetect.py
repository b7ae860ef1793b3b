"""painDETECT questionnaire (PD-Q) (reference 2.7).

Source: Freynhagen R, Baron R, Gockel U, Tölle TR. Curr Med Res Opin 2006;22(10):1911-1920.
Developed for chronic low back pain (German Research Network on Neuropathic Pain).
The form footer usually reads "© 2005 Pfizer Pharma GmbH"; the licensing route is UNVERIFIED,
so the questions are not in this repository: capture the 9 scored answers from a licensed form.
The unscored pain ratings (current / strongest / average over 4 weeks) and the body chart are
not captured here (the visit section records back and leg NRS).
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Option
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import Instrument
from .base import scale
from .common import all_needed_reason
from .common import answered
from .common import band_upper
from .common import item
from .common import not_scored
from .common import numbered_items
from .common import scored
from .common import scores_of

KEY = "paindetect"

SYMPTOM_OPTIONS = scale("0 never", "1 hardly noticed", "2 slightly", "3 moderately", "4 strongly", "5 very strongly")
SYMPTOM_TOPICS = (
    "Burning",
    "Tingling/prickling",
    "Pain on light touching",
    "Sudden pain attacks / electric-shock-like",
    "Pain from cold or heat",
    "Numbness",
    "Pain on slight pressure",
)
# Pain course pattern [S] (PMC7136290 Table 3; the only values consistent with -1..38).
COURSE_OPTIONS = (
    Option("persistent", "Persistent pain with slight fluctuations", 0),
    Option("persistent_attacks", "Persistent pain with pain attacks", -1),
    Option("attacks_only", "Pain attacks without pain between them", 1),
    Option("attacks_between", "Pain attacks with pain between them", 1),
)
RADIATING_OPTIONS = (Option("yes", "Yes", 2), Option("no", "No", 0))

ITEMS = numbered_items("pd", SYMPTOM_TOPICS, SYMPTOM_OPTIONS) + (
    item("pd_course", "Pain course pattern", COURSE_OPTIONS),
    item("pd_radiating", "Pain radiating to other regions of the body", RADIATING_OPTIONS),
)

# Range -1..38 [V]: <= 12 negative, 13-18 unclear, >= 19 positive.
BANDS = (
    (12, "negative", "Negative: neuropathic component unlikely (<15%)"),
    (18, "unclear", "Unclear: a neuropathic component may be present"),
    (None, "positive", "Positive: neuropathic component likely (>90%)"),
)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score painDETECT: 7 symptoms 0-5 + course (0/-1/+1/+1) + radiating (+2); -1..38.

    Freynhagen R, Baron R, Gockel U, Tölle TR. Curr Med Res Opin 2006;22(10):1911-1920.
    <= 12 negative, 13-18 unclear, >= 19 positive (the NINDS CDE page's "-1 to 2" and
    "<= 19" are typos). No published proration: no score if any of the 9 items is missing
    (UNVERIFIED policy). ``positive`` is None in the unclear band.
    """
    del settings  # no configurable rule
    scores = scores_of(ITEMS, answers)
    done = answered(scores)
    n_missing = len(ITEMS) - len(done)
    if n_missing:
        return not_scored(KEY, all_needed_reason(n_missing), n_answered=len(done), n_items=len(ITEMS))
    symptoms = sum(done[f"pd_{number}"] for number in range(1, 8))
    value = sum(done.values())
    band, label = band_upper(value, BANDS)
    return scored(
        KEY, value, n_answered=len(done), n_items=len(ITEMS), band=(band, label),
        subscores={"symptoms": symptoms, "course": done["pd_course"], "radiating": done["pd_radiating"]},
        positive={"negative": False, "positive": True}.get(band),
    )


INSTRUMENT = Instrument(
    key=KEY,
    name="painDETECT questionnaire",
    short_name="painDETECT",
    version="PD-Q",
    source="Freynhagen R, Baron R, Gockel U, Tölle TR. Curr Med Res Opin 2006;22(10):1911-1920",
    licence=(
        "Form usually marked © 2005 Pfizer Pharma GmbH; licensing route UNVERIFIED. Item text "
        "not included — capture the 9 scored answers from a licensed form"
    ),
    items=ITEMS,
    scorer=score,
    unverified=(
        "painDETECT missing items: no score if any of the 9 is missing (no published rule)",
        "painDETECT course-item values 0/-1/+1/+1 (secondary source)",
        "painDETECT licence holder and terms",
    ),
    description=(
        "Use only with a licensed painDETECT form. Symptom items 0 never .. 5 very strongly; "
        "total -1..38: <= 12 negative, 13-18 unclear, >= 19 positive."
    ),
)
