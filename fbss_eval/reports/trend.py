"""The patient's trend: NRS back and leg, ODI, PHQ-9 and GAD-7 across their visits, each with
its change since the first visit in words, judged against the minimal important change where
one is established, and drawn with the one chart module (``reports/chart.py``) the PDF uses.

Pure: plain values in, plain data and escaped SVG out (the patient page reads the values with
``services/trends.py``).

Minimal important change (MCID): Ostelo RWJG et al., Spine 2008;33(1):90-94: NRS 2 points,
ODI 10 points, or 30% of the first value. None is established for PHQ-9 or GAD-7 in chronic
back pain, so their change is given without a threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from ..checklist.display import number
from ..checklist.instruments.mcid import MCID_PCT
from ..checklist.instruments.mcid import NRS_MCID_POINTS
from ..checklist.instruments.mcid import ODI_MCID_POINTS
from ..checklist.instruments.mcid import improvement
from .chart import Box
from .chart import Mark
from .chart import mcid_mark
from .chart import panel_svg
from .model import TrendPanel
from .model import TrendSeries

# (key, short label, chart title, axis maximum, MCID in points or None)
MEASURES: tuple[tuple[str, str, str, float, float | None], ...] = (
    ("back_nrs_now", "Back pain", "Back pain now (NRS 0-10)", 10, NRS_MCID_POINTS),
    ("leg_nrs_now", "Leg pain", "Leg pain now (NRS 0-10)", 10, NRS_MCID_POINTS),
    ("odi", "ODI", "ODI (%)", 100, ODI_MCID_POINTS),
    ("phq9", "PHQ-9", "PHQ-9 (0-27)", 27, None),
    ("gad7", "GAD-7", "GAD-7 (0-21)", 21, None),
)
KEYS = tuple(key for key, *_ in MEASURES)
MCID_SOURCE = (f"MCID (minimal clinically important change): NRS {NRS_MCID_POINTS:g} points, ODI "
               f"{ODI_MCID_POINTS:g} points, or {MCID_PCT:g}% of the first value (Ostelo et al., Spine "
               "2008;33(1):90-94). No MCID is established for PHQ-9 or GAD-7 in chronic back pain.")
PAGE_BOX = Box(width=300, height=170)
_EPS = 1e-9


@dataclass(frozen=True)
class MeasureTrend:
    """One measure across the visits: its values (None where not recorded), the MCID line and
    the change since the first visit in words."""

    key: str
    label: str
    panel: TrendPanel
    mcid: float | None
    marks: tuple[Mark, ...]
    change: str | None

    @property
    def values(self) -> tuple[float | None, ...]:
        """One value per visit of the trend."""
        return self.panel.series[0].values


@dataclass(frozen=True)
class PatientTrend:
    """The measures across the patient's visits (oldest first)."""

    dates: tuple[str, ...]
    measures: tuple[MeasureTrend, ...]
    source: str = MCID_SOURCE

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        """The numbers as table rows: a visit's date and one cell per measure ('—' not recorded)."""
        return [(d, ["—" if m.values[i] is None else number(m.values[i] or 0) for m in self.measures])
                for i, d in enumerate(self.dates)]


def _points(value: float) -> str:
    return f"{number(value)} point{'' if abs(value - 1) < _EPS else 's'}"


def change_in_words(label: str, first: float, last: float, mcid: float | None) -> str:
    """``ODI 56 → 38: improved by 18 points, more than the MCID of 10`` (lower is better for
    every measure here); an improvement is judged against the point MCID and 30% of the first
    value (Ostelo 2008: either), a worsening is not judged."""
    head = f"{label} {number(first)} → {number(last)}"
    delta = last - first
    if abs(delta) < _EPS:
        return f"{head}: unchanged"
    if delta > 0:
        return f"{head}: worse by {_points(delta)}"
    text = f"{head}: improved by {_points(-delta)}"
    if mcid is None:
        return f"{text} (no established minimal important change)"
    change = improvement(first, last, mcid_points=mcid)
    if abs(-delta - mcid) < _EPS:
        return f"{text}, reaching the MCID of {number(mcid)}"
    if change.meets_points:
        return f"{text}, more than the MCID of {number(mcid)}"
    if change.meets_30_pct and change.pct_change is not None:
        return (f"{text}, less than the MCID of {number(mcid)} but {number(round(-change.pct_change))}% "
                f"of the first value (at least the {MCID_PCT:g}% MCID)")
    return f"{text}, less than the MCID of {number(mcid)}"


def patient_trend(dates: Sequence[date], values: Sequence[Mapping[str, float | None]]) -> PatientTrend | None:
    """The trend of the visits with these dates and, per visit, these values by key; None when
    no visit recorded any of the measures."""
    if not dates:
        return None
    iso = tuple(d.isoformat() for d in dates)
    measures = []
    for key, label, title, maximum, mcid in MEASURES:
        series = tuple(v.get(key) for v in values)
        recorded = [v for v in series if v is not None]
        if not recorded:
            continue
        first, last = recorded[0], recorded[-1]
        mark = mcid_mark(series, mcid)
        marks: tuple[Mark, ...] = (mark,) if mark else ()
        change = change_in_words(label, first, last, mcid) if len(recorded) > 1 else None
        panel = TrendPanel(title, maximum, (TrendSeries(key, label, series),))
        measures.append(MeasureTrend(key, label, panel, mcid, marks, change))
    return PatientTrend(iso, tuple(measures)) if measures else None


def page_charts(trend: PatientTrend) -> list[Markup]:
    """The SVG charts for a web page (styled by app.css: the page's CSP refuses inline style)."""
    return [panel_svg(m.panel, trend.dates, PAGE_BOX, m.marks, embed_css=False) for m in trend.measures]
