#!/usr/bin/env python3
"""Generate the fixtures of the narrative, structure, timeliness, cross-year and duplication
rules: realistic reports of the agencies of 江西省赣州市信丰县 (and one of 安远县), each with a
`<stem>.expected.json` in the corpus shape, and the versions of one report in `versions/`.

    .venv/bin/python tests/checks/make_check_fixtures.py     # rewrites tests/checks/files/, versions/, quirks/

The documents are drawn with the sample generator (scripts/make_samples.py: same layouts, same
narrative pools), deterministic, and nianbao is not imported: the fixtures are a yardstick.
Each document states in `notes` what it violates and which trap it sets. `quirks/` is the regression
corpus of what real reports print and a reader once got wrong (issue 11): fees with six decimals, zone
管委会 reports published in March, every heading variant, a two-row section 四 header. Expected flags:
  - the arithmetic rules, recomputed by make_samples.check();
  - the cross-year rules, recomputed here from the expected values of consecutive years;
  - TEXT_TABLE, FMT_STRUCTURE, TIMELINESS and DUPLICATION, as each document intends them.
"""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FILES = HERE / "files"
VERSIONS = HERE / "versions"
QUIRKS = HERE / "quirks"
REGION = "江西省赣州市信丰县"


def _make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module  # dataclasses need the module registered
    spec.loader.exec_module(module)
    return module


MS = _make_samples()
APPLICANTS = MS.APPLICANTS
SIX = MS.SIX


def dept(name: str, agency: str, category: str, year: int, **kw: Any) -> Any:
    kw.setdefault("profile", {})
    kw["profile"] = {"natural": (10, 30), "org": 1, "licensing": (50, 300), "penalties": (5, 60),
                     "coercion": (0, 5), "fees": 0, **kw["profile"]}
    kw.setdefault("signed", f"{year + 1}-01-18")
    return MS.Doc(name=name, fmt=kw.pop("fmt", "html"), agency=agency, region=kw.pop("region", REGION),
                  category=category, year=year, version=kw.pop("version", "v2021" if year >= 2021 else "v2019"),
                  kind=kw.pop("kind", "dept"), we=kw.pop("we", "我局"),
                  title=kw.pop("title", f"{agency}{year}年政府信息公开工作年度报告"), **kw)


# ----------------------------------------------------------------------------- mutations
def text_mismatch(doc: Any) -> None:
    """The narrative says 3 more requests than the table, and one more 行政复议."""
    a = doc.apps
    r, ci, rt, co = (a[k]["total"] for k in ("received", "carried_in", "results_total", "carried_out"))
    rv = doc.appeals["review"]["total"]
    doc.profile["paragraphs"] = {"requests": (
        f"全年共收到政府信息公开申请{r + 3}件，上年结转{ci}件，已按照法定时限和程序答复{rt}件，"
        f"结转下年度继续办理{co}件。")}
    doc.profile["quote_appeals"] = False
    doc.profile["append"] = {"supervise": f"全年因政府信息公开工作被申请行政复议{rv + 1}件，未发生行政诉讼。"}


def text_traps(doc: Any) -> None:
    """Consistent figures beside figures about other bodies, another year and a sub-count."""
    a = doc.apps
    r, ci, rt, co = (a[k]["total"] for k in ("received", "carried_in", "results_total", "carried_out"))
    doc.profile["paragraphs"] = {"requests": (
        f"全年共收到政府信息公开申请{r}件，上年结转{ci}件，办结{rt}件，结转下年度继续办理{co}件。"
        f"其中通过网络平台收到申请{max(r - 2, 0)}件。全县各级行政机关共收到政府信息公开申请356件，办结349件。"
        f"2021年收到申请{r + 7}件。")}


def carry_mismatch(doc: Any) -> None:
    """上年结转 2 more than last year's 结转下年度 (本年新收 2 fewer, so the year itself adds up),
    and 现行有效件数 of 行政规范性文件 3 more than last year's stock + 制发 − 废止."""
    a = doc.apps
    a["carried_in"]["natural_person"] += 2
    a["carried_in"]["total"] += 2
    a["received"]["natural_person"] -= 2
    a["received"]["total"] -= 2
    doc.active[("art20_1", "normative_documents", "in_force")] += 3


