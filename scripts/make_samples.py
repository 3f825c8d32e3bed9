#!/usr/bin/env python3
"""Generate the bundled sample corpus in ``data/samples/``.

Every document is a synthetic but realistic 政府信息公开工作年度报告 (HTML or plain text) with a
``<stem>.expected.json`` beside it holding the values a correct extractor must find and the flags a
correct checker must raise. The corpus exercises the layouts and traps of
``shared/corpus/VARIETY.md``: proper rowspan/colspan tables, Word-exported GBK HTML, a GB2312 page
without a charset declaration, tables whose markup was lost, tab-separated copies with shifted rows,
site chrome, label drift, Traditional characters, blank/unit/marker values, mixed template versions,
one deliberately inconsistent report per arithmetic rule, and a few documents that are not reports.

The script is deterministic: every document draws from its own ``random.Random`` seeded with a
CRC of its name, so running it twice writes byte-identical files.

    .venv/bin/python scripts/make_samples.py            # writes data/samples/
    .venv/bin/python scripts/make_samples.py --out DIR  # somewhere else

It imports nothing from nianbao on purpose: the samples are the yardstick for the parser, so they
must not be produced by it. The arithmetic of every expected.json is re-checked here (``check``)
and asserted equal to the flags the document intends.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "samples"
SEED_NAME = "000_353fe64ea44b1a70"
# Where the project's seed report lives; the copy already in data/samples is the fallback (CI
# machines have no /work/shared).
SEED_SOURCES = (Path("/work/shared/seeds"), DEFAULT_OUT)

# ----------------------------------------------------------------------------- canonical codes
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
              "legal_service_org", "other_org", "total"]
SIX = APPLICANTS[:6]
WITHHELD = ["withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
            "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
            "withheld_enforcement_file", "withheld_admin_query"]
UNAVAILABLE = ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"]
REJECTED = ["rejected_petition", "rejected_duplicate", "rejected_publication", "rejected_excessive",
            "rejected_confirmation"]
OTHER_V2021 = ["other_no_correction", "other_fee_unpaid", "other_misc"]
TOP_ROWS = ("received", "carried_in", "results_total", "carried_out")
PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]

ACTIVE_SPEC: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "v2021": [
        ("art20_1", ["rules", "normative_documents"], ["issued", "repealed", "in_force"]),
        ("art20_5", ["licensing"], ["decisions"]),
        ("art20_6", ["penalties", "coercion"], ["decisions"]),
        ("art20_8", ["fees"], ["amount"]),
    ],
    "v2019": [
        ("art20_1", ["rules", "normative_documents"], ["newly_made", "newly_published", "total_published"]),
        ("art20_5", ["licensing", "other_services"], ["prior_year_items", "change", "decisions"]),
        ("art20_6", ["penalties", "coercion"], ["prior_year_items", "change", "decisions"]),
        ("art20_8", ["fees"], ["prior_year_items", "change"]),
        ("art20_9", ["procurement"], ["projects", "amount"]),
    ],
}
V2019_ONLY_METRICS = {"newly_made", "newly_published", "total_published", "prior_year_items", "change",
                      "projects"}


def app_rows(version: str, single_other: bool = False) -> list[str]:
    other = ["other_handling"] if (version == "v2019" or single_other) else OTHER_V2021
    return ["received", "carried_in", "granted", "partly_granted", *WITHHELD, *UNAVAILABLE, *REJECTED,
            *other, "results_total", "carried_out"]


def outcome_rows(rows: list[str]) -> list[str]:
    return [r for r in rows if r not in TOP_ROWS]


# ----------------------------------------------------------------------------- labels
CN_NUM = "一二三四五六七八九十"
T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_SUBLABELS = {
    "withheld": ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                 "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"],
    "unavailable": ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"],
    "rejected": ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                 "要求行政机关确认或重新出具已获取信息"],
    "other": ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
              "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"],
}
GROUP_ROWS = {"withheld": WITHHELD, "unavailable": UNAVAILABLE, "rejected": REJECTED, "other": OTHER_V2021}
GROUP_TITLES = {"withheld": (3, "不予公开"), "unavailable": (4, "无法提供"), "rejected": (5, "不予处理"),
                "other": (6, "其他处理")}
ITEM_NUM = {"art20_1": "一", "art20_5": "五", "art20_6": "六", "art20_8": "八", "art20_9": "九"}
ACTIVE_ROW_LABELS = {
    "v2021": {"rules": "规章", "normative_documents": "行政规范性文件", "licensing": "行政许可",
              "penalties": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费"},
    "v2019": {"rules": "规章", "normative_documents": "规范性文件", "licensing": "行政许可",
              "other_services": "其他对外管理服务事项", "penalties": "行政处罚", "coercion": "行政强制",
              "fees": "行政事业性收费", "procurement": "政府集中采购"},
}
METRIC_LABELS = {
    "v2021": {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
              "decisions": "本年处理决定数量", "amount": "本年收费金额（单位：万元）"},
    "v2019": {"newly_made": "本年新制作数量", "newly_published": "本年新公开数量",
              "total_published": "对外公开总数量", "prior_year_items": "上一年项目数量",
              "change": "本年增/减", "decisions": "处理决定数量", "projects": "采购项目数量",
              "amount": "采购总金额"},
}
SECTION_TITLES = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
                  "六、其他需要报告的事项"]


class Labels:
    """Label wording for one document: official text plus the document's drift."""

    def __init__(self, paren: str = "full", num: str = "dot", over: dict | None = None):
        self.paren, self.num, self.over = paren, num, dict(over or {})

    def p(self, n: int) -> str:
        c = CN_NUM[n - 1]
        return {"full": f"（{c}）", "half": f"({c})", "half_space": f"({c}) "}[self.paren]

    def n(self, i: int) -> str:
        return {"dot": f"{i}.", "dun": f"{i}、", "paren": f"（{i}）", "dot_space": f"{i}. "}[self.num]

    def get(self, key: tuple, default: str) -> str:
        return self.over.get(key, default)

    def row(self, code: str, version: str) -> str:
        """Label of a section 三 data row (numbered sub-rows carry only their own number)."""
        if code == "received":
            d = "一、本年新收政府信息公开申请数量"
        elif code == "carried_in":
            d = "二、上年结转政府信息公开申请数量"
        elif code == "granted":
            d = self.p(1) + "予以公开"
        elif code == "partly_granted":
            inner = "（区分处理的，只计这一情形，不计其他情形）"
            if self.paren != "full":
                inner = "(区分处理的，只计这一情形，不计其他情形)"
            d = self.p(2) + "部分公开" + inner
        elif code == "other_handling":
            d = self.p(6) + "其他处理"
        elif code == "results_total":
            d = self.p(7) + "总计"
        elif code == "carried_out":
            d = "四、结转下年度继续办理"
        else:
            for g, rows in GROUP_ROWS.items():
                if code in rows:
                    i = rows.index(code)
                    d = self.n(i + 1) + T3_SUBLABELS[g][i]
                    break
            else:  # pragma: no cover
                raise KeyError(code)
        return self.get(("row", code), d)

    def group(self, g: str) -> str:
        n, t = GROUP_TITLES[g]
        return self.get(("group", g), self.p(n) + t)

    def hdr(self, key: str, default: str) -> str:
        return self.get(("hdr", key), default)

    def item(self, item: str) -> str:
        d = f"第二十条第{self.p(0 + CN_NUM.index(ITEM_NUM[item]) + 1).strip()}项"
        return self.get(("item", item), d)

    def metric(self, version: str, item: str, metric: str) -> str:
        return self.get(("metric", item, metric), METRIC_LABELS[version][metric])

    def arow(self, version: str, row: str) -> str:
        return self.get(("arow", row), ACTIVE_ROW_LABELS[version][row])


# ----------------------------------------------------------------------------- values
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
NULL_MARKERS = {"", "-", "—", "–", "/", "无", "——", "－", "／"}


def parse_display(text: str) -> tuple[int | float | None, str | None]:
    """The value a correct extractor reads from a cell's text (the expected.json value)."""
    t = text.replace("&nbsp;", "").replace("\u00a0", "").strip()
    t = t.translate(str.maketrans("０１２３４５６７８９－．", "0123456789-."))
    if t in NULL_MARKERS:
        return None, None
    unit = None
    for u in ("万元", "元", "件"):
        if t.endswith(u):
            unit, t = u, t[: -len(u)]
            break
    t = t.replace(",", "")
    if "." in t:
        return float(t), unit
    return int(t), unit


def fmt_number(v: float) -> str:
    if isinstance(v, float):
        return f"{v:.2f}" if round(v, 2) == v else repr(v)
    return str(v)


# ----------------------------------------------------------------------------- table model
@dataclass
class C:
    text: str
    rs: int = 1
    cs: int = 1
    kind: str = "label"  # label / value / head


@dataclass
class Table:
    rows: list[list[C]]
    caption: str | None = None  # a paragraph printed right above the table (not part of the grid)
    cls: str = "report"

    @property
    def ncols(self) -> int:
        return max(sum(c.cs for c in self.rows[0]), 1) if self.rows else 0

    def grid(self) -> list[list[tuple[C | None, bool]]]:
        """Expanded grid: (cell, is_anchor) per position; covered positions repeat the cell."""
        out: list[list[Any]] = []
        pending: dict[tuple[int, int], C] = {}
        width = self.ncols
        for r, row in enumerate(self.rows):
            line: list[Any] = [None] * width
            for (rr, cc), cell in list(pending.items()):
                if rr == r:
                    line[cc] = (cell, False)
                    del pending[(rr, cc)]
            col = 0
            for cell in row:
                while col < width and line[col] is not None:
                    col += 1
                for dr in range(cell.rs):
                    for dc in range(cell.cs):
                        if dr == 0:
                            if col + dc < width:
                                line[col + dc] = (cell, dc == 0)
                        else:
                            pending[(r + dr, col + dc)] = cell
                col += cell.cs
            out.append([x if x is not None else (None, False) for x in line])
        return out


# ----------------------------------------------------------------------------- document spec
@dataclass
class Doc:
    name: str
    fmt: str  # html / word / html_nometa / lost_p / lost_br / tsv
    agency: str
    region: str
    category: str
    year: int
    version: str
    kind: str  # dept / gov / office / township
    we: str
    title: str
    summary: str
    agency_in_title: str | None = None
    single_other: bool = False
    signed: str | None = None  # YYYY-MM-DD
    sign_style: str = "arabic"  # arabic / chinese
    published: str | None = None
    chrome: str | None = None  # None / gov / mirror
    meta_table: bool = False
    policy_table: bool = False
    extra_row: bool = False
    labels: Labels = field(default_factory=Labels)
    t2_split: bool = False
    tsv_mode: str = "grid"  # grid / browser
    tsv_shift: tuple[str, ...] = ()
    header_split: bool = False
    traditional: bool = False
    blank_zero: bool = False
    total_blank_subrows: bool = False
    fullwidth_cols: tuple[str, ...] = ()
    thousands: bool = False
    overrides: dict = field(default_factory=dict)  # display key -> text
    profile: dict = field(default_factory=dict)
    prev: str | None = None  # name of the same agency's previous-year document
    mutate: Callable | None = None
    intended_flags: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    active_versions: dict = field(default_factory=dict)  # item -> version, for mixed reports
    # filled by generation
    apps: dict = field(default_factory=dict)
    appeals: dict = field(default_factory=dict)
    active: dict = field(default_factory=dict)  # (item,row,metric) -> number
    display: dict = field(default_factory=dict)

    @property
    def rows(self) -> list[str]:
        return app_rows(self.version, self.single_other)

    def active_spec(self) -> list[tuple[str, str, list[str], list[str]]]:
        """(item, item_version, rows, metrics) in template order."""
        out = []
        for item, rows, metrics in ACTIVE_SPEC[self.version]:
            iv = self.active_versions.get(item, self.version)
            if iv != self.version:
                rows, metrics = next((r, m) for i, r, m in ACTIVE_SPEC[iv] if i == item)
            out.append((item, iv, rows, metrics))
        return out


# ----------------------------------------------------------------------------- number generation
def rng_for(name: str, salt: str = "") -> random.Random:
    return random.Random(zlib.crc32((name + "|" + salt).encode("utf-8")))


OUTCOME_WEIGHTS = {
    "granted": 40, "partly_granted": 9, "withheld_state_secret": 0.3, "withheld_prohibited_by_law": 0.6,
    "withheld_security_stability": 0.5, "withheld_third_party": 1.5, "withheld_internal_affairs": 1.2,
    "withheld_process_info": 2.0, "withheld_enforcement_file": 0.8, "withheld_admin_query": 1.0,
    "unavailable_not_held": 16, "unavailable_needs_creation": 4, "unavailable_unclear": 2.5,
    "rejected_petition": 3, "rejected_duplicate": 2.5, "rejected_publication": 0.5, "rejected_excessive": 0.6,
    "rejected_confirmation": 0.7, "other_handling": 4, "other_no_correction": 2.5, "other_fee_unpaid": 0.4,
    "other_misc": 2,
}


