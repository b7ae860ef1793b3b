"""Where a trend chart's MCID label goes (reports/chart.py): above its dashed line at the right
end, unless a plotted value is there; then below the line, then at the left end. Seen before:
"MCID: 56" written over the last visit's ODI point.

Geometry by hand (the default chart box: 230 x 150, plot from x 30 to 220 and y 26 to 128; ODI's
axis 0-100): the line of a mark at 56 is at y = 26 + 102 x 0.44 = 70.9; a label above it has its
baseline at 67.9, below it at 79.9; "MCID: 56" reaches about 37 units left of its anchor at 218,
or right of it at 32."""

from __future__ import annotations

import re

from fbss_eval.reports.chart import Mark
from fbss_eval.reports.chart import panel_svg
from fbss_eval.reports.model import TrendPanel
from fbss_eval.reports.model import TrendSeries


def mark_label(dates: list[str], values: tuple[float | None, ...]) -> tuple[str, str, str]:
    """x, baseline and anchor of the MCID label on an ODI chart with a mark at 56."""
    panel = TrendPanel("ODI (%)", 100, (TrendSeries("odi", "ODI", values),))
    svg = panel_svg(panel, dates, marks=[Mark(56, "MCID: 56")])
    found = re.findall(r'<text x="([^"]+)" y="([^"]+)" class="mkl" text-anchor="([^"]+)"', svg)
    assert len(found) == 1, svg
    return found[0]


def test_the_label_sits_above_its_line_at_the_right_end_when_nothing_is_there():
    # ODI 66 -> 40 -> 30: the last point is at y 97.4, far below the line.
    assert mark_label(["2025-01-01", "2025-07-01", "2026-01-01"], (66, 40, 30)) == ("218", "67.9", "end")


def test_a_last_value_just_above_the_line_sends_the_label_below_it():
    # The last visit's ODI 60 is plotted at (220, 66.8): inside the label's place above the line.
    assert mark_label(["2025-01-01", "2025-07-01", "2026-01-01"], (66, 40, 60)) == ("218", "79.9", "end")


def test_values_on_both_sides_at_the_right_end_send_it_to_the_left_end_below_the_line():
    # 52 on 2025-12-20 is at (213.8, 75.0), under the line; 60 at (220, 66.8), over it; the first
    # value, 66, at (30, 60.3), takes the left end's place above: the label goes below, on the left.
    dates = ["2025-01-01", "2025-06-01", "2025-12-20", "2026-01-01"]
    assert mark_label(dates, (66, 40, 52, 60)) == ("32", "79.9", "start")


def test_two_marks_close_together_do_not_share_a_place():
    # Lines at y 97.4 (back, 3) and 92.3 (leg, 3.5). Back's label goes first, above its line (rect
    # y 87.9-95.9); leg's would overlap it both above (82.8-90.8) and below (93.8-101.8) its own
    # line at the right end, so it goes to the left end, above (no value plotted there).
    panel = TrendPanel("Pain now (NRS 0-10)", 10,
                       (TrendSeries("back", "Back", (5, 2)), TrendSeries("leg", "Leg", (6, 2))))
    svg = panel_svg(panel, ["2025-01-01", "2026-01-01"], marks=[Mark(3, "Back MCID: 3"), Mark(3.5, "Leg MCID: 3.5")])
    places = re.findall(r'<text x="([^"]+)" y="([^"]+)" class="mkl" text-anchor="([^"]+)"', svg)
    assert places == [("218", "94.4", "end"), ("32", "89.3", "start")]
