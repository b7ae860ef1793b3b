"""Sign, amend and verify a visit (21 CFR Part 11: 11.50, 11.70, 11.200).

The status machine of a visit is ``services/transitions.py``'s table: ``draft -> signed -> amending
-> signed``; the database's check constraints and triggers (``models/visit_locks.py``) hold it
too. Signing freezes a revision: the canonical answers of every section (a stable JSON text) and
their SHA-256, and the summary and full-record PDFs rendered once, with their SHA-256.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask import url_for

from ..extensions import db
from ..models import SectionStatus
from ..models import SignatureMeaning
from ..models import User
from ..models import Visit
from ..models import VisitRevision
from ..models import VisitSection
from ..models import VisitStatus
from ..models.base import now_utc
from . import audit
from . import carry_forward
from . import visits as visit_service
from .auth import PasswordProof
from .auth import confirm_password
from .auth import prove_password
from .transitions import TransitionError as TransitionError  # re-exported for the views
from .transitions import check_transition
from .transitions import may_transition
from .transitions import set_visit_status

MEANING_LABELS = {
    SignatureMeaning.AUTHORED.value: "Authored: I wrote this record",
    SignatureMeaning.REVIEWED.value: "Reviewed: I reviewed this record",
}
MEANING_SHORT = {SignatureMeaning.AUTHORED.value: "Authored", SignatureMeaning.REVIEWED.value: "Reviewed"}
REASON_MAX = 1000

class StoredPdfMismatchError(RuntimeError):
    """A stored PDF (a signed visit's, or a revision's) no longer matches its recorded SHA-256."""


class NotAllowedError(Exception):
    """Only the visit's clinician or an admin may sign or amend it."""


class SignBlockedError(Exception):
    """Something still blocks signing (the caller shows ``blockers``)."""

    def __init__(self, blockers: list[Blocker]) -> None:
        super().__init__("; ".join(b.message for b in blockers))
        self.blockers = blockers


def may_sign(user: User, visit: Visit) -> bool:
    """The visit's own clinician or an admin signs and amends it."""
    return user.is_admin or visit.clinician_id == user.id


