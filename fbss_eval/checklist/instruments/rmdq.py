"""Roland-Morris Disability Questionnaire (RMDQ-24) (reference 2.2).

Source: Roland M, Morris R. Spine 1983;8(2):141-144; Roland M, Fairbank J. Spine
2000;25(24):3115-3124. 24 statements the patient ticks if they apply today; 1 point per tick.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import YES_NO
from .base import Instrument
from .common import answered
from .common import fmt
from .common import not_scored
from .common import numbered_items
from .common import scored
from .common import scores_of

KEY = "rmdq"

ITEMS = numbered_items(KEY, tuple(f"Statement {number} (applies today?)" for number in range(1, 25)), YES_NO)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the RMDQ: number of 'yes' (ticked) statements, 0-24; no severity bands.

    Roland M, Morris R. Spine 1983;8(2):141-144. With explicit yes/no there is no standard
    missing rule (Kent & Lauridsen): ``settings.rmdq_blank_as_no`` counts a blank as No (the
    paper-form convention, default) or else prorates ticks x 24 / answered (UNVERIFIED).
    """
    scores = scores_of(ITEMS, answers)
    done = answered(scores)
    n_items = len(ITEMS)
    n_blank = n_items - len(done)
    if not done:
        return not_scored(KEY, "No statement answered", n_answered=0, n_items=n_items)
    ticks = sum(done.values())
    notes: list[str] = []
    if n_blank == 0:
        value: float = ticks
    elif settings.rmdq_blank_as_no:
        value = ticks
        notes.append(f"{n_blank} blank statement(s) counted as No (configurable policy)")
    else:
        value = ticks * n_items / len(done)
        notes.append(f"prorated: {ticks} of {len(done)} answered x 24 = {fmt(value)} (configurable policy)")
    if value < 4 or value > 20:
        notes.append("Scores below 4 or above 20 show change poorly (floor/ceiling)")
    return scored(KEY, value, n_answered=len(done), n_items=n_items, notes=notes)


INSTRUMENT = Instrument(
    key=KEY,
    name="Roland-Morris Disability Questionnaire (RMDQ-24)",
    short_name="RMDQ",
    version="RMDQ-24",
    source="Roland M, Morris R. Spine 1983;8(2):141-144",
    licence=(
        "Roland & Morris; no permission needed for the forms in Roland & Fairbank 2000 "
        "(non-commercial use with citation); commercial/software terms UNVERIFIED. "
        "Item text not included — capture yes/no per statement"
    ),
    items=ITEMS,
    scorer=score,
    optional=True,
    unverified=("RMDQ blank statements: count as No (configurable) or prorate",),
    description=(
        "Record yes for each statement the patient ticked as applying today. MCID 5 points or 30% (Ostelo 2008)."
    ),
)
