"""pdf/hot_paths.py: WeasyPrint's three inner loops written again give the same PDF, byte for byte,
as WeasyPrint's own: the visit's summary and full record, the benchmark's reference document, and
documents written to reach each branch (a math function, a logical property, box sizing, an
ellipsis, right-to-left text, a glyph no font has). These fail if a WeasyPrint upgrade moves a name
the module rebinds."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from weasyprint import HTML
from weasyprint.css import ComputedStyle
from weasyprint.draw import text as weasy_draw_text
from weasyprint.layout import block
from weasyprint.layout import inline
from weasyprint.layout import percent
from weasyprint.layout import table

from benchmarks.pdfs import reference_html
from fbss_eval.pdf import hot_paths
from fbss_eval.pdf import render

from .conftest import Rendered


@contextmanager
def weasyprints_own() -> Iterator[None]:
    """WeasyPrint's own three functions for the length of the block."""
    hot_paths.uninstall()
    try:
        yield
    finally:
        hot_paths.install()


def both_ways(html: str) -> tuple[bytes, bytes]:
    """``html`` rendered through our print path with the hot paths, then with WeasyPrint's own."""
    ours = render.html_to_pdf(html, stylesheets=[render.VISIT_STYLESHEET])
    with weasyprints_own():
        theirs = render.html_to_pdf(html, stylesheets=[render.VISIT_STYLESHEET])
    return ours, theirs


def test_the_engine_installs_them_in_every_module_that_uses_them():
    assert ComputedStyle.__missing__ is hot_paths.computed_value
    assert weasy_draw_text.draw_first_line is hot_paths.draw_first_line
    for module in (percent, block, inline, table):
        assert module.resolve_percentages is hot_paths.resolve_percentages, module.__name__


def test_uninstall_gives_weasyprint_its_own_back_and_install_leaves_none_of_them():
    with weasyprints_own():
        assert ComputedStyle.__missing__ is hot_paths.weasyprint_computed_value
        assert block.resolve_percentages is hot_paths.weasyprint_resolve_percentages
        assert weasy_draw_text.draw_first_line is hot_paths.weasyprint_draw_first_line
    assert hot_paths.install() == []  # already installed: nothing of WeasyPrint's left to rebind


def test_the_visits_summary_and_full_record_are_the_same_bytes(app, either: Rendered):
    with app.test_request_context():
        html = render.visit_html(either.report)
    ours, theirs = both_ways(html)
    assert ours == theirs
    assert ours == either.pdf  # the fixture's render went through the hot paths too


def test_the_benchmarks_reference_document_is_the_same_bytes():
    html = reference_html()
    ours = HTML(string=html).write_pdf()
    with weasyprints_own():
        theirs = HTML(string=html).write_pdf()
    assert ours == theirs


BRANCHES = {
    "math and percentages": (
        '<div style="width: calc(100% - 12mm); margin: 2% calc(1em + 3px); padding: 5% 1mm;'
        ' min-width: 10%; max-width: calc(90% + 1px); height: 30%; min-height: 1cm">text in a box</div>'
        '<div style="height: calc(10% + 2mm)"><p style="max-height: 50%">inside</p></div>'),
    "box sizing": (
        '<div style="box-sizing: border-box; width: 50%; padding: 3mm; border: 2px solid black;'
        ' min-width: 20mm; min-height: 5mm">border box</div>'
        '<div style="box-sizing: padding-box; width: 40mm; height: 10mm; padding: 2mm">padding box</div>'),
    "logical properties": (
        '<p style="margin-inline-start: 7mm; padding-inline-end: 3mm; border-block-start: 1pt solid red;'
        ' inline-size: 60%">logical</p><p dir="rtl" style="margin-inline-start: 9mm">rtl logical</p>'),
    "inheritance and custom properties": (
        '<div style="--gap: 4mm; color: #123456; line-height: calc(1em + 2pt); letter-spacing: 1pt">'
        '<p style="margin-top: var(--gap)">inherits <span style="font-size: 80%">a span</span></p></div>'),
    "text decoration and pages": (
        '<p style="text-decoration: underline overline; text-decoration-thickness: 10%">decorated</p>'
        '<p style="text-decoration: line-through; break-before: page">struck, next page</p>'),
    "ellipsis": (
        '<p style="width: 30mm; overflow: hidden; white-space: nowrap; text-overflow: ellipsis">'
        'a line far too long to fit the box it stands in</p>'
        '<p style="width: 30mm; line-clamp: 2">a paragraph of several lines clamped to two lines only,'
        ' with more words than fit in them</p>'),
    "right to left, marks and missing glyphs": (
        '<p>שלום עולם, مرحبا بالعالم</p><p>e\u0301 a\u0308 n\u0303 o\u0323\u0302</p>'
        '<p>unknown \ue000\U0001f600 glyphs</p><p style="white-space: pre-line">two\nlines\u2028three</p>'),
    "tables and floats": (
        '<table class="data" style="width: 80%"><tr><td style="width: 25%">a</td><td>b</td></tr></table>'
        '<div style="float: right; width: 30%; margin-left: 2%">float</div><p>beside the float</p>'
        '<div style="position: absolute; top: 10%; left: 5%; width: 20%">absolute</div>'),
}


@pytest.mark.parametrize("body", BRANCHES.values(), ids=BRANCHES.keys())
def test_a_document_reaching_each_branch_is_the_same_bytes(body: str):
    html = f'<html lang="en"><body class="draft">{body}</body></html>'
    ours, theirs = both_ways(html)
    assert ours.startswith(b"%PDF")
    assert ours == theirs


def test_a_glyph_no_font_has_is_logged_without_the_character_or_a_logging_error(caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    render.html_to_pdf("<html><body><p>patient text \ue000</p></body></html>")
    warnings = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert any(".notdef glyph" in m and "(U+[redacted])" in m for m in warnings), warnings
    assert not any("\ue000" in m or "E000" in m for m in warnings)
