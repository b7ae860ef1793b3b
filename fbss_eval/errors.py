"""Friendly error pages: a plain explanation, no patient data, no stack trace."""

from __future__ import annotations

import traceback

from flask import Flask
from flask import render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from .extensions import db
from .services.auth import LIMITED_MESSAGE

MESSAGES = {
    400: ("Bad request", "The request could not be understood. Go back, reload the page and try again."),
    403: ("Not allowed", "Your account does not have access to this page."),
    404: ("Not found", "There is nothing at this address. It may have been moved or never existed."),
    405: ("Not allowed", "This page cannot be used that way."),
    409: (
        "Changed by someone else",
        "This record was changed after you opened it. Reload it to see the current version.",
    ),
    413: ("Too large", "What you sent is larger than this app accepts."),
    429: ("Too many requests", LIMITED_MESSAGE),
    # This page cannot show what was sent, so it promises nothing about it: the browser's Back
    # button usually returns to the form with what was typed still in it.
    500: (
        "Something went wrong",
        "The error was recorded. Use your browser's Back button to return to the page: what you "
        "typed is usually still there. Check whether your change was saved before trying again.",
    ),
}


def describe(exc: BaseException) -> str:
    """Type and location of an exception and of its causes, without their messages: a message
    can hold patient data (PostgreSQL's DETAIL repeats the offending values, e.g. an MRN)."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        sqlstate = getattr(getattr(current, "orig", None), "sqlstate", None) or getattr(current, "sqlstate", None)
        if sqlstate:
            name += f" [sqlstate {sqlstate}]"
        frames = traceback.extract_tb(current.__traceback__)
        # The innermost frames of our own code, then the frame that raised.
        shown = [f for f in frames if "site-packages" not in f.filename and f.filename[:1] != "<"][-5:]
        if frames and frames[-1] not in shown:
            shown.append(frames[-1])
        where = " <- ".join(f"{f.filename}:{f.lineno} in {f.name}" for f in reversed(shown))
        parts.append(f"{name} at {where}" if where else name)
        current = current.__cause__ or current.__context__
    return "; caused by ".join(parts)


def render_error(code: int, detail: str | None = None) -> tuple[str, int]:
    """The error page for a status code."""
    title, message = MESSAGES.get(code, MESSAGES[500])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_app(app: Flask) -> None:
    """Register the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            "This form was missing its security token or it had expired. "
            "Go back, reload the page, and submit again.",
        )

    @app.errorhandler(StaleDataError)
    def stale(exc: StaleDataError) -> tuple[str, int]:
        db.session.rollback()
        return render_error(409)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[str, int]:
        return render_error(exc.code or 500)

    @app.errorhandler(Exception)
    def unhandled(exc: Exception) -> tuple[str, int]:
        db.session.rollback()
        app.logger.error("unhandled error: %s", describe(exc))
        return render_error(InternalServerError.code)