def v2019_items_mismatch(doc: Any) -> None:
    doc.active[("art20_5", "licensing", "prior_year_items")] += 4


def stale_and_units(doc: Any) -> None:
    doc.profile["append"] = {"active": f"截至{doc.year - 1}年底，我局现行有效的规范性文件共18件。"}


def township_rules(doc: Any) -> None:
    doc.active[("art20_1", "rules", "issued")] = 1
    doc.active[("art20_1", "rules", "in_force")] = 2


def received_plus(n: int) -> Any:
    def mutate(doc: Any) -> None:
        doc.apps["received"]["natural_person"] += n
        doc.apps["received"]["total"] += n
    return mutate


# ----------------------------------------------------------------------------- the documents
def fixtures() -> list[tuple[Any, list[tuple[str, str, str]]]]:
    """(document, intended flags beyond arithmetic and cross-year) in generation order."""
    out: list[tuple[Any, list[tuple[str, str, str]]]] = []
    add = out.append

    add((dept("xinfeng_scjgj_2022_text.html", "信丰县市场监督管理局", "市场监督管理", 2022, mutate=text_mismatch,
              chrome="gov", published="2023-01-20",
              summary="TEXT_TABLE: the overview says 3 more requests and one more 行政复议 than the tables",
              notes=["TEXT_TABLE received: 一、总体情况 states 本年新收 + 3", "TEXT_TABLE review: 行政复议 + 1"]),
         [("TEXT_TABLE", "warn", "received"), ("TEXT_TABLE", "warn", "review")]))
    add((dept("xinfeng_jyj_2022_traps.html", "信丰县教育局", "教育", 2022, mutate=text_traps, chrome="gov",
              meta_table=True, published="2023-01-16",
              overrides={("app", "received", "total"): ""},
              summary="TEXT_TABLE traps: county-wide figures, another year, a sub-count, a blank 总计",
              notes=[("traps, no flag: 全县各级行政机关共收到…356件 (other bodies), 2021年收到申请… (another year), "
                     "其中通过网络平台收到… (a sub-count)"),
                     "the 总计 of 一、本年新收 is blank: the narrative figure is compared with the six applicant cells"]),
         []))
    add((dept("xinfeng_rsj_2022_structure.html", "信丰县人力资源和社会保障局", "人力资源和社会保障", 2022,
              mutate=stale_and_units, profile={"drop_other_matters": True, "unit_cells": True},
              summary="FMT_STRUCTURE: section 六 missing, 件 inside every section 三 cell, 截至2021年底 as now",
              notes=["FMT_STRUCTURE other_matters: no 六、其他需要报告的事项",
                     "FMT_STRUCTURE applications: every section 三 value written with 件",
                     "FMT_STRUCTURE overview: 截至2021年底… in a 2022 report"]),
         [("FMT_STRUCTURE", "warn", "other_matters"), ("FMT_STRUCTURE", "warn", "applications"),
          ("FMT_STRUCTURE", "warn", "overview")]))
    add((dept("xinfeng_sjj_2022_no_table.html", "信丰县审计局", "审计", 2022,
              profile={"appeals_text": "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。", "appeals": 0},
              summary="FMT_STRUCTURE: section 四 has its heading and a sentence, no table",
              notes=["FMT_STRUCTURE appeals: a sentence instead of the section 四 table (cells NULL)"]),
         [("FMT_STRUCTURE", "warn", "appeals")]))
    add((dept("xinfeng_xtz_2022_township.html", "信丰县新田镇人民政府", "government", 2022, kind="township",
              we="我镇", mutate=township_rules, profile={"natural": (1, 6), "org": 0, "licensing": (0, 0),
                                                       "penalties": (0, 3), "coercion": (0, 0), "appeals": 0},
              summary="FMT_STRUCTURE: a township reports 规章 (制发 1, 现行有效 2)",
              notes=["FMT_STRUCTURE active: a township does not make 规章"]),
         [("FMT_STRUCTURE", "warn", "active")]))
    add((dept("xinfeng_nyncj_2022_late.html", "信丰县农业农村局", "农业农村", 2022, chrome="gov", meta_table=True,
              published="2023-02-20", signed="2023-02-16",
              summary="TIMELINESS: a department's report published 2023-02-20, after 31 January",
              notes=["TIMELINESS error: published 2023-02-20, department deadline 2023-01-31"]),
         [("TIMELINESS", "error", "published_on")]))
    add((dept("xinfeng_zf_2022.html", "信丰县人民政府", "government", 2022, kind="gov", we="县政府",
              chrome="gov", meta_table=True, published="2023-03-28", signed="2023-03-25",
              profile={"natural": (30, 80), "org": 2, "publisher": "信丰县人民政府办公室"},
              summary="a government's own report published 2023-03-28: on time (31 March), late for a department",
              notes=["trap: on time only under the government deadline of 31 March"]),
         []))
    add((dept("xinfeng_mzj_2022_signed_late.html", "信丰县民政局", "民政", 2022, signed="2023-02-10",
              summary="TIMELINESS: no publication date, signed 2023-02-10, after the deadline",
              notes=["TIMELINESS error (signed_on): it cannot have been published before it was signed"]),
         [("TIMELINESS", "error", "signed_on")]))
    # consistent pair; the 2022 report prints no date at all (TIMELINESS is info, not checkable)
    add((dept("xinfeng_jtj_2021.html", "信丰县交通运输局", "交通运输", 2021, summary="first year of a consistent pair",
              notes=["2022 上年结转 equals this report's 结转下年度"]), []))
    add((dept("xinfeng_jtj_2022_nodate.html", "信丰县交通运输局", "交通运输", 2022, prev="xinfeng_jtj_2021.html",
              signed=None, summary="second year of a consistent pair; no date anywhere",
              notes=["trap: no publication or signature date (TIMELINESS info only)",
                     "cross-year consistent: no T3_CROSS_YEAR / T2_STOCK_CROSS_YEAR"]), []))
    add((dept("xinfeng_slj_2021.html", "信丰县水利局", "水利", 2021, summary="first year of a pair"), []))
    add((dept("xinfeng_slj_2022_carry.html", "信丰县水利局", "水利", 2022, prev="xinfeng_slj_2021.html",
              mutate=carry_mismatch,
              summary="T3_CROSS_YEAR and T2_STOCK_CROSS_YEAR against the 2021 report",
              notes=["上年结转 自然人 2 more than 2021 结转下年度 (本年新收 2 fewer: the year adds up)",
                     "行政规范性文件 现行有效件数 3 more than 2021 stock + 制发 − 废止"]), []))
    add((dept("xinfeng_zrzyj_2019.html", "信丰县自然资源局", "自然资源", 2019, summary="v2019, first year"), []))
    add((dept("xinfeng_zrzyj_2020.html", "信丰县自然资源局", "自然资源", 2020, prev="xinfeng_zrzyj_2019.html",
              mutate=v2019_items_mismatch,
              summary="T2_V2019_CROSS_YEAR: 行政许可 上一年项目数量 4 more than 2019's 上一年项目数量 + 本年增/减",
              notes=["T2_V2019_CROSS_YEAR licensing"]), []))
    add((dept("xinfeng_wjw_2021.html", "信丰县卫生健康委员会", "卫生健康", 2021, we="我委",
              summary="first year; its text is copied in 2022"), []))
    add((dept("xinfeng_wjw_2022_copy.html", "信丰县卫生健康委员会", "卫生健康", 2022, we="我委",
              prev="xinfeng_wjw_2021.html", profile={"text_seed": "xinfeng_wjw_2021.html"},
              summary="DUPLICATION: the 2021 text again, with the new year's numbers",
              notes=["DUPLICATION previous_year: same paragraphs as 2021, only numbers and years changed"]),
         [("DUPLICATION", "warn", "previous_year")]))
    add((dept("xinfeng_zjj_2021.html", "信丰县住房和城乡建设局", "住房和城乡建设", 2021,
              summary="first year; its tables are repeated in 2022"), []))
    add((dept("xinfeng_zjj_2022_same_tables.html", "信丰县住房和城乡建设局", "住房和城乡建设", 2022,
              prev="xinfeng_zjj_2021.html", mutate="copy_previous_numbers",
              summary="DUPLICATION: every table cell the same as 2021 (the text is new)",
              notes=["DUPLICATION previous_year_tables; the carry-over and stock then fail too"]),
         [("DUPLICATION", "warn", "previous_year_tables")]))
    add((dept("xinfeng_czj_2022.html", "信丰县财政局", "财政", 2022, summary="copied by 安远县财政局",
              notes=["DUPLICATION peer: 安远县财政局 printed the same text"]),
         [("DUPLICATION", "warn", "peer:安远县财政局")]))
    add((dept("anyuan_czj_2022_copy.html", "安远县财政局", "财政", 2022, region="江西省赣州市安远县",
              profile={"text_seed": "xinfeng_czj_2022.html"},
              summary="DUPLICATION: 信丰县财政局's text with its own name and numbers",
              notes=["DUPLICATION peer: the same paragraphs as 信丰县财政局 2022"]),
         [("DUPLICATION", "warn", "peer:信丰县财政局")]))
    return out


