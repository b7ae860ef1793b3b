"""Pain-generator categories, likelihoods and PSPS-T2 aetiological categories.

Sources: clinical-reference.md 3.e (categories and supporting findings, after Waguespack 2002 and
clinicalgate "Failed Back Surgery"), 3.0 (van de Minkelis et al., Pain Pract 2024;24(7):919-936 for
the PSPS-T2 aetiological categories), and design.md section 7 (causes named by the source articles).
"""

from __future__ import annotations

from .schema import Option

PAIN_GENERATORS: tuple[Option, ...] = (
    Option("wrong_level", "Wrong level / wrong diagnosis (inappropriate procedure)"),
    Option("recurrent_herniation", "Recurrent or residual disc herniation"),
    Option("foraminal_stenosis", "Foraminal / lateral-recess stenosis (residual or new)"),
    Option("central_stenosis", "Central stenosis (unaddressed or new)"),
    Option("adjacent_segment", "Adjacent segment disease / degeneration"),
    Option("epidural_fibrosis", "Epidural fibrosis / arachnoiditis"),
    Option("neuropathic_root", "Neuropathic radicular pain / root injury or compression"),
    Option("discogenic", "Discogenic pain / annular tear (operated or adjacent disc)"),
    Option("facet", "Facet joint pain"),
    Option("sij", "Sacroiliac joint pain"),
    Option("instability", "Instability / iatrogenic spondylolisthesis"),
    Option("pseudarthrosis_hardware", "Pseudarthrosis / hardware failure"),
    Option("hardware_malposition", "Hardware malposition"),
    Option("infection", "Infection"),
    Option("sagittal_imbalance", "Sagittal imbalance / flat-back"),
    Option("myofascial", "Myofascial / paraspinal denervation-atrophy"),
    Option("non_spinal", "Non-spinal mimic (hip, peripheral nerve, vascular)"),
    Option("nociplastic_psychosocial", "Nociplastic pain / central sensitisation, psychosocial"),
    Option("inadequate_rehab", "Inadequate post-operative rehabilitation / deconditioning"),
)

LIKELIHOODS: tuple[Option, ...] = (
    Option("not_assessed", "Not assessed"),
    Option("unlikely", "Unlikely"),
    Option("possible", "Possible"),
    Option("probable", "Probable"),
    Option("confirmed", "Confirmed"),
)

PSPS_T2_CATEGORIES: tuple[Option, ...] = (
    Option("inappropriate_procedure", "Inappropriate procedure"),
    Option("technical_failure", "Technical failure"),
    Option("biomechanical_sequelae", "Biomechanical sequelae"),
    Option("complications", "Complications"),
    Option("undetermined", "Undetermined"),
)

CATEGORY_LABELS: dict[str, str] = {opt.value: opt.label for opt in PAIN_GENERATORS}
