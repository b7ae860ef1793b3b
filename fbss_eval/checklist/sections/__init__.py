"""The workup sections, one module each, in the order a consult usually walks them."""

from __future__ import annotations

from importlib import import_module

from ..schema import Section

_BEFORE = (
    "visit",
    "red_flags",
    "surgical_history",
    "examination",
    "imaging",
    "electrodiagnostics",
    "blocks",
)
_AFTER = ("psychosocial", "treatments", "differential", "plan")


def _load(names: tuple[str, ...]) -> tuple[Section, ...]:
    return tuple(import_module(f"{__name__}.{name}").SECTION for name in names)


BEFORE_INSTRUMENTS: tuple[Section, ...] = _load(_BEFORE)
AFTER_INSTRUMENTS: tuple[Section, ...] = _load(_AFTER)
