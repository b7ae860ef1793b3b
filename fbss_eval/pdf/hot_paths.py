"""Three of WeasyPrint's inner loops, written again for speed, with the same output.

Measured on a follow-up visit's summary (weasyprint 70):

* ``draw_first_line`` (``weasyprint/draw/text.py``) writes a line's glyphs to the PDF. It reads
  every glyph's four numbers through cffi, one attribute at a time (a Python object each), and
  builds the glyph string by adding to it: 27 ms of a 211 ms render (wall time inside it).
  ``draw_first_line`` here reads a run's glyphs in one ``struct`` call and joins the string once
  (22 ms: the rest is Pango laying the line out again, which WeasyPrint does before drawing);
* ``resolve_percentages`` (``weasyprint/layout/percent.py``) sets a box's used margins,
  paddings, sizes and borders, two function calls per property, on every box of every layout
  pass. ``resolve_percentages`` here does it in one loop and leaves only a math function
  (``calc()``) to WeasyPrint's ``percentage``. Most of its 18 ms is the next item's;
* ``ComputedStyle.__missing__`` (``weasyprint/css/__init__.py``) finds a property's computed
  value on first use: about 18,000 times a summary, 16,000 of them a plain inherited or initial
  value, each through the whole method. ``computed_value`` here takes those in a few steps.

Together: 1,662 M -> 1,500 M instructions per render of that summary (callgrind, each variant
with its own warm-up baseline; -9.7%).

All three do what WeasyPrint's own do, operator for operator: tests/pdf/test_hot_paths.py renders
the visit PDFs, the benchmark's reference and documents made to reach each branch both ways and
compares the PDF bytes. A line that needs what the fast loop leaves out (an ellipsis, a glyph the
fonts lack, a raised glyph, a colour or bitmap emoji font) is drawn by WeasyPrint's own function,
before anything is written; a property that is cascaded, custom, logical, a text decoration,
``page``, ``position``, ``float``, ``display`` or a math function goes to WeasyPrint's method.
``install()`` binds them in every WeasyPrint module that imported the originals (weasyprint 70;
setup.cfg keeps it below 71; the tests fail if an upgrade moves a name).
"""

from __future__ import annotations

import struct
import sys
from typing import Any

from weasyprint.css import ComputedStyle
from weasyprint.css.computed_values import COMPUTER_FUNCTIONS
from weasyprint.css.computed_values import PHYSICAL_FUNCTIONS
from weasyprint.css.functions import check_math
from weasyprint.css.properties import INHERITED
from weasyprint.css.properties import INITIAL_NOT_COMPUTED
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.css.properties import Dimension
from weasyprint.draw import text as weasy_draw_text
from weasyprint.formatting_structure.boxes import Box
from weasyprint.formatting_structure.boxes import PageBox
from weasyprint.layout import percent as weasy_percent
from weasyprint.text.ffi import FROM_UNITS
from weasyprint.text.ffi import ffi
from weasyprint.text.ffi import pango

weasyprint_draw_first_line = weasy_draw_text.draw_first_line
weasyprint_resolve_percentages = weasy_percent.resolve_percentages
weasyprint_computed_value = ComputedStyle.__missing__
_percentage = weasy_percent.percentage
_adjust_box_sizing = weasy_percent.adjust_box_sizing

# PangoGlyphInfo: glyph (guint32), geometry (width, x_offset, y_offset: gint32), attr (a guint bitfield).
_GLYPH = struct.Struct("=IiiiI")
_EMPTY = pango.PANGO_GLYPH_EMPTY
_UNKNOWN = pango.PANGO_GLYPH_UNKNOWN_FLAG
_OLD_PANGO = pango.pango_version() < 14802


def _runs(stream: Any, first_line: Any) -> list[tuple[Any, Any, Any, float, list[tuple[int, ...]]]] | None:
    """Each run of the line as (glyph item, Pango font, our font, font size, glyphs), or None
    when one needs what only WeasyPrint's own loop does (see the module)."""
    runs = []
    fonts: dict[Any, tuple[Any, float]] = {}
    run = first_line.runs[0]
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        glyph_string = glyph_item.glyphs
        pango_font = glyph_item.item.analysis.font
        if pango_font not in fonts:
            fonts[pango_font] = stream.add_font(pango_font)
        font, font_size = fonts[pango_font]
        if font.svg or font.png or font.colr:
            return None
        size = glyph_string.num_glyphs * _GLYPH.size
        glyphs = list(_GLYPH.iter_unpack(ffi.buffer(glyph_string.glyphs, size))) if size else []
        if any(glyph[0] & _UNKNOWN or glyph[3] for glyph in glyphs if glyph[0] != _EMPTY):
            return None
        runs.append((glyph_item, pango_font, font, font_size, glyphs))
    return runs


