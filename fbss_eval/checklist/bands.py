"""Each instrument's bands in order of severity, from the band tables the instruments score with.

The admin's visit list filters on a band. On a graded scale it asks for "this band or worse" (ODI
severe disability or worse, PHQ-9 moderate depression or worse, STarT Back medium risk or worse,
back pain now moderate or worse...); on a screen that gives separate verdicts it asks for exactly
one (DN4 positive, PCS clinically relevant catastrophising, TSK-17 high kinesiophobia...).

The bands are the ones the scorer itself reports, so the two cannot disagree: the ``BANDS`` table
of a module scored with ``band_upper`` / ``band_lower`` (graded, mildest first), or the module's
``BAND_SET`` (``instruments.common.BandSet``) that its scorer takes its band keys and labels from.
A band added or renamed there reaches the filter with no other edit. The RMDQ has no bands (Roland
& Morris publish none) and is not filterable; TSK-11 has no validated cut-off and reports none.

Where a boundary rests on a setting the reference could not verify (``settings.SETTING_NOTES``),
the choice says so: "unverified threshold (configurable)". A stored band is the one the scorer
gave under the settings in force when the visit was saved; the choice's wording shows the
settings in force now.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from types import ModuleType

from .instruments import dn4
from .instruments import fabq
from .instruments import gad7
from .instruments import lanss
from .instruments import nrs
from .instruments import odi
from .instruments import paindetect
from .instruments import pcs
from .instruments import phq9
from .instruments import rmdq
from .instruments import startback
from .instruments import tsk
from .instruments.common import BandSet
from .settings import DEFAULT_SETTINGS
from .settings import SETTING_NOTES
from .settings import ScoringSettings

_MODULES: tuple[ModuleType, ...] = (odi, phq9, gad7, dn4, paindetect, startback, pcs, rmdq, fabq, tsk, lanss)
UNVERIFIED_MARK = "unverified threshold (configurable)"


@dataclass(frozen=True)
class Band:
    """One band of one instrument; ``rank`` 0 is the mildest.

    ``selects``: the band keys a filter on this band matches (this band and every worse one on
    a graded scale, this band alone for a verdict). ``criterion``: the band's rule in words under
    the settings in force, when the instrument gives one. ``unverified``: the boundary rests on
    a setting the reference could not verify.
    """

    instrument: str
    short_name: str
    key: str
    label: str
    rank: int
    selects: tuple[str, ...]
    graded: bool = True
    criterion: str | None = None
    unverified: bool = False

    @property
    def value(self) -> str:
        """How a filter names it: ``instrument:band``."""
        return f"{self.instrument}:{self.key}"

    @property
    def choice_label(self) -> str:
        """The filter's wording: 'STarT Back: Medium risk (total >= 4, psychosocial <= 3) or worse'."""
        text = f"{self.short_name}: {self.label}"
        if self.criterion:
            text += f" ({self.criterion})"
        if self.graded:
            text += " or worse"
        if self.unverified:
            text += f" — {UNVERIFIED_MARK}"
        return text


def _from_table(instrument: str, short_name: str, table: Sequence[tuple[object, str, str]]) -> tuple[Band, ...]:
    keys = tuple(key for _bound, key, _label in table)
    return tuple(Band(instrument, short_name, key, label, rank, keys[rank:])
                 for rank, (_bound, key, label) in enumerate(table))


def _from_set(instrument: str, short_name: str, bands: BandSet, settings: ScoringSettings) -> tuple[Band, ...]:
    keys = tuple(key for key, _label in bands.bands)
    criteria = bands.criteria(settings)
    unverified = any(not SETTING_NOTES[name][1] for name in bands.settings)
    return tuple(
        Band(instrument, short_name, key, label, rank, keys[rank:] if bands.graded else (key,),
             graded=bands.graded, criterion=criteria[rank], unverified=unverified)
        for rank, (key, label) in enumerate(bands.bands)
    )


@lru_cache(maxsize=8)
def band_scales(settings: ScoringSettings = DEFAULT_SETTINGS) -> Mapping[str, tuple[Band, ...]]:
    """Instrument key (an NRS field's key for the NRS) -> its bands, mildest first: every
    instrument whose scorer reports a band."""
    out: dict[str, tuple[Band, ...]] = {}
    for module in _MODULES:
        instrument = module.INSTRUMENT
        table = getattr(module, "BANDS", None)
        band_set = getattr(module, "BAND_SET", None)
        if isinstance(table, tuple) and table:
            out[instrument.key] = _from_table(instrument.key, instrument.short_name, table)
        elif isinstance(band_set, BandSet):
            out[instrument.key] = _from_set(instrument.key, instrument.short_name, band_set, settings)
    for field, name in nrs.NRS_NAMES.items():
        out[field] = _from_set(field, name, nrs.BAND_SET, settings)
    return MappingProxyType(out)


def selected_bands(value: str) -> tuple[str, tuple[str, ...]] | None:
    """For ``instrument:band``, the instrument and the band keys a filter on it matches (that
    band and every worse one on a graded scale; that band alone for a verdict); None when no
    such band exists."""
    instrument, _, key = value.partition(":")
    chosen = next((band for band in band_scales().get(instrument, ()) if band.key == key), None)
    return None if chosen is None else (instrument, chosen.selects)
