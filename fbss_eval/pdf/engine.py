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
  the whole process each time (about a tenth): paused for the length of a render.

``PrintHTML`` overrides two methods of WeasyPrint's ``HTML`` (weasyprint 70; setup.cfg keeps it
below 71). tests/pdf/test_engine.py renders the same document through WeasyPrint's own path and
through this one and compares them, so an upgrade that changes either hook fails there.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import cssselect2
from defusedxml import ElementTree
from weasyprint import CSS
from weasyprint import HTML
from weasyprint.urls import URLFetcher

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
