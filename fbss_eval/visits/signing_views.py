"""Sign, amend, revisions (with their stored PDFs and a diff of any two), verify, and the
history of a visit. Views stay thin: they parse the form, call ``services.signing`` inside one
``unit_of_work`` and redirect."""

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
from werkzeug.wrappers import Response

from ..database import read_first
from ..database import write_after_read
from ..database import write_transaction
from ..models import Visit
from ..models import VisitRevision
from ..models import VisitStatus
from ..security import MAX_RECORD_ID
from ..services import audit
from ..services import revisions as revision_service
from ..services import signing
from ..services import verification
from ..services import visits as visit_service
from ..services.unit_of_work import unit_of_work
from .context import visit_context
from .signing_forms import AmendForm
from .signing_forms import SignForm

bp = Blueprint("signing", __name__)


@bp.app_context_processor
def _signing_helpers() -> dict[str, Any]:
    """What the visit pages need to show the signature block and the sign / amend actions."""
    return {"signature_of": signing.signature_of, "may_sign": signing.may_sign,
            "revision_signature": signing.revision_signature}


def _visit_or_404(visit_id: int) -> Visit:
    visit = visit_service.find_visit(visit_id)
    if visit is None:
        abort(404)
    return visit


def _require_signer(visit: Visit) -> None:
    if not signing.may_sign(g.user, visit):
        abort(403)


@bp.route("/visits/<int:visit_id>/sign", methods=["GET", "POST"])
def sign(visit_id: int) -> str | Response | tuple[str, int]:
    """What blocks signing (each a link to fix it); with nothing blocking, the signing form."""
    visit = _visit_or_404(visit_id)
    _require_signer(visit)
    if visit.status == VisitStatus.SIGNED.value:
        flash(f"This visit is signed (revision {visit.revision}). Amend it to change it.", "info")
        return redirect(url_for("visits.summary", visit_id=visit.id))
    if visit.status == VisitStatus.VOIDED.value:
        flash("This visit is void: it cannot be signed.", "info")
        return redirect(url_for("visits.summary", visit_id=visit.id))
    blockers = signing.sign_blockers(visit)
    form = SignForm()
    status = 200
    if request.method == "POST" and not blockers and form.validate():
        password, meaning = form.password.data or "", form.meaning.data or ""
        with read_first():  # the PDFs rendered while other writers go on (SQLite: no write lock)
            prerendered = signing.prerender(visit, g.user, password, meaning)
        try:
            with write_after_read(), unit_of_work():  # a refused password is committed too: throttled and audited
                outcome = signing.sign(visit, g.user, password, meaning, prerendered)
        except signing.SignBlockedError as exc:
            blockers = exc.blockers
        except signing.TransitionError:  # signed meanwhile, in another tab or by an admin
            flash("This visit was signed meanwhile.", "info")
            return redirect(url_for("visits.summary", visit_id=visit_id))
        else:
            if outcome.revision is not None:
                flash(f"Visit signed: revision {outcome.revision.revision}.", "success")
                return redirect(url_for("visits.summary", visit_id=visit_id))
            form.password.errors = [outcome.message or "The password was not accepted."]
            status = 422
    elif request.method == "POST":
        status = 422 if not blockers else 409
    return render_template("visits/sign.html", form=form, blockers=blockers, **visit_context(visit)), status


@bp.route("/visits/<int:visit_id>/amend", methods=["GET", "POST"])
def amend(visit_id: int) -> str | Response | tuple[str, int]:
    """Open a signed visit for amendment, with the reason."""
    visit = _visit_or_404(visit_id)
    _require_signer(visit)
    if visit.status != VisitStatus.SIGNED.value:
        flash("This visit is void: it cannot be amended." if visit.status == VisitStatus.VOIDED.value
              else "Only a signed visit is amended; this one can be changed directly.", "info")
        return redirect(url_for("visits.summary", visit_id=visit.id))
    form = AmendForm()
    if request.method == "POST":
        if form.validate():
            with unit_of_work():
                signing.amend(visit, g.user, form.reason.data or "")
            flash(f"Amending revision {visit.revision}: change what needs changing, then sign again.", "success")
            return redirect(url_for("visits.summary", visit_id=visit_id))
        return render_template("visits/amend.html", form=form, **visit_context(visit)), 422
    return render_template("visits/amend.html", form=form, **visit_context(visit))


@bp.get("/visits/<int:visit_id>/revisions")
def revisions(visit_id: int) -> str:
    """Every signed revision, with its stored PDFs, and a chooser for the diff."""
    visit = _visit_or_404(visit_id)
    return render_template("visits/revisions.html", revisions=signing.revisions_of(visit.id),
                           **visit_context(visit))


def _revision_or_404(visit: Visit, number: Any) -> VisitRevision:
    """The visit's revision named by ``number`` (a URL or query value), else 404: only ASCII digits
    within the INTEGER column's range can name one (a larger number would make the driver raise)."""
    text = str(number) if number is not None else ""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_RECORD_ID:
        abort(404)
    found = signing.revision_of(visit.id, int(text))
    if found is None:
        abort(404)
    return found


@bp.get("/visits/<int:visit_id>/revisions/diff")
def diff(visit_id: int) -> str:
    """What changed between two revisions (``?a=1&b=2``), field by field, in labels."""
    visit = _visit_or_404(visit_id)
    a = _revision_or_404(visit, request.args.get("a"))
    b = _revision_or_404(visit, request.args.get("b"))
    return render_template("visits/revision_diff.html", diff=revision_service.diff_revisions(visit, a, b),
                           **visit_context(visit))


@bp.get("/visits/<int:visit_id>/revisions/<int:number>/<any(summary, record):document>.pdf")
def revision_pdf(visit_id: int, number: int, document: str) -> Response:
    """A revision's PDF exactly as stored at signing (refused if it no longer matches its hash);
    a voided visit's marked VOID on every page, as its other PDFs are."""
    from ..pdf import pdf_filename
    from ..pdf import revision_download

    with unit_of_work():  # the read transaction ends here; the audit row gets a short write one
        visit = _visit_or_404(visit_id)
        revision = _revision_or_404(visit, number)
        pdf = revision_download(visit, revision, full=document == "record")  # refused (500) if altered
        name = pdf_filename(visit.patient.mrn, visit.visit_date, full=document == "record")
    write_transaction()
    with unit_of_work():
        audit.record("export_pdf", "visit", visit_id,
                     {"via": "web", "document": document, "pdf": "stored", "revision": number})
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{name[:-4]}_rev{number}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/visits/<int:visit_id>/verify")
def verify(visit_id: int) -> str:
    """Recompute the hashes from what is stored: intact, or what differs."""
    visit = _visit_or_404(visit_id)
    return render_template("visits/verify.html", result=verification.verify(visit), **visit_context(visit))


@bp.get("/visits/<int:visit_id>/history")
def history(visit_id: int) -> str:
    """Every save, sign, amendment and acknowledgement of the visit, in order, in labels."""
    visit = _visit_or_404(visit_id)
    return render_template("visits/history.html", entries=revision_service.visit_history(visit),
                           **visit_context(visit))
