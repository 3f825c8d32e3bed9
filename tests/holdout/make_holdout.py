#!/usr/bin/env python3
"""Generate the hold-out set of annual reports (政府信息公开工作年度报告).

Eight realistic reports whose layouts differ from the obvious official one, written by an
author who never saw the parser or its samples.  Each report gets a ``<name>.expected.json``
in the shape of ``/work/shared/seeds/*.expected.json``.

The numbers of every report are built once (``Report.apps`` / ``appeals`` / ``active``), the
document is rendered from those numbers, and ``expected_flags`` is derived from the same numbers
by an independent re-implementation of the arithmetic rules (T3_STATED, T3_ROW_TOTAL,
T3_RESULTS_SUM, T3_BOUNDS, T4_TOTALS; an equation with a NULL term is never evaluated), plus
FMT_VERSION and FMT_STRUCTURE where the document really deviates.

Deterministic: no randomness, no clock, no network.  Run:  python tests/holdout/make_holdout.py
"""
from __future__ import annotations

import copy
import json
import pathlib
import shutil

OUT = pathlib.Path(__file__).resolve().parent / "files"

# h07 prints "-" for every zero of section 三 and "无" in the fee row of section 二.  The project's
# vocabulary lists both as null markers, and the warehouse contract says "no invented numbers", so the
# expected value is NULL.  Flip this to expect 0 instead (the page bytes do not change).
DASH_MEANS_ZERO = False

# ------------------------------------------------------------------ canonical codes (template.yaml)
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total"]
SIX = APPLICANTS[:6]

TOP = {
    "received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "carried_out": "四、结转下年度继续办理",
}
RES = {
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "other_handling": "（六）其他处理",
    "results_total": "（七）总计",
}
SUB = {
    "withheld_state_secret": "1.属于国家秘密",
    "withheld_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "withheld_security_stability": "3.危及“三安全一稳定”",
    "withheld_third_party": "4.保护第三方合法权益",
    "withheld_internal_affairs": "5.属于三类内部事务信息",
    "withheld_process_info": "6.属于四类过程性信息",
    "withheld_enforcement_file": "7.属于行政执法案卷",
    "withheld_admin_query": "8.属于行政查询事项",
    "unavailable_not_held": "1.本机关不掌握相关政府信息",
    "unavailable_needs_creation": "2.没有现成信息需要另行制作",
    "unavailable_unclear": "3.补正后申请内容仍不明确",
    "rejected_petition": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_fee_unpaid": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_misc": "3.其他",
}
GROUP_LABEL = {
    "results": "三、本年度办理结果",
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "rejected": "（五）不予处理",
    "other": "（六）其他处理",
}
HEADER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_LABEL = {
    "natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
    "social_welfare_org": "社会公益组织", "legal_service_org": "法律服务机构", "other_org": "其他",
    "total": "总计",
}
ORG_LABELS = [APPLICANT_LABEL[c] for c in SIX[1:]]


def group_of(code: str) -> str | None:
    for prefix, g in (("withheld_", "withheld"), ("unavailable_", "unavailable"),
                      ("rejected_", "rejected"), ("other_no", "other"), ("other_fee", "other"),
                      ("other_misc", "other")):
        if code.startswith(prefix):
            return g
    return None


def row_codes(layout: str) -> list[str]:
    """layout: 'v2021' (three （六） sub-rows) or 'v2019' / 'v2021_single6' (one （六） row)."""
    sixth = ["other_no_correction", "other_fee_unpaid", "other_misc"] if layout == "v2021" else ["other_handling"]
    return (["received", "carried_in", "granted", "partly_granted"]
            + [c for c in SUB if c.startswith("withheld_")]
            + [c for c in SUB if c.startswith("unavailable_")]
            + [c for c in SUB if c.startswith("rejected_")]
            + sixth + ["results_total", "carried_out"])


def result_rows(codes: list[str]) -> list[str]:
    i, j = codes.index("granted"), codes.index("results_total")
    return codes[i:j]


PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]

