"""The validated instruments, one module each, in display order.

``INSTRUMENTS`` maps the instrument key (= module name = section key) to its ``Instrument``.
The NRS is not a section (its fields live in the visit section): see ``nrs``. Change and MCID
helpers are in ``mcid``.
"""

from __future__ import annotations

from . import dn4
from . import fabq
from . import gad7
from . import lanss
from . import odi
from . import paindetect
from . import pcs
from . import phq9
from . import rmdq
from . import startback
from . import tsk
from .base import Instrument

INSTRUMENTS: dict[str, Instrument] = {
    module.INSTRUMENT.key: module.INSTRUMENT
    for module in (odi, phq9, gad7, dn4, paindetect, startback, pcs, rmdq, fabq, tsk, lanss)
}

__all__ = ["INSTRUMENTS", "Instrument"]
