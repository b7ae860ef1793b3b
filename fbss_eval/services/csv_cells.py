"""CSV cells that a spreadsheet opens as data, never as a formula, and CSV text in chunks.

A cell of text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (OWASP "CSV Injection"): such text is written
with a leading apostrophe, which the spreadsheet shows as text. Text that itself starts with an
apostrophe gets one too, so that ``unescape`` gives every text back exactly. Numbers that the
export writes itself (``-1`` for a painDETECT item, say) are not text and are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def escape_text(text: str) -> str:
    """Text for a CSV cell: a leading apostrophe before a formula character (or an apostrophe)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def unescape_text(cell: str) -> str:
    """The text ``escape_text`` was given (for reading an export back)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str]], per_chunk: int = 500) -> Iterator[str]:
    """The CSV text of ``header`` and ``rows`` (cells already strings), ``per_chunk`` rows at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count % per_chunk == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    if out.tell():
        yield out.getvalue()
