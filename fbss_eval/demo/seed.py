"""Writing the demo patients and their visits through the visit service (``flask seed-demo``).

Visits are opened with ``services.visits.start_visit`` (which carries the history forward) and
filled with ``save_sections`` (``save_section`` for every section at once: validated, stored and
audited the same way, evaluated once), so demo data is stored exactly as a clinician's would be.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import Patient
from ..models import Role
from ..models import User
from ..models import Visit
from ..services import visits as service
from ..services.passwords import hash_password
from ..services.unit_of_work import unit_of_work
from .answers import generate_answers
from .fit import fit
from .timeline import draw_profile
from .timeline import visit_dates
from .timeline import visit_series

log = logging.getLogger(__name__)

FAMILY = (
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Okafor Kowalski "
    "Novak Fischer Weber Schneider Rossi Russo Bianchi Dubois Laurent Moreau Jansen deVries Berg "
    "Lindqvist Nielsen Hansen Murphy Kelly OBrien Walsh Byrne Patel Shah Singh Khan Ahmed Ali "
    "Tanaka Suzuki Sato Kim Park Chen Wang Li Zhang Liu Silva Santos Oliveira Costa Pereira"
).split()
GIVEN_F = (
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Margaret "
    "Sandra Ashley Emily Donna Michelle Carol Amanda Maria Ana Sofia Ingrid Astrid Aoife Priya "
    "Fatima Yuki Mei Chloe Claire Helena Agnieszka Giulia Amelie"
).split()
GIVEN_M = (
    "James Robert John Michael David William Richard Joseph Thomas Charles Christopher Daniel "
    "Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Carlos Jose "
    "Luca Lars Sean Rahul Omar Kenji Wei Pierre Jan Piotr Henrik"
).split()


@dataclass(frozen=True)
class Seeded:
    """What a seeding run added."""

    patients: int
    visits: int


def demo_clinician() -> User:
    """The clinician that demo visits belong to (created once, without a usable password)."""
    user = db.session.scalar(sa.select(User).where(User.username == "demo.clinician"))
    if user is None:
        user = User(
            username="demo.clinician",
            full_name="Dr Demo Clinician",
            role=Role.CLINICIAN.value,
            password_hash=hash_password(random.SystemRandom().randbytes(16).hex()),
            active=False,
        )
        db.session.add(user)
        db.session.flush()
    return user


def seed(n_patients: int, visits_per_patient: int, seed_value: int) -> Seeded:
    """Add ``n_patients`` synthetic patients (MRNs ``DEMO-<seed>-<n>``) and their visits, committed
    as one unit of work (or, inside a caller's ``unit_of_work``, with the caller's work)."""
    with unit_of_work():
        return _seed(n_patients, visits_per_patient, seed_value)


def _seed(n_patients: int, visits_per_patient: int, seed_value: int) -> Seeded:
    rng = random.Random(seed_value)  # noqa: S311  # nosec B311  # synthetic data
    author = demo_clinician()
    existing = set(
        db.session.scalars(sa.select(Patient.mrn).where(Patient.mrn.like(f"DEMO-{seed_value}-%")))
    )
    today = date.today()
    patients: list[Patient] = []
    for n in range(1, n_patients + 1):
        sex = rng.choice(("female", "male"))
        given = rng.choice(GIVEN_F if sex == "female" else GIVEN_M)
        family = rng.choice(FAMILY)
        birth = today - timedelta(days=rng.randint(25 * 365, 85 * 365))
        mrn = f"DEMO-{seed_value}-{n:06d}"
        if mrn in existing:
            continue
        patients.append(
            Patient(mrn=mrn, family_name=family, given_name=given, birth_date=birth, sex=sex,
                    created_by_id=author.id)
        )
    db.session.add_all(patients)
    db.session.flush()
    n_visits = seed_visits(patients, visits_per_patient, rng, author)
    return Seeded(len(patients), n_visits)


ACK_ACTIONS = {
    "phq9_item9": "Asked directly: passive thoughts, no plan or intent. Safety plan agreed; GP informed.",
    "red_flag.cauda_equina": "Same-day referral to the on-call spinal team; emergency MRI: no compression.",
    "red_flag.neuro_deficit": "Urgent spinal review and MRI arranged.",
    "red_flag.infection": "ESR/CRP and WBC normal; no wound concern. Safety-netting advice given.",
    "red_flag.fracture": "Considered; no trauma, no osteoporosis; X-ray not indicated.",
    "red_flag.malignancy": "History reviewed with oncology letters; MRI shows no metastatic disease.",
}


def seed_visits(patients: list[Patient], per_patient: int, rng: random.Random, author: User) -> int:
    """Create ``per_patient`` filled visits for each patient; returns the number created."""
    if per_patient <= 0 or not patients:
        return 0
    sections = service.visit_sections()  # the current checklist, which start_visit records
    today = date.today()
    created = 0
    drifted: set[str] = set()  # sections whose generated answers the checklist refused in part
    for patient in patients:
        dates = visit_dates(rng, per_patient, today)
        profile = draw_profile(rng, patient, dates[0], dates[-1])
        for info in visit_series(rng, dates):
            visit = service.start_visit(patient, author, info.date, info.kind)
            number = info.number
            generated = generate_answers(rng, profile, info, sections, final=number == per_patient - 1)
            # One call stores every section (validated and audited per section as
            # save_section does) and evaluates the visit once: ~10x faster than one save each.
            entries = []
            for section in sections:
                answers = fit(section, generated[section.key])
                if answers != generated[section.key]:
                    drifted.add(section.key)
                entries.append((section, answers, 0))
            result = service.save_sections(visit, entries, author)
            if number < per_patient - 1 and rng.random() < 0.7:
                _acknowledge(visit, author, [a.kind for a in result.evaluation.alerts if a.must_acknowledge])
            created += 1
    if drifted:
        log.warning("demo visits: answers the checklist no longer accepts were left out in %s; "
                    "update fbss_eval/demo/", ", ".join(sorted(drifted)))
    return created


def _acknowledge(visit: Visit, author: User, kinds: list[str]) -> None:
    """Acknowledge the visit's pending must-acknowledge alerts (an older, handled visit)."""
    if not kinds:
        return
    for alert in service.active_alerts(visit.id):
        if alert.pending:
            action = ACK_ACTIONS.get(alert.kind, "Reviewed with the patient; action recorded in the notes.")
            service.acknowledge_alert(visit, alert, action, author)