def version_fixtures() -> list[tuple[Any, list[tuple[str, str, str]]]]:
    """The 信丰县统计局 2021 report, and the 2022 report whose versions VERSION_VARIANTS makes."""
    return [
        (dept("xinfeng_tjj_2021.html", "信丰县统计局", "统计", 2021, summary="the year before"), []),
        (dept("xinfeng_tjj_2022_v1.html", "信丰县统计局", "统计", 2022, prev="xinfeng_tjj_2021.html",
              summary="the 2022 report"), []),
    ]


# The 2022 report as published, then corrected. name: (本年新收 自然人 too many, 上年结转 自然人 too
# many with 本年新收 as many fewer, the text of 六 edited). The first error breaks T3_STATED, the
# second T3_CROSS_YEAR (the year itself still adds up).
VERSION_VARIANTS = {
    "xinfeng_tjj_2022_v1.html": (2, 1, False),
    "xinfeng_tjj_2022_v1_edited.html": (2, 1, True),
    "xinfeng_tjj_2022_v1_renumbered.html": (5, 1, True),
    "xinfeng_tjj_2022_v2.html": (0, 0, True),
}


# ----------------------------------------------------------------------------- cross-year flags
def cross_year_flags(expected: dict[str, dict]) -> dict[str, set[tuple[str, str, str]]]:
    """T3_CROSS_YEAR, T2_STOCK_CROSS_YEAR, T2_V2019_CROSS_YEAR between consecutive years of one agency."""
    flags: dict[str, set] = {n: set() for n in expected}
    by_key = {(e["agency"], e["year"]): n for n, e in expected.items()}
    for name, exp in expected.items():
        prev_name = by_key.get((exp["agency"], exp["year"] - 1))
        if not prev_name:
            continue
        prev = expected[prev_name]
        for c in APPLICANTS:
            now, before = exp["applications"]["carried_in"][c], prev["applications"]["carried_out"][c]
            if None not in (now, before) and now != before:
                flags[name].add(("T3_CROSS_YEAR", "warn", c))
        act = {(e["item"], e["row"], e["metric"]): e["value"] for e in exp["active"]}
        pact = {(e["item"], e["row"], e["metric"]): e["value"] for e in prev["active"]}
        for row in ("rules", "normative_documents"):
            terms = [pact.get(("art20_1", row, "in_force")), act.get(("art20_1", row, "issued")),
                     act.get(("art20_1", row, "repealed")), act.get(("art20_1", row, "in_force"))]
            if None not in terms and terms[0] + terms[1] - terms[2] != terms[3]:
                flags[name].add(("T2_STOCK_CROSS_YEAR", "warn", row))
        for (item, row, metric), value in act.items():
            if metric != "prior_year_items":
                continue
            terms = [pact.get((item, row, "prior_year_items")), pact.get((item, row, "change")), value]
            if None not in terms and terms[0] + terms[1] != terms[2]:
                flags[name].add(("T2_V2019_CROSS_YEAR", "warn", row))
    return flags


