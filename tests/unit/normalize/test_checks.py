"""The single-report check rules on hand-built reports: each rule passes on consistent tables and
reports the exact numbers, with the official labels, when a table contradicts itself."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nianbao.extract.model import Provenance
from nianbao.normalize.checks import RULES, SCOPE_REPORT, SCOPE_WAREHOUSE, run_checks
from nianbao.normalize.model import ActiveValue, AppealValue, ApplicationValue, CheckResult, Report
from nianbao.spec import APPEAL_OUTCOMES, APPEAL_PROCEEDINGS, SPEC, V2021_ONLY_ROWS

APPLICANTS = list(SPEC.applicants)
OUTCOME_ROWS = [r for r in SPEC.application_rows if r not in ("received", "carried_in", "results_total",
                                                              "carried_out")]

# Non-zero cells per applicant column, v2021 codes; the 自然人 and 商业企业 columns follow
# 上海市政府办公厅 2019 (SPEC.md §5): 821+18 = 767+72 and 35+0 = 35+0. Totals are computed.
BASE: dict[str, dict[str, int]] = {
    "natural_person": {
        "received": 821, "carried_in": 18, "carried_out": 72,
        "granted": 400, "partly_granted": 100,
        "withheld_state_secret": 2, "withheld_third_party": 15, "withheld_process_info": 20,
        "unavailable_not_held": 150, "unavailable_needs_creation": 30, "unavailable_unclear": 10,
        "rejected_petition": 20, "rejected_duplicate": 10,
        "other_no_correction": 6, "other_misc": 4,
    },
    "commercial_enterprise": {
        "received": 35, "granted": 20, "partly_granted": 5, "unavailable_not_held": 8, "other_misc": 2,
    },
    "research_institution": {},
    "social_welfare_org": {},
    "legal_service_org": {"received": 2, "granted": 2},
    "other_org": {"received": 1, "unavailable_not_held": 1},
}
APPEALS = {  # 上海 2019: 行政复议 5+0+0+2 = 7; 未经复议直接起诉 8+0+0+1 = 9
    "review": {"upheld": 5, "corrected": 0, "other": 0, "pending": 2},
    "litigation_direct": {"upheld": 8, "corrected": 0, "other": 0, "pending": 1},
    "litigation_after_review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 0},
}

Cell = tuple[str, str]


def prov(row: str, col: str) -> Provenance:
    return Provenance(document="test.html", locator=f"{row}/{col}", table=2)


def application_values(
    shape: str = "v2021", overrides: dict[Cell, int | None] | None = None, drop: tuple[Cell, ...] = ()
) -> tuple[ApplicationValue, ...]:
    """A consistent section 三 in the given row shape (v2019: one （六） row), then `overrides`
    (value or None for a blank cell) and `drop` (cells absent altogether)."""
    rows = SPEC.application_rows_for(shape)
    grid: dict[Cell, int | None] = {}
    for applicant, cells in BASE.items():
        values = {row: cells.get(row, 0) for row in rows}
        if shape == "v2019":
            values["other_handling"] = sum(cells.get(r, 0) for r in V2021_ONLY_ROWS)
        values["results_total"] = sum(values[r] for r in rows if r in OUTCOME_ROWS)
        assert values["received"] + values["carried_in"] == values["results_total"] + values["carried_out"]
        grid.update({(row, applicant): value for row, value in values.items()})
    for row in rows:
        grid[(row, "total")] = sum(grid[(row, a)] for a in BASE)  # type: ignore[misc]
    grid.update(overrides or {})
    return tuple(
        ApplicationValue(row, applicant, grid[(row, applicant)], provenance=prov(row, applicant))
        for row in rows for applicant in APPLICANTS
        if (row, applicant) not in drop
    )


def appeal_values(overrides: dict[Cell, int | None] | None = None) -> tuple[AppealValue, ...]:
    grid: dict[Cell, int | None] = {}
    for proceeding, cells in APPEALS.items():
        grid.update({(proceeding, o): v for o, v in cells.items()})
        grid[(proceeding, "total")] = sum(cells.values())
    grid.update(overrides or {})
    return tuple(
        AppealValue(p, o, grid[(p, o)], provenance=prov(p, o)) for p in APPEAL_PROCEEDINGS for o in APPEAL_OUTCOMES
    )


def make_report(
    version: str = "v2021",
    year: int | None = 2022,
    applications: tuple[ApplicationValue, ...] | None = None,
    appeals: tuple[AppealValue, ...] | None = None,
    version_evidence: dict[str, str] | None = None,
) -> Report:
    active = (
        ActiveValue("art20_1", "rules", "issued", Decimal(3), provenance=prov("art20_1", "issued")),
        ActiveValue("art20_5", "licensing", "decisions", Decimal(120), provenance=prov("art20_5", "decisions")),
    )
    return Report(
        source="test.html", title=f"{year}年政府信息公开工作年度报告", agency="测试市人民政府办公室",
        agency_in_title=None, year=year, template_version=version,
        version_evidence=version_evidence if version_evidence is not None else {"active.art20_1": version},
        applications=application_values(version) if applications is None else applications,
        active=active,
        appeals=appeal_values() if appeals is None else appeals,
        sections_found=tuple(SPEC.sections),
        # Published on time (a government's office: 31 March), so TIMELINESS stays quiet.
        published_on=date(year + 1, 3, 20) if year is not None else None,
    )


def results_of(report: Report, rule: str) -> list[CheckResult]:
    return [r for r in run_checks(report) if r.rule == rule]


def key(result: CheckResult) -> tuple:
    return (result.rule, result.severity, result.subject, result.expected, result.actual)


# ---------------------------------------------------------------------------- registry


def test_registry_lists_every_rule_of_the_template_in_order():
    single = ["T3_STATED", "T3_ROW_TOTAL", "T3_RESULTS_SUM", "T3_BOUNDS", "T4_TOTALS", "FMT_VERSION", "TEXT_TABLE",
              "FMT_STRUCTURE", "TIMELINESS"]
    over_warehouse = ["T3_CROSS_YEAR", "T2_STOCK_CROSS_YEAR", "T2_V2019_CROSS_YEAR", "DUPLICATION"]
    assert list(RULES) == single + over_warehouse
    assert set(RULES) == set(SPEC.rules)
    for rule_id, rule in RULES.items():
        assert rule.id == rule_id
        assert rule.severity == SPEC.rules[rule_id].severity
        assert rule.scope == (SCOPE_REPORT if rule_id in single else SCOPE_WAREHOUSE)
        assert rule.description.isascii() and rule.description


@pytest.mark.parametrize("version,year,shape", [
    ("v2021", 2022, "v2021"),
    ("v2019", 2019, "v2019"),
    ("v2019", 2020, "v2019"),
    ("v2021", 2023, "v2019"),  # v2021 report with the single （六）其他处理 row
])
def test_consistent_reports_pass_every_rule(version, year, shape):
    report = make_report(version, year, applications=application_values(shape))
    assert run_checks(report) == []


# ---------------------------------------------------------------------------- T3_STATED


def test_t3_stated_violation_names_both_sides():
    apps = application_values(overrides={("received", "natural_person"): 823, ("received", "total"): 861})
    results = run_checks(make_report(applications=apps))
    assert [key(r) for r in results] == [
        ("T3_STATED", "error", "natural_person", Decimal(841), Decimal(839)),
        ("T3_STATED", "error", "total", Decimal(879), Decimal(877)),
    ]
    assert results[0].message == (
        "「自然人」列：一、本年新收政府信息公开申请数量(823) + 二、上年结转政府信息公开申请数量(18) = 841，"
        "但（七）总计(767) + 四、结转下年度继续办理(72) = 839，不相等。"
    )
    assert results[0].evidence == tuple(
        prov(row, "natural_person") for row in ("received", "carried_in", "results_total", "carried_out")
    )


def test_t3_stated_blank_term_is_info_not_checkable_once():
    apps = application_values(overrides={("carried_in", "natural_person"): None})
    results = results_of(make_report(applications=apps), "T3_STATED")
    assert [key(r) for r in results] == [("T3_STATED", "info", "natural_person", None, None)]
    assert "「自然人」列" in results[0].message
    assert "二、上年结转政府信息公开申请数量为空" in results[0].message
    assert "无法核验" in results[0].message


def test_absent_cell_reads_like_blank():
    apps = application_values(drop=(("carried_out", "legal_service_org"),))
    results = run_checks(make_report(applications=apps))
    assert {r.severity for r in results} == {"info"}
    assert ("T3_STATED", "legal_service_org") in {(r.rule, r.subject) for r in results}
    assert ("T3_ROW_TOTAL", "carried_out") in {(r.rule, r.subject) for r in results}


# ---------------------------------------------------------------------------- T3_ROW_TOTAL


def test_t3_row_total_violation():
    apps = application_values(overrides={("granted", "total"): 423})
    results = results_of(make_report(applications=apps), "T3_ROW_TOTAL")
    assert [key(r) for r in results] == [("T3_ROW_TOTAL", "error", "granted", Decimal(422), Decimal(423))]
    message = results[0].message
    assert message.startswith("「（一）予以公开」行：自然人(400) + 法人或其他组织·商业企业(20) + ")
    assert "法人或其他组织·法律服务机构(2)" in message
    assert message.endswith("= 422，但总计为423，不相等。")
    assert len(results[0].evidence) == 7


def test_shanghai_style_blank_totals_on_sub_rows_give_info_only():
    # 上海 2019 leaves 总计 blank on every numbered outcome sub-row.
    sub_rows = [r for r in SPEC.application_rows_for("v2019") if SPEC.row_label(r) != SPEC.application_rows[r]]
    apps = application_values("v2019", overrides={(r, "total"): None for r in sub_rows})
    results = run_checks(make_report("v2019", 2019, applications=apps))
    assert {r.severity for r in results} == {"info"}
    row_total = [r for r in results if r.rule == "T3_ROW_TOTAL"]
    assert [r.subject for r in row_total] == sub_rows
    assert row_total[0].message.startswith("「（三）不予公开1.属于国家秘密」行：总计为空")
    assert [(r.rule, r.subject) for r in results if r.rule != "T3_ROW_TOTAL"] == [("T3_RESULTS_SUM", "total")]


# ---------------------------------------------------------------------------- T3_RESULTS_SUM


def test_t3_results_sum_violation_names_non_zero_terms():
    apps = application_values(overrides={
        ("withheld_third_party", "natural_person"): 16, ("withheld_third_party", "total"): 16,
    })
    results = results_of(make_report(applications=apps), "T3_RESULTS_SUM")
    assert [key(r) for r in results] == [
        ("T3_RESULTS_SUM", "error", "natural_person", Decimal(768), Decimal(767)),
        ("T3_RESULTS_SUM", "error", "total", Decimal(806), Decimal(805)),
    ]
    message = results[0].message
    assert message.startswith("「自然人」列：（一）予以公开(400) + ")
    assert "（三）不予公开4.保护第三方合法权益(16)" in message
    assert "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请(6)" in message
    assert "（其余9项均为0） = 768，但（七）总计为767，不相等。" in message
    assert len(results[0].evidence) == 22  # 21 outcome rows + （七）总计


def test_t3_results_sum_single_other_row_in_v2021_report():
    apps = application_values("v2019", overrides={("other_handling", "natural_person"): 11,
                                                  ("other_handling", "total"): 13})
    report = make_report("v2021", 2022, applications=apps)
    results = results_of(report, "T3_RESULTS_SUM")
    assert [key(r) for r in results] == [
        ("T3_RESULTS_SUM", "error", "natural_person", Decimal(768), Decimal(767)),
        ("T3_RESULTS_SUM", "error", "total", Decimal(806), Decimal(805)),
    ]
    assert "（六）其他处理(11)" in results[0].message


# ---------------------------------------------------------------------------- T3_BOUNDS


def test_t3_bounds_negative_cell():
    apps = application_values(overrides={("rejected_duplicate", "research_institution"): -1})
    results = results_of(make_report(applications=apps), "T3_BOUNDS")
    assert [key(r) for r in results] == [
        ("T3_BOUNDS", "error", "rejected_duplicate:research_institution", Decimal(0), Decimal(-1)),
    ]
    assert results[0].message == "「（五）不予处理2.重复申请」行「法人或其他组织·科研机构」列的值为-1，应为不小于0的整数。"
    assert results[0].evidence == (prov("rejected_duplicate", "research_institution"),)


@pytest.mark.parametrize("row,label", [("results_total", "（七）总计"), ("carried_out", "四、结转下年度继续办理")])
def test_t3_bounds_more_out_than_in(row, label):
    apps = application_values(overrides={(row, "natural_person"): 900})
    results = results_of(make_report(applications=apps), "T3_BOUNDS")
    assert [key(r) for r in results] == [("T3_BOUNDS", "error", "natural_person", Decimal(839), Decimal(900))]
    assert results[0].message.startswith(
        f"「自然人」列：{label}(900)大于一、本年新收政府信息公开申请数量(821) + "
        "二、上年结转政府信息公开申请数量(18) = 839，"
    )


def test_t3_bounds_does_not_repeat_a_stated_mismatch_that_keeps_the_inequalities():
    apps = application_values(overrides={("received", "natural_person"): 823, ("received", "total"): 861})
    assert results_of(make_report(applications=apps), "T3_BOUNDS") == []


# ---------------------------------------------------------------------------- T4_TOTALS


def test_t4_totals_violation():
    results = run_checks(make_report(appeals=appeal_values({("review", "total"): 8})))
    assert [key(r) for r in results] == [("T4_TOTALS", "error", "review", Decimal(7), Decimal(8))]
    assert results[0].message == "「行政复议」：结果维持(5) + 结果纠正(0) + 其他结果(0) + 尚未审结(2) = 7，但总计为8，不相等。"
    assert len(results[0].evidence) == 5


def test_t4_totals_blank_is_info():
    results = run_checks(make_report(appeals=appeal_values({("litigation_after_review", "pending"): None})))
    assert [key(r) for r in results] == [("T4_TOTALS", "info", "litigation_after_review", None, None)]
    assert "「行政诉讼 / 复议后起诉」：尚未审结为空" in results[0].message


# ---------------------------------------------------------------------------- absent tables


def test_absent_applications_section_gives_one_info_per_rule():
    report = make_report(applications=())
    report = Report(**{**report.__dict__, "sections_found": ("overview", "active", "appeals")})
    results = run_checks(report)
    assert [key(r) for r in results] == [
        (rule, "info", "applications", None, None)
        for rule in ("T3_STATED", "T3_ROW_TOTAL", "T3_RESULTS_SUM", "T3_BOUNDS")
    ]
    assert all("三、收到和处理政府信息公开申请情况" in r.message for r in results)
    assert all("报告中未找到该部分" in r.message for r in results)


def test_absent_appeals_table_gives_one_info():
    results = run_checks(make_report(appeals=()))
    assert [key(r) for r in results] == [("T4_TOTALS", "info", "appeals", None, None)]
    assert "该部分没有可识别的表格" in results[0].message  # the section heading was found


def test_all_blank_appeals_table_gives_one_info():
    blank = appeal_values({(p, o): None for p in APPEAL_PROCEEDINGS for o in APPEAL_OUTCOMES})
    results = run_checks(make_report(appeals=blank))
    assert [key(r) for r in results] == [("T4_TOTALS", "info", "appeals", None, None)]
    assert "表格各单元格均为空" in results[0].message


# ---------------------------------------------------------------------------- FMT_VERSION


def test_fmt_version_old_labels_in_2022_report_is_error():
    evidence = {"active.art20_1": "v2019", "active.art20_5": "v2019", "applications.other": "v2019"}
    report = make_report("v2019", 2022, applications=application_values("v2019"), version_evidence=evidence)
    results = run_checks(report)
    assert [key(r) for r in results] == [("FMT_VERSION", "error", "template_version", None, None)]
    message = results[0].message
    assert message.startswith("2022年度报告的第二十条第（一）项、第二十条第（五）项使用了2019版格式")
    assert "（六）其他处理" not in message
    assert "2021版格式" in message
    assert results[0].evidence == (prov("art20_1", "issued"), prov("art20_5", "decisions"))


def test_fmt_version_new_labels_in_2019_report_is_info():
    report = make_report("v2021", 2019, version_evidence={"active.art20_1": "v2021"})
    assert [key(r) for r in run_checks(report)] == [("FMT_VERSION", "info", "template_version", None, None)]


def test_fmt_version_new_labels_in_2020_report_is_error():
    report = make_report("v2021", 2020, version_evidence={"applications.other": "v2021"})
    results = run_checks(report)
    assert [key(r) for r in results] == [("FMT_VERSION", "error", "template_version", None, None)]
    assert "2020年度报告的（六）其他处理使用了2021版格式" in results[0].message


def test_fmt_version_accepts_single_other_row_in_v2021_report():
    evidence = {"active.art20_1": "v2021", "active.art20_5": "v2021", "applications.other": "v2019"}
    report = make_report("v2021", 2022, applications=application_values("v2019"), version_evidence=evidence)
    assert run_checks(report) == []


def test_fmt_version_unknown_year_gives_nothing():
    report = make_report("v2019", None, applications=application_values("v2019"),
                         version_evidence={"active.art20_1": "v2019"})
    assert results_of(report, "FMT_VERSION") == []


# ---------------------------------------------------------------------------- general


def test_results_are_decimal_and_in_registry_order():
    apps = application_values(overrides={("granted", "total"): 423, ("received", "other_org"): -1})
    report = make_report("v2019", 2022, applications=apps, version_evidence={"active.art20_1": "v2019"},
                         appeals=appeal_values({("review", "total"): 8}))
    results = run_checks(report)
    order = list(RULES)
    assert [order.index(r.rule) for r in results] == sorted(order.index(r.rule) for r in results)
    assert {r.rule for r in results} == {"T3_STATED", "T3_ROW_TOTAL", "T3_RESULTS_SUM", "T3_BOUNDS", "T4_TOTALS",
                                         "FMT_VERSION"}
    for r in results:
        assert r.expected is None or type(r.expected) is Decimal
        assert r.actual is None or type(r.actual) is Decimal
