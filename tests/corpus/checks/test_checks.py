"""The narrative, structure and timeliness rules on realistic reports (tests/files/checks, made by
make_check_fixtures.py): each rule's violation with its exact numbers, message and evidence,
and the traps that must not be flagged (county-wide figures, another year, blank totals, a
government's later deadline, unknown dates)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from nianbao.normalize.checks import run_checks
from nianbao.pipeline import process_document
from tests.helpers.expected import differences, expected_files
from tests.paths import CHECK_FILES, CHECK_QUIRKS, CHECK_VERSIONS, HOLDOUTS, REPO, SAMPLES

FILES = CHECK_FILES
VERSIONS = CHECK_VERSIONS
HOLDOUT = HOLDOUTS[0]
QUIRKS = CHECK_QUIRKS
NEW_RULES = ("TEXT_TABLE", "FMT_STRUCTURE", "TIMELINESS")


def flags(name: str, folder: Path = FILES, rules: tuple[str, ...] = NEW_RULES) -> list[tuple]:
    result = process_document(folder / name)
    assert result.status == "ok", result.error
    return [(c.rule, c.severity, c.subject, c.expected, c.actual, c.message, [p.describe() for p in c.evidence])
            for c in result.checks if c.rule in rules]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_check_fixtures", REPO / "tests" / "fixtures" / "make_checks.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_check_fixtures"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop("make_check_fixtures", None)
        sys.modules.pop("make_samples", None)
    return module


def test_generator_is_deterministic_and_matches_the_committed_fixtures(tmp_path: Path) -> None:
    module = _generator()
    sys.modules["make_check_fixtures"] = module  # its dataclasses are resolved while generating
    try:
        written = module.generate(tmp_path / FILES.name, tmp_path / VERSIONS.name, tmp_path / QUIRKS.name)
    finally:
        sys.modules.pop("make_check_fixtures", None)
    assert len(written) == 50 + 32
    for name in written:
        assert (tmp_path / name).read_bytes() == (FILES.parent / name).read_bytes(), f"{name} differs: re-run the script"
    committed = {f"{p.parent.name}/{p.name}" for folder in (FILES, VERSIONS, QUIRKS) for p in folder.iterdir()}
    assert committed == set(written)


@pytest.mark.parametrize("expected", expected_files(FILES, VERSIONS, QUIRKS), ids=lambda p: p.name)
def test_fixture_exact(expected: Path) -> None:
    """Every cell, and every single-report flag (error and warn) of every rule: no error or warning
    the document does not earn (a structure warning on a reworded heading, TIMELINESS on a zone)."""
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
         "县级以上人民政府部门应当在每年1月31日前向社会公布本行政机关上一年度政府信息公开工作年度报告）。"
          "期限的依据：发布机关「信丰县农业农村局」是政府部门。"),
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
         "无法核验是否在政府部门的公布期限2023年1月31日前发布，仅作提示。期限的依据：发布机关「信丰县交通运输局」是政府部门。"),
         [])]


# ---------------------------------------------------------------------------- quirks (issue 11)


@pytest.mark.parametrize("name,kind,basis", [
    ("xinfeng_gxq_2022_zone_title.html", "government",
     "标题以区域「信丰高新技术产业园区」而非其中某一机关为发布者，报告涵盖全区"),
    ("xinfeng_gxq_2021_whole_zone.html", "government",
     ("「信丰高新技术产业园区管理委员会」是信丰高新技术产业园区的管理机构，报告汇总全区："
     "“…真贯彻落实《中华人民共和国政府信息公开条例》，全区政府信息公开工作围绕园区建设和企业服务，不断提高政府信息公开"
     "工作水平。”")),
    ("xinfeng_gxq_2023_uncertain.html", "other",
     ("「信丰高新技术产业园区管理委员会」是信丰高新技术产业园区的管理机构，报告未说明是否汇总全区，"
     "不能确定按政府还是部门的期限")),
    ("xinfeng_fgw_2022_fee_six.html", "department", "发布机关「信丰县发展和改革委员会」是政府部门"),
])
def test_issuer_kind_is_read_from_the_report(name, kind, basis):
    report = process_document(QUIRKS / name).report
    assert (report.issuer_kind, report.issuer_basis) == (kind, basis)


def test_a_zone_report_published_in_march_is_not_late():
    """A zone's report on the whole zone has a government's deadline (3月31日), not a department's."""
    for name in ("xinfeng_gxq_2022_zone_title.html", "xinfeng_gxq_2021_whole_zone.html"):
        assert flags(name, folder=QUIRKS, rules=("TIMELINESS",)) == []


def test_an_uncertain_issuer_kind_is_only_info():
    found = flags("xinfeng_gxq_2023_uncertain.html", folder=QUIRKS, rules=("TIMELINESS",))
    assert [f[:5] for f in found] == [("TIMELINESS", "info", "published_on", Decimal(20240131), Decimal(20240308))]
    assert found[0][5] == (
        "2023年度报告的发布日期为2024-03-08。发布机关类别不能确定（「信丰高新技术产业园区管理委员会」是信丰高新技术产业园区"
        "的管理机构，报告未说明是否汇总全区，不能确定按政府还是部门的期限）：政府部门的公布期限为2024年1月31日，"
        "本级政府年度报告为2024年3月31日，仅作提示。")


def test_the_whole_zone_sentence_is_evidence_of_the_deadline():
    result = process_document(QUIRKS / "xinfeng_gxq_2021_whole_zone.html")
    report = replace(result.report, published_on=date(2022, 4, 6))  # late even for a government
    (flag,) = [c for c in run_checks(report) if c.rule == "TIMELINESS"]
    assert (flag.severity, flag.expected) == ("error", Decimal(20220331))
    assert flag.message.endswith("期限的依据：" + report.issuer_basis + "。")
    assert [p.describe() for p in flag.evidence] == [report.published_on_provenance.describe(),
                                                     report.issuer_provenance.describe()]


def test_every_heading_variant_of_the_spec_is_in_the_quirk_corpus():
    """The variants in template.yaml are the ones the regression corpus prints, each read as its section."""
    from nianbao.normalize.sections import section_of_heading
    from nianbao.spec import SPEC

    module = _generator()
    printed = {text for variants in module.HEADING_VARIANTS.values() for text in variants}
    codes = list(SPEC.sections)
    for code, variants in SPEC.section_variants.items():
        numeral = "一二三四五六"[codes.index(code)]
        for variant in variants:
            assert f"{numeral}、{variant}" in printed, variant
    for text in printed:
        assert section_of_heading(text) == codes["一二三四五六".index(text[0])], text


def test_the_two_row_section_four_header_is_read_in_the_official_order():
    report = process_document(QUIRKS / "xinfeng_gxj_2020_t4_two_rows.html").report
    direct = report.appeal("litigation_direct", "upheld")
    assert direct.value is not None and direct.null_reason is None
    assert direct.note == "read in the official column order under its group header (outcome labels not printed)"
    assert report.appeal("review", "upheld").note is None
    assert report.status == "ok"
