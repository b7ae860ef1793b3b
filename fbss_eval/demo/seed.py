"""Writing the demo patients and their visits (``flask seed-demo``).

Patients are added through the ORM; visits are generated here and written in bulk by ``bulk.py``:
validated, evaluated, projected and audited as ``services.visits.start_visit`` and
``save_sections`` would store them, in batches instead of one ORM save per visit.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from ..database import write_transaction
from ..extensions import db
from ..models import Patient
from ..models import Role
from ..models import User
from ..services import visits as service
from ..services.passwords import hash_password
from ..services.unit_of_work import unit_of_work
from .answers import generate_answers
from .bulk import BulkWriter
from .bulk import PlannedVisit
from .bulk import write_visit
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


def seed(n_patients: int, visits_per_patient: int, seed_value: int, total_visits: int | None = None,
         today: date | None = None) -> Seeded:
    """Add ``n_patients`` synthetic patients (MRNs ``DEMO-<seed>-<n>``) and their visits, committed
    as one unit of work (or, inside a caller's ``unit_of_work``, with the caller's work).

    ``total_visits`` (instead of ``visits_per_patient``) spreads that many visits over the
    patients, the first ones one more when it does not divide. ``today``: the day the visit dates
    count back from (default: today); the same seed and day give the same data."""
    write_transaction()  # SQLite: the write lock from BEGIN, as the bulk writer hands out ids
    with unit_of_work():
        return _seed(n_patients, visits_per_patient, seed_value, total_visits, today or date.today())


def visit_counts(n_patients: int, per_patient: int, total_visits: int | None) -> list[int]:
    """How many visits each of the patients gets."""
    if total_visits is None:
        return [per_patient] * n_patients
    if n_patients == 0:
        return []
    base, extra = divmod(total_visits, n_patients)
    return [base + (1 if n < extra else 0) for n in range(n_patients)]


def _seed(n_patients: int, visits_per_patient: int, seed_value: int, total_visits: int | None,
          today: date) -> Seeded:
    rng = random.Random(seed_value)  # noqa: S311  # nosec B311  # synthetic data
    author = demo_clinician()
    existing = set(
        db.session.scalars(sa.select(Patient.mrn).where(Patient.mrn.like(f"DEMO-{seed_value}-%")))
    )
    counts = visit_counts(n_patients, visits_per_patient, total_visits)
    patients: list[tuple[Patient, int]] = []
    for n in range(1, n_patients + 1):
        sex = rng.choice(("female", "male"))
        given = rng.choice(GIVEN_F if sex == "female" else GIVEN_M)
        family = rng.choice(FAMILY)
        birth = today - timedelta(days=rng.randint(25 * 365, 85 * 365))
        mrn = f"DEMO-{seed_value}-{n:06d}"
        if mrn in existing:
            continue
        patients.append(
            (Patient(mrn=mrn, family_name=family, given_name=given, birth_date=birth, sex=sex,
                     created_by_id=author.id), counts[n - 1])
        )
    db.session.add_all(patient for patient, _count in patients)
    db.session.flush()
    n_visits = seed_visits(patients, 0, rng, author, today)
    return Seeded(len(patients), n_visits)


ACK_ACTIONS = {  # what the clinician did, by alert
    "phq9_item9": "Asked directly: passive thoughts, no plan or intent. Safety plan agreed; GP informed.",
    "red_flag.cauda_equina": "Same-day referral to the on-call spinal team; emergency MRI: no compression.",
    "red_flag.neuro_deficit": "Urgent spinal review and MRI arranged.",
    "red_flag.infection": "ESR/CRP and WBC normal; no wound concern. Safety-netting advice given.",
    "red_flag.fracture": "Considered; no trauma, no osteoporosis; X-ray not indicated.",
    "red_flag.malignancy": "History reviewed with oncology letters; MRI shows no metastatic disease.",
}


def seed_visits(patients: Sequence[Patient | tuple[Patient, int]], per_patient: int, rng: random.Random,
                author: User, today: date | None = None, batch: int = 500) -> int:
    """Create filled visits for each patient (``per_patient`` each, or the count paired with the
    patient), written in bulk (``bulk.py``); returns the number created."""
    planned = [(p, per_patient) if isinstance(p, Patient) else p for p in patients]
    if not any(count > 0 for _patient, count in planned):
        return 0
    sections = service.visit_sections()  # the current checklist, which start_visit records
    today = today or date.today()
    writer = BulkWriter(db.session.connection(), author, batch=batch)
    created = 0
    drifted: set[str] = set()  # sections whose generated answers the checklist refused in part
    for patient, count in planned:
        if count <= 0:
            continue
        dates = visit_dates(rng, count, today)
        profile = draw_profile(rng, patient, dates[0], dates[-1])
        previous: dict[str, dict[str, Any]] | None = None
        for info in visit_series(rng, dates):
            number = info.number
            generated = generate_answers(rng, profile, info, sections, final=number == count - 1)
            acknowledge = number < count - 1 and rng.random() < 0.7
            plan = PlannedVisit(patient.id, info.date, info.kind, generated, acknowledge, patient.birth_date)
            previous = write_visit(writer, plan, sections, previous, ACK_ACTIONS, drifted)
            created += 1
    writer.flush()
    if drifted:
        log.warning("demo visits: answers the checklist no longer accepts were left out in %s; "
                    "update fbss_eval/demo/", ", ".join(sorted(drifted)))
    return created