ACTIVE_TEMPLATE = {
    "v2021": [
        ("art20_1", "第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         [("rules", "规章"), ("normative_documents", "行政规范性文件")], ["issued", "repealed", "in_force"]),
        ("art20_5", "第二十条第（五）项", ["本年处理决定数量"], [("licensing", "行政许可")], ["decisions"]),
        ("art20_6", "第二十条第（六）项", ["本年处理决定数量"],
         [("penalties", "行政处罚"), ("coercion", "行政强制")], ["decisions"]),
        ("art20_8", "第二十条第（八）项", ["本年收费金额（单位：万元）"], [("fees", "行政事业性收费")], ["amount"]),
    ],
    "v2019": [
        ("art20_1", "第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         [("rules", "规章"), ("normative_documents", "规范性文件")],
         ["newly_made", "newly_published", "total_published"]),
        ("art20_5", "第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         ["prior_year_items", "change", "decisions"]),
        ("art20_6", "第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         [("penalties", "行政处罚"), ("coercion", "行政强制")], ["prior_year_items", "change", "decisions"]),
        ("art20_8", "第二十条第（八）项", ["上一年项目数量", "本年增/减"], [("fees", "行政事业性收费")],
         ["prior_year_items", "change"]),
        ("art20_9", "第二十条第（九）项", ["采购项目数量", "采购总金额"], [("procurement", "政府集中采购")],
         ["projects", "amount"]),
    ],
}


def active_keys(version: str) -> list[tuple[str, str, str]]:
    out = []
    for item, _h, _cols, rows, metrics in ACTIVE_TEMPLATE[version]:
        for row, _l in rows:
            for m in metrics:
                out.append((item, row, m))
    return out


# ------------------------------------------------------------------ building the numbers
def build_apps(layout: str, spec: dict[str, list[int]], overrides: dict | None = None) -> dict:
    """spec: row -> six values (自然人 + five org columns).  Unlisted rows are zero.
    results_total and carried_out are derived so that all rules hold; 总计 is the row sum.
    overrides: {(row, applicant): value} applied last (used to plant real errors)."""
    codes = row_codes(layout)
    for k in spec:
        assert k in codes and k not in ("results_total", "carried_out"), k
    six = {c: list(spec.get(c, [0] * 6)) for c in codes}
    res = result_rows(codes)
    six["results_total"] = [sum(six[r][i] for r in res) for i in range(6)]
    six["carried_out"] = [six["received"][i] + six["carried_in"][i] - six["results_total"][i] for i in range(6)]
    assert min(six["carried_out"]) >= 0, six["carried_out"]
    apps = {}
    for c in codes:
        vals = six[c]
        apps[c] = {a: v for a, v in zip(SIX, vals)}
        apps[c]["total"] = sum(vals)
    for (r, a), v in (overrides or {}).items():
        apps[r][a] = v
    return apps


def build_appeals(review, direct, after) -> dict:
    out = {}
    for p, vals in zip(PROCEEDINGS, (review, direct, after)):
        if len(vals) == 4:
            vals = list(vals) + [sum(vals)]
        out[p] = dict(zip(OUTCOMES, vals))
    return out


def null_where(apps: dict, pred) -> dict:
    """Copy of apps with cells set to None where pred(row, applicant, value) is true."""
    out = copy.deepcopy(apps)
    for r, cols in out.items():
        for a, v in cols.items():
            if pred(r, a, v):
                cols[a] = None
    return out


# ------------------------------------------------------------------ the rules, re-implemented
def derive_flags(layout: str, year: int, version: str, apps: dict, appeals: dict) -> list[dict]:
    codes = row_codes(layout)
    res = result_rows(codes)
    flags: list[tuple[str, str, str]] = []

    def known(*xs):
        return all(x is not None for x in xs)

    for a in APPLICANTS:  # T3_STATED
        r, ci, rt, co = (apps[k][a] for k in ("received", "carried_in", "results_total", "carried_out"))
        if known(r, ci, rt, co) and r + ci != rt + co:
            flags.append(("T3_STATED", "error", a))
    for row in codes:  # T3_ROW_TOTAL
        vals = [apps[row][a] for a in SIX]
        tot = apps[row]["total"]
        if known(tot, *vals) and tot != sum(vals):
            flags.append(("T3_ROW_TOTAL", "error", row))
    for a in APPLICANTS:  # T3_RESULTS_SUM
        parts = [apps[r][a] for r in res]
        rt = apps["results_total"][a]
        if known(rt, *parts) and rt != sum(parts):
            flags.append(("T3_RESULTS_SUM", "error", a))
    for row in codes:  # T3_BOUNDS: every cell an integer >= 0
        for a in APPLICANTS:
            v = apps[row][a]
            if v is not None and (not isinstance(v, int) or v < 0):
                flags.append(("T3_BOUNDS", "error", f"{row}:{a}"))
    for a in APPLICANTS:  # T3_BOUNDS (SPEC.md): （七） <= 一+二 ; 四 <= 一+二
        r, ci = apps["received"][a], apps["carried_in"][a]
        for row in ("results_total", "carried_out"):
            v = apps[row][a]
            if known(r, ci, v) and v > r + ci:
                flags.append(("T3_BOUNDS", "error", f"{row}:{a}"))
    for p in PROCEEDINGS:  # T4_TOTALS
        v = appeals[p]
        if known(*v.values()) and v["total"] != v["upheld"] + v["corrected"] + v["other"] + v["pending"]:
            flags.append(("T4_TOTALS", "error", p))
    if (year >= 2021 and version == "v2019") or (year <= 2020 and version == "v2021"):
        flags.append(("FMT_VERSION", "error", "template_version"))
    return [{"rule": r, "severity": s, "subject": sub} for r, s, sub in flags]


# ------------------------------------------------------------------ rendering helpers
def td(text="", rs=1, cs=1, tag="td", attrs="", inner=None):
    a = ""
    if rs > 1:
        a += f' rowspan="{rs}"'
    if cs > 1:
        a += f' colspan="{cs}"'
    if attrs:
        a += " " + attrs
    body = inner(text) if inner else text
    return f"<{tag}{a}>{body}</{tag}>"


def official_labels(codes: list[str], lab=lambda s: s) -> dict[str, list[tuple[str, int, int]]]:
    """The official three-label-column layout of section 三: code -> [(text, rowspan, colspan)]."""
    res = result_rows(codes) + ["results_total"]
    out: dict[str, list[tuple[str, int, int]]] = {}
    seen_groups = set()
    for c in codes:
        cells = []
        if c in TOP:
            cells.append((lab(TOP[c]), 1, 3))
        else:
            if c == "granted":
                cells.append((lab(GROUP_LABEL["results"]), len(res), 1))
            g = group_of(c)
            if g is None:
                cells.append((lab(RES[c]), 1, 2))
            else:
                if g not in seen_groups:
                    seen_groups.add(g)
                    n = sum(1 for x in codes if group_of(x) == g)
                    cells.append((lab(GROUP_LABEL[g]), n, 1))
                cells.append((lab(SUB[c]), 1, 1))
        out[c] = cells
    return out


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def fmt_int(v, none="", fullwidth=False):
    if v is None:
        return none
    s = str(v)
    return s.translate(FULLWIDTH) if fullwidth else s


def write(name: str, data: bytes | str, encoding="utf-8"):
    p = OUT / name
    if isinstance(data, str):
        data = data.encode(encoding)
    p.write_bytes(data)


def expected(report: dict, apps: dict, appeals: dict, active: dict, layout: str,
             extra_flags: list[dict] = ()) -> dict:
    version = report["version"]
    keys = active_keys(version)
    assert set(active) == set(keys), set(keys) ^ set(active)
    out = {"file": report["file"], "agency": report["agency"]}
    if report.get("agency_in_title"):
        out["agency_in_title"] = report["agency_in_title"]
    out.update({
        "region": report["region"],
        "year": report["year"],
        "version": version,
        "notes": report["notes"],
        "applications": {r: {a: apps[r][a] for a in APPLICANTS} for r in row_codes(layout)},
        "appeals": appeals,
        "active": [{"item": i, "row": r, "metric": m, "value": active[(i, r, m)]} for i, r, m in keys],
        "expected_flags": derive_flags(layout, report["year"], version, apps, appeals) + list(extra_flags),
        "expected_status": "ok",
    })
    return out


def dump(exp: dict):
    (OUT / (exp["file"] + ".expected.json")).write_text(
        json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# ================================================================== report 1
# GBK, Word-exported article inside a page-frame layout <table> (banner, nav, sidebar with links
# to OTHER years' reports, footer).  Metadata table before the body.  Section 四 as two separate
# tables (复议 / 诉讼).
def report1():
    rep = {
        "file": "h01_yudu_scjgj_2022.html",
        "agency": "于都县市场监督管理局",
        "region": "江西省赣州市于都县",
        "year": 2022, "version": "v2021",
        "notes": [
            "GBK bytes with <meta charset=gbk>; Word-export markup (<p class=MsoNormal><span>) inside every cell",
            "the whole page is a layout <table> (banner, nav, sidebar, footer); the data tables are nested inside it",
            "the sidebar links to the agency's 2021 and 2020 reports (other years in titles on the page)",
            "a metadata table (索引号/发布机构/发布日期) precedes the body",
            "section 四 is two separate tables: 行政复议 (5 columns) and 行政诉讼 (10 columns, 2 header rows)",
        ],
    }
    layout = "v2021"
    apps = build_apps(layout, {
        "received": [23, 4, 0, 0, 1, 0], "carried_in": [2, 0, 0, 0, 0, 0],
        "granted": [9, 2, 0, 0, 0, 0], "partly_granted": [3, 1, 0, 0, 0, 0],
        "withheld_third_party": [1, 0, 0, 0, 0, 0], "withheld_process_info": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [5, 1, 0, 0, 1, 0], "unavailable_unclear": [1, 0, 0, 0, 0, 0],
        "rejected_petition": [2, 0, 0, 0, 0, 0], "rejected_duplicate": [1, 0, 0, 0, 0, 0],
        "other_no_correction": [1, 0, 0, 0, 0, 0],
    })
    appeals = build_appeals([1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0])
    active = {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0, ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 1, ("art20_1", "normative_documents", "repealed"): 0,
        ("art20_1", "normative_documents", "in_force"): 3,
        ("art20_5", "licensing", "decisions"): 6842,
        ("art20_6", "penalties", "decisions"): 312, ("art20_6", "coercion", "decisions"): 27,
        ("art20_8", "fees", "amount"): 12.36,
    }
    a = apps

    def w(text):  # Word-export cell body
        if text == "":
            text = "&nbsp;"
        return (f"<p class=MsoNormal align=center style='text-align:center;line-height:15.0pt'>"
                f"<span style='font-size:10.5pt;font-family:仿宋_GB2312'>{text}<span lang=EN-US><o:p></o:p></span>"
                f"</span></p>")

    tda = "valign=middle style='border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'"

    def cell(text, rs=1, cs=1):
        return td(text, rs, cs, attrs=tda, inner=w)

    # section 二: official single table, item headings as colspan rows
    s2 = [("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 "
           "style='border-collapse:collapse;border:none'>")]
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2021"]:
        s2.append("<tr>" + cell(head, cs=4) + "</tr>")
        hdr = [cell("信息内容")] + [cell(c, cs=(4 - len(cols)) if (len(cols) == 1) else 1) for c in cols]
        s2.append("<tr>" + "".join(hdr) + "</tr>")
        for row, lab in rows:
            vals = [active[(item, row, m)] for m in metrics]
            if len(vals) == 1:
                v = vals[0]
                vs = f"{v:.2f}" if isinstance(v, float) else str(v)
                s2.append("<tr>" + cell(lab) + cell(vs, cs=3) + "</tr>")
            else:
                s2.append("<tr>" + cell(lab) + "".join(cell(str(v)) for v in vals) + "</tr>")
    s2.append("</table>")

    codes = row_codes(layout)
    labs = official_labels(codes)
    s3 = [("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=640 "
           "style='border-collapse:collapse;border:none'>"),
          "<tr>" + cell(HEADER_NOTE, rs=3, cs=3) + cell("申请人情况", cs=7) + "</tr>",
          "<tr>" + cell("自然人", rs=2) + cell("法人或其他组织", cs=5) + cell("总计", rs=2) + "</tr>",
          "<tr>" + "".join(cell(x) for x in ORG_LABELS) + "</tr>"]
    for c in codes:
        s3.append("<tr>" + "".join(cell(t, rs, cs) for t, rs, cs in labs[c])
                  + "".join(cell(fmt_int(a[c][x])) for x in APPLICANTS) + "</tr>")
    s3.append("</table>")

    rv = appeals["review"]
    s4 = ["<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>（一）行政复议情况</span></p>",
          "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=400 style='border-collapse:collapse'>",
          "<tr>" + cell("行政复议", cs=5) + "</tr>",
          "<tr>" + "".join(cell(x) for x in OUTCOME_LABELS) + "</tr>",
          "<tr>" + "".join(cell(str(rv[o])) for o in OUTCOMES) + "</tr>",
          "</table>",
          "<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>（二）行政诉讼情况</span></p>",
          "<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 width=600 style='border-collapse:collapse'>",
          "<tr>" + cell("行政诉讼", cs=10) + "</tr>",
          "<tr>" + cell("未经复议直接起诉", cs=5) + cell("复议后起诉", cs=5) + "</tr>",
          "<tr>" + "".join(cell(x) for x in OUTCOME_LABELS * 2) + "</tr>",
          "<tr>" + "".join(cell(str(appeals[p][o])) for p in PROCEEDINGS[1:] for o in OUTCOMES) + "</tr>",
          "</table>"]

    def para(t):
        return (f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
                f"<span style='font-size:16.0pt;font-family:仿宋_GB2312'>{t}</span></p>")

    def head(t):
        return (f"<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt'>"
                f"<span style='font-size:16.0pt;font-family:黑体'>{t}</span></p>")

    rt, co = a["results_total"]["total"], a["carried_out"]["total"]
    body = "\n".join([
        para("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。"),
        head("一、总体情况"),
        para("2022年，于都县市场监督管理局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《条例》和省、市、县关于政务公开工作的部署要求，围绕市场监管中心工作，不断提升政务公开质量和实效。"),
        para("（一）主动公开。全年通过县政府门户网站“部门信息公开”专栏主动公开各类信息416条，其中机构职能、权责清单等基础信息21条，“双随机、一公开”抽查结果38条，行政处罚决定信息公示312条，食品安全监督抽检信息45条。"),
        para(f"（二）依申请公开。全年共收到政府信息公开申请{a['received']['total']}件，上年结转{a['carried_in']['total']}件，办结{rt}件，结转下年度继续办理{co}件，均在法定期限内答复。"),
        para("（三）政府信息管理。严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”，全年未发生失泄密事件。"),
        para("（四）平台建设。持续加强政府网站部门专栏建设，及时更新内容，确保信息准确、完整。"),
        para("（五）监督保障。将政务公开工作纳入局年度工作要点，明确分管领导和专职人员，全年组织政务公开业务培训2次。"),
        head("二、主动公开政府信息情况"),
        "\n".join(s2),
        head("三、收到和处理政府信息公开申请情况"),
        "\n".join(s3),
        head("四、政府信息公开行政复议、行政诉讼情况"),
        "\n".join(s4),
        head("五、存在的主要问题及改进情况"),
        para("2022年我局政府信息公开工作虽取得一定成效，但仍存在一些不足：一是公开内容的深度有待加强，政策解读形式较为单一；二是工作人员业务水平有待提高。2023年，我局将进一步加强政策解读，丰富图解、视频等解读形式；加强业务培训，提升信息公开工作人员的业务能力。"),
        head("六、其他需要报告的事项"),
        para("本年度我局未收取信息处理费。无其他需要报告的事项。"),
        "<p class=MsoNormal align=right style='text-align:right'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>于都县市场监督管理局</span></p>",
        "<p class=MsoNormal align=right style='text-align:right'><span style='font-size:16.0pt;font-family:仿宋_GB2312'>2023年1月16日</span></p>",
    ])
    title = "于都县市场监督管理局2022年政府信息公开工作年度报告"
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>{title}_于都县人民政府</title>
<meta name="SiteName" content="于都县人民政府" />
<meta name="ColumnName" content="政府信息公开年报" />
<meta name="ArticleTitle" content="{title}" />
<meta name="PubDate" content="2023-01-16 10:32" />
<link href="/images/style.css" rel="stylesheet" type="text/css" />
</head>
<body>
<table width="1000" border="0" align="center" cellpadding="0" cellspacing="0" id="page">
  <tr><td colspan="2" class="banner"><img src="/images/banner.jpg" alt="于都县人民政府" width="1000" height="160" /></td></tr>
  <tr><td colspan="2" class="nav">
    <table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
      <td><a href="/">首页</a></td><td><a href="/ydxxxgk/">政府信息公开</a></td><td><a href="/ydxzwdt/">政务动态</a></td>
      <td><a href="/ydxbsfw/">办事服务</a></td><td><a href="/ydxhdjl/">互动交流</a></td><td><a href="/ydxzjyd/">走进于都</a></td>
    </tr></table>
  </td></tr>
  <tr>
    <td width="220" valign="top" class="sidebar">
      <table width="100%" border="0" cellspacing="0" cellpadding="4">
        <tr><td class="side-title">政府信息公开年报</td></tr>
        <tr><td><a href="/art/2022/1/20/art_39201_3811021.html">于都县市场监督管理局2021年政府信息公开工作年度报告</a></td></tr>
        <tr><td><a href="/art/2021/1/22/art_39201_3520177.html">于都县市场监督管理局2020年政府信息公开工作年度报告</a></td></tr>
        <tr><td><a href="/col/col39202/index.html">更多&gt;&gt;</a></td></tr>
      </table>
    </td>
    <td width="780" valign="top" class="content">
      <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/ydxxxgk/">政府信息公开</a> &gt; 政府信息公开年报</div>
      <table class="xxgk_table" width="100%" border="1" cellspacing="0" cellpadding="3">
        <tr><td>索引号：</td><td>360731/2023-01117</td><td>分类：</td><td>政府信息公开年报</td></tr>
        <tr><td>发布机构：</td><td>于都县市场监督管理局</td><td>发布日期：</td><td>2023-01-16</td></tr>
        <tr><td>文号：</td><td></td><td>有效性：</td><td>有效</td></tr>
      </table>
      <h1 class="article-title">{title}</h1>
      <div class="article-tools">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>　<a href="javascript:window.print()">【打印本页】</a>　<a href="javascript:window.close()">【关闭窗口】</a></div>
      <div class="WordSection1" id="zoom">
{body}
      </div>
    </td>
  </tr>
  <tr><td colspan="2" class="footer">
    <table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td align="center">
      主办单位：于都县人民政府办公室　承办单位：于都县政务服务中心<br />
      网站标识码：3607310001　赣ICP备05003216号　赣公网安备 36073102000101号
    </td></tr></table>
  </td></tr>
</table>
</body>
</html>
"""
    write(rep["file"], page, "gbk")
    dump(expected(rep, apps, appeals, active, layout))


# ================================================================== report 2
# Modern CMS page, UTF-8.  Year-first title.  Section 二: <strong> headings in paragraphs and four
# separate small tables.  Section 三: ONE label column with full labels ("（三）不予公开-1.属于国家
# 秘密"), header in two rows (no 申请人情况 row), <thead>/<th>, every zero left blank.
# Section 四: two header rows, litigation sub-groups named in full in row one.
def report2():
    rep = {
        "file": "h02_yangshuo_jyj_2023.html",
        "agency": "阳朔县教育局",
        "region": "广西壮族自治区桂林市阳朔县",
        "year": 2023, "version": "v2021",
        "notes": [
            "title puts the year first: 2023年阳朔县教育局政府信息公开工作年度报告",
            "section 二: item headings are <strong> paragraphs, each item its own small table; fee header 本年收费金额（万元）",
            "section 三: a single label column with composite labels like （三）不予公开-1.属于国家秘密; no 三、本年度办理结果 label at all",
            "section 三 header has two rows (项目 | 自然人 | 法人或其他组织×5 | 总计), no 申请人情况 row; <thead> with <th>",
            "section 三 leaves every zero cell empty (<td></td>): those cells are NULL",
            "section 四 header: row 1 = 行政复议 | 行政诉讼（未经复议直接起诉） | 行政诉讼（复议后起诉）, row 2 = 15 outcome names",
        ],
    }
    layout = "v2021"
    full = build_apps(layout, {
        "received": [14, 0, 0, 0, 0, 1],
        "granted": [6, 0, 0, 0, 0, 1], "partly_granted": [2, 0, 0, 0, 0, 0],
        "unavailable_not_held": [4, 0, 0, 0, 0, 0], "unavailable_needs_creation": [1, 0, 0, 0, 0, 0],
        "rejected_confirmation": [1, 0, 0, 0, 0, 0],
    })
    apps = null_where(full, lambda r, a, v: v == 0)
    appeals = build_appeals([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0])
    active = {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0, ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 2, ("art20_1", "normative_documents", "repealed"): 1,
        ("art20_1", "normative_documents", "in_force"): 9,
        ("art20_5", "licensing", "decisions"): 57,
        ("art20_6", "penalties", "decisions"): 0, ("art20_6", "coercion", "decisions"): 0,
        ("art20_8", "fees", "amount"): 0,
    }
    # section 二
    s2 = []
    cn = {"art20_1": "（一）", "art20_5": "（二）", "art20_6": "（三）", "art20_8": "（四）"}
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2021"]:
        s2.append(f'<p><strong>{cn[item]}{head}</strong></p>')
        cols = ["本年收费金额（万元）" if c.startswith("本年收费金额") else c for c in cols]
        s2.append('<table class="table-xxgk" border="1" cellspacing="0" cellpadding="0" width="100%">')
        s2.append("<tr>" + td("信息内容", tag="th") + "".join(td(c, tag="th") for c in cols) + "</tr>")
        for row, lab in rows:
            s2.append("<tr>" + td(lab) + "".join(td(str(active[(item, row, m)])) for m in metrics) + "</tr>")
        s2.append("</table>")
    # section 三
    codes = row_codes(layout)

    def single_label(c):
        if c in TOP:
            return TOP[c]
        g = group_of(c)
        return RES[c] if g is None else f"{GROUP_LABEL[g]}-{SUB[c]}"

    s3 = ['<table class="table-xxgk" border="1" cellspacing="0" cellpadding="0" width="100%">', "<thead>",
          "<tr>" + td(f"项目<br/>{HEADER_NOTE}", rs=2, tag="th") + td("自然人", rs=2, tag="th")
          + td("法人或其他组织", cs=5, tag="th") + td("总计", rs=2, tag="th") + "</tr>",
          "<tr>" + "".join(td(x, tag="th") for x in ORG_LABELS) + "</tr>", "</thead>", "<tbody>"]
    for c in codes:
        s3.append('<tr><td style="text-align:left">' + single_label(c) + "</td>"
                  + "".join(td(fmt_int(apps[c][x])) for x in APPLICANTS) + "</tr>")
    s3 += ["</tbody>", "</table>"]
    # section 四
    s4 = ['<table class="table-xxgk" border="1" cellspacing="0" cellpadding="0" width="100%">', "<thead>",
          "<tr>" + td("行政复议", cs=5, tag="th") + td("行政诉讼（未经复议直接起诉）", cs=5, tag="th")
          + td("行政诉讼（复议后起诉）", cs=5, tag="th") + "</tr>",
          "<tr>" + "".join(td(x, tag="th") for x in OUTCOME_LABELS * 3) + "</tr>", "</thead>",
          "<tbody><tr>" + "".join(td(str(appeals[p][o])) for p in PROCEEDINGS for o in OUTCOMES) + "</tr></tbody>",
          "</table>"]
    total_rec = full["received"]["total"]
    html = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>2023年阳朔县教育局政府信息公开工作年度报告 - 阳朔县人民政府门户网站</title>
</head>
<body>
<header class="site-header"><div class="logo">阳朔县人民政府门户网站</div>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></nav>
<div class="search"><input type="text" placeholder="请输入关键词"><button>搜索</button></div>
</header>
<main class="article">
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/xxgknb/">政府信息公开年度报告</a></div>
<h1>2023年阳朔县教育局政府信息公开工作年度报告</h1>
<div class="meta"><span>来源：阳朔县教育局</span><span>发布时间：2024-01-19 16:05</span><span>浏览次数：<em id="hits">217</em></span>
<span class="font">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</span><a href="#" class="speak">语音朗读</a></div>
<div class="content" id="zoom">
<p>　　根据《中华人民共和国政府信息公开条例》要求，现公布阳朔县教育局2023年政府信息公开工作年度报告。报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。如对本报告有疑问，请与阳朔县教育局办公室联系（地址：阳朔县阳朔镇城中路，联系电话：0773-8822316）。</p>
<h3>一、总体情况</h3>
<p>　　2023年，阳朔县教育局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕教育重点工作，扎实推进政务公开。</p>
<p>　　<strong>（一）主动公开情况。</strong>全年在县政府门户网站教育局专栏主动公开信息182条，重点公开了义务教育招生入学政策、学生资助、教师招聘、校园安全等信息。</p>
<p>　　<strong>（二）依申请公开情况。</strong>全年共收到政府信息公开申请{total_rec}件，均已在法定期限内答复，无上年结转及结转下年度的申请。</p>
<p>　　<strong>（三）政府信息管理情况。</strong>严格执行信息发布审核制度，规范信息公开流程。</p>
<p>　　<strong>（四）平台建设情况。</strong>持续做好政府网站专栏、“阳朔教育”微信公众号的维护更新。</p>
<p>　　<strong>（五）监督保障情况。</strong>将政务公开工作纳入局机关年度绩效考核，全年未发生因政府信息公开工作被责任追究的情况。</p>
<h3>二、主动公开政府信息情况</h3>
{chr(10).join(s2)}
<h3>三、收到和处理政府信息公开申请情况</h3>
{chr(10).join(s3)}
<h3>四、政府信息公开行政复议、行政诉讼情况</h3>
{chr(10).join(s4)}
<h3>五、存在的主要问题及改进情况</h3>
<p>　　一是公开内容不够全面，部分业务信息更新不够及时；二是政策解读形式较单一。下一步，我局将加强信息公开工作的统筹，完善信息更新机制，丰富政策解读方式。</p>
<h3>六、其他需要报告的事项</h3>
<p>　　本年度未发生收取信息处理费的情况。</p>
<p style="text-align:right">阳朔县教育局<br>2024年1月18日</p>
</div>
</main>
<footer><p>主办：阳朔县人民政府办公室　网站标识码：4503210001　桂ICP备12003851号-1</p><p><a href="#">网站地图</a> | <a href="#">联系我们</a></p></footer>
</body>
</html>
"""
    write(rep["file"], html)
    dump(expected(rep, apps, appeals, active, layout))


# ================================================================== report 3
# UTF-8; section 三 with <th>/<thead>, group labels in their own full-width rows ABOVE their
# sub-rows (no rowspans), and an extra non-official 法人或其他组织小计 column.  Values wrapped in
# <div>/<b>/<font>.  Section 二 is one table with the item heading as a colspan row.
def report3():
    rep = {
        "file": "h03_shouguang_zjj_2022.html",
        "agency": "寿光市住房和城乡建设局",
        "region": "山东省潍坊市寿光市",
        "year": 2022, "version": "v2021",
        "notes": [
            "title order agency-first with 年度…工作报告: 寿光市住房和城乡建设局2022年度政府信息公开工作报告",
            "section 三: group labels (三、本年度办理结果, （三）不予公开, （四）无法提供, （五）不予处理, （六）其他处理) are full-width rows of their own above the sub-rows; no rowspans",
            "section 三: extra NON-official column 法人或其他组织小计 after 其他 (values = sum of the five org columns): must be ignored; FMT_STRUCTURE warn expected",
            "section 三 header uses <th> in <thead>; data cells wrap values in <div><font> and the 总计 column in <b>",
            "section 二: one table, item headings as colspan=4 rows, values in <div>",
        ],
    }
    layout = "v2021"
    apps = build_apps(layout, {
        "received": [31, 12, 0, 1, 2, 3], "carried_in": [3, 1, 0, 0, 0, 0],
        "granted": [12, 5, 0, 0, 1, 1], "partly_granted": [4, 2, 0, 0, 0, 0],
        "withheld_third_party": [2, 1, 0, 0, 0, 0], "withheld_internal_affairs": [1, 0, 0, 0, 0, 0],
        "withheld_admin_query": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [8, 3, 0, 1, 1, 1], "unavailable_needs_creation": [2, 1, 0, 0, 0, 0],
        "rejected_duplicate": [1, 0, 0, 0, 0, 0], "other_misc": [1, 0, 0, 0, 0, 0],
    })
    appeals = build_appeals([2, 1, 0, 1], [1, 0, 1, 0], [1, 0, 0, 0])
    active = {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0, ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 3, ("art20_1", "normative_documents", "repealed"): 2,
        ("art20_1", "normative_documents", "in_force"): 14,
        ("art20_5", "licensing", "decisions"): 1286,
        ("art20_6", "penalties", "decisions"): 45, ("art20_6", "coercion", "decisions"): 0,
        ("art20_8", "fees", "amount"): 268.4517,
    }

    def dv(t):
        return f"<div align=\"center\"><font face=\"宋体\">{t}</font></div>"

    s2 = ['<table border="1" cellspacing="0" cellpadding="0" align="center" style="width:100%;border-collapse:collapse">']
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2021"]:
        s2.append("<tr>" + td(f"<b>{head}</b>", cs=4, attrs='style="background:#f2f2f2"') + "</tr>")
        s2.append("<tr>" + td("信息内容", tag="th") + "".join(
            td(c, tag="th", cs=(3 if len(cols) == 1 else 1)) for c in cols) + "</tr>")
        for row, lab in rows:
            vals = [active[(item, row, m)] for m in metrics]
            cs = 3 if len(vals) == 1 else 1
            s2.append("<tr>" + td(dv(lab)) + "".join(td(dv(str(v)), cs=cs) for v in vals) + "</tr>")
    s2.append("</table>")

    codes = row_codes(layout)
    ncols = 1 + 8
    s3 = ['<table border="1" cellspacing="0" cellpadding="0" align="center" style="width:100%;border-collapse:collapse">',
          "<thead>",
          "<tr>" + td(HEADER_NOTE, rs=3, tag="th") + td("申请人情况", cs=8, tag="th") + "</tr>",
          "<tr>" + td("自然人", rs=2, tag="th") + td("法人或其他组织", cs=6, tag="th") + td("总计", rs=2, tag="th") + "</tr>",
          "<tr>" + "".join(td(x, tag="th") for x in ORG_LABELS) + td("法人或其他组织小计", tag="th") + "</tr>",
          "</thead>", "<tbody>"]
    seen = set()
    for c in codes:
        if c == "granted":
            s3.append("<tr>" + td(f"<b>{GROUP_LABEL['results']}</b>", cs=ncols, attrs='style="text-align:left"') + "</tr>")
        g = group_of(c)
        if g and g not in seen:
            seen.add(g)
            s3.append("<tr>" + td(f"<b>{GROUP_LABEL[g]}</b>", cs=ncols, attrs='style="text-align:left"') + "</tr>")
        label = TOP.get(c) or RES.get(c) or ("　　" + SUB[c])
        sub = sum(apps[c][x] for x in SIX[1:])
        s3.append("<tr>" + td(dv(label)) + "".join(td(dv(fmt_int(apps[c][x]))) for x in SIX)
                  + td(dv(str(sub))) + td(f"<b>{apps[c]['total']}</b>") + "</tr>")
    s3 += ["</tbody>", "</table>"]

    s4 = ['<table border="1" cellspacing="0" cellpadding="0" align="center" style="width:100%;border-collapse:collapse">',
          "<thead>",
          "<tr>" + td("行政复议", cs=5, tag="th") + td("行政诉讼", cs=10, tag="th") + "</tr>",
          "<tr>" + "".join(td(x, rs=2, tag="th") for x in OUTCOME_LABELS)
          + td("未经复议直接起诉", cs=5, tag="th") + td("复议后起诉", cs=5, tag="th") + "</tr>",
          "<tr>" + "".join(td(x, tag="th") for x in OUTCOME_LABELS * 2) + "</tr>",
          "</thead>",
          "<tbody><tr>" + "".join(td(dv(str(appeals[p][o]))) for p in PROCEEDINGS for o in OUTCOMES) + "</tr></tbody>",
          "</table>"]
    a = apps
    rv = appeals
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>寿光市住房和城乡建设局2022年度政府信息公开工作报告</title>
</head>
<body>
<div class="wrap">
<div class="detail-title">寿光市住房和城乡建设局2022年度政府信息公开工作报告</div>
<div class="detail-info">发布日期：2023-01-28　信息来源：寿光市住房和城乡建设局　<a href="javascript:void(0)" onclick="window.print()">打印</a></div>
<div class="detail-content">
<p style="text-indent:2em">本报告依据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。</p>
<p style="text-indent:2em"><strong>一、总体情况</strong></p>
<p style="text-indent:2em">2022年，寿光市住房和城乡建设局深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，聚焦住房保障、城市建设、建筑市场监管等重点领域，持续加大信息公开力度。</p>
<p style="text-indent:2em">主动公开方面，全年主动公开政府信息527条，其中住房保障信息86条、建设工程项目信息214条、行政许可信息1286条次通过“信用寿光”同步公示。</p>
<p style="text-indent:2em">依申请公开方面，全年受理政府信息公开申请{a['received']['total']}件，上年度结转{a['carried_in']['total']}件，已办结{a['results_total']['total']}件，结转至下一年度继续办理{a['carried_out']['total']}件。因政府信息公开被申请行政复议{rv['review']['total']}件，被提起行政诉讼{rv['litigation_direct']['total'] + rv['litigation_after_review']['total']}件。</p>
<p style="text-indent:2em">政府信息管理、平台建设和监督保障方面，严格落实公开前保密审查，动态更新政府信息公开指南和目录，将政务公开纳入科室年度考核。</p>
<p style="text-indent:2em"><strong>二、主动公开政府信息情况</strong></p>
{chr(10).join(s2)}
<p style="text-indent:2em"><strong>三、收到和处理政府信息公开申请情况</strong></p>
{chr(10).join(s3)}
<p style="text-indent:2em"><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
{chr(10).join(s4)}
<p style="text-indent:2em"><strong>五、存在的主要问题及改进情况</strong></p>
<p style="text-indent:2em">存在的问题：一是依申请公开答复的规范性有待提高；二是部分业务科室对主动公开的重视程度不够。改进措施：一是加强答复文书的法制审核；二是开展全员政务公开培训，压实科室责任。</p>
<p style="text-indent:2em"><strong>六、其他需要报告的事项</strong></p>
<p style="text-indent:2em">本年度未收取政府信息公开信息处理费。</p>
</div>
</div>
</body>
</html>
"""
    write(rep["file"], html)
    dump(expected(rep, apps, appeals, active, layout,
                  extra_flags=[{"rule": "FMT_STRUCTURE", "severity": "warn", "subject": "applications"}]))


# ================================================================== report 4
# Plain text, v2019 (2020 report); cells separated by RUNS OF SPACES (no tabs); title abbreviates
# the agency.  Group labels only on the first sub-row, continuation rows indented.
def report4():
    rep = {
        "file": "h04_suixi_wjw_2020.txt",
        "agency": "濉溪县卫生健康委员会",
        "agency_in_title": "濉溪县卫健委",
        "region": "安徽省淮北市濉溪县",
        "year": 2020, "version": "v2019",
        "notes": [
            "plain text copied from a page: table cells separated by runs of 2+ spaces (no tabs), columns padded, CJK widths make columns ragged",
            "title abbreviates the agency (濉溪县卫健委); the body names 濉溪县卫生健康委员会",
            "v2019 format (2020 report): five 第二十条 items incl. 第（九）项 政府集中采购; signed 本年增/减 values (-3, -1)",
            "section 三: group label on the first sub-row only, following sub-rows indented with spaces",
            "section 四: three header lines then one line of 15 numbers",
        ],
    }
    layout = "v2019"
    apps = build_apps(layout, {
        "received": [42, 3, 0, 0, 2, 0], "carried_in": [1, 0, 0, 0, 0, 0],
        "granted": [18, 2, 0, 0, 1, 0], "partly_granted": [6, 0, 0, 0, 0, 0],
        "withheld_third_party": [2, 0, 0, 0, 0, 0], "withheld_process_info": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [9, 1, 0, 0, 0, 0], "unavailable_needs_creation": [2, 0, 0, 0, 0, 0],
        "unavailable_unclear": [1, 0, 0, 0, 0, 0],
        "rejected_petition": [2, 0, 0, 0, 1, 0], "rejected_publication": [1, 0, 0, 0, 0, 0],
    })
    appeals = build_appeals([0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0])
    active = {
        ("art20_1", "rules", "newly_made"): 0, ("art20_1", "rules", "newly_published"): 0,
        ("art20_1", "rules", "total_published"): 0,
        ("art20_1", "normative_documents", "newly_made"): 2, ("art20_1", "normative_documents", "newly_published"): 2,
        ("art20_1", "normative_documents", "total_published"): 11,
        ("art20_5", "licensing", "prior_year_items"): 36, ("art20_5", "licensing", "change"): -3,
        ("art20_5", "licensing", "decisions"): 2417,
        ("art20_5", "other_services", "prior_year_items"): 12, ("art20_5", "other_services", "change"): 2,
        ("art20_5", "other_services", "decisions"): 640,
        ("art20_6", "penalties", "prior_year_items"): 9, ("art20_6", "penalties", "change"): 0,
        ("art20_6", "penalties", "decisions"): 156,
        ("art20_6", "coercion", "prior_year_items"): 4, ("art20_6", "coercion", "change"): 0,
        ("art20_6", "coercion", "decisions"): 3,
        ("art20_8", "fees", "prior_year_items"): 2, ("art20_8", "fees", "change"): -1,
        ("art20_9", "procurement", "projects"): 7, ("art20_9", "procurement", "amount"): 136.52,
    }

    def dw(s):  # display width
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in s)

    def pad(s, width):
        return s + " " * max(2, width - dw(s))

    lines2 = []
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2019"]:
        lines2.append(head)
        lines2.append(pad("信息内容", 26) + "".join(pad(c, 18) for c in cols).rstrip())
        for row, lab in rows:
            vals = [active[(item, row, m)] for m in metrics]
            lines2.append(pad(lab, 26) + "".join(pad(str(v), 18) for v in vals).rstrip())
        lines2.append("")

    codes = row_codes(layout)
    L = 66
    lines3 = [
        pad(HEADER_NOTE, L) + "申请人情况",
        " " * L + pad("自然人", 8) + pad("法人或其他组织", 52) + "总计",
        " " * (L + 8) + "".join(pad(x, 10) for x in ORG_LABELS).rstrip(),
    ]
    seen = set()
    for c in codes:
        if c in TOP:
            label = TOP[c]
        elif group_of(c) is None:
            label = (GROUP_LABEL["results"] + "  " if c == "granted" else " " * 20) + RES[c]
        else:
            g = group_of(c)
            if g not in seen:
                seen.add(g)
                label = " " * 20 + GROUP_LABEL[g] + "  " + SUB[c]
            else:
                label = " " * 36 + SUB[c]
        lines3.append(pad(label, L) + "".join(pad(fmt_int(apps[c][x]), 10) for x in APPLICANTS).rstrip())

    lines4 = [
        pad("行政复议", 50) + "行政诉讼",
        "".join(pad(x, 10) for x in OUTCOME_LABELS) + pad("未经复议直接起诉", 50) + "复议后起诉",
        " " * 50 + "".join(pad(x, 10) for x in OUTCOME_LABELS * 2).rstrip(),
        "".join(pad(str(appeals[p][o]), 10) for p in PROCEEDINGS for o in OUTCOMES).rstrip(),
    ]
    a = apps
    text = "\n".join([
        "濉溪县卫健委2020年政府信息公开工作年度报告",
        "",
        "发布时间：2021-01-25  来源：濉溪县卫生健康委员会",
        "",
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由濉溪县卫生健康委员会编制。本报告所列数据统计期限自2020年1月1日起至2020年12月31日止。",
        "",
        "一、总体情况",
        "",
        "2020年，濉溪县卫生健康委员会在县委、县政府的坚强领导下，紧紧围绕新冠肺炎疫情防控和卫生健康中心工作，认真贯彻落实《条例》，进一步加大政府信息公开力度。",
        "（一）主动公开。全年通过县政府信息公开网主动公开信息1136条，其中疫情防控信息412条、公共卫生信息168条、医疗机构执业登记等行政许可信息2417条次在“信用濉溪”同步公开。",
        f"（二）依申请公开。全年共收到政府信息公开申请{a['received']['total']}件，上年结转{a['carried_in']['total']}件，全部按时办结{a['results_total']['total']}件，结转下年度办理{a['carried_out']['total']}件。",
        "（三）政府信息管理。严格执行“三审三校”制度，加强公开前保密审查。",
        "（四）平台建设。优化政府信息公开专栏，完善卫生健康领域基层政务公开标准目录。",
        "（五）监督保障。成立政务公开工作领导小组，将政务公开纳入委机关年度目标考核。",
        "",
        "二、主动公开政府信息情况",
        "",
        *lines2,
        "三、收到和处理政府信息公开申请情况",
        "",
        *lines3,
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        *lines4,
        "",
        "五、存在的主要问题及改进情况",
        "",
        "一是主动公开的及时性有待提高，部分疫情防控信息更新滞后；二是政策解读质量不高。2021年，我委将完善信息发布协调机制，提高政策解读质量，进一步提升政府信息公开工作水平。",
        "",
        "六、其他需要报告的事项",
        "",
        "无。",
        "",
        "濉溪县卫生健康委员会",
        "2021年1月22日",
        "",
    ])
    write(rep["file"], text)
    dump(expected(rep, apps, appeals, active, layout))


# ================================================================== report 5
# Traditional-character mirror (gate/big5 style), UTF-8, district government (区人民政府).
# Official structure with <br> and &nbsp; inside labels, thousands separator in one value,
# 4-decimal fee.  Title abbreviates (no 人民政府).
# simplified -> traditional, character by character (as gate/big5 mirror converters do); pairs "简繁"
S2T_PAIRS = (
    "万萬与與专專业業严嚴丰豐为為举舉于於优優会會体體关關内內决決况況办辦务務动動区區华華单單厅廳发發台臺号號后後国國场場坚堅"
    "处處备備复復够夠实實审審对對将將属屬废廢开開强強当當录錄彻徹态態总總户戶执執护護报報据據数數无無机機权權条條构構标標栏欄"
    "楼樓没沒现現电電监監码碼确確碍礙稳穩简簡类類纠糾纳納组組织織经經结結统統继繼绩績续續维維编編缴繳网網罚罰联聯范範获獲补補"
    "规規计計认認训訓议議许許讼訟设設访訪评評识識诉訴话話询詢语語请請读讀调調责責贯貫费費转轉载載过過这這进進长長门門闭閉问問"
    "闻聞闽閩页頁项項题題额額"
)
S2T = dict(zip(S2T_PAIRS[0::2], S2T_PAIRS[1::2]))


def to_trad(s: str) -> str:
    return "".join(S2T.get(ch, ch) for ch in s)


def report5():
    rep = {
        "file": "h05_gulou_qzf_2021_big5mirror.html",
        "agency": "福州市鼓楼区人民政府",
        "agency_in_title": "福州市鼓楼区",
        "region": "福建省福州市鼓楼区",
        "year": 2021, "version": "v2021",
        "notes": [
            "Traditional-character mirror page (gate/big5 style converter, character by character: 復議, 後, 發布, 臺); UTF-8 bytes",
            "agency / agency_in_title are given in simplified characters (the body prints 福州市鼓樓區人民政府, the title 福州市鼓樓區)",
            "title abbreviates the agency (no 人民政府): 福州市鼓樓區2021年政府信息公開工作年度報告",
            "labels contain <br> and &nbsp; (商業<br>企業, （二）部分公開<br>（區分處理的…）)",
            "licensing decisions printed with a thousands separator: 12,486",
            "fee printed with 4 decimals: 3215.6700 (万元)",
            "site chrome: 繁體/简体 switch, 無障礙, 語音朗讀; metadata table before the body",
        ],
    }
    layout = "v2021"
    apps = build_apps(layout, {
        "received": [268, 41, 2, 3, 9, 6], "carried_in": [17, 2, 0, 0, 1, 0],
        "granted": [98, 16, 1, 1, 3, 2], "partly_granted": [31, 5, 0, 1, 1, 1],
        "withheld_state_secret": [1, 0, 0, 0, 0, 0], "withheld_prohibited_by_law": [2, 0, 0, 0, 0, 0],
        "withheld_security_stability": [1, 0, 0, 0, 0, 0], "withheld_third_party": [6, 2, 0, 0, 0, 0],
        "withheld_internal_affairs": [3, 0, 0, 0, 0, 0], "withheld_process_info": [7, 1, 0, 0, 0, 0],
        "withheld_enforcement_file": [2, 0, 0, 0, 0, 0], "withheld_admin_query": [4, 1, 0, 0, 1, 0],
        "unavailable_not_held": [64, 9, 1, 0, 2, 1], "unavailable_needs_creation": [11, 2, 0, 0, 0, 0],
        "unavailable_unclear": [5, 1, 0, 0, 0, 0],
        "rejected_petition": [9, 1, 0, 0, 0, 0], "rejected_duplicate": [6, 0, 0, 0, 0, 0],
        "rejected_publication": [2, 0, 0, 0, 0, 0], "rejected_excessive": [3, 0, 0, 0, 0, 0],
        "rejected_confirmation": [4, 1, 0, 0, 0, 0],
        "other_no_correction": [8, 1, 0, 0, 0, 1], "other_fee_unpaid": [1, 0, 0, 0, 0, 0],
        "other_misc": [3, 0, 0, 1, 0, 0],
    })
    appeals = build_appeals([5, 2, 1, 2], [3, 0, 1, 1], [2, 1, 0, 0])
    active = {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0, ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 6, ("art20_1", "normative_documents", "repealed"): 3,
        ("art20_1", "normative_documents", "in_force"): 42,
        ("art20_5", "licensing", "decisions"): 12486,
        ("art20_6", "penalties", "decisions"): 1033, ("art20_6", "coercion", "decisions"): 58,
        ("art20_8", "fees", "amount"): 3215.67,
    }
    disp = {("art20_5", "licensing", "decisions"): "12,486", ("art20_8", "fees", "amount"): "3215.6700"}

    s2 = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" class="MsoNormalTable">']
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2021"]:
        s2.append("<tr>" + td(head, cs=4) + "</tr>")
        if len(cols) == 1:
            s2.append("<tr>" + td("信息内容") + td("&nbsp;", cs=2) + td(cols[0]) + "</tr>")
        else:
            s2.append("<tr>" + td("信息内容") + "".join(td(c) for c in cols) + "</tr>")
        for row, lab in rows:
            ks = [(item, row, m) for m in metrics]
            vals = [disp.get(k, str(active[k])) for k in ks]
            if len(vals) == 1:
                s2.append("<tr>" + td(lab) + td("&nbsp;", cs=2) + td(vals[0]) + "</tr>")
            else:
                s2.append("<tr>" + td(lab) + "".join(td(v) for v in vals) + "</tr>")
    s2.append("</table>")

    codes = row_codes(layout)
    labs = official_labels(codes, lab=lambda s: s.replace("（二）部分公开（", "（二）部分公开<br>（"))
    s3 = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" class="MsoNormalTable">',
          "<tr>" + td(HEADER_NOTE, rs=3, cs=3) + td("申请人情况", cs=7) + "</tr>",
          "<tr>" + td("自然人", rs=2) + td("法人或其他<br>组织", cs=5) + td("总计", rs=2) + "</tr>",
          "<tr>" + td("商业<br>企业") + td("科研<br>机构") + td("社会公益<br>组织") + td("法律服务<br>机构")
          + td("其他") + "</tr>"]
    for c in codes:
        s3.append("<tr>" + "".join(td(t, rs, cs) for t, rs, cs in labs[c])
                  + "".join(td(fmt_int(apps[c][x])) for x in APPLICANTS) + "</tr>")
    s3.append("</table>")
    s4 = ['<table border="1" cellspacing="0" cellpadding="0" width="100%" class="MsoNormalTable">',
          "<tr>" + td("行政复议", cs=5) + td("行政诉讼", cs=10) + "</tr>",
          "<tr>" + "".join(td(x, rs=2) for x in OUTCOME_LABELS) + td("未经复议直接起诉", cs=5) + td("复议后起诉", cs=5) + "</tr>",
          "<tr>" + "".join(td(x) for x in OUTCOME_LABELS * 2) + "</tr>",
          "<tr>" + "".join(td(str(appeals[p][o])) for p in PROCEEDINGS for o in OUTCOMES) + "</tr>",
          "</table>"]
    a = apps
    rv = appeals
    lit = rv["litigation_direct"]["total"] + rv["litigation_after_review"]["total"]
    body = f"""<div class="nav-top"><a href="/gate/gb/www.gl.gov.cn/">简体</a> | <span>繁体</span> | <a href="#">无障碍</a> | <a href="#">长者模式</a></div>
<div class="crumbs">当前位置：<a href="#">首页</a> &gt; <a href="#">政务公开</a> &gt; <a href="#">政府信息公开年报</a></div>
<table class="xxgk-head" border="0" width="100%">
<tr><td>索&nbsp;引&nbsp;号：</td><td>FZ07101-0300-2022-00011</td><td>所属机构：</td><td>福州市鼓楼区人民政府办公室</td></tr>
<tr><td>发布日期：</td><td>2022-03-25</td><td>文&nbsp;&nbsp;号：</td><td></td></tr>
</table>
<h2 class="article-title">福州市鼓楼区2021年政府信息公开工作年度报告</h2>
<div class="tools"><a href="#">语音朗读</a> <a href="#">打印</a> <a href="#">关闭</a></div>
<div class="TRS_Editor" id="zoom">
<p>&nbsp;&nbsp;&nbsp;&nbsp;本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告格式的要求，由福州市鼓楼区人民政府办公室编制。报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。本报告电子版可在鼓楼区人民政府门户网站下载。如对本报告有疑问，请与福州市鼓楼区人民政府办公室联系（联系电话：0591-87071234）。</p>
<p><strong>一、总体情况</strong></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;2021年，福州市鼓楼区人民政府坚持以人民为中心的发展思想，认真贯彻落实《中华人民共和国政府信息公开条例》，以公开促落实、强监管、优服务，政务公开工作取得新成效。</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（一）主动公开。全年通过区政府门户网站主动公开政府信息8651条，发布政策解读材料63篇，召开新闻发布会9场。</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（二）依申请公开。全年共收到政府信息公开申请{a['received']['total']}件，上年结转{a['carried_in']['total']}件，办结{a['results_total']['total']}件，结转下年度继续办理{a['carried_out']['total']}件。全年发生政府信息公开行政复议{rv['review']['total']}件、行政诉讼{lit}件（其中未经复议直接起诉{rv['litigation_direct']['total']}件、复议后起诉{rv['litigation_after_review']['total']}件）。</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（三）政府信息管理。持续开展规范性文件清理，动态调整主动公开基本目录，严格公开前保密审查。</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（四）平台建设。优化区政府门户网站政府信息公开专栏，推进政务新媒体规范化建设。</p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;（五）监督保障。将政务公开纳入全区绩效考评，开展全区政务公开业务培训3场；本年度未发生因政务公开工作不力被责任追究的情况。</p>
<p><strong>二、主动公开政府信息情况</strong></p>
{chr(10).join(s2)}
<p><strong>三、收到和处理政府信息公开申请情况</strong></p>
{chr(10).join(s3)}
<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p>
{chr(10).join(s4)}
<p><strong>五、存在的主要问题及改进情况</strong></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;2021年，我区政府信息公开工作仍存在政策解读形式不够丰富、依申请公开答复规范化水平有待提升等问题。2022年，我区将进一步加强政策解读，健全依申请公开办理机制，加强业务培训。</p>
<p><strong>六、其他需要报告的事项</strong></p>
<p>&nbsp;&nbsp;&nbsp;&nbsp;本年度我区未收取政府信息公开信息处理费。</p>
<p style="text-align:right">福州市鼓楼区人民政府<br>2022年3月25日</p>
</div>
<div class="footer">主办：福州市鼓楼区人民政府办公室　网站标识码：3501020001　闽ICP备05011537号</div>"""
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{to_trad('福州市鼓楼区2021年政府信息公开工作年度报告_福州市鼓楼区人民政府')}</title>
</head>
<body>
{to_trad(body)}
</body>
</html>
"""
    write(rep["file"], html)
    dump(expected(rep, apps, appeals, active, layout))


# ================================================================== report 6
# Township government with two real arithmetic errors.  Section 三 header: 申请人情况 over SEVEN
# flat columns (no 法人或其他组织 group cell at all); full-width digits in section 三; half-width
# (三) and 1、 numbering.  Title names only the township.
def report6():
    rep = {
        "file": "h06_zangang_zhen_2022.html",
        "agency": "雄县昝岗镇人民政府",
        "agency_in_title": "昝岗镇",
        "region": "河北省保定市雄县昝岗镇",
        "year": 2022, "version": "v2021",
        "notes": [
            "township (镇人民政府); title names only 昝岗镇, body 雄县昝岗镇人民政府",
            "REAL ERRORS: 三（七）总计 for 自然人/总计 is 11 while 一+二 = 12 and 四 = 0 (T3_STATED natural_person and total); 行政复议 总计 1 beside 结果维持 1 + 尚未审结 1 (T4_TOTALS review)",
            "section 三 header: corner | 申请人情况 (colspan 7), then 自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计 flat in row two; no 法人或其他组织 cell",
            "section 三 numbers in full-width digits (１２, ０)",
            "labels use half-width (三) parentheses and 1、 numbering; 三、本年度办理结果 rowspans as in the official table",
        ],
    }
    layout = "v2021"
    apps = build_apps(layout, {
        "received": [12, 0, 0, 0, 0, 0],
        "granted": [7, 0, 0, 0, 0, 0], "partly_granted": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [3, 0, 0, 0, 0, 0],
    })
    assert apps["results_total"]["natural_person"] == 11 and apps["carried_out"]["natural_person"] == 1
    # the printed table: carried_out 0 (the clerk forgot the pending one)
    apps["carried_out"]["natural_person"] = 0
    apps["carried_out"]["total"] = 0
    appeals = build_appeals([1, 0, 0, 1, 1], [0, 0, 0, 0], [0, 0, 0, 0])
    active = {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0, ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 0, ("art20_1", "normative_documents", "repealed"): 0,
        ("art20_1", "normative_documents", "in_force"): 0,
        ("art20_5", "licensing", "decisions"): 46,
        ("art20_6", "penalties", "decisions"): 3, ("art20_6", "coercion", "decisions"): 0,
        ("art20_8", "fees", "amount"): 0,
    }

    def hw(s):
        s = s.replace("（", "(").replace("）", ")")
        if len(s) > 1 and s[0].isdigit() and s[1] == ".":
            s = s[0] + "、" + s[2:]
        return s

    s2 = ['<table border="1" cellpadding="0" cellspacing="0" style="border-collapse:collapse" width="560">']
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2021"]:
        s2.append("<tr>" + td(hw(head), cs=4) + "</tr>")
        s2.append("<tr>" + td("信息内容") + "".join(td(c, cs=(3 if len(cols) == 1 else 1)) for c in cols) + "</tr>")
        for row, lab in rows:
            vals = [active[(item, row, m)] for m in metrics]
            s2.append("<tr>" + td(lab) + "".join(td(str(v), cs=(3 if len(vals) == 1 else 1)) for v in vals) + "</tr>")
    s2.append("</table>")
    codes = row_codes(layout)
    labs = official_labels(codes, lab=hw)
    s3 = ['<table border="1" cellpadding="0" cellspacing="0" style="border-collapse:collapse" width="640">',
          "<tr>" + td(hw(HEADER_NOTE), rs=2, cs=3) + td("申请人情况", cs=7) + "</tr>",
          "<tr>" + "".join(td(APPLICANT_LABEL[x]) for x in APPLICANTS) + "</tr>"]
    for c in codes:
        s3.append("<tr>" + "".join(td(t, rs, cs) for t, rs, cs in labs[c])
                  + "".join(td(fmt_int(apps[c][x], fullwidth=True)) for x in APPLICANTS) + "</tr>")
    s3.append("</table>")
    s4 = ['<table border="1" cellpadding="0" cellspacing="0" style="border-collapse:collapse" width="640">',
          "<tr>" + td("行政复议", cs=5) + td("行政诉讼", cs=10) + "</tr>",
          "<tr>" + "".join(td(x, rs=2) for x in OUTCOME_LABELS) + td("未经复议直接起诉", cs=5) + td("复议后起诉", cs=5) + "</tr>",
          "<tr>" + "".join(td(x) for x in OUTCOME_LABELS * 2) + "</tr>",
          "<tr>" + "".join(td(str(appeals[p][o])) for p in PROCEEDINGS for o in OUTCOMES) + "</tr>",
          "</table>"]
    a = apps
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>昝岗镇2022年政府信息公开工作年度报告</title>
</head>
<body>
<div class="top">雄县人民政府 · 乡镇信息公开</div>
<div class="article">
<h2 style="text-align:center">昝岗镇2022年政府信息公开工作年度报告</h2>
<p class="info" style="text-align:center">发布单位：雄县昝岗镇人民政府　　发布时间：2023年01月29日</p>
<p>　　根据《中华人民共和国政府信息公开条例》规定，现公布雄县昝岗镇人民政府2022年度政府信息公开工作年度报告。</p>
<p><b>一、总体情况</b></p>
<p>　　2022年，雄县昝岗镇人民政府在县委、县政府的正确领导下，认真落实政府信息公开各项要求，结合乡村振兴、征迁安置等群众关心的重点工作，及时公开相关信息。</p>
<p>　　1.主动公开方面。通过县政府网站乡镇专栏、镇村公开栏等渠道主动公开信息132条。</p>
<p>　　2.依申请公开方面。全年共收到政府信息公开申请{a['received']['total']}件，已答复{a['results_total']['total']}件，申请人均为自然人，申请内容主要涉及征迁安置补偿。</p>
<p>　　3.政府信息管理方面。落实信息发布审核制度，做到先审后发。</p>
<p>　　4.平台建设方面。加强镇村两级公开栏建设，及时更新公开内容。</p>
<p>　　5.监督保障方面。成立以镇长为组长的政务公开工作领导小组，明确专人负责。</p>
<p><b>二、主动公开政府信息情况</b></p>
{chr(10).join(s2)}
<p><b>三、收到和处理政府信息公开申请情况</b></p>
{chr(10).join(s3)}
<p><b>四、政府信息公开行政复议、行政诉讼情况</b></p>
{chr(10).join(s4)}
<p><b>五、存在的主要问题及改进情况</b></p>
<p>　　存在的问题：一是工作人员业务能力有待提高；二是公开内容不够丰富。改进措施：加强学习培训，进一步拓宽公开渠道，提高公开质量。</p>
<p><b>六、其他需要报告的事项</b></p>
<p>　　本年度无收取信息处理费情况，无其他需要报告的事项。</p>
<p style="text-align:right">雄县昝岗镇人民政府<br>2023年1月20日</p>
</div>
</body>
</html>
"""
    write(rep["file"], html)
    exp = expected(rep, apps, appeals, active, layout)
    got = {(f["rule"], f["subject"]) for f in exp["expected_flags"]}
    assert got == {("T3_STATED", "natural_person"), ("T3_STATED", "total"), ("T4_TOTALS", "review")}, got
    dump(exp)


# ================================================================== report 7
# 2022 report that still uses the v2019 tables (FMT_VERSION error).  GB2312 page.  Section 三 uses
# "-" for every zero (NULL).  Section 二 has "无" in the fee row.  Section 四: the five 复议 outcome
# cells do NOT span two rows; the third header row starts with five empty cells.
def report7():
    rep = {
        "file": "h07_qinzhou_jtj_2022.html",
        "agency": "天水市秦州区交通运输局",
        "agency_in_title": "秦州区交通运输局",
        "region": "甘肃省天水市秦州区",
        "year": 2022, "version": "v2019",
        "notes": [
            "a 2022 report that still uses the v2019 (60号) tables: 本年新制作数量, 其他对外管理服务事项, 第二十条第（九）项, single （六）其他处理 row -> FMT_VERSION error",
            "GB2312-declared page (bytes are GBK-compatible)",
            "section 三 prints '-' for every zero, including the 总计 column: those cells are NULL (project convention: '-' is a null marker)",
            "section 二: 行政事业性收费 上一年项目数量 and 本年增/减 printed as 无 (NULL); 采购总金额 86.4 with no unit",
            "section 四: 复议 outcome names do not span two header rows; the third header row begins with five empty <td></td>",
        ],
    }
    layout = "v2019"
    NIL = 0 if DASH_MEANS_ZERO else None
    full = build_apps(layout, {
        "received": [9, 2, 0, 0, 0, 0],
        "granted": [4, 1, 0, 0, 0, 0], "partly_granted": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [3, 1, 0, 0, 0, 0], "rejected_petition": [1, 0, 0, 0, 0, 0],
    })
    shown = null_where(full, lambda r, a, v: v == 0)      # what the page prints ("-" where None)
    apps = full if DASH_MEANS_ZERO else shown
    appeals = build_appeals([0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0])
    active = {
        ("art20_1", "rules", "newly_made"): 0, ("art20_1", "rules", "newly_published"): 0,
        ("art20_1", "rules", "total_published"): 0,
        ("art20_1", "normative_documents", "newly_made"): 1, ("art20_1", "normative_documents", "newly_published"): 1,
        ("art20_1", "normative_documents", "total_published"): 6,
        ("art20_5", "licensing", "prior_year_items"): 18, ("art20_5", "licensing", "change"): 0,
        ("art20_5", "licensing", "decisions"): 735,
        ("art20_5", "other_services", "prior_year_items"): 5, ("art20_5", "other_services", "change"): 1,
        ("art20_5", "other_services", "decisions"): 92,
        ("art20_6", "penalties", "prior_year_items"): 64, ("art20_6", "penalties", "change"): -2,
        ("art20_6", "penalties", "decisions"): 418,
        ("art20_6", "coercion", "prior_year_items"): 7, ("art20_6", "coercion", "change"): 0,
        ("art20_6", "coercion", "decisions"): 21,
        ("art20_8", "fees", "prior_year_items"): NIL, ("art20_8", "fees", "change"): NIL,
        ("art20_9", "procurement", "projects"): 3, ("art20_9", "procurement", "amount"): 86.4,
    }
    s2 = ['<table border="1" cellspacing="0" cellpadding="0" width="600">']
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2019"]:
        s2.append("<tr>" + td(head, cs=4) + "</tr>")
        hdr = [td("信息内容")] + [td(c) for c in cols]
        if len(cols) == 2:
            hdr.append(td(""))
        s2.append("<tr>" + "".join(hdr) + "</tr>")
        for row, lab in rows:
            cells = [td(lab)]
            for m in metrics:
                v = active[(item, row, m)]
                cells.append(td("无" if (item, row) == ("art20_8", "fees") else str(v)))
            if len(metrics) == 2:
                cells.append(td(""))
            s2.append("<tr>" + "".join(cells) + "</tr>")
    s2.append("</table>")
    codes = row_codes(layout)
    labs = official_labels(codes)
    s3 = ['<table border="1" cellspacing="0" cellpadding="0" width="640">',
          "<tr>" + td(HEADER_NOTE, rs=3, cs=3) + td("申请人情况", cs=7) + "</tr>",
          "<tr>" + td("自然人", rs=2) + td("法人或其他组织", cs=5) + td("总计", rs=2) + "</tr>",
          "<tr>" + "".join(td(x) for x in ORG_LABELS) + "</tr>"]
    for c in codes:
        s3.append("<tr>" + "".join(td(t, rs, cs) for t, rs, cs in labs[c])
                  + "".join(td(fmt_int(shown[c][x], none="-")) for x in APPLICANTS) + "</tr>")
    s3.append("</table>")
    s4 = ['<table border="1" cellspacing="0" cellpadding="0" width="640">',
          "<tr>" + td("行政复议", cs=5) + td("行政诉讼", cs=10) + "</tr>",
          "<tr>" + "".join(td(x) for x in OUTCOME_LABELS) + td("未经复议直接起诉", cs=5) + td("复议后起诉", cs=5) + "</tr>",
          "<tr>" + "<td></td>" * 5 + "".join(td(x) for x in OUTCOME_LABELS * 2) + "</tr>",
          "<tr>" + "".join(td(str(appeals[p][o])) for p in PROCEEDINGS for o in OUTCOMES) + "</tr>",
          "</table>"]
    html = f"""<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>秦州区交通运输局2022年政府信息公开工作年度报告</title>
</head>
<body>
<table width="100%" border="0"><tr><td class="title" align="center"><font size="5"><b>秦州区交通运输局2022年政府信息公开工作年度报告</b></font></td></tr>
<tr><td align="center"><font color="#666666">来源：天水市秦州区交通运输局　　时间：2023-01-20　　点击数：</font></td></tr></table>
<div id="content">
<p>　　本年度报告根据《中华人民共和国政府信息公开条例》要求编制，全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项等六部分组成。</p>
<p>　　<b>一、总体情况</b></p>
<p>　　2022年，天水市秦州区交通运输局在区委、区政府的坚强领导下，坚持以公开为常态、不公开为例外，扎实做好政府信息公开工作。全年主动公开各类信息286条；共收到政府信息公开申请{full['received']['total']}件，均按期答复，无结转。全年发生涉及政府信息公开的行政诉讼{appeals['litigation_direct']['total']}起，法院判决维持。</p>
<p>　　<b>二、主动公开政府信息情况</b></p>
{chr(10).join(s2)}
<p>　　<b>三、收到和处理政府信息公开申请情况</b></p>
{chr(10).join(s3)}
<p>　　<b>四、政府信息公开行政复议、行政诉讼情况</b></p>
{chr(10).join(s4)}
<p>　　<b>五、存在的主要问题及改进情况</b></p>
<p>　　一是信息公开的主动性不够；二是公开形式较为单一。下一步，我局将加强组织领导，丰富公开形式，不断提升政府信息公开工作水平。</p>
<p>　　<b>六、其他需要报告的事项</b></p>
<p>　　本年度未收取信息处理费。</p>
<p align="right">天水市秦州区交通运输局</p>
<p align="right">2023年1月18日</p>
</div>
</body>
</html>
"""
    html.encode("gb2312")  # the page really is GB2312-clean
    write(rep["file"], html, "gbk")
    exp = expected(rep, apps, appeals, active, layout)
    got = {(f["rule"], f["subject"]) for f in exp["expected_flags"]}
    assert got == {("FMT_VERSION", "template_version")}, got
    dump(exp)


# ================================================================== report 8
# Plain text with TABS, v2021 but a single （六）其他处理 row (other_handling).  Group labels on lines
# of their own.  The 总计 column is left empty on every 三、本年度办理结果 sub-row (NULL) but filled
# on 一、二、（七）、四.  Year in the section 二 headers: 本年(2023)制发件数.
def report8():
    rep = {
        "file": "h08_huaihua_sthjj_2023.txt",
        "agency": "怀化市生态环境局",
        "region": "湖南省怀化市",
        "year": 2023, "version": "v2021",
        "notes": [
            "tab-separated text; title 怀化市生态环境局2023年度政府信息公开工作报告",
            "v2021 labels but a single （六）其他处理 row -> stored as other_handling",
            "section 三: group labels (三、本年度办理结果, （三）不予公开 …) each on a line of their own, followed by their sub-rows",
            "section 三: the 总计 column is empty on every outcome sub-row (（一）…（六）) but filled on 一、二、（七）、四 -> NULL, never a violation",
            "section 二 headers carry the year: 本年(2023)制发件数, 本年(2023)废止件数; fee header 本年收费金额(单位:万元)",
            "section 三 header on two lines: 自然人 | 法人或其他组织 five columns | 总计, no 申请人情况 line",
        ],
    }
    layout = "v2021_single6"
    full = build_apps(layout, {
        "received": [37, 8, 1, 2, 3, 1], "carried_in": [2, 1, 0, 0, 0, 0],
        "granted": [15, 3, 0, 1, 1, 0], "partly_granted": [5, 1, 0, 0, 0, 0],
        "withheld_third_party": [1, 0, 0, 0, 0, 0], "withheld_process_info": [2, 1, 0, 0, 0, 0],
        "unavailable_not_held": [9, 2, 1, 1, 1, 1], "unavailable_needs_creation": [2, 0, 0, 0, 0, 0],
        "unavailable_unclear": [1, 0, 0, 0, 0, 0],
        "rejected_duplicate": [1, 0, 0, 0, 0, 0], "rejected_confirmation": [0, 1, 0, 0, 0, 0],
        "other_handling": [1, 0, 0, 0, 0, 0],
    })
    codes = row_codes(layout)
    res = result_rows(codes)
    apps = null_where(full, lambda r, a, v: a == "total" and r in res)
    appeals = build_appeals([1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0])
    active = {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0, ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 1, ("art20_1", "normative_documents", "repealed"): 0,
        ("art20_1", "normative_documents", "in_force"): 5,
        ("art20_5", "licensing", "decisions"): 214,
        ("art20_6", "penalties", "decisions"): 96, ("art20_6", "coercion", "decisions"): 12,
        ("art20_8", "fees", "amount"): 0,
    }
    T = "\t"
    hdr_fix = {"本年制发件数": "本年(2023)制发件数", "本年废止件数": "本年(2023)废止件数",
               "现行有效件数": "现行有效件数", "本年处理决定数量": "本年处理决定数量",
               "本年收费金额（单位：万元）": "本年收费金额(单位:万元)"}
    lines2 = []
    for item, head, cols, rows, metrics in ACTIVE_TEMPLATE["v2021"]:
        lines2.append(head)
        lines2.append(T.join(["信息内容"] + [hdr_fix[c] for c in cols]))
        for row, lab in rows:
            lines2.append(T.join([lab] + [str(active[(item, row, m)]) for m in metrics]))
    lines3 = [HEADER_NOTE + T + "自然人" + T + "法人或其他组织" + T * 5 + "总计",
              T * 2 + T.join(ORG_LABELS)]
    seen = set()
    for c in codes:
        if c == "granted":
            lines3.append(GROUP_LABEL["results"])
        g = group_of(c)
        if g and g not in seen:
            seen.add(g)
            lines3.append(GROUP_LABEL[g])
        label = TOP.get(c) or RES.get(c) or SUB[c]
        lines3.append(T.join([label] + [fmt_int(apps[c][x]) for x in APPLICANTS]))
    lines4 = [
        "行政复议" + T * 5 + "行政诉讼",
        T.join(OUTCOME_LABELS) + T + "未经复议直接起诉" + T * 5 + "复议后起诉",
        T * 5 + T.join(OUTCOME_LABELS * 2),
        T.join(str(appeals[p][o]) for p in PROCEEDINGS for o in OUTCOMES),
    ]
    a = full
    text = "\n".join([
        "怀化市生态环境局2023年度政府信息公开工作报告",
        "",
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，怀化市生态环境局编制了2023年度政府信息公开工作报告。本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
        "",
        "一、总体情况",
        "",
        "2023年，怀化市生态环境局以习近平生态文明思想为指导，全面贯彻落实《条例》，围绕污染防治攻坚战和生态环境保护重点工作，持续推进生态环境信息公开。",
        "（一）主动公开。全年主动公开政府信息1024条，公开环境影响评价审批信息214条、行政处罚决定96件，按月发布全市环境空气质量和地表水水质状况。",
        f"（二）依申请公开。全年新收政府信息公开申请{a['received']['total']}件，上年结转{a['carried_in']['total']}件；办结{a['results_total']['total']}件，结转下年度继续办理{a['carried_out']['total']}件。",
        "（三）政府信息管理。严格落实公开前审查机制，动态更新政府信息公开目录。",
        "（四）平台建设。加强门户网站“生态环境”专栏和“怀化生态环境”政务新媒体建设。",
        "（五）监督保障。将政务公开纳入局机关年度目标考核，全年开展业务培训2次。",
        "",
        "二、主动公开政府信息情况",
        "",
        *lines2,
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        *lines3,
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "",
        *lines4,
        "",
        "五、存在的主要问题及改进情况",
        "",
        "一是部分区县生态环境分局信息公开及时性不足；二是政策解读的针对性有待加强。2024年，我局将加强对区县分局的指导，完善信息发布流程，提升政策解读质量。",
        "",
        "六、其他需要报告的事项",
        "",
        "本年度未收取信息处理费。",
        "",
        "怀化市生态环境局",
        "2024年1月25日",
        "",
    ])
    write(rep["file"], text)
    dump(expected(rep, apps, appeals, active, layout))


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    for f in (report1, report2, report3, report4, report5, report6, report7, report8):
        f()
    print("\n".join(sorted(p.name for p in OUT.iterdir())))


if __name__ == "__main__":
    main()
