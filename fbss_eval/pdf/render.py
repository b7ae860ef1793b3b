"""HTML to PDF with WeasyPrint, through the allow-list fetcher only.

Importing this module imports WeasyPrint (about 0.4 s): the web view and the CLI import it
lazily, on first use (or a worker can import it at start).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import render_template
from weasyprint import CSS

from ..checklist.instruments.mcid import NRS_MCID_POINTS
from ..checklist.instruments.mcid import ODI_MCID_POINTS
from ..reports.chart import trend_charts
from ..reports.model import Table
from ..reports.model import VisitReport
from ..reports.parts import mcid_marks
from .engine import PrintHTML
from .engine import collector_paused
from .engine import font_config
from .engine import stylesheet
from .fetcher import STATIC_BASE
from .fetcher import AllowListFetcher

# Everything a print template may load: URL name -> file. Nothing: the print stylesheet is
# parsed once and handed to WeasyPrint, so a render asks for no resource at all, and any URL in
# a document (a bug, or hostile text that escaped escaping) is refused.
ALLOWED_FILES: dict[str, Path] = {}
VISIT_STYLESHEET = stylesheet("visit.css")
PAGE_SIZES = {"a4": "A4", "letter": "letter"}


_CONVERSION = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")


class _RedactArguments(logging.Filter):
    """WeasyPrint logs the URL of every resource it failed to load; keep only the message
    template (a URL in a patient's text must not reach the logs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            # Each conversion becomes the word itself: a "%04X" given a string would not format.
            record.msg = _CONVERSION.sub(lambda m: "%" if m.group() == "%%" else "[redacted]", str(record.msg))
            record.args = None
        return True


def _install_log_filter() -> None:
    logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _RedactArguments) for f in logger.filters):
        logger.addFilter(_RedactArguments())


_install_log_filter()


def pdf_fetcher() -> AllowListFetcher:
    """A fresh fetcher for one render: it serves nothing (``ALLOWED_FILES`` is empty) and
    records what it refused."""
    return AllowListFetcher(ALLOWED_FILES)


def page_size(name: str | None) -> str:
    """The CSS page size for a configured name (A4 unless Letter is asked for)."""
    return PAGE_SIZES.get((name or "A4").strip().lower(), "A4")


def html_to_pdf(
    html: str, fetcher: AllowListFetcher | None = None, stylesheets: Sequence[CSS] = (), **options: Any
) -> bytes:
    """Render XHTML (from our autoescaped templates) with our parsed ``stylesheets`` to PDF
    bytes; every resource the document names goes through ``fetcher`` (stylesheets and
    attachments included), which serves nothing unless given an allow-list."""
    fetcher = fetcher or pdf_fetcher()
    with collector_paused():
        document = PrintHTML(html, base_url=STATIC_BASE, url_fetcher=fetcher)
        pdf = document.write_pdf(stylesheets=list(stylesheets), attachments=[], font_config=font_config(), **options)
    if not isinstance(pdf, bytes):
        raise TypeError("WeasyPrint returned no bytes")
    return pdf


def column_widths(table: Table, share: float = 96.0) -> list[str]:
    """Percent widths for a table's columns from the length of what they hold (the fixed table
    layout is much faster than the automatic one, but needs widths to read well)."""
    weights = []
    for index, header in enumerate(table.columns):
        cells = [row[index] for row in table.rows if index < len(row)]
        longest_word = max((len(w) for text in [header, *cells] for w in text.split()), default=4)
        average = sum(len(c) for c in cells) / len(cells) if cells else len(header)
        weights.append(min(40.0, max(6.0, longest_word * 1.15, average, len(header) * 0.35)))
    total = sum(weights) or 1.0
    return [f"{share * w / total:.1f}%" for w in weights]


def visit_html(report: VisitReport, size: str = "A4") -> str:
    """The print HTML of a visit report (a pure function of the report and the templates)."""
    panels = report.trend.panels if report.trend else ()
    charts = trend_charts(panels, report.trend.dates, mcid_marks) if report.trend else []
    return render_template("pdf/visit.html", report=report, charts=charts, page_size=page_size(size),
                           column_widths=column_widths, mcid_marked=any(mcid_marks(p) for p in panels),
                           mcid_points={"nrs": f"{NRS_MCID_POINTS:g}", "odi": f"{ODI_MCID_POINTS:g}"})


def render_visit_pdf(report: VisitReport, size: str = "A4", fetcher: AllowListFetcher | None = None) -> bytes:
    """The visit PDF: a pure function of the report, the page size and the checklist version."""
    return html_to_pdf(visit_html(report, size), fetcher, [VISIT_STYLESHEET])
