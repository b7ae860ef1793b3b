"""Candidacy reports: SCS (NICE TA159), biologic disc repair, revision surgery, one module each
(``scs``, ``disc_repair``, ``revision``; what they share in ``common``).

Not pointers: each function returns a report listing its criteria as met / unmet / unknown with
the evidence it used, so the clinician sees what is missing. The clinician's own answers in the
plan section win; otherwise the report reads the other sections (treatments, imaging, ...).
Sources: clinical-reference.md 3.g; design.md section 7 (biologic disc repair criteria).
"""

from __future__ import annotations

# The rule modules the reports read, first and in this order: rules register (and their pointers
# are listed) in import order, which stays what it was before the reports were split.
from .. import neuropathic  # noqa: F401
from .. import psychosocial  # noqa: F401
from .. import rehabilitation  # noqa: F401
from .common import LIKELY
from .common import MEDICATIONS
from .common import CandidacyReport
from .common import Criterion
from .common import Status
from .common import answer_status
from .common import as_date
from .common import as_number
from .common import n_operations
from .common import operated_levels
from .disc_repair import DISC_FINDINGS
from .disc_repair import biologic_disc_repair_candidacy
from .revision import STRUCTURAL
from .revision import STRUCTURAL_CATEGORIES
from .revision import SURGERY_FIRST
from .revision import revision_surgery_considerations
from .scs import SCS_MIN_MONTHS
from .scs import SCS_TRIAL_SUCCESS_PCT
from .scs import SCS_VAS_MIN_MM
from .scs import scs_candidacy

__all__ = [
    "DISC_FINDINGS", "LIKELY", "MEDICATIONS", "SCS_MIN_MONTHS", "SCS_TRIAL_SUCCESS_PCT", "SCS_VAS_MIN_MM",
    "STRUCTURAL", "STRUCTURAL_CATEGORIES", "SURGERY_FIRST", "CandidacyReport", "Criterion", "Status",
    "answer_status", "as_date", "as_number", "biologic_disc_repair_candidacy", "n_operations",
    "operated_levels", "revision_surgery_considerations", "scs_candidacy",
]
