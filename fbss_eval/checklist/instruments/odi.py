"""Oswestry Disability Index (ODI) v2.1a (reference 2.1).

Source: Fairbank JCT, Pynsent PB. The Oswestry Disability Index. Spine 2000;25(22):2940-2952.
(Original: Fairbank et al., Physiotherapy 1980.)

Licensed via Mapi Research Trust (ePROVIDE); the section statements are not in this repository.
The clinician captures each section's score 0-5 (first statement 0, last 5) from a licensed form.
"""

from __future__ import annotations

from fractions import Fraction

from ..schema import Answers
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import Instrument
from .base import scale
from .common import answered
from .common import band_upper
from .common import fmt
from .common import item
from .common import missing_reason
from .common import not_scored
from .common import scored
from .common import scores_of

KEY = "odi"

OPTIONS = scale("0 (least)", "1", "2", "3", "4", "5 (most)")

SECTION_TOPICS = (
    "pain intensity",
    "personal care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex life (if applicable)",
    "social life",
    "travelling",
)

ITEMS = tuple(
    item(
        f"{KEY}_{number}",
        f"Section {number} — {topic}",
        OPTIONS,
        # Section 8 may not apply; a missing section is handled by the missing-section rule.
        required=number != 8,
    )
    for number, topic in enumerate(SECTION_TOPICS, start=1)
)

# Fairbank 1980 bands via multiple sources [S]: 0-20, 21-40, 41-60, 61-80, 81-100.
BANDS = (
    (20, "minimal", "Minimal disability"),
    (40, "moderate", "Moderate disability"),
    (60, "severe", "Severe disability"),
    (80, "crippled", "Crippled"),
    (None, "bed_bound", "Bed-bound or exaggerating symptoms"),
)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the ODI: sum of answered sections / (5 x answered) x 100 (float, unrounded).

    Fairbank JCT, Pynsent PB. Spine 2000;25(22):2940-2952: published example 16/45 x 100 with
    one section missing. No official cap on missing sections: at most
    ``settings.odi_max_missing`` (default 1, UNVERIFIED) or no score.
    """
    scores = answered(scores_of(ITEMS, answers))
    n_answered, n_items = len(scores), len(ITEMS)
    n_missing = n_items - n_answered
    if n_answered == 0:
        return not_scored(KEY, "No section answered", n_answered=0, n_items=n_items)
    if n_missing > settings.odi_max_missing:
        reason = missing_reason(n_missing, settings.odi_max_missing, "section")
        return not_scored(KEY, reason, n_answered=n_answered, n_items=n_items)
    raw = int(sum(scores.values()))
    exact = Fraction(100 * raw, 5 * n_answered)
    notes: tuple[str, ...] = ()
    if n_missing:
        notes = (
            f"{raw}/{5 * n_answered} with {n_missing} section(s) missing = {fmt(float(exact))}%"
            " (prorated over answered sections)",
        )
    return scored(KEY, float(exact), n_answered=n_answered, n_items=n_items, band=band_upper(exact, BANDS),
                  subscores={"raw_sum": raw}, notes=notes)


INSTRUMENT = Instrument(
    key=KEY,
    name="Oswestry Disability Index (ODI) v2.1a",
    short_name="ODI",
    version="2.1a",
    source="Fairbank JCT, Pynsent PB. Spine 2000;25(22):2940-2952",
    licence=(
        "Author J. Fairbank; licensed via Mapi Research Trust (ePROVIDE). Item text not "
        "included — capture section scores 0-5 from a licensed form"
    ),
    items=ITEMS,
    scorer=score,
    unverified=(
        "ODI max missing sections (configurable, default 1)",
        "ODI two statements marked in one section -> record the higher (data-entry convention)",
    ),
    description=(
        "Record each section's score 0-5 from the patient's licensed ODI v2.1a form "
        "(first statement 0, last 5; if two are marked, the usual rule is the higher). "
        "Leave section 8 blank when not applicable. MCID 10 points or 30% (Ostelo 2008)."
    ),
)
