"""Patient pages. Views parse the form, call a service, commit once, and redirect."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from ..access_log import record_access
from ..extensions import db
from ..models import Patient
from ..models import Visit
from ..security import restored_form_data
from ..services import patients as service
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
            patient = service.create(_data(form), by=g.user)
        except service.DuplicateMRNError:
            form.mrn.errors = [*form.mrn.errors, "Another patient already has this MRN."]
        else:
            db.session.commit()
            flash(f"Patient {patient.display_name} registered.", "success")
            return redirect(url_for("patients.view", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=None)


@bp.get("/patients/<int:patient_id>")
def view(patient_id: int) -> str:
    """A patient's identifiers and visits."""
    patient = db.get_or_404(Patient, patient_id)
    record_access("patient", patient.id)
    visits = _visits_of(patient)
    return render_template(
        "patients/view.html", patient=patient, visits=visits, age=service.age(patient.birth_date)
    )


@bp.route("/patients/<int:patient_id>/edit", methods=["GET", "POST"])
def edit(patient_id: int) -> str | Response:
    """Correct a patient's identifiers (audited with old and new values)."""
    patient = db.get_or_404(Patient, patient_id)
    restored = restored_form_data() if request.method == "GET" else None
    if restored:
        form = PatientForm(formdata=restored, obj=patient, exclude_id=patient.id)
    else:
        form = PatientForm(obj=patient, exclude_id=patient.id)
    if restored:
        form.validate()
    if request.method == "POST" and form.validate():
        try:
            changes = service.update(patient, _data(form), by=g.user)
        except service.DuplicateMRNError:
            form.mrn.errors = [*form.mrn.errors, "Another patient already has this MRN."]
        else:
            db.session.commit()
            flash("Saved." if changes else "No changes to save.", "success" if changes else "info")
            return redirect(url_for("patients.view", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=patient)


def _data(form: PatientForm) -> dict[str, object]:
    return {
        "mrn": form.mrn.data,
        "family_name": form.family_name.data,
        "given_name": form.given_name.data,
        "birth_date": form.birth_date.data,
        "sex": form.sex.data,
    }


def _visits_of(patient: Patient) -> list[Visit]:
    """The patient's visits, newest first."""
    return visits_of(patient.id)
