"""``GET /healthz``: no login; proves the database answers a real query."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """``{"status": "ok", "database": "ok"}``, or 503 with ``"database": "error"``."""
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except (SQLAlchemyError, OSError):
        db.session.rollback()
        current_app.logger.warning("healthz: database unreachable")
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok"), 200
