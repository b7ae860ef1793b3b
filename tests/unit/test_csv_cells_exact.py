"""CSV cells of the export (``services.csv_cells``): formula text is neutralised and read back,
and the CSV text comes in chunks of whole rows. Expected values are literal (OWASP "CSV
Injection": ``=``, ``+``, ``-``, ``@``, tab, carriage return start a formula)."""

from __future__ import annotations

import pytest

from fbss_eval.services.csv_cells import csv_chunks
from fbss_eval.services.csv_cells import escape_text
from fbss_eval.services.csv_cells import unescape_text


@pytest.mark.parametrize("text", ["=1+1", "+44", "-3", "@SUM(A1)", "\tx", "\rx", "'quoted"])
def test_formula_text_gets_a_leading_apostrophe_and_reads_back(text: str) -> None:
    assert escape_text(text) == "'" + text
    assert unescape_text("'" + text) == text


@pytest.mark.parametrize("text", ["", "L5 radiculopathy", "a=b", "'", "''"])
def test_plain_text_is_unchanged_and_round_trips(text: str) -> None:
    if text in ("'", "''"):
        assert escape_text(text) == "'" + text
    else:
        assert escape_text(text) == text
    assert unescape_text(escape_text(text)) == text


def test_an_apostrophe_before_plain_text_is_kept_when_read_back() -> None:
    assert unescape_text("'abc") == "'abc"


def test_csv_chunks_hold_whole_rows_per_chunk_with_crlf() -> None:
    chunks = list(csv_chunks(["a", "b"], [["1", "x"], ["2", "y, z"], ["3", "q"]], per_chunk=2))
    assert chunks == ["a,b\r\n1,x\r\n2,\"y, z\"\r\n", "3,q\r\n"]


def test_csv_chunks_of_no_rows_is_the_header_alone() -> None:
    assert list(csv_chunks(["a"], [], per_chunk=2)) == ["a\r\n"]


def test_csv_chunks_with_rows_filling_the_last_chunk_add_no_empty_chunk() -> None:
    assert list(csv_chunks(["a"], [["1"]], per_chunk=1)) == ["a\r\n1\r\n"]
