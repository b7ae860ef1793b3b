"""Checklist versions that hold (checklist/versions.py): the definition of ``VERSION`` is the one
recorded when it was released, every released version stays loadable as it was, and a changed
definition shows in the fingerprint."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path

import pytest

import fbss_eval.checklist as checklist
import fbss_eval.checklist.sections as checklist_sections
from fbss_eval.checklist import all_sections
from fbss_eval.checklist import versions
from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.schema import EnableWhen
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Option
from fbss_eval.checklist.schema import Section

HOW_TO_RELEASE = """
The checklist's definition (a section, field, option, score, enable-when, label, hint or instrument)
changed, but VERSION in fbss_eval/checklist/__init__.py is still {version}. Visits captured with
{version} must keep reading as they did, so:
  1. bump VERSION in fbss_eval/checklist/__init__.py (e.g. {version} -> the year.month.n of today);
  2. run `flask --app fbss_eval checklist --release`: it writes fbss_eval/checklist/releases/<VERSION>.json,
     the new version's definition and fingerprint (`flask --app fbss_eval checklist --fingerprint` shows it);
  3. review the diff between the old and the new release file and commit both.
Only if no stored visit was ever captured with {version} (it never reached a clinic) may you instead
re-record it in place: `flask --app fbss_eval checklist --release --replace`.
See fbss_eval/checklist/versions.py."""


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    versions.read_release.cache_clear()
    versions.release_sections.cache_clear()
    yield
    versions.read_release.cache_clear()
    versions.release_sections.cache_clear()


def test_the_current_version_is_released():
    assert checklist.VERSION in versions.released_versions(), (
        f"VERSION {checklist.VERSION} has no release file: run `{versions.RELEASE_COMMAND}` and commit "
        f"fbss_eval/checklist/releases/{checklist.VERSION}.json")


def test_the_checklist_definition_is_the_one_released_as_its_version():
    """Fails when a section's definition changes without a version bump (read the message)."""
    recorded = versions.read_release(checklist.VERSION)["fingerprint"]
    assert versions.current_fingerprint() == recorded, HOW_TO_RELEASE.format(version=checklist.VERSION)


def test_every_release_file_is_as_it_was_written():
    """A release file is never edited: its content still has the fingerprint recorded in it."""
    assert versions.released_versions(), "no release files"
    for version in versions.released_versions():
        record = versions.read_release(version)
        assert record["version"] == version
        assert versions.fingerprint(record["definition"]) == record["fingerprint"], (
            f"releases/{version}.json was edited after its release")


def test_every_release_loads_and_the_current_one_is_the_live_checklist():
    for version in versions.released_versions():
        sections = versions.release_sections(version)
        assert sections, version
        assert all(isinstance(s, Section) for s in sections)
    assert versions.release_sections(checklist.VERSION) == all_sections(INSTRUMENTS.keys())


def test_sections_for_keeps_only_the_enabled_optional_instruments():
    current = versions.sections_for(checklist.VERSION)
    assert current == all_sections()
    assert "rmdq" not in {s.key for s in current}
    with_rmdq = versions.sections_for(checklist.VERSION, ("rmdq",))
    assert with_rmdq == all_sections(("rmdq",))
    assert "rmdq" in {s.key for s in with_rmdq}
    released = versions.release_sections(checklist.VERSION)
    assert tuple(s for s in released if not s.optional or s.key == "rmdq") == with_rmdq


def test_an_unknown_version_raises_a_clear_error():
    with pytest.raises(versions.UnknownChecklistVersion) as raised:
        versions.sections_for("1999.1.1")
    message = str(raised.value)
    assert "'1999.1.1' is not a released version" in message
    assert checklist.VERSION in message
    assert versions.RELEASE_COMMAND in message
    with pytest.raises(ValueError, match="not a checklist version"):
        versions.sections_for("../../etc/passwd")


def _replace_in_examination(change: Callable[[Section], Section]) -> tuple[Section, ...]:
    original = checklist_sections.BEFORE_INSTRUMENTS
    index = next(i for i, s in enumerate(original) if s.key == "examination")
    return (*original[:index], change(original[index]), *original[index + 1:])


def _change_gait(**changes: object) -> Callable[[Section], Section]:
    def change(section: Section) -> Section:
        items = tuple(dataclasses.replace(item, **changes) if item.key == "gait" else item for item in section.items)
        return dataclasses.replace(section, items=items)
    return change


def _gait_options(options: Callable[[tuple[Option, ...]], tuple[Option, ...]]) -> Callable[[Section], Section]:
    def change(section: Section) -> Section:
        gait = section.item("gait")
        assert isinstance(gait, Field)
        return _change_gait(options=options(gait.options))(section)
    return change


