"""Invariants every instrument must keep (keys, citations, scores, no licensed item text)."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.instruments.base import Instrument
from fbss_eval.checklist.schema import Result
from fbss_eval.checklist.settings import DEFAULT_SETTINGS

ALL = list(INSTRUMENTS.values())
IDS = list(INSTRUMENTS)


def test_display_order() -> None:
    assert IDS == [
        "odi", "phq9", "gad7", "dn4", "paindetect", "startback", "pcs",
        "rmdq", "fabq", "tsk", "lanss",
    ]  # fmt: skip


def test_optional_instruments() -> None:
    optional = {key for key, inst in INSTRUMENTS.items() if inst.optional}
    assert optional == {"rmdq", "fabq", "tsk", "lanss"}


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_key_is_module_name(inst: Instrument) -> None:
    assert inst.scorer.__module__ == f"fbss_eval.checklist.instruments.{inst.key}"
    assert inst.section().key == inst.key
    assert inst.section().instrument == inst.key
    assert inst.section().required is not inst.optional


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_source_licence_and_names(inst: Instrument) -> None:
    assert inst.source.strip()
    assert inst.licence.strip()
    assert inst.name.strip()
    assert inst.short_name.strip()
    assert inst.version.strip()


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_item_keys_unique_within_instrument(inst: Instrument) -> None:
    keys = [field.key for field in inst.extra_fields + inst.items]
    assert len(keys) == len(set(keys))


def test_item_keys_unique_across_instruments() -> None:
    keys = [f.key for inst in ALL for f in inst.extra_fields + inst.items]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_every_item_is_a_scored_choice(inst: Instrument) -> None:
    for field in inst.items:
        assert field.type == "choice", field.key
        assert field.options, field.key
        values = [opt.value for opt in field.options]
        assert len(values) == len(set(values)), field.key
        for opt in field.options:
            assert isinstance(opt.score, int | float), (field.key, opt.value)
            assert not isinstance(opt.score, bool), (field.key, opt.value)


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_items_required_except_odi_section_8(inst: Instrument) -> None:
    for field in inst.items:
        assert field.required is (field.key != "odi_8"), field.key
    for field in inst.extra_fields:
        assert field.required, field.key


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_labels_are_short_topics_not_item_text(inst: Instrument) -> None:
    """Guard against pasting licensed item text: labels name a topic only."""
    for field in inst.extra_fields + inst.items:
        assert 0 < len(field.label) <= 80, field.key
        for opt in field.options:
            assert len(opt.label) <= 50, (field.key, opt.value)


def test_gad7_phq9_lowest_label_is_not_at_all() -> None:
    for key in ("phq9", "gad7"):
        for field in INSTRUMENTS[key].items:
            assert field.options[0].label == "Not at all"


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_empty_answers_are_not_scored(inst: Instrument) -> None:
    result = inst.score({}, DEFAULT_SETTINGS)
    assert isinstance(result, Result)
    assert result.instrument == inst.key
    assert result.score is None
    assert result.notes  # says why
    assert result.n_answered == 0


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_forged_values_count_as_unanswered(inst: Instrument) -> None:
    forged = {field.key: "99" for field in inst.items}
    forged.update({field.key: field.options[0].value for field in inst.extra_fields})
    result = inst.score(forged, DEFAULT_SETTINGS)
    assert result.score is None
    assert result.n_answered == 0


@pytest.mark.parametrize("inst", ALL, ids=IDS)
def test_unverified_listed(inst: Instrument) -> None:
    assert inst.unverified
    assert all(rule.strip() for rule in inst.unverified)
