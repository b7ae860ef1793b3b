"""Sections psychosocial, treatments, differential and plan; bmi(); cross-section keys."""

from __future__ import annotations

import math

import pytest

from fbss_eval.checklist import all_sections
from fbss_eval.checklist import section_map
from fbss_eval.checklist.categories import LIKELIHOODS
from fbss_eval.checklist.categories import PAIN_GENERATORS
from fbss_eval.checklist.categories import PSPS_T2_CATEGORIES
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.checklist.sections.differential import SECTION as DIFFERENTIAL
from fbss_eval.checklist.sections.plan import SECTION as PLAN
from fbss_eval.checklist.sections.psychosocial import SECTION as PSYCHOSOCIAL
from fbss_eval.checklist.sections.psychosocial import bmi
from fbss_eval.checklist.sections.treatments import SECTION as TREATMENTS

MINE = (PSYCHOSOCIAL, TREATMENTS, DIFFERENTIAL, PLAN)
IDS = [sec.key for sec in MINE]


def _scopes(section: Section) -> list[tuple[Field, ...]]:
    """Top-level fields, then the fields of each repeat group (each its own enable-when scope)."""
    return [section.fields(), *(group.fields for group in section.groups())]


def test_order_and_keys() -> None:
    assert all_sections()[-4:] == MINE
    assert [sec.title for sec in MINE] == [
        "Psychosocial and lifestyle", "Rehabilitation and treatments tried",
        "Pain-generator differential", "Plan and candidacy"]


@pytest.mark.parametrize("section", MINE, ids=IDS)
def test_unique_keys(section: Section) -> None:
    keys = [item.key for item in section.items]
    assert len(keys) == len(set(keys))
    for group in section.groups():
        row_keys = [f.key for f in group.fields]
        assert len(row_keys) == len(set(row_keys))


@pytest.mark.parametrize("section", MINE, ids=IDS)
def test_choices_have_unique_options(section: Section) -> None:
    for scope in _scopes(section):
        for field in scope:
            values = [opt.value for opt in field.options]
            if field.type in ("choice", "multichoice"):
                assert values, field.key
                assert len(values) == len(set(values)), field.key
            else:
                assert not values, field.key


@pytest.mark.parametrize("section", MINE, ids=IDS)
def test_enable_when_refers_to_fields_in_scope_and_real_options(section: Section) -> None:
    for scope in _scopes(section):
        by_key = {f.key: f for f in scope}
        for field in scope:
            for cond in field.enable_when:
                assert cond.field in by_key, (field.key, cond.field)
                assert cond.field != field.key
                target = by_key[cond.field]
                if cond.op in ("eq", "ne", "contains"):
                    assert target.option(cond.value) is not None, (field.key, cond.value)
                if cond.op in ("in", "not_in"):
                    assert all(target.option(v) is not None for v in cond.value), field.key
    top = {f.key for f in section.fields()}
    for group in section.groups():
        assert all(cond.field in top for cond in group.enable_when)


@pytest.mark.parametrize("section", MINE, ids=IDS)
def test_numeric_ranges_and_text_limits(section: Section) -> None:
    for scope in _scopes(section):
        for field in scope:
            if field.type in ("integer", "decimal"):
                assert field.min is not None
                assert field.max is not None
                assert field.min < field.max
            if field.type in ("text", "textarea"):
                assert field.max_length, field.key


def test_psychosocial_fields() -> None:
    keys = {f.key for f in PSYCHOSOCIAL.fields()}
    assert {"yellow_flags", "work_status", "occupational_stress",
            "smoking", "pack_years", "height_cm", "weight_kg", "alcohol_units_week",
            "substance_use", "family_support", "expectations", "expectations_text",
            "sleep_disturbance"} <= keys
    # Recorded once, elsewhere: compensation in surgical history, fear and relationships in visit.
    assert not {"compensation_litigation", "fear_of_procedures", "relationships_impact"} & keys
    smoking = PSYCHOSOCIAL.item("smoking")
    assert isinstance(smoking, Field)
    assert [o.value for o in smoking.options] == ["never", "former", "current"]
    pack_years = PSYCHOSOCIAL.item("pack_years")
    assert isinstance(pack_years, Field)
    assert not pack_years.enabled({"smoking": "never"})
    assert pack_years.enabled({"smoking": "current"})
    for key in ("height_cm", "weight_kg"):
        field = PSYCHOSOCIAL.item(key)
        assert isinstance(field, Field)
        assert field.type == "decimal"
    support = PSYCHOSOCIAL.item("family_support")
    assert isinstance(support, Field)
    assert {"supportive", "over_protective", "unsupportive"} <= {o.value for o in support.options}


