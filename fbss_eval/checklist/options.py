"""Option lists shared by several sections (levels, sides, yes/no/unknown ...).

Keep these stable: stored answers hold the ``value`` strings, so renaming a value orphans data.
"""

from __future__ import annotations

from .schema import Option

# Spinal levels (vertebrae / roots) a procedure, study or block may involve.
LEVELS: tuple[Option, ...] = (
    Option("L1", "L1"),
    Option("L2", "L2"),
    Option("L3", "L3"),
    Option("L4", "L4"),
    Option("L5", "L5"),
    Option("S1", "S1"),
    Option("pelvis", "Pelvis / ilium"),
)

# Lumbar motion segments (disc levels).
SEGMENTS: tuple[Option, ...] = (
    Option("L1-L2", "L1-L2"),
    Option("L2-L3", "L2-L3"),
    Option("L3-L4", "L3-L4"),
    Option("L4-L5", "L4-L5"),
    Option("L5-S1", "L5-S1"),
)

# Nerve roots examined or tested (reference 3.d: L2..S1).
ROOTS: tuple[Option, ...] = (
    Option("L2", "L2"),
    Option("L3", "L3"),
    Option("L4", "L4"),
    Option("L5", "L5"),
    Option("S1", "S1"),
)

SIDES: tuple[Option, ...] = (
    Option("left", "Left"),
    Option("right", "Right"),
    Option("bilateral", "Bilateral"),
    Option("midline", "Midline / central"),
)

YES_NO: tuple[Option, ...] = (
    Option("yes", "Yes"),
    Option("no", "No"),
)

YES_NO_UNKNOWN: tuple[Option, ...] = (
    Option("yes", "Yes"),
    Option("no", "No"),
    Option("unknown", "Unknown / not assessed"),
)

__all__ = ["LEVELS", "ROOTS", "SEGMENTS", "SIDES", "YES_NO", "YES_NO_UNKNOWN"]