def _glyph_list(stream: Any, layout: Any, glyph_item: Any, pango_font: Any, font: Any, font_size: float,
                glyphs: list[tuple[int, ...]]) -> str:
    """One run's glyphs as WeasyPrint writes them in a TJ array (opened, not closed), recording
    each new glyph's characters and width in the font as it goes."""
    hex_format = "02x" if font.bitmap else "04x"
    widths, to_unicode = font.widths, font.to_unicode
    parts = ["<"]
    for i, (glyph_id, width, x_offset, _, _) in enumerate(glyphs):
        if glyph_id == _EMPTY:
            parts.append(f">{-width / font_size}<")
            continue
        if glyph_id not in to_unicode:
            # The glyph's characters: its cluster's bytes in the UTF-8 text.
            item = glyph_item.item
            clusters = glyph_item.glyphs.log_clusters
            if item.analysis.level % 2:  # right to left
                end = item.length if i == 0 else clusters[i - 1]
            else:
                end = item.length if i == len(glyphs) - 1 else clusters[i + 1]
            to_unicode[glyph_id] = layout.text.encode()[item.offset + clusters[i]:item.offset + end].decode()
        offset = x_offset / font_size
        if offset:
            parts.append(f">{-offset}<")
        parts.append(format(glyph_id, hex_format))
        if glyph_id in widths:
            logical_width = widths[glyph_id]
        else:
            pango.pango_font_get_glyph_extents(pango_font, glyph_id, stream.ink_rect, stream.logical_rect)
            logical_width = widths[glyph_id] = round(stream.logical_rect.width * 1000 * FROM_UNITS / font_size)
        kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
        if kerning:
            parts.append(f">{int(kerning)}<")
    return "".join(parts)


def draw_first_line(stream: Any, textbox: Any, text_overflow: str, block_ellipsis: Any, matrix: Any) -> list[Any]:
    """Draw the ``textbox``'s first line to ``stream``, as WeasyPrint's ``draw_first_line`` does."""
    if text_overflow == "ellipsis" or block_ellipsis != "none":
        return weasyprint_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
    if not textbox.text.strip() or textbox.style["font_size"] < 1e-6:
        return []
    layout = textbox.pango_layout
    pango.pango_layout_set_single_paragraph_mode(layout.layout, True)
    first_line, _ = layout.get_first_line()
    runs = _runs(stream, first_line)
    if runs is None:
        return weasyprint_draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix)

    stream.set_text_matrix(*matrix.values)
    previous_pango_font = None
    string = ""
    for glyph_item, pango_font, font, font_size, glyphs in runs:
        if pango_font != previous_pango_font:
            previous_pango_font = pango_font
            if _OLD_PANGO:
                font_size = textbox.style["font_size"]
            if string:
                stream.show_text(string)
            string = ""
            stream.set_font_size(font.hash, 1 if font.bitmap else font_size)
        string += _glyph_list(stream, layout, glyph_item, pango_font, font, font_size, glyphs)
        # Close the run's glyph list; drop it when it is empty.
        string = string[:-1] if string[-1] == "<" else string + ">"
    stream.show_text(string)
    return []


_SIZES = ("margin_left", "margin_right", "margin_top", "margin_bottom", "padding_left", "padding_right",
          "padding_top", "padding_bottom", "width", "min_width", "max_width")
_BORDERS = ("border_top_width", "border_right_width", "border_bottom_width", "border_left_width")


def _used(value: Any, style: Any, refer_to: Any) -> Any:
    """``percentage(value, style, refer_to)``, without a call for a plain length or percentage."""
    if type(value) is Dimension:
        return refer_to * value.value / 100 if value.unit == "%" else value.value
    return _percentage(value, style, refer_to)


