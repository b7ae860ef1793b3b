"""``flask --app fbss_eval checklist --format json|csv``: the data dictionary printed from the
same checklist definitions the pages, validation and completeness use."""

from __future__ import annotations

import csv
import io
import json

from fbss_eval.checklist import VERSION
from fbss_eval.checklist import all_sections
from fbss_eval.checklist.instruments import INSTRUMENTS
from fbss_eval.checklist.schema import RepeatGroup


def expected_fields() -> dict[tuple[str, str, str], bool]:
    """(section, group, field) -> required, for every field of every section (optional ones too)."""
    out = {}
    for section in all_sections(INSTRUMENTS.keys()):
        for item in section.items:
            if isinstance(item, RepeatGroup):
                out.update({(section.key, item.key, f.key): f.required for f in item.fields})
            else:
                out[(section.key, "", item.key)] = item.required
    return out


def test_json_lists_every_section_field_instrument_and_the_version(runner):
    result = runner.invoke(args=["checklist", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["checklist_version"] == VERSION
    fields = {(r["section"], r["group"], r["field"]): r for r in data["fields"]}
    assert {k: r["required"] for k, r in fields.items()} == expected_fields()
    bloods = fields[("imaging", "", "bloods_date")]
    assert (bloods["type"], bloods["enable_when"]) == ("date", "bloods_done eq 'yes'")
    pain_free = fields[("surgical_history", "operations", "pain_free_weeks")]
    assert (pain_free["min"], pain_free["max"], pain_free["unit"]) == (0, 5200, "weeks")
    assert "unchanged=Unchanged" in fields[("surgical_history", "operations", "immediate_outcome")]["options"]
    assert {i["section"] for i in data["instruments"]} == set(INSTRUMENTS)
    assert all(i["hint"].startswith("Source: ") and "Licence" in i["hint"] for i in data["instruments"])
    assert {r["field"] for r in data["rules"]} >= {"no_relief", "recurrence", "positive_blocks"}
    assert {s["field"] for s in data["settings"]} >= {"odi_max_missing", "sij_positive_pct"}


def test_csv_has_one_row_per_field_with_the_same_content(runner):
    result = runner.invoke(args=["checklist", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    for column in ("kind", "section", "group", "field", "label", "type", "options", "unit", "min", "max",
                   "required", "enable_when", "instrument", "version"):
        assert column in rows[0], column
    fields = [r for r in rows if r["kind"] == "field"]
    assert {(r["section"], r["group"], r["field"]): r["required"] == "True" for r in fields} == expected_fields()
    assert {r["version"] for r in rows} == {VERSION}
    phq9 = next(r for r in fields if r["field"] == "phq9_9")
    assert phq9["instrument"] == "phq9"
    assert "3=" in phq9["options"]


def test_an_unknown_format_is_refused(runner):
    result = runner.invoke(args=["checklist", "--format", "xml"])
    assert result.exit_code != 0
    assert "xml" in result.output
