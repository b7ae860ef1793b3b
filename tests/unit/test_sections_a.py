"""Structure of the diagnostic sections: keys, options, enable-when scopes and the exact keys
other modules rely on."""

from __future__ import annotations

import pytest

from fbss_eval.checklist.categories import CATEGORY_LABELS
from fbss_eval.checklist.options import LEVELS
from fbss_eval.checklist.rules import blocks as block_rules
from fbss_eval.checklist.rules import imaging as imaging_rules
from fbss_eval.checklist.schema import Field
from fbss_eval.checklist.schema import RepeatGroup
from fbss_eval.checklist.schema import Section
from fbss_eval.checklist.sections import blocks
from fbss_eval.checklist.sections import electrodiagnostics
from fbss_eval.checklist.sections import examination
from fbss_eval.checklist.sections import imaging
from fbss_eval.checklist.sections import red_flags
from fbss_eval.checklist.sections import surgical_history
from fbss_eval.checklist.sections import visit

SECTIONS: dict[str, Section] = {
    mod.SECTION.key: mod.SECTION
    for mod in (
        visit,
        red_flags,
        surgical_history,
        examination,
        imaging,
        electrodiagnostics,
        blocks,
    )
}


def _scopes(section: Section) -> list[tuple[str, tuple[Field | RepeatGroup, ...]]]:
    """(name, items) for the section's top level and each repeat group's rows."""
    scopes: list[tuple[str, tuple[Field | RepeatGroup, ...]]] = [(section.key, section.items)]
    scopes += [(f"{section.key}.{g.key}", g.fields) for g in section.groups()]
    return scopes


def _fields(section: Section) -> list[Field]:
    found = list(section.fields())
    for group in section.groups():
        found += list(group.fields)
    return found


def test_section_keys_and_order() -> None:
    assert list(SECTIONS) == [
        "visit",
        "red_flags",
        "surgical_history",
        "examination",
        "imaging",
        "electrodiagnostics",
        "blocks",
    ]


@pytest.mark.parametrize("key", list(SECTIONS))
def test_section_has_title_and_description(key: str) -> None:
    section = SECTIONS[key]
    assert section.title
    assert section.description


@pytest.mark.parametrize("key", list(SECTIONS))
def test_keys_unique_per_scope(key: str) -> None:
    for scope, items in _scopes(SECTIONS[key]):
        keys = [item.key for item in items]
        assert len(keys) == len(set(keys)), scope


@pytest.mark.parametrize("key", list(SECTIONS))
def test_choice_fields_have_unique_options(key: str) -> None:
    for field in _fields(SECTIONS[key]):
        if field.type in ("choice", "multichoice"):
            values = [opt.value for opt in field.options]
            assert values, field.key
            assert len(values) == len(set(values)), field.key
            assert all(opt.label for opt in field.options), field.key
        else:
            assert not field.options, field.key


@pytest.mark.parametrize("key", list(SECTIONS))
def test_enable_when_refers_to_same_scope(key: str) -> None:
    for scope, items in _scopes(SECTIONS[key]):
        by_key = {item.key: item for item in items}
        for item in items:
            for cond in item.enable_when:
                assert cond.field in by_key, (scope, item.key, cond.field)
                target = by_key[cond.field]
                assert isinstance(target, Field)
                if cond.op in ("eq", "ne", "contains") and target.options:
                    assert target.option(cond.value) is not None, (item.key, cond.value)
                if cond.op in ("in", "not_in") and target.options:
                    assert all(target.option(v) for v in cond.value), (item.key, cond.value)


@pytest.mark.parametrize("key", list(SECTIONS))
def test_numeric_ranges_sane(key: str) -> None:
    for field in _fields(SECTIONS[key]):
        if field.min is not None and field.max is not None:
            assert field.min < field.max, field.key


