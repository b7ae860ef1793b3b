"""SVG text drawn as one run of glyphs, for the plain labels of our charts.

WeasyPrint 70 lays out and draws every SVG ``<text>`` letter by letter (``weasyprint/svg/text.py``:
one Pango layout and one PDF text object per character), so that ``x``, ``y``, ``dx``, ``dy`` and
``rotate`` lists can place each letter. The trend charts' labels use none of that: one ``x``, one
``y``, no per-letter attribute, no ``<tspan>``. For those ``one_run_text`` lays the string out once
and draws it in one text object, as WeasyPrint draws HTML text (and, unlike the letter-by-letter
path, with the font's kerning). A follow-up's summary with three charts drew 482 text runs, 124 of
them single chart letters; with this, 358, and 3.6% fewer instructions per render (callgrind:
1,704 M -> 1,642 M).
Any other text goes to WeasyPrint's own function, unchanged.

``install()`` puts it in WeasyPrint's table of SVG tags (weasyprint 70; setup.cfg keeps it below
71). tests/pdf/test_svg_text.py checks that a chart's labels print the same text and stand where
WeasyPrint's own path puts them, and fails if an upgrade moves the table or the function.
"""

from __future__ import annotations

from math import inf
from typing import Any

from weasyprint import svg as weasy_svg
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.draw import text as weasy_draw_text
from weasyprint.draw.text import draw_emojis
from weasyprint.matrix import Matrix
from weasyprint.svg.bounding_box import extend_bounding_box
from weasyprint.svg.text import Style
from weasyprint.svg.text import TextBox
from weasyprint.svg.text import text as weasyprint_text
from weasyprint.svg.utils import normalize
from weasyprint.svg.utils import size
from weasyprint.text.line_break import split_first_line

# Attributes that place letters one by one or move the baseline: a text with any goes the long way.
_LETTERWISE = ("dx", "dy", "rotate", "textLength", "letter-spacing", "display-anchor", "dominant-baseline",
               "alignment-baseline", "direction")
_WEIGHTS = {"normal": 400, "bold": 700}


def _one_value(attribute: str | None) -> bool:
    return attribute is None or " " not in normalize(attribute).strip()


def _style(svg: Any, node: Any, font_size: float) -> Style:
    """The text's style, as WeasyPrint's own function builds it."""
    style = Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    try:
        style["font_weight"] = _WEIGHTS[weight] if weight in _WEIGHTS else int(weight)
    except ValueError:
        style["font_weight"] = 400
    style["font_size"] = font_size
    return style


def one_run_text(svg: Any, node: Any, font_size: float) -> None:
    """Draw a plain ``<text>`` (one position, no per-letter attribute, no child element) as one
    run; hand any other to WeasyPrint."""
    x_attribute, y_attribute = node.get("x"), node.get("y")
    if (not node.text or node.tag != "text" or any(node.get(name) is not None for name in _LETTERWISE)
            or not (_one_value(x_attribute) and _one_value(y_attribute)) or next(iter(node), None) is not None):
        weasyprint_text(svg, node, font_size)
        return
    style = _style(svg, node, font_size)
    layout, _, _, width, height, baseline = split_first_line(node.text, style, svg.context, inf, 0)
    x = svg.cursor_position[0] if x_attribute is None else size(x_attribute, font_size, svg.inner_width)
    y = svg.cursor_position[1] if y_attribute is None else size(y_attribute, font_size, svg.inner_height)
    if x_attribute is not None:
        svg.cursor_d_position[0] = 0
    if y_attribute is not None:
        svg.cursor_d_position[1] = 0
    x_position, y_position = x + svg.cursor_d_position[0], y + svg.cursor_d_position[1]
    svg.cursor_position = x + width, y
    top = y_position - baseline
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((x_position, top), (x_position + width, top + height)))

    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    text_box = TextBox(layout, style)
    text_box.baseline = baseline
    matrix = Matrix(d=-1, e=x_position, f=y_position)
    emojis = weasy_draw_text.draw_first_line(svg.stream, text_box, "none", "none", matrix)
    svg.stream.end_text()
    svg.stream.pop_state()
    draw_emojis(svg.stream, style, x, y, emojis)


def install() -> None:
    """Draw plain SVG ``<text>`` with ``one_run_text``. WeasyPrint tells a text element by its
    drawing function (``TAGS.get(node.tag) == text``, for ``text-anchor`` and the text's bounding
    box), so each tag drawn by its ``text`` and the module's name ``text`` itself all change
    together; ``one_run_text`` hands every tag but ``<text>`` to the original."""
    for tag, function in list(weasy_svg.TAGS.items()):
        if function is weasyprint_text:
            weasy_svg.TAGS[tag] = one_run_text
    weasy_svg.text = one_run_text