# ----------------------------------------------------------------------------- quirks (issue 11)
# Headings real reports print instead of the official ones, per section (一 … 六). Every one is
# printed by some quirk document; nothing may be reported missing because of its wording.
HEADING_VARIANTS = {
    0: ["一、基本情况", "一、总体概况"],
    1: ["二、主动公开政府信息的情况", "二、主动公开情况"],
    2: ["三、行政机关收到和处理政府信息公开申请的情况", "三、收到和处理政府信息公开申请的情况"],
    3: ["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "四、政府信息公开行政复议和行政诉讼情况",
        "四、行政复议、行政诉讼情况"],
    4: ["五、政府信息公开工作存在的主要问题及改进情况", "五、存在问题及改进情况", "五、存在的主要问题及整改措施",
        "五、存在的主要问题及改进措施", "五、存在的主要问题及整改情况", "五、存在的主要问题和改进措施",
        "五、主要问题及改进措施", "五、存在的不足及改进措施", "五、存在的问题及下一步工作打算"],
    5: ["六、其他需报告的事项", "六、其他事项"],
}
HEADING_FORMATS = ("html", "word", "tsv", "html", "lost_p", "html", "word", "html", "tsv")
ZONE = "信丰高新技术产业园区"


def two_row_appeals_header(doc: Any) -> None:
    """Section 四 under a two-row header: 行政复议 | 行政诉讼, then the five outcomes of 行政复议 beside
    未经复议直接起诉 and 复议后起诉, whose outcome labels are not printed (the template's order)."""
    doc.profile["t4_two_rows"] = True


