"""Released checklist versions: every version a visit may have been captured with stays loadable.

design.md section 3: a visit stores the checklist version it was captured with, so that a later
change of the checklist never alters how an old visit reads. The design that keeps this simple:

- The checklist modules (``sections/``, ``instruments/``) always describe the *current* version,
  ``VERSION`` in ``checklist/__init__.py``. Nobody writes old definitions by hand.
- When a version is released, its whole definition (every section, field, repeat group, option,
  score, enable-when condition and instrument, all their attributes) is written as data to
  ``releases/<version>.json``, with the SHA-256 fingerprint of that data:
  ``flask --app fbss_eval checklist --release``. The file is never edited afterwards; the diff
  between two release files is the reviewed list of what a new version changed.
- ``sections_for(version)`` gives the sections of a version: the live modules for the current
  version, the release file for an older one. An unknown version raises ``UnknownChecklistVersion``.
- ``tests/unit/test_checklist_versions.py`` fails when the live definition no longer matches the
  fingerprint recorded for ``VERSION`` (a field changed without a version bump), and tells the
  engineer what to do.

What the fingerprint covers: every attribute of ``Section``, ``Field``, ``RepeatGroup``, ``Option``
and ``EnableWhen`` (presentation attributes too, such as labels, hints, and any attribute added
later: they change how a visit reads or prints), and each instrument's name, version, source,
licence, optionality and unverified rules. It does not cover code: scoring functions, rules and the
configurable scoring settings (``settings.py``) are tested by the unit tests, not versioned here.

A release written before an attribute existed reads that attribute as its default; an attribute
that no longer exists in the code makes the release unreadable (``release_sections`` says which),
so such a change needs a written step that migrates the release files, reviewed like any other.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from collections.abc import Iterable
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from . import schema
from .schema import Section

RELEASES_DIR = Path(__file__).with_name("releases")
RELEASE_COMMAND = "flask --app fbss_eval checklist --release"

# The classes a release file may contain, by the name it records in "_type".
_TYPES: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (schema.Section, schema.Field, schema.RepeatGroup, schema.Option, schema.EnableWhen)
}
# Instrument attributes that are code or already part of its section.
_INSTRUMENT_SKIP = ("scorer", "items", "extra_fields")


class UnknownChecklistVersion(LookupError):
    """A checklist version with no release file (and not the current version)."""

    def __init__(self, version: str) -> None:
        known = ", ".join(released_versions()) or "none"
        super().__init__(
            f"Checklist version {version!r} is not a released version (released: {known}; current: "
            f"{current_version()}). Every visit records the version it was captured with, and each "
            f"such version needs its file in fbss_eval/checklist/releases/ (written by `{RELEASE_COMMAND}`)."
        )
        self.version = version


def current_version() -> str:
    """The version new visits are captured with (``checklist.VERSION``, read at call time)."""
    from . import VERSION

    return VERSION


def _live_sections() -> tuple[Section, ...]:
    """The whole current workup from the checklist modules, every optional instrument included."""
    from . import all_sections
    from .instruments import INSTRUMENTS

    return all_sections(INSTRUMENTS.keys())


# ---------------------------------------------------------------------------------------------
# The definition as data, and its fingerprint
# ---------------------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A checklist definition as JSON-ready data: every attribute of every dataclass, by name."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__name__ not in _TYPES:
            raise TypeError(f"{type(value).__name__} cannot be part of a checklist release")
        out = {"_type": type(value).__name__}
        out.update({spec.name: encode(getattr(value, spec.name)) for spec in dataclasses.fields(value)})
        return out
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, enum.Enum):  # a StrEnum reads back as its value, which compares equal
        return encode(value.value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} values cannot be part of a checklist release")


def decode(data: Any) -> Any:
    """The inverse of ``encode``: lists become tuples, ``_type`` dicts the checklist's dataclasses."""
    if isinstance(data, list):
        return tuple(decode(item) for item in data)
    if not isinstance(data, dict):
        return data
    cls = _TYPES.get(data.get("_type", ""))
    if cls is None:
        raise ValueError(f"unknown checklist type {data.get('_type')!r} in a release")
    names = {spec.name for spec in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names - {"_type"})
    if unknown:
        raise ValueError(f"{cls.__name__} no longer has the attribute(s) {unknown}: migrate the release files")
    return cls(**{key: decode(value) for key, value in data.items() if key != "_type"})


