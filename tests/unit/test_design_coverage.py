"""Every item that design.md section 7 names has a place in the checklist.

Each entry is (phrase from design.md section 7, where): ``where`` is one of
``category:<key>`` (categories.PAIN_GENERATORS), ``section:<key>``, ``field:<section>.<key>``
(or ``<section>.<group>.<key>`` inside a repeat group), ``option:<field path>=<value>``,
``rule:<module>.<function>`` (a registered pointer rule) or ``function:<module>.<name>`` (a
report function in the rules package).
"""

from __future__ import annotations

import re
from importlib import import_module
from pathlib import Path

import pytest

from fbss_eval.checklist import all_sections
from fbss_eval.checklist.categories import PAIN_GENERATORS
from fbss_eval.checklist.rules import base as rules_base
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section

COVERAGE: list[tuple[str, str]] = [
    # Causes / pain generators
    ("wrong surgical target (wrong level)", "category:wrong_level"),
    ("unresolved discogenic pain", "category:discogenic"),
    ("annular tears", "option:imaging.studies.findings=annular_tear"),
    ("recurrent disc herniation", "category:recurrent_herniation"),
    ("recurrent disc herniation", "option:imaging.studies.findings=recurrent_herniation"),
    ("adjacent segment disease / degeneration", "category:adjacent_segment"),
    ("the number of fused levels", "field:surgical_history.operations.n_levels"),
    ("epidural fibrosis", "category:epidural_fibrosis"),
    ("scar encasing a root", "option:imaging.studies.findings=enhancing_scar"),
    ("persistent or new nerve compression", "category:neuropathic_root"),
    ("incomplete decompression", "category:foraminal_stenosis"),
    ("damage before surgery", "field:surgical_history.operations.preop_deficit"),
    ("intra-operative irritation", "option:surgical_history.operations.complications="
                                   "nerve_injury"),
    ("hardware failure", "category:pseudarthrosis_hardware"),
    ("instability", "category:instability"),
    ("unaddressed lumbar spinal stenosis", "category:central_stenosis"),
    ("sacroiliac joint dysfunction", "category:sij"),
    ("facet joint pain", "category:facet"),
    ("inadequate post-operative rehabilitation", "category:inadequate_rehab"),
    ("inadequate post-operative rehabilitation", "rule:rehabilitation.inadequate_rehab"),
    ("depression", "section:phq9"),
    ("anxiety", "section:gad7"),
    ("occupational stress", "field:psychosocial.occupational_stress"),
    ("central sensitisation", "category:nociplastic_psychosocial"),
    # Risk factors
    ("smoking", "field:psychosocial.smoking"),
    ("smoking", "rule:psychosocial.smoking"),
    ("obesity", "field:psychosocial.weight_kg"),
    ("obesity", "rule:psychosocial.obesity"),
    ("psychological distress", "rule:psychosocial.questionnaires"),
    ("psychological distress", "field:psychosocial.yellow_flags"),
    ("service-related injuries in veterans", "option:visit.veteran_service_injury="
                                             "service_injury"),
    # Symptoms
    ("persistent low back pain", "field:visit.back_nrs_avg"),
    ("persistent low back pain", "option:visit.symptoms=low_back_pain"),
    ("leg pain / sciatica", "field:visit.leg_nrs_avg"),
    ("leg pain / sciatica", "option:visit.symptoms=leg_pain_sciatica"),
    ("neuropathic pain", "section:dn4"),
    ("burning", "option:visit.symptoms=burning"),
    ("tingling", "option:visit.symptoms=tingling"),
    ("numbness", "option:visit.symptoms=numbness"),
    ("muscle spasm", "option:visit.symptoms=muscle_spasm"),
    ("weakness", "option:visit.symptoms=weakness"),
    ("balance problems", "option:visit.symptoms=balance_problems"),
    ("pain returning after a period of relief", "option:visit.symptoms=pain_returning"),
    ("pain returning after a period of relief",
     "field:surgical_history.operations.pain_free_weeks"),
    ("immediately after surgery", "option:visit.pain_timing=immediately_after"),
    ("months to years later", "option:visit.pain_timing=months_years"),
    ("pain disability", "section:odi"),
    ("emotional fatigue", "field:visit.emotional_fatigue"),
    ("fear of further procedures", "field:visit.fear_further_procedures"),
    ("the impact on work", "field:visit.impact_work"),
    ("daily activities", "field:visit.impact_daily"),
    ("relationships", "field:visit.impact_relationships"),
    # Evaluation
    ("review of prior surgical records", "field:surgical_history.records_reviewed"),
    ("reflexes", "field:examination.reflex_ankle_left"),
    ("strength", "field:examination.motor_l5_left"),
    ("sensation", "field:examination.sensory_l5_left"),
    ("neurological deficits", "field:surgical_history.operations.new_deficit"),
    ("red flags", "section:red_flags"),
    ("MRI", "option:imaging.studies.modality=mri_gd"),
    ("CT", "option:imaging.studies.modality=ct"),
    ("X-rays (alignment, hardware position)",
     "option:imaging.studies.modality=standing_fullspine_xray"),
    ("X-rays (alignment, hardware position)",
     "option:imaging.studies.findings=hardware_malposition"),
    ("nerve conduction studies and EMG", "option:electrodiagnostics.studies.test=emg_ncs"),
    ("diagnostic nerve blocks", "section:blocks"),
    ("diagnostic nerve blocks", "option:blocks.blocks.type=snrb"),
    ("mechanical (instability)", "option:differential.pain_mechanism=mechanical"),
    ("neurologic (compression)", "option:differential.pain_mechanism=neurologic"),
    ("inflammatory", "option:differential.pain_mechanism=inflammatory"),
    ("benign persistent back pain",
     "option:differential.working_conclusion=benign_persistent_back_pain"),
    # Treatments and candidacy
    ("physical therapy", "option:treatments.treatments.category=physiotherapy"),
    ("physical therapy", "option:plan.options=conservative_rehab"),
    ("chiropractic care", "option:treatments.treatments.category=chiropractic"),
    ("NSAIDs", "option:treatments.treatments.category=medication_nsaid"),
    ("muscle relaxants", "option:treatments.treatments.category=medication_muscle_relaxant"),
    ("neuropathic agents", "option:treatments.treatments.category=medication_neuropathic"),
    ("epidural steroid injections", "option:treatments.treatments.category=injection_epidural"),
    ("epidural steroid injections", "option:plan.options=epidural_injection"),
    ("nerve blocks (often short-term relief", "field:treatments.treatments.relief_weeks"),
    ("pain psychology and CBT", "option:treatments.treatments.category=psychology_cbt"),
    ("pain psychology and CBT", "option:plan.options=psychology_cbt"),
    ("smoking cessation", "option:plan.options=lifestyle_smoking_cessation"),
    ("weight loss", "option:plan.options=lifestyle_weight_loss"),
    ("spinal cord stimulation", "option:plan.options=scs_evaluation"),
    ("spinal cord stimulation", "function:candidacy.scs_candidacy"),
    ("high-frequency", "option:plan.scs_modality=high_frequency"),
    ("dorsal root ganglion stimulation", "option:plan.scs_modality=drg"),
    ("biologic disc repair by intra-annular fibrin injection",
     "option:plan.options=biologic_disc_repair_evaluation"),
    ("with its candidacy criteria", "function:candidacy.biologic_disc_repair_candidacy"),
    ("persistent discogenic pain after one or more surgeries",
     "field:plan.bdr_persistent_discogenic_pain"),
    ("imaging evidence of annular tears or disc degeneration",
     "field:plan.bdr_imaging_annular_tear"),
    ("inadequate response to physical therapy, epidural steroids",
     "field:plan.bdr_inadequate_conservative"),
    ("the goal of avoiding or delaying revision surgery", "field:plan.bdr_goal_avoid_revision"),
    ("revision surgery", "option:plan.options=revision_surgery_referral"),
    ("revision surgery", "function:candidacy.revision_surgery_considerations"),
    ("hardware removal", "option:plan.revision_type=hardware_removal"),
    ("or replacement", "option:plan.revision_type=hardware_replacement"),
    ("extension of fusion", "option:plan.revision_type=fusion_extension"),
    ("decompression", "option:plan.revision_type=decompression"),
    ("minimally invasive", "option:plan.revision_approach=minimally_invasive"),
    ("open fusion", "option:plan.revision_approach=open"),
    ("a multidisciplinary team", "option:plan.options=mdt_referral"),
    ("a multidisciplinary team", "field:treatments.mdt_involvement"),
    ("spine surgeon", "option:treatments.mdt_members=spine_surgeon"),
    ("pain specialist", "option:treatments.mdt_members=pain_specialist"),
    ("physiotherapist", "option:treatments.mdt_members=physiotherapist"),
    ("psychologist", "option:treatments.mdt_members=psychologist"),
]


