"""The format's version facts and the rules' scope and order are data (template.yaml, checks.yaml),
read by nianbao.spec; these are the answers the code asks it for."""

from __future__ import annotations

import pytest

from nianbao.spec import APPLICATION_ROW_GROUPS, SPEC, V2019_ONLY_ROWS, V2021_ONLY_ROWS, _rule_order


@pytest.mark.parametrize(("year", "version"), [(2017, "v2019"), (2019, "v2019"), (2020, "v2019"), (2021, "v2021"),
                                               (2025, "v2021")])
def test_a_report_year_follows_the_latest_version_it_reached(year, version):
    assert SPEC.version_for_year(year) == version


def test_the_2019_format_was_only_encouraged_for_2019_and_old_formats_come_before():
    assert [y for y in (2018, 2019, 2020, 2021) if SPEC.only_encouraged(y)] == [2018, 2019]
    assert SPEC.first_format_year() == 2019


def test_version_only_rows_and_the_rows_of_each_version():
    assert V2019_ONLY_ROWS == ("other_handling",)
    assert V2021_ONLY_ROWS == ("other_no_correction", "other_fee_unpaid", "other_misc")
    assert SPEC.application_rows_for("v2019")[-4:] == ["rejected_confirmation", "other_handling", "results_total",
                                                       "carried_out"]
    assert len(SPEC.application_rows_for("v2019")) == 23 and len(SPEC.application_rows_for("v2021")) == 25


def test_row_groups_name_the_merged_label_cell_of_each_row():
    assert APPLICATION_ROW_GROUPS["other_handling"] == "results"
    assert APPLICATION_ROW_GROUPS["other_misc"] == "other"
    assert "received" not in APPLICATION_ROW_GROUPS and "carried_out" not in APPLICATION_ROW_GROUPS
    assert SPEC.row_label("withheld_state_secret") == "（三）不予公开1.属于国家秘密"
    assert SPEC.row_label("granted") == "（一）予以公开"


def test_rules_run_report_scope_first_in_checks_yaml_order():
    assert SPEC.rule_order[:2] == ("T3_STATED", "T3_ROW_TOTAL")
    assert [SPEC.rules[r].scope for r in SPEC.rule_order] == ["report"] * 9 + ["warehouse"] * 4
    assert SPEC.tolerated_version_parts == {"v2019": ("applications.other",)}


@pytest.mark.parametrize("order", [
    {"report": ["A"], "warehouse": []},  # B missing
    {"report": ["A", "B"], "warehouse": ["B"]},  # B twice
    {"report": ["A", "B", "C"]},  # C unknown
])
def test_every_rule_must_be_ordered_exactly_once(order):
    template = {"rules": [{"id": "A"}, {"id": "B"}]}
    with pytest.raises(ValueError, match="rule_order"):
        _rule_order(template, {"rule_order": order})


def test_a_document_status_with_its_name():
    assert SPEC.status_label("ok") == "ok 正常"
    assert SPEC.status_label("unheard_of") == "unheard_of"
