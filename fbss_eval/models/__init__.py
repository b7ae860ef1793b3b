"""Typed SQLAlchemy 2.0 models on one Base."""

from .api_token import ApiToken
from .api_token import TokenScope
from .audit import AuditEvent
from .base import Base
from .patient import Patient
from .patient import Sex
from .user import FormStash
from .user import LoginAttempt
from .user import Role
from .user import User
from .user import UserSession
from .visit import Finding
from .visit import InstrumentScore
from .visit import SectionStatus
from .visit import SignatureMeaning
from .visit import Visit
from .visit import VisitAlert
from .visit import VisitRevision
from .visit import VisitSection
from .visit import VisitStatus
from .visit_locks import SIGNED_LOCK_DDL  # noqa: F401 - installs the triggers on create_all

__all__ = [
    "ApiToken",
    "TokenScope",
    "AuditEvent",
    "Base",
    "FormStash",
    "LoginAttempt",
    "Patient",
    "Role",
    "Sex",
    "User",
    "UserSession",
    "Finding",
    "InstrumentScore",
    "SectionStatus",
    "SignatureMeaning",
    "Visit",
    "VisitAlert",
    "VisitRevision",
    "VisitSection",
    "VisitStatus",
]
