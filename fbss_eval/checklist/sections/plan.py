"""Section 12: the plan, with the SCS and biologic-disc-repair candidacy checklists.

Sources: clinical-reference.md 3.g (NICE TA159 for SCS; Neuromodulation Foundation practice
parameters for relative and absolute contraindications; revision surgery; DRG / high-frequency
stimulation; intrathecal drug delivery) and design.md section 7 (biologic disc repair by
intra-annular fibrin injection and its candidacy criteria, revision variants, MDT, lifestyle).
The criteria are assessed in ``rules.candidacy``.
"""

from __future__ import annotations

from typing import Any

from ..options import SEGMENTS
from ..options import YES_NO
from ..options import YES_NO_UNKNOWN
from ..schema import EnableWhen
from ..schema import Field
from ..schema import FieldType
from ..schema import Option
from ..schema import Section


def _opts(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


PLAN_OPTIONS = _opts(
    ("conservative_rehab", "Conservative care / graded rehabilitation"),
    ("psychology_cbt", "Pain psychology / CBT"),
    ("medication_review", "Medication review"),
    ("lifestyle_smoking_cessation", "Lifestyle: smoking cessation"),
    ("lifestyle_weight_loss", "Lifestyle: weight loss"),
    ("mbb_then_rf", "Medial branch blocks, then radiofrequency ablation if positive"),
    ("sij_intervention", "Sacroiliac joint injection / radiofrequency"),
    ("epidural_injection", "Epidural steroid (transforaminal) injection"),
    ("pulsed_rf_drg", "Pulsed radiofrequency of the DRG"),
    ("adhesiolysis", "Epidural adhesiolysis / epiduroscopy"),
    ("biologic_disc_repair_evaluation",
     "Evaluate for biologic disc repair (intra-annular fibrin injection)"),
    ("scs_evaluation", "Evaluate for spinal cord stimulation (incl. high-frequency / DRG)"),
    ("revision_surgery_referral", "Refer for revision surgery opinion"),
    ("mdt_referral", "Multidisciplinary team referral"),
    ("urgent_referral", "Urgent referral (red flags)"),
    ("intrathecal_drug_delivery", "Intrathecal drug delivery (usually last line)"),
    ("discharge", "Discharge to primary care"),
)

SCS_MODALITIES = _opts(
    ("conventional", "Conventional (tonic) SCS"),
    ("high_frequency", "High-frequency SCS"),
    ("drg", "Dorsal root ganglion (DRG) stimulation"),
    ("burst", "Burst stimulation"),
    ("undecided", "Undecided"),
)

# Neuromodulation Foundation SCS practice parameters, as listed in reference 3.g.
SCS_RELATIVE_CI = _opts(
    ("none", "None"),
    ("psychiatric", "Unresolved major psychiatric comorbidity"),
    ("secondary_gain", "Unresolved likelihood of secondary gain"),
    ("substance_abuse", "Active untreated substance abuse"),
    ("inconsistent_findings", "Inconsistent history / examination / imaging"),
    ("inconsistent_ratings", "Abnormal or inconsistent pain ratings"),
    ("non_organic_signs", "Predominance of non-organic (Waddell) signs"),
    ("alternatives_untried", "Comparable-risk alternatives not yet tried"),
    ("pregnancy", "Pregnancy"),
    ("occupational_risk", "Occupational risk"),
    ("infection", "Local or systemic infection"),
    ("pacemaker_icd", "Demand pacemaker / ICD"),
    ("future_mri", "Foreseeable need for MRI (check device MRI conditionality)"),
    ("comorbid_pain_syndrome", "Major comorbid chronic pain syndrome"),
    ("anticoagulation", "Anticoagulant / antiplatelet therapy"),
)
SCS_ABSOLUTE_CI = _opts(
    ("none", "None"),
    ("cannot_control_device", "Inability to control the device"),
    ("surgical_compression_deficit",
     "Surgically amenable compression with serious neurological deficit (surgery first)"),
    ("gross_instability", "Gross instability at risk of progression (surgery first)"),
    ("surgical_risk", "Coagulopathy / immunosuppression / unacceptable surgical risk"),
    ("diathermy", "Need for therapeutic diathermy"),
)

_SCS = (EnableWhen("options", "contains", "scs_evaluation"),)
_BDR = (EnableWhen("options", "contains", "biologic_disc_repair_evaluation"),)
_REVISION = (EnableWhen("options", "contains", "revision_surgery_referral"),)


def _scs(key: str, label: str, type_: FieldType, **kw: Any) -> Field:
    return Field(key, label, type_, enable_when=_SCS, **kw)


def _tried(key: str, what: str) -> tuple[Field, Field]:
    when = (*_SCS, EnableWhen(key, "eq", "yes"))
    return (
        _scs(key, f"Conventional management tried: {what}", "choice", options=YES_NO),
        Field(f"{key}_date", f"{what.capitalize()}: from", "date", enable_when=when),
    )


SCS_FIELDS: tuple[Field, ...] = (
    _scs("scs_modality", "SCS modality considered", "choice", options=SCS_MODALITIES, summary=True),
    _scs("scs_neuropathic_predominance", "Neuropathic pain predominates (clinician judgement)",
         "choice", options=YES_NO_UNKNOWN, hint="Weigh DN4 / painDETECT / LANSS results."),
    _scs("scs_duration_6_months", "Pain for >= 6 months despite conventional management",
         "choice", options=YES_NO),
    _scs("scs_pain_measure", "Pain intensity measured with", "choice", options=_opts(
        ("vas_mm", "VAS 0-100 mm"),
        ("nrs_proxy", "NRS x 10 (proxy: not formally equivalent to the VAS)"))),
    _scs("scs_vas_mm", "Pain intensity", "integer", unit="mm", min=0, max=100,
         hint="NICE TA159 requires >= 50 mm on a 0-100 mm VAS; an NRS >= 5 is not formally "
              "equivalent."),
    *_tried("scs_tried_drugs", "drugs"),
    *_tried("scs_tried_physio", "physiotherapy"),
    *_tried("scs_tried_psychology", "psychological support"),
    _scs("scs_mdt_review_date", "Specialist MDT review", "date", allow_future=True,
         hint="NICE TA159: SCS only after assessment by a specialist multidisciplinary team."),
    _scs("scs_psych_eval", "Psychological evaluation", "choice", options=_opts(
        ("not_done", "Not done"),
        ("pending", "Requested / pending"),
        ("suitable", "Done: suitable"),
        ("suitable_with_support", "Done: suitable with support"),
        ("not_suitable", "Done: not suitable at present"))),
    _scs("scs_psych_eval_date", "Psychological evaluation date", "date"),
    _scs("scs_relative_ci", "Relative contraindications", "multichoice",
         options=SCS_RELATIVE_CI),
    _scs("scs_absolute_ci", "Absolute contraindications", "multichoice",
         options=SCS_ABSOLUTE_CI),
    _scs("scs_trial_start", "Trial start", "date", allow_future=True),
    _scs("scs_trial_end", "Trial end", "date", allow_future=True),
    _scs("scs_trial_relief_pct", "Trial pain relief in the target area", "integer", unit="%",
         min=0, max=100, hint="Success is conventionally >= 50% relief."),
    _scs("scs_trial_function", "Functional change during the trial", "choice", options=_opts(
        ("marked", "Marked improvement"),
        ("some", "Some improvement"),
        ("none", "No change"),
        ("worse", "Worse"))),
    _scs("scs_decision", "SCS decision", "choice", options=_opts(
        ("proceed_trial", "Proceed to trial"),
        ("proceed_implant", "Proceed to implant"),
        ("defer", "Defer"),
        ("not_candidate", "Not a candidate"),
        ("undecided", "Undecided")), summary=True),
)


def _bdr(key: str, label: str) -> Field:
    return Field(key, label, "choice", options=YES_NO_UNKNOWN, enable_when=_BDR)


BDR_FIELDS: tuple[Field, ...] = (
    _bdr("bdr_persistent_discogenic_pain", "Persistent discogenic pain after >= 1 surgery"),
    _bdr("bdr_imaging_annular_tear",
         "Imaging: annular tear or disc degeneration at the operated or an adjacent level"),
    Field("bdr_levels", "Disc levels concerned", "multichoice", options=SEGMENTS,
          enable_when=_BDR),
    _bdr("bdr_inadequate_conservative",
         "Inadequate response to physiotherapy, epidural steroids or other conservative care"),
    _bdr("bdr_goal_avoid_revision", "Goal: avoid or delay revision surgery"),
    Field("bdr_notes", "Biologic disc repair notes", "text", max_length=1000, enable_when=_BDR),
)

SECTION = Section(
    key="plan",
    title="Plan and candidacy",
    items=(
        Field("options", "Plan", "multichoice", options=PLAN_OPTIONS, required=True, key_fact=5),
        Field("urgent_referral_reason", "Urgent referral: reason and destination", "text",
              max_length=500, enable_when=(EnableWhen("options", "contains", "urgent_referral"),), summary=True),
        Field("revision_type", "Revision considered", "multichoice", enable_when=_REVISION,
              options=_opts(
                  ("hardware_removal", "Hardware removal"),
                  ("hardware_replacement", "Hardware replacement / revision"),
                  ("fusion_extension", "Extension of fusion"),
                  ("decompression", "Decompression")), summary=True),
        Field("revision_approach", "Revision approach", "choice", enable_when=_REVISION,
              options=_opts(
                  ("minimally_invasive", "Minimally invasive"),
                  ("open", "Open"),
                  ("undecided", "Undecided")), summary=True),
        Field("revision_indication", "Structural lesion and level targeted", "text",
              max_length=500, enable_when=_REVISION, summary=True),
        *SCS_FIELDS,
        *BDR_FIELDS,
        Field("follow_up_weeks", "Follow-up in", "integer", unit="weeks", min=0, max=104, summary=True),
        Field("summary", "Clinician's summary", "textarea", max_length=8000, required=True, summary=True),
    ),
    summary="marked",
)