def _two_row_t4(table: Any) -> Any:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    rows = [
        [MS.C("行政复议", cs=5, kind="head"), MS.C("行政诉讼", cs=10, kind="head")],
        [MS.C(t, kind="head") for t in outcomes] + [MS.C("未经复议直接起诉", cs=5, kind="head"),
                                                    MS.C("复议后起诉", cs=5, kind="head")],
        table.rows[-1],
    ]
    return MS.Table(rows, caption=table.caption, cls=table.cls)


def zone(name: str, year: int, **kw: Any) -> Any:
    kw.setdefault("profile", {})
    kw["profile"] = {"natural": (5, 20), "org": 1, "licensing": (20, 120), "penalties": (2, 20), "coercion": (0, 3),
                     "fees": 0, "publisher": f"{ZONE}管理委员会", **kw["profile"]}
    return dept(name, f"{ZONE}管理委员会", "government", year, kind="gov", we="管委会", **kw)


def quirk_fixtures() -> list[tuple[Any, list[tuple[str, str, str]]]]:
    """The regression corpus of issue 11, in generation order."""
    out: list[tuple[Any, list[tuple[str, str, str]]]] = []
    add = out.append
    # 本年收费金额 as real reports print it: six decimals, trailing zeros, one decimal.
    for suffix, printed, fee in (("six", "5949.088667", 5949.088667), ("zeros", "7730.280000", 7730.28),
                                 ("tiny", "0.000125", 0.000125)):
        add((dept(f"xinfeng_fgw_2022_fee_{suffix}.html", "信丰县发展和改革委员会", "财政", 2022, we="我委",
                  chrome="gov", published="2023-01-19", profile={"fees": fee},
                  overrides={("active", "art20_8", "fees", "amount"): printed},
                  summary=f"本年收费金额 printed as {printed} 万元: stored exactly as printed",
                  notes=[f"fee {printed} (万元): the warehouse must not round it"]), []))
    # A zone's 管委会: the whole zone's report, published in March (a government's deadline).
    add((zone("xinfeng_gxq_2022_zone_title.html", 2022, title=f"{ZONE}2022年政府信息公开工作年度报告",
              published="2023-03-20", signed="2023-03-15", chrome="gov", meta_table=True,
              summary="a zone's report titled with the zone (not a body), published 2023-03-20",
              notes=["trap: the title names the zone: a government's report, on time by 31 March (no TIMELINESS)"]),
         []))
    add((zone("xinfeng_gxq_2021_whole_zone.html", 2021, published="2022-03-25", signed="2022-03-22", chrome="gov",
              profile={"paragraphs": {"intro": (
                  f"2021年，{ZONE}管理委员会认真贯彻落实《中华人民共和国政府信息公开条例》，全区政府信息公开工作"
                  "围绕园区建设和企业服务，不断提高政府信息公开工作水平。本报告由管委会办公室汇总园区各部门情况编制。")}},
              summary="a 管委会 report that covers the whole zone (全区政府信息公开工作), published 2022-03-25",
              notes=["trap: 全区政府信息公开工作 in the introduction: a government's report, on time by 31 March"]),
         []))
    add((zone("xinfeng_gxq_2023_uncertain.html", 2023, published="2024-03-08", signed="2024-03-05", chrome="gov",
              summary="a 管委会 report that does not say it covers the whole zone, published 2024-03-08",
              notes=[("TIMELINESS info only (not listed: expected_flags holds errors and warnings): late for a "
                     "department, on time for a government; the kind is uncertain, never an error")]),
         []))
    # Every heading variant, over several formats.
    n_docs = max(len(v) for v in HEADING_VARIANTS.values())
    agencies = [("信丰县林业局", "自然资源", "林业"), ("信丰县文化广电新闻出版旅游局", "教育", "wglj"),
                ("信丰县应急管理局", "公安", "yjj"), ("信丰县医疗保障局", "卫生健康", "ybj"),
                ("信丰县退役军人事务局", "民政", "tyjrj"), ("信丰县商务局", "市场监督管理", "swj"),
                ("信丰县科学技术局", "教育", "kjj"), ("信丰县司法局", "公安", "sfj"),
                ("信丰县城市管理局", "住房和城乡建设", "cgj")]
    for i in range(n_docs):
        agency, category, short = agencies[i]
        short = "lyj" if short == "林业" else short
        headings = {sec: variants[i % len(variants)] for sec, variants in HEADING_VARIANTS.items()}
        fmt = HEADING_FORMATS[i]
        ext = {"word": "doc", "tsv": "txt"}.get(fmt, "html")
        add((dept(f"xinfeng_{short}_2022_headings.{ext}", agency, category, 2022, fmt=fmt, published="2023-01-20",
                  labels=MS.L(over={("section", sec): text for sec, text in headings.items()}),
                  summary="headings as real reports word them: " + " / ".join(headings.values()),
                  notes=["trap: every section is there under another wording (no FMT_STRUCTURE missing section)"]),
             []))
    # A v2019 report whose section 四 header has two rows (no outcome labels under 行政诉讼).
    add((dept("xinfeng_gxj_2020_t4_two_rows.html", "信丰县工业和信息化局", "财政", 2020, mutate=two_row_appeals_header,
              published="2021-01-22", profile={"appeals": 3},
              summary="v2019; section 四 under a two-row header (litigation outcome labels not printed)",
              notes=["the 15 section 四 cells are read in the official column order under 未经复议直接起诉 / 复议后起诉"]),
         []))
    return out


