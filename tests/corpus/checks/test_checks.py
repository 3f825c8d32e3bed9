"""The narrative, structure and timeliness rules on realistic reports (tests/files/checks, made by
make_check_fixtures.py): each rule's violation with its exact numbers, message and evidence,
and the traps that must not be flagged (county-wide figures, another year, blank totals, a
government's later deadline, unknown dates)."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.pipeline import process_document
from tests.helpers.expected import differences, expected_files
from tests.paths import CHECK_FILES, CHECK_VERSIONS, HOLDOUTS, REPO, SAMPLES

FILES = CHECK_FILES
VERSIONS = CHECK_VERSIONS
HOLDOUT = HOLDOUTS[0]
NEW_RULES = ("TEXT_TABLE", "FMT_STRUCTURE", "TIMELINESS")


def flags(name: str, folder: Path = FILES, rules: tuple[str, ...] = NEW_RULES) -> list[tuple]:
    result = process_document(folder / name)
    assert result.status == "ok", result.error
    return [(c.rule, c.severity, c.subject, c.expected, c.actual, c.message, [p.describe() for p in c.evidence])
            for c in result.checks if c.rule in rules]


def test_generator_is_deterministic_and_matches_the_committed_fixtures(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_check_fixtures", REPO / "tests" / "fixtures" / "make_checks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_check_fixtures"] = module
    try:
        spec.loader.exec_module(module)
        written = module.generate(tmp_path / FILES.name, tmp_path / VERSIONS.name)
    finally:
        sys.modules.pop("make_check_fixtures", None)
        sys.modules.pop("make_samples", None)
    assert len(written) == 50
    for name in written:
        assert (tmp_path / name).read_bytes() == (FILES.parent / name).read_bytes(), f"{name} differs: re-run the script"
    committed = {f"{p.parent.name}/{p.name}" for folder in (FILES, VERSIONS) for p in folder.iterdir()}
    assert committed == set(written)


@pytest.mark.parametrize("expected", expected_files(FILES, VERSIONS), ids=lambda p: p.name)
def test_fixture_exact(expected: Path) -> None:
    """Every cell, and every single-report flag (error and warn) of every rule."""
    assert differences(expected) == []


# ---------------------------------------------------------------------------- TEXT_TABLE


def test_text_table_flags_the_figures_the_overview_misstates():
    assert flags("xinfeng_scjgj_2022_text.html", rules=("TEXT_TABLE",)) == [
        ("TEXT_TABLE", "warn", "received", Decimal(13), Decimal(16),
         "「一、总体情况」写明“全年共收到政府信息公开申请16件”，但表格「一、本年新收政府信息公开申请数量」「总计」为13，不一致。",
         ["/html/body/div[4]/div[3]/p[6]", "table 2, row 4, column 10"]),
        ("TEXT_TABLE", "warn", "review", Decimal(0), Decimal(1),
         "「一、总体情况」写明“全年因政府信息公开工作被申请行政复议1件”，但表格「行政复议」总计为0，不一致。",
         ["/html/body/div[4]/div[3]/p[12]", "table 3, row 4, column 5"]),
    ]


def test_text_table_ignores_county_wide_figures_other_years_sub_counts_and_reads_blank_totals():
    # 全县各级行政机关共收到…356件, 2021年收到申请…, 其中通过网络平台收到…, and a blank 总计 of 一、.
    result = process_document(FILES / "xinfeng_jyj_2022_traps.html")
    received = result.report.application("received", "total")
    assert (received.value, received.raw) == (None, "")
    assert [c for c in result.checks if c.rule == "TEXT_TABLE"] == []


def test_text_table_compares_every_figure_of_a_consistent_overview():
    """The hold-out h03 states six figures (受理49, 上年度结转4, 办结49, 结转4, 复议4, 诉讼3): all agree."""
    from nianbao.normalize.narrative import stated_figures

    report = process_document(HOLDOUT / "h03_shouguang_zjj_2022.html").report
    figures = stated_figures(report.overview, report.year)
    assert {code: f.value for code, f in figures.items()} == {
        "received": 49, "carried_in": 4, "results_total": 49, "carried_out": 4, "review": 4, "litigation": 3}
    assert [c for c in process_document(HOLDOUT / "h03_shouguang_zjj_2022.html").checks
            if c.rule == "TEXT_TABLE"] == []


# ---------------------------------------------------------------------------- FMT_STRUCTURE


def test_fmt_structure_missing_section_units_in_cells_and_last_years_end_as_now():
    found = flags("xinfeng_rsj_2022_structure.html", rules=("FMT_STRUCTURE",))
    assert [f[:6] for f in found] == [
        ("FMT_STRUCTURE", "warn", "other_matters", None, None, "报告缺少「六、其他需要报告的事项」部分。"),
        ("FMT_STRUCTURE", "warn", "applications", None, None,
         "「三、收到和处理政府信息公开申请情况」有175个数字单元格把单位写在格内（18件、0件、0件），官方格式只在表头标注单位。"),
        ("FMT_STRUCTURE", "warn", "overview", None, None,
         "2022年度报告写有“截至2021年底，我局现行有效的规范性文件共18件”，把2021年底说成当前，像是沿用了2021年度报告的文字。"),
    ]
    assert len(found[1][6]) == 175 and found[1][6][0] == "table 2, row 4, column 4"
    assert found[2][6] == ["/html/body/div/div/p[4]"]


def test_fmt_structure_heading_without_table():
    assert flags("xinfeng_sjj_2022_no_table.html", rules=("FMT_STRUCTURE",)) == [
        ("FMT_STRUCTURE", "warn", "appeals", None, None, "「四、政府信息公开行政复议、行政诉讼情况」只有标题，没有统计表格。",
         ["/html/body/div/div/p[15]"])]


def test_fmt_structure_township_reporting_rules():
    assert flags("xinfeng_xtz_2022_township.html", rules=("FMT_STRUCTURE",)) == [
        ("FMT_STRUCTURE", "warn", "active", None, None,
         "乡镇（街道）不制定规章，但「第二十条第（一）项·规章」填写了本年制发件数 1、现行有效件数 2。",
         ["table 1, row 3, column 2", "table 1, row 3, column 4"])]


def test_fmt_structure_added_subtotal_column():
    assert flags("h03_shouguang_zjj_2022.html", HOLDOUT, ("FMT_STRUCTURE",)) == [
        ("FMT_STRUCTURE", "warn", "applications", None, None,
         "「三、收到和处理政府信息公开申请情况」表格增加了官方格式没有的列「法人或其他组织小计」（已忽略，未计入数据）。",
         ["table 2, row 3, column 8"])]


@pytest.mark.parametrize("name", ["xinfeng_jtj_2021.html", "xinfeng_scjgj_2022_text.html", "xinfeng_zf_2022.html"])
def test_fmt_structure_passes_a_complete_report(name):
    assert flags(name, rules=("FMT_STRUCTURE",)) == []


def test_fmt_structure_is_info_for_2019_reports():
    assert {c.severity for c in process_document(SAMPLES / "pingwu_zf_2019_chrome.html")
            .checks if c.rule == "FMT_STRUCTURE"} == {"info"}


# ---------------------------------------------------------------------------- TIMELINESS


def test_timeliness_department_published_after_31_january():
    assert flags("xinfeng_nyncj_2022_late.html", rules=("TIMELINESS",)) == [
        ("TIMELINESS", "error", "published_on", Decimal(20230131), Decimal(20230220),
         ("2022年度报告的发布日期为2023-02-20，晚于政府部门的公布期限2023年1月31日（《政府信息公开条例》第四十九条："
         "县级以上人民政府部门应当在每年1月31日前向社会公布本行政机关上一年度政府信息公开工作年度报告）。"),
         ["table 1, row 2, column 2"])]


def test_timeliness_signed_after_the_deadline_without_a_publication_date():
    found = flags("xinfeng_mzj_2022_signed_late.html", rules=("TIMELINESS",))
    assert [f[:5] for f in found] == [("TIMELINESS", "error", "signed_on", Decimal(20230131), Decimal(20230210))]
    assert found[0][5].startswith("2022年度报告的成文日期为2023-02-10，已晚于政府部门的公布期限2023年1月31日，不可能按时发布")


def test_timeliness_government_report_has_until_31_march():
    result = process_document(FILES / "xinfeng_zf_2022.html")
    assert str(result.report.published_on) == "2023-03-28"
    assert [c for c in result.checks if c.rule == "TIMELINESS"] == []


def test_timeliness_unknown_date_is_not_checkable():
    assert flags("xinfeng_jtj_2022_nodate.html", rules=("TIMELINESS",)) == [
        ("TIMELINESS", "info", "published_on", Decimal(20230131), None,
         ("未找到2022年度报告的发布日期（页面的发布日期/发布时间、网页元数据、附件所在页面），"
         "无法核验是否在政府部门的公布期限2023年1月31日前发布，仅作提示。"), [])]
