"""Patient pages. Views parse the form, call one service inside ``unit_of_work()`` (which commits),
and redirect; a refusal from the service is shown beside its field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from ..access_log import record_access
from ..reports.trend import KEYS as TREND_KEYS
from ..reports.trend import page_charts
from ..reports.trend import patient_trend
from ..security import restored_form_data
from ..services import patients as service
from ..services.records import FieldProblem
from ..services.records import StaleRecordError
from ..services.records import parse_version
from ..services.trends import patient_scores
from ..services.unit_of_work import unit_of_work
from ..services.visits import visits_of
from .forms import PatientForm
from .forms import SearchForm

bp = Blueprint("patients", __name__)


@bp.get("/")
def index() -> str:
    """Search patients by name or MRN, paginated."""
    form = SearchForm(request.args)
    query = (form.q.data or "")[:100] if form.validate() else ""
    page = request.args.get("page", 1, type=int) or 1
    results = service.search(query, page, current_app.config["PATIENTS_PER_PAGE"])
    return render_template("patients/index.html", form=form, results=results, query=query)


@bp.route("/patients/new", methods=["GET", "POST"])
def create() -> str | Response:
    """Register a patient."""
    restored = restored_form_data() if request.method == "GET" else None
    form = PatientForm(formdata=restored) if restored else PatientForm()
    if restored:
        form.validate()
    if request.method == "POST" and form.validate():
        try:
            with unit_of_work():
                patient = service.create(_data(form), by=g.user)
        except FieldProblem as problem:
            form[problem.field].errors = [*form[problem.field].errors, problem.message]
        else:
            flash(f"Patient {patient.display_name} registered.", "success")
            return redirect(url_for("patients.view", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=None)


@bp.get("/patients/<int:patient_id>")
def view(patient_id: int) -> str:
    """A patient's identifiers, the trend of their scores, and their visits (voided ones apart)."""
    patient = service.find_patient(patient_id) or abort(404)
    record_access("patient", patient.id)
    scored = patient_scores(patient.id, TREND_KEYS)
    trend = patient_trend([v.visit_date for v in scored], [v.scores for v in scored])
    return render_template(
        "patients/view.html", patient=patient, visits=visits_of(patient.id),
        voided=visits_of(patient.id, voided=True), age=service.age(patient.birth_date),
        trend=trend, charts=page_charts(trend) if trend else [],
    )


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
def edit(patient_id: int) -> str | Response | tuple[str, int]:
    """Correct a patient's identifiers (audited with old and new values; the MRN by admins only)."""
    patient = service.find_patient(patient_id) or abort(404)
    restored = restored_form_data() if request.method == "GET" else None
    form = PatientForm(formdata=restored, obj=patient, exclude_id=patient.id) if restored else (
        PatientForm(obj=patient, exclude_id=patient.id))
    if restored:
        form.validate()
    if request.method != "POST":
        return render_template("patients/form.html", form=form, patient=patient)
    if not form.validate():
        return render_template("patients/form.html", form=form, patient=patient)
    try:
        with unit_of_work():
            # The posted version itself: a form field would fall back to the record's own value.
            changes = service.update(patient, _data(form), g.user, parse_version(request.form.get("version_id")),
                                     mrn_reason=form.mrn_reason.data)
    except FieldProblem as problem:
        form[problem.field].errors = [*form[problem.field].errors, problem.message]
        return render_template("patients/form.html", form=form, patient=patient), problem.status
    except StaleRecordError as stale:
        return _conflict(form, stale)
    flash("Saved." if changes else "No changes to save.", "success" if changes else "info")
    return redirect(url_for("patients.view", patient_id=patient.id))


def _conflict(form: PatientForm, stale: StaleRecordError) -> tuple[str, int]:
    """409: the form keeps what was typed; the box above it shows what was saved meanwhile. The
    form now carries the saved version, so saving again replaces the other change on purpose."""
    saved = service.snapshot(stale.current)
    mine = _data(form)
    differing = [(service.LABELS[name], saved[name], mine[name]) for name in service.FIELDS
                 if saved[name] != mine[name]]
    form.version_id.data = str(stale.current.version_id)
    html = render_template("patients/form.html", form=form, patient=stale.current,
                           conflict={"by": stale.by, "fields": differing})
    return html, 409


def _data(form: PatientForm) -> dict[str, Any]:
    return {
        "mrn": form.mrn.data,
        "family_name": form.family_name.data,
        "given_name": form.given_name.data,
        "birth_date": form.birth_date.data,
        "sex": form.sex.data,
    }
