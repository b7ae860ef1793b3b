"""``visible_answers`` keeps what the plain rule keeps: for every section of every checklist version
(optional instruments included) and many answer sets full of blanks, unknown keys and hidden
fields, it gives the same dict, in the same order, as the rule written out the obvious way below
(every field, blank or not, enable-when checked until nothing changes). The worked cases with
literal answers are in tests/pdf/test_report_parts.py."""

from __future__ import annotations

import random
from collections.abc import Iterable
from collections.abc import Mapping
from typing import Any

import pytest

from fbss_eval.checklist import versions
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Section
from fbss_eval.checklist.visible import visible_answers


def blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def plain_prune(fields: Iterable[Field], answers: Mapping[str, Any]) -> dict[str, Any]:
    fields = tuple(fields)
    kept = {f.key: answers[f.key] for f in fields if not blank(answers.get(f.key))}
    while True:
        hidden = [f.key for f in fields if f.key in kept and not all(c.holds(kept) for c in f.enable_when)]
        if not hidden:
            return kept
        for key in hidden:
            del kept[key]


def plain_visible(section: Section, answers: Mapping[str, Any]) -> dict[str, Any]:
    kept = plain_prune(section.fields(), answers)
    for group in section.groups():
        rows = answers.get(group.key)
        if not isinstance(rows, list) or not all(c.holds(kept) for c in group.enable_when):
            continue
        clean = [plain_prune(group.fields, row) for row in rows if isinstance(row, Mapping)]
        if clean := [row for row in clean if row]:
            kept[group.key] = clean
    return kept


def some_value(rng: random.Random, spec: Field) -> Any:
    """A value of the field's kind, a blank, or something odd (answers may be legacy data)."""
    values = [o.value for o in spec.options]
    pick = rng.random()
    if pick < 0.15:
        return rng.choice([None, "", []])
    if pick < 0.2:
        return rng.choice(["stale text", 0, -1, True, False, 3.5])
    if values and spec.type == "multichoice":
        return rng.sample(values, rng.randint(1, len(values)))
    if values:
        return rng.choice(values)
    return {"integer": rng.randint(0, 120), "decimal": rng.uniform(0, 50), "boolean": rng.random() < 0.5,
            "date": "2024-03-31"}.get(spec.type, "some text")


def some_answers(rng: random.Random, section: Section) -> dict[str, Any]:
    out: dict[str, Any] = {f.key: some_value(rng, f) for f in section.fields() if rng.random() < 0.8}
    for group in section.groups():
        if rng.random() < 0.8:
            out[group.key] = [{f.key: some_value(rng, f) for f in group.fields if rng.random() < 0.7}
                              for _ in range(rng.randint(0, 3))] + rng.choice([[], [{}], ["not a row"]])
    out["not_a_field"] = "x"
    return dict(rng.sample(list(out.items()), len(out)))  # stored key order is not the checklist's


SECTIONS = [(version, section) for version in versions.released_versions()
            for section in versions.all_sections_for(version)]


@pytest.mark.parametrize(("version", "section"), SECTIONS, ids=[f"{v}-{s.key}" for v, s in SECTIONS])
def test_visible_answers_keep_what_the_plain_rule_keeps(version, section):
    rng = random.Random(f"{version}/{section.key}")
    hidden_somewhere = False
    for _ in range(150):
        answers = some_answers(rng, section)
        expected = plain_visible(section, answers)
        got = visible_answers(section, answers)
        assert got == expected
        assert list(got) == list(expected)
        hidden_somewhere |= any(key not in expected for key in answers if not blank(answers[key]))
    assert hidden_somewhere  # unknown keys at least: the cases do drop answers