@dataclass(frozen=True)
class Blocker:
    """One thing that stops a visit being signed, and the page where it is fixed."""

    message: str
    endpoint: str
    args: Mapping[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        """The link to the place to fix it (needs a request or app context)."""
        return url_for(self.endpoint, **self.args)


def sign_blockers(visit: Visit) -> list[Blocker]:
    """Everything that stops the visit being signed, in the order of the workup."""
    sections = visit_service.sections_of(visit)
    rows = visit_service.section_rows(visit)
    evaluation = visit_service.evaluation_of(visit, rows)
    blockers: list[Blocker] = []
    sources = carry_forward.carried_from(rows.values())

    def at(key: str) -> dict[str, Any]:
        return {"visit_id": visit.id, "key": key}

    if not evaluation.red_flag_screen_complete:
        blockers.append(Blocker("The red-flag screen is incomplete: answer every item.",
                                "visits.section", at("red_flags")))
    for alert in visit_service.active_alerts(visit.id):
        if alert.pending:
            blockers.append(Blocker(f"Alert not acknowledged: {alert.message}", "visits.acknowledge",
                                    {"visit_id": visit.id, "alert_id": alert.id}))
    for section in sections:
        row = rows.get(section.key)
        if row is not None and row.carried_forward_from is not None:
            source = sources.get(row.carried_forward_from)
            came = f"the visit of {source.visit_date.isoformat()}" if source else "the previous visit"
            blockers.append(Blocker(
                f"{section.title}: carried forward from {came} and not yet confirmed; "
                "confirm it unchanged or edit it.", "visits.section", at(section.key)))
        done = row is not None and row.status in (SectionStatus.COMPLETE.value, SectionStatus.NOT_ASSESSED.value)
        if section.required and not done:
            counts = f" ({row.n_answered} of {row.n_required} required answers)" if row and row.n_required else ""
            blockers.append(Blocker(
                f"{section.title}: not complete{counts}; complete it or mark it not assessed.",
                "visits.section", at(section.key)))
    return blockers


def canonical_answers(visit: Visit, rows: Mapping[str, VisitSection] | None = None) -> str:
    """The stable JSON text of every stored section of the visit: sorted keys, no white space,
    UTF-8 characters as themselves. What a revision freezes and hashes."""
    rows = visit_service.section_rows(visit) if rows is None else rows
    document = {
        "visit_id": visit.id,
        "checklist_version": visit.checklist_version,
        "sections": {
            key: {"answers": row.answers or {}, "status": row.status,
                  "not_assessed_reason": row.not_assessed_reason}
            for key, row in rows.items()
        },
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256(data: str | bytes) -> str:
    """The SHA-256 of bytes (text as UTF-8), hex."""
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class SignOutcome:
    """A stored revision, or why signing was refused (a wrong password: nothing is signed)."""

    revision: VisitRevision | None
    message: str | None = None


@dataclass(frozen=True)
class Prerendered:
    """The PDFs a signature would store, rendered before the visit was locked, with the reports
    (plain data) they were rendered from, the signing time they print, and the proof that the
    password was verified (so that ``sign`` does not run argon2 a second time under the lock)."""

    signed_at: datetime
    reports: tuple[Any, Any]
    pdfs: tuple[bytes, bytes]
    proof: PasswordProof


def prerender(visit: Visit, user: User, password: str, meaning: str) -> Prerendered | None:
    """Render the two PDFs that signing the visit now would store, without taking any lock (the
    caller reads without SQLite's write lock: ``database.read_first``), so that other writers do
    not wait for the render (about half a second). ``sign`` stores them only if the visit's
    reports, built again under its lock, are still equal; else it renders again there. None when
    signing would not go ahead (``sign`` then says why): nothing is written here, and the
    visit's in-memory changes are discarded."""
    if (not may_sign(user, visit) or meaning not in MEANING_LABELS
            or not may_transition(VisitStatus(visit.status), VisitStatus.SIGNED)
            or sign_blockers(visit)):
        return None
    proof = prove_password(user, password)
    if proof is None:
        return None
    now = now_utc()
    try:
        with db.session.no_autoflush:
            reports = _signed_reports(visit, user, meaning, sha256(canonical_answers(visit)), now)
    finally:
        db.session.expire(visit)
    return Prerendered(now, reports, _render(reports), proof)


def sign(visit: Visit, user: User, password: str, meaning: str, prerendered: Prerendered | None = None) -> SignOutcome:
    """Sign the visit as ``user``, who re-enters their password; with ``prerendered``, its PDFs
    are stored if they show what the visit now holds (see ``prerender``).

    Raises NotAllowedError (not the clinician nor an admin), TransitionError (already signed),
    SignBlockedError (see ``sign_blockers``), ValueError (unknown meaning). A wrong password
    returns an outcome with a message; it is counted by the login throttle and audited, and the
    caller commits that record."""
    if not may_sign(user, visit):
        raise NotAllowedError(visit.id)
    check_transition(VisitStatus(visit.status), VisitStatus.SIGNED)
    try:  # serialised with the visit's saves, and sure that nobody signed it meanwhile
        visit_service.lock_visit(visit)
    except visit_service.NotEditableError as exc:
        raise TransitionError(VisitStatus.SIGNED, VisitStatus.SIGNED) from exc
    if meaning not in MEANING_LABELS:
        raise ValueError(f"unknown meaning {meaning!r}")
    blockers = sign_blockers(visit)
    if blockers:
        raise SignBlockedError(blockers)
    confirmed = confirm_password(user, password, "sign visit", prerendered.proof if prerendered else None)
    if confirmed.user is None:
        audit.record("sign_refused", "visit", visit.id, {"reason": [None, "password not confirmed"]}, user=user)
        return SignOutcome(None, confirmed.message)

    rows = visit_service.section_rows(visit)
    answers_json = canonical_answers(visit, rows)
    answers_sha = sha256(answers_json)
    now = prerendered.signed_at if prerendered else now_utc()
    reason = visit.amendment_reason if visit.status == VisitStatus.AMENDING.value else None
    with db.session.no_autoflush:
        # The visit row is written once, with its PDF: a signed row refuses later updates.
        reports = _signed_reports(visit, user, meaning, answers_sha, now)
        unchanged = prerendered.pdfs if prerendered and prerendered.reports == reports else None
        summary, record = unchanged or _render(reports)
    visit.signed_pdf, visit.signed_pdf_sha256 = summary, sha256(summary)
    revision = VisitRevision(
        visit_id=visit.id, revision=visit.revision, signed_by_id=user.id, signed_at=now, meaning=meaning,
        amendment_reason=reason, checklist_version=visit.checklist_version, answers_json=answers_json,
        answers_sha256=answers_sha, summary_pdf=summary, summary_pdf_sha256=sha256(summary),
        record_pdf=record, record_pdf_sha256=sha256(record),
    )
    db.session.add(revision)
    audit.record("sign", "visit", visit.id, {
        "revision": [None, visit.revision], "meaning": [None, meaning], "answers_sha256": [None, answers_sha],
        "summary_pdf_sha256": [None, revision.summary_pdf_sha256],
        "record_pdf_sha256": [None, revision.record_pdf_sha256],
    }, user=user)
    db.session.flush()
    return SignOutcome(revision)


def _signed_reports(visit: Visit, user: User, meaning: str, answers_sha: str, now: datetime) -> tuple[Any, Any]:
    """Mark ``visit`` signed (in memory: the caller flushes or discards it) and build the summary
    and full-record reports its PDFs print."""
    set_visit_status(visit, VisitStatus.SIGNED)
    visit.revision += 1
    visit.signed_by_id, visit.signed_at = user.id, now
    visit.signature_meaning, visit.answers_sha256 = meaning, answers_sha
    visit.updated_at = now
    build = current_app.extensions["fbss_eval.build_report"]  # fbss_eval.reports.build.build_visit_report
    return build(visit, now), build(visit, now, full=True)


def _render(reports: tuple[Any, Any]) -> tuple[bytes, bytes]:
    render = current_app.extensions["fbss_eval.render_report"]  # fbss_eval.pdf.render_report
    return render(reports[0]), render(reports[1])


def amend(visit: Visit, user: User, reason: str) -> None:
    """Open a signed visit for amendment (the reason is required and audited); signing it again
    makes the next revision. Earlier revisions and their PDFs stay as they were."""
    if not may_sign(user, visit):
        raise NotAllowedError(visit.id)
    check_transition(VisitStatus(visit.status), VisitStatus.AMENDING)
    reason = (reason or "").strip()
    if not reason:
        raise ValueError("an amendment needs a reason")
    if len(reason) > REASON_MAX:
        raise ValueError(f"the reason is longer than {REASON_MAX} characters")
    set_visit_status(visit, VisitStatus.AMENDING)
    visit.amendment_reason = reason
    visit.updated_at = now_utc()
    audit.record("amend", "visit", visit.id,
                 {"status": [VisitStatus.SIGNED.value, VisitStatus.AMENDING.value],
                  "amends_revision": [None, visit.revision], "reason": [None, reason]}, user=user)
    db.session.flush()


def revisions_of(visit_id: int) -> list[VisitRevision]:
    """The visit's signed revisions, first first."""
    return list(db.session.scalars(
        sa.select(VisitRevision).where(VisitRevision.visit_id == visit_id).order_by(VisitRevision.revision)
    ))


def revision_of(visit_id: int, number: int) -> VisitRevision | None:
    """One revision of a visit by its number."""
    return db.session.scalar(
        sa.select(VisitRevision).where(VisitRevision.visit_id == visit_id, VisitRevision.revision == number)
    )


def stored_revision_pdf(visit: Visit, *, full: bool = False) -> bytes | None:
    """A signed visit's PDF as stored at signing (the full record with ``full``), checked against
    its SHA-256; None unless the visit is signed (``pdf.stored_pdf`` serves it for downloads)."""
    if visit.status != VisitStatus.SIGNED.value:
        return None
    revision = revision_of(visit.id, visit.revision)
    return revision_pdf(revision, full=full) if revision is not None else None


def voided_signed_pdf(visit: Visit, *, full: bool = False) -> bytes | None:
    """A voided visit's PDF as stored at its last signing (the full record with ``full``),
    checked against its SHA-256, when its answers are still those it was signed with (it was
    voided while signed, not during an amendment); else None. The caller marks it VOID."""
    if visit.status != VisitStatus.VOIDED or visit.revision < 1:
        return None
    revision = revision_of(visit.id, visit.revision)
    if revision is None or sha256(canonical_answers(visit)) != revision.answers_sha256:
        return None
    return revision_pdf(revision, full=full)


def revision_pdf(revision: VisitRevision, *, full: bool = False) -> bytes:
    """A revision's stored summary (or full-record) PDF; StoredPdfMismatchError if it no longer
    matches its SHA-256 (it is then never served)."""
    pdf = bytes(revision.record_pdf if full else revision.summary_pdf)
    if sha256(pdf) != (revision.record_pdf_sha256 if full else revision.summary_pdf_sha256):
        raise StoredPdfMismatchError(f"visit {revision.visit_id} revision {revision.revision}")
    return pdf


@dataclass(frozen=True)
class Signature:
    """A signature as printed (on screen and in the PDF footer): plain strings only."""

    name: str
    signed_at_utc: str
    signed_at_local: str
    meaning: str
    revision: str
    answers_sha256: str


def _times(at: datetime) -> tuple[str, str]:
    zone = ZoneInfo(current_app.config.get("FBSS_TIMEZONE") or "Europe/London")
    local = at.astimezone(zone)
    return at.strftime("%Y-%m-%d %H:%M:%S UTC"), f"{local:%Y-%m-%d %H:%M:%S} {local.tzname()} ({zone.key})"


def signature_of(visit: Visit) -> Signature | None:
    """The signature of a signed visit's current revision (None unless the visit is signed)."""
    if visit.status != VisitStatus.SIGNED.value or visit.signed_at is None or visit.signed_by_id is None:
        return None
    signer = db.session.get(User, visit.signed_by_id)
    utc, local = _times(visit.signed_at)
    return Signature(signer.full_name if signer else "?", utc, local,
                     MEANING_SHORT.get(visit.signature_meaning or "", visit.signature_meaning or "?"),
                     str(visit.revision), visit.answers_sha256 or "")


def revision_signature(revision: VisitRevision) -> Signature:
    """The signature of a stored revision."""
    utc, local = _times(revision.signed_at)
    return Signature(revision.signer.full_name, utc, local, MEANING_SHORT.get(revision.meaning, revision.meaning),
                     str(revision.revision), revision.answers_sha256)


def questionnaire_response_status(visit: Visit) -> str:
    """The FHIR QuestionnaireResponse status of a visit: a draft (or an amendment not yet signed)
    is ``in-progress``, a signed visit ``completed``, a visit signed again after an amendment
    ``amended``."""
    if visit.status != VisitStatus.SIGNED.value:
        return "in-progress"
    return "completed" if visit.revision <= 1 else "amended"
