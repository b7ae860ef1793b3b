"""The only way a PDF render can read anything: an allow-list of the app's own files.

WeasyPrint's default ``URLFetcher`` reads ``file://`` paths, follows HTTP redirects and fetches
any URL a document names (reliability-security.md 1.3). ``AllowListFetcher`` answers only URLs
of the form ``STATIC_BASE + name`` for names on an explicit list, with bytes read in-process
from the file the list names; every other request (``file:``, ``http(s):``, ``ftp:``, ``data:``,
a redirect, a name not on the list, a path with ``..``) is refused, recorded and logged without
the URL (which could carry patient text).

The base is on the reserved ``.invalid`` domain (RFC 2606), so even a bug that let a URL
through to the network could not reach a real host.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlsplit

from weasyprint.urls import URLFetcher
from weasyprint.urls import URLFetcherResponse

STATIC_BASE = "https://fbss-eval.invalid/static/"
log = logging.getLogger("fbss_eval.pdf")


class FetchRefusedError(ValueError):
    """A document asked for a resource that is not on the allow-list."""


class AllowListFetcher(URLFetcher):
    """Serves ``STATIC_BASE + name`` for allow-listed names; refuses everything else.

    ``served`` and ``refused`` record every request (names served; schemes refused), so a test
    can prove what a render read.
    """

    def __init__(self, files: Mapping[str, Path]) -> None:
        # No protocol at all is allowed to the parent's urllib machinery, no redirects, short
        # timeout: defence in depth, since ``fetch`` below never calls the parent.
        super().__init__(timeout=3, allowed_protocols=frozenset(), allow_redirects=False, fail_on_errors=False)
        self._files = {name: Path(path) for name, path in files.items()}
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        """The allow-listed file for ``url``, or ``FetchRefusedError``."""
        name = self._name(url)
        if name is None:
            scheme = urlsplit(url).scheme.lower() if isinstance(url, str) else "?"
            self.refused.append(scheme or "relative")
            log.warning("PDF render: a resource request was refused (scheme %r)", scheme or "relative")
            raise FetchRefusedError("resource not on the PDF allow-list")
        body = self._files[name].read_bytes()
        self.served.append(name)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def open(self, url: Any, data: Any = None, timeout: Any = None) -> URLFetcherResponse:
        """urllib's entry point goes through ``fetch`` too (never through the parent's handlers)."""
        return self.fetch(url.full_url if hasattr(url, "full_url") else url)

    def _name(self, url: Any) -> str | None:
        if not isinstance(url, str) or not url.startswith(STATIC_BASE):
            return None
        parts = urlsplit(url)
        if parts.query or parts.fragment or parts.username or parts.password or parts.port:
            return None
        name = unquote(url[len(STATIC_BASE):])
        return name if name in self._files and "/" not in name and ".." not in name else None