CHANGES: dict[str, Callable[[Section], Section]] = {
    "label": _change_gait(label="Walking pattern"),
    "hint (presentation only)": _change_gait(hint="Watch the patient walk."),
    "required": _change_gait(required=False),
    "enable-when": _change_gait(enable_when=(EnableWhen("umn_signs", "eq", "no"),)),
    "option removed": _gait_options(lambda opts: opts[:-1]),
    "option value renamed": _gait_options(lambda opts: (dataclasses.replace(opts[0], value="normal_gait"), *opts[1:])),
    "option label": _gait_options(lambda opts: (dataclasses.replace(opts[0], label="Normal gait"), *opts[1:])),
    "option score": _gait_options(lambda opts: (dataclasses.replace(opts[0], score=1), *opts[1:])),
    "field added": lambda s: dataclasses.replace(s, items=(*s.items, Field("new_q", "New question", "text"))),
    "section title": lambda s: dataclasses.replace(s, title="Physical examination"),
    "fields reordered": lambda s: dataclasses.replace(s, items=(s.items[-1], *s.items[:-1])),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_any_change_of_a_section_changes_the_fingerprint(change, monkeypatch):
    """What makes the release test above fail: each of these edits, made without a bump."""
    before = versions.current_fingerprint()
    monkeypatch.setattr(checklist_sections, "BEFORE_INSTRUMENTS", _replace_in_examination(CHANGES[change]))
    assert versions.current_fingerprint() != before


def test_a_changed_instrument_definition_changes_the_fingerprint(monkeypatch):
    before = versions.current_fingerprint()
    odi = INSTRUMENTS["odi"]
    monkeypatch.setitem(INSTRUMENTS, "odi", dataclasses.replace(odi, source=odi.source + " (2nd edition)"))
    assert versions.current_fingerprint() != before


def test_an_older_release_is_read_from_its_file(tmp_path: Path, monkeypatch, fresh_caches):
    """Release 'test.1', change the checklist and release 'test.2': each reads as released."""
    monkeypatch.setattr(versions, "RELEASES_DIR", tmp_path)
    monkeypatch.setattr(checklist, "VERSION", "test.1")
    first = versions.write_release()
    assert first == tmp_path / "test.1.json"
    with pytest.raises(FileExistsError, match="already released"):
        versions.write_release()

    monkeypatch.setattr(checklist_sections, "BEFORE_INSTRUMENTS",
                        _replace_in_examination(_change_gait(label="Walking pattern")))
    monkeypatch.setattr(checklist, "VERSION", "test.2")
    versions.write_release()
    assert versions.released_versions() == ("test.1", "test.2")

    def gait_label(version: str) -> str:
        section = next(s for s in versions.sections_for(version) if s.key == "examination")
        return section.item("gait").label

    assert gait_label("test.1") == "Gait"
    assert gait_label("test.2") == "Walking pattern"
    # the older version comes from its file, not from the modules
    monkeypatch.setattr(checklist_sections, "BEFORE_INSTRUMENTS", _replace_in_examination(_change_gait(label="X")))
    assert gait_label("test.1") == "Gait"
    assert "Walking pattern" in first.with_name("test.2.json").read_text(encoding="utf-8")


def test_a_release_file_reads_a_later_attribute_as_its_default_and_refuses_a_removed_one():
    option = versions.encode(Option("yes", "Yes", 1))
    assert option == {"_type": "Option", "value": "yes", "label": "Yes", "score": 1}
    assert versions.decode({"_type": "Option", "value": "yes", "label": "Yes"}) == Option("yes", "Yes")
    with pytest.raises(ValueError, match=r"Option no longer has the attribute\(s\) \['colour'\]"):
        versions.decode({**option, "colour": "red"})
    with pytest.raises(ValueError, match="unknown checklist type"):
        versions.decode({"_type": "Widget"})


def test_the_fingerprint_is_sha256_of_the_canonical_json():
    import hashlib

    data = {"b": [1, 2.5, None], "a": "é"}
    expected = hashlib.sha256('{"a":"é","b":[1,2.5,null]}'.encode()).hexdigest()
    assert versions.fingerprint(data) == expected
    assert versions.fingerprint(json.loads(json.dumps(data))) == expected


def test_a_str_enum_attribute_is_recorded_by_its_value():
    """Should a presentation attribute be a StrEnum, its release reads back equal."""
    import enum

    class Place(enum.StrEnum):
        HEADLINE = "headline"

    assert versions.encode(Option(Place.HEADLINE, "Yes")) == {"_type": "Option", "value": "headline",
                                                              "label": "Yes", "score": None}
    assert versions.decode(versions.encode(Option(Place.HEADLINE, "Yes"))) == Option(Place.HEADLINE, "Yes")


def test_every_section_of_every_version_is_hashable():
    """Section forms are built once per section definition (forms.builder caches on it), so a
    definition must be hashable: write tuples, not lists, in the checklist data."""
    for version in versions.released_versions():
        for section in versions.release_sections(version):
            hash(section)
    for section in all_sections(INSTRUMENTS.keys()):
        hash(section)
