"""The data dictionary lists everything the checklist defines, including every design.md §7 item."""

from __future__ import annotations

import csv
import io
import json

import pytest

from fbss_eval.checklist import VERSION
from fbss_eval.checklist import dictionary
from tests.unit.test_design_coverage import COVERAGE


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(dictionary.as_csv())))


def _in_dictionary(where: str, rows: list[dict[str, str]]) -> bool:
    kind, _, target = where.partition(":")
    fields = [r for r in rows if r["kind"] == "field"]
    if kind == "section":
        return any(r["section"] == target for r in fields)
    if kind == "field":
        parts = target.split(".")
        section, key = parts[0], parts[-1]
        group = parts[1] if len(parts) == 3 else ""
        return any(r["section"] == section and r["field"] == key and r["group"] == group for r in fields)
    if kind == "option":
        path, _, value = target.partition("=")
        section, key = path.split(".")[0], path.split(".")[-1]
        return any(r["section"] == section and r["field"] == key and f"{value}=" in r["options"] for r in fields)
    if kind == "category":
        return any(r["section"] == "differential" and r["field"] == f"lh_{target}" for r in fields)
    if kind == "rule":
        module, _, name = target.partition(".")
        return any(r["kind"] == "rule" and r["section"] == module and r["field"] == name for r in rows)
    if kind == "function":
        module, _, name = target.partition(".")
        return any(r["kind"] == "report" and r["section"] == module and r["field"] == name for r in rows)
    raise AssertionError(where)


@pytest.mark.parametrize(("phrase", "where"), COVERAGE, ids=[p for p, _ in COVERAGE])
def test_design_item_shows_in_the_dictionary(phrase: str, where: str, rows: list[dict[str, str]]) -> None:
    assert _in_dictionary(where, rows), f"{phrase!r} ({where}) is not in the data dictionary"


def test_json_and_csv_agree(rows: list[dict[str, str]]) -> None:
    data = json.loads(dictionary.as_json())
    assert data["checklist_version"] == VERSION
    assert len(data["fields"]) == sum(1 for r in rows if r["kind"] == "field")
    assert {r["field"] for r in data["rules"]} == {r["field"] for r in rows if r["kind"] == "rule"}


def test_fields_carry_type_options_enable_when_and_instrument(rows: list[dict[str, str]]) -> None:
    by_key = {(r["section"], r["group"], r["field"]): r for r in rows if r["kind"] == "field"}
    nrs = by_key[("visit", "", "back_nrs_now")]
    assert (nrs["type"], nrs["min"], nrs["max"]) == ("integer", "0", "10")
    fusion = by_key[("surgical_history", "operations", "fusion_to_sacrum")]
    assert "procedure in" in fusion["enable_when"]
    phq9 = by_key[("phq9", "", "phq9_9")]
    assert phq9["instrument"] == "phq9"
    assert "1=Several days (1)" in phq9["options"]
    assert any(r["section"] == "rmdq" and r["optional"] == "True" for r in rows)  # optional ones listed too
    assert any(r["kind"] == "setting" and r["field"] == "odi_max_missing" and "UNVERIFIED" in r["hint"] for r in rows)
