"""Hostile patient text: markup in names and free-text answers is printed as text; nothing is
fetched, nothing is embedded, in the summary and in the full record. The fetcher holds even for
markup that is not escaped; characters XML cannot carry do not break a render."""

from __future__ import annotations

import io
from dataclasses import fields
from dataclasses import is_dataclass
from typing import Any

import pytest
from pypdf import PdfReader

from fbss_eval.pdf import render
from fbss_eval.pdf.fetcher import AllowListFetcher
from fbss_eval.reports.build import build_visit_report
from fbss_eval.services import visits as service

from .builders import make_patient
from .conftest import VISIT_DATE
from .conftest import pdf_text
from .conftest import squash


def hostile_strings(port: int) -> dict[str, str]:
    return {
        "family": "<link rel=attachment href=file:///etc/passwd>",
        "given": f"<img src=http://127.0.0.1:{port}/x.png><script>alert(1)</script>",
        "mrn": 'X"<b>1</b>',
        "complaint": (f"@import url(http://127.0.0.1:{port}/a.css); <style>@import url(http://127.0.0.1:{port}/b.css)"
                      f"</style><link rel=stylesheet href=http://127.0.0.1:{port}/c.css>"),
        "notes": (f'<div style="background: url(http://127.0.0.1:{port}/d.png)">x</div>'
                  "<object data=file:///etc/hostname></object><svg><image href=file:///etc/passwd /></svg>"),
        "evidence": "<link rel=attachment href=file:///etc/hostname><iframe src=file:///etc/passwd></iframe>",
    }


def embedded_files(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return list(reader.attachments)


def assert_plain_data(value: Any, path: str = "report") -> None:
    """Only str, numbers, bools, None, tuples, mappings and dataclasses of those."""
    if value is None or isinstance(value, str | int | float | bool):
        return
    if is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            assert_plain_data(getattr(value, f.name), f"{path}.{f.name}")
        return
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            assert_plain_data(item, f"{path}[{i}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), path
            assert_plain_data(item, f"{path}[{key!r}]")
        return
    raise AssertionError(f"{path} is a {type(value).__name__}, not plain data")


@pytest.fixture
def hostile_visit(app, users, listener):
    text = hostile_strings(listener.port)
    patient = make_patient(users.clinician, mrn=text["mrn"], family=text["family"], given=text["given"])
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    sections = {s.key: s for s in service.visit_sections()}
    service.save_section(visit, sections["visit"], {
        "visit_date": VISIT_DATE.isoformat(), "visit_type": "initial", "chief_complaint": text["complaint"],
        "visit_notes": text["notes"], "back_nrs_now": 6, "leg_nrs_now": 8},
        service.section_rows(visit)["visit"].rev, users.clinician)
    service.save_section(visit, sections["differential"], {
        "lh_epidural_fibrosis": "possible", "ev_epidural_fibrosis": text["evidence"]}, 0, users.clinician)
    return visit, text


@pytest.mark.parametrize("full", [False, True], ids=["summary", "record"])
def test_hostile_text_is_printed_as_text_and_nothing_is_fetched(app, hostile_visit, listener, monkeypatch, full):
    visit, text = hostile_visit
    made: list[AllowListFetcher] = []

    def recording_fetcher() -> AllowListFetcher:
        made.append(AllowListFetcher(render.ALLOWED_FILES))
        return made[-1]

    monkeypatch.setattr(render, "pdf_fetcher", recording_fetcher)
    report = build_visit_report(visit, full=full)
    assert_plain_data(report)
    html = render.visit_html(report)
    assert "<link rel=attachment" not in html
    assert "&lt;link rel=attachment" in html
    assert "<script>" not in html
    assert "<img src=http" not in html

    pdf = render.html_to_pdf(html, None, [render.VISIT_STYLESHEET], uncompressed_pdf=True)
    assert made[0].served == []  # the stylesheet is parsed once: a render asks for nothing at all
    assert made[0].refused == []
    assert listener.connections == 0
    assert b"/EmbeddedFile" not in pdf
    assert b"root:" not in pdf
    assert embedded_files(pdf) == []
    flat = squash(pdf_text(pdf)).lower()  # the family name is printed in capitals
    printed = text if full else {k: v for k, v in text.items() if k != "notes"}  # notes: full record only
    for value in printed.values():
        assert squash(value).lower() in flat, value


def test_unescaped_hostile_markup_is_refused_by_the_fetcher(listener, caplog):
    """Even if markup reached WeasyPrint unescaped, the fetcher serves nothing it should not."""
    port = listener.port
    # Well-formed, so that it reaches WeasyPrint through our XHTML parser.
    html = f"""<html><head>
      <link rel="attachment" href="file:///etc/passwd"/>
      <link rel="stylesheet" href="file:///etc/passwd"/>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/c.css"/>
      <style>@import url(http://127.0.0.1:{port}/a.css); @import url(file:///etc/hostname);
        body {{ background: url(http://127.0.0.1:{port}/bg.png) }}</style></head>
      <body><p>text</p><img src="http://127.0.0.1:{port}/x.png"/><img src="file:///etc/passwd"/>
      <img src="data:image/png;base64,iVBORw0KGgo="/><object data="file:///etc/hostname"></object>
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
      <image href="http://127.0.0.1:{port}/s.png" width="10" height="10"/>
      <image xlink:href="file:///etc/passwd" width="10" height="10"/></svg>
      <a rel="attachment" href="file:///etc/passwd">attachment</a></body></html>"""
    fetcher = AllowListFetcher(render.ALLOWED_FILES)
    pdf = render.html_to_pdf(html, fetcher, uncompressed_pdf=True)
    assert fetcher.served == []
    assert {"file", "http", "data"} <= set(fetcher.refused)
    assert listener.connections == 0
    assert b"/EmbeddedFile" not in pdf
    assert b"root:" not in pdf
    assert embedded_files(pdf) == []
    assert "/etc/passwd" not in caplog.text
    assert "127.0.0.1" not in caplog.text


def test_markup_that_is_not_well_formed_is_refused_not_guessed_at():
    """The print templates are XHTML: a stray unescaped "<" fails the render loudly (a bug to
    fix) rather than being repaired by guesswork."""
    from xml.etree.ElementTree import ParseError

    with pytest.raises(ParseError):
        render.html_to_pdf("<html><body><p>5 < 6 <b>unclosed</p></body></html>")


def test_characters_xml_cannot_carry_do_not_break_a_render(app, users):
    patient = make_patient(users.clinician, family="Doe\x0bSmith", given="Ja\x01ne\ufffe")
    visit = service.start_visit(patient, users.clinician, VISIT_DATE, "initial")
    text = pdf_text(render.render_visit_pdf(build_visit_report(visit)))
    assert "DOESMITH" in squash(text)