def _checklist_sections() -> tuple[Section, ...]:
    """The default workup (optional instruments off)."""
    return all_sections()


def _fields() -> dict[str, Field | RepeatGroup]:
    paths: dict[str, Field | RepeatGroup] = {}
    for section in _checklist_sections():
        for item in section.items:
            paths[f"{section.key}.{item.key}"] = item
            if isinstance(item, RepeatGroup):
                for field in item.fields:
                    paths[f"{section.key}.{item.key}.{field.key}"] = field
    return paths


def _rule_keys() -> set[str]:
    import fbss_eval.checklist.rules  # noqa: F401  (registers every rule module)

    return {f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}" for fn in rules_base.RULES}


def _exists(where: str) -> bool:
    kind, _, target = where.partition(":")
    if kind == "category":
        return target in {opt.value for opt in PAIN_GENERATORS}
    if kind == "section":
        return target in {sec.key for sec in _checklist_sections()}
    if kind == "field":
        return target in _fields()
    if kind == "option":
        path, _, value = target.partition("=")
        field = _fields().get(path)
        return isinstance(field, Field) and field.option(value) is not None
    if kind == "rule":
        return target in _rule_keys()
    if kind == "function":
        module, _, name = target.partition(".")
        return callable(getattr(import_module(f"fbss_eval.checklist.rules.{module}"), name, None))
    raise AssertionError(f"unknown kind in {where!r}")


@pytest.mark.parametrize(("phrase", "where"), COVERAGE, ids=[f"{p}->{w}" for p, w in COVERAGE])
def test_design_item_has_a_place(phrase: str, where: str) -> None:
    assert _exists(where), f"design.md section 7 item {phrase!r}: {where} not found"


def test_a_missing_place_is_detected() -> None:
    assert not _exists("option:plan.options=no_such_option")
    assert not _exists("field:plan.no_such_field")
    assert not _exists("category:no_such_category")
    assert not _exists("rule:psychosocial.no_such_rule")


def _design_section_7() -> str | None:
    for parent in Path(__file__).resolve().parents:
        design = parent / "shared" / "design.md"
        if design.is_file():
            text = design.read_text(encoding="utf-8")
            match = re.search(r"^## 7\..*?(?=^## |\Z)", text, flags=re.M | re.S)
            return match.group(0) if match else None
    return None


def test_phrases_are_quoted_from_design_section_7() -> None:
    text = _design_section_7()
    assert text is not None, "shared/design.md (section 7) must be beside the project, as in CI"
    flat = " ".join(text.split()).lower()
    missing = sorted({p for p, _ in COVERAGE if p.lower() not in flat})
    assert not missing, missing
