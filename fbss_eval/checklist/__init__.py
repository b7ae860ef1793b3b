"""The clinical content of fbss_eval, as data: the one source of truth for the workup.

No Flask import anywhere in this package. ``all_sections()`` gives the workup in order; instrument
sections sit between the diagnostic sections and the psychosocial ones.
"""

from __future__ import annotations

from collections.abc import Iterable

from .schema import Section

# The version new visits are captured with; each visit stores it and is read with it (versions.py).
# Bump it when the checklist's definition changes (tests/unit/test_checklist_versions.py says so),
# then write the new release file: `flask --app fbss_eval checklist --release`.
VERSION = "2026.12.1"


def all_sections(enabled_optional: Iterable[str] = ()) -> tuple[Section, ...]:
    """Every section of the workup in order; optional instruments only when enabled."""
    from .instruments import INSTRUMENTS
    from .sections import AFTER_INSTRUMENTS
    from .sections import BEFORE_INSTRUMENTS

    enabled = set(enabled_optional)
    instrument_sections = tuple(
        inst.section() for inst in INSTRUMENTS.values() if not inst.optional or inst.key in enabled
    )
    return BEFORE_INSTRUMENTS + instrument_sections + AFTER_INSTRUMENTS


def section_map(enabled_optional: Iterable[str] = ()) -> dict[str, Section]:
    """Sections by key."""
    return {sec.key: sec for sec in all_sections(enabled_optional)}
