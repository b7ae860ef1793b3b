"""Decision support: every module in this package registers its rules with ``@rule``."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from ..settings import DEFAULT_SETTINGS
from ..settings import ScoringSettings
from .base import RULES
from .base import Pointer
from .base import VisitData

for _mod in pkgutil.iter_modules(__path__):
    if _mod.name != "base":
        import_module(f"{__name__}.{_mod.name}")


def pointers(data: VisitData, settings: ScoringSettings = DEFAULT_SETTINGS) -> list[Pointer]:
    """Every pointer that the visit's answers trigger, in rule registration order."""
    found: list[Pointer] = []
    for fn in RULES:
        found.extend(fn(data, settings))
    return found


__all__ = ["Pointer", "VisitData", "pointers"]
