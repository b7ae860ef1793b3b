"""WeasyPrint, tuned for our own print templates.

The visit PDF has a render-time target (design.md section 6: 0.5 s for a complete visit on a
2-core machine), and three costs in WeasyPrint have nothing to do with our documents:

* parsing: WeasyPrint parses HTML with tinyhtml5, a pure-Python HTML5 parser (about a tenth of
  a render). Our templates write well-formed XHTML, so ``PrintHTML`` parses them with expat
  through defusedxml (no DTD entities, no external references) into the same element tree;
* the user-agent stylesheet: WeasyPrint's HTML5 one styles every HTML element there is, with
  attribute and ``:is()`` selectors tried against every element (about a tenth). Ours,
  ``templates/pdf/ua.css``, states what our templates use;
* stylesheets: ours are parsed once, at import, not on every render;
* the cyclic garbage collector, which WeasyPrint's many small objects set off and which walks
  the whole process each time (about a tenth): paused for the length of a render;
* fonts: WeasyPrint makes a new font configuration for every document, so Pango's font map and
  its shaping caches start cold each time (about a twelfth). ``font_config()`` keeps one per
  thread (a Pango font map is not thread-safe);
* SVG text: WeasyPrint draws an SVG ``<text>`` letter by letter; ``svg_text.py`` draws our
  charts' plain labels as one run each (3.6% of a follow-up's summary, in instructions);
* three inner loops (drawing a line's glyphs, a box's used lengths, a property's computed value
  when the cascade set none): ``hot_paths.py`` does what WeasyPrint's do with fewer Python
  steps, to the same bytes;
* compression: pydyf deflates every stream at zlib's level 9, which buys 1.7% smaller visit PDFs
  for about a twentieth of the render. ``deflate_at_default_level()`` makes it zlib's default, 6.

``PrintHTML`` overrides two methods of WeasyPrint's ``HTML`` (weasyprint 70; setup.cfg keeps it
below 71), and the compression level is set in pydyf's module (0.13). tests/pdf/test_engine.py
renders the same document through WeasyPrint's own path and through this one and compares them,
and checks the level of a stream, so an upgrade that changes any of these hooks fails there.
"""

from __future__ import annotations

import atexit
import gc
import re
import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cssselect2
import pydyf
from defusedxml import ElementTree
from weasyprint import CSS
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from . import hot_paths
from . import svg_text
from .fetcher import STATIC_BASE
from .fetcher import AllowListFetcher

TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates" / "pdf"


def stylesheet(name: str) -> CSS:
    """One of our print stylesheets, parsed once; a URL in it would be refused (nothing is
    allow-listed here), so it can load nothing."""
    return CSS(string=(TEMPLATES / name).read_text(encoding="utf-8"), base_url=STATIC_BASE,
               url_fetcher=AllowListFetcher({}))


UA_STYLESHEET = stylesheet("ua.css")
# Characters XML 1.0 does not allow (C0 controls but tab, CR, LF; U+FFFE, U+FFFF; lone
# surrogates). A patient's pasted text may hold them; they would print as nothing anyway.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class PrintHTML(HTML):
    """An ``HTML`` document from one of our XHTML print templates (see the module)."""

    def __init__(self, xhtml: str, base_url: str, url_fetcher: URLFetcher, media_type: str = "print") -> None:
        # What HTML.__init__ sets, from an expat parse instead of tinyhtml5's.
        root = ElementTree.fromstring(_NOT_XML.sub("", xhtml), forbid_dtd=False)
        self.base_url = base_url
        self.url_fetcher = url_fetcher
        self.media_type = media_type
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        return [UA_STYLESHEET]


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block; reference counting still frees what it
    can, and the collector runs again (as it was) after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Kept:
    """One thread's font configuration (the thread-local holds this; ``_kept`` lists them all)."""

    __slots__ = ("config", "__weakref__")

    def __init__(self) -> None:
        self.config: FontConfiguration | None = None


_threads = threading.local()
_kept: weakref.WeakSet[_Kept] = weakref.WeakSet()


def font_config() -> FontConfiguration:
    """This thread's font configuration, made on its first render and kept (see the module).
    Sharing it is safe for our documents: only an ``@font-face`` rule adds to a configuration,
    and our print stylesheets have none (tests/pdf/test_engine.py checks)."""
    kept: _Kept | None = getattr(_threads, "kept", None)
    if kept is None:
        kept = _threads.kept = _Kept()
        _kept.add(kept)
    if kept.config is None:
        kept.config = FontConfiguration()
    return kept.config


@atexit.register
def release_font_configs() -> None:
    """Free every kept font configuration while Pango is still whole. Left to the end of the
    interpreter, a thread's locals are freed after the libraries' own state is gone, and
    unreferencing the Pango font map there crashed the process at exit (a segmentation fault
    after a clean run: tests/pdf/test_engine.py runs a process that renders, then exits)."""
    for kept in list(_kept):
        kept.config = None


class _DefaultLevelZlib:
    """pydyf's view of zlib: the same functions, with deflate streams at the default level."""

    compress = staticmethod(zlib.compress)

    @staticmethod
    def compressobj(level: int = zlib.Z_DEFAULT_COMPRESSION, *args: Any, **kwargs: Any) -> Any:
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, *args, **kwargs)


def deflate_at_default_level() -> None:
    """Make pydyf (WeasyPrint's PDF writer) deflate streams at zlib's default level, not 9."""
    pydyf.zlib = _DefaultLevelZlib


deflate_at_default_level()
svg_text.install()
hot_paths.install()
