"""Tampa Scale for Kinesiophobia, TSK-17 and TSK-11 (reference 2.12).

Sources: Miller RP, Kori SH, Todd DD (1991), TSK-17; Vlaeyen JWS et al. Pain 1995;62:363-372
(cut-off); Woby SR, Roach NK, Urmston M, Watson PJ. Pain 2005;117:137-144 (TSK-11).
Items 1 strongly disagree .. 4 strongly agree [S]. One section for both versions: the field
``tsk_version`` ("17" / "11") hides the six items TSK-11 drops. Items keep their TSK-17 numbers.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import EnableWhen
from ..schema import Field
from ..schema import Option
from ..schema import Result
from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import Instrument
from .base import scale
from .common import BandSet
from .common import all_needed_reason
from .common import item
from .common import not_scored
from .common import scored
from .common import scores_of

KEY = "tsk"
VERSION = "tsk_version"

OPTIONS = scale("1 strongly disagree", "2 somewhat disagree", "3 somewhat agree", "4 strongly agree", start=1)
REVERSED = (4, 8, 12, 16)  # TSK-17 only: 5 - x [S]
DROPPED_IN_11 = (4, 8, 9, 12, 14, 16)  # [V] Woby 2005
TSK11 = tuple(number for number in range(1, 18) if number not in DROPPED_IN_11)
TSK17_ONLY = (EnableWhen(field=VERSION, op="ne", value="11"),)


def _label(number: int) -> str:
    if number in REVERSED:
        return f"Item {number} (reverse-scored; TSK-17 only)"
    if number in DROPPED_IN_11:
        return f"Item {number} (TSK-17 only)"
    return f"Item {number}"


ITEMS = tuple(
    item(
        f"{KEY}_{number}",
        _label(number),
        OPTIONS,
        enable_when=TSK17_ONLY if number in DROPPED_IN_11 else (),
    )
    for number in range(1, 18)
)
EXTRA_FIELDS = (
    Field(
        key=VERSION,
        label="Version",
        type="choice",
        options=(Option("17", "TSK-17"), Option("11", "TSK-11")),
        required=True,
    ),
)


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    return f"TSK-17 <= {settings.tsk17_high_above}", f"TSK-17 > {settings.tsk17_high_above}"


# Reference 2.12 [S]: TSK-17 > 37 = high kinesiophobia (Vlaeyen JWS et al. Pain 1995;62:363-372;
# boundary tested at 37: not high); TSK-11 has no validated cut-off, so it reports no band.
BAND_SET = BandSet(
    bands=(("not_high", "Not high"), ("high", "High kinesiophobia")),
    graded=False,
    criteria=_criteria,
    settings=("tsk17_high_above",),
)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score the TSK for the recorded version; all items of that version are needed.

    TSK-17 (Miller, Kori & Todd 1991): reverse items 4, 8, 12, 16 (5 - x), sum 17-68;
    > ``settings.tsk17_high_above`` (37, Vlaeyen 1995) = high kinesiophobia.
    TSK-11 (Woby et al. Pain 2005;117:137-144): items 1-3, 5-7, 10, 11, 13, 15, 17, no
    reverse items, 11-44, no validated cut-off (37 does not apply). No verified missing rule.
    """
    version = answers.get(VERSION)
    scores = scores_of(ITEMS, answers)
    if version not in ("17", "11"):
        n_answered = sum(value is not None for value in scores.values())
        return not_scored(KEY, "TSK version (17 or 11) not recorded", n_answered=n_answered, n_items=len(ITEMS))
    numbers = range(1, 18) if version == "17" else TSK11
    done = {number: scores[f"{KEY}_{number}"] for number in numbers if scores[f"{KEY}_{number}"] is not None}
    n_items = len(numbers)
    if len(done) < n_items:
        return not_scored(KEY, all_needed_reason(n_items - len(done)), n_answered=len(done), n_items=n_items)
    if version == "11":
        return scored(KEY, sum(value for value in done.values() if value is not None), n_answered=n_items,
                      n_items=n_items, notes=("TSK-11: no validated cut-off (the TSK-17 cut-off does not apply)",))
    value = sum((5 - raw if number in REVERSED else raw) for number, raw in done.items() if raw is not None)
    high = value > settings.tsk17_high_above
    rule = f"TSK-17 > {settings.tsk17_high_above} (Vlaeyen 1995)"
    key, label = BAND_SET.band("high" if high else "not_high")
    band = (key, f"{label} ({rule})")
    return scored(KEY, value, n_answered=n_items, n_items=n_items, band=band, positive=high)


INSTRUMENT = Instrument(
    key=KEY,
    name="Tampa Scale for Kinesiophobia (TSK-17 / TSK-11)",
    short_name="TSK",
    version="TSK-17 / TSK-11",
    source=(
        "Miller RP, Kori SH, Todd DD 1991 (TSK-17); Vlaeyen JWS et al. Pain 1995;62:363-372; "
        "Woby SR et al. Pain 2005;117:137-144 (TSK-11)"
    ),
    licence="Licence UNVERIFIED (Miller, Kori & Todd; Woby 2005). Item text not included",
    items=ITEMS,
    scorer=score,
    extra_fields=EXTRA_FIELDS,
    optional=True,
    unverified=(
        "TSK missing items: scored only when all items of the version are answered",
        "TSK-17 high kinesiophobia boundary > 37 (configurable)",
    ),
    description=(
        "Choose the version first; items keep their TSK-17 numbers. Each item 1 (strongly "
        "disagree) .. 4 (strongly agree). A fall of >= 4 points is an important reduction."
    ),
)
