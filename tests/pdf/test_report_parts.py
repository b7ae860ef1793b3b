"""The pure pieces of the report and the chart: no app, no database, no render."""

from __future__ import annotations

import re

from fbss_eval.checklist import section_map
from fbss_eval.checklist.schema import EnableWhen
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import Option
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.checklist.visible import visible_answers
from fbss_eval.reports.chart import _date_labels
from fbss_eval.reports.chart import axis_top
from fbss_eval.reports.chart import panel_svg
from fbss_eval.reports.format import format_value
from fbss_eval.reports.format import group_table
from fbss_eval.reports.model import TrendPanel
from fbss_eval.reports.model import TrendSeries

CHAIN = Section(
    key="demo",
    title="Demo",
    items=(
        Field("a", "A", "choice", options=(Option("yes", "Yes"), Option("no", "No"))),
        Field("b", "B", "text", enable_when=(EnableWhen("a", "eq", "yes"),)),
        Field("c", "C", "text", enable_when=(EnableWhen("b", "truthy"),)),
        RepeatGroup("rows", "Rows", (
            Field("kind", "Kind", "choice", options=(Option("x", "Ex"), Option("y", "Why"))),
            Field("only_x", "Only for x", "integer", unit="%", enable_when=(EnableWhen("kind", "eq", "x"),)),
        ), enable_when=(EnableWhen("a", "eq", "yes"),)),
    ),
)


def test_hidden_fields_are_dropped_even_through_a_chain():
    stored = {"a": "no", "b": "stale", "c": "staler", "rows": [{"kind": "x", "only_x": 5}], "unknown": 1}
    assert visible_answers(CHAIN, stored) == {"a": "no"}


def test_hidden_row_fields_are_dropped_per_row():
    stored = {"a": "yes", "b": "kept", "rows": [{"kind": "y", "only_x": 5}, {"kind": "x", "only_x": 7}, {}]}
    assert visible_answers(CHAIN, stored) == {
        "a": "yes", "b": "kept", "rows": [{"kind": "y"}, {"kind": "x", "only_x": 7}]}


def test_values_are_printed_with_checklist_labels_and_units():
    visit = section_map()["visit"]
    assert format_value(visit.item("pain_side"), "bilateral") == "Bilateral"  # type: ignore[arg-type]
    assert format_value(visit.item("pain_distribution"), ["low_back", "foot"]) == "Low back, Foot"  # type: ignore[arg-type]
    assert format_value(visit.item("back_pct"), 30) == "30%"  # type: ignore[arg-type]
    assert format_value(visit.item("pain_duration_months"), 20) == "20 months"  # type: ignore[arg-type]
    assert format_value(Field("f", "F", "boolean"), False) == "No"
    assert format_value(Field("d", "D", "decimal", unit="mL"), 2.0) == "2 mL"


def test_group_tables_put_the_rest_of_a_row_under_it():
    group = RepeatGroup("rows", "Rows", (
        Field("kind", "Kind", "choice", options=(Option("x", "Ex"), Option("y", "Why")), column=1),
        Field("only_x", "Only for x", "integer", unit="%"),
    ))
    table = group_table(group, [{"kind": "x", "only_x": 7}])
    assert table.columns == ("Kind",)
    assert table.rows == (("Ex",),)
    assert table.details == (("Only for x: 7%",),)
    assert not table.listed


def test_group_table_columns_come_from_the_fields_column_and_heading():
    group = RepeatGroup("ops", "Operations", (
        Field("what", "Procedure", "text", column=2, heading="Procedure · side"),
        Field("when", "Date of operation", "date", column=1),
        Field("note", "Note", "text"),
        Field("side", "Side", "choice", options=(Option("left", "Left"),), column=2),
        Field("where", "Centre", "text", column=3),
    ))
    table = group_table(group, [{"when": "2021-03-02", "what": "Discectomy", "side": "left", "note": "n"},
                                {"what": "Fusion"}], listed=True)
    # Columns by number, fields sharing a number in one cell (in checklist order), the heading
    # of a column from its field's ``heading`` or else its labels joined.
    assert table.columns == ("Date of operation", "Procedure · side", "Centre")
    assert table.rows == (("2021-03-02", "Discectomy · Left", "—"), ("—", "Fusion", "—"))
    assert table.details == (("Note: n",), ())
    assert table.listed


def test_the_chart_escapes_labels_and_breaks_lines_at_missing_values():
    panel = TrendPanel("<b>Pain</b>", 10, (TrendSeries("k", "<script>", (4.0, None, 6.0, 7.0)),
                                           TrendSeries("j", "Leg", (None, None, None, 5.0))))
    svg = str(panel_svg(panel, ("2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01")))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg  # the legend
    assert "&lt;b&gt;Pain&lt;/b&gt;" in svg
    assert svg.count("<polyline") == 1  # 4 -> (gap) -> 6 -> 7: one line of two points; one point draws none
    markers = re.findall(r'<path class="m" d="([^"]*)"', svg)  # one path per series, then the legend's
    assert [m.count("M") for m in markers] == [3, 1, 1, 1]  # three points (one missing), one point, two keys