# ----------------------------------------------------------------------------- generation
def _with_units(doc: Any) -> None:
    for key, text in list(doc.display.items()):
        if key[0] == "app" and text:
            doc.display[key] = text + "件"


def _build(doc: Any, prev: Any | None, extra: list[tuple[str, str, str]]) -> tuple[bytes, dict]:
    mutate = doc.mutate
    if mutate == "copy_previous_numbers":
        doc.mutate = None
    MS.finish_numbers(doc, prev)
    if mutate == "copy_previous_numbers":
        doc.apps, doc.appeals, doc.active = copy.deepcopy((prev.apps, prev.appeals, prev.active))
        MS.compute_display(doc)
    if doc.profile.get("unit_cells"):
        _with_units(doc)
    if "appeals_text" in doc.profile:  # no section 四 table: nothing to read there
        for key in doc.display:
            if key[0] == "appeal":
                doc.display[key] = ""
    return _render(doc, extra)


def _render(doc: Any, extra: list[tuple[str, str, str]]) -> tuple[bytes, dict]:
    apps, appeals, active = MS.expected_values(doc)
    arithmetic = MS.check({"applications": apps, "appeals": appeals, "active": active, "year": doc.year,
                           "version": doc.version})
    doc.intended_flags = sorted(arithmetic)
    exp = MS.expected_json(doc, apps, appeals, active)
    exp["expected_flags"] += [{"rule": r, "severity": s, "subject": subj} for r, s, subj in extra]
    blocks = MS.build_blocks(doc, apps, appeals)
    if doc.profile.get("t4_two_rows"):
        blocks = [("table", _two_row_t4(b)) if kind == "table" and b.rows[0][0].text == "行政复议" else (kind, b)
                  for kind, b in blocks]
    return MS.render(doc, blocks), exp


