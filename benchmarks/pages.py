"""Request figures in the process (Flask's test client against the seeded database): latency
p50 / p95 / max and SQL statements per request, for every page design.md section 6 names."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from .core import Bench
from .core import Measurement
from .core import StatementCounter
from .core import measurement
from .core import requests_of
from .core import route_missing

PASSWORD = "bench password 12345"  # noqa: S105 - a benchmark-only account
ADMIN_FILTERS = (  # three combinations of the admin list's filters (admin/forms.py FILTER_KEYS)
    ("status and visit type", "status=draft&visit_type=follow_up"),
    ("date range and unacknowledged alert", "date_from=2025-06-01&date_to=2026-06-01&alert_unacknowledged=y"),
    ("finding and band", "category=recurrent_herniation&likelihood=probable&band=odi:severe"),
)


def prepare(bench: Bench) -> None:
    """The benchmark's accounts and records beside the demo data (made once per database): an admin,
    a clinician with three complete visits of their own (to sign), the demo visit the section pages
    are measured on (the newest of the patient with the most visits)."""
    from fbss_eval.extensions import db
    from fbss_eval.models import Patient
    from fbss_eval.models import User
    from fbss_eval.models import Visit
    from fbss_eval.services.users import create_user

    with bench.app.app_context():
        users = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.like("bench%")))}
        if "bench" not in users:
            users["bench"] = create_user("bench", "Bench Admin", "admin", PASSWORD)
            users["bench.clinician"] = create_user("bench.clinician", "Dr Bench Mark", "clinician", PASSWORD)
            db.session.commit()
        # A demo patient: not the benchmark's own signing patient (made below, on the first run, with
        # as many visits as samples, which would otherwise be the busiest on every later run).
        busiest = db.session.execute(
            sa.select(Visit.patient_id, sa.func.count(Visit.id).label("n")).join(Patient)
            .where(Patient.mrn != "BENCH-SIGN").group_by(Visit.patient_id)
            .order_by(sa.text("n DESC"), Visit.patient_id).limit(1)).first()
        demo_visit = db.session.scalar(sa.select(Visit.id).where(Visit.patient_id == busiest[0])
                                       .order_by(Visit.visit_date.desc(), Visit.id.desc()).limit(1))
        bench.seeded.update(demo_visit=demo_visit, demo_patient=busiest[0], demo_visits_of_patient=busiest[1])
        family = db.session.scalar(sa.select(Patient.family_name).where(Patient.id == busiest[0]))
        bench.seeded["search"] = family
        bench.seeded["to_sign"] = _visits_to_sign(users["bench.clinician"], bench.samples)


EARLIER_VISIT = date(2024, 12, 1)  # the signing patient's visit before those signed (see below)


def _visits_to_sign(clinician: Any, n: int) -> list[int]:
    from fbss_eval.extensions import db
    from fbss_eval.models import Patient
    from fbss_eval.models import Visit
    from fbss_eval.services import visits as visit_service
    from tests.pdf.builders import make_complete_visit
    from tests.pdf.builders import make_patient

    patient = db.session.scalar(sa.select(Patient).where(Patient.mrn == "BENCH-SIGN"))
    if patient is None:
        patient = make_patient(clinician, mrn="BENCH-SIGN", family="Signer", given="Sam")
        # A visit before all the signed ones, never signed itself: each signature then prints a
        # trend, on a fresh database as on a reused one (a patient's first visit reads 4 statements
        # fewer, and the first run's first signature varied the count).
        make_complete_visit(patient, clinician, EARLIER_VISIT, seed=39)
    drafts = list(db.session.scalars(sa.select(Visit).where(Visit.patient_id == patient.id, Visit.status == "draft",
                                                          Visit.visit_date > EARLIER_VISIT).order_by(Visit.id)))
    for k in range(max(0, n - len(drafts))):
        drafts.append(make_complete_visit(patient, clinician, date(2025, 1, 1 + k), seed=40 + k))
    for visit in drafts:  # nothing left blocking the signature
        for alert in visit_service.active_alerts(visit.id):
            if alert.pending:
                visit_service.acknowledge_alert(visit, alert, "Reviewed for the benchmark.", clinician)
        rows = visit_service.section_rows(visit)
        for section in visit_service.sections_of(visit):
            row = rows.get(section.key)
            if section.required and (row is None or row.status not in ("complete", "not_assessed")):
                visit_service.mark_not_assessed(visit, section, "not_asked", row.rev if row else 0, clinician)
    db.session.commit()
    return [v.id for v in drafts[:n]]


def client_of(bench: Bench, username: str = "bench") -> Any:
    """A test client logged in as ``username``."""
    client = bench.app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    if response.status_code != 302:
        raise RuntimeError(f"benchmark login failed ({response.status_code})")
    return client


def _ok(response: Any) -> bool:
    return response.status_code == 200


def _answers(client: Any, url: str) -> bool:
    return client.get(url).status_code != 404


@measurement("pages")
def pages(bench: Bench) -> list[Measurement]:
    """/healthz, login, patient search, visit summary, the dashboard, audit viewer, FHIR."""
    from fbss_eval.extensions import db

    counter = StatementCounter(db.engine)
    n = bench.samples * 3
    anonymous = bench.app.test_client()
    out = [requests_of(bench, counter, "GET /healthz (the floor)", lambda: anonymous.get("/healthz"), _ok, n * 2,
                       judged_on="p50")]
    bench.floor = out[0].p50

    def login() -> Any:
        return bench.app.test_client().post("/login", data={"username": "bench", "password": PASSWORD})

    out.append(requests_of(bench, counter, "POST /login", login, lambda r: r.status_code == 302, n,
                           judged_on="p50", notes=["testing configuration: fast password hashing"]))
    client = client_of(bench)
    search = f"/?q={bench.seeded['search']}"
    out.append(requests_of(bench, counter, "GET / patient search", lambda: client.get(search), _ok, n, judged_on="p50",
                           notes=[f"q={bench.seeded['search']}"]))
    summary = f"/visits/{bench.seeded['demo_visit']}"
    out.append(requests_of(bench, counter, "GET visit summary", lambda: client.get(summary), _ok, n, judged_on="p50",
                           notes=[f"patient with {bench.seeded['demo_visits_of_patient']} visits"]))
    for name, url in (("GET /admin/ dashboard", "/admin/"), ("GET /admin/audit viewer", "/admin/audit"),
                      ("GET FHIR QuestionnaireResponse", f"/fhir/QuestionnaireResponse/{bench.seeded['demo_visit']}")):
        if not _answers(client, url):
            out.append(route_missing(name))
            continue
        out.append(requests_of(bench, counter, name, lambda url=url: client.get(url), _ok, n, judged_on="p50"))
    return out


@measurement("sections")
def sections(bench: Bench) -> list[Measurement]:
    """Every section page GET and save POST of a demo visit (design.md: p95 <= 25 ms each)."""
    from fbss_eval.extensions import db
    from fbss_eval.forms.builder import formdata_from_answers
    from fbss_eval.models import Visit
    from fbss_eval.services import visits as visit_service

    counter = StatementCounter(db.engine)
    client = client_of(bench)
    visit_id = bench.seeded["demo_visit"]
    get_all = Measurement("GET every section page", target=0.025, target_text="p95 <= 25 ms", varying=[])
    post_all = Measurement("POST every section save", target=0.025, target_text="p95 <= 25 ms", varying=[])
    worst: dict[str, tuple[float, str]] = {}
    with bench.app.app_context():
        visit = db.session.get(Visit, visit_id)
        keys = [s.key for s in visit_service.sections_of(visit)]
    for key in keys:
        url = f"/visits/{visit_id}/sections/{key}"
        m = requests_of(bench, counter, f"GET section {key}", lambda url=url: client.get(url), _ok, bench.samples)
        get_all.samples += m.samples
        get_all.statements += m.statements
        if min(m.statements) != max(m.statements):
            get_all.varying = [*(get_all.varying or []), f"GET {key}"]
        counts: list[int] = []
        worst["get"] = max(worst.get("get", (0.0, "")), (m.quantile(0.95), key))
        for _ in range(max(1, bench.samples // 2)):
            with bench.app.app_context():
                visit = db.session.get(Visit, visit_id)
                section = visit_service.find_section(visit, key)
                row = visit_service.section_rows(visit)[key]
                data = formdata_from_answers(section, row.answers or {})
                data["_rev"] = str(row.rev)
            # The requests share this measurement's app context, so its session too: end what the
            # last request left open, as a worker's teardown does, or the POST runs in that transaction.
            db.session.remove()
            with counter.counting() as statements:
                seconds, response = _timed_post(client, url, data)
            if response.status_code != 302:
                raise RuntimeError(f"POST {url}: {response.status_code}")
            post_all.samples.append(seconds)
            post_all.statements.append(statements[0])
            counts.append(statements[0])
            worst["post"] = max(worst.get("post", (0.0, "")), (seconds, key))
        if min(counts) != max(counts):
            post_all.varying = [*(post_all.varying or []), f"POST {key}"]
    get_all.notes.append(f"{len(keys)} sections; slowest p95: {worst['get'][1]} {worst['get'][0] * 1000:.1f} ms")
    post_all.notes.append(f"slowest: {worst['post'][1]} {worst['post'][0] * 1000:.1f} ms; includes re-scoring, "
                          "projections and audit")
    return [get_all, post_all]


def _timed_post(client: Any, url: str, data: Any) -> tuple[float, Any]:
    from .core import timed

    return timed(lambda: client.post(url, data=data))


@measurement("admin list")
def admin_list(bench: Bench) -> list[Measurement]:
    """The admin visit list: first page, page 1,000, three filter combinations (p95 <= 50 ms)."""
    from fbss_eval.extensions import db

    counter = StatementCounter(db.engine)
    client = client_of(bench)
    if not _answers(client, "/admin/visits"):
        return [route_missing(f"GET /admin/visits {name}", target=0.05, target_text="p95 <= 50 ms")
                for name in ("first page", "page 1,000", *(f[0] for f in ADMIN_FILTERS))]
    deep = _deep_page(bench)  # page 1,000 at 100,000 visits; the last page of a smaller database
    urls = [("first page", "/admin/visits"), (f"page {deep:,}", f"/admin/visits?page={deep}"),
            *((name, f"/admin/visits?{query}") for name, query in ADMIN_FILTERS),
            *((name, f"/admin/visits?{query}") for name, query in _searches(bench))]
    return [requests_of(bench, counter, f"GET /admin/visits {name}", lambda url=url: client.get(url), _ok,
                        bench.samples * 2, target=0.05, target_text="p95 <= 50 ms") for name, url in urls]


def _deep_page(bench: Bench, f: Any = None) -> int:
    """Page 1,000 of the visits matching ``f`` (all by default), or their last page if sooner."""
    from fbss_eval.services.visit_query import VisitFilter
    from fbss_eval.services.visit_query import visit_count

    per_page = bench.app.config["VISITS_PER_PAGE"]
    return max(1, min(1000, -(-visit_count(f or VisitFilter()) // per_page)))


def _searches(bench: Bench) -> list[tuple[str, str]]:
    """What an admin also does: a name search (the start of a family name), the list sorted by
    patient deep in, and one filter's deepest page up to page 1,000 (most filters match a share
    of the visits, so their pages end well before the whole list's)."""
    from fbss_eval.services.visit_query import VisitFilter

    deep = _deep_page(bench, VisitFilter(band="odi:severe"))
    return [(f"name search q={bench.seeded['search'][:3]}", f"q={bench.seeded['search'][:3]}"),
            ("sorted by patient, page 100", "sort=patient&page=100"),
            (f"ODI severe, page {deep:,}", f"band=odi:severe&page={deep}")]


@measurement("sign")
def sign(bench: Bench) -> list[Measurement]:
    """POST /visits/<id>/sign of complete visits (renders and stores the signed PDFs): no target."""
    from fbss_eval.extensions import db

    counter = StatementCounter(db.engine)
    client = client_of(bench, "bench.clinician")
    m = Measurement("POST sign a complete visit", judged_on="p50", unit="s")
    for visit_id in bench.seeded["to_sign"]:
        db.session.remove()  # as a worker's teardown does: no objects left from the preparation
        with counter.counting() as statements:
            seconds, response = _timed_post(client, f"/visits/{visit_id}/sign",
                                            {"password": PASSWORD, "meaning": "authored"})
        if response.status_code != 302:
            m.notes.append(f"visit {visit_id}: {response.status_code} (not signed)")
            continue
        m.samples.append(seconds)
        m.statements.append(statements[0])
    bench.seeded["signed"] = bench.seeded["to_sign"][0] if m.samples else None
    m.notes.append("renders the summary and full-record PDFs once, stores them")
    return [m]