def test_a_single_series_has_no_legend():
    panel = TrendPanel("ODI (%)", 100, (TrendSeries("odi", "ODI-legend", (40.0, 30.0)),))
    svg = str(panel_svg(panel, ("2024-01-01", "2024-04-01")))
    assert "ODI-legend" not in svg
    assert len(re.findall(r'<path class="m"', svg)) == 1


def test_axis_and_date_labels():
    assert (axis_top(10), axis_top(27), axis_top(100)) == (10, 30, 100)
    labels = _date_labels([30, 40, 50, 60, 80, 100, 120, 140, 160, 200, 220])
    assert labels[0] == (0, "start")
    assert labels[-1] == (10, "end")
    xs = [30, 40, 50, 60, 80, 100, 120, 140, 160, 200, 220]
    middles = [xs[i] for i, anchor in labels if anchor == "middle"]
    assert all(b - a >= 46 for a, b in zip([44, *middles], middles, strict=False))


def test_an_unlikely_generator_without_evidence_is_a_row_only_in_the_full_record_when_a_pointer_suggests_it():
    from fbss_eval.reports.model import DifferentialRow
    from fbss_eval.reports.parts import plainly_unlikely

    suggested = DifferentialRow("Facet joint pain", "Unlikely", "unlikely", "", ("Positive medial branch block",))
    bare = DifferentialRow("Infection", "Unlikely", "unlikely", "", ())
    argued = DifferentialRow("Sacroiliac joint pain", "Unlikely", "unlikely", "Negative SIJ block", ())
    possible = DifferentialRow("Epidural fibrosis", "Possible", "possible", "", ())
    assert [plainly_unlikely(r) for r in (suggested, bare, argued, possible)] == [False, True, False, False]
    assert [plainly_unlikely(r, full=False) for r in (suggested, bare, argued, possible)] == [True, True, False, False]


def test_change_since_the_first_visit_is_judged_against_the_mcid():
    from fbss_eval.reports.parts import trend_changes

    dates = ("2024-01-01", "2024-06-01", "2025-01-01")

    def one(key: str, values: tuple[float | None, ...]) -> str:
        changes = trend_changes(dates, (TrendPanel("p", 100, (TrendSeries(key, "x", values),)),))
        return changes[0] if changes else ""

    # NRS: 2 points is the MCID (Ostelo 2008); 1 point from 8 is neither 2 points nor 30%.
    assert one("back_nrs_now", (6, 5, 4)).endswith("-2 points (-33%), an important improvement")
    assert one("back_nrs_now", (8, None, 7)).endswith("-1 points (-12%), better, not by an important margin")
    # 30% of the first value counts on its own: 3 -> 2 is one point but -33%.
    assert one("leg_nrs_now", (3, 3, 2)).endswith("an important improvement")
    assert one("leg_nrs_now", (5, 5, 7)).endswith("+2 points (+40%), worse")
    assert one("leg_nrs_now", (5, 2, 5)) == "Leg pain now 5 (2024-01-01) → 5: unchanged"
    # ODI: 10 points; 40 -> 31 is 9 points but -22.5%: not important; 40 -> 30 is.
    assert one("odi", (40, None, 31)).endswith("better, not by an important margin")
    assert one("odi", (40, None, 30)).endswith("-10 points (-25%), an important improvement")
    # The first value is the first recorded one; nothing without this visit's value or an earlier one.
    assert one("odi", (None, 50, 38)).startswith("ODI 50 (2024-06-01) → 38")
    assert one("odi", (40, 30, None)) == ""
    assert one("odi", (None, None, 30)) == ""
    # A first value of 0: no percentage.
    assert one("back_nrs_now", (0, 1, 3)) == "Back pain now 0 (2024-01-01) → 3: +3 points, worse"
    # Measures without an MCID in the reference (PHQ-9, GAD-7) get no line.
    assert one("phq9", (20, 15, 5)) == ""


def test_visits_in_one_month_get_its_date_label_once_and_the_grid_is_one_path():
    # Four visits in January 2025: "2025-01" under each would say nothing more than once.
    panel = TrendPanel("ODI (%)", 100, (TrendSeries("odi", "ODI", (40.0, 30.0, 35.0, 20.0)),))
    svg = str(panel_svg(panel, ("2025-01-01", "2025-01-10", "2025-01-20", "2025-01-31")))
    assert re.findall(r'class="xl"[^>]*>([^<]*)<', svg) == ["2025-01"]
    across = str(panel_svg(panel, ("2024-11-05", "2025-01-10", "2025-03-20", "2025-06-01")))
    assert re.findall(r'class="xl"[^>]*>([^<]*)<', across)[0] == "2024-11"
    assert re.findall(r'class="xl"[^>]*>([^<]*)<', across)[-1] == "2025-06"
    # 0 to 100 in steps of 20: six grid lines, drawn as one path.
    grid = re.findall(r'<path d="([^"]*)" fill="none" class="g"/>', svg)
    assert len(grid) == 1
    assert grid[0].count("M") == 6