@pytest.mark.parametrize(
    ("height", "weight", "expected"),
    [
        (175, 70, 22.9),
        (160, 77, 30.1),
        (180.0, 97.2, 30.0),
        ("175", "70", 22.9),
        (None, 70, None),
        (175, None, None),
        (0, 70, None),
        (175, 0, None),
        (-170, 70, None),
        ("", 70, None),
        ("tall", 70, None),
        (math.nan, 70, None),
    ],
)
def test_bmi(height: object, weight: object, expected: float | None) -> None:
    assert bmi(height, weight) == expected


def test_treatments_group() -> None:
    group = TREATMENTS.item("treatments")
    assert isinstance(group, RepeatGroup)
    fields = {f.key: f for f in group.fields}
    assert {"category", "start_date", "weeks", "sessions", "dose", "adherence", "response",
            "relief_pct", "side_effects", "stopped_reason"} <= set(fields)
    assert [o.value for o in fields["category"].options] == [
        "physiotherapy", "chiropractic", "medication_nsaid", "medication_muscle_relaxant",
        "medication_neuropathic", "medication_opioid", "medication_other",
        "injection_epidural", "injection_facet", "injection_sij", "radiofrequency",
        "psychology_cbt", "pain_programme", "acupuncture", "scs_trial", "other"]
    assert [o.value for o in fields["response"].options] == [
        "none", "minimal", "partial", "good", "worse"]
    adherence = fields["adherence"]
    assert adherence.enabled({"category": "physiotherapy"})
    assert adherence.enabled({"category": "psychology_cbt"})
    assert not adherence.enabled({"category": "injection_epidural"})
    assert fields["dose"].enabled({"category": "medication_nsaid"})
    assert not fields["dose"].enabled({"category": "physiotherapy"})
    assert "mdt_involvement" in {f.key for f in TREATMENTS.fields()}


def test_differential_has_every_category() -> None:
    keys = {f.key for f in DIFFERENTIAL.fields()}
    for category in PAIN_GENERATORS:
        lh = DIFFERENTIAL.item(f"lh_{category.value}")
        ev = DIFFERENTIAL.item(f"ev_{category.value}")
        assert isinstance(lh, Field)
        assert isinstance(ev, Field)
        assert lh.options == LIKELIHOODS
        for likelihood in LIKELIHOODS:
            enabled = ev.enabled({lh.key: likelihood.value})
            assert enabled == (likelihood.value in ("possible", "probable", "confirmed"))
    psps = DIFFERENTIAL.item("psps_t2_category")
    assert isinstance(psps, Field)
    assert psps.required
    assert psps.options == PSPS_T2_CATEGORIES
    assert {"pain_mechanism", "icd_prior_spinal_surgery", "icd_pain_3_months",
            "icd_red_flags_addressed", "working_conclusion", "summary"} <= keys
    mechanism = DIFFERENTIAL.item("pain_mechanism")
    assert isinstance(mechanism, Field)
    assert {"mechanical", "neurologic", "inflammatory", "mixed", "undetermined"} == {
        o.value for o in mechanism.options}
    conclusion = DIFFERENTIAL.item("working_conclusion")
    assert isinstance(conclusion, Field)
    assert conclusion.option("benign_persistent_back_pain") is not None
    assert conclusion.option("psps_t2_cpss") is not None
    assert "MG30.21" in conclusion.option_label("psps_t2_cpss")


