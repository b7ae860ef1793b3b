"""The report's text helpers (``reports.format``) give exactly the lines and tables printed.

Expected values are literal text a person checked against the fields written here (mutation
testing, tests/MUTATION.md "services/ and reports/"). Pure functions: no app, no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.reports.format import columns
from fbss_eval.reports.format import group_table
from fbss_eval.reports.format import lines
from fbss_eval.reports.format import section_lines
from fbss_eval.reports.model import Line
from fbss_eval.reports.model import Table

PAIN = Field("pain", "Back pain", "integer", unit="/10", summary=True)
NOTE = Field("note", "Notes", "textarea")
ONSET = Field("onset", "Onset", "text")
HEADLINE = Field("headline", "Headline", "text", own_layout=True)


def test_lines_are_the_answered_fields_in_checklist_order_with_long_text_marked() -> None:
    got = lines((PAIN, NOTE, ONSET), {"note": "Worse at night", "pain": 7})
    assert got == (
        Line("pain", "Back pain", "7/10", long=False, summary=True),
        Line("note", "Notes", "Worse at night", long=True, summary=False),
    )


def test_section_lines_leave_out_a_field_printed_by_its_own_layout() -> None:
    got = section_lines((HEADLINE, ONSET), {"headline": "Leg pain", "onset": "2019"})
    assert got == (Line("onset", "Onset", "2019"),)


LEVEL = Field("level", "Level", "text", column=1, heading="Level / side")
SIDE = Field("side", "Side", "text", column=1)
YEAR = Field("year", "Year", "integer", column=2)
WHY = Field("why", "Indication", "text")
OPS = RepeatGroup("ops", "Operations", (LEVEL, SIDE, YEAR, WHY))


def test_columns_group_the_fields_sharing_a_column_number_in_number_order() -> None:
    group = RepeatGroup("g", "G", (YEAR, WHY, LEVEL, SIDE))
    assert columns(group) == [(LEVEL, SIDE), (YEAR,)]


def test_without_column_numbers_the_first_five_required_short_fields_are_the_columns() -> None:
    req = [Field(f"f{i}", f"F{i}", "integer", required=True) for i in range(7)]
    group = RepeatGroup("g", "G", (Field("t", "T", "text", required=True), req[0], Field("o", "O", "integer"),
                                   *req[1:]))
    assert columns(group) == [(f,) for f in req[:5]]


def test_group_table_cells_details_headings_and_a_missing_cell() -> None:
    rows: list[Mapping[str, Any]] = [{"level": "L5", "side": "Left", "year": 2019, "why": "Disc"}, {"year": 2021}]
    assert group_table(OPS, rows) == Table(
        ("Level / side", "Year"),
        (("L5 · Left", "2019"), ("—", "2021")),
        (("Indication: Disc",), ()),
        False,
    )


def test_group_table_heading_joins_the_labels_when_no_field_names_one_and_keeps_listed() -> None:
    group = RepeatGroup("g", "G", (SIDE, YEAR), summary_list=True)
    table = group_table(group, [{"side": "Right"}], listed=True)
    assert table.columns == ("Side", "Year")
    assert table.rows == (("Right", "—"),)
    assert table.listed is True
