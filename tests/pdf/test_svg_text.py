"""pdf/svg_text.py: a chart label is drawn as one run of glyphs, where WeasyPrint's own SVG code
draws one per letter, and it prints the same words in the same places; a text that places its
letters one by one still goes WeasyPrint's own way. These fail if a WeasyPrint upgrade moves the
table of SVG tags or the text function the module replaces."""

from __future__ import annotations

import io
import re
import subprocess  # nosec B404 - poppler's pdftotext on our own PDF
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape

from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from weasyprint import svg as weasy_svg

from fbss_eval.pdf import render
from fbss_eval.pdf import svg_text

from .conftest import Rendered


@contextmanager
def weasyprints_own_text() -> Iterator[None]:
    """WeasyPrint's letter-by-letter SVG text for the length of the block."""
    saved = dict(weasy_svg.TAGS), weasy_svg.text  # type: ignore[attr-defined]
    for tag, function in saved[0].items():
        if function is svg_text.one_run_text:
            weasy_svg.TAGS[tag] = svg_text.weasyprint_text
    weasy_svg.text = svg_text.weasyprint_text  # type: ignore[attr-defined]
    try:
        yield
    finally:
        weasy_svg.TAGS.clear()
        weasy_svg.TAGS.update(saved[0])
        weasy_svg.text = saved[1]  # type: ignore[attr-defined]


def text_operators(pdf: bytes) -> int:
    """How many text-showing operators (TJ) the pages draw, form XObjects (SVG groups) included."""
    seen: set[int] = set()

    def streams(resources: DictionaryObject | None) -> Iterator[bytes]:
        for ref in ((resources or {}).get("/XObject") or {}).values():
            if ref.idnum in seen:
                continue
            seen.add(ref.idnum)
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield xobject.get_data()
                yield from streams(xobject.get("/Resources"))

    count = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        contents = [page.get_contents().get_data()] + list(streams(page.get("/Resources")))
        count += sum(len(re.findall(rb"\bTJ\b", data)) for data in contents)
    return count


def words_with_boxes(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """Every word pdftotext finds, with its box in points."""
    html = subprocess.run(["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True,  # nosec
                          timeout=60).stdout.decode()
    return [(word, float(x0), float(y0), float(x1), float(y1)) for x0, y0, x1, y1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def chart_page(label: str, attributes: str = 'x="10" y="20"') -> str:
    return ('<html xmlns="http://www.w3.org/1999/xhtml"><body><svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 200 50" width="200" height="50"><text {attributes} font-family="DejaVu Sans" '
            f'font-size="9">{label}</text></svg></body></html>')


def test_a_plain_label_is_one_text_run_where_weasyprint_draws_one_per_letter():
    page = chart_page("2025-04")
    ours = render.html_to_pdf(page)
    with weasyprints_own_text():
        theirs = render.html_to_pdf(page)
    assert text_operators(theirs) == len("2025-04")
    assert text_operators(ours) == 1
    assert [w[0] for w in words_with_boxes(ours)] == ["2025-04"]


def test_anchored_labels_stand_where_weasyprint_puts_them():
    for anchor in ("start", "middle", "end"):
        page = chart_page("Back MCID: 5", f'x="190" y="20" text-anchor="{anchor}"')
        ours = words_with_boxes(render.html_to_pdf(page))
        with weasyprints_own_text():
            theirs = words_with_boxes(render.html_to_pdf(page))
        assert [w[0] for w in ours] == [w[0] for w in theirs] == ["Back", "MCID:", "5"]
        for mine, own in zip(ours, theirs, strict=True):
            assert all(abs(a - b) <= 0.6 for a, b in zip(mine[1:], own[1:], strict=True)), (anchor, mine, own)


def test_the_visits_charts_print_the_same_words_in_the_same_places(app, complete: Rendered):
    html = render.visit_html(complete.report)
    assert html.count("<text ") >= 15
    ours = words_with_boxes(complete.pdf)
    with app.test_request_context(), weasyprints_own_text():
        their_pdf = render.html_to_pdf(html, stylesheets=[render.VISIT_STYLESHEET])
    theirs = words_with_boxes(their_pdf)
    assert [w[0] for w in ours] == [w[0] for w in theirs]
    moved = [(mine, own) for mine, own in zip(ours, theirs, strict=True)
             if any(abs(a - b) > 0.6 for a, b in zip(mine[1:], own[1:], strict=True))]
    assert not moved
    labels = re.findall(r"<text [^>]*>([^<]*)</text>", html)
    letters = sum(len(unescape(label).replace(" ", "")) for label in labels)  # a space draws nothing
    assert text_operators(their_pdf) - text_operators(complete.pdf) == letters - len(labels)


def test_a_text_placed_letter_by_letter_goes_weasyprints_own_way():
    for attributes in ('x="10 20 30" y="20"', 'x="10" y="20" rotate="15"', 'x="10" y="20" dx="2"',
                       'x="10" y="20" letter-spacing="3"'):
        page = chart_page("ABC", attributes)
        ours = render.html_to_pdf(page)
        with weasyprints_own_text():
            theirs = render.html_to_pdf(page)
        assert text_operators(ours) == text_operators(theirs) == 3, attributes
        assert words_with_boxes(ours) == words_with_boxes(theirs), attributes
