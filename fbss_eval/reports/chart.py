"""Small inline SVG line charts for the trend across visits (axis, points, lines, legend, and
optional reference marks such as the level a minimal important change reaches).

The one chart module of the app: the PDF (``pdf/render.py``) and the patient page
(``patients/views.py``) both draw with it. Hand-written SVG: no charting library, no script, no
fonts or images to fetch, every label escaped. Series are told apart by colour *and* by marker
and dash, so the chart survives a black and white photocopy.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from markupsafe import escape

from ..checklist.display import number
from .model import TrendPanel

STYLES = (  # colour, dash pattern, marker
    ("#1d4f91", "", "circle"),
    ("#b34a12", "4 2", "square"),
    ("#3c7a3c", "1 2", "diamond"),
)
NICE_STEPS = (1, 2, 5, 10, 20, 25, 50)
MARK_COLOUR = "#5a3d8a"


@dataclass(frozen=True)
class Mark:
    """A horizontal reference line across the plot at ``value``, labelled at its right end."""

    value: float
    label: str


def mcid_mark(values: Sequence[float | None], mcid: float | None, lead: str = "") -> Mark | None:
    """The dashed MCID line of a measure's chart, on the page and in the PDF alike: the first
    recorded value less the MCID, labelled ``<lead>MCID: <value>``; None without an MCID, a
    recorded value, or where the line would fall below 0."""
    recorded = [v for v in values if v is not None]
    if mcid is None or not recorded or recorded[0] - mcid < 0:
        return None
    value = recorded[0] - mcid
    return Mark(value, f"{lead}MCID: {number(value)}")


@dataclass(frozen=True)
class Box:
    """Plot geometry in SVG user units (1 unit = 1 CSS px = 0.75 pt)."""

    width: float = 230
    height: float = 150
    left: float = 30
    right: float = 10
    top: float = 26
    bottom: float = 22

    @property
    def plot_w(self) -> float:
        """Width of the plotting area."""
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> float:
        """Height of the plotting area."""
        return self.height - self.top - self.bottom


def _step(maximum: float) -> float:
    return next((s for s in NICE_STEPS if maximum / s <= 5), maximum)


def axis_top(maximum: float) -> float:
    """The axis maximum: the scale's maximum rounded up to a whole tick (27 -> 30)."""
    step = _step(maximum)
    return step * -(-maximum // step)


def _x_positions(dates: Sequence[str], box: Box) -> list[float]:
    """Place visits by their date (even spacing when the dates cannot be read or coincide)."""
    try:
        days = [date.fromisoformat(d).toordinal() for d in dates]
    except ValueError:
        days = list(range(len(dates)))
    span = max(days) - min(days)
    if len(dates) == 1 or span == 0:
        return [box.left + box.plot_w * (i + 0.5) / len(dates) for i in range(len(dates))]
    return [box.left + box.plot_w * (d - min(days)) / span for d in days]


def _marker_outline(kind: str, x: float, y: float) -> str:
    """Path data of one marker. A circle is a zero-length stroke with round caps: WeasyPrint
    turns arcs into curves point by point in Python, a dot costs nothing."""
    if kind == "square":
        return f"M{x - 2.6:.1f} {y - 2.6:.1f}h5.2v5.2h-5.2Z"
    if kind == "diamond":
        return f"M{x:.1f} {y - 3.4:.1f}L{x + 3.4:.1f} {y:.1f}L{x:.1f} {y + 3.4:.1f}L{x - 3.4:.1f} {y:.1f}Z"
    return f"M{x:.1f} {y:.1f}h0"


def _markers(kind: str, points: Sequence[tuple[float, float]], colour: str) -> str:
    """All of a series' markers as one path: WeasyPrint's cost is per SVG element, so eleven
    visits drawn as one element each would cost eleven times as much."""
    d = "".join(_marker_outline(kind, x, y) for x, y in points)
    if kind == "circle":
        return f'<path class="m" d="{d}" fill="none" stroke="{colour}" stroke-width="5.6" stroke-linecap="round"/>'
    return f'<path class="m" d="{d}" fill="{colour}"/>'


def _axes(panel: TrendPanel, dates: Sequence[str], xs: list[float], box: Box) -> list[str]:
    out = [f'<text x="{box.left - 26}" y="11" class="t">{escape(panel.title)}</text>']
    step, top = _step(panel.maximum), axis_top(panel.maximum)
    tick = 0.0
    grid = []  # one path for every grid line: WeasyPrint's cost is per SVG element
    while tick <= top + 1e-9:
        y = box.top + box.plot_h * (1 - tick / top)
        grid.append(f"M{box.left} {y:.1f}H{box.width - box.right}")
        if tick == 0 or tick + step > top + 1e-9:  # 0 and the top: grid lines carry the rest
            out.append(f'<text x="{box.left - 4}" y="{y + 3:.1f}" class="yl">{tick:g}</text>')
        tick += step
    out.append(f'<path d="{"".join(grid)}" fill="none" class="g"/>')
    base = box.top + box.plot_h
    out.append(f'<line x1="{box.left}" y1="{base:.1f}" x2="{box.width - box.right}" y2="{base:.1f}" class="a"/>')
    shown = ""
    for i, anchor in _date_labels(xs):
        month = dates[i][:7]
        if month == shown:  # visits in one month: its label once (WeasyPrint lays out SVG text letter by letter)
            continue
        shown = month
        out.append(f'<text x="{xs[i]:.1f}" y="{base + 12:.1f}" class="xl" text-anchor="{anchor}">'
                   f'{escape(month)}</text>')
    return out


def _date_labels(xs: list[float], gap: float = 46) -> list[tuple[int, str]]:
    """Which visits get a date label (first, last, and those in between with room), and the
    anchor of each; a label is about 28 units wide at 7.5 px."""
    if len(xs) == 1:
        return [(0, "middle")]
    chosen = [(0, "start")]
    last = len(xs) - 1
    previous = xs[0] + 14  # the first label's middle (it is anchored at its start)
    for i in range(1, last):
        if xs[i] - previous >= gap and (xs[last] - 14) - xs[i] >= gap:
            chosen.append((i, "middle"))
            previous = xs[i]
    if (xs[last] - 14) - previous >= gap / 2 + 14 or len(chosen) == 1:
        chosen.append((last, "end"))
    return chosen


def _legend(panel: TrendPanel, box: Box) -> list[str]:
    """A key to the series; none for a single series (the title names it)."""
    out: list[str] = []
    if len(panel.series) < 2:
        return out
    x = box.width - box.right
    for index, series in reversed(list(enumerate(panel.series))):
        colour, dash, marker = STYLES[index % len(STYLES)]
        label = str(escape(series.label))
        x -= 7 + 5.2 * len(series.label) + 16
        out.append(f'<line x1="{x:.1f}" y1="19" x2="{x + 14:.1f}" y2="19" stroke="{colour}" '
                   f'stroke-width="1.6" stroke-dasharray="{dash}"/>')
        out.append(_markers(marker, [(x + 7, 19)], colour))
        out.append(f'<text x="{x + 17:.1f}" y="22" class="lg">{label}</text>')
    return out


def _points(panel: TrendPanel, values: Sequence[float | None], xs: list[float],
            box: Box) -> list[tuple[float, float] | None]:
    """Where each visit's value is plotted (None where it was not recorded)."""
    top = axis_top(panel.maximum)
    return [None if v is None else (xs[i], box.top + box.plot_h * (1 - min(max(v, 0), top) / top))
            for i, v in enumerate(values)]


def _series(panel: TrendPanel, xs: list[float], box: Box) -> list[str]:
    out: list[str] = []
    for index, series in enumerate(panel.series):
        colour, dash, marker = STYLES[index % len(STYLES)]
        points = _points(panel, series.values, xs, box)
        run: list[tuple[float, float]] = []
        for point in [*points, None]:  # a missing value breaks the line
            if point is not None:
                run.append(point)
                continue
            if len(run) > 1:
                coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="1.6" '
                           f'stroke-dasharray="{dash}"/>')
            run = []
        present = [p for p in points if p is not None]
        if present:
            out.append(_markers(marker, present, colour))
    return out


