"""The print HTML of the complete visit, summary and full record, against golden files reviewed by eye.

The visit is fixed (``conftest._render_complete``): DOE, Jane, born 1970-05-17, seen on 2025-06-01
by Dr Carl Clinician, the answers of ``answers.py`` (headline instruments from ``answers.SCORED``),
generated at ``conftest.GENERATED_AT``. Any change to what the documents print shows here as a
unified diff. When the change is intended, regenerate the files and read the diff before committing:

    FBSS_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -p no:cacheprovider -n 0 -q tests/pdf/test_golden.py

(the test then writes the files and fails, so a regenerated run is never mistaken for a pass).
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from fbss_eval.pdf.render import visit_html

from .conftest import Rendered

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("FBSS_UPDATE_GOLDEN") == "1"


def _lines(html: str) -> list[str]:
    """The HTML as lines, without trailing blanks (the templates' white space is not content)."""
    return [line.rstrip() for line in html.splitlines() if line.strip()]


def check_golden(name: str, html: str) -> None:
    path = GOLDEN / name
    actual = "\n".join(_lines(html)) + "\n"
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        pytest.fail(f"{path} written (FBSS_UPDATE_GOLDEN=1): read the diff, then run again without it")
    assert path.exists(), f"{path} is missing: generate it with FBSS_UPDATE_GOLDEN=1 and review it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden/{name}", "rendered",
                                    n=2, lineterm="")
        pytest.fail(f"the print HTML differs from golden/{name} (FBSS_UPDATE_GOLDEN=1 regenerates it):\n"
                    + "\n".join(diff), pytrace=False)


def test_summary_html_matches_golden(complete: Rendered):
    check_golden("summary.html", visit_html(complete.report))


def test_full_record_html_matches_golden(record: Rendered):
    check_golden("record.html", visit_html(record.report))