def test_visit_exact_keys() -> None:
    section = SECTIONS["visit"]
    for key in ("back_nrs_now", "back_nrs_avg", "leg_nrs_now", "leg_nrs_avg"):
        field = section.item(key)
        assert isinstance(field, Field)
        assert (field.type, field.min, field.max) == ("integer", 0, 10)
    recall = section.item("nrs_recall")
    assert isinstance(recall, Field)
    assert [o.value for o in recall.options] == ["now", "24h", "7d"]
    for key in ("back_pct", "leg_pct"):
        field = section.item(key)
        assert isinstance(field, Field)
        assert (field.min, field.max) == (0, 100)
    vs_preop = section.item("pain_vs_preop")
    assert isinstance(vs_preop, Field)
    assert [o.value for o in vs_preop.options] == ["same", "different", "new_location"]
    visit_type = section.item("visit_type")
    assert isinstance(visit_type, Field)
    assert [o.value for o in visit_type.options] == [
        "initial",
        "follow_up",
        "pre_procedure",
        "post_procedure",
    ]
    section.item("veteran_service_injury")
    symptoms = section.item("symptoms")
    assert isinstance(symptoms, Field)
    for value in (
        "low_back_pain",
        "leg_pain_sciatica",
        "burning",
        "tingling",
        "numbness",
        "muscle_spasm",
        "weakness",
        "balance_problems",
        "pain_returning",
    ):
        assert symptoms.option(value), value


def test_visit_average_nrs_hidden_when_recall_is_now() -> None:
    avg = SECTIONS["visit"].item("back_nrs_avg")
    assert isinstance(avg, Field)
    assert not avg.enabled({"nrs_recall": "now"})
    assert avg.enabled({"nrs_recall": "7d"})


def test_red_flag_items_are_yes_no_unknown_and_required() -> None:
    section = SECTIONS["red_flags"]
    assert len(red_flags.SCREEN_KEYS) == len(set(red_flags.SCREEN_KEYS))
    for key in red_flags.SCREEN_KEYS:
        field = section.item(key)
        assert isinstance(field, Field)
        assert field.required
        assert [o.value for o in field.options] == ["yes", "no", "unknown"]
    kinds = {cond.key for cond in red_flags.CONDITIONS}
    assert kinds == {
        "cauda_equina",
        "neuro_deficit",
        "infection",
        "fracture",
        "malignancy",
        "postop_emergency",
        "inflammatory_deformity",
    }
    assert all(cond.action for cond in red_flags.CONDITIONS)


def test_surgical_history_exact_keys() -> None:
    section = SECTIONS["surgical_history"]
    group = section.item("operations")
    assert isinstance(group, RepeatGroup)
    assert group.min_rows == 1
    row = {f.key: f for f in group.fields}
    for key in (
        "date",
        "procedure",
        "levels",
        "side",
        "approach",
        "instrumentation",
        "fusion_to_sacrum",
        "complications",
        "immediate_outcome",
        "pain_free_weeks",
        "centre_surgeon",
        "indication",
        "bone_graft_source",
    ):
        assert key in row, key
    assert [o.value for o in row["levels"].options] == [o.value for o in LEVELS]
    assert [o.value for o in LEVELS] == ["L1", "L2", "L3", "L4", "L5", "S1", "pelvis"]
    assert [o.value for o in row["immediate_outcome"].options] == [
        "resolved",
        "improved",
        "unchanged",
        "worse",
    ]
    assert row["fusion_to_sacrum"].type == "boolean"
    assert row["fusion_to_sacrum"].enabled({"procedure": "fusion_tlif"})
    assert not row["fusion_to_sacrum"].enabled({"procedure": "microdiscectomy"})
    assert row["pain_free_weeks"].type == "integer"
    assert row["pain_free_weeks"].min == 0
    assert section.item("n_prior_operations").type == "integer"  # type: ignore[union-attr]
    assert "months_since_last" not in {f.key for f in section.fields()}  # computed from the dates
    assert section.item("current_pain_onset").type == "date"  # type: ignore[union-attr]
    comp = section.item("compensation_litigation")
    assert isinstance(comp, Field)
    assert [o.value for o in comp.options] == [
        "none",
        "workers_comp",
        "litigation",
        "both",
        "unknown",
    ]
    for key in ("opioids_before", "opioids_after"):
        field = section.item(key)
        assert isinstance(field, Field)
        assert [o.value for o in field.options] == ["yes", "no", "unknown"]


