"""Friendly error pages: a plain explanation, no patient data, no stack trace."""

from __future__ import annotations

from flask import Flask
from flask import render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from .extensions import db

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
    429: ("Too many requests", "Too many attempts in a short time. Wait a minute and try again."),
    500: ("Something went wrong", "The error was recorded. Nothing you typed was lost on our side; try again."),
}


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
        app.logger.exception("unhandled error (%s)", type(exc).__name__)
        return render_error(InternalServerError.code)
