"""Admin exports: the visits as a CSV zip and the audit trail as CSV, streamed. Admin role only.
Every export is audited with the filter it used before its first byte is sent."""

from __future__ import annotations

from datetime import date

from flask import Blueprint
from flask import render_template
from flask import request
from flask import stream_with_context
from werkzeug.wrappers import Response

from ..models.base import now_utc
from ..security import admin_required
from ..services import audit_view
from ..services import visit_export
from ..services import visit_query
from ..services.unit_of_work import unit_of_work
from .forms import FILTER_KEYS
from .forms import AuditFilterForm
from .forms import VisitFilterForm

bp = Blueprint("admin_export", __name__)


@bp.before_request
@admin_required
def _admins_only() -> None:
    """Every export needs the admin role."""


@bp.get("/visits/export.zip")
def visits_zip() -> Response | tuple[str, int]:
    """The visits of the visit list's filters (the same query string) as a zip of CSVs (visits,
    one file per repeat group, the dictionary). An invalid filter exports nothing: the list comes
    back with the error beside the field."""
    form = VisitFilterForm(request.args)
    form.clinician.choices = [("", "Any"), *((str(i), name) for i, name in visit_query.clinicians())]
    filters = {key: value for key in FILTER_KEYS if (value := request.args.get(key))}
    if not form.validate():
        return render_template("admin/visits.html", form=form, found=None, filters=filters), 400
    with unit_of_work():
        visit_export.record_export(filters)
    body = visit_export.export_visits_zip(visit_query.visit_ids_query(form.to_filter(today=date.today())))
    name = f"fbss-visits-{now_utc().strftime('%Y%m%d-%H%M%S')}.zip"
    return Response(stream_with_context(body), mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/audit/export.csv")
def audit_csv() -> Response | tuple[str, int]:
    """The audit events matching the audit page's filters as CSV. An invalid filter exports
    nothing: the audit page comes back with the error beside the field."""
    form = AuditFilterForm(request.args)
    filters = form.to_filter()
    if filters is None:
        return render_template("admin/audit.html", form=form, events=[], page=1, has_next=False, invalid=True), 400
    with unit_of_work():
        audit_view.record_export(filters)
    name = f"fbss-audit-{now_utc().strftime('%Y%m%d-%H%M%S')}.csv"
    return Response(stream_with_context(audit_view.audit_csv(filters)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
