"""Admin exports: the visits as a CSV zip and the audit trail as CSV, streamed. Admin role only.
Every export is audited with the filter it used before its first byte is sent."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask import request
from flask import stream_with_context
from werkzeug.wrappers import Response

from ..models.base import now_utc
from ..security import admin_required
from ..services import audit_view
from ..services import visit_export
from ..services.unit_of_work import unit_of_work
from .forms import AuditFilterForm
from .forms import VisitExportForm

bp = Blueprint("admin_export", __name__)


@bp.before_request
@admin_required
def _admins_only() -> None:
    """Every export needs the admin role."""


@bp.get("/visits/export.zip")
def visits_zip() -> Response | tuple[str, int]:
    """The filtered visits as a zip of CSVs (visits, one file per repeat group, the dictionary).
    An invalid filter exports nothing: the form comes back with the error beside the field."""
    form = VisitExportForm(request.args)
    if not form.validate():
        return render_template("admin/visits_export.html", form=form), 400
    status, since, until = form.status.data or None, form.since.data, form.until.data
    with unit_of_work():
        visit_export.record_export({"status": status, "since": since, "until": until})
    body = visit_export.export_visits_zip(visit_export.visits_matching(status, since, until))
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