def test_examination_exact_keys() -> None:
    section = SECTIONS["examination"]
    for key in ("sij_provocation_positive", "waddell_signs"):
        field = section.item(key)
        assert isinstance(field, Field)
        assert (field.type, field.min, field.max) == ("integer", 0, 5)
    for root in ("l2", "l3", "l4", "l5", "s1"):
        for side in ("left", "right"):
            section.item(f"motor_{root}_{side}")
            section.item(f"sensory_{root}_{side}")
    for key in (
        "slr_left",
        "slr_right",
        "facet_loading",
        "gait",
        "balance",
        "hip_exam",
        "peripheral_pulses",
        "reflex_knee_left",
        "reflex_ankle_right",
    ):
        section.item(key)


def test_imaging_exact_keys_and_findings() -> None:
    group = SECTIONS["imaging"].item("studies")
    assert isinstance(group, RepeatGroup)
    row = {f.key: f for f in group.fields}
    assert set(row) >= {"modality", "date", "levels", "findings", "report"}
    assert [o.value for o in row["modality"].options] == [
        "mri_gd",
        "mri",
        "ct",
        "ct_myelo",
        "flex_ext_xray",
        "standing_fullspine_xray",
        "xray",
        "spect_ct",
        "bone_scan",
    ]
    assert {o.value for o in row["findings"].options} == {
        "recurrent_herniation",
        "enhancing_scar",
        "central_stenosis",
        "foraminal_stenosis",
        "adjacent_degeneration",
        "annular_tear",
        "modic",
        "disc_degeneration",
        "pseudarthrosis",
        "hardware_loosening",
        "hardware_breakage",
        "hardware_malposition",
        "instability",
        "arachnoiditis",
        "infection",
        "sagittal_imbalance",
        "normal_postop",
    }
    assert row["report"].type == "textarea"
    for key in ("esr", "crp"):
        SECTIONS["imaging"].item(key)


def test_electrodiagnostics_findings() -> None:
    group = SECTIONS["electrodiagnostics"].item("studies")
    assert isinstance(group, RepeatGroup)
    row = {f.key: f for f in group.fields}
    assert [o.value for o in row["findings"].options] == [
        "active_denervation",
        "chronic_changes",
        "peripheral_neuropathy",
        "entrapment",
        "normal",
    ]
    assert "paraspinal" in (group.hint or "").lower()
    assert row["date"].hint
    assert "10-14 days" in row["date"].hint


def test_blocks_exact_keys_and_discography_fields() -> None:
    group = SECTIONS["blocks"].item("blocks")
    assert isinstance(group, RepeatGroup)
    row = {f.key: f for f in group.fields}
    assert [o.value for o in row["type"].options] == ["mbb", "sij", "snrb", "discography", "esi"]
    for key in ("level", "side", "date", "relief_pct", "duration_hours", "concordant"):
        assert key in row, key
    assert (row["relief_pct"].min, row["relief_pct"].max) == (0, 100)
    assert [o.value for o in row["concordant"].options] == ["yes", "no"]
    for key in ("pain_score", "pressure_psi", "control_disc_painless"):
        assert row[key].enabled({"type": "discography"}), key
        assert not row[key].enabled({"type": "mbb"}), key
    assert (row["pain_score"].min, row["pain_score"].max) == (0, 10)


def test_rule_vocabularies_match_sections() -> None:
    """Every category a rule suggests exists; every imaging finding a rule reads exists."""
    findings = {o.value for o in imaging.FINDINGS}
    for fr in imaging_rules.FINDING_RULES:
        assert set(fr.findings) <= findings, fr.key
        assert set(fr.suggests) <= set(CATEGORY_LABELS), fr.key
    for suggests in block_rules.SUGGESTS.values():
        assert set(suggests) <= set(CATEGORY_LABELS)