def resolve_percentages(box: Any, containing_block: Any) -> None:
    """Set a box's used lengths, as WeasyPrint's ``resolve_percentages`` does."""
    if isinstance(containing_block, Box):
        cb_width, cb_height = containing_block.width, containing_block.height
    else:
        cb_width, cb_height = containing_block
    maybe_height = cb_height if isinstance(box, PageBox) else cb_width
    style = box.style
    refer = (cb_width, cb_width, maybe_height, maybe_height, cb_width, cb_width, maybe_height, maybe_height,
             cb_width, cb_width, cb_width)
    for name, refer_to in zip(_SIZES, refer, strict=True):
        setattr(box, name, _used(style[name], style, refer_to))
    if box.min_width == "auto":
        box.min_width = 0

    if cb_height == "auto":
        # The containing block's height depends on its content (WeasyPrint's comment).
        height = style["height"]
        if type(height) is Dimension:
            is_auto = height.unit == "%"
        else:
            is_auto = height == "auto" or check_math(height) or height.unit == "%"
        if is_auto:
            box.height = "auto"
        else:
            assert height.unit.lower() == "px"  # nosec B101
            box.height = height.value
        box.min_height = _used(style["min_height"], style, 0)
        box.max_height = _used(style["max_height"], style, float("inf"))
    else:
        box.height = _used(style["height"], style, cb_height)
        box.min_height = _used(style["min_height"], style, cb_height)
        box.max_height = _used(style["max_height"], style, cb_height)
    if box.min_height == "auto":
        box.min_height = 0

    collapse = style["border_collapse"] == "collapse"
    for name in _BORDERS:
        if not (collapse and hasattr(box, name)):
            setattr(box, name, style[name])

    if style["box_sizing"] != "content-box":
        _adjust_box_sizing(box, "width")
        _adjust_box_sizing(box, "height")


_FIRST_TAKES_OTHERS = frozenset(("float", "display", "position", "page"))
_PLAIN = frozenset((str, int, float, bool, type(None), Dimension))  # check_math is false for these
_MATH_INITIAL = frozenset(key for key, value in INITIAL_VALUES.items() if check_math(value))


def computed_value(style: Any, key: str) -> Any:
    """``ComputedStyle.__missing__``: the computed value of a property the cascade did not set,
    as WeasyPrint's own method finds it, in a few steps: the parent's value for an inherited
    property, else the initial value (computed when WeasyPrint computes it). Everything else (a
    cascaded or custom property, a logical one set, a text decoration, ``page``, ``position``,
    ``float``, ``display``, a math function) goes to WeasyPrint's method."""
    if (key in style.cascaded or key in _FIRST_TAKES_OTHERS or key in _MATH_INITIAL or key[:2] == "__"
            or key[:16] == "text_decoration_"):
        return weasyprint_computed_value(style, key)
    logical_function = PHYSICAL_FUNCTIONS.get(key)
    if logical_function is not None and logical_function(block="ttb", inline=style["direction"]) in style.cascaded:
        return weasyprint_computed_value(style, key)
    parent_style = style.parent_style
    if key in INHERITED and parent_style is not None:
        value = parent_style[key]
        if value.__class__ not in _PLAIN and check_math(value):
            return weasyprint_computed_value(style, key)
    else:
        value = INITIAL_VALUES[key]
        if key in INITIAL_NOT_COMPUTED and key in COMPUTER_FUNCTIONS:
            value = COMPUTER_FUNCTIONS[key](style, key, value)
    style[key] = value
    return value


def _rebind(original: Any, replacement: Any) -> list[str]:
    """Bind ``replacement`` wherever a WeasyPrint module holds ``original``; the modules changed."""
    changed = []
    for name, module in list(sys.modules.items()):
        if name == "weasyprint" or name.startswith("weasyprint."):
            for attribute, value in list(vars(module).items()):
                if value is original:
                    setattr(module, attribute, replacement)
                    changed.append(f"{name}.{attribute}")
    return changed


def install() -> list[str]:
    """Put the three in WeasyPrint (the method on ``ComputedStyle``, the functions in every module
    that imported the originals); the module names rebound."""
    import weasyprint.layout  # noqa: F401 - every layout module, so each import is rebound

    ComputedStyle.__missing__ = computed_value
    return (_rebind(weasyprint_draw_first_line, draw_first_line)
            + _rebind(weasyprint_resolve_percentages, resolve_percentages))


def uninstall() -> list[str]:
    """Give WeasyPrint its own three back (for the tests that compare the two)."""
    ComputedStyle.__missing__ = weasyprint_computed_value
    return (_rebind(draw_first_line, weasyprint_draw_first_line)
            + _rebind(resolve_percentages, weasyprint_resolve_percentages))
