"""The admin's review: the dashboard (the admin's home page) and the visit list with its filters.
Admin role only (the admin blueprint's guard)."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask import current_app
from flask import render_template
from flask import request

from ..services import review
from ..services import visit_query
from .forms import FILTER_KEYS
from .forms import VisitFilterForm
from .views import bp


@bp.get("/")
def dashboard() -> str:
    """Visits by status and what needs chasing; each number links to the filtered list."""
    days = int(current_app.config["FBSS_UNSIGNED_DAYS"])
    return render_template("admin/dashboard.html", figures=review.dashboard(days, today=date.today()))


@bp.get("/visits")
def visits() -> str | tuple[str, int]:
    """Every visit, filtered and sorted as the query string says, one page at a time. Invalid
    filters show their errors beside the fields and no visits (status 400)."""
    form = VisitFilterForm(request.args)
    form.clinician.choices = [("", "Any"), *((str(i), name) for i, name in visit_query.clinicians())]
    filters = {key: value for key in FILTER_KEYS if (value := request.args.get(key))}
    if not form.validate():
        return render_template("admin/visits.html", form=form, found=None, filters=filters), 400
    try:
        found = visit_query.search_visits(form.to_filter(today=date.today()),
                                          request.args.get("page", 1, type=int) or 1,
                                          current_app.config["VISITS_PER_PAGE"])
    except visit_query.PageOutOfRangeError:
        abort(404)
    return render_template("admin/visits.html", form=form, found=found, filters=filters)
