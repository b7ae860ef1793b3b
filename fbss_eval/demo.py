"""Deterministic synthetic data for demonstrations and benchmarks. No real person is described."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

import sqlalchemy as sa

from .extensions import db
from .models import Patient
from .models import Role
from .models import User
from .services.demo_visits import seed_visits
from .services.passwords import hash_password

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
    """Add ``n_patients`` synthetic patients (MRNs ``DEMO-<seed>-<n>``) and their visits (flushed;
    the caller commits, e.g. inside ``unit_of_work()``)."""
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