def gen_applications(doc: Doc, prev: Doc | None) -> dict:
    rng = rng_for(doc.name, "apps")
    p = doc.profile
    lo, hi = p.get("natural", (3, 30))
    org = p.get("org", 1)  # 0 none, 1 a few, 2 more
    received = {"natural_person": rng.randint(lo, hi)}
    received["commercial_enterprise"] = rng.choice([0, 0, 1, 2, 3, 5][: 3 + 3 * min(org, 1)]) * max(org, 1) \
        if org else 0
    received["research_institution"] = rng.choice([0, 0, 0, 1]) if org >= 2 else 0
    received["social_welfare_org"] = rng.choice([0, 0, 1]) if org >= 1 else 0
    received["legal_service_org"] = rng.choice([0, 1, 2, 3][: 2 + org]) if org else 0
    received["other_org"] = rng.choice([0, 0, 1, 2]) if org >= 2 else 0
    for k, v in p.get("force_received", {}).items():
        received[k] = v
    if prev is not None:
        carried_in = {c: prev.apps["carried_out"][c] for c in SIX}
        # profile["force_carried_in"]: 上年结转 that does not continue last year's 结转下年度 (T3_CROSS_YEAR).
        carried_in.update(p.get("force_carried_in", {}))
    else:
        carried_in = {c: 0 for c in SIX}
        carried_in["natural_person"] = rng.choice(p.get("carried_in_choices", [0, 0, 1, 2, 3]))
        if org >= 2:
            carried_in["commercial_enterprise"] = rng.choice([0, 1])
    rows = doc.rows
    outs = outcome_rows(rows)
    weights = [OUTCOME_WEIGHTS[r] for r in outs]
    apps = {r: {c: 0 for c in SIX} for r in rows}
    for c in SIX:
        apps["received"][c] = received[c]
        apps["carried_in"][c] = carried_in[c]
        avail = received[c] + carried_in[c]
        if c == "natural_person":
            co = rng.randint(0, max(0, min(avail, avail // p.get("carry_div", 9))))
        else:
            co = 1 if (avail >= 3 and rng.random() < 0.3) else 0
        if "force_carried_out" in p and c in p["force_carried_out"]:
            co = p["force_carried_out"][c]
        apps["carried_out"][c] = co
        res = avail - co
        apps["results_total"][c] = res
        for r in rng.choices(outs, weights=weights, k=res):
            apps[r][c] += 1
    for r in rows:
        apps[r]["total"] = sum(apps[r][c] for c in SIX)
    return apps


def gen_appeals(doc: Doc) -> dict:
    rng = rng_for(doc.name, "appeals")
    level = doc.profile.get("appeals", 1)
    out = {}
    for proc in PROCEEDINGS:
        vals = {o: 0 for o in OUTCOMES[:4]}
        if level and rng.random() < (0.25 * level if proc == "review" else 0.15 * level):
            n = rng.randint(1, 1 + level)
            for o in rng.choices(OUTCOMES[:4], weights=[6, 2, 2, 1], k=n):
                vals[o] += 1
        vals["total"] = sum(vals.values())
        out[proc] = vals
    return out


def gen_active(doc: Doc, prev: Doc | None) -> dict:
    rng = rng_for(doc.name, "active")
    p = doc.profile
    a: dict[tuple[str, str, str], int | float] = {}
    lic = p.get("licensing", (0, 40))
    pen = p.get("penalties", (0, 30))
    coe = p.get("coercion", (0, 5))
    for item, iv, rows, metrics in doc.active_spec():
        for row in rows:
            for m in metrics:
                key = (item, row, m)
                if item == "art20_1":
                    if row == "rules":
                        a[key] = 0
                        continue
                    if iv == "v2021":
                        if m == "issued":
                            a[key] = rng.randint(*p.get("issued", (0, 6)))
                        elif m == "repealed":
                            a[key] = rng.randint(0, 3)
                        else:
                            base = prev.active[(item, row, "in_force")] if prev else rng.randint(6, 40)
                            a[key] = base + a[(item, row, "issued")] - a[(item, row, "repealed")]
                    else:
                        if m == "newly_made":
                            a[key] = rng.randint(0, 8)
                        elif m == "newly_published":
                            a[key] = a[(item, row, "newly_made")]
                        else:
                            a[key] = a[(item, row, "newly_made")] + rng.randint(5, 60)
                elif m == "prior_year_items":
                    if prev is not None:
                        a[key] = prev.active[(item, row, "prior_year_items")] + prev.active[(item, row, "change")]
                    else:
                        dec = {"licensing": lic, "other_services": (0, 200), "penalties": pen, "coercion": coe,
                               "fees": p.get("fee_items", (0, 6))}[row]
                        if dec[1] == 0:
                            a[key] = 0
                        else:
                            a[key] = {"licensing": rng.randint(15, 120), "other_services": rng.randint(5, 60),
                                      "penalties": rng.randint(40, 400), "coercion": rng.randint(2, 30),
                                      "fees": rng.randint(0, 8)}[row]
                elif m == "change":
                    prior = a[(item, row, "prior_year_items")]
                    lo = -min(prior, 8)
                    if prior == 0:
                        a[key] = 0
                    else:
                        a[key] = rng.randint(lo, 6) if row != "fees" else rng.randint(lo, 0)
                elif m == "decisions":
                    rng_range = {"licensing": lic, "other_services": (0, 200), "penalties": pen,
                                 "coercion": coe}[row]
                    a[key] = rng.randint(*rng_range)
                elif m == "projects":
                    a[key] = rng.randint(1, 25)
                elif m == "amount":
                    if item == "art20_8":
                        a[key] = p.get("fees", 0)
                    else:
                        a[key] = p.get("procurement", round(rng.randint(100, 9000) / 10, 1))
                else:  # pragma: no cover
                    raise KeyError(m)
    return a


def compute_display(doc: Doc) -> None:
    d: dict[tuple, str] = {}

    def base(v: float) -> str:
        if doc.blank_zero and v == 0:
            return ""
        s = fmt_number(v)
        if doc.thousands and isinstance(v, int) and abs(v) >= 1000:
            s = f"{v:,}"
        return s

    for r in doc.rows:
        for c in APPLICANTS:
            s = base(doc.apps[r][c])
            if c in doc.fullwidth_cols:
                s = s.translate(FULLWIDTH)
            if doc.total_blank_subrows and c == "total" and r not in TOP_ROWS:
                s = ""
            d[("app", r, c)] = s
    for proc in PROCEEDINGS:
        for o in OUTCOMES:
            d[("appeal", proc, o)] = base(doc.appeals[proc][o])
    for key, v in doc.active.items():
        d[("active", *key)] = base(v)
    for key, text in doc.overrides.items():
        d[key] = text
    doc.display = d


# ----------------------------------------------------------------------------- expected values & checks
def expected_values(doc: Doc) -> tuple[dict, dict, list]:
    apps = {r: {c: parse_display(doc.display[("app", r, c)])[0] for c in APPLICANTS} for r in doc.rows}
    appeals = {p: {o: parse_display(doc.display[("appeal", p, o)])[0] for o in OUTCOMES} for p in PROCEEDINGS}
    active = []
    for item, iv, rows, metrics in doc.active_spec():
        for row in rows:
            for m in metrics:
                value, unit = parse_display(doc.display[("active", item, row, m)])
                entry: dict[str, Any] = {"item": item, "row": row, "metric": m, "value": value}
                if item == "art20_8" and iv == "v2021":
                    unit = "万元"  # written in the column header
                if unit:
                    entry["unit"] = unit
                active.append(entry)
    return apps, appeals, active


def check(exp: dict) -> set[tuple[str, str, str]]:
    """The error rules of template.yaml applied to one expected.json (blank terms: not checkable)."""
    flags: set[tuple[str, str, str]] = set()
    apps = exp["applications"]
    outs = [r for r in apps if r not in TOP_ROWS]
    for c in APPLICANTS:
        a, b, x, y = (apps[r][c] for r in ("received", "carried_in", "results_total", "carried_out"))
        if None not in (a, b, x, y) and a + b != x + y:
            flags.add(("T3_STATED", "error", c))
        terms = [apps[r][c] for r in outs]
        if x is not None and None not in terms and sum(terms) != x:
            flags.add(("T3_RESULTS_SUM", "error", c))
    for r, vals in apps.items():
        six = [vals[c] for c in SIX]
        if vals["total"] is not None and None not in six and sum(six) != vals["total"]:
            flags.add(("T3_ROW_TOTAL", "error", r))
        for c in APPLICANTS:
            if vals[c] is not None and vals[c] < 0:
                flags.add(("T3_BOUNDS", "error", f"{r}:{c}"))
    for p, vals in exp["appeals"].items():
        terms = [vals[o] for o in OUTCOMES[:4]]
        if vals["total"] is not None and None not in terms and sum(terms) != vals["total"]:
            flags.add(("T4_TOTALS", "error", p))
    uses_v2019 = exp["version"] == "v2019" or any(e["metric"] in V2019_ONLY_METRICS for e in exp["active"])
    if exp["year"] >= 2021 and uses_v2019:
        flags.add(("FMT_VERSION", "error", "template_version"))
    if exp["year"] == 2020 and exp["version"] == "v2021":
        flags.add(("FMT_VERSION", "error", "template_version"))
    return flags


def soft_checks(doc: Doc, prev: Doc | None) -> None:
    """Warn-level and implied rules the corpus keeps clean (so they never need listing)."""
    a = doc.apps
    for c in APPLICANTS:
        assert a["results_total"][c] <= a["received"][c] + a["carried_in"][c], (doc.name, c)
        assert a["carried_out"][c] <= a["received"][c] + a["carried_in"][c], (doc.name, c)
    for item, _iv, rows, metrics in doc.active_spec():
        for row in rows:
            g = {m: doc.active[(item, row, m)] for m in metrics}.__getitem__
            if "issued" in metrics:
                assert g("issued") <= g("in_force") + g("repealed"), doc.name
            if "newly_published" in metrics:
                assert g("newly_published") <= g("total_published"), doc.name
            if "change" in metrics:
                assert g("prior_year_items") + g("change") >= 0, doc.name
    if prev is not None:
        for c in SIX:
            if c not in doc.profile.get("force_carried_in", {}):
                assert a["carried_in"][c] == prev.apps["carried_out"][c]


# ----------------------------------------------------------------------------- narrative
FOCUS = {
    "教育": "招生入学、学生资助、教育收费等群众关注事项",
    "公安": "户籍办理、出入境管理、交通管理等公安政务服务事项",
    "财政": "预决算、政府债务、惠民惠农补贴等财政资金信息",
    "人力资源和社会保障": "就业创业、社会保险、劳动关系等民生事项",
    "自然资源": "国土空间规划、土地征收、不动产登记等重点领域",
    "生态环境": "环境质量、污染防治攻坚、环评审批等生态环境信息",
    "住房和城乡建设": "保障性住房、城镇老旧小区改造、建筑市场监管等事项",
    "交通运输": "交通基础设施建设、道路运输管理、农村公路养护等事项",
    "农业农村": "乡村振兴、农业补贴、动植物疫病防控等涉农事项",
    "卫生健康": "医疗卫生服务、公共卫生、计划生育奖励扶助等事项",
    "市场监督管理": "市场主体登记、食品药品安全、产品质量监管等事项",
    "government": "重大决策部署、重点领域改革和民生实事",
    # used by the check fixtures (tests/checks/make_check_fixtures.py)
    "民政": "社会救助、养老服务、婚姻登记等民生事项",
    "水利": "水利工程建设、河湖长制、防汛抗旱等水利信息",
    "审计": "审计计划、审计结果公告、整改情况等审计信息",
    "统计": "统计数据发布、统计调查、统计执法等统计信息",
}


def para_pool(doc: Doc, exp_apps: dict, exp_appeals: dict) -> dict[str, list[str]]:
    """Narrative paragraphs, drawn from pools so peer reports do not read alike."""
    # profile["text_seed"]: draw the paragraphs as another document does (a report copied from it).
    rng = rng_for(doc.profile.get("text_seed", doc.name), "text")
    A, Y, we = doc.agency, doc.year, doc.we
    focus = FOCUS[doc.category]
    focus1 = focus.split("、")[0]
    site = {"gov": "政府门户网站", "office": "政府门户网站", "township": "县政府门户网站",
            "dept": "政府门户网站"}[doc.kind]
    column = {"gov": "政府信息公开专栏", "office": "政府信息公开专栏", "township": "乡镇信息公开专栏",
              "dept": "部门信息公开专栏"}[doc.kind]
    n = lambda lo, hi: rng.randint(lo, hi)

    def pick(pool: list[str], k: int = 1) -> str:
        return "".join(rng.sample(pool, k))

    intro = pick([
        (f"{Y}年，{A}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》"
        f"（以下简称《条例》）和上级关于政务公开工作的部署要求，围绕{focus}，持续深化政务公开，切实保障人民群众的"
        f"知情权、参与权、表达权和监督权。现将本年度政府信息公开工作情况报告如下。"),
        (f"根据《中华人民共和国政府信息公开条例》规定，现公布{A}{Y}年政府信息公开工作年度报告。本报告所列数据的统计"
        f"期限自{Y}年1月1日起至{Y}年12月31日止。本报告电子版可在{site}下载。如对本报告有疑问，请与{A}办公室联系"
        f"（电话：0{n(300, 899)}-{n(2000000, 8999999)}）。"),
        (f"{Y}年，{A}在上级政务公开主管部门的指导下，紧紧围绕{focus}，以公开促落实、以公开强监管、以公开优服务，"
        f"不断提升政府信息公开工作的规范化、标准化水平。"),
        (f"本报告依据《中华人民共和国政府信息公开条例》和上级政府信息公开工作主管部门的有关要求编制，内容包括总体情况、"
        f"主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及"
        f"改进情况和其他需要报告的事项。所列数据的统计期限自{Y}年1月1日起至{Y}年12月31日止。"),
        (f"{Y}年，{A}深入贯彻党中央、国务院关于全面推进政务公开的决策部署，按照年度政务公开工作要点要求，以群众需求"
        f"为导向，扎实推进决策、执行、管理、服务、结果公开，各项工作取得积极成效。"),
    ])
    active_p = pick([
        (f"{we}通过{site}{column}、政务新媒体和政务服务大厅公开栏等渠道主动公开政府信息{n(60, 900)}条，其中机构职能、"
        f"政策文件、财政预决算及{focus1}等重点领域信息{n(10, 60)}条。"),
        (f"严格落实“五公开”要求，将公开贯穿于决策、执行、管理、服务、结果全过程，全年在信息公开专栏发布各类信息"
        f"{n(60, 900)}条，及时更新机构概况、领导信息、权责清单等基础信息。"),
        (f"坚持“以公开为常态、不公开为例外”原则，对拟制发的文件逐件进行公开属性审查，全年主动公开文件{n(3, 40)}件，"
        f"发布政策解读{n(1, 12)}篇。"),
        f"围绕{focus}，及时发布工作动态{n(20, 300)}条、通知公告{n(5, 60)}条，重点领域信息公开的及时性和完整性进一步提高。",
        "全面落实财政预决算公开要求，按时公开部门预算、决算及“三公”经费情况，及时公开权责清单、办事指南等基础信息。",
        f"做好重大决策预公开，对涉及群众切身利益的{n(1, 6)}件政策文件公开征求意见，并反馈意见采纳情况。",
    ], 2)
    # profile["quoted"]: a figure the narrative states differently from the table (TEXT_TABLE).
    r = doc.profile.get("quoted", {}).get("received", exp_apps["received"]["total"])
    ci = exp_apps["carried_in"]["total"]
    rt = exp_apps["results_total"]["total"]
    co = exp_apps["carried_out"]["total"]
    if not r:
        req = f"本年度{we}未收到政府信息公开申请" + ("，亦无上年结转申请。" if not ci else f"，上年结转{ci}件已全部办结。")
    else:
        co_phrase = f"结转下年度继续办理{co}件" if co else "无结转下年度继续办理的申请"
        ci_phrase = f"上年结转{ci}件" if ci else "无上年结转申请"
        req = pick([
            f"全年共收到政府信息公开申请{r}件，{ci_phrase}，已按照法定时限和程序答复{rt}件，{co_phrase}。",
            (f"{Y}年{we}新收政府信息公开申请{r}件，{ci_phrase}；本年度共办结{rt}件，{co_phrase}。"
            f"所有申请均在法定期限内予以答复。"),
            f"本年度收到依申请公开事项{r}件（{ci_phrase}），办结{rt}件，{co_phrase}，答复内容规范、程序合法。",
            (f"{we}严格按照《条例》规定的程序和时限办理依申请公开事项。{Y}年收到申请{r}件，{ci_phrase}，办结{rt}件，"
            f"{co_phrase}。"),
        ])
    mgmt = pick([
        "严格执行公文公开属性源头认定机制，拟制公文时明确“主动公开”“依申请公开”“不予公开”等属性，对不予公开的说明理由。",
        "建立健全信息发布保密审查制度，坚持“先审查、后公开”和“一事一审”，全年未发生泄密事件。",
        "对本机关制发的规范性文件进行全面清理，及时公布清理结果，确保公开的文件现行有效。",
        f"按照基层政务公开标准目录，动态调整主动公开基本目录，细化公开事项{n(20, 120)}项。",
        "规范政府信息公开申请办理流程，完善登记、审核、办理、答复、归档等环节，实行办理台账管理。",
        f"加强政府信息资源标准化、信息化管理，做好已公开信息的分类整理和归档工作，全年整理归档各类信息{n(50, 600)}件。",
    ], 2)
    platform = pick([
        f"持续优化{site}{column}，规范栏目设置，及时更新调整内容，全年专栏访问量约{n(2, 40)}万人次。",
        "加强政务新媒体管理，落实内容审核和值班制度，做到信息发布及时、准确、规范。",
        f"在政务服务大厅设置政府信息查阅点，配备查询电脑{n(1, 4)}台，方便群众现场查阅。",
        f"用好政务微信公众号，全年推送各类信息{n(40, 600)}条，关注人数达{n(2000, 60000)}人。",
        f"畅通政民互动渠道，通过12345政务服务便民热线、领导信箱等受理群众咨询{n(10, 400)}件，办结率100%。",
        f"配合做好政府网站集约化工作，对栏目内容进行全面梳理，清理无效链接和过时信息{n(10, 200)}条。",
    ], 2)
    supervise = pick([
        (f"成立由主要负责同志任组长的政务公开工作领导小组，明确专人负责，全年组织业务培训{n(1, 6)}次，"
        f"参训人员{n(12, 160)}人次。"),
        "将政府信息公开工作纳入年度目标考核，定期开展自查，对发现的问题及时整改。",
        "主动接受社会监督，公布监督举报电话，全年未收到涉及政府信息公开工作的投诉。",
        "认真落实上级政务公开工作要点，逐项分解任务，明确责任股室和完成时限。",
        f"邀请{n(5, 20)}名群众代表、服务对象参与政务公开社会评议，收集意见建议{n(3, 30)}条并逐一反馈。",
        f"组织开展政务公开专题学习{n(1, 5)}次，重点学习《条例》和年度报告格式要求。",
    ], 2)
    if doc.kind in ("gov", "office"):
        supervise += "本年度开展政务公开工作考核和社会评议，未发生因政府信息公开工作被责任追究的情况。"
    rv = exp_appeals["review"]["total"]
    ld = exp_appeals["litigation_direct"]["total"]
    la = exp_appeals["litigation_after_review"]["total"]
    appeals_p = ""
    if doc.profile.get("quote_appeals", True) and None not in (rv, ld, la):
        if rv == ld == la == 0:
            appeals_p = "全年未发生因政府信息公开工作引起的行政复议和行政诉讼。"
        elif ld + la == 0:
            appeals_p = f"全年发生政府信息公开类行政复议{rv}件，未发生行政诉讼。"
        else:
            appeals_p = (f"全年发生政府信息公开类行政复议{rv}件、行政诉讼{ld + la}件"
                         f"（其中未经复议直接起诉{ld}件、复议后起诉{la}件）。")
    problems = pick([
        ("一是公开内容不够全面，部分业务信息更新不及时；二是政策解读形式较为单一，图解、视频等多样化解读偏少；"
        "三是工作人员业务能力有待进一步提高。"),
        ("一是主动公开的深度和广度仍有不足，与群众期待存在差距；二是依申请公开答复的规范性有待加强；"
        "三是基层政务公开标准化规范化建设推进不够平衡。"),
        "一是信息公开工作人员多为兼职，人员变动较为频繁；二是个别栏目内容更新滞后；三是政民互动回应的及时性还需提升。",
        "一是政府信息公开工作的主动性有待增强，部分信息公开不够及时；二是信息发布以文字为主，群众喜闻乐见的解读形式不多。",
        "一是依申请公开办理人员业务不够熟练，答复文书规范性有待提升；二是公开平台栏目设置与标准目录衔接不够紧密。",
    ])
    improve = pick([
        (f"{Y + 1}年，{we}将进一步加强组织领导，完善信息发布审核机制，及时更新公开内容；丰富政策解读形式，"
        f"提高解读质量；加强业务培训，不断提升工作人员依法公开的能力和水平。"),
        (f"下一步，{we}将对照《条例》要求，聚焦{focus1}等重点领域，细化公开目录，规范依申请公开办理流程，"
        f"做好答复文书的合法性审查，推动政府信息公开工作提质增效。"),
        (f"针对上述问题，{we}将落实专人专岗，加强与上级主管部门的沟通对接，定期开展栏目巡查，"
        f"确保信息公开及时、准确、完整。"),
        (f"{Y + 1}年，{we}将以提升公开质效为目标，重点做好三方面工作：一是规范公开内容，严格落实公开属性认定；"
        f"二是强化政策解读，增加图表图解、短视频等解读形式；三是加强队伍建设，开展常态化业务培训。"),
        (f"下一步，{we}将健全完善政务公开工作机制，加强对依申请公开办理工作的指导和监督，及时回应社会关切，"
        f"不断提高政府信息公开工作水平。"),
    ])
    if doc.year >= 2021:
        other = pick([
            f"{we}{Y}年度未发出收费通知，未收取信息处理费。",
            "依据《政府信息公开信息处理费管理办法》，本年度未向申请人收取信息处理费。",
            f"本年度{we}发出收费通知0件，收取信息处理费0元。无其他需要报告的事项。",
            f"{Y}年度，{we}未收取信息处理费，无其他需要报告的事项。",
            f"按照《政府信息公开信息处理费管理办法》规定，{we}本年度未产生信息处理费。年度政务公开工作要点各项任务已全部落实。",
        ])
    else:
        other = pick(["无其他需要报告的事项。", "本年度无其他需要报告的事项。",
                      f"{Y}年度{we}未收取政府信息公开相关费用，无其他需要报告的事项。"])
    pool = {"intro": [intro], "active": [active_p], "requests": [req], "mgmt": [mgmt], "platform": [platform],
            "supervise": [supervise + appeals_p], "problems": [problems], "improve": [improve], "other": [other]}
    # profile["paragraphs"]: a paragraph written by hand instead of drawn; profile["append"]: a
    # sentence added at the end of one.
    for key, text in doc.profile.get("paragraphs", {}).items():
        pool[key] = [text]
    for key, text in doc.profile.get("append", {}).items():
        pool[key] = [pool[key][0] + text]
    return pool


# ----------------------------------------------------------------------------- tables
def v(doc: Doc, *key: str) -> C:
    return C(doc.display[key], kind="value")


def build_t3(doc: Doc) -> Table:
    L = doc.labels
    rows: list[list[C]] = []
    corner = L.hdr("corner", T3_CORNER)
    orgs = [L.hdr(k, d) for k, d in zip(SIX[1:], ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])]
    if doc.header_split:
        split_at = {"商业企业": 2, "科研机构": 2, "社会公益组织": 4, "法律服务机构": 4}
        top = [o[:split_at.get(o, len(o))] for o in orgs]
        bottom = [o[split_at.get(o, len(o)):] for o in orgs]
        rows.append([C(corner, rs=4, cs=3, kind="head"), C(L.hdr("applicants", "申请人情况"), cs=7, kind="head")])
        rows.append([C(L.hdr("natural_person", "自然人"), rs=3, kind="head"),
                     C(L.hdr("legal_person", "法人或其他组织"), cs=5, kind="head"),
                     C(L.hdr("total", "总计"), rs=3, kind="head")])
        rows.append([C(t, kind="head") for t in top])
        rows.append([C(t, kind="head") for t in bottom])
    else:
        rows.append([C(corner, rs=3, cs=3, kind="head"), C(L.hdr("applicants", "申请人情况"), cs=7, kind="head")])
        rows.append([C(L.hdr("natural_person", "自然人"), rs=2, kind="head"),
                     C(L.hdr("legal_person", "法人或其他组织"), cs=5, kind="head"),
                     C(L.hdr("total", "总计"), rs=2, kind="head")])
        rows.append([C(t, kind="head") for t in orgs])

    def vals(r: str) -> list[C]:
        return [v(doc, "app", r, c) for c in APPLICANTS]

    rows.append([C(L.row("received", doc.version), cs=3)] + vals("received"))
    rows.append([C(L.row("carried_in", doc.version), cs=3)] + vals("carried_in"))
    # results block: (group or None, label, row code or None for the non-template row)
    entries: list[tuple[str | None, str, str | None]] = [
        (None, L.row("granted", doc.version), "granted"),
        (None, L.row("partly_granted", doc.version), "partly_granted")]
    for g in ("withheld", "unavailable", "rejected"):
        for r in GROUP_ROWS[g]:
            entries.append((g, L.row(r, doc.version), r))
        if g == "unavailable" and doc.extra_row:
            entries.append((g, L.n(4) + "非本机关政府信息公开范围", None))
    if "other_handling" in doc.rows:
        entries.append((None, L.row("other_handling", doc.version), "other_handling"))
    else:
        for r in OTHER_V2021:
            entries.append(("other", L.row(r, doc.version), r))
    entries.append((None, L.row("results_total", doc.version), "results_total"))
    group_sizes: dict[str, int] = {}
    for g, _, _ in entries:
        if g:
            group_sizes[g] = group_sizes.get(g, 0) + 1
    seen: set[str] = set()
    for i, (g, label, code) in enumerate(entries):
        row: list[C] = []
        if i == 0:
            row.append(C(L.hdr("results", "三、本年度办理结果"), rs=len(entries)))
        if g is None:
            row.append(C(label, cs=2))
        else:
            if g not in seen:
                row.append(C(L.group(g), rs=group_sizes[g]))
                seen.add(g)
            row.append(C(label))
        row += vals(code) if code else [C("0", kind="value") for _ in APPLICANTS]
        rows.append(row)
    rows.append([C(L.row("carried_out", doc.version), cs=3)] + vals("carried_out"))
    return Table(rows)


def build_t4(doc: Doc) -> Table:
    L = doc.labels
    o = [L.hdr("o_" + k, d) for k, d in zip(OUTCOMES, ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])]
    rows = [
        [C(L.hdr("review", "行政复议"), cs=5, kind="head"), C(L.hdr("litigation", "行政诉讼"), cs=10, kind="head")],
        [C(t, rs=2, kind="head") for t in o] + [C(L.hdr("direct", "未经复议直接起诉"), cs=5, kind="head"),
                                                C(L.hdr("after", "复议后起诉"), cs=5, kind="head")],
        [C(t, kind="head") for t in o] + [C(t, kind="head") for t in o],
        [v(doc, "appeal", p, oc) for p in PROCEEDINGS for oc in OUTCOMES],
    ]
    return Table(rows)


def build_t2(doc: Doc) -> list[Table]:
    L = doc.labels
    tables: list[Table] = []
    all_rows: list[list[C]] = []
    for item, iv, rows, metrics in doc.active_spec():
        width = 4 if not doc.t2_split else 1 + len(metrics)
        part: list[list[C]] = [[C(L.item(item), cs=width, kind="head")]]
        head = [C(L.hdr("content", "信息内容"), kind="head")]
        for j, m in enumerate(metrics):
            span = width - len(metrics) if j == len(metrics) - 1 else 1
            head.append(C(L.metric(iv, item, m), cs=span, kind="head"))
        part.append(head)
        for row in rows:
            line = [C(L.arow(iv, row))]
            for j, m in enumerate(metrics):
                span = width - len(metrics) if j == len(metrics) - 1 else 1
                line.append(C(doc.display[("active", item, row, m)], cs=span, kind="value"))
            part.append(line)
        if doc.t2_split:
            tables.append(Table(part))
        else:
            all_rows += part
    if not doc.t2_split:
        tables.append(Table(all_rows))
    return tables


def policy_table() -> Table:
    return Table([
        [C("政策解读情况", cs=3, kind="head")],
        [C("解读方式", kind="head"), C("数量（篇）", kind="head"), C("备注", kind="head")],
        [C("文字解读"), C("6", kind="value"), C("")],
        [C("图片图解"), C("3", kind="value"), C("")],
        [C("新闻发布会"), C("1", kind="value"), C("主要负责同志出席")],
    ], cls="extra")


# ----------------------------------------------------------------------------- blocks
def build_blocks(doc: Doc, exp_apps: dict, exp_appeals: dict) -> list[tuple[str, Any]]:
    P = para_pool(doc, exp_apps, exp_appeals)
    L = doc.labels
    sub = [L.p(i) for i in range(1, 6)]
    b: list[tuple[str, Any]] = [("title", doc.title), ("p", P["intro"][0])]
    b.append(("h", L.get(("section", 0), SECTION_TITLES[0])))
    b += [("h2", sub[0] + "主动公开"), ("p", P["active"][0]),
          ("h2", sub[1] + "依申请公开"), ("p", P["requests"][0]),
          ("h2", sub[2] + "政府信息管理"), ("p", P["mgmt"][0]),
          ("h2", sub[3] + "政府信息公开平台建设"), ("p", P["platform"][0]),
          ("h2", sub[4] + "监督保障"), ("p", P["supervise"][0])]
    b.append(("h", L.get(("section", 1), SECTION_TITLES[1])))
    for t in build_t2(doc):
        b.append(("table", t))
    if doc.policy_table:
        b.append(("p", "本年度政策解读情况如下："))
        b.append(("table", policy_table()))
    b.append(("h", L.get(("section", 2), SECTION_TITLES[2])))
    b.append(("table", build_t3(doc)))
    b.append(("h", L.get(("section", 3), SECTION_TITLES[3])))
    # profile["appeals_text"]: a sentence printed instead of the section 四 table.
    b.append(("p", doc.profile["appeals_text"]) if "appeals_text" in doc.profile else ("table", build_t4(doc)))
    b.append(("h", L.get(("section", 4), SECTION_TITLES[4])))
    b += [("p", P["problems"][0]), ("p", P["improve"][0])]
    # profile["drop_other_matters"]: section 六 left out altogether.
    if not doc.profile.get("drop_other_matters"):
        b.append(("h", L.get(("section", 5), SECTION_TITLES[5])))
        b.append(("p", P["other"][0]))
    if doc.signed:
        b.append(("sign", doc.agency))
        b.append(("date", date_text(doc.signed, doc.sign_style)))
    return b


def date_text(iso: str, style: str) -> str:
    y, m, d = (int(x) for x in iso.split("-"))
    if style == "chinese":
        digits = "〇一二三四五六七八九"
        cn_year = "".join(digits[int(ch)] for ch in str(y))

        def small(n: int) -> str:
            if n < 10:
                return CN_NUM[n - 1]
            tens, ones = divmod(n, 10)
            return ("" if tens == 1 else CN_NUM[tens - 1]) + "十" + (CN_NUM[ones - 1] if ones else "")
        return f"{cn_year}年{small(m)}月{small(d)}日"
    return f"{y}年{m}月{d}日"


# ----------------------------------------------------------------------------- renderers
def esc(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>").replace("\u00a0", "&nbsp;")


def render_table_html(t: Table, style: str = "cms") -> str:
    out = []
    if style == "cms":
        out.append('<table border="1" cellspacing="0" cellpadding="2" width="100%" '
                   'style="border-collapse:collapse;text-align:center">')
        out.append("<tbody>")
        for row in t.rows:
            cells = []
            for c in row:
                attrs = ""
                if c.rs > 1:
                    attrs += f' rowspan="{c.rs}"'
                if c.cs > 1:
                    attrs += f' colspan="{c.cs}"'
                cells.append(f"<td{attrs}>{esc(c.text)}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    return "\n".join(out)


def word_cell(c: C, irow: int) -> str:
    attrs = f"width={42 * c.cs}"
    if c.rs > 1:
        attrs += f" rowspan={c.rs}"
    if c.cs > 1:
        attrs += f" colspan={c.cs}"
    style = "border:solid windowtext 1.0pt;" + ("border-top:none;" if irow else "") + "padding:0cm 1.4pt"
    span_en = "<span lang=EN-US style='font-size:9.0pt'>"
    span_zh = "<span style='font-size:9.0pt;font-family:宋体'>"
    text = c.text
    if not text:
        inner = f"{span_en}<o:p>&nbsp;</o:p></span>"
    elif c.kind == "value":
        inner = f"{span_en}{esc(text)}<o:p></o:p></span>"
    else:
        # Word splits runs: the numbering goes in its own EN-US span, long labels break mid-word
        num = ""
        for pre in ("1.", "2.", "3.", "4.", "5.", "6.", "7.", "8."):
            if text.startswith(pre):
                num, text = pre, text[len(pre):]
        body = esc(text)
        if len(text) > 12 and "\n" not in text:
            cut = len(text) // 2
            body = f"{esc(text[:cut])}</span>{span_zh}{esc(text[cut:])}"
        inner = (f"{span_en}{num}</span>" if num else "") + f"{span_zh}{body}</span>{span_en}<o:p></o:p></span>"
    return f"<td {attrs} style='{style}'><p class=MsoNormal align=center>{inner}</p></td>"


def render_table_word(t: Table) -> str:
    out = ["<div align=center>",
           ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;"
           "border:none;mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm "
           "5.4pt'>")]
    for i, row in enumerate(t.rows):
        first = ";mso-yfti-firstrow:yes" if i == 0 else ""
        last = ";mso-yfti-lastrow:yes" if i == len(t.rows) - 1 else ""
        out.append(f"<tr style='mso-yfti-irow:{i}{first}{last}'>")
        out += [" " + word_cell(c, i) for c in row]
        out.append("</tr>")
    out.append("</table>")
    out.append("</div>")
    return "\n".join(out)


def render_table_lost_p(t: Table) -> str:
    """Table markup lost in the CMS: one <p> per grid position, merged regions left as empty <p>."""
    out = []
    for line in t.grid():
        for cell, anchor in line:
            text = esc(cell.text) if (cell is not None and anchor) else ""
            out.append(f'<p style="text-align:center">{text}</p>' if text else '<p style="text-align:center"><br/></p>')
    return "\n".join(out)


def render_table_lost_br(t: Table, pipes: bool) -> str:
    """Table flattened to text lines joined by <br>: cells separated by blank lines, or by lone pipes."""
    lines: list[str] = []
    for row in t.rows:
        if pipes:
            lines.append("|")
            for c in row:
                lines.append(c.text.replace("\n", ""))
                lines.append("|")
            lines.append("")
        else:
            for c in row:
                lines.append(c.text.replace("\n", ""))
                lines.append("")
            lines.append("")
    return "<br>\n".join(html.escape(x, quote=False) for x in lines)


def tsv_lines(t: Table, mode: str, shifted_labels: set[str]) -> list[str]:
    out = []
    for r, line in enumerate(t.grid()):
        if mode == "grid":
            cells = [(cell.text.replace("\n", "") if (cell is not None and anchor) else "") for cell, anchor in line]
        else:  # browser copy: one field per <td>, nothing for merged positions
            cells = [c.text.replace("\n", "") for c in t.rows[r]]
        lead = 0
        while lead < len(cells) - 1 and cells[lead] == "":
            lead += 1
        if lead and cells[lead] in shifted_labels:
            cells = [cells[lead]] + [""] * (lead - 1) + cells[lead + 1:] + [""]
        out.append("\t".join(cells) + ("\t" if mode == "grid" and t.ncols > 4 else ""))
    return out


def render_tsv(doc: Doc, blocks: list) -> str:
    shifted = {doc.labels.row(r, doc.version) for r in doc.tsv_shift}
    out = ["", ""]
    for kind, val in blocks:
        if kind == "table":
            out += tsv_lines(val, doc.tsv_mode, shifted)
            out.append("")
        elif kind == "title":
            out += [val, ""]
        else:
            out += [val, ""]
    return "\n".join(out) + "\n"


def body_html(doc: Doc, blocks: list, table_style: str) -> str:
    out = []
    for kind, val in blocks:
        if kind == "title":
            continue
        if kind == "table":
            if table_style == "lost_p":
                out.append(render_table_lost_p(val))
            elif table_style == "lost_br":
                pipes = val.ncols == 10  # section 三 keeps its pipes; the small tables only blank lines
                out.append('<p style="line-height:1.8">' + render_table_lost_br(val, pipes) + "</p>")
            else:
                out.append(render_table_html(val))
        elif kind == "h" or kind == "h2":
            out.append(f'<p style="text-indent:2em"><strong>{esc(val)}</strong></p>')
        elif kind in ("sign", "date"):
            out.append(f'<p style="text-align:right">{esc(val)}</p>')
        else:
            out.append(f'<p style="text-indent:2em">{esc(val)}</p>')
    return "\n".join(out)


def chrome_top(doc: Doc) -> str:
    if doc.chrome == "gov":
        site = doc.region.split("省")[-1]
        return (
            f'<div class="top"><div class="w1200"><span>欢迎访问{esc(site)}人民政府网站</span>'
            '<a href="#">无障碍浏览</a> | <a href="#">长者模式</a> | <a href="#">English</a></div></div>\n'
            '<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>'
            '<li><a href="/zwfw/">政务服务</a></li><li><a href="/hdjl/">互动交流</a></li>'
            '<li><a href="/zjxx/">走进本地</a></li></ul></div>\n'
            '<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; '
            '<a href="/zwgk/nb/">政府信息公开年报</a></div>\n')
    if doc.chrome == "mirror":
        return ('<div class="mirror-head">政務資訊網 - 各地政府資訊公開年報彙編 <a href="/">首頁</a> '
                '<a href="/list/">年報列表</a> <a href="/search/">搜索</a></div>\n')
    return ""


def article_tools() -> str:
    return ('<div class="tools">【字号：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> '
            '<a href="javascript:doZoom(14)">小</a>】 <a href="javascript:window.print()">【打印】</a> '
            '<a href="javascript:window.close()">【关闭】</a> <a href="javascript:void(0)" id="tts">语音朗读</a>'
            ' 浏览次数：<span id="hits">1024</span></div>\n')


def meta_table(doc: Doc) -> str:
    y, m, d = doc.published.split("-")
    publisher = doc.profile.get("publisher", doc.agency)
    code = doc.profile.get("index_code", f"11{zlib.crc32(doc.name.encode()) % 10**8:08d}/{int(y)}-{int(m):02d}{d}")
    return (
        '<table class="xxgk-meta" width="100%" border="0">\n'
        f'<tr><td class="t">索引号：</td><td>{esc(code)}</td><td class="t">发布机构：</td><td>{esc(publisher)}</td></tr>\n'
        f'<tr><td class="t">发布日期：</td><td>{y}-{m}-{d}</td><td class="t">文号：</td><td></td></tr>\n'
        f'<tr><td class="t">主题分类：</td><td>政务公开</td><td class="t">有效性：</td><td>有效</td></tr>\n'
        f'<tr><td class="t">名称：</td><td colspan="3">{esc(doc.title)}</td></tr>\n'
        '</table>\n')


def render_page(doc: Doc, blocks: list, table_style: str, charset: str | None) -> str:
    head_meta = f'<meta charset="{charset}">\n' if charset else ""
    site_title = doc.region.split("省")[-1]
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", head_meta.rstrip("\n"),
             f"<title>{esc(doc.title)}_{esc(site_title)}</title>",
             '<link rel="stylesheet" href="/css/style.css">', "</head>", "<body>"]
    parts = [p for p in parts if p]
    parts.append(chrome_top(doc).rstrip("\n"))
    if doc.meta_table:
        parts.append(meta_table(doc).rstrip("\n"))
    parts.append('<div class="article">')
    parts.append(f'<h1 class="article-title">{esc(doc.title)}</h1>')
    if doc.chrome:
        info = f"来源：{esc(doc.profile.get('publisher', doc.agency))}"
        if doc.published and not doc.meta_table:
            info = f"发布日期：{doc.published}  " + info
        parts.append(f'<div class="info">{info}</div>')
        parts.append(article_tools().rstrip("\n"))
    parts.append('<div class="article-content" id="zoom">')
    parts.append(body_html(doc, blocks, table_style))
    parts.append("</div>")
    parts.append("</div>")
    if doc.chrome == "gov":
        parts.append('<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>')
        parts.append('<div class="related"><h3>相关链接</h3><ul><li><a href="#">政府信息公开指南</a></li>'
                     '<li><a href="#">政府信息公开制度</a></li></ul></div>')
        parts.append(f'<div class="footer">主办：{esc(site_title)}人民政府办公室 &nbsp; 网站标识码：'
                     f'{zlib.crc32(doc.region.encode()) % 10**10:010d} &nbsp; ICP备案号：备{zlib.crc32(doc.name.encode()) % 10**8:08d}号'
                     '</div>')
    elif doc.chrome == "mirror":
        parts.append('<div class="mirror-foot">本站內容轉載自政府網站，僅供參考。</div>')
    parts.append("</body>")
    parts.append("</html>")
    return "\n".join(p for p in parts if p) + "\n"


WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>Administrator</o:Author>
  <o:Pages>6</o:Pages>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{{font-family:宋体;
	panose-1:2 1 6 0 3 1 1 1 1 1;
	mso-font-charset:134;}}
 @font-face
	{{font-family:仿宋_GB2312;
	mso-font-charset:134;}}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{mso-style-unhide:no;
	mso-style-qformat:yes;
	margin:0cm;
	text-align:justify;
	text-justify:inter-ideograph;
	font-size:10.5pt;
	font-family:"Times New Roman",serif;}}
