"""The peer page of design.md section 6: a hand-written Flask-WTF form with as many inputs as our
largest section page (``BENCH_PEER_INPUTS``) and one query, served by ``make bench`` with the same
gunicorn settings and load as the section pages, so their ratio reads the same on a fast minute
and a slow one."""

from __future__ import annotations

import os

import sqlalchemy as sa
from flask import Flask
from flask import render_template
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import Optional

INPUTS = int(os.environ.get("BENCH_PEER_INPUTS", "183"))


class PeerForm(FlaskForm):
    """``INPUTS`` fields: a third each integer, choice and text inputs."""


for n in range(INPUTS):
    kind = n % 3
    if kind == 0:
        setattr(PeerForm, f"f{n}", IntegerField(f"Question {n}", validators=[Optional()]))
    elif kind == 1:
        setattr(PeerForm, f"f{n}", SelectField(f"Question {n}", choices=[("", "-"), ("a", "A"), ("b", "B")]))
    else:
        setattr(PeerForm, f"f{n}", StringField(f"Question {n}"))

app = Flask(__name__, template_folder="templates")
app.config.update(SECRET_KEY="bench-peer", WTF_CSRF_ENABLED=True)  # noqa: S106 - benchmark only
engine = sa.create_engine(os.environ["BENCH_DB_URL"])


@app.get("/healthz")
def healthz() -> str:
    """Ready."""
    return "ok"


@app.get("/peer/<int:visit_id>")
def peer(visit_id: int) -> str:
    """One query (a visit and its patient) and the form."""
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT visit.id, visit.visit_date, patient.family_name FROM visit "
                                   "JOIN patient ON patient.id = visit.patient_id WHERE visit.id = :id"),
                           {"id": visit_id}).first()
    return render_template("peer.html", form=PeerForm(), row=row)