Rect = tuple[float, float, float, float]  # x0, y0, x1, y1 in SVG user units
LABEL_CHAR_W = 4.6  # a 7.5 px DejaVu Sans character is at most about this wide (digits 4.8, "M" 6.5)
MARKER_R = 3.6  # the largest marker's reach from its point (the diamond)


def _label_spots(y: float, width: float, box: Box) -> list[tuple[float, float, str, Rect]]:
    """Where a mark's label may go, in order of preference: above the line at its right end,
    below it there, then the same at its left end; each as (x, baseline, anchor, the box it takes)."""
    right, left = box.width - box.right - 2, box.left + 2
    spots = []
    for x, anchor, x0, x1 in ((right, "end", right - width, right), (left, "start", left, left + width)):
        spots.append((x, y - 3, anchor, (x0, y - 9.5, x1, y - 1.5)))
        spots.append((x, y + 9, anchor, (x0, y + 1.5, x1, y + 9.5)))
    return spots


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _marks(panel: TrendPanel, marks: Sequence[Mark], xs: list[float], box: Box) -> list[str]:
    """Dashed reference lines (drawn under the series), each with its label, put where it covers
    no plotted value and no other label (above the line at the right end when it can); a mark
    outside the axis is left out (the words beside the chart still say it)."""
    out: list[str] = []
    top = axis_top(panel.maximum)
    points = [p for series in panel.series for p in _points(panel, series.values, xs, box) if p is not None]
    taken: list[Rect] = [(x - MARKER_R, y - MARKER_R, x + MARKER_R, y + MARKER_R) for x, y in points]
    for mark in marks:
        if not 0 <= mark.value <= top:
            continue
        y = box.top + box.plot_h * (1 - mark.value / top)
        out.append(f'<line x1="{box.left}" y1="{y:.1f}" x2="{box.width - box.right}" y2="{y:.1f}" class="mk" '
                   f'stroke="{MARK_COLOUR}" stroke-width="1" stroke-dasharray="5 3" data-value="{mark.value:g}"/>')
        spots = _label_spots(y, LABEL_CHAR_W * len(mark.label), box)
        # Above the plot is the title's and the legend's; below it, the dates'.
        free = [s for s in spots if s[3][1] >= box.top - 2 and s[3][3] <= box.top + box.plot_h + 1
                and not any(_overlaps(s[3], t) for t in taken)]
        x, baseline, anchor, rect = (free or spots)[0]
        taken.append(rect)
        out.append(f'<text x="{x:g}" y="{baseline:.1f}" class="mkl" text-anchor="{anchor}" '
                   f'fill="{MARK_COLOUR}">{escape(mark.label)}</text>')
    return out