def test_plan_options_and_gated_checklists() -> None:
    options = PLAN.item("options")
    assert isinstance(options, Field)
    assert options.type == "multichoice"
    assert options.required
    assert {o.value for o in options.options} == {
        "conservative_rehab", "psychology_cbt", "medication_review",
        "lifestyle_smoking_cessation", "lifestyle_weight_loss", "mbb_then_rf",
        "sij_intervention", "epidural_injection", "pulsed_rf_drg", "adhesiolysis",
        "biologic_disc_repair_evaluation", "scs_evaluation", "revision_surgery_referral",
        "mdt_referral", "urgent_referral", "intrathecal_drug_delivery", "discharge"}
    fields = {f.key: f for f in PLAN.fields()}
    assert {o.value for o in fields["scs_modality"].options} == {
        "conventional", "high_frequency", "drg", "burst", "undecided"}
    assert {o.value for o in fields["revision_type"].options} == {
        "hardware_removal", "hardware_replacement", "fusion_extension", "decompression"}
    assert {"minimally_invasive", "open"} <= {o.value for o in fields["revision_approach"].options}
    scs = [f for k, f in fields.items() if k.startswith("scs_")]
    bdr = [f for k, f in fields.items() if k.startswith("bdr_")]
    assert len(scs) >= 15
    assert len(bdr) >= 5
    for field in scs:
        assert not field.enabled({"options": ["conservative_rehab"]}), field.key
    for field in bdr:
        assert not field.enabled({"options": ["scs_evaluation"]}), field.key
        assert field.enabled({"options": ["biologic_disc_repair_evaluation"]}), field.key
    assert fields["scs_vas_mm"].enabled({"options": ["scs_evaluation"]})
    assert "not formally" in (fields["scs_vas_mm"].hint or "")
    tried_date = fields["scs_tried_drugs_date"]
    assert tried_date.enabled({"options": ["scs_evaluation"], "scs_tried_drugs": "yes"})
    assert not tried_date.enabled({"options": ["scs_evaluation"], "scs_tried_drugs": "no"})
    relative = {o.value for o in fields["scs_relative_ci"].options}
    absolute = {o.value for o in fields["scs_absolute_ci"].options}
    assert len(relative - {"none"}) == 14
    assert len(absolute - {"none"}) == 5
    assert fields["summary"].required
    assert fields["follow_up_weeks"].type == "integer"


# Keys the candidacy / classification rules read from the other sections.
CROSS_SECTION = [
    ("surgical_history", "operations", ("date", "procedure", "levels", "immediate_outcome",
                                        "pain_free_weeks")),
    ("surgical_history", None, ("n_prior_operations", "current_pain_onset",
                                "compensation_litigation")),
    ("imaging", "studies", ("findings", "levels", "modality", "date")),
    ("visit", None, ("back_nrs_avg", "leg_nrs_avg", "pain_duration_months", "visit_date")),
    ("blocks", "blocks", ("type", "relief_pct", "date")),
]
IMAGING_FINDINGS = ("annular_tear", "disc_degeneration", "modic", "adjacent_degeneration",
                    "recurrent_herniation", "hardware_loosening", "hardware_breakage",
                    "hardware_malposition", "pseudarthrosis", "instability",
                    "foraminal_stenosis", "central_stenosis", "enhancing_scar")


@pytest.mark.parametrize(("section", "group", "keys"), CROSS_SECTION)
def test_cross_section_keys_exist(section: str, group: str | None, keys: tuple[str, ...]) -> None:
    sec = section_map()[section]
    if group is None:
        scope = {f.key for f in sec.fields()}
    else:
        item = sec.item(group)
        assert isinstance(item, RepeatGroup)
        scope = {f.key for f in item.fields}
    assert set(keys) <= scope


def test_cross_section_option_values_exist() -> None:
    studies = section_map()["imaging"].item("studies")
    assert isinstance(studies, RepeatGroup)
    findings = next(f for f in studies.fields if f.key == "findings")
    assert set(IMAGING_FINDINGS) <= {o.value for o in findings.options}
    blocks = section_map()["blocks"].item("blocks")
    assert isinstance(blocks, RepeatGroup)
    block_type = next(f for f in blocks.fields if f.key == "type")
    assert block_type.option("esi") is not None
    operations = section_map()["surgical_history"].item("operations")
    assert isinstance(operations, RepeatGroup)
    procedure = next(f for f in operations.fields if f.key == "procedure")
    assert any(o.value.startswith("fusion_") for o in procedure.options)
