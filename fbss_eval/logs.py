"""Logging that keeps patient data out: access-log lines lose their query strings."""

from __future__ import annotations

import logging
import re

from flask import Flask

_QUERY = re.compile(r'(\"[A-Z]+ [^ ?"]*)\?[^ "]*')


class RedactQueryStrings(logging.Filter):
    """Remove ``?query`` parts (patient searches) from request log lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _QUERY.sub(r"\1?[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def init_app(app: Flask) -> None:
    """Attach the filter to werkzeug's and gunicorn's access loggers."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQueryStrings) for f in logger.filters):
            logger.addFilter(RedactQueryStrings())
