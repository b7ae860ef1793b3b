"""DN4 (Douleur Neuropathique en 4 questions) (reference 2.6).

Source: Bouhassira D et al. Pain 2005;114(1-2):29-36. Clinician-administered: 7 interview items
(Q1-Q2) and 3 examination items (Q3-Q4) in the painful area, 1 point per yes.
"DN4© 2005. Bouhassira D. All rights reserved", distributed by Mapi Research Trust: the question
text is not in this repository; the labels below name the symptom or sign only.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import YES_NO
from .base import Instrument
from .common import BandSet
from .common import answered
from .common import item
from .common import not_scored
from .common import scored
from .common import scores_of
from .common import total

KEY = "dn4"
EXAM_DONE = "dn4_exam_done"

INTERVIEW_TOPICS = (
    "Burning",
    "Painful cold",
    "Electric shocks",
    "Tingling",
    "Pins and needles",
    "Numbness",
    "Itching",
)
EXAM_TOPICS = (
    "Hypoaesthesia to touch (exam)",
    "Hypoaesthesia to pinprick (exam)",
    "Pain caused or increased by brushing (exam)",
)

EXAM_ENABLED = (EnableWhen(field=EXAM_DONE, op="eq", value="yes"),)

INTERVIEW_ITEMS = tuple(
    item(f"{KEY}_{number}", label, YES_NO) for number, label in enumerate(INTERVIEW_TOPICS, start=1)
)
EXAM_ITEMS = tuple(
    item(f"{KEY}_{number}", label, YES_NO, enable_when=EXAM_ENABLED)
    for number, label in enumerate(EXAM_TOPICS, start=len(INTERVIEW_TOPICS) + 1)
)
ITEMS = INTERVIEW_ITEMS + EXAM_ITEMS

EXTRA_FIELDS = (
    Field(
        key=EXAM_DONE,
        label="Examination of the painful area done (items 8-10)",
        type="choice",
        options=(Option("yes", "Yes"), Option("no", "No")),
        required=True,
    ),
)

CUTOFF = 4  # DN4/10 >= 4 positive (Bouhassira 2005) [V]
INTERVIEW_CUTOFF = 3  # DN4-interview /7 >= 3 positive [S]


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    del settings  # fixed cut-offs
    not_reported = "DN4/10 not reported"
    return (f"DN4/10 < {CUTOFF}", f"DN4/10 >= {CUTOFF}", f"DN4-interview /7 < {INTERVIEW_CUTOFF}, {not_reported}",
            f"DN4-interview /7 >= {INTERVIEW_CUTOFF}, {not_reported}")


# Reference 2.6: DN4/10 >= 4 positive (Bouhassira D et al. Pain 2005;114(1-2):29-36) [V]; without
# the examination only DN4-interview /7 is reported, >= 3 positive (attributed to the same
# paper) [S]. Four separate verdicts: a DN4-interview result is not a DN4/10 one.
BAND_SET = BandSet(
    bands=(("negative", "Negative"), ("positive", "Positive"),
           ("interview_negative", "DN4-interview negative"), ("interview_positive", "DN4-interview positive")),
    graded=False,
    criteria=_criteria,
)


def _interview_text(interview: int) -> str:
    verdict = "positive" if interview >= INTERVIEW_CUTOFF else "negative"
    return f"DN4-interview {interview}/7 — {verdict} (cut-off >= 3)"


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the DN4: DN4/10 (>= 4 positive) and DN4-interview /7 (>= 3 positive).

    Bouhassira D et al. Pain 2005;114(1-2):29-36. DN4/10 only when the examination was done
    and all 10 items are answered; DN4-interview whenever items 1-7 are answered, reported
    in ``subscores["interview"]`` and in the notes beside DN4/10 (both shown explicitly).
    """
    del settings  # no configurable rule
    scores = scores_of(ITEMS, answers)
    interview_keys = [field.key for field in INTERVIEW_ITEMS]
    exam_keys = [field.key for field in EXAM_ITEMS]
    exam_done = answers.get(EXAM_DONE) == "yes"
    interview = total(scores, interview_keys)
    exam = total(scores, exam_keys) if exam_done else None
    counted = ITEMS if exam_done else INTERVIEW_ITEMS
    n_answered = len(answered({field.key: scores[field.key] for field in counted}))
    subscores: dict[str, float | None] = {"interview": interview, "examination": exam}
    n_items = len(counted)

    if interview is None:
        n_missing = sum(scores[key] is None for key in interview_keys)
        reason = f"{n_missing} interview item(s) missing; DN4 needs items 1-7"
        return not_scored(KEY, reason, n_answered=n_answered, n_items=n_items, subscores=subscores)
    interview_note = _interview_text(int(interview))
    if exam is None:
        why = (
            "some examination items not answered"
            if exam_done
            else "examination not done"
            if answers.get(EXAM_DONE) == "no"
            else "examination not recorded"
        )
        interview_positive = interview >= INTERVIEW_CUTOFF
        return not_scored(
            KEY, f"DN4/10 not reported: {why}", n_answered=n_answered, n_items=n_items, subscores=subscores,
            notes=(interview_note,), positive=interview_positive,
            band=(BAND_SET.band("interview_positive" if interview_positive else "interview_negative")[0],
                  f"{interview_note}; DN4/10 not reported ({why})"),
        )
    full = interview + exam
    positive = full >= CUTOFF
    verdict = "positive" if positive else "negative"
    notes = [f"DN4 {int(full)}/10 — {verdict} (cut-off >= 4)", interview_note]
    if positive != (interview >= INTERVIEW_CUTOFF):
        notes.append("DN4/10 and DN4-interview disagree; DN4/10 (with examination) applies")
    return scored(KEY, full, n_answered=n_answered, n_items=n_items, subscores=subscores, notes=notes,
                  band=BAND_SET.band(verdict), positive=positive)


INSTRUMENT = Instrument(
    key=KEY,
    name="DN4 neuropathic pain questionnaire",
    short_name="DN4",
    version="DN4 (10 items)",
    source="Bouhassira D et al. Pain 2005;114(1-2):29-36",
    licence=(
        "DN4© 2005 Bouhassira D, all rights reserved; distributed by Mapi Research Trust "
        "(fees may apply to healthcare organisations and IT companies). Item text not "
        "included — capture yes/no answers from a licensed form"
    ),
    items=ITEMS,
    scorer=score,
    extra_fields=EXTRA_FIELDS,
    unverified=("DN4-interview cut-off >= 3 attributed to the original paper (secondary source)",),
    description=(
        "Clinician-administered. Items 1-7 by interview; items 8-10 by examination of the "
        "painful area. DN4/10 >= 4 positive; without examination only DN4-interview "
        "(/7, >= 3 positive) is reported."
    ),
)
