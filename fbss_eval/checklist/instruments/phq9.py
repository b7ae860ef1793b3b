"""PHQ-9 depression module (reference 2.4).

Source: Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16:606-613; Spitzer et al.,
JAMA 1999. Instructions: phqscreeners.com. Free: no permission is required to reproduce,
translate, display or distribute (developed by Drs Spitzer, Williams, Kroenke and colleagues
with an educational grant from Pfizer Inc.).
"""

from __future__ import annotations

from ..schema import Alert
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

KEY = "phq9"
ITEM9 = f"{KEY}_9"

TOPICS = (
    "Item 1 — little interest or pleasure (topic)",
    "Item 2 — feeling down, depressed or hopeless (topic)",
    "Item 3 — sleep problems (topic)",
    "Item 4 — tiredness / little energy (topic)",
    "Item 5 — appetite (topic)",
    "Item 6 — feeling bad about yourself (topic)",
    "Item 7 — trouble concentrating (topic)",
    "Item 8 — moving/speaking slowly or restless (topic)",
    "Item 9 — thoughts of self-harm / being better off dead (topic)",
)

ITEMS = numbered_items(KEY, TOPICS, _phq.OPTIONS)

# Severity bands [V] (CamCOPS phq9.py; awell-score): 0-4, 5-9, 10-14, 15-19, 20-27.
BANDS = (
    (0, "minimal", "None/minimal depression"),
    (5, "mild", "Mild depression"),
    (10, "moderate", "Moderate depression"),
    (15, "moderately_severe", "Moderately severe depression"),
    (20, "severe", "Severe depression"),
)
CUTOFF = 10  # >= 10: major depression likely (Kroenke 2010: sens 77-88%, spec 88-94%)

ITEM9_ACTION = "Follow the local suicide-risk assessment protocol; PHQ-9 item 9 is a screen, not a risk assessment"


def item9_alerts(item9: int | float | None) -> tuple[Alert, ...]:
    """The item-9 alert (any value >= 1, whatever the total) or the 'ask directly' prompt."""
    if item9 is None:
        return (
            Alert(
                kind="phq9_item9_unanswered",
                severity="warning",
                message=("PHQ-9 item 9 (thoughts of self-harm / being better off dead) not answered — ask directly"),
                evidence=("PHQ-9 item 9 not answered",),
                action="Ask the patient directly and record the answer",
            ),
        )
    if item9 >= 1:
        value = int(item9)
        return (
            Alert(
                kind="phq9_item9",
                severity="critical",
                message=(
                    f"PHQ-9 item 9 = {value}: thoughts of being better off dead or of self-harm"
                    " reported — acknowledge and record the action taken"
                ),
                must_acknowledge=True,
                evidence=(f"PHQ-9 item 9 = {value}",),
                action=ITEM9_ACTION,
            ),
        )
    return ()


def syndrome_notes(values: list[int | float]) -> tuple[str, ...]:
    """Optional CamCOPS diagnostic algorithm (needs all 9 items).

    Items 1-8 are positive at >= 2, item 9 at >= 1. Major depressive syndrome: a core item
    (1 or 2) positive and >= 5 positive items; other depressive syndrome: a core item positive
    and 2-4 positive items.
    """
    positive = [value >= 2 for value in values[:8]] + [values[8] >= 1]
    n_positive = sum(positive)
    core = positive[0] or positive[1]
    if core and n_positive >= 5:
        return ("Major depressive syndrome criteria met (PHQ-9 algorithm; not a diagnosis)",)
    if core and 2 <= n_positive <= 4:
        return ("Other depressive syndrome criteria met (PHQ-9 algorithm; not a diagnosis)",)
    return ()


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the PHQ-9: sum 0-27, bands 0-4/5-9/10-14/15-19/20-27 and the item-9 alert.

    Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16:606-613. The item-9 alert is
    raised on any value >= 1 whatever the total (and an 'ask directly' prompt when item 9 is
    unanswered), even when no total can be given. Missing items: no total unless
    ``settings.phq_gad_max_prorated`` allows proration (mean x 9; UNVERIFIED).
    """
    scores = scores_of(ITEMS, answers)
    values = list(scores.values())
    n_answered = len(answered(scores))
    alerts = item9_alerts(scores[ITEM9])
    total, reason, prorated = _phq.prorated_total(values, settings)
    if total is None:
        return not_scored(KEY, reason or "not scored", n_answered=n_answered, n_items=len(ITEMS), alerts=alerts)
    notes: list[str] = []
    if prorated:
        notes.append(f"prorated: mean of {n_answered} answered items x 9 = {fmt(total)} (local policy)")
    else:
        notes.extend(syndrome_notes([value for value in values if value is not None]))
    if total >= CUTOFF:
        notes.append("PHQ-9 >= 10: major depression likely (screen; confirm clinically)")
    return scored(KEY, total, n_answered=n_answered, n_items=len(ITEMS), band=band_lower(total, BANDS), notes=notes,
                  alerts=alerts, positive=total >= CUTOFF)


INSTRUMENT = Instrument(
    key=KEY,
    name="Patient Health Questionnaire (PHQ-9)",
    short_name="PHQ-9",
    version="PHQ-9",
    source="Kroenke K, Spitzer RL, Williams JBW. J Gen Intern Med 2001;16:606-613",
    licence=(
        "Free: no permission required to reproduce, translate, display or distribute "
        "(phqscreeners.com; developed with an educational grant from Pfizer Inc.)"
    ),
    items=ITEMS,
    scorer=score,
    unverified=(
        "PHQ-9 proration of missing items (configurable, default off)",
        "PHQ-9 MCID 5 points (not used)",
    ),
    description=(
        "Over the last 2 weeks, how often has the patient been bothered by each problem. "
        "Any answer of 1 or more to item 9 raises an alert that must be acknowledged."
    ),
)
