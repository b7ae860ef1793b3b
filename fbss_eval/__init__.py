"""fbss_eval: structured evaluation of Failed Back Surgery Syndrome (PSPS-T2).

``create_app`` builds the Flask app; every piece registers itself through a small helper.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from config import ProductionConfig
from config import config_class

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: str | type | None = None, **overrides: Any) -> Flask:
    """Build the app. ``config`` names a config class (or is one); ``overrides`` win."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_relative_config=True,
    )
    cls = config if isinstance(config, type) else config_class(config)
    app.config.from_object(cls)
    app.config.update(overrides)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["today_iso"] = lambda: date.today().isoformat()
    if issubclass(cls, ProductionConfig):
        ProductionConfig.check(app.config)  # before any default could hide a missing setting
    _default_database(app)
    from .database import engine_options

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if not app.config.get("SECRET_KEY"):
        # Development without SECRET_KEY: a random key per process (sessions end on restart).
        app.config["SECRET_KEY"] = secrets.token_urlsafe(32)

    register_proxies(app)
    register_extensions(app)
    register_templating(app)
    register_security(app)
    register_blueprints(app)
    register_renderer(app)
    register_errorhandlers(app)
    register_commands(app)
    register_logging(app)
    return app


def _default_database(app: Flask) -> None:
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        path = Path(app.instance_path) / "fbss_eval.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"


def register_renderer(app: Flask) -> None:
    """The report builder and PDF renderer the services use (signing renders a visit's PDFs
    once): services cannot import ``reports`` or ``pdf`` (they read them), so the app hands them
    over here."""
    from .pdf import render_report
    from .reports.build import build_visit_report

    app.extensions["fbss_eval.build_report"] = build_visit_report
    app.extensions["fbss_eval.render_report"] = render_report


def register_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies, take the client's address and scheme from the
    X-Forwarded-For/-Proto headers they set (the login limit and the audit trail key on it)."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    trusted = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)  # type: ignore[method-assign]


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, CSRF and rate limiting."""
    from . import models  # noqa: F401 - every model registered on the metadata
    from .database import configure_sqlite
    from .extensions import csrf
    from .extensions import db
    from .extensions import limiter
    from .extensions import migrate

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)


def register_templating(app: Flask) -> None:
    """Jinja filters and tests."""
    from .templating import init_app

    init_app(app)


def register_security(app: Flask) -> None:
    """Default-deny login, server-side sessions and security headers."""
    from .security import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    """One blueprint per area."""
    from .admin import review_views  # noqa: F401 - its routes join the admin blueprint
    from .admin.exports import bp as admin_export_bp
    from .admin.tokens import bp as admin_tokens_bp
    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .extensions import csrf
    from .fhir.views import bp as fhir_bp
    from .health import bp as health_bp
    from .patients.views import bp as patients_bp
    from .visits import completeness_views  # noqa: F401 - its route joins the visits blueprint
    from .visits.autosave import bp as visit_autosave_bp
    from .visits.pdf_views import bp as visit_pdf_bp
    from .visits.signing_views import bp as signing_bp
    from .visits.views import bp as visits_bp
    from .visits.void_views import bp as voiding_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(patients_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(visit_pdf_bp)
    app.register_blueprint(signing_bp)
    app.register_blueprint(visit_autosave_bp)
    app.register_blueprint(voiding_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(admin_tokens_bp, url_prefix="/admin")
    # The FHIR views check CSRF themselves: a session POST needs the token, a bearer token does not.
    csrf.exempt(fhir_bp)
    app.register_blueprint(fhir_bp)
    app.register_blueprint(admin_export_bp, url_prefix="/admin")


def register_errorhandlers(app: Flask) -> None:
    """Friendly error pages with no patient data and no stack trace."""
    from .errors import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """The ``flask --app fbss_eval ...`` commands."""
    from .cli import init_app

    init_app(app)


def register_logging(app: Flask) -> None:
    """Keep patient data out of logs: query strings (searches) are redacted from access logs."""
    from .logs import init_app

    init_app(app)