def definition() -> dict[str, Any]:
    """The current checklist's definition as data: its sections and its instruments."""
    from .instruments import INSTRUMENTS

    instruments = [
        {spec.name: encode(getattr(inst, spec.name)) for spec in dataclasses.fields(inst)
         if spec.name not in _INSTRUMENT_SKIP}
        for inst in INSTRUMENTS.values()
    ]
    return {"sections": [encode(section) for section in _live_sections()], "instruments": instruments}


def fingerprint(data: Mapping[str, Any]) -> str:
    """SHA-256 over a canonical serialisation of a definition (sorted keys, no white space)."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def current_fingerprint() -> str:
    """The fingerprint of the checklist as the modules define it now."""
    return fingerprint(definition())


# ---------------------------------------------------------------------------------------------
# Release files
# ---------------------------------------------------------------------------------------------


def release_path(version: str) -> Path:
    """Where a version's release file lives (the version must look like a version)."""
    if not version or not all(ch.isalnum() or ch in ".-_" for ch in version) or version.startswith("."):
        raise ValueError(f"not a checklist version: {version!r}")
    return RELEASES_DIR / f"{version}.json"


def released_versions() -> tuple[str, ...]:
    """Every version with a release file, sorted."""
    return tuple(sorted(path.stem for path in RELEASES_DIR.glob("*.json")))


@cache
def read_release(version: str) -> dict[str, Any]:
    """A release file's content: ``version``, ``fingerprint`` and the ``definition``."""
    path = release_path(version)
    if not path.is_file():
        raise UnknownChecklistVersion(version)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def release_sections(version: str) -> tuple[Section, ...]:
    """The sections of a released version, as its release file records them."""
    sections = decode(read_release(version)["definition"]["sections"])
    if not all(isinstance(section, Section) for section in sections):
        raise ValueError(f"release {version}: its sections are not all sections")
    return tuple(sections)


def write_release(replace: bool = False) -> Path:
    """Write the current version's release file (``RELEASE_COMMAND``); returns its path.

    A release is written once. ``replace`` rewrites it, which is only right while no stored visit
    was captured with that version (before the version reaches any clinic)."""
    version = current_version()
    path = release_path(version)
    if path.exists() and not replace:
        raise FileExistsError(
            f"{path.name} exists: version {version} is already released and its file is never edited. "
            f"Bump VERSION in fbss_eval/checklist/__init__.py for a changed checklist."
        )
    data = definition()
    record = {"version": version, "fingerprint": fingerprint(data), "definition": data}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    read_release.cache_clear()
    release_sections.cache_clear()
    return path


def fingerprint_status() -> str:
    """What ``flask --app fbss_eval checklist --fingerprint`` prints: the version, the live
    fingerprint, and whether the version's release file records that fingerprint."""
    version, live = current_version(), current_fingerprint()
    try:
        recorded = read_release(version)["fingerprint"]
    except UnknownChecklistVersion:
        return f"{version} {live}\nnot released yet: run `{RELEASE_COMMAND}`"
    if recorded == live:
        return f"{version} {live}\nmatches releases/{version}.json"
    return (f"{version} {live}\nDIFFERS from releases/{version}.json ({recorded}): the checklist changed "
            f"without a version bump. Bump VERSION in fbss_eval/checklist/__init__.py, then run `{RELEASE_COMMAND}`.")


# ---------------------------------------------------------------------------------------------
# What the rest of the app asks
# ---------------------------------------------------------------------------------------------


def all_sections_for(version: str) -> tuple[Section, ...]:
    """Every section of a version, optional instruments included."""
    if version == current_version():
        return _live_sections()
    return release_sections(version)


def sections_for(version: str, enabled_optional: Iterable[str] = ()) -> tuple[Section, ...]:
    """The sections of a checklist version, in order, with only the enabled optional instruments.

    Raises ``UnknownChecklistVersion`` for a version that is neither current nor released."""
    enabled = set(enabled_optional)
    return tuple(s for s in all_sections_for(version) if not s.optional or s.instrument in enabled)