# The chart's own style rules. The PDF embeds them in each SVG; a web page, whose Content Security
# Policy refuses inline style, gets the same rules from app.css (``svg.trend-chart``).
CHART_CSS = (
    "text{font-family:'DejaVu Sans';fill:#333}.t{font-size:9px;font-weight:bold}"
    ".yl{font-size:7.5px;text-anchor:end}.xl{font-size:7.5px}.lg{font-size:7.5px}"
    ".g{stroke:#e3e3e3;stroke-width:0.6}.a{stroke:#888;stroke-width:0.8}"
)
MARK_CSS = ".mkl{font-size:7.5px;fill:" + MARK_COLOUR + "}"


def panel_svg(panel: TrendPanel, dates: Sequence[str], box: Box = Box(), marks: Sequence[Mark] = (),
              *, embed_css: bool = True) -> Markup:
    """One small chart: the panel's series over the visit dates, with axis, grid and legend, and
    the reference ``marks``. ``embed_css=False`` for a web page (see CHART_CSS)."""
    xs = _x_positions(dates, box)
    body = [*_axes(panel, dates, xs, box), *_marks(panel, marks, xs, box), *_series(panel, xs, box),
            *_legend(panel, box)]
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {box.width:g} {box.height:g}" '
        f'width="{box.width:g}" height="{box.height:g}" role="img" aria-label="{escape(panel.title)}"'
        + ("" if embed_css else ' class="trend-chart"') + ">"
        + (f"<style>{CHART_CSS}{MARK_CSS if marks else ''}</style>" if embed_css else "")
        + "".join(body) + "</svg>"
    )
    # Built here from numbers and escaped labels only.
    return Markup(svg)  # noqa: S704  # nosec B704


def trend_charts(panels: Sequence[TrendPanel], dates: Sequence[str],
                 marks: Callable[[TrendPanel], Sequence[Mark]] = lambda panel: ()) -> list[Markup]:
    """One chart per panel that has at least one value, with the panel's ``marks``."""
    return [panel_svg(p, dates, marks=marks(p)) for p in panels
            if any(v is not None for s in p.series for v in s.values)]
