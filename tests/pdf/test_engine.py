"""pdf/engine.py: our XHTML parser gives WeasyPrint the document its own HTML parser would,
WeasyPrint still asks ``PrintHTML`` for its user-agent stylesheet, the collector is paused only
for the render, and fonts are subset by HarfBuzz. These fail if a WeasyPrint upgrade moves the
hooks the engine relies on."""

from __future__ import annotations

import gc
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5
from weasyprint import CSS
from weasyprint import HTML

from fbss_eval.pdf import render
from fbss_eval.pdf.engine import PrintHTML
from fbss_eval.pdf.engine import collector_paused
from fbss_eval.pdf.fetcher import STATIC_BASE

from .conftest import Rendered
from .conftest import pdf_text
from .conftest import squash


def shape(element: Element) -> tuple:
    """An element tree as (tag, attributes, text, children), white space folded; namespace
    declarations (which tinyhtml5 keeps as attributes) left out."""
    text = " ".join((element.text or "").split())
    attributes = {k: v for k, v in element.attrib.items() if not k.startswith("{http://www.w3.org/2000/xmlns/}")}
    children = []
    for child in element:
        children.append(shape(child))
        tail = " ".join((child.tail or "").split())
        if tail:
            children.append(tail)
    return (element.tag, attributes, text, tuple(children))


def test_our_parser_builds_the_tree_weasyprints_parser_builds(app, either: Rendered):
    html = render.visit_html(either.report)
    ours = PrintHTML(html, STATIC_BASE, render.pdf_fetcher()).etree_element
    theirs = tinyhtml5.parse(html, namespace_html_elements=False)
    assert shape(ours) == shape(theirs)


def test_both_parsers_print_the_same_text(app, complete: Rendered):
    html = render.visit_html(complete.report)
    theirs = HTML(string=html, base_url=STATIC_BASE, url_fetcher=render.pdf_fetcher()).write_pdf(
        stylesheets=[render.VISIT_STYLESHEET])
    assert squash(pdf_text(theirs)) == complete.flat


def test_weasyprint_takes_the_user_agent_stylesheet_from_print_html():
    class HidingParagraphs(PrintHTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
            return [CSS(string="html, body, div { display: block } p { display: none }")]

    xhtml = "<html><body><p>hidden by the user-agent sheet</p><div>shown</div></body></html>"
    text = pdf_text(HidingParagraphs(xhtml, STATIC_BASE, render.pdf_fetcher()).write_pdf())
    assert "shown" in text
    assert "hidden" not in text


def test_the_collector_is_paused_only_inside_and_left_as_it_was():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_failed_render_turns_the_collector_back_on():
    with pytest.raises(ValueError, match="boom"), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_fonts_are_subset_by_harfbuzz():
    from weasyprint.text import ffi

    assert ffi.harfbuzz_subset is not None, (
        "libharfbuzz-subset is missing: WeasyPrint falls back to fontTools, about 0.9 s a PDF "
        "(apt-get install libharfbuzz-subset0; .ci/run does)")
