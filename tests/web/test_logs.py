"""No patient data in logs: access-log query strings are redacted, errors log no parameters."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from flask import request

from fbss_eval.extensions import db
from fbss_eval.logs import RedactQueryStrings
from fbss_eval.models import Patient
from tests.conftest import login


def record(msg: str, *args) -> logging.LogRecord:
    return logging.LogRecord("werkzeug", logging.INFO, __file__, 1, msg, args, None)


def test_the_filter_removes_the_query_of_an_access_line():
    line = '127.0.0.1 - - [21/Nov/2026 10:00:00] "GET /?q=Smith HTTP/1.1" 200 -'
    rec = record(line)
    assert RedactQueryStrings().filter(rec) is True  # the line is kept...
    message = rec.getMessage()
    assert "Smith" not in message  # ...without the search
    assert '"GET /?[redacted] HTTP/1.1" 200 -' in message


def test_the_filter_handles_werkzeug_style_arguments():
    # werkzeug logs '%s - - [%s] %s' with the request line as an argument.
    rec = record('%s - - [%s] "%s" %s %s', "127.0.0.1", "21/Nov/2026 10:00:00",
                 "GET /patients/new?family_name=Smith&mrn=MRN-1 HTTP/1.1", "302", "-")
    RedactQueryStrings().filter(rec)
    message = rec.getMessage()
    assert "Smith" not in message
    assert "MRN-1" not in message
    assert "GET /patients/new?[redacted] HTTP/1.1" in message
    assert "302" in message


def test_lines_without_a_query_are_unchanged():
    line = '127.0.0.1 - - [21/Nov/2026 10:00:00] "GET /patients/3 HTTP/1.1" 200 -'
    rec = record(line)
    RedactQueryStrings().filter(rec)
    assert rec.getMessage() == line


@pytest.mark.parametrize("name", ["werkzeug", "gunicorn.access"])
def test_the_filter_is_installed_on_the_access_loggers(app, caplog, name):
    caplog.set_level(logging.INFO, logger=name)
    logging.getLogger(name).info('%s - - [%s] "%s" %s %s', "10.0.0.1", "now", "GET /?q=Smith HTTP/1.1", "200", "-")
    assert caplog.records
    assert "Smith" not in caplog.text
    assert "[redacted]" in caplog.text


def test_an_unhandled_error_logs_no_request_parameters(app, client, users, caplog):
    author = users.clinician.id

    def explode():
        # Touches the request, then fails inside the database with the values in the statement.
        for _ in range(2):
            db.session.add(Patient(mrn=request.args["mrn"], family_name=request.form["family_name"],
                                   given_name="Secret", birth_date=date(1970, 1, 1), sex="female",
                                   created_by_id=author))
        db.session.commit()

    app.add_url_rule("/_test/explode", "test_explode", explode, methods=["POST"])
    login(client, "carl")
    caplog.set_level(logging.DEBUG)
    response = client.post("/_test/explode?mrn=MRN-SECRET-1&q=Smithfield",
                           data={"family_name": "Wainwright-Secret"})
    assert response.status_code == 500
    assert any(r.levelno >= logging.ERROR for r in caplog.records), "the error was not logged at all"
    logged = caplog.text
    assert "IntegrityError" in logged
    assert "explode" in logged
    for secret in ("MRN-SECRET-1", "Smithfield", "Wainwright-Secret", "Secret"):
        assert secret not in logged, secret
