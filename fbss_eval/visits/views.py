"""Visit pages: start a visit, fill its sections, see its summary, acknowledge alerts.

Views stay thin: they parse forms, call ``services.visits`` inside ``unit_of_work()`` (the one
commit of the request) and redirect or render. They touch no session and build no query.
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

from ..access_log import record_access
from ..checklist.instruments import INSTRUMENTS
from ..checklist.rules.blocks import block_outcome
from ..checklist.rules.red_flags import no_to_all
from ..checklist.schema import Section
from ..forms.builder import SectionForm
from ..forms.builder import add_row
from ..forms.builder import formdata_from_answers
from ..forms.builder import remove_row
from ..forms.builder import row_answers
from ..forms.builder import section_form_class
from ..forms.fields import row_index
from ..models import Visit
from ..reports.build import build_visit_report
from ..security import restored_form_data
from ..security import safe_next
from ..services import carry_forward as carry
from ..services import visits as service
from ..services import voiding
from ..services.unit_of_work import unit_of_work
from ..templating import COMPUTED_BESIDE
from ..templating import shows_computed
from . import conflict as merging
from .context import visit_context
from .forms import AcknowledgeForm
from .forms import ConfirmForm
from .forms import NotAssessedForm
from .forms import StartVisitForm

bp = Blueprint("visits", __name__)


def _visit_or_404(visit_id: int) -> Visit:
    return service.find_visit(visit_id) or abort(404)


def _section_or_404(visit: Visit, key: str) -> Section:
    return service.find_section(visit, key) or abort(404)


def _require_edit(visit: Visit) -> None:
    if not service.can_edit(g.user, visit):
        abort(403)


@bp.route("/patients/<int:patient_id>/visits/new", methods=["GET", "POST"])
def start(patient_id: int) -> str | Response:
    """Open a new draft visit for a patient."""
    patient = service.find_patient(patient_id) or abort(404)
    form = StartVisitForm()
    if request.method == "GET" and not form.visit_type.data:
        form.visit_type.data = "follow_up" if service.previous_visit(patient.id) else "initial"
    same_day: list[Visit] = []
    if form.validate_on_submit() and form.visit_date.data is not None:
        day = form.visit_date.data
        # A second visit on the same day is most often a duplicate: ask first (confirmed for this date).
        same_day = [] if form.confirm_same_day.data == day.isoformat() else voiding.same_day_visits(patient.id, day)
        if not same_day:
            with unit_of_work():
                visit = service.start_visit(patient, g.user, day, form.visit_type.data or "")
            flash(carry.started_message(visit), "info")
            return redirect(url_for("visits.section", visit_id=visit.id, key="red_flags"))
        form.confirm_same_day.data = day.isoformat()
    return render_template("visits/start.html", form=form, patient=patient, same_day=same_day,
                           previous=service.previous_visit(patient.id))


@bp.get("/visits/<int:visit_id>")
def summary(visit_id: int) -> str:
    """Scores, alerts, pointers and progress on one screen."""
    visit = _visit_or_404(visit_id)
    record_access("visit", visit.id)
    ctx = visit_context(visit)
    # The conclusions come from the report the PDF prints, so screen and PDF say the same.
    return render_template("visits/summary.html", evaluation=service.evaluation_of(visit, ctx["rows"]),
                           report=build_visit_report(visit), **ctx)


@bp.route("/visits/<int:visit_id>/sections/<key>", methods=["GET", "POST"])
def section(visit_id: int, key: str) -> str | Response | tuple[str, int]:
    """One section of the workup."""
    visit = _visit_or_404(visit_id)
    spec = _section_or_404(visit, key)
    record_access("visit", visit.id)
    form_class = section_form_class(spec)
    if request.method == "GET":
        ctx = visit_context(visit, current=key)
        row = ctx["rows"].get(key)
        restored = restored_form_data()
        form = form_class(formdata=restored or formdata_from_answers(spec, row.answers if row else {}))
        if restored:  # typed before an idle logout: its messages, but not the old page's CSRF token
            form.validate()
            if "csrf_token" in form:  # (absent when CSRF is switched off)
                form["csrf_token"].errors = []
        state = merging.posted_state(restored) if restored else merging.page_state(visit, spec, row)
        return _render(form, ctx, spec, state=state, unsaved=bool(restored))

    _require_edit(visit)
    action = request.form.get("_action", "save")
    # The page around the form (section list, alerts) is read only for a page shown again: a
    # save that goes through redirects, and its own reads are those of the save.
    if action.startswith(("add:", "remove:")):
        return _render(form_class(formdata=_change_rows(action, request.form, spec)),
                       visit_context(visit, current=key), spec, state=merging.posted_state(request.form))
    form = form_class()
    valid = form.validate()
    valid = form.refuse_hidden() and valid
    if not valid:
        return _render(form, visit_context(visit, current=key), spec, status=422,
                       state=merging.posted_state(request.form))
    answers, filled = form.answers(), 0
    if action == "no_to_all" and spec.key == "red_flags":  # blanks become "no"; answers stay
        answers, filled = no_to_all(answers)
    next_key = service.section_after(visit, key) if action == "save_next" else None  # read before the commit
    outcome = merging.save(visit, spec, answers, request.form, g.user)
    if outcome.result is None:  # a conflict: the merge to review (conflict_context reads it)
        shown = merging.conflict_context(visit, spec, outcome, request.form)
        merged_form = form_class(formdata=formdata_from_answers(spec, shown["answers"]))
        return _render(merged_form, visit_context(visit, current=key), spec, status=409, conflict=shown,
                       state=(shown["rev"], shown["token"]))
    result = outcome.result
    if outcome.merged:
        flash(merging.merged_message(outcome), "info")
    flash(f"{spec.title}: saved ({len(result.changes)} change{'s' if len(result.changes) != 1 else ''}).", "success")
    if action == "no_to_all" and spec.key == "red_flags":
        kept = sum(1 for value in answers.values() if value == "yes")
        flash(f"No to all: {filled} unanswered item{'s' if filled != 1 else ''} recorded as 'no'; "
              f"{kept} 'yes' answer{'s' if kept != 1 else ''} kept as given.", "info")
    # visit_id, not visit.id: the commit expired the visit, and reading it again costs a query.
    return redirect(url_for("visits.section", visit_id=visit_id, key=next_key or key))


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
            conflict: dict[str, Any] | None = None, state: tuple[int, str] = (0, ""),
            unsaved: bool = False) -> tuple[str, int]:
    """The section page: the form (with whatever was typed), and what was computed from the
    saved answers beside it."""
    row = ctx["rows"].get(spec.key)
    settings = service.scoring_settings()
    evaluation = service.evaluation_of(ctx["visit"], ctx["rows"]) if shows_computed(spec) else None
    current = form.answers()
    saved_rows = (row.answers or {}).get("blocks", []) if row and spec.key == "blocks" else []
    html = render_template(
        "visits/section.html",
        form=form,
        spec=spec,
        row=row,
        instrument=INSTRUMENTS.get(spec.instrument or ""),
        evaluation=evaluation,
        computed_beside=COMPUTED_BESIDE,
        current_answers=current,
        rows_answers={
            group.key: [row_answers(group.fields, entry.form) for entry in form[group.key].entries]
            for group in spec.groups()
        },
        block_outcomes=[block_outcome(r, settings) for r in saved_rows],
        conflict=conflict,
        form_rev=state[0],
        form_base=state[1],
        unsaved=unsaved or request.method == "POST",  # the form holds input that is not stored
        not_assessed_form=NotAssessedForm(formdata=None, rev=row.rev if row else 0),
        confirm_form=ConfirmForm(formdata=None, rev=row.rev if row else 0),
        carried_from=carry.carried_from([row]).get(row.carried_forward_from) if carry.to_confirm(row) else None,
        not_assessed_reasons=service.NOT_ASSESSED_REASONS,
        **ctx,
    )
    return html, status


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
        with unit_of_work():
            service.mark_not_assessed(visit, spec, form.reason.data or "", rev, g.user)
    except (ValueError, service.StaleSectionError):  # rolled back whole by unit_of_work
        flash("The section changed since you opened it; check it and try again.", "warning")
        return redirect(url_for("visits.section", visit_id=visit.id, key=key))
    flash(f"{spec.title}: marked not assessed.", "success")
    return redirect(url_for("visits.section", visit_id=visit.id, key=key))


@bp.post("/visits/<int:visit_id>/sections/<key>/confirm")
def confirm(visit_id: int, key: str) -> Response:
    """Confirm a carried-forward section unchanged (one click; audited)."""
    visit = _visit_or_404(visit_id)
    spec = _section_or_404(visit, key)
    _require_edit(visit)
    back = redirect(url_for("visits.section", visit_id=visit.id, key=key))
    form = ConfirmForm()
    if not form.validate():
        flash("The page expired; reload it and confirm again.", "warning")
        return back
    try:
        rev = int(form.rev.data or -1)
        with unit_of_work():
            carry.confirm_section(visit, spec, rev, g.user)
    except (ValueError, service.StaleSectionError):  # rolled back whole by unit_of_work
        flash("The section changed since you opened it; check it and confirm again.", "warning")
        return back
    except carry.NothingToConfirmError:
        flash(f"{spec.title}: nothing to confirm (already confirmed or edited).", "info")
        return back
    except service.NotEditableError:
        flash("This visit is signed and cannot be changed.", "warning")
        return back
    flash(f"{spec.title}: confirmed unchanged.", "success")
    return back


@bp.route("/visits/<int:visit_id>/alerts/<int:alert_id>", methods=["GET", "POST"])
def acknowledge(visit_id: int, alert_id: int) -> str | Response:
    """Acknowledge an alert with the action taken."""
    visit = _visit_or_404(visit_id)
    alert = service.find_alert(visit, alert_id) or abort(404)
    form = AcknowledgeForm()
    if request.method == "POST":
        _require_edit(visit)
        back = safe_next(request.args.get("back"), url_for("visits.summary", visit_id=visit.id))
        if not alert.pending:  # never overwrite who acknowledged it, when, and what was done
            flash("This alert is not waiting for an acknowledgement.", "info")
            return redirect(back)
        if form.validate():
            with unit_of_work():
                service.acknowledge_alert(visit, alert, form.action_taken.data or "", g.user)
            flash("Alert acknowledged.", "success")
            return redirect(back)
    return render_template("visits/acknowledge.html", form=form, alert=alert, **visit_context(visit))
