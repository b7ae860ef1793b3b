"""Visit pages: start a visit, fill its sections, see its summary, acknowledge alerts.

Views stay thin: they parse forms, call ``services.visits``, commit once and redirect.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from ..checklist.evaluate import evaluate
from ..checklist.instruments import INSTRUMENTS
from ..checklist.rules.blocks import block_outcome
from ..checklist.schema import Section
from ..extensions import db
from ..forms.builder import SectionForm
from ..forms.builder import add_row
from ..forms.builder import formdata_from_answers
from ..forms.builder import remove_row
from ..forms.builder import row_answers
from ..forms.builder import section_form_class
from ..forms.fields import row_index
from ..models import Patient
from ..models import User
from ..models import Visit
from ..models import VisitAlert
from ..security import restored_form_data
from ..security import safe_next
from ..services import visits as service
from ..services.audit import diff as audit_diff
from .context import visit_context
from .forms import AcknowledgeForm
from .forms import NotAssessedForm
from .forms import StartVisitForm

bp = Blueprint("visits", __name__)


def _visit_or_404(visit_id: int) -> Visit:
    return db.get_or_404(Visit, visit_id)


def _section_or_404(visit: Visit, key: str) -> Section:
    for section in service.sections_of(visit):
        if section.key == key:
            return section
    abort(404)


def _require_edit(visit: Visit) -> None:
    if not service.can_edit(g.user, visit):
        abort(403)


@bp.route("/patients/<int:patient_id>/visits/new", methods=["GET", "POST"])
def start(patient_id: int) -> str | Response:
    """Open a new draft visit for a patient."""
    patient = db.get_or_404(Patient, patient_id)
    form = StartVisitForm()
    if request.method == "GET" and not form.visit_type.data:
        form.visit_type.data = "follow_up" if service.previous_visit(patient.id) else "initial"
    if form.validate_on_submit() and form.visit_date.data is not None:
        visit = service.start_visit(patient, g.user, form.visit_date.data, form.visit_type.data or "")
        db.session.commit()
        flash("Visit started. Sections from the previous visit were carried forward: confirm or change them.", "info")
        return redirect(url_for("visits.section", visit_id=visit.id, key="red_flags"))
    return render_template("visits/start.html", form=form, patient=patient,
                           previous=service.previous_visit(patient.id))


@bp.get("/visits/<int:visit_id>")
def summary(visit_id: int) -> str:
    """Scores, alerts, pointers and progress on one screen."""
    visit = _visit_or_404(visit_id)
    ctx = visit_context(visit)
    evaluation = evaluate(ctx["answers"], ctx["sections"], service.scoring_settings(), today=visit.visit_date)
    return render_template("visits/summary.html", evaluation=evaluation, **ctx)


@bp.route("/visits/<int:visit_id>/sections/<key>", methods=["GET", "POST"])
def section(visit_id: int, key: str) -> str | Response | tuple[str, int]:
    """One section of the workup."""
    visit = _visit_or_404(visit_id)
    spec = _section_or_404(visit, key)
    ctx = visit_context(visit, current=key)
    row = ctx["rows"].get(key)
    form_class = section_form_class(key)
    if request.method == "GET":
        restored = restored_form_data()
        form = form_class(formdata=restored or formdata_from_answers(spec, row.answers if row else {}))
        if restored:
            form.validate()
        return _render(form, ctx, spec)

    _require_edit(visit)
    action = request.form.get("_action", "save")
    if action.startswith(("add:", "remove:")):
        return _render(form_class(formdata=_change_rows(action, request.form, spec)), ctx, spec)
    form = form_class()
    valid = form.validate()
    valid = form.refuse_hidden() and valid
    if not valid:
        return _render(form, ctx, spec, status=422)
    try:
        result = service.save_section(visit, spec, form.answers(), _rev(), g.user)
    except service.StaleSectionError as exc:
        db.session.rollback()
        return _render(form, ctx, spec, status=409, conflict=exc.current)
    db.session.commit()
    flash(f"{spec.title}: saved ({len(result.changes)} change{'s' if len(result.changes) != 1 else ''}).", "success")
    if action == "save_next" and ctx["next_key"]:
        return redirect(url_for("visits.section", visit_id=visit.id, key=ctx["next_key"]))
    return redirect(url_for("visits.section", visit_id=visit.id, key=key))


def _rev() -> int:
    try:
        return int(request.form.get("_rev", "-1"))
    except ValueError:
        return -1


def _change_rows(action: str, posted: Any, spec: Section) -> MultiDict[str, str]:
    data = MultiDict([(k, v) for k, v in posted.items(multi=True) if not k.startswith("_") and k != "csrf_token"])
    parts = action.split(":")
    if len(parts) < 2 or parts[1] not in {group.key for group in spec.groups()}:
        abort(400)  # a forged action: no such list on this page
    if parts[0] == "add" and len(parts) == 2:
        return add_row(data, parts[1])
    index = row_index(parts[2]) if len(parts) == 3 else None
    if parts[0] == "remove" and index is not None:
        return remove_row(data, parts[1], index)
    abort(400)


def _render(form: SectionForm, ctx: dict[str, Any], spec: Section, status: int = 200,
            conflict: Any = None) -> tuple[str, int]:
    """The section page: the form (with whatever was typed), and what was computed from the
    saved answers beside it."""
    row = ctx["rows"].get(spec.key)
    settings = service.scoring_settings()
    evaluation = evaluate(ctx["answers"], ctx["sections"], settings, today=ctx["visit"].visit_date)
    current = form.answers()
    saved_rows = (row.answers or {}).get("blocks", []) if row and spec.key == "blocks" else []
    html = render_template(
        "visits/section.html",
        form=form,
        spec=spec,
        row=row,
        instrument=INSTRUMENTS.get(spec.instrument or ""),
        evaluation=evaluation,
        current_answers=current,
        rows_answers={
            group.key: [row_answers(group.fields, entry.form) for entry in form[group.key].entries]
            for group in spec.groups()
        },
        block_outcomes=[block_outcome(r, settings) for r in saved_rows],
        conflict=conflict,
        conflict_by=_user_name(conflict.updated_by_id) if conflict else None,
        conflict_fields=_differing(spec, conflict.answers, current) if conflict else [],
        not_assessed_form=NotAssessedForm(formdata=None, rev=row.rev if row else 0),
        not_assessed_reasons=service.NOT_ASSESSED_REASONS,
        **ctx,
    )
    return html, status


def _user_name(user_id: int | None) -> str | None:
    user = db.session.get(User, user_id) if user_id else None
    return user.full_name if user else None


def _differing(spec: Section, saved: dict[str, Any], mine: dict[str, Any]) -> list[str]:
    labels = {item.key: item.label for item in spec.items}
    return [labels.get(key, key) for key in audit_diff(saved or {}, mine)]


@bp.post("/visits/<int:visit_id>/sections/<key>/not-assessed")
def not_assessed(visit_id: int, key: str) -> Response | tuple[str, int]:
    """Mark a section not assessed, with its reason."""
    visit = _visit_or_404(visit_id)
    spec = _section_or_404(visit, key)
    _require_edit(visit)
    form = NotAssessedForm()
    if not form.validate():
        flash("Choose why the section was not assessed.", "error")
        return redirect(url_for("visits.section", visit_id=visit.id, key=key))
    try:
        rev = int(form.rev.data or -1)
        service.mark_not_assessed(visit, spec, form.reason.data or "", rev, g.user)
    except (ValueError, service.StaleSectionError):
        db.session.rollback()
        flash("The section changed since you opened it; check it and try again.", "warning")
        return redirect(url_for("visits.section", visit_id=visit.id, key=key))
    db.session.commit()
    flash(f"{spec.title}: marked not assessed.", "success")
    return redirect(url_for("visits.section", visit_id=visit.id, key=key))


@bp.route("/visits/<int:visit_id>/alerts/<int:alert_id>", methods=["GET", "POST"])
def acknowledge(visit_id: int, alert_id: int) -> str | Response:
    """Acknowledge an alert with the action taken."""
    visit = _visit_or_404(visit_id)
    alert = db.session.get(VisitAlert, alert_id)
    if alert is None or alert.visit_id != visit.id:
        abort(404)
    form = AcknowledgeForm()
    if request.method == "POST":
        _require_edit(visit)
        back = safe_next(request.args.get("back"), url_for("visits.summary", visit_id=visit.id))
        if not alert.pending:  # never overwrite who acknowledged it, when, and what was done
            flash("This alert is not waiting for an acknowledgement.", "info")
            return redirect(back)
        if form.validate():
            service.acknowledge_alert(visit, alert, form.action_taken.data or "", g.user)
            db.session.commit()
            flash("Alert acknowledged.", "success")
            return redirect(back)
    return render_template("visits/acknowledge.html", form=form, alert=alert, **visit_context(visit))