def _write(folder: Path, docs: list[tuple[Any, list]], variants: dict | None = None) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    by_name: dict[str, Any] = {}
    rendered: dict[str, tuple[bytes, dict]] = {}
    for doc, extra in docs:
        prev = by_name[doc.prev] if doc.prev else None
        rendered[doc.name] = _build(doc, prev, extra)
        by_name[doc.name] = doc
    base = by_name.get("xinfeng_tjj_2022_v1.html")
    for name, (stated_error, carry_error, edited) in (variants or {}).items():
        doc = copy.deepcopy(base)
        doc.name = name
        doc.profile["text_seed"] = base.name
        a = doc.apps
        for column in ("natural_person", "total"):
            a["carried_in"][column] += carry_error
            a["received"][column] += stated_error - carry_error
        if edited:
            doc.profile["paragraphs"] = {"other": "本年度未发出收费通知，未收取信息处理费。无其他需要报告的事项。"}
        doc.summary = (f"version of the 2022 report: 本年新收 自然人 {stated_error:+d}, 上年结转 自然人 "
                       f"{carry_error:+d}" + (", the text of 六 edited" if edited else ""))
        doc.notes = [doc.summary]
        MS.compute_display(doc)
        rendered[name] = _render(doc, [])
    cross: dict[str, set] = {}
    if variants:
        # Each version against the year before, as when it is the current one.
        for name in variants:
            pair = {n: rendered[n][1] for n in ("xinfeng_tjj_2021.html", name)}
            cross[name] = cross_year_flags(pair)[name]
    else:
        cross = cross_year_flags({n: e for n, (_, e) in rendered.items()})
    written = []
    for name, (data, exp) in rendered.items():
        for flag in sorted(cross.get(name, ())):
            exp["expected_flags"].append({"rule": flag[0], "severity": flag[1], "subject": flag[2]})
        (folder / name).write_bytes(data)
        (folder / MS.expected_name(name)).write_bytes(MS.dump_json(exp))
        written += [name, MS.expected_name(name)]
    return written


def generate(files: Path = FILES, versions: Path = VERSIONS, quirks: Path = QUIRKS) -> list[str]:
    """Write the three folders; returns the paths written, relative to this folder's parent."""
    return ([f"{files.name}/{n}" for n in _write(files, fixtures())]
            + [f"{versions.name}/{n}" for n in _write(versions, version_fixtures(), VERSION_VARIANTS)]
            + [f"{quirks.name}/{n}" for n in _write(quirks, quirk_fixtures())])


if __name__ == "__main__":
    names = generate()
    print(f"wrote {len(names)} files to {FILES}, {VERSIONS} and {QUIRKS}")
