"""A voided visit's signed PDF, marked VOID: the PDF stored at signing stays byte for byte as it
was (it is the signed evidence, and ``verify-visit`` checks its SHA-256); a download gets a copy
of it with every page overlaid by the VOID mark and the void note (who voided it, when, why).

The overlay is one page rendered by WeasyPrint at the size of the stored pages (our templates
print on A4 or Letter) and laid over each page with pypdf, which draws it after the page's own
content: the signed text, signature lines included, is left untouched and stays extractable.
"""

from __future__ import annotations

import io

from markupsafe import escape
from pypdf import PdfReader
from pypdf import PdfWriter

from .render import html_to_pdf

# The same mark as a voided visit's rendered PDF (visit.css ``.watermark.void``), and a band
# above the running header, which the stored pages leave empty (their top margin is 16 mm).
_OVERLAY = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>VOID</title><style>
@page {{ size: {width:.2f}pt {height:.2f}pt; margin: 0; }}
body {{ margin: 0; font-family: "DejaVu Sans", sans-serif; }}
.band {{ margin: 0; padding: 1.6mm 13mm 0 13mm; font-size: 7.5pt; font-weight: bold; color: #a61b1b; }}
.mark {{ position: absolute; top: 95mm; left: 0; right: 0; text-align: center; font-size: 120pt;
  font-weight: bold; letter-spacing: 14pt; color: rgba(40, 40, 40, 0.13); transform: rotate(-32deg); }}
</style></head><body><p class="band">VOID · {note}</p><div class="mark">VOID</div></body></html>"""


def void_overlay(width: float, height: float, note: str) -> bytes:
    """A one-page PDF of ``width`` x ``height`` points holding only the VOID mark and ``note``."""
    html = _OVERLAY.format(width=width, height=height, note=escape(note))
    return html_to_pdf(html)


def stamp_void(pdf: bytes, note: str) -> bytes:
    """A copy of ``pdf`` with the VOID mark and ``note`` laid over every page (``pdf`` itself is
    not changed). Pages of another size than the first get an overlay of their own size."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    overlays: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        size = (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        if size not in overlays:
            overlays[size] = PdfReader(io.BytesIO(void_overlay(*size, note))).pages[0]
        page.merge_page(overlays[size])  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
