"""The PDF's trend charts mark the MCID as the patient page does (reports/trend.py): a dashed
line at the first value less the MCID (Ostelo et al., Spine 2008: NRS 2 points, ODI 10 points),
labelled "MCID: <value>" (led by the series' name on the two-series pain chart), and none for
PHQ-9 or GAD-7, for which no MCID is established; a line under the charts says what the dashes are.

The fixed visit's earlier visit (conftest, answers.EARLIER_SCORED): back pain 4, leg pain 7,
ODI 4 x 9 + 5 = 41 of 50 = 82%. So: back 4 - 2 = 2, leg 7 - 2 = 5, ODI 82 - 10 = 72."""

from __future__ import annotations

import re

from fbss_eval.pdf.render import visit_html

from .conftest import Rendered
from .conftest import squash

CAPTION = ("Dashed lines: the first value less the MCID (NRS 2 points, ODI 10 points); "
           "none is established for PHQ-9 or GAD-7.")


def test_the_pdf_charts_carry_the_mcid_lines_and_their_words(either: Rendered):
    for words in ("Back MCID: 2", "Leg MCID: 5", "MCID: 72", CAPTION):
        assert squash(words) in either.flat, words


def test_one_dashed_mcid_line_per_measure_with_an_mcid(either: Rendered):
    html = visit_html(either.report)
    charts = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert [c.split('aria-label="')[1].split('"')[0] for c in charts] == [
        "Pain now (NRS 0-10)", "ODI (%)", "PHQ-9 / GAD-7"]
    values = [re.findall(r'class="mk"[^>]*stroke-dasharray="5 3" data-value="([^"]+)"', c) for c in charts]
    assert values == [["2", "5"], ["72"], []]
