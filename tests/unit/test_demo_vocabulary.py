"""The demo generator speaks the checklist's vocabulary: every option value a scenario, a hardware
entry or a symptom list names is an option of the checklist field it answers, and the classes of
procedure it draws from are the checklist's own (``FUSION_PROCEDURES`` ...), not a copy."""

from __future__ import annotations

import pytest

from fbss_eval.checklist import section_map
from fbss_eval.checklist.categories import PAIN_GENERATORS
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.sections import surgical_history as surgery
from fbss_eval.demo import scenarios
from fbss_eval.demo.scenarios import SCENARIOS


def options_of(section: str, key: str, group: str | None = None) -> set[str]:
    item = section_map()[section].item(group or key)
    if group is not None:
        assert isinstance(item, RepeatGroup)
        item = next(f for f in item.fields if f.key == key)
    assert isinstance(item, Field)
    assert item.options, (section, key)
    return {opt.value for opt in item.options}


# Scenario attribute -> the checklist field whose options it names.
SCENARIO_FIELDS = {
    "procedures": ("surgical_history", "procedure", "operations"),
    "outcomes": ("surgical_history", "immediate_outcome", "operations"),
    "findings": ("imaging", "findings", "studies"),
    "extra_findings": ("imaging", "findings", "studies"),
    "modalities": ("imaging", "modality", "studies"),
    "psps": ("differential", "psps_t2_category", None),
    "mechanism": ("differential", "pain_mechanism", None),
    "conclusion": ("differential", "working_conclusion", None),
    "plan": ("plan", "options", None),
    "pain_vs_preop": ("visit", "pain_vs_preop", None),
}


@pytest.mark.parametrize("attribute", sorted(SCENARIO_FIELDS))
def test_every_scenario_value_is_an_option_of_its_field(attribute):
    section, key, group = SCENARIO_FIELDS[attribute]
    allowed = options_of(section, key, group)
    for scenario in SCENARIOS:
        values = set(getattr(scenario, attribute))
        assert values or attribute == "extra_findings", (scenario.key, attribute)
        assert values <= allowed, (scenario.key, attribute, sorted(values - allowed))


def test_pain_generators_and_blocks_of_the_scenarios_are_the_checklists():
    generators = {opt.value for opt in PAIN_GENERATORS}
    blocks = options_of("blocks", "type", "blocks")
    for scenario in SCENARIOS:
        assert set(scenario.primary) | set(scenario.secondary) <= generators, scenario.key
        assert scenario.block is None or scenario.block in blocks, scenario.key


def test_hardware_words_symptoms_and_revisions_name_checklist_options():
    procedures = options_of("surgical_history", "procedure", "operations")
    approaches = options_of("surgical_history", "approach", "operations")
    instrumentation = options_of("surgical_history", "instrumentation", "operations")
    for procedure, (approach, kinds) in scenarios.HARDWARE.items():
        assert procedure in procedures
        assert approach in approaches, procedure
        assert set(kinds) <= instrumentation, procedure
    assert set(scenarios.PROCEDURE_WORDS) <= procedures
    symptoms = options_of("visit", "symptoms")
    assert all(set(values) <= symptoms for values in scenarios.SCENARIO_SYMPTOMS.values())
    revisions = options_of("plan", "revision_type")
    assert all(set(values) <= revisions for values in scenarios.REVISION_TYPES.values())
    segments = options_of("blocks", "level", "blocks")
    assert set(scenarios.SEGMENTS) <= segments
    assert set(scenarios.ROOT_OF.values()) <= options_of("electrodiagnostics", "roots", "studies")


def test_the_procedure_classes_are_the_checklists_own():
    assert set(scenarios.FUSIONS) == surgery.FUSION_PROCEDURES
    assert set(scenarios.DISCECTOMIES) == surgery.DISCECTOMIES
    assert set(scenarios.DECOMPRESSIONS) == surgery.DECOMPRESSIONS - surgery.DISCECTOMIES
    assert scenarios.DISCECTOMIES.count("microdiscectomy") == 2  # the commonest, drawn twice as often
    # a literal order a person checked: the checklist's option order, so a seed draws the same
    assert scenarios.FUSIONS == ("fusion_posterolateral", "fusion_plif", "fusion_tlif", "fusion_alif",
                                 "fusion_llif", "fusion_olif")


def test_segments_roots_and_the_segment_above_follow_the_anatomy():
    assert scenarios.SEGMENTS == ("L2-L3", "L3-L4", "L4-L5", "L5-S1")
    assert scenarios.ROOT_OF == {"L2-L3": "L3", "L3-L4": "L4", "L4-L5": "L5", "L5-S1": "S1"}
    assert scenarios.ABOVE == {"L3-L4": "L2-L3", "L4-L5": "L3-L4", "L5-S1": "L4-L5"}


def test_every_fusion_is_recorded_with_fusion_hardware(monkeypatch):
    """A fusion type the demo has no hardware entry for still gets screws and rods, never "none"."""
    for procedure in surgery.FUSION_PROCEDURES:
        assert {"pedicle_screws_rods", "interbody_cage"} & set(scenarios.hardware(procedure)[1]), procedure
    monkeypatch.setattr(surgery, "FUSION_PROCEDURES", surgery.FUSION_PROCEDURES | {"fusion_new_kind"})
    assert scenarios.hardware("fusion_new_kind") == ("posterior", ("pedicle_screws_rods",))
    assert scenarios.hardware("microdiscectomy") == ("posterior", ("none",))
    assert scenarios.procedure_words("fusion_tlif") == "TLIF"
    assert scenarios.procedure_words("facetectomy") == "facetectomy"  # the checklist's label, lower case
