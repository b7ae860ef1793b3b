"""Each instrument's bands in order of severity, from the instruments' own band tables.

The admin's visit list filters on "this band or worse" (ODI severe disability or worse, PHQ-9
moderate depression or worse...). The order comes from the band table an instrument scores with
(``BANDS`` in its module, mildest first), so a band added or renamed there reaches the filter with
no other edit. Instruments that give a yes/no verdict instead of a graded table (DN4, PCS, TSK...)
have no bands here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from .instruments import dn4
from .instruments import fabq
from .instruments import gad7
from .instruments import lanss
from .instruments import odi
from .instruments import paindetect
from .instruments import pcs
from .instruments import phq9
from .instruments import rmdq
from .instruments import startback
from .instruments import tsk

_MODULES: tuple[ModuleType, ...] = (odi, phq9, gad7, dn4, paindetect, startback, pcs, rmdq, fabq, tsk, lanss)


@dataclass(frozen=True)
class Band:
    """One band of one instrument; ``rank`` 0 is the mildest."""

    instrument: str
    short_name: str
    key: str
    label: str
    rank: int

    @property
    def value(self) -> str:
        """How a filter names it: ``instrument:band``."""
        return f"{self.instrument}:{self.key}"


def _table(module: ModuleType) -> Sequence[tuple[object, str, str]]:
    table = getattr(module, "BANDS", None)
    return table if isinstance(table, tuple) else ()


def band_scales() -> dict[str, tuple[Band, ...]]:
    """Instrument key -> its bands, mildest first (only instruments scored with a band table)."""
    out: dict[str, tuple[Band, ...]] = {}
    for module in _MODULES:
        instrument = module.INSTRUMENT
        rows = _table(module)
        if rows:
            out[instrument.key] = tuple(
                Band(instrument.key, instrument.short_name, key, label, rank)
                for rank, (_bound, key, label) in enumerate(rows)
            )
    return out


def band_or_worse(value: str) -> tuple[str, tuple[str, ...]] | None:
    """For ``instrument:band``, the instrument and the keys of that band and every worse one;
    None when no such band exists."""
    instrument, _, key = value.partition(":")
    scale = band_scales().get(instrument, ())
    chosen = next((band for band in scale if band.key == key), None)
    if chosen is None:
        return None
    return instrument, tuple(band.key for band in scale if band.rank >= chosen.rank)
