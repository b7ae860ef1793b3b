"""LANSS and S-LANSS pain scales (reference 2.8).

Sources: Bennett M. The LANSS Pain Scale. Pain 2001;92:147-157. S-LANSS: Bennett MI, Smith BH,
Torrance N, Potter J. J Pain 2005;6(3):149-158. Seven yes/no items with weights 5, 5, 3, 2, 1
(section A, symptoms over the past week) and 5, 3 (section B, bedside examination; in the
self-report S-LANSS a self-examination). One section for both: ``lanss_version``.
"""

from __future__ import annotations

from ..schema import Answers
from ..schema import Field
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
from .common import scored
from .common import scores_of

KEY = "lanss"
VERSION = "lanss_version"

# (topic, weight) [V] Bennett 2001.
TOPICS = (
    ("Dysaesthesia (pricking/tingling/pins and needles)", 5),
    ("Skin looks different (mottled/red)", 5),
    ("Abnormal sensitivity to touch / tight clothes", 3),
    ("Sudden bursts / electric shocks at rest", 2),
    ("Skin temperature feels abnormal (hot/burning)", 1),
    ("Allodynia to cotton wool (exam; self-exam in S-LANSS)", 5),
    ("Altered pinprick threshold (exam; self-exam in S-LANSS)", 3),
)
ITEMS = tuple(
    item(
        f"{KEY}_{number}",
        f"Item {number} — {topic}",
        (Option("yes", f"Yes ({weight})", weight), Option("no", "No (0)", 0)),
    )
    for number, (topic, weight) in enumerate(TOPICS, start=1)
)
EXTRA_FIELDS = (
    Field(
        key=VERSION,
        label="Version",
        type="choice",
        options=(
            Option("lanss", "LANSS (clinician examination)"),
            Option("s_lanss", "S-LANSS (self-report)"),
        ),
        required=True,
    ),
)
NAMES = {"lanss": "LANSS", "s_lanss": "S-LANSS"}


def cutoff(version: str, settings: ScoringSettings) -> int:
    """The cut-off for this version (``lanss_cutoff`` / ``slanss_cutoff``)."""
    return settings.slanss_cutoff if version == "s_lanss" else settings.lanss_cutoff


def _criteria(settings: ScoringSettings) -> tuple[str, ...]:
    lanss, slanss = settings.lanss_cutoff, settings.slanss_cutoff
    return f"LANSS < {lanss}, S-LANSS < {slanss}", f"LANSS >= {lanss}, S-LANSS >= {slanss}"


# Reference 2.8 [V]: LANSS total >= 12 neuropathic mechanisms likely, < 12 unlikely (Bennett M.
# Pain 2001;92:147-157); S-LANSS >= 12 (Bennett MI et al. J Pain 2005;6(3):149-158; the
# alternative >= 10 is UNVERIFIED: slanss_cutoff). No band without a recorded version.
BAND_SET = BandSet(
    bands=(("unlikely", "Neuropathic mechanisms unlikely"), ("likely", "Neuropathic mechanisms likely")),
    graded=False,
    criteria=_criteria,
    settings=("lanss_cutoff", "slanss_cutoff"),
)


def score(answers: Answers, settings: ScoringSettings = DEFAULT_SETTINGS) -> Result:
    """Score LANSS / S-LANSS: weighted yes answers, 0-24; >= cut-off neuropathic likely.

    Bennett M. Pain 2001;92:147-157 (LANSS >= 12); Bennett MI et al. J Pain 2005;6(3):149-158
    (S-LANSS >= 12; an alternative >= 10 is UNVERIFIED). Scored only when all 7 items are
    answered (no published missing rule). Without a recorded version the total is given but
    no cut-off is applied.
    """
    scores = scores_of(ITEMS, answers)
    done = answered(scores)
    n_missing = len(ITEMS) - len(done)
    if n_missing:
        return not_scored(KEY, all_needed_reason(n_missing), n_answered=len(done), n_items=len(ITEMS))
    value = sum(done.values())
    version = answers.get(VERSION)
    if version not in NAMES:
        return scored(KEY, value, n_answered=len(done), n_items=len(ITEMS),
                      notes=("Version (LANSS / S-LANSS) not recorded: cut-off not applied",))
    limit = cutoff(str(version), settings)
    likely = value >= limit
    rule = f"{NAMES[str(version)]} >= {limit}"
    key, label = BAND_SET.band("likely" if likely else "unlikely")
    band = (key, f"{label} ({rule})" if likely else f"{label} ({rule} not met)")
    return scored(KEY, value, n_answered=len(done), n_items=len(ITEMS), band=band, positive=likely)


INSTRUMENT = Instrument(
    key=KEY,
    name="LANSS / S-LANSS pain scale",
    short_name="LANSS",
    version="LANSS / S-LANSS",
    source=(
        "Bennett M. Pain 2001;92:147-157; S-LANSS: Bennett MI, Smith BH, Torrance N, Potter J. J Pain 2005;6(3):149-158"
    ),
    licence="Licence UNVERIFIED (Pain © IASP/Elsevier; Bennett 2005). Capture scores only",
    items=ITEMS,
    scorer=score,
    extra_fields=EXTRA_FIELDS,
    optional=True,
    unverified=(
        "LANSS/S-LANSS missing items: scored only when all 7 are answered",
        "S-LANSS alternative cut-off >= 10 (configurable, default 12)",
    ),
    description=(
        "Section A: symptoms over the past week. Section B: examination of the painful area "
        "against a non-painful area (self-examination in S-LANSS)."
    ),
)