@page WordSection1
	{{size:595.3pt 841.9pt;
	margin:72.0pt 90.0pt 72.0pt 90.0pt;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>
"""


def render_word(doc: Doc, blocks: list) -> str:
    out = [WORD_HEAD.format(title=esc(doc.title))]
    fs = "<span style='font-size:16.0pt;font-family:仿宋_GB2312'>"
    for kind, val in blocks:
        if kind == "title":
            out.append("<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'>"
                       "<b><span style='font-size:22.0pt;font-family:方正小标宋简体'>"
                       f"{esc(val)}<span lang=EN-US><o:p></o:p></span></span></b></p>\n")
            out.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n")
        elif kind == "table":
            out.append(render_table_word(val) + "\n")
            out.append("<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>\n")
        elif kind in ("h", "h2"):
            font = "黑体" if kind == "h" else "楷体_GB2312"
            out.append("<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt'>"
                       f"<span style='font-size:16.0pt;font-family:{font}'>{esc(val)}"
                       "<span lang=EN-US><o:p></o:p></span></span></p>\n")
        elif kind in ("sign", "date"):
            out.append("<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'>"
                       f"{fs}{esc(val)}<span lang=EN-US><o:p></o:p></span></span></p>\n")
        else:
            out.append("<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt'>"
                       f"{fs}{esc(val)}<span lang=EN-US><o:p></o:p></span></span></p>\n")
    out.append("</div>\n\n</body>\n\n</html>\n")
    return "".join(out)


# ----------------------------------------------------------------------------- Traditional characters
# Character map for the mirror-site document (simplified -> traditional), fixed so the output does
# not depend on a converter library's version. Covers every character that document uses.
S2T_PAIRS = (
    # derived from zhconv (zh-hant) on this document's text, with 為/復/秘/制/系 corrected by hand
    "“「”」万萬与與专專业業严嚴个個为為举舉乡鄉于於优優会會体體关關内內决決况況准準别別办辦务務动動区區单單"
    "厅廳县縣发發变變台臺号號后後员員围圍国國场場处處复復头頭实實审審对對导導将將属屬岗崗应應废廢开開强強当當"
    "总總户戶执執护護报報拟擬据據数數断斷无無旧舊时時机機权權条條来來构構标標栏欄沟溝没沒浏瀏温溫滞滯点點现現"
    "电電监監确確稳穩筑築类類紧緊纠糾约約级級纳納组組织織经經结結绕繞继繼续續维維缴繳网網罚罰职職苍蒼范範获獲"
    "补補规規览覽计計认認议議许許讼訟设設访訪诉訴话話询詢语語说說请請读讀调調财財费費转轉较較过過还還这這进進"
    "针針镇鎮门門闭閉问問项項预預领領频頻题題额額"
    # a margin of unambiguous characters, so small wording changes stay converted
    "乐樂习習书書买買产產亲親仅僅从從们們价價众眾储儲党黨兴興养養写寫军軍农農则則创創劳勞势勢医醫华華卫衛"
    "压壓参參听聽启啟响響园園图圖圆圓坚堅坏壞层層岁歲币幣师師带帶帮幫广廣库庫异異张張归歸录錄彻徹径徑态態"
    "怀懷惯慣战戰扩擴扫掃扬揚担擔择擇换換损損显顯术術杨楊极極树樹样樣档檔检檢楼樓欢歡残殘气氣汇匯汉漢泽澤"
    "洁潔测測济濟润潤满滿灭滅热熱爱愛状狀独獨环環画畫疗療盖蓋码碼础礎礼禮离離种種积積称稱竞競简簡筹籌粮糧"
    "红紅纪紀纸紙线線练練细細终終绍紹给給络絡绝絕统統绩績综綜绿綠缓緩编編联聯肃肅艺藝节節荐薦营營虽雖视視"
    "觉覺观觀订訂讨討让讓训訓讯訊记記讲講论論证證评評识識诊診试試诚誠该該详詳误誤谁誰谈談谋謀谢謝谨謹负負"
    "贡貢责責败敗货貨质質贫貧购購贯貫资資赔賠车車轨軌轮輪软軟轻輕载載辅輔辆輛输輸辖轄边邊达達运運远遠违違"
    "连連迟遲选選递遞遗遺邮郵释釋钱錢铁鐵银銀锁鎖错錯键鍵长長间間闻聞阅閱队隊阶階际際陆陸险險随隨隐隱难難"
    "页頁顺順须須顾顧风風飞飛馆館驱驅验驗齐齊龙龍宽寬伟偉尽盡杂雜劝勸谓謂绪緒贴貼阳陽阴陰虑慮账賬畅暢咨諮见見并並"
    "馈饋够夠"
)
S2T = {S2T_PAIRS[i]: S2T_PAIRS[i + 1] for i in range(0, len(S2T_PAIRS) - 1, 2)}
# Words whose character-level conversion would be wrong (applied before the character map).
S2T_WORDS = {"答复": "答覆", "联系": "聯繫", "发布会": "發佈會", "重复": "重複", "反复": "反覆"}


def to_traditional(text: str) -> str:
    return "".join(S2T.get(ch, ch) for ch in text)


# ----------------------------------------------------------------------------- the corpus
def L(**kw: Any) -> Labels:
    over = kw.pop("over", {})
    return Labels(over=over, **kw)


def mutate_t3_stated(doc: Doc) -> None:
    doc.apps["received"]["natural_person"] += 2
    doc.apps["received"]["total"] += 2


def mutate_t3_row_total(doc: Doc) -> None:
    doc.apps["granted"]["total"] += 10  # 总计 of （一）予以公开 mistyped (e.g. 17 -> 27)


def mutate_t3_results_sum(doc: Doc) -> None:
    doc.apps["granted"]["natural_person"] += 3
    doc.apps["granted"]["total"] += 3  # the row was updated, （七）总计 was not


def mutate_t3_bounds(doc: Doc) -> None:
    a = doc.apps
    prefer = ["withheld_third_party", "withheld_process_info", "withheld_internal_affairs", *WITHHELD]
    row = next(r for r in prefer if a[r]["natural_person"] == 0 and a[r]["commercial_enterprise"] == 0)
    assert a["granted"]["commercial_enterprise"] >= 1, doc.name
    a[row]["natural_person"] = -1
    a[row]["commercial_enterprise"] += 1
    a["granted"]["natural_person"] += 1
    a["granted"]["commercial_enterprise"] -= 1
    doc.profile["bounds_row"] = row


def mutate_t4_totals(doc: Doc) -> None:
    doc.appeals["review"] = {"upheld": 1, "corrected": 1, "other": 0, "pending": 0, "total": 0}


def corpus() -> list[Doc]:
    docs: list[Doc] = []
    add = docs.append

    # --- pair A: 舞阳县教育局 2021 -> 2022 (v2021, carry-over and 现行有效 stock consistent)
    add(Doc(
        name="wuyang_jyj_2021.html", fmt="html", agency="舞阳县教育局", region="河南省漯河市舞阳县", category="教育",
        year=2021, version="v2021", kind="dept", we="我局",
        title="《舞阳县教育局2021年政府信息公开工作年度报告》", signed="2022-01-14",
        summary="proper UTF-8 HTML tables with the official rowspan/colspan; section 二 as four small tables; "
                "<br> inside the 部分公开 and （六）1./2. labels; first year of an agency pair",
        labels=L(over={("row", "partly_granted"): "（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）",
                       ("row", "other_no_correction"):
                           "1.申请人无正当理由逾期不补正、\n行政机关不再处理其政府信息公开申请",
                       ("row", "other_fee_unpaid"):
                           "2.申请人逾期未按收费通知要求缴纳费用、\n行政机关不再处理其政府信息公开申请"}),
        t2_split=True,
        profile={"natural": (8, 26), "org": 1, "licensing": (30, 160), "penalties": (0, 6), "coercion": (0, 0),
                 "fees": 0, "issued": (2, 6)},
        notes=["first of two consecutive years (舞阳县教育局 2021/2022): 2022 上年结转 equals this report's 结转下年度",
               "section 二 printed as four separate small tables, one per 第二十条 item",
               "line breaks (<br>) inside the labels （二）部分公开 and （六）1./2."]))
    add(Doc(
        name="wuyang_jyj_2022.html", fmt="html", agency="舞阳县教育局", region="河南省漯河市舞阳县", category="教育",
        year=2022, version="v2021", kind="dept", we="我局",
        title="舞阳县教育局2022年政府信息公开工作年度报告", signed="2023-01-16", published="2023-01-18",
        chrome="gov", meta_table=True, prev="wuyang_jyj_2021.html",
        summary="site chrome (字号/打印/关闭/语音朗读, navigation) and an 索引号/发布机构/发布日期/文号 table; "
                "section 二 as one table with sub-heading rows; years in headers 本年(2022)制发件数; half-width (一); "
                "second year of the pair (carry-over and 现行有效 consistent with 2021)",
        labels=L(paren="half", over={("metric", "art20_1", "issued"): "本年(2022)制发件数",
                                     ("metric", "art20_1", "repealed"): "本年(2022)废止件数",
                                     ("metric", "art20_5", "decisions"): "本年(2022)处理决定数量",
                                     ("metric", "art20_6", "decisions"): "本年(2022)处理决定数量"}),
        profile={"natural": (6, 20), "org": 1, "licensing": (30, 160), "penalties": (0, 6), "coercion": (0, 0),
                 "fees": 0, "issued": (1, 5), "publisher": "舞阳县教育局"},
        notes=["second of two consecutive years: 上年结转 per column = 2021 结转下年度继续办理; 现行有效件数 = 2021 + 制发 - 废止",
               "page chrome around the article and a metadata table (发布日期 gives published_on)",
               "years inside metric headers: 本年(2022)制发件数, 本年(2022)处理决定数量",
               "half-width parentheses (一)…(七) in section 三"]))

    # --- pair B: 淮安市洪泽区人民政府办公室 2019 -> 2020 (v2019)
    add(Doc(
        name="wuyang_jyj_2023_copied.html", fmt="html", agency="舞阳县教育局", region="河南省漯河市舞阳县",
        category="教育", year=2023, version="v2021", kind="dept", we="我局",
        title="舞阳县教育局2023年政府信息公开工作年度报告", signed="2024-02-19", published="2024-02-26",
        chrome="gov", meta_table=True, prev="wuyang_jyj_2022.html",
        summary="third year of 舞阳县教育局, written to raise every rule beyond one table's arithmetic: published "
                "2024-02-26, after the 31 January deadline (TIMELINESS); the narrative copied from the 2022 report "
                "(DUPLICATION) and stating a received figure the table does not have (TEXT_TABLE); 上年结转 自然人 "
                "not continuing 2022's 结转下年度 (T3_CROSS_YEAR)",
        profile={"natural": (6, 20), "org": 1, "licensing": (30, 160), "penalties": (0, 6), "coercion": (0, 0),
                 "fees": 0, "issued": (1, 5), "publisher": "舞阳县教育局", "text_seed": "wuyang_jyj_2022.html",
                 "force_carried_in": {"natural_person": 4}, "quoted": {"received": 31}},
        intended_flags=[("TIMELINESS", "error", "published_on"), ("TEXT_TABLE", "warn", "received"),
                        ("DUPLICATION", "warn", "previous_year"), ("T3_CROSS_YEAR", "warn", "natural_person"),
                        ("T3_CROSS_YEAR", "warn", "total")],
        notes=["published 2024-02-26 (page 发布日期), 26 days after the department deadline of 2024-01-31",
               "the narrative is the 2022 report's, drawn again (same paragraphs and figures but the table's)",
               "the narrative says 收到申请31件; the table's 本年新收 总计 differs",
               "上年结转 自然人 is 4, but the 2022 report carried over another number"]))
    add(Doc(
        name="hongze_zfb_2019.html", fmt="word", agency="淮安市洪泽区人民政府办公室", region="江苏省淮安市洪泽区",
        category="government", year=2019, version="v2019", kind="office", we="区政府办公室",
        title="2019年淮安市洪泽区人民政府办公室政府信息公开工作年度报告", signed="2020-01-20",
        summary="Word-exported HTML in GB2312 (meta charset=gb2312): MsoNormal <p><span> in every cell, <o:p>, "
                "&nbsp;, runs split across spans; year before agency in the title; v2019 five items; first of a pair",
        labels=L(over={("row", "partly_granted"): "（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）",
                       ("hdr", "results"): "三、本年度\n办理结果",
                       ("row", "received"): "一、本年新收政府信息公开申请数量\u00a0",
                       ("row", "carried_out"): "四、结转下年度继续办理\u00a0\u00a0"}),
        profile={"natural": (25, 60), "org": 2, "licensing": (0, 30), "penalties": (0, 0), "coercion": (0, 0),
                 "procurement_text": "86.5万元", "carry_div": 6},
        notes=["Word 'Save as Web Page' export, encoded GB2312 with <meta charset=gb2312>",
               ("every cell is <p class=MsoNormal><span lang=EN-US ...>…<o:p></o:p></span></p>; some labels are split "
               "across two <span> runs; trailing &nbsp; after the 一、 and 四、 labels"),
               "<br> inside cells: 三、本年度<br>办理结果 and （二）部分公开<br>（区分处理的…）",
               "title puts the year before the agency",
               "采购总金额 written with its unit inside the cell: 86.5万元",
               "first of two consecutive years (2019/2020): 2020 上一年项目数量 = 2019 上一年项目数量 + 本年增/减"]))
    add(Doc(
        name="hongze_zfb_2020.txt", fmt="tsv", agency="淮安市洪泽区人民政府办公室", region="江苏省淮安市洪泽区",
        category="government", year=2020, version="v2019", kind="office", we="区政府办公室",
        title="2020年淮安市洪泽区人民政府办公室政府信息公开工作年度报告", signed="2021-01-22",
        prev="hongze_zfb_2019.html", tsv_mode="grid",
        tsv_shift=("withheld_process_info", "rejected_excessive"),
        summary="tab-separated copy like the seed, merged regions as empty fields, two rows shifted one column left; "
                "half-width '(一) ' with a space; second year of pair B",
        labels=L(paren="half_space"),
        profile={"natural": (20, 50), "org": 2, "licensing": (0, 30), "penalties": (0, 0), "coercion": (0, 0),
                 "carry_div": 7, "procurement_text": "1236800"},
        notes=["tab-separated text copied from the web page; merged cells expand to empty fields",
               ("rows 6.属于四类过程性信息 and 4.无正当理由大量反复申请 are shifted one column left (label first, "
               "values one field early), as in the seed"),
               "second of two consecutive years: 上年结转 = 2019 结转下年度; 上一年项目数量 = 2019 上一年项目数量 + 2019 本年增/减",
               "采购总金额 written as a bare number (no unit)"]))

    # --- more layouts
    add(Doc(
        name="xihu_rsj_2021.txt", fmt="tsv", agency="杭州市西湖区人力资源和社会保障局", region="浙江省杭州市西湖区",
        category="人力资源和社会保障", year=2021, version="v2021", kind="dept", we="我局",
        title="西湖区人社局2021年政府信息公开工作年度报告", agency_in_title="西湖区人社局", tsv_mode="browser",
        header_split=True,
        summary="tab-separated browser copy (one field per <td>, nothing for merged positions); header words split "
                "across rows (商业/企业); 1、 numbering; abbreviated agency in the title; no date line",
        labels=L(num="dun"),
        profile={"natural": (30, 90), "org": 2, "licensing": (800, 3000), "penalties": (0, 40), "coercion": (0, 0),
                 "fees": 0},
        notes=["title abbreviates the agency (西湖区人社局); the body names 杭州市西湖区人力资源和社会保障局",
               "browser-style copy: merged cells contribute no fields, so rows have different lengths",
               ("section 三 header spread over four rows with words split: 商业|科研|社会公益|法律服务 on one row, "
               "企业|机构|组织|机构 on the next"),
               "numbering 1、2、3、 instead of 1.2.3.", "no signature date line"]))
    add(Doc(
        name="pingwu_zrzyj_2022.html", fmt="lost_p", agency="平武县自然资源局", region="四川省绵阳市平武县",
        category="自然资源", year=2022, version="v2021", kind="dept", we="我局",
        title="《平武县自然资源局2022年度政府信息公开工作报告》", signed="2023-01-19",
        summary="table markup lost: every grid position is its own <p>, merged regions become runs of empty <p>; "
                "《…2022年度政府信息公开工作报告》 title; 规范性文件 in a v2021 report",
        labels=L(over={("arow", "normative_documents"): "规范性文件"}),
        profile={"natural": (40, 120), "org": 2, "licensing": (150, 700), "penalties": (10, 60), "coercion": (0, 8),
                 "fees": 126.35},
        notes=[("the CMS lost the table markup: each grid position is its own <p>, cells covered by merged regions "
               "are empty <p><br/></p> paragraphs"),
               "title form 《XX2022年度政府信息公开工作报告》",
               "row label 规范性文件 (v2019 wording) inside an otherwise v2021 section 二",
               "decimal fee in 万元: 126.35"]))
    add(Doc(
        name="pingwu_jtysj_2021.html", fmt="lost_br", agency="平武县交通运输局", region="四川省绵阳市平武县",
        category="交通运输", year=2021, version="v2021", kind="dept", we="我局",
        title="平武县交通运输局2021年政府信息公开工作年度报告", signed="2022-01-21",
        summary="table markup lost: cells as <br> lines separated by blank lines, section 三 with a lone '|' line "
                "between cells; '-' in the 规章 cells",
        overrides={("active", "art20_1", "rules", m): "-" for m in ("issued", "repealed", "in_force")},
        profile={"natural": (4, 15), "org": 1, "licensing": (200, 900), "penalties": (30, 300), "coercion": (0, 20),
                 "fees": 0},
        notes=[("tables flattened to text lines joined by <br>: small tables have one cell per line with blank lines "
               "between cells; section 三 has a lone '|' line between cells"),
               "merged cells appear once (no placeholders), so row lengths vary",
               "规章 cells hold '-' (null)"]))
    add(Doc(
        name="laifeng_nyncj_2020.html", fmt="html", agency="来凤县农业农村局",
        region="湖北省恩施土家族苗族自治州来凤县", category="农业农村", year=2020, version="v2019", kind="dept",
        we="我局", title="《来凤县农业农村局2020年政府信息公开工作年度报告》", signed="2021-01-25",
        summary="湖北 annotated v2019 labels: long notes in parentheses after 上一年项目数量/本年增/减/处理决定数量/规章; "
                "negative 本年增/减",
        labels=L(over={("metric", "art20_5", "prior_year_items"): "上一年项目数量(指2019年事项数)",
                       ("metric", "art20_6", "prior_year_items"): "上一年项目数量(指2019年事项数)",
                       ("metric", "art20_8", "prior_year_items"): "上一年项目数量(指2019年事项数)",
                       ("metric", "art20_5", "change"): "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)",
                       ("metric", "art20_6", "change"): "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)",
                       ("metric", "art20_8", "change"): "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8)",
                       ("metric", "art20_5", "decisions"): "处理决定数量(指2020年办件量)",
                       ("metric", "art20_6", "decisions"): "处理决定数量(指2020年办件量)",
                       ("arow", "rules"): "规章(设区的市、自治州人民政府应提供相关数据)"}),
        profile={"natural": (3, 12), "org": 1, "licensing": (40, 300), "penalties": (5, 60), "coercion": (0, 6),
                 "procurement_text": "35.72"},
        notes=[("湖北 2020 annotated labels: 上一年项目数量(指2019年事项数), "
               "本年增/减(指2020年增加或减少的事项数,减用负值表示,如-8), 处理决定数量(指2020年办件量), "
               "规章(设区的市、自治州人民政府应提供相关数据): match by prefix"),
               "本年增/减 values are signed (negative numbers are legitimate here)",
               "采购总金额 35.72 without a unit"]))
    add(Doc(
        name="cangnan_zjj_2022_hant.html", fmt="html", agency="苍南县住房和城乡建设局", region="浙江省温州市苍南县",
        category="住房和城乡建设", year=2022, version="v2021", kind="dept", we="我局",
        title="苍南县住房和城乡建设局2022年政府信息公开工作年度报告", signed="2023-01-12", chrome="mirror",
        traditional=True,
        summary="mirror-site copy in Traditional characters (數量, 結轉, 處理, 總計 …), UTF-8",
        profile={"natural": (15, 45), "org": 2, "licensing": (100, 600), "penalties": (5, 50), "coercion": (0, 4),
                 "fees": 0},
        notes=[("republished on a mirror site in Traditional characters (蒼南縣住房和城鄉建設局, 數量, 結轉, 處理, 總計): "
               "convert before matching; agency given here in simplified form"),
               "mirror-site chrome instead of the government site's"]))
    add(Doc(
        name="wuyang_czj_2021_nometa.html", fmt="html_nometa", agency="舞阳县财政局", region="河南省漯河市舞阳县",
        category="财政", year=2021, version="v2021", kind="dept", we="我局",
        title="舞阳县财政局2021年度政府信息公开工作报告", signed="2022-01-18",
        summary="GB2312 bytes with no charset declaration anywhere (encoding must be detected); decimal fee 7730.28 万元",
        profile={"natural": (5, 18), "org": 1, "licensing": (0, 12), "penalties": (0, 5), "coercion": (0, 0),
                 "fees": 7730.28},
        notes=["encoded GB2312 but the page declares no charset (no <meta>, no BOM): detect the encoding",
               "fee amount with decimals in 万元: 7730.28",
               "title form 《XX2021年度政府信息公开工作报告》 without the word 年度报告"]))
    add(Doc(
        name="hongze_gaj_2022_blank.html", fmt="html", agency="淮安市公安局洪泽分局", region="江苏省淮安市洪泽区",
        category="公安", year=2022, version="v2021", kind="dept", we="我局",
        title="淮安市公安局洪泽分局2022年政府信息公开工作年度报告", signed="2023-01-10", blank_zero=True,
        thousands=True,
        summary="every zero left blank (blank = NULL, never 0); thousands separators in section 二 (11,229)",
        profile={"natural": (20, 60), "org": 1, "licensing": (9000, 16000), "penalties": (2000, 6000),
                 "coercion": (150, 900), "fees": 85.6},
        notes=[("the report leaves every zero cell blank: those cells are NULL, and equations with a blank term are "
               "not checkable (no flags)"),
               "large counts with thousands separators in section 二 (11,229)",
               "agency name of the 分局 form (淮安市公安局洪泽分局)"]))
    add(Doc(
        name="xihu_zf_2019_totals_blank.html", fmt="html", agency="杭州市西湖区人民政府", region="浙江省杭州市西湖区",
        category="government", year=2019, version="v2019", kind="gov", we="我区",
        title="杭州市西湖区2019年政府信息公开工作年度报告", agency_in_title="杭州市西湖区", signed="2020-02-26",
        total_blank_subrows=True, t2_split=True,
        summary="上海 2019 style: 总计 blank on every outcome sub-row; 251000元 in 采购总金额; section 二 as five small "
                "tables; agency abbreviated to the district name in the title",
        profile={"natural": (60, 160), "org": 2, "licensing": (0, 60), "penalties": (0, 20), "coercion": (0, 3),
                 "procurement_text": "251000元", "carry_div": 8},
        notes=[("like 上海市政府办公厅 2019: the 总计 column is blank on every outcome sub-row （一）…（六）, only "
               "一、二、（七）、四 carry totals: NULL, not 0, and no row-total flags"),
               "采购总金额 cell written 251000元 (unit 元 inside the cell)",
               "section 二 printed as five small tables (v2019)",
               "title names the district (杭州市西湖区), the body the government (杭州市西湖区人民政府)",
               "a government's own report: deadline 3月31日"]))
    add(Doc(
        name="pingwu_zf_2019_chrome.html", fmt="html", agency="平武县人民政府", region="四川省绵阳市平武县",
        category="government", year=2019, version="v2019", kind="gov", we="我县",
        title="平武县2019年政府信息公开工作年度报告", agency_in_title="平武县", signed="2020-03-20",
        published="2020-03-27", chrome="gov", meta_table=True, policy_table=True, extra_row=True,
        summary="site chrome + metadata table (发布机构 is the 办公室), an extra 政策解读情况 table, and a non-template "
                "row 4.非本机关政府信息公开范围 under （四）无法提供",
        profile={"natural": (40, 110), "org": 2, "licensing": (0, 80), "penalties": (0, 20), "coercion": (0, 2),
                 "procurement_text": "1326.8万元", "publisher": "平武县人民政府办公室", "carry_div": 10},
        notes=["government site chrome (字号 大 中 小, 打印, 关闭, 语音朗读, navigation, footer)",
               ("metadata table before the body: 索引号 / 发布机构 / 发布日期 / 文号; 发布机构 is 平武县人民政府办公室 but the "
               "report is the county government's own"),
               "an extra non-template table 政策解读情况 between sections 二 and 三",
               ("a non-template row 4.非本机关政府信息公开范围 under （四）无法提供 (all 0): not a template code; it must "
               "not overwrite 1.本机关不掌握相关政府信息"),
               "2019 report: format deviations are info only",
               "published 2020-03-27, within the 3月31日 deadline of a government's own report"]))
    add(Doc(
        name="wuyang_bwdz_2021.html", fmt="html", agency="舞阳县北舞渡镇人民政府", region="河南省漯河市舞阳县",
        category="government", year=2021, version="v2021", kind="township", we="我镇",
        title="舞阳县北舞渡镇人民政府2021年政府信息公开工作年度报告", signed="2022-01-26",
        summary="township report: '/', '无', '—', '-' in numeric cells; （1）（2） numbering; very small counts",
        labels=L(num="paren"),
        overrides={**{("active", "art20_1", "rules", m): "/" for m in ("issued", "repealed", "in_force")},
                   ("active", "art20_5", "licensing", "decisions"): "无",
                   ("active", "art20_6", "coercion", "decisions"): "—",
                   ("active", "art20_8", "fees", "amount"): "-"},
        profile={"natural": (1, 6), "org": 0, "licensing": (0, 0), "penalties": (0, 4), "coercion": (0, 0),
                 "fees": 0, "appeals": 0, "issued": (0, 2)},
        notes=["a township (镇人民政府) report; the region is its county",
               "null markers in numeric cells: '/' (规章), '无' (行政许可), '—' (行政强制), '-' (收费金额): all NULL",
               "numbering （1）（2）… in section 三 sub-rows"]))
    add(Doc(
        name="wuyang_wjw_2022_word.html", fmt="word", agency="舞阳县卫生健康委员会", region="河南省漯河市舞阳县",
        category="卫生健康", year=2022, version="v2021", kind="dept", we="我委",
        title="舞阳县卫生健康委员会2022年政府信息公开工作年度报告", signed="2023-01-16", sign_style="chinese",
        summary="Word-exported HTML declared gb2312 but holding the GBK-only 〇; date line in Chinese numerals "
                "(二〇二三年一月十六日); a trailing &nbsp; after every 自然人 value",
        overrides={},
        profile={"natural": (10, 35), "org": 1, "licensing": (300, 1500), "penalties": (10, 90), "coercion": (0, 3),
                 "fees": 0, "nbsp_values": True, "prev_expected": PREV_WJW_2021},
        notes=["Word 'Save as Web Page' export in GB2312 (meta charset=gb2312) with mso styles and <o:p>",
               "some value cells carry a trailing &nbsp;",
               "date line written in Chinese numerals: 二〇二三年一月十六日",
               "declares charset=gb2312 but 〇 is a GBK-only character (bytes A9 96): decode as GBK/GB18030",
               ("continues the agency's 2021 report of tests/extract/files/office (wuyang_wsjkw_2021.docx, also on "
                "the mock portal): 上年结转 and 现行有效件数 carry over from it")]))
    add(Doc(
        name="pingwu_gaj_2023_fullwidth.html", fmt="html", agency="平武县公安局", region="四川省绵阳市平武县",
        category="公安", year=2023, version="v2021", kind="dept", we="我局",
        title="平武县公安局2023年政府信息公开工作年度报告", signed="2024-01-22", thousands=True,
        fullwidth_cols=("natural_person", "total"),
        summary="full-width digits (１２) in the 自然人 and 总计 columns; thousands separators; 本年(2023)制发件数 and the "
                "truncated header 现行有效件",
        labels=L(over={("metric", "art20_1", "issued"): "本年(2023)制发件数",
                       ("metric", "art20_1", "repealed"): "本年(2023)废止件数",
                       ("metric", "art20_1", "in_force"): "现行有效件"}),
        profile={"natural": (15, 50), "org": 1, "licensing": (4000, 9000), "penalties": (1200, 4000),
                 "coercion": (100, 600), "fees": 12.5},
        notes=["section 三 自然人 and 总计 columns use full-width digits (１２)",
               "thousands separators in section 二 (5,640)",
               "header drift: 本年(2023)制发件数, truncated 现行有效件"]))
    add(Doc(
        name="hongze_scjgj_2023_single_other.html", fmt="html", agency="淮安市洪泽区市场监督管理局",
        region="江苏省淮安市洪泽区", category="市场监督管理", year=2023, version="v2021", kind="dept", we="我局",
        single_other=True, title="《淮安市洪泽区市场监督管理局2023年政府信息公开工作年度报告》", signed="2024-01-19",
        summary="v2021 report with a single （六）其他处理 data row (stored as other_handling); typo 其他法律行政止公开; "
                "spaces inside labels (商业 企业, 第二十条  第(六)项)",
        labels=L(over={("row", "withheld_prohibited_by_law"): "2.其他法律行政止公开",
                       ("hdr", "commercial_enterprise"): "商业 企业",
                       ("hdr", "legal_service_org"): "法律服务 机构",
                       ("item", "art20_6"): "第二十条  第(六)项"}),
        profile={"natural": (20, 70), "org": 2, "licensing": (2000, 6000), "penalties": (80, 500),
                 "coercion": (0, 40), "fees": 0},
        notes=[("v2021 format but section 三 keeps a single （六）其他处理 data row (like 洪泽区人民政府 2024): stored as "
               "other_handling; no FMT_VERSION flag"),
               "typo in the original row label: 2.其他法律行政止公开",
               "spaces inside labels: 商业 企业, 法律服务 机构, 第二十条  第(六)项"]))
    add(Doc(
        name="cangnan_jyj_2021_mixed.html", fmt="html", agency="苍南县教育局", region="浙江省温州市苍南县",
        category="教育", year=2021, version="v2021", kind="dept", we="我局",
        title="苍南县教育局2021年政府信息公开工作年度报告", signed="2022-01-24",
        active_versions={"art20_1": "v2019"},
        summary="mixed versions: 第二十条第（一）项 keeps the v2019 columns (本年新制作/本年新公开/对外公开总数量, "
                "规范性文件), everything else v2021 -> FMT_VERSION",
        profile={"natural": (10, 30), "org": 1, "licensing": (20, 120), "penalties": (0, 5), "coercion": (0, 0),
                 "fees": 0},
        intended_flags=[("FMT_VERSION", "error", "template_version")],
        notes=[("mixed template: 第二十条第（一）项 uses the v2019 columns 本年新制作数量/本年新公开数量/对外公开总数量 "
               "(and row 规范性文件); sections 二 (other items), 三 and 四 are v2021"),
               "active values of art20_1 use the v2019 metric codes (see active_versions)",
               "v2019 labels in a 2021 report: FMT_VERSION (error)"]))

    # --- one deliberate violation per error rule
    add(Doc(
        name="hongze_jtysj_2022_t3_stated.html", fmt="html", agency="淮安市洪泽区交通运输局",
        region="江苏省淮安市洪泽区", category="交通运输", year=2022, version="v2021", kind="dept", we="我局",
        title="淮安市洪泽区交通运输局2022年政府信息公开工作年度报告", signed="2023-01-17",
        mutate=mutate_t3_stated,
        summary="violates T3_STATED: 一、本年新收 for 自然人 (and its 总计) is 2 higher than 办结 + 结转 allow",
        profile={"natural": (10, 30), "org": 1, "licensing": (300, 1500), "penalties": (50, 400),
                 "coercion": (0, 30), "fees": 0},
        intended_flags=[("T3_STATED", "error", "natural_person"), ("T3_STATED", "error", "total")],
        notes=[("deliberate inconsistency: 一、本年新收 自然人 is 2 too high and its 总计 was raised with it, so the row "
               "still adds up but 一+二 ≠ （七）+四 in the 自然人 and 总计 columns")]))
    add(Doc(
        name="wuyang_zjj_2021_row_total.txt", fmt="tsv", agency="舞阳县住房和城乡建设局", region="河南省漯河市舞阳县",
        category="住房和城乡建设", year=2021, version="v2021", kind="dept", we="我局",
        title="舞阳县住房和城乡建设局2021年政府信息公开工作年度报告", signed="2022-01-20", tsv_mode="grid",
        mutate=mutate_t3_row_total,
        summary="violates T3_ROW_TOTAL: the 总计 of （一）予以公开 is 10 too high (hence also T3_RESULTS_SUM on 总计); "
                "tab-separated grid copy",
        profile={"natural": (10, 30), "org": 1, "licensing": (100, 500), "penalties": (5, 40), "coercion": (0, 3),
                 "fees": 0},
        intended_flags=[("T3_ROW_TOTAL", "error", "granted"), ("T3_RESULTS_SUM", "error", "total")],
        notes=[("deliberate inconsistency: the 总计 of （一）予以公开 is 10 more than the sum of its six applicant cells; "
               "the same cell makes the 总计 column's outcomes add up to more than （七）总计"),
               "tab-separated text, merged regions as empty fields"]))
    add(Doc(
        name="pingwu_nyncj_2022_results_sum.html", fmt="html", agency="平武县农业农村局", region="四川省绵阳市平武县",
        category="农业农村", year=2022, version="v2021", kind="dept", we="我局",
        title="平武县农业农村局2022年政府信息公开工作年度报告", signed="2023-01-13",
        mutate=mutate_t3_results_sum,
        summary="violates T3_RESULTS_SUM: （一）予以公开 自然人 (and its row 总计) raised by 3, （七）总计 not updated",
        profile={"natural": (8, 25), "org": 1, "licensing": (100, 400), "penalties": (10, 80), "coercion": (0, 5),
                 "fees": 0},
        intended_flags=[("T3_RESULTS_SUM", "error", "natural_person"), ("T3_RESULTS_SUM", "error", "total")],
        notes=[("deliberate inconsistency: （一）予以公开 自然人 is 3 higher than the other outcome rows and （七）总计 "
               "allow; its row 总计 was raised too, so 自然人 and 总计 columns both fail T3_RESULTS_SUM")]))
    add(Doc(
        name="laifeng_rsj_2021_negative.html", fmt="html", agency="来凤县人力资源和社会保障局",
        region="湖北省恩施土家族苗族自治州来凤县", category="人力资源和社会保障", year=2021, version="v2021",
        kind="dept", we="我局", title="来凤县人力资源和社会保障局2021年政府信息公开工作年度报告", signed="2022-01-27",
        mutate=mutate_t3_bounds,
        summary="violates T3_BOUNDS: a -1 in a section 三 cell; neighbouring cells make every equation still balance",
        profile={"natural": (10, 30), "org": 1, "licensing": (200, 900), "penalties": (0, 20), "coercion": (0, 0),
                 "fees": 0, "force_received": {"commercial_enterprise": 4}},
        intended_flags=[("T3_BOUNDS", "error", "<bounds>")],
        notes=[("deliberate inconsistency: one 自然人 cell under （三）不予公开 is -1; the row, column and 总计 equations "
               "still hold, so T3_BOUNDS is the only flag")]))
    add(Doc(
        name="wenzhou_sthjj_cn_2022_t4.html", fmt="html", agency="温州市生态环境局苍南分局", region="浙江省温州市苍南县",
        category="生态环境", year=2022, version="v2021", kind="dept", we="我局",
        title="温州市生态环境局苍南分局2022年政府信息公开工作年度报告", signed="2023-01-11",
        mutate=mutate_t4_totals,
        summary="violates T4_TOTALS: 行政复议 总计 0 beside 结果维持 1 and 结果纠正 1",
        profile={"natural": (10, 35), "org": 2, "licensing": (80, 300), "penalties": (20, 120), "coercion": (0, 15),
                 "fees": 0, "quote_appeals": False},
        intended_flags=[("T4_TOTALS", "error", "review")],
        notes=["deliberate inconsistency: 行政复议 结果维持 1, 结果纠正 1, but 总计 0",
               "the narrative does not quote appeal figures"]))
    add(Doc(
        name="hongze_jtj_2022_v2019.html", fmt="html", agency="淮安市洪泽区教育体育局", region="江苏省淮安市洪泽区",
        category="教育", year=2022, version="v2019", kind="dept", we="我局",
        title="洪泽区教体局2022年政府信息公开工作年度报告", agency_in_title="洪泽区教体局", signed="2023-01-28",
        summary="violates FMT_VERSION: a 2022 report using the v2019 format (five items incl. 政府集中采购, single "
                "（六）其他处理)",
        profile={"natural": (8, 30), "org": 1, "licensing": (10, 80), "penalties": (0, 4), "coercion": (0, 0),
                 "procurement_text": "0"},
        intended_flags=[("FMT_VERSION", "error", "template_version")],
        notes=[("a 2022 report still using the v2019 (60号) tables: 上一年项目数量/本年增/减, 第二十条第（九）项 "
               "政府集中采购, single （六）其他处理 row: FMT_VERSION error"),
               "title abbreviates the agency (洪泽区教体局)"]))
    return docs


# ----------------------------------------------------------------------------- generation
# The 2021 report of 舞阳县卫生健康委员会 is an office fixture (a DOCX the mock portal serves beside
# data/samples); the 2022 sample continues it, so the two are a consistent pair in the demo warehouse.
PREV_WJW_2021 = "tests/extract/files/office/wuyang_wsjkw_2021.expected.json"


@dataclass
class ExternalPrev:
    """The previous year of a document, from another corpus's expected.json."""

    apps: dict
    active: dict


def external_prev(doc: Doc) -> ExternalPrev | None:
    path = doc.profile.get("prev_expected")
    if not path:
        return None
    exp = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return ExternalPrev(apps=exp["applications"],
                        active={(e["item"], e["row"], e["metric"]): e["value"] for e in exp["active"]})


def finish_numbers(doc: Doc, prev: Doc | None) -> None:
    doc.apps = gen_applications(doc, prev)
    doc.appeals = gen_appeals(doc)
    doc.active = gen_active(doc, prev)
    soft_checks(doc, prev)
    if doc.mutate:
        doc.mutate(doc)
    compute_display(doc)
    p = doc.profile
    if "procurement_text" in p:
        doc.display[("active", "art20_9", "procurement", "amount")] = p["procurement_text"]
    if p.get("nbsp_values"):
        for key in list(doc.display):
            if key[0] == "app" and key[2] == "natural_person" and doc.display[key]:
                doc.display[key] = doc.display[key] + "\u00a0"
    if doc.traditional:
        pass


def deadline(doc: Doc) -> str:
    """《条例》第四十九条: a department by 31 January, a government's own report (and a township) by 31 March."""
    return f"{doc.year + 1}-01-31" if doc.kind == "dept" else f"{doc.year + 1}-03-31"


def declared_flags(exp: dict, prev: Any) -> set[tuple[str, str, str]]:
    """The rules beyond one table's arithmetic, from what the expected file declares: a publication
    date after the deadline (TIMELINESS), a figure the narrative quotes differently (TEXT_TABLE),
    text copied from the previous year's report (DUPLICATION), a carry-over that does not continue
    last year's (T3_CROSS_YEAR)."""
    flags: set[tuple[str, str, str]] = set()
    if exp.get("published_on") and exp["published_on"] > exp["deadline"]:
        flags.add(("TIMELINESS", "error", "published_on"))
    for code, stated in exp.get("quoted_figures", {}).items():
        if stated != exp["applications"][code]["total"]:
            flags.add(("TEXT_TABLE", "warn", code))
    if exp.get("copied_from"):
        flags.add(("DUPLICATION", "warn", "previous_year"))
    if prev is not None and hasattr(prev, "apps") and isinstance(prev, Doc):
        for c in APPLICANTS:
            if exp["applications"]["carried_in"][c] != prev.apps["carried_out"][c]:
                flags.add(("T3_CROSS_YEAR", "warn", c))
    return flags


def expected_json(doc: Doc, exp_apps: dict, exp_appeals: dict, exp_active: list, prev: Any = None) -> dict:
    out: dict[str, Any] = {"file": doc.name, "expected_status": "ok", "agency": doc.agency}
    if doc.agency_in_title:
        out["agency_in_title"] = doc.agency_in_title
    out["region"] = doc.region
    out["category"] = doc.category
    out["year"] = doc.year
    out["version"] = doc.version
    if doc.active_versions:
        out["active_versions"] = dict(doc.active_versions)
    if doc.signed:
        out["signed_on"] = doc.signed
    if doc.published:
        out["published_on"] = doc.published
        out["deadline"] = deadline(doc)
    if doc.profile.get("quoted"):
        out["quoted_figures"] = dict(doc.profile["quoted"])
    if doc.profile.get("text_seed"):
        out["copied_from"] = doc.profile["text_seed"]
    out["notes"] = list(doc.notes)
    out["applications"] = exp_apps
    out["appeals"] = exp_appeals
    out["active"] = exp_active
    flags = []
    for rule, sev, subject in doc.intended_flags:
        if subject == "<bounds>":
            subject = f"{doc.profile['bounds_row']}:natural_person"
        flags.append({"rule": rule, "severity": sev, "subject": subject})
    out["expected_flags"] = flags
    got = check(out) | declared_flags(out, prev)
    want = {(f["rule"], f["severity"], f["subject"]) for f in flags}
    assert got == want, (doc.name, sorted(got), sorted(want))
    return out


def render(doc: Doc, blocks: list) -> bytes:
    if doc.fmt == "tsv":
        text = render_tsv(doc, blocks)
        return text.encode("utf-8")
    if doc.fmt == "word":
        # declared gb2312, written as GB18030/GBK like Word does (〇 is GBK-only)
        return render_word(doc, blocks).encode("gb18030")
    if doc.fmt == "html_nometa":
        text = render_page(doc, blocks, "cms", None)
        return text.encode("gb2312")
    style = {"html": "cms", "lost_p": "lost_p", "lost_br": "lost_br"}[doc.fmt]
    page = render_page(doc, blocks, style, "utf-8")
    if doc.traditional:
        for s, t in S2T_WORDS.items():
            page = page.replace(s, t)
        page = to_traditional(page)
    return page.encode("utf-8")


def expected_name(doc_name: str) -> str:
    """hzq2024.pdf -> hzq2024.expected.json (the convention of the seed and shared/corpus/real)."""
    return Path(doc_name).stem + ".expected.json"


def dump_json(obj: dict) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# ----------------------------------------------------------------------------- documents that are not reports
def not_a_report_notice() -> str:
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关于召开全县政务公开工作推进会议的通知_舞阳县人民政府</title>
</head>
<body>
<div class="location">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/tzgg/">通知公告</a></div>
<div class="article">
<h1>关于召开全县政务公开工作推进会议的通知</h1>
<div class="info">发布日期：2022-01-07  来源：舞阳县人民政府办公室</div>
<div class="article-content">
<p>各乡镇人民政府、街道办事处，县政府各部门：</p>
<p style="text-indent:2em">为深入贯彻落实《中华人民共和国政府信息公开条例》，做好2021年度政府信息公开工作年度报告编制发布工作，经县政府同意，定于近期召开全县政务公开工作推进会议。现将有关事项通知如下：</p>
<p style="text-indent:2em"><strong>一、会议时间</strong></p>
<p style="text-indent:2em">2022年1月11日（星期二）上午9:00，会期半天。</p>
<p style="text-indent:2em"><strong>二、会议地点</strong></p>
<p style="text-indent:2em">县政府三楼第一会议室。</p>
<p style="text-indent:2em"><strong>三、参会人员</strong></p>
<p style="text-indent:2em">各乡镇（街道）、县政府各部门分管政务公开工作的负责同志和具体工作人员各1名。</p>
<p style="text-indent:2em"><strong>四、会议内容</strong></p>
<p style="text-indent:2em">（一）通报2021年全县政务公开工作第三方评估情况；（二）解读国办公开办函〔2021〕30号文件，培训年度报告新格式填报要求；（三）安排部署2022年政务公开重点工作。</p>
<p style="text-indent:2em"><strong>五、有关要求</strong></p>
<p style="text-indent:2em">请参会人员提前10分钟到场签到，会议期间将手机调至静音状态。因故不能参会的，须向县政府办公室书面请假。各单位年度报告须于1月28日前在政府门户网站发布。</p>
<p style="text-indent:2em">联系人：王某某，电话：0395-7212345。</p>
<p style="text-align:right">舞阳县人民政府办公室</p>
<p style="text-align:right">2022年1月7日</p>
</div>
</div>
</body>
</html>
"""


def old_format_report() -> str:
    return """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>平武县民政局2017年政府信息公开工作年度报告</title>
</head>
<body>
<div class="article">
<h1>平武县民政局2017年政府信息公开工作年度报告</h1>
<div class="article-content">
<p style="text-indent:2em">本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由平武县民政局编制。全文包括概述，主动公开政府信息情况，依申请公开政府信息情况，政府信息公开的收费及减免情况，因政府信息公开申请行政复议、提起行政诉讼的情况，存在的主要问题及改进措施，其他需要报告的事项。本报告中所列数据的统计期限自2017年1月1日起至2017年12月31日止。</p>
<p style="text-indent:2em"><strong>一、概述</strong></p>
<p style="text-indent:2em">2017年，我局认真贯彻落实《条例》和县委、县政府关于政务公开工作的部署，围绕社会救助、养老服务、社会事务等重点工作，及时准确公开政府信息，保障群众的知情权和监督权。</p>
<p style="text-indent:2em"><strong>二、主动公开政府信息情况</strong></p>
<p style="text-indent:2em">2017年我局共主动公开政府信息156条，其中通过县政府门户网站公开128条，通过政务微博、微信公开28条。公开的主要内容包括：机构职能、规范性文件、城乡低保、特困供养、临时救助资金发放情况等。</p>
<table border="1" cellspacing="0" cellpadding="2">
<tr><td>指标</td><td>单位</td><td>数量</td></tr>
<tr><td>主动公开政府信息数</td><td>条</td><td>156</td></tr>
<tr><td>其中：主动公开规范性文件数</td><td>条</td><td>3</td></tr>
<tr><td>回应公众关注热点或重大舆情数</td><td>次</td><td>2</td></tr>
</table>
<p style="text-indent:2em"><strong>三、依申请公开政府信息情况</strong></p>
<p style="text-indent:2em">2017年我局共收到政府信息公开申请4件，均为自然人申请。已答复4件，其中“同意公开”3件，“信息不存在”1件。</p>
<table border="1" cellspacing="0" cellpadding="2">
<tr><td>指标</td><td>单位</td><td>数量</td></tr>
<tr><td>收到申请数</td><td>件</td><td>4</td></tr>
<tr><td>其中：1.当面申请数</td><td>件</td><td>1</td></tr>
<tr><td>2.传真申请数</td><td>件</td><td>0</td></tr>
<tr><td>3.网络申请数</td><td>件</td><td>2</td></tr>
<tr><td>4.信函申请数</td><td>件</td><td>1</td></tr>
<tr><td>申请办结数</td><td>件</td><td>4</td></tr>
<tr><td>其中：1.按时办结数</td><td>件</td><td>4</td></tr>
<tr><td>2.延期办结数</td><td>件</td><td>0</td></tr>
</table>
<p style="text-indent:2em"><strong>四、政府信息公开的收费及减免情况</strong></p>
<p style="text-indent:2em">2017年我局未收取任何政府信息公开相关费用。</p>
<p style="text-indent:2em"><strong>五、因政府信息公开申请行政复议、提起行政诉讼的情况</strong></p>
<p style="text-indent:2em">2017年我局未发生因政府信息公开申请行政复议、提起行政诉讼的情况。</p>
<p style="text-indent:2em"><strong>六、存在的主要问题及改进措施</strong></p>
<p style="text-indent:2em">存在的主要问题是信息公开的及时性有待提高，部分信息更新不够快。下一步，我局将进一步完善信息公开工作制度，加强人员培训，提高信息公开质量。</p>
<p style="text-indent:2em"><strong>七、其他需要报告的事项</strong></p>
<p style="text-indent:2em">无。</p>
<p style="text-align:right">平武县民政局</p>
<p style="text-align:right">2018年1月22日</p>
</div>
</div>
</body>
</html>
"""


BAD_DOCS = [
    ("empty.html", "failed", "an empty file (0 bytes)",
     ["an empty file (0 bytes): nothing to read"]),
    ("notice_meeting.html", "not_a_report",
     "an HTML notice 关于召开…会议的通知 that mentions 年度报告 but is not one",
     [("a meeting notice (关于召开全县政务公开工作推进会议的通知), not an annual report; it mentions "
      "政府信息公开工作年度报告 and 国办公开办函〔2021〕30号 in passing")]),
    ("garbage.txt", "failed", "random binary bytes with a .txt name",
     ["random binary bytes named .txt: not decodable text"]),
    ("pingwu_mzj_2017_oldformat.html", "not_a_report",
     "a 2017 report in the pre-2019 old format (依申请公开政府信息情况, 收费及减免情况)",
     [("a 2017 report in the old (pre-2019) format under the 2008 条例: sections 概述 / 依申请公开政府信息情况 / "
      "政府信息公开的收费及减免情况 / 因政府信息公开申请行政复议、提起行政诉讼的情况; not the v2019/v2021 format, "
      "so it is not extracted as a v2019/v2021 report")]),
]


def bad_doc_bytes(name: str) -> bytes:
    if name == "empty.html":
        return b""
    if name == "notice_meeting.html":
        return not_a_report_notice().encode("utf-8")
    if name == "garbage.txt":
        data = bytearray(rng_for(name).randbytes(3072))
        data[0:4] = b"\x89\x00\xff\xfe"
        return bytes(data)
    if name.endswith("oldformat.html"):
        return old_format_report().encode("utf-8")
    raise KeyError(name)  # pragma: no cover


# ----------------------------------------------------------------------------- README
def readme(docs: list[Doc]) -> str:
    lines = [
        "# Sample corpus",
        "",
        ("Generated by `scripts/make_samples.py` (deterministic; re-run it after changing the generator, never edit "
        "these files by hand). Every document has a `<stem>.expected.json` (as for the seed: `x.html` -> "
        "`x.expected.json`) with the values a correct extractor "
        "finds and the flags (`expected_flags`, error/warn only) a correct checker raises; documents that are not "
        "reports carry only `file`, `expected_status` and `notes`. `tests/test_samples_corpus.py` keeps the "
        "generator deterministic and the expected arithmetic honest."),
        "",
        ("Conventions of the expected files: a blank cell or a null marker (`-`, `/`, `—`, `无`) is `null`; a unit "
        "written in a cell (`251000元`, `86.5万元`) is stripped into `unit`; the v2021 fee column always has "
        "`unit: 万元` (its header says so); decimals are floats. `active_versions` (one document) names a 第二十条 item "
        "printed with the other version's columns. The seed `000_…` is the project's original report, copied "
        "unchanged."),
        "",
        "| file | layout / trap | version | year | status |",
        "|---|---|---|---|---|",
        (f"| {SEED_NAME}.txt | the project's seed: tab-separated copy, rows shifted one column left, abbreviated "
        "agency (工信局) in the title, all-zero tables | v2021 | 2021 | ok |"),
    ]
    def cell(text: str) -> str:
        text = re.sub(r"(<[^<>]*>(?:[^<>|]*</[a-z:]+>)?|&nbsp;)", r"`\1`", text)
        return text.replace("|", "\\|")

    for d in docs:
        lines.append(f"| {d.name} | {cell(d.summary)} | {d.version} | {d.year} | ok |")
    for name, status, summary, _ in BAD_DOCS:
        lines.append(f"| {name} | {cell(summary)} | – | – | {status} |")
    lines.append("")
    return "\n".join(lines)


def generate(out_dir: Path = DEFAULT_OUT) -> list[str]:
    """Write the whole corpus into out_dir; returns the file names written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []

    def write(name: str, data: bytes) -> None:
        (out_dir / name).write_bytes(data)
        written.append(name)

    for ext in (".txt", ".expected.json"):
        src_name = SEED_NAME + ext
        for src_dir in SEED_SOURCES:
            src = src_dir / src_name
            if src.exists():
                if src.resolve() != (out_dir / src_name).resolve():
                    shutil.copyfile(src, out_dir / src_name)
                written.append(src_name)
                break

    docs = corpus()
    by_name: dict[str, Doc] = {}
    names = [d.name for d in docs]
    assert len(set(names)) == len(names)
    for doc in docs:
        prev = by_name[doc.prev] if doc.prev else external_prev(doc)
        finish_numbers(doc, prev)
        by_name[doc.name] = doc
        apps, appeals, active = expected_values(doc)
        exp = expected_json(doc, apps, appeals, active, prev)
        blocks = build_blocks(doc, apps, appeals)
        write(doc.name, render(doc, blocks))
        write(expected_name(doc.name), dump_json(exp))
    for name, status, _, notes in BAD_DOCS:
        write(name, bad_doc_bytes(name))
        write(expected_name(name), dump_json({"file": name, "expected_status": status, "notes": notes}))
    write("README.md", readme(docs).encode("utf-8"))
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    names = generate(args.out)
    print(f"wrote {len(names)} files to {args.out}")


if __name__ == "__main__":
    main()
