"""pdf/engine.py: our XHTML parser gives WeasyPrint the document its own HTML parser would,
WeasyPrint still asks ``PrintHTML`` for its user-agent stylesheet, the collector is paused only
for the render, and fonts are subset by HarfBuzz, a thread keeps its font configuration, and pydyf deflates at the
default level. These fail if a WeasyPrint upgrade moves the
hooks the engine relies on."""

from __future__ import annotations

import gc
import re
import zlib
from xml.etree.ElementTree import Element

import pytest
import tinyhtml5
from weasyprint import CSS
from weasyprint import HTML

from fbss_eval.pdf import render
from fbss_eval.pdf.engine import TEMPLATES
from fbss_eval.pdf.engine import PrintHTML
from fbss_eval.pdf.engine import collector_paused
from fbss_eval.pdf.engine import font_config
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


def test_a_thread_keeps_its_font_configuration_and_no_two_threads_share_one():
    import threading

    mine = font_config()
    assert font_config() is mine
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(font_config()))
    thread.start()
    thread.join()
    assert theirs
    assert theirs[0] is not mine


EXITS_AFTER_RENDERS = """
import sys, threading
sys.path.insert(0, {root!r})
from fbss_eval.pdf.render import html_to_pdf
page = '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>ODI 38</p></body></html>'
html_to_pdf(page)
worker = threading.Thread(target=html_to_pdf, args=(page,), daemon=True)
worker.start()
worker.join()
print("rendered")
"""


def test_a_process_that_rendered_exits_cleanly():
    """The kept font configurations are freed at exit while Pango is whole: left to the end of
    the interpreter, the main thread's was unreferenced after the libraries' state was gone and
    the process died of a segmentation fault (exit status -11) after a clean run."""
    import subprocess  # nosec B404 - our own interpreter on our own script
    import sys
    from pathlib import Path

    script = EXITS_AFTER_RENDERS.format(root=str(Path(__file__).resolve().parents[2]))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)  # nosec B603
    assert done.stdout.strip() == "rendered", done.stderr
    assert done.returncode == 0, done.stderr


def test_a_released_font_configuration_is_made_again_on_the_next_render():
    from fbss_eval.pdf.engine import release_font_configs

    before = font_config()
    release_font_configs()
    after = font_config()
    assert after is not None
    assert after is not before
    assert font_config() is after


def test_a_render_with_the_kept_font_configuration_is_the_render_a_fresh_one_makes(app, complete: Rendered):
    from weasyprint.text.fonts import FontConfiguration

    html = render.visit_html(complete.report)
    with app.test_request_context():
        kept = [render.html_to_pdf(html, stylesheets=[render.VISIT_STYLESHEET]) for _ in range(2)]
        fresh = PrintHTML(html, STATIC_BASE, render.pdf_fetcher()).write_pdf(
            stylesheets=[render.VISIT_STYLESHEET], attachments=[], font_config=FontConfiguration())
    assert kept[0] == kept[1] == fresh  # byte for byte: same glyphs, same subsets, same layout


def test_no_print_stylesheet_or_template_declares_a_font_face():
    # The one thing that would add to a kept font configuration, and so leak into later documents.
    files = [*TEMPLATES.glob("*.css"), *TEMPLATES.glob("*.html")]
    assert len(files) >= 3
    assert not [f.name for f in files if "@font-face" in f.read_text(encoding="utf-8").lower()]


def test_pdf_streams_are_deflated_at_zlibs_default_level_not_9(complete: Rendered):
    streams = [complete.pdf[m.end():m.end() + int(m[1])] for m in re.finditer(
        rb"<<(?:(?!>>).)*?/FlateDecode(?:(?!>>).)*?/Length (\d+)(?:(?!>>).)*>>\s*stream\r?\n", complete.pdf, re.S)]
    assert len(streams) >= 5
    raw = [zlib.decompress(s) for s in streams]
    assert all(zlib.compress(r, 6) == s for r, s in zip(raw, streams, strict=True))
    assert any(zlib.compress(r, 9) != s for r, s in zip(raw, streams, strict=True))
