"""Logging that keeps patient data out: request lines lose their query strings.

Werkzeug's development server logs ``'"%s" %s %s'`` with the request line as the first argument,
wrapped in ANSI colour codes for every status but 200; gunicorn's access log has its own format.
So the filter works on the record's arguments before they are formatted: an argument that is a
request line is parsed (method, target, version; colour codes kept aside) and its target loses
its query; gunicorn's query atom ``q`` is blanked; any other argument, and the message itself,
lose anything that looks like ``/path?query``.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

from flask import Flask

REDACTED = "[redacted]"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# METHOD SP target SP HTTP/x (the request line, after any colour codes are set aside).
_REQUEST_LINE = re.compile(r"^(?P<method>[A-Z]+) (?P<target>\S+) (?P<version>HTTP/\S+)$")
# A path with a query anywhere in free text; colour codes and quotes end it.
_QUERY = re.compile(r"(/[^\s?\"'\x1b]*)\?[^\s\"'\x1b]*")


def redact_target(target: str) -> str:
    """A request target without its query string (``/p?q=x`` -> ``/p?[redacted]``)."""
    if "?" not in target:
        return target
    parts = urlsplit(target)
    return urlunsplit(parts._replace(query=REDACTED, fragment=""))


def redact_request_line(line: str) -> str:
    """The request line with its target's query redacted, colour codes kept as they were."""
    prefix = "".join(_leading_codes(line))
    suffix = "".join(_trailing_codes(line[len(prefix):]))
    core = line[len(prefix):len(line) - len(suffix)]
    match = _REQUEST_LINE.match(core)
    if match is None:
        return redact_text(line)
    return f"{prefix}{match['method']} {redact_target(match['target'])} {match['version']}{suffix}"


def redact_text(text: str) -> str:
    """Any ``/path?query`` in free text loses its query."""
    return _QUERY.sub(rf"\1?{REDACTED}", text)


def _leading_codes(text: str) -> list[str]:
    codes = []
    while (match := _ANSI.match(text)) is not None:
        codes.append(match.group())
        text = text[match.end():]
    return codes


def _trailing_codes(text: str) -> list[str]:
    codes: list[str] = []
    while True:
        found = [m for m in _ANSI.finditer(text) if m.end() == len(text)]
        if not found:
            return codes
        codes.insert(0, found[-1].group())
        text = text[:found[-1].start()]


class RedactQueryStrings(logging.Filter):
    """Remove ``?query`` parts (patient searches) from request log records, coloured or not."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args:
            record.args = tuple(_redact_arg(value) for value in args)
        elif isinstance(args, dict):
            # gunicorn's atoms (a dict subclass with its own lookups): change them in place.
            for key in list(args):
                args[key] = REDACTED if key == "q" and args[key] not in ("", "-") else _redact_arg(args[key])
        if isinstance(record.msg, str):
            record.msg = redact_text(record.msg)
        return True


def _redact_arg(value: Any) -> Any:
    return redact_request_line(value) if isinstance(value, str) else value


def init_app(app: Flask) -> None:
    """Attach the filter to werkzeug's and gunicorn's access loggers."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQueryStrings) for f in logger.filters):
            logger.addFilter(RedactQueryStrings())
