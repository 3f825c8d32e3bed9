#!/usr/bin/env python3
"""Generate the holdout2 set: 8 synthetic-but-realistic 政府信息公开工作年度报告.

Standard library only and deterministic: running it twice writes byte-identical files.
Every document gets a sibling ``<file>.expected.json`` in the shape of the seed's
expected file.  ``expected_flags`` is computed from the numbers by an independent
implementation of SPEC.md §5 (see ``compute_flags``) -- never typed by hand.

Usage:  python3 tests/holdout2/make_holdout2.py  [output-dir]
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "files")

# ----------------------------------------------------------------------------- codes
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "social_welfare_org", "legal_service_org", "other_org", "total"]
SIX = APPLICANTS[:6]

WITHHELD = ["withheld_state_secret", "withheld_prohibited_by_law", "withheld_security_stability",
            "withheld_third_party", "withheld_internal_affairs", "withheld_process_info",
            "withheld_enforcement_file", "withheld_admin_query"]
UNAVAILABLE = ["unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear"]
REJECTED = ["rejected_petition", "rejected_duplicate", "rejected_publication",
            "rejected_excessive", "rejected_confirmation"]
OTHER3 = ["other_no_correction", "other_fee_unpaid", "other_misc"]


def outcome_rows(single_other):
    return (["granted", "partly_granted"] + WITHHELD + UNAVAILABLE + REJECTED
            + (["other_handling"] if single_other else OTHER3))


def app_rows(single_other):
    return ["received", "carried_in"] + outcome_rows(single_other) + ["results_total", "carried_out"]


PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]

ACTIVE_TEMPLATE = {
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

# ----------------------------------------------------------------------------- labels
S3 = {  # simplified, official wording
    "corner": "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "applicant_info": "申请人情况", "np": "自然人", "group": "法人或其他组织", "total": "总计",
    "subs": ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
    "received": "一、本年新收政府信息公开申请数量",
    "carried_in": "二、上年结转政府信息公开申请数量",
    "results": "三、本年度办理结果",
    "granted": "（一）予以公开",
    "partly_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld": "（三）不予公开", "unavailable": "（四）无法提供",
    "rejected": "（五）不予处理", "other": "（六）其他处理",
    "withheld_state_secret": ("1.", "属于国家秘密"),
    "withheld_prohibited_by_law": ("2.", "其他法律行政法规禁止公开"),
    "withheld_security_stability": ("3.", "危及“三安全一稳定”"),
    "withheld_third_party": ("4.", "保护第三方合法权益"),
    "withheld_internal_affairs": ("5.", "属于三类内部事务信息"),
    "withheld_process_info": ("6.", "属于四类过程性信息"),
    "withheld_enforcement_file": ("7.", "属于行政执法案卷"),
    "withheld_admin_query": ("8.", "属于行政查询事项"),
    "unavailable_not_held": ("1.", "本机关不掌握相关政府信息"),
    "unavailable_needs_creation": ("2.", "没有现成信息需要另行制作"),
    "unavailable_unclear": ("3.", "补正后申请内容仍不明确"),
    "rejected_petition": ("1.", "信访举报投诉类申请"),
    "rejected_duplicate": ("2.", "重复申请"),
    "rejected_publication": ("3.", "要求提供公开出版物"),
    "rejected_excessive": ("4.", "无正当理由大量反复申请"),
    "rejected_confirmation": ("5.", "要求行政机关确认或重新出具已获取信息"),
    "other_no_correction": ("1.", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    "other_fee_unpaid": ("2.", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    "other_misc": ("3.", "其他"),
    "results_total": "（七）总计",
    "carried_out": "四、结转下年度继续办理",
}

T3 = {  # traditional (Big5 mirror site)
    "corner": "（本列數據的勾稽關係為：第一項加第二項之和，等於第三項加第四項之和）",
    "applicant_info": "申請人情況", "np": "自然人", "group": "法人或其他組織", "total": "總計",
    "subs": ["商業企業", "科研機構", "社會公益組織", "法律服務機構", "其他"],
    "received": "一、本年新收政府信息公開申請數量",
    "carried_in": "二、上年結轉政府信息公開申請數量",
    "results": "三、本年度辦理結果",
    "granted": "（一）予以公開",
    "partly_granted": "（二）部分公開（區分處理的，只計這一情形，不計其他情形）",
    "withheld": "（三）不予公開", "unavailable": "（四）無法提供",
    "rejected": "（五）不予處理", "other": "（六）其他處理",
    "withheld_state_secret": ("1.", "屬於國家秘密"),
    "withheld_prohibited_by_law": ("2.", "其他法律行政法規禁止公開"),
    "withheld_security_stability": ("3.", "危及“三安全一穩定”"),
    "withheld_third_party": ("4.", "保護第三方合法權益"),
    "withheld_internal_affairs": ("5.", "屬於三類內部事務信息"),
    "withheld_process_info": ("6.", "屬於四類過程性信息"),
    "withheld_enforcement_file": ("7.", "屬於行政執法案卷"),
    "withheld_admin_query": ("8.", "屬於行政查詢事項"),
    "unavailable_not_held": ("1.", "本機關不掌握相關政府信息"),
    "unavailable_needs_creation": ("2.", "沒有現成信息需要另行製作"),
    "unavailable_unclear": ("3.", "補正後申請內容仍不明確"),
    "rejected_petition": ("1.", "信訪舉報投訴類申請"),
    "rejected_duplicate": ("2.", "重複申請"),
    "rejected_publication": ("3.", "要求提供公開出版物"),
    "rejected_excessive": ("4.", "無正當理由大量反復申請"),
    "rejected_confirmation": ("5.", "要求行政機關確認或重新出具已獲取信息"),
    "other_no_correction": ("1.", "申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請"),
    "other_fee_unpaid": ("2.", "申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請"),
    "other_misc": ("3.", "其他"),
    "results_total": "（七）總計",
    "carried_out": "四、結轉下年度繼續辦理",
}

S4 = {"review": "行政复议", "litigation": "行政诉讼", "direct": "未经复议直接起诉",
      "after": "复议后起诉", "outcomes": ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]}
T4 = {"review": "行政復議", "litigation": "行政訴訟", "direct": "未經復議直接起訴",
      "after": "復議後起訴", "outcomes": ["結果維持", "結果糾正", "其他結果", "尚未審結", "總計"]}

S2 = {
    "item1": "第二十条第（一）项", "item5": "第二十条第（五）项", "item6": "第二十条第（六）项",
    "item8": "第二十条第（八）项", "item9": "第二十条第（九）项", "content": "信息内容",
    # v2021
    "issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数",
    "rules": "规章", "normative21": "行政规范性文件", "decisions21": "本年处理决定数量",
    "licensing": "行政许可", "penalties": "行政处罚", "coercion": "行政强制",
    "fee_amount": "本年收费金额（单位：万元）", "fees": "行政事业性收费",
    # v2019
    "newly_made": "本年新制作数量", "newly_published": "本年新公开数量", "total_published": "对外公开总数量",
    "normative19": "规范性文件", "prior": "上一年项目数量", "change": "本年增/减",
    "decisions19": "处理决定数量", "other_services": "其他对外管理服务事项",
    "projects": "采购项目数量", "proc_amount": "采购总金额", "procurement": "政府集中采购",
}
T2 = {
    "item1": "第二十條第（一）項", "item5": "第二十條第（五）項", "item6": "第二十條第（六）項",
    "item8": "第二十條第（八）項", "item9": "第二十條第（九）項", "content": "信息內容",
    "issued": "本年製發件數", "repealed": "本年廢止件數", "in_force": "現行有效件數",
    "rules": "規章", "normative21": "行政規範性文件", "decisions21": "本年處理決定數量",
    "licensing": "行政許可", "penalties": "行政處罰", "coercion": "行政強制",
    "fee_amount": "本年收費金額（單位：萬元）", "fees": "行政事業性收費",
}


def label_variant(base, halfwidth=False, num_sep=None, other_comma=False, replace=None):
    """Copy of a section-三 label set with the punctuation drift seen in real reports."""
    L = dict(base)
    for k, v in list(L.items()):
        if isinstance(v, tuple):
            num, text = v
            if num_sep:
                num = num.replace(".", num_sep)
            if other_comma and k in ("other_no_correction", "other_fee_unpaid"):
                text = text.replace("、", "，")
            L[k] = (num, text)
        elif isinstance(v, str) and halfwidth and k not in ("corner",):
            L[k] = v.replace("（", "(").replace("）", ")")
    for k, v in (replace or {}).items():
        L[k] = v
    return L


# ----------------------------------------------------------------------------- data helpers
def build_apps(single_other, outcomes, carried_in=None, carried_out=None):
    """outcomes: {row: [six applicant values]}; unspecified outcome rows are 0.
    received is derived so that T3_STATED holds; totals are row sums."""
    z = [0] * 6
    carried_in = carried_in or z
    carried_out = carried_out or z
    apps = {}
    for r in outcome_rows(single_other):
        v = list(outcomes.get(r, z))
        assert len(v) == 6
        apps[r] = v
    for r in outcomes:
        assert r in apps, r
    res = [sum(apps[r][i] for r in outcome_rows(single_other)) for i in range(6)]
    rec = [res[i] + carried_out[i] - carried_in[i] for i in range(6)]
    assert min(rec) >= 0
    apps["results_total"] = res
    apps["received"] = rec
    apps["carried_in"] = list(carried_in)
    apps["carried_out"] = list(carried_out)
    out = {}
    for r in app_rows(single_other):
        v = apps[r]
        out[r] = dict(zip(SIX, v))
        out[r]["total"] = sum(v)
    return out


def build_appeals(review, direct, after):
    out = {}
    for p, v in zip(PROCEEDINGS, (review, direct, after)):
        out[p] = dict(zip(OUTCOMES[:4], v))
        out[p]["total"] = sum(v)
    return out


def build_active(version, values):
    """values: {(item,row,metric): value}; every template cell must be given."""
    lst = []
    for item, rows, metrics in ACTIVE_TEMPLATE[version]:
        for r in rows:
            for m in metrics:
                lst.append({"item": item, "row": r, "metric": m, "value": values[(item, r, m)]})
    assert len(values) == len(lst), (len(values), len(lst))
    return lst


def act(lst, item, row, metric):
    for e in lst:
        if (e["item"], e["row"], e["metric"]) == (item, row, metric):
            return e["value"]
    raise KeyError((item, row, metric))


# ----------------------------------------------------------------------------- rules (SPEC §5)
def _sum(vals):
    if any(v is None for v in vals):
        return None
    return sum(vals)


def compute_flags(rep):
    """Independent implementation of the error-level table rules of SPEC.md §5
    plus FMT_VERSION.  An equation with a null term is never a flag."""
    apps, appeals = rep["applications"], rep["appeals"]
    single = "other_handling" in apps
    flags = []
    # T3_STATED: per column  一 + 二 == （七） + 四
    for c in APPLICANTS:
        lhs = _sum([apps["received"][c], apps["carried_in"][c]])
        rhs = _sum([apps["results_total"][c], apps["carried_out"][c]])
        if lhs is not None and rhs is not None and lhs != rhs:
            flags.append({"rule": "T3_STATED", "severity": "error", "subject": c})
    # T3_ROW_TOTAL: per row  总计 == Σ six applicant columns
    for r in app_rows(single):
        s = _sum([apps[r][c] for c in SIX])
        t = apps[r]["total"]
        if s is not None and t is not None and s != t:
            flags.append({"rule": "T3_ROW_TOTAL", "severity": "error", "subject": r})
    # T3_RESULTS_SUM: per column  （七） == Σ outcome rows
    for c in APPLICANTS:
        s = _sum([apps[r][c] for r in outcome_rows(single)])
        t = apps["results_total"][c]
        if s is not None and t is not None and s != t:
            flags.append({"rule": "T3_RESULTS_SUM", "severity": "error", "subject": c})
    # T3_BOUNDS: integers >= 0; （七） <= 一+二; 四 <= 一+二
    for r in app_rows(single):
        for c in APPLICANTS:
            v = apps[r][c]
            if v is not None and (not isinstance(v, int) or v < 0):
                flags.append({"rule": "T3_BOUNDS", "severity": "error", "subject": "%s:%s" % (r, c)})
    for c in APPLICANTS:
        avail = _sum([apps["received"][c], apps["carried_in"][c]])
        for r in ("results_total", "carried_out"):
            v = apps[r][c]
            if avail is not None and v is not None and v > avail:
                flags.append({"rule": "T3_BOUNDS", "severity": "error", "subject": "%s:%s" % (r, c)})
    # T4_TOTALS
    for p in PROCEEDINGS:
        s = _sum([appeals[p][o] for o in OUTCOMES[:4]])
        t = appeals[p]["total"]
        if s is not None and t is not None and s != t:
            flags.append({"rule": "T4_TOTALS", "severity": "error", "subject": p})
    # FMT_VERSION
    if rep["year"] >= 2021 and rep["version"] == "v2019":
        flags.append({"rule": "FMT_VERSION", "severity": "error", "subject": "template_version"})
    return flags


# ----------------------------------------------------------------------------- table layout
class Cell:
    __slots__ = ("cs", "kind", "rs", "text")

    def __init__(self, text, rs=1, cs=1, kind="label"):
        self.text, self.rs, self.cs, self.kind = text, rs, cs, kind


def H(t, rs=1, cs=1):
    return Cell(t, rs, cs, "hdr")


def N(t, rs=1, cs=1):
    return Cell(t, rs, cs, "num")


def apps_layout(apps, L3, fmt, header="std3", split_num=False, seq=False,
                extra_col=False, sub_words=None):
    """Logical grid of section 三.  Returns (rows, n_header_rows).
    fmt(value, row_code, applicant_code) -> cell text."""
    single = "other_handling" in apps
    LC = 4 if split_num else 3          # label columns
    rows = []
    # ---- header
    if header == "std3":
        hdr = [[H(L3["corner"], 3, LC), H(L3["applicant_info"], 1, 7)],
               [H(L3["np"], 2), H(L3["group"], 1, 5), H(L3["total"], 2)],
               [H(s) for s in L3["subs"]]]
    elif header == "split4":          # words of the sub-columns broken over two rows
        top, bottom = sub_words
        hdr = [[H(L3["corner"], 4, LC), H(L3["applicant_info"], 1, 7)],
               [H(L3["np"], 3), H(L3["group"], 1, 5), H(L3["total"], 3)],
               [H(t, 2 if b is None else 1) for t, b in zip(top, bottom)],
               [H(b) for b in bottom if b is not None]]
    elif header == "group_below":     # 法人或其他组织 printed UNDER the five sub-columns
        hdr = [[H(L3["corner"], 3, LC), H(L3["applicant_info"], 1, 7)],
               [H(L3["np"], 2)] + [H(s) for s in L3["subs"]] + [H(L3["total"], 2)],
               [H(L3["group"], 1, 5)]]
    elif header == "br":
        hdr = [[H(L3["corner"], 3, LC), H("申请人<br>情况", 1, 7)],
               [H("自然<br>人", 2), H("法人或其他<br>组织", 1, 5), H("总<br>计", 2)],
               [H("商业<br>企业"), H("科研<br>机构"), H("社会公<br>益组织"), H("法律服<br>务机构"), H("其<br>他")]]
    else:
        raise ValueError(header)
    nh = len(hdr)
    if seq:
        hdr[0].insert(0, H("序号", nh))
    rows.extend(hdr)

    def vals(r):
        return [N(fmt(apps[r][c], r, c)) for c in APPLICANTS]

    def item_label(code, group_cell=None):
        num, text = L3[code]
        cells = [] if group_cell is None else [group_cell]
        if split_num:
            cells += [Cell(num), Cell(text)]
        else:
            cells.append(Cell(num + text))
        return cells

    data = []
    data.append([Cell(L3["received"], 1, LC)] + vals("received"))
    data.append([Cell(L3["carried_in"], 1, LC)] + vals("carried_in"))
    n_results = len(outcome_rows(single)) + 1
    block = Cell(L3["results"], n_results)
    data.append([block, Cell(L3["granted"], 1, LC - 1)] + vals("granted"))
    data.append([Cell(L3["partly_granted"], 1, LC - 1)] + vals("partly_granted"))
    groups = [("withheld", WITHHELD), ("unavailable", UNAVAILABLE), ("rejected", REJECTED)]
    if not single:
        groups.append(("other", OTHER3))
    for g, codes in groups:
        for i, code in enumerate(codes):
            gc = Cell(L3[g], len(codes)) if i == 0 else None
            data.append(item_label(code, gc) + vals(code))
    if single:
        data.append([Cell(L3["other"], 1, LC - 1)] + vals("other_handling"))
    data.append([Cell(L3["results_total"], 1, LC - 1)] + vals("results_total"))
    data.append([Cell(L3["carried_out"], 1, LC)] + vals("carried_out"))
    if seq:
        for i, row in enumerate(data, 1):
            row.insert(0, N(str(i)))
    rows.extend(data)
    if extra_col:
        for row in rows:
            row.append(N(""))
    return rows, nh


def appeals_layout(appeals, L4, fmt, extra_col=False, outcome_labels=None):
    ol = outcome_labels or L4["outcomes"]
    rows = [[H(L4["review"], 1, 5), H(L4["litigation"], 1, 10)],
            [H(o, 2) for o in ol] + [H(L4["direct"], 1, 5), H(L4["after"], 1, 5)],
            [H(o) for o in ol] * 2,
            [N(fmt(appeals[p][o], p, o)) for p in PROCEEDINGS for o in OUTCOMES]]
    if extra_col:
        for row in rows:
            row.append(N(""))
    return rows, 3


def active_layout(version, active, L2, fmt, separate=False, extra_col=False):
    """Section 二.  Returns a list of (rows, n_header_rows) -- one table, or one per item."""
    def v(item, row, metric):
        return fmt(act(active, item, row, metric), item, row, metric)

    tables = []
    if version == "v2021":
        t1 = [[H(L2["item1"], 1, 4)],
              [H(L2["content"]), H(L2["issued"]), H(L2["repealed"]), H(L2["in_force"])],
              [Cell(L2["rules"])] + [N(v("art20_1", "rules", m)) for m in ("issued", "repealed", "in_force")],
              [Cell(L2["normative21"])] + [N(v("art20_1", "normative_documents", m)) for m in ("issued", "repealed", "in_force")]]
        t5 = [[H(L2["item5"], 1, 4)],
              [H(L2["content"]), H(L2["decisions21"], 1, 3)],
              [Cell(L2["licensing"]), N(v("art20_5", "licensing", "decisions"), 1, 3)]]
        t6 = [[H(L2["item6"], 1, 4)],
              [H(L2["content"]), H(L2["decisions21"], 1, 3)],
              [Cell(L2["penalties"]), N(v("art20_6", "penalties", "decisions"), 1, 3)],
              [Cell(L2["coercion"]), N(v("art20_6", "coercion", "decisions"), 1, 3)]]
        t8 = [[H(L2["item8"], 1, 4)],
              [H(L2["content"]), H(L2["fee_amount"], 1, 3)],
              [Cell(L2["fees"]), N(v("art20_8", "fees", "amount"), 1, 3)]]
        parts = [t1, t5, t6, t8]
    else:
        m3 = ("prior_year_items", "change", "decisions")
        t1 = [[H(L2["item1"], 1, 4)],
              [H(L2["content"]), H(L2["newly_made"]), H(L2["newly_published"]), H(L2["total_published"])],
              [Cell(L2["rules"])] + [N(v("art20_1", "rules", m)) for m in ("newly_made", "newly_published", "total_published")],
              [Cell(L2["normative19"])] + [N(v("art20_1", "normative_documents", m)) for m in ("newly_made", "newly_published", "total_published")]]
        t5 = [[H(L2["item5"], 1, 4)],
              [H(L2["content"]), H(L2["prior"]), H(L2["change"]), H(L2["decisions19"])],
              [Cell(L2["licensing"])] + [N(v("art20_5", "licensing", m)) for m in m3],
              [Cell(L2["other_services"])] + [N(v("art20_5", "other_services", m)) for m in m3]]
        t6 = [[H(L2["item6"], 1, 4)],
              [H(L2["content"]), H(L2["prior"]), H(L2["change"]), H(L2["decisions19"])],
              [Cell(L2["penalties"])] + [N(v("art20_6", "penalties", m)) for m in m3],
              [Cell(L2["coercion"])] + [N(v("art20_6", "coercion", m)) for m in m3]]
        t8 = [[H(L2["item8"], 1, 4)],
              [H(L2["content"]), H(L2["prior"]), H(L2["change"], 1, 2)],
              [Cell(L2["fees"]), N(v("art20_8", "fees", "prior_year_items")), N(v("art20_8", "fees", "change"), 1, 2)]]
        t9 = [[H(L2["item9"], 1, 4)],
              [H(L2["content"]), H(L2["projects"]), H(L2["proc_amount"], 1, 2)],
              [Cell(L2["procurement"]), N(v("art20_9", "procurement", "projects")), N(v("art20_9", "procurement", "amount"), 1, 2)]]
        parts = [t1, t5, t6, t8, t9]
    if extra_col:
        for t in parts:
            for row in t:
                row.append(N(""))
    if separate:
        return [(t, 2) for t in parts]
    merged = []
    for t in parts:
        merged.extend(t)
    return [(merged, 0)]


def render_table(layout, cell_html, open_tag="<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\">",
                 thead=False, row_open="<tr>", indent=""):
    rows, nh = layout
    out = [indent + open_tag]
    for i, row in enumerate(rows):
        if thead and i == 0 and nh:
            out.append(indent + "<thead>")
        if thead and i == nh and nh:
            out.append(indent + "</thead>")
            out.append(indent + "<tbody>")
        out.append(indent + row_open + "".join(cell_html(c, i < nh) for c in row) + "</tr>")
    if thead and nh:
        out.append(indent + "</tbody>")
    out.append(indent + "</table>")
    return "\n".join(out)


def span_attrs(c):
    a = ""
    if c.rs > 1:
        a += ' rowspan="%d"' % c.rs
    if c.cs > 1:
        a += ' colspan="%d"' % c.cs
    return a


def plain_fmt(v, *_):
    return "" if v is None else str(v)


# ----------------------------------------------------------------------------- common text
def paras(text, open_="<p>", close="</p>"):
    return "\n".join(open_ + p.strip() + close for p in text.strip().split("\n") if p.strip())


# ============================================================================= report 1
def report_tongshan():
    """湖北 通山县人社局 2022 -- TRS article page, TRS_Editor per section, MsoNormalTable."""
    fn = "hb_tongshan_rsj_2022.html"
    agency = "通山县人力资源和社会保障局"
    apps = build_apps(False, {
        "granted": [9, 1, 0, 0, 0, 0],
        "partly_granted": [1, 0, 0, 0, 0, 0],
        "withheld_third_party": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [3, 0, 0, 0, 0, 0],
        "rejected_petition": [1, 0, 0, 0, 0, 0],
        "other_no_correction": [1, 0, 0, 0, 0, 0],
    }, carried_in=[1, 0, 0, 0, 0, 0], carried_out=[2, 0, 0, 0, 0, 0])
    appeals = build_appeals([1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0])
    active = build_active("v2021", {
        ("art20_1", "rules", "issued"): None, ("art20_1", "rules", "repealed"): None,
        ("art20_1", "rules", "in_force"): None,
        ("art20_1", "normative_documents", "issued"): 2, ("art20_1", "normative_documents", "repealed"): 1,
        ("art20_1", "normative_documents", "in_force"): 11,
        ("art20_5", "licensing", "decisions"): 46,
        ("art20_6", "penalties", "decisions"): 4, ("art20_6", "coercion", "decisions"): 0,
        ("art20_8", "fees", "amount"): 0,
    })
    A = apps

    def fmt_num(v, *_):
        if v is None:
            return "无"
        return "&nbsp;%d&nbsp;" % v if v else "0&nbsp;"

    def mso(c, is_hdr):
        w = "" if c.kind != "num" else " width=\"52\""
        return ("<td%s%s valign=\"center\" style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt\">"
                "<p class=\"MsoNormal\" align=\"center\" style=\"text-align:center;line-height:15.0pt\">"
                "<span style=\"font-size:10.5pt;font-family:宋体;color:#333333\">%s</span></p></td>"
                % (span_attrs(c), w, c.text))

    topen = ("<table class=\"MsoNormalTable\" border=\"1\" cellspacing=\"0\" cellpadding=\"0\" "
             "width=\"100%\" style=\"width:100.0%;border-collapse:collapse;border:none\">")
    t2 = render_table(active_layout("v2021", active, S2, lambda v, *a: fmt_num(v))[0], mso, topen)
    t3 = render_table(apps_layout(apps, label_variant(S3, other_comma=True), fmt_num), mso, topen)
    t4 = render_table(appeals_layout(appeals, S4, lambda v, *a: fmt_num(v)), mso, topen)

    rec, res, out_ = A["received"]["total"], A["results_total"]["total"], A["carried_out"]["total"]
    overview = f"""
2022年，{agency}在县委、县政府的正确领导下，认真贯彻落实《中华人民共和国政府信息公开条例》和省、市、县关于政务公开工作的部署要求，围绕就业创业、社会保险、人才人事、劳动关系等重点领域，坚持“以公开为常态、不公开为例外”，不断提升政府信息公开工作质量。
（一）主动公开情况。全年通过通山县人民政府门户网站“部门信息公开”专栏主动公开各类政府信息312条，其中机构职能、规划计划、财政预决算等基础信息28条，就业创业政策及招聘信息146条，社会保险待遇调整及经办信息73条，人事考试及职称评审公告65条；通过“通山人社”微信公众号发布信息480余条。
（二）依申请公开情况。本年度共收到政府信息公开申请{rec}件，上年结转{A['carried_in']['total']}件，已全部按法定时限办结{res}件，结转下年度继续办理{out_}件。申请内容主要集中在社保缴费年限认定、工伤认定结论及劳动保障监察投诉处理结果等方面。
（三）政府信息管理。严格落实信息发布“三审三校”制度，对拟公开信息开展保密审查和个人隐私审查，全年未发生因信息公开引发的泄密事件。
（四）平台建设。持续维护部门信息公开专栏，及时更新政策文件、重点领域信息，办事指南与湖北政务服务网同源发布。
（五）监督保障。将政务公开纳入股室年度目标考核，年内组织政务公开专题培训2次，全年未发生因政府信息公开工作引发的责任追究情况。
"""
    problems = """
一是部分股室对政务公开工作重视程度不够，信息报送不及时；二是政策解读形式较为单一，图解、视频等解读方式运用不多。
2023年，我局将进一步压实工作责任，加强业务培训，丰富政策解读形式，提升信息公开的及时性和规范性。
"""
    other = """
本年度未收取信息处理费。
"""
    html = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>县人社局2022年政府信息公开工作年度报告</title>
<meta name="SiteName" content="通山县人民政府" />
<meta name="ColumnName" content="政府信息公开年报" />
<meta name="ArticleTitle" content="县人社局2022年政府信息公开工作年度报告" />
<meta name="PubDate" content="2023-01-19 16:42" />
<link rel="stylesheet" href="../../../images/xxgk_detail.css" />
</head>
<body>
<div class="top_bar"><div class="w1200"><span>欢迎访问通山县人民政府门户网站</span><a href="#">无障碍</a> | <a href="#">长者模式</a></div></div>
<div class="main w1200">
  <div class="position">当前位置：<a href="../../../">首页</a> &gt; <a href="../../">政府信息公开</a> &gt; <a href="../">政府信息公开年报</a></div>
  <table class="xxgk_table" cellpadding="0" cellspacing="0">
    <tr><td class="td1">索 引 号：</td><td>011060245/2023-00017</td><td class="td1">分　　类：</td><td>劳动、人事、监察 ; 报告</td></tr>
    <tr><td class="td1">发布机构：</td><td>县人社局</td><td class="td1">发文日期：</td><td>2023-01-19</td></tr>
    <tr><td class="td1">名　　称：</td><td colspan="3">县人社局2022年政府信息公开工作年度报告</td></tr>
  </table>
  <div class="article">
    <h1 class="title">县人社局2022年政府信息公开工作年度报告</h1>
    <div class="info"><span>发布时间：2023-01-19 16:42</span><span>来源：县人社局</span><span>字号：[ <a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> <a href="javascript:doZoom(12)">小</a> ]</span><span><a href="javascript:window.print()">打印</a></span></div>
    <div class="view TRS_UEDITOR trs_paper_default trs_word">
<p style="text-indent:2em;line-height:2em"><span style="font-family:仿宋_GB2312;font-size:16pt">本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据统计期限自2022年1月1日起至2022年12月31日止。</span></p>
<p style="text-indent:2em;line-height:2em"><strong><span style="font-family:黑体;font-size:16pt">一、总体情况</span></strong></p>
{paras(overview, '<p style="text-indent:2em;line-height:2em"><span style="font-family:仿宋_GB2312;font-size:16pt">', '</span></p>')}
<div class="TRS_Editor">
<p style="text-indent:2em;line-height:2em"><strong><span style="font-family:黑体;font-size:16pt">二、主动公开政府信息情况</span></strong></p>
{t2}
</div>
<div class="TRS_Editor">
<p style="text-indent:2em;line-height:2em"><strong><span style="font-family:黑体;font-size:16pt">三、收到和处理政府信息公开申请情况</span></strong></p>
{t3}
</div>
<div class="TRS_Editor">
<p style="text-indent:2em;line-height:2em"><strong><span style="font-family:黑体;font-size:16pt">四、政府信息公开行政复议、行政诉讼情况</span></strong></p>
{t4}
</div>
<p style="text-indent:2em;line-height:2em"><strong><span style="font-family:黑体;font-size:16pt">五、存在的主要问题及改进情况</span></strong></p>
{paras(problems, '<p style="text-indent:2em;line-height:2em"><span style="font-family:仿宋_GB2312;font-size:16pt">', '</span></p>')}
<p style="text-indent:2em;line-height:2em"><strong><span style="font-family:黑体;font-size:16pt">六、其他需要报告的事项</span></strong></p>
{paras(other, '<p style="text-indent:2em;line-height:2em"><span style="font-family:仿宋_GB2312;font-size:16pt">', '</span></p>')}
<p style="text-align:right;line-height:2em"><span style="font-family:仿宋_GB2312;font-size:16pt">{agency}</span></p>
<p style="text-align:right;line-height:2em"><span style="font-family:仿宋_GB2312;font-size:16pt">2023年1月19日</span></p>
    </div>
    <div class="share">分享到：<a href="#" class="wx"></a><a href="#" class="wb"></a></div>
  </div>
</div>
<div class="footer">主办：通山县人民政府办公室　承办：通山县政务服务和大数据管理局　鄂ICP备05003386号　政府网站标识码：4212240001</div>
</body>
</html>
"""
    meta = dict(
        agency=agency, agency_in_title="县人社局", region="湖北省咸宁市通山县",
        category="人力资源和社会保障", year=2022, version="v2021", signed_on="2023-01-19",
        notes=[
            "TRS article page: each of sections 二/三/四 (heading + table) is wrapped in its own <div class=\"TRS_Editor\">",
            "title and metadata give only 县人社局; the full name 通山县人力资源和社会保障局 appears in the body",
            "Word-pasted MsoNormalTable: every cell is <p class=MsoNormal><span>…</span></p>",
            "numbers padded with &nbsp; on both sides; the 规章 row is written 无 (null)",
            "（六）1./2. use a comma: 逾期不补正，行政机关不再处理…",
        ])
    return fn, html, "utf-8", meta, apps, appeals, active


# ============================================================================= report 2
def report_lianping():
    """广东 连平县教育局 2021 -- GB2312, <thead>/<th>, <br> in header words, two
    non-template tables, title only in <title>; 复议后起诉 总计 wrong."""
    fn = "gd_lianping_jyj_2021.html"
    agency = "连平县教育局"
    apps = build_apps(False, {
        "granted": [5, 0, 0, 0, 0, 1],
        "partly_granted": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [2, 1, 0, 0, 0, 0],
        "unavailable_needs_creation": [1, 0, 0, 0, 0, 0],
        "rejected_duplicate": [1, 0, 0, 0, 0, 0],
    }, carried_out=[1, 0, 0, 0, 0, 0])
    appeals = build_appeals([0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 1])
    appeals["litigation_after_review"]["total"] = 1          # printed 1, sum is 2
    active = build_active("v2021", {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0,
        ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 3, ("art20_1", "normative_documents", "repealed"): 0,
        ("art20_1", "normative_documents", "in_force"): 9,
        ("art20_5", "licensing", "decisions"): 27,
        ("art20_6", "penalties", "decisions"): 0, ("art20_6", "coercion", "decisions"): 0,
        ("art20_8", "fees", "amount"): 0,
    })
    A = apps

    def cell(c, is_hdr):
        tag = "th" if is_hdr or c.kind == "hdr" else "td"
        al = ' align="center"' if c.kind != "label" else ' align="left"'
        return "<%s%s%s>%s</%s>" % (tag, span_attrs(c), al, c.text, tag)

    topen = '<table width="96%" border="1" cellspacing="0" cellpadding="4" align="center" style="border-collapse:collapse;font-size:14px">'
    t2 = "\n".join(render_table(l, cell, topen, thead=True)
                   for l in active_layout("v2021", active, S2, lambda v, *a: plain_fmt(v), separate=True))
    t3 = render_table(apps_layout(apps, label_variant(S3, replace={"withheld_prohibited_by_law": ("2.", "其他法律法规禁止公开")}),
                                   plain_fmt, header="br"), cell, topen, thead=True)
    t4 = render_table(appeals_layout(appeals, S4, plain_fmt), cell, topen, thead=True)
    # non-template tables
    interp = render_table(([[H("解读形式"), H("文字解读"), H("图片图解"), H("视频解读"), H("新闻发布会"), H("合计")],
                            [Cell("数量（篇/场）"), N("6"), N("3"), N("1"), N("0"), N("10")]], 1), cell, topen, thead=True)
    chan = render_table(([[H("申请方式"), H("当面申请"), H("网络申请"), H("信函申请"), H("传真申请"), H("合计")],
                          [Cell("收到申请（件）"), N("3"), N("8"), N("2"), N("0"), N("13")],
                          [Cell("按期答复（件）"), N("3"), N("7"), N("2"), N("0"), N("12")]], 1), cell, topen, thead=True)
    assert A["received"]["total"] == 13 and A["results_total"]["total"] == 12

    P = lambda t: paras(t, '<p style="text-indent:2em;">', "</p>")
    Hd = lambda t: '<p style="text-indent:2em;"><b>%s</b></p>' % t
    body = f"""
<p style="text-indent:2em;">根据《中华人民共和国政府信息公开条例》和《广东省政务公开办公室关于做好2021年政府信息公开工作年度报告编制发布工作的通知》要求，{agency}编制本报告。本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。如对本报告有疑问，请与连平县教育局办公室联系（地址：连平县元善镇东门路，电话：0762-4xxxxxx）。</p>
{Hd("一、总体情况")}
{P('''
2021年，我局坚持以习近平新时代中国特色社会主义思想为指导，认真落实县委、县政府关于政务公开工作的部署，围绕群众关注的义务教育招生、学位分配、教育收费、教师招聘等事项，做好政府信息公开工作。
（一）主动公开。全年在县政府门户网站教育局专栏发布信息216条，其中政策文件12条、招生入学信息34条、教师招聘及资格认定信息41条、财政资金信息15条。做好政策解读，全年发布解读材料10篇（场），解读情况如下表：
''')}
{interp}
{P(f'''
（二）依申请公开。全年共收到政府信息公开申请{A['received']['total']}件，办结{A['results_total']['total']}件，结转下年度办理{A['carried_out']['total']}件。申请渠道情况详见第三部分统计表。
（三）政府信息管理。建立信息发布审核制度，严格执行“先审后发”，对学生资助、教师招聘等含个人信息的公示内容进行去标识化处理。
（四）平台建设。依托连平县人民政府门户网站和“连平教育”微信公众号开展公开工作，及时回应群众关切。
（五）监督保障。成立政务公开工作领导小组，由局长任组长，将政务公开工作纳入年度绩效考核，本年度未发生责任追究情况。
''')}
{Hd("二、主动公开政府信息情况")}
{t2}
{Hd("三、收到和处理政府信息公开申请情况")}
{P('本年度依申请公开办理情况统计如下：')}
{chan}
<p>&nbsp;</p>
{t3}
{Hd("四、政府信息公开行政复议、行政诉讼情况")}
{t4}
{Hd("五、存在的主要问题及改进情况")}
{P('''
存在问题：一是信息公开的主动性不够强，部分业务股室报送信息不及时；二是政策解读的深度和形式有待加强。
改进措施：一是健全信息报送机制，明确各股室信息公开责任人；二是创新解读方式，更多运用图解、短视频等群众喜闻乐见的形式开展政策解读；三是加强业务培训，提升工作人员依法公开意识。
''')}
{Hd("六、其他需要报告的事项")}
{P('本年度我局未收取信息处理费。无其他需要报告的事项。')}
<p style="text-align:right;">{agency}</p>
<p style="text-align:right;">2022年1月25日</p>
"""
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>连平县教育局2021年政府信息公开工作年度报告_连平县人民政府门户网站</title>
<meta name="keywords" content="连平县人民政府,政府信息公开年报">
<link href="/css/style.css" rel="stylesheet" type="text/css">
</head>
<body>
<div class="header"><img src="/images/logo.png" alt="连平县人民政府门户网站"></div>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/hdjl/">互动交流</a><a href="/bsfw/">办事服务</a></div>
<div class="content">
<div class="crumb">您当前的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/ndbg/">年度报告</a></div>
<div class="article-info">来源：连平县教育局　　发布时间：2022-01-25　　浏览次数：<span id="hits"></span></div>
<div class="article-content" id="zoomcon">
{body}
</div>
<div class="attach"></div>
</div>
<div class="footer">连平县人民政府办公室主办　版权所有　粤ICP备12044576号　网站标识码：4416230001</div>
</body>
</html>
"""
    meta = dict(
        agency=agency, agency_in_title=agency, region="广东省河源市连平县", category="教育",
        year=2021, version="v2021", signed_on="2022-01-25",
        notes=[
            "GB2312-encoded page; the title appears only in <title>, with the site suffix _连平县人民政府门户网站 (no <h1>)",
            "every table has <thead>/<tbody> and <th> header cells; section 二 is four separate tables",
            "section 三 header words broken by <br> (商业<br>企业, 社会公<br>益组织, 总<br>计)",
            "headings are <p><b>; row label drift: 2.其他法律法规禁止公开 (行政 missing)",
            "two non-template tables: 政策解读 (in 一) and 依申请公开办理情况统计 (申请方式 by channel, placed in 三 BEFORE the template table)",
            "section 四: 复议后起诉 printed 总计 1 while 维持 1 + 尚未审结 1 = 2 -> T4_TOTALS litigation_after_review",
        ])
    return fn, html, "gb2312", meta, apps, appeals, active


# ============================================================================= report 3
def report_mianyang():
    """四川 绵阳市生态环境局 2020 -- v2019, Hanweb page, split numbering cells."""
    fn = "sc_mianyang_sthjj_2020.html"
    agency = "绵阳市生态环境局"
    apps = build_apps(True, {
        "granted": [21, 4, 1, 0, 1, 0],
        "partly_granted": [3, 0, 0, 0, 0, 0],
        "withheld_third_party": [1, 1, 0, 0, 0, 0],
        "withheld_process_info": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [8, 2, 0, 0, 0, 0],
        "unavailable_unclear": [2, 0, 0, 0, 0, 0],
        "rejected_petition": [3, 0, 0, 0, 0, 0],
        "rejected_duplicate": [2, 0, 0, 0, 0, 0],
        "other_handling": [4, 1, 0, 0, 0, 0],
    }, carried_in=[2, 0, 0, 0, 0, 0], carried_out=[3, 1, 0, 0, 0, 0])
    appeals = build_appeals([2, 1, 0, 0], [1, 0, 0, 1], [1, 0, 0, 0])
    active = build_active("v2019", {
        ("art20_1", "rules", "newly_made"): None, ("art20_1", "rules", "newly_published"): None,
        ("art20_1", "rules", "total_published"): None,
        ("art20_1", "normative_documents", "newly_made"): 2, ("art20_1", "normative_documents", "newly_published"): 2,
        ("art20_1", "normative_documents", "total_published"): 14,
        ("art20_5", "licensing", "prior_year_items"): 18, ("art20_5", "licensing", "change"): -3,
        ("art20_5", "licensing", "decisions"): 642,
        ("art20_5", "other_services", "prior_year_items"): 12, ("art20_5", "other_services", "change"): 2,
        ("art20_5", "other_services", "decisions"): 1085,
        ("art20_6", "penalties", "prior_year_items"): 96, ("art20_6", "penalties", "change"): 0,
        ("art20_6", "penalties", "decisions"): 187,
        ("art20_6", "coercion", "prior_year_items"): 5, ("art20_6", "coercion", "change"): 0,
        ("art20_6", "coercion", "decisions"): 9,
        ("art20_8", "fees", "prior_year_items"): 0, ("art20_8", "fees", "change"): 0,
        ("art20_9", "procurement", "projects"): 6, ("art20_9", "procurement", "amount"): 486.72,
    })
    A = apps

    def fmt(v, *_):
        return "—" if v is None else str(v)

    def cell(c, is_hdr):
        st = "text-align:center" if c.kind != "label" else "text-align:left"
        txt = "<strong>%s</strong>" % c.text if c.kind == "hdr" else c.text
        return '<td%s style="border:1px solid #000;%s;padding:3px"><p style="%s">%s</p></td>' % (span_attrs(c), st, st, txt)

    topen = '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:640px;margin:0 auto">'
    t2 = render_table(active_layout("v2019", active, S2, lambda v, *a: fmt(v))[0], cell, topen)
    t3 = render_table(apps_layout(apps, S3, fmt, split_num=True), cell, topen)
    t4 = render_table(appeals_layout(appeals, S4, fmt), cell, topen)
    P = lambda t: paras(t, '<p style="text-indent:2em;line-height:28px">', "</p>")
    Hd = lambda t: '<p style="text-indent:2em;line-height:28px"><strong>%s</strong></p>' % t
    body = f"""
{P(f'''
本年度报告根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式（试行）〉的通知》（国办公开办函〔2019〕60号）要求，由{agency}编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。
''')}
{Hd("一、总体情况")}
{P(f'''
2020年，市生态环境局深入贯彻落实《条例》，紧紧围绕污染防治攻坚战，扎实推进环境质量、建设项目环境影响评价、排污许可、环境执法监管等重点领域信息公开。
（一）主动公开。全年在绵阳市人民政府门户网站、局门户网站及“绵阳生态环境”政务新媒体主动公开信息2863条，发布空气质量日报、水环境质量月报等环境质量信息1416条，公开建设项目环评审批受理、拟审批及审批结果信息748条，公开行政处罚决定187件。
（二）依申请公开。全年新收政府信息公开申请{A['received']['total']}件，上年结转{A['carried_in']['total']}件，办结{A['results_total']['total']}件，结转下年度继续办理{A['carried_out']['total']}件。
（三）政府信息管理。落实公开属性源头认定机制，公文制发时同步明确公开属性；开展政府信息公开保密审查，确保公开内容不涉密。
（四）平台建设。完成局门户网站集约化迁移，优化“重点领域信息公开”专栏，实现环评、执法、监测等信息集中展示。
（五）监督保障。将政府信息公开纳入局机关目标绩效考核，全年开展业务培训3次。
''')}
{Hd("二、主动公开政府信息情况")}
{t2}
{Hd("三、收到和处理政府信息公开申请情况")}
{t3}
{Hd("四、政府信息公开行政复议、行政诉讼情况")}
{t4}
{Hd("五、存在的主要问题及改进情况")}
{P('''
一是依申请公开答复的规范性有待提高，个别答复书引用法律条款不够准确；二是区县生态环境分局信息公开工作发展不平衡。
下一步，我局将加强答复文书审核，建立疑难申请集体研判机制；加强对区县分局的业务指导，定期开展交叉检查。
''')}
{Hd("六、其他需要报告的事项")}
{P('无。')}
<p style="text-align:right;line-height:28px">{agency}</p>
<p style="text-align:right;line-height:28px">2021年1月20日</p>
"""
    html = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="renderer" content="webkit">
<title>绵阳市生态环境局2020年政府信息公开工作年度报告 - 绵阳市生态环境局</title>
<meta name="ArticleTitle" content="绵阳市生态环境局2020年政府信息公开工作年度报告">
<meta name="PubDate" content="2021-01-20 10:15">
<script type="text/javascript" src="/script/jquery.min.js"></script>
</head>
<body>
<div id="barrierfree_container">
<div class="hw-header"><div class="logo"><img src="/images/logo.png" alt="绵阳市生态环境局"></div></div>
<div class="hw-main">
<div class="bt-position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/ndbg/">政府信息公开年报</a></div>
<table class="xxgk-meta" width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><th>索引号</th><td>115107000081395689/2021-00012</td><th>主题分类</th><td>环境保护</td></tr>
<tr><th>发布机构</th><td>绵阳市生态环境局</td><th>成文日期</th><td>2021-01-20</td></tr>
<tr><th>标题</th><td colspan="3">绵阳市生态环境局2020年政府信息公开工作年度报告</td></tr>
</table>
<div class="bt-article">
<h2 class="bt-title">绵阳市生态环境局2020年政府信息公开工作年度报告</h2>
<div class="bt-info"><span>发布时间：2021-01-20</span><span>信息来源：办公室</span><span>阅读次数：<script>_showDynClicks("wbnews", 1473829)</script></span></div>
<div class="bt-content" id="zoom">
<!--<$[信息内容]>begin-->
{body}
<!--<$[信息内容]>end-->
</div>
</div>
</div>
<div class="hw-footer">版权所有：绵阳市生态环境局　主办：绵阳市生态环境局办公室　蜀ICP备05012763号</div>
</div>
</body>
</html>
"""
    meta = dict(
        agency=agency, agency_in_title=agency, region="四川省绵阳市", category="生态环境",
        year=2020, version="v2019", signed_on="2021-01-20",
        notes=[
            "v2019 report (year 2020) of a city bureau; single （六）其他处理 row; art20_9 政府集中采购 amount 486.72 without unit",
            "Hanweb page with a metadata table (索引号, 发布机构) before the body",
            "section 三 item labels split over two cells: numbering cell '1.' then text cell; corner cell colspan 4",
            "'—' in the 规章 row (null); 本年增/减 of 行政许可 is negative (-3)",
        ])
    return fn, html, "utf-8", meta, apps, appeals, active


# ============================================================================= report 4
def report_xiaofeng():
    """浙江 安吉县孝丰镇人民政府 2022 -- township, <h3>, empty right column, 总计 blank on outcome sub-rows."""
    fn = "zj_anji_xiaofeng_2022.html"
    agency = "安吉县孝丰镇人民政府"
    apps = build_apps(False, {
        "granted": [2, 0, 0, 0, 0, 0],
        "unavailable_not_held": [1, 0, 0, 0, 0, 0],
    })
    for r in outcome_rows(False):
        apps[r]["total"] = None
    appeals = build_appeals([0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0])
    active = build_active("v2021", {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0,
        ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 1, ("art20_1", "normative_documents", "repealed"): 0,
        ("art20_1", "normative_documents", "in_force"): 3,
        ("art20_5", "licensing", "decisions"): 0,
        ("art20_6", "penalties", "decisions"): 12, ("art20_6", "coercion", "decisions"): 0,
        ("art20_8", "fees", "amount"): 0,
    })
    A = apps

    def cell(c, is_hdr):
        return '<td%s style="text-align:center;vertical-align:middle;">%s</td>' % (span_attrs(c), c.text)

    topen = '<table border="1" cellspacing="0" cellpadding="0" width="100%" style="border-collapse:collapse;">'
    t2 = render_table(active_layout("v2021", active, S2, lambda v, *a: plain_fmt(v), extra_col=True)[0], cell, topen)
    t3 = render_table(apps_layout(apps, S3, plain_fmt, extra_col=True), cell, topen)
    t4 = render_table(appeals_layout(appeals, S4, plain_fmt, extra_col=True), cell, topen)
    P = lambda t: paras(t, '<p style="text-indent:2em;">', "</p>")
    body = f"""
{P(f'''
根据《中华人民共和国政府信息公开条例》规定，现公布{agency}2022年度政府信息公开工作年度报告。本报告由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。本报告中所列数据统计期限自2022年1月1日起至2022年12月31日止。
''')}
<h3>一、总体情况</h3>
{P(f'''
2022年，孝丰镇认真贯彻落实县委、县政府关于政务公开工作的决策部署，以群众需求为导向，聚焦乡村振兴、美丽城镇建设、民生保障等重点工作，扎实推进基层政务公开标准化规范化建设。
主动公开方面，全年通过安吉县人民政府门户网站“乡镇（街道）信息公开”专栏公开信息186条，通过镇村公开栏公开村级财务、低保五保等信息1200余条。
依申请公开方面，全年共收到政府信息公开申请{A['received']['total']}件，均已按期答复办结，无结转下年度办理的申请。
政府信息管理和平台建设方面，规范镇级文件公开属性认定，及时更新政府信息公开目录，完善“孝丰发布”微信公众号的信息发布审核流程。
监督保障方面，将政务公开工作纳入村（社区）年度考核，全年组织村级公开工作培训1次，未发生责任追究情况。
''')}
<h3>二、主动公开政府信息情况</h3>
{t2}
<h3>三、收到和处理政府信息公开申请情况</h3>
{t3}
<h3>四、政府信息公开行政复议、行政诉讼情况</h3>
{t4}
<h3>五、存在的主要问题及改进情况</h3>
{P('''
2022年我镇政府信息公开工作取得一定成效，但仍存在公开内容不够全面、村级公开栏更新不够及时等问题。2023年，我镇将加强村级信息公开指导，定期开展公开栏检查，进一步提升基层政务公开质量。
''')}
<h3>六、其他需要报告的事项</h3>
{P('本年度未收取信息处理费。无其他需要报告的事项。')}
<p style="text-align:right;">{agency}</p>
<p style="text-align:right;">2023年1月16日</p>
"""
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta charset="UTF-8">
<title>安吉县孝丰镇人民政府2022年政府信息公开工作年度报告</title>
<meta name="ArticleTitle" content="安吉县孝丰镇人民政府2022年政府信息公开工作年度报告">
<meta name="PubDate" content="2023-01-16">
<meta name="ContentSource" content="孝丰镇">
<link rel="stylesheet" href="/module/jslib/jpage/jpage.css">
</head>
<body>
<div class="main-fl">
<div class="bt_link">当前位置：<a href="/">首页</a> &gt; <a href="/col/col1229211497/index.html">乡镇（街道）</a> &gt; <a href="/col/col1229211502/index.html">孝丰镇</a> &gt; 年度报告</div>
<table width="100%" border="0" cellspacing="0" cellpadding="0" class="xxgk_info">
<tr><td>信息索引号：</td><td>002659541/2023-12345</td><td>发布日期：</td><td>2023-01-16</td></tr>
<tr><td>发布机构：</td><td>孝丰镇</td><td>公开方式：</td><td>主动公开</td></tr>
</table>
<div class="article">
<div class="title">安吉县孝丰镇人民政府2022年政府信息公开工作年度报告</div>
<div id="zoom">
{body}
</div>
</div>
<div class="bt_print"><a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<script type="text/javascript" src="/module/jslib/jquery/jpage/dataproxy.js"></script>
</body>
</html>
"""
    meta = dict(
        agency=agency, agency_in_title=agency, region="浙江省湖州市安吉县孝丰镇", category="government",
        year=2022, version="v2021", signed_on="2023-01-16",
        notes=[
            "township report (Jpage / 大汉 CMS page, <div id=\"zoom\">), headings as <h3>",
            "every table has an extra empty column at its right edge",
            "every zero is written 0, but the 总计 column is blank (null) on every outcome sub-row from （一）予以公开 to （六）3.其他; 一/二/（七）/四 have 总计",
        ])
    return fn, html, "utf-8", meta, apps, appeals, active


# ============================================================================= report 5
def report_longhui():
    """湖南 隆回县自然资源局 2023 -- text copied out of a PDF, one table row per line."""
    fn = "hn_longhui_zrzyj_2023.txt"
    agency = "隆回县自然资源局"
    apps = build_apps(False, {
        "granted": [14, 2, 0, 0, 1, 0],
        "partly_granted": [2, 0, 0, 0, 0, 0],
        "withheld_state_secret": [1, 0, 0, 0, 0, 0],
        "withheld_process_info": [1, 0, 0, 0, 0, 0],
        "unavailable_not_held": [6, 1, 0, 0, 0, 0],
        "unavailable_needs_creation": [2, 0, 0, 0, 0, 0],
        "unavailable_unclear": [1, 0, 0, 0, 0, 0],
        "rejected_petition": [2, 0, 0, 0, 0, 0],
        "rejected_duplicate": [1, 0, 0, 0, 0, 0],
        "other_no_correction": [3, 0, 0, 0, 0, 0],
        "other_misc": [1, 0, 0, 0, 0, 0],
    }, carried_in=[3, 0, 0, 0, 0, 0], carried_out=[4, 1, 0, 0, 0, 0])
    apps["unavailable_not_held"]["total"] = 8                 # printed 8, sum is 7
    appeals = build_appeals([1, 1, 0, 1], [2, 0, 1, 0], [1, 0, 0, 0])
    active = build_active("v2021", {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0,
        ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 1, ("art20_1", "normative_documents", "repealed"): 2,
        ("art20_1", "normative_documents", "in_force"): 6,
        ("art20_5", "licensing", "decisions"): 412,
        ("art20_6", "penalties", "decisions"): 38, ("art20_6", "coercion", "decisions"): 2,
        ("art20_8", "fees", "amount"): 156.37,
    })
    A = apps

    no_start = set("，。；、：）》」”")
    digits = set("0123456789.")

    def wrap(text, width=36):
        """Hard-wrap like a PDF text layer: CJK may break anywhere, but a digit run is
        kept whole and closing punctuation hangs on the previous line (kinsoku)."""
        out = []
        for p in text.strip().split("\n"):
            p = p.strip()
            if not p:
                continue
            first = True
            while p:
                w = width - (2 if first else 0)
                if len(p) > w:
                    while w > 1 and p[w - 1] in digits and p[w] in digits:
                        w -= 1
                    while w < len(p) and p[w] in no_start:
                        w += 1
                out.append(p[:w])
                p = p[w:]
                first = False
        return out

    def row(label, r):
        return label + " " + " ".join(plain_fmt(A[r][c]) for c in APPLICANTS)

    L = S3
    lines = []
    lines += ["", "隆回县自然资源局2023年政府信息公开", "工作年度报告", ""]
    lines += wrap(f"""
根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，{agency}编制了2023年度政府信息公开工作年度报告。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。
""")
    lines += ["一、总体情况"]
    lines += wrap(f"""
2023年，我局坚持以公开为常态、不公开为例外，围绕国土空间规划、土地征收、不动产登记、矿产资源管理等重点领域，持续深化政务公开。
（一）主动公开情况。全年在隆回县人民政府门户网站主动公开各类信息527条，其中征地信息公开专栏发布征收土地预公告、征地补偿安置方案等信息186条，公开建设用地供应结果68条，公开采矿权出让信息9条。
（二）依申请公开情况。全年共收到政府信息公开申请{A['received']['total']}件，上年结转{A['carried_in']['total']}件，办结{A['results_total']['total']}件，结转下年度继续办理{A['carried_out']['total']}件。申请内容主要涉及征地批文、征地补偿标准和不动产登记资料。
（三）政府信息管理情况。落实公开前保密审查制度，对涉及国家秘密的测绘成果和涉及个人信息的登记资料严格审核。
（四）平台建设情况。规范县政府门户网站自然资源专栏，完善征地信息公开平台数据同步。
（五）监督保障情况。将政务公开工作纳入局年度绩效考核，全年组织培训2次，未发生责任追究情况。
""")
    lines += ["- 1 -", ""]
    lines += ["二、主动公开政府信息情况",
              "第二十条第（一）项",
              "信息内容 本年制发件数 本年废止件数 现行有效件数",
              "规章 0 0 0",
              "行政规范性文件 1 2 6",
              "第二十条第（五）项",
              "信息内容 本年处理决定数量",
              "行政许可 412",
              "第二十条第（六）项",
              "信息内容 本年处理决定数量",
              "行政处罚 38",
              "行政强制 2",
              "第二十条第（八）项",
              "信息内容 本年收费金额（单位：万元）",
              "行政事业性收费 156.37",
              "三、收到和处理政府信息公开申请情况",
              "（本列数据的勾稽关系为：第",
              "一项加第二项之和，等于第三",
              "项加第四项之和）",
              "申请人情况",
              "自然人 法人或其他组织 总计",
              "商业企业 科研机构 社会公益组织 法律服务机构 其他",
              row(L["received"], "received"),
              row(L["carried_in"], "carried_in"),
              row(L["results"] + " " + L["granted"], "granted"),
              row(L["partly_granted"], "partly_granted")]
    for g, codes in (("withheld", WITHHELD), ("unavailable", UNAVAILABLE), ("rejected", REJECTED), ("other", OTHER3)):
        for i, code in enumerate(codes):
            lab = "".join(L[code])
            if i == 0:
                lab = L[g] + " " + lab
            lines.append(row(lab, code))
            if code == "withheld_admin_query":
                lines += ["- 2 -", ""]
    lines += [row(L["results_total"], "results_total"),
              row(L["carried_out"], "carried_out"),
              "四、政府信息公开行政复议、行政诉讼情况",
              "行政复议 行政诉讼",
              "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
              "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
              " ".join(plain_fmt(appeals[p][o]) for p in PROCEEDINGS for o in OUTCOMES),
              "五、存在的主要问题及改进情况"]
    lines += wrap("""
一是征地信息公开的及时性有待提升，部分乡镇征地信息报送滞后；二是依申请公开答复质量有待提高，对复杂申请的研判能力不足。
2024年，我局将加强与乡镇的协调联动，建立征地信息公开台账；加强法制审核，提升依申请公开答复的规范化水平。
""")
    lines += ["六、其他需要报告的事项"]
    lines += wrap("本年度未发出收费通知，未收取信息处理费。")
    lines += ["", "隆回县自然资源局", "2024年1月22日", "- 3 -", ""]
    text = "\ufeff" + "\n".join(lines)
    assert A["results_total"]["total"] == 38 and A["received"]["total"] == 40
    meta = dict(
        agency=agency, agency_in_title=agency, region="湖南省邵阳市隆回县", category="自然资源",
        year=2023, version="v2021", signed_on="2024-01-22",
        notes=[
            "plain text copied from a PDF (UTF-8 with BOM): every table row is one line, cells separated by single spaces",
            "the title is broken over two lines; narrative paragraphs are hard-wrapped every ~36 characters",
            "merged group labels sit at the start of the first row of their group (三、本年度办理结果 （一）予以公开 …, （三）不予公开 1.属于国家秘密 …)",
            "the corner note of section 三 wraps over three lines; page footers '- 1 -', '- 2 -', '- 3 -' (one of them between table rows)",
            "section 三 error: （四）1.本机关不掌握相关政府信息 prints 总计 8 while 6 + 1 = 7 -> T3_ROW_TOTAL unavailable_not_held, and the 总计 column of （七） (38) no longer equals the sum of the printed outcome totals (39) -> T3_RESULTS_SUM total",
            "fee 156.37 万元 (decimal)",
        ])
    return fn, text, "utf-8", meta, apps, appeals, active


# ============================================================================= report 6
def report_pucheng():
    """福建 浦城县市场监督管理局 2022 -- Big5 mirror page in traditional characters."""
    fn = "fj_pucheng_scjgj_2022_big5.html"
    agency = "浦城县市场监督管理局"
    apps = build_apps(False, {
        "granted": [6, 3, 0, 0, 0, 0],
        "partly_granted": [1, 0, 0, 0, 0, 0],
        "withheld_third_party": [0, 1, 0, 0, 0, 0],
        "unavailable_not_held": [4, 1, 0, 0, 1, 0],
        "rejected_petition": [5, 0, 0, 0, 0, 0],
        "rejected_confirmation": [1, 0, 0, 0, 0, 0],
        "other_no_correction": [2, 0, 0, 0, 0, 0],
    }, carried_in=[1, 0, 0, 0, 0, 0])
    appeals = build_appeals([1, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0])
    active = build_active("v2021", {
        ("art20_1", "rules", "issued"): 0, ("art20_1", "rules", "repealed"): 0,
        ("art20_1", "rules", "in_force"): 0,
        ("art20_1", "normative_documents", "issued"): 0, ("art20_1", "normative_documents", "repealed"): 0,
        ("art20_1", "normative_documents", "in_force"): 2,
        ("art20_5", "licensing", "decisions"): 2864,
        ("art20_6", "penalties", "decisions"): 173, ("art20_6", "coercion", "decisions"): 21,
        ("art20_8", "fees", "amount"): 0,
    })
    A = apps

    def cell(c, is_hdr):
        return '<td%s align="center" valign="middle">%s</td>' % (span_attrs(c), c.text)

    topen = '<table border="1" cellspacing="0" cellpadding="3" width="100%" bordercolor="#000000">'
    split_words = (["商業", "科研", "社會公益", "法律服務", "其他"], ["企業", "機構", "組織", "機構", None])
    t2 = render_table(active_layout("v2021", active, T2, lambda v, *a: plain_fmt(v))[0], cell, topen)
    t3 = render_table(apps_layout(apps, T3, plain_fmt, header="split4", sub_words=split_words), cell, topen)
    t4 = render_table(appeals_layout(appeals, T4, plain_fmt), cell, topen)
    P = lambda t: paras(t, '<p style="text-indent:2em;">', "</p>")
    body = f"""
{P('''
本報告根據《中華人民共和國政府信息公開條例》（以下簡稱《條例》）要求，由浦城縣市場監督管理局編制。全文包括總體情況、主動公開政府信息情況、收到和處理政府信息公開申請情況、政府信息公開行政復議和行政訴訟情況、存在的主要問題及改進情況、其他需要報告的事項。本報告所列數據的統計期限自2022年1月1日起至2022年12月31日止。
''')}
<p style="text-indent:2em;"><strong>一、總體情況</strong></p>
{P(f'''
2022年，我局認真貫徹落實《條例》和省、市、縣政務公開工作要點，圍繞市場主體登記、食品藥品安全、特種設備安全、知識產權保護等重點領域，持續推進政府信息公開工作。
（一）主動公開。全年在浦城縣人民政府門戶網站主動公開信息438條，公開行政許可決定2864件、行政處罰決定173件，發佈食品安全監督抽檢信息24期。
（二）依申請公開。全年新收政府信息公開申請{A['received']['total']}件，上年結轉{A['carried_in']['total']}件，全部辦結，無結轉下年度辦理的申請。
（三）政府信息管理。嚴格落實信息發佈審核制度，對行政處罰決定書中的個人信息進行隱去處理。
（四）平台建設。依託縣政府門戶網站部門專欄及“浦城市場監管”微信公眾號發佈信息，及時回應社會關切。
（五）監督保障。將政務公開工作納入年度績效考評，年內開展業務培訓2次，未發生責任追究情況。
''')}
<p style="text-indent:2em;"><strong>二、主動公開政府信息情況</strong></p>
{t2}
<p style="text-indent:2em;"><strong>三、收到和處理政府信息公開申請情況</strong></p>
{t3}
<p style="text-indent:2em;"><strong>四、政府信息公開行政復議、行政訴訟情況</strong></p>
{t4}
<p style="text-indent:2em;"><strong>五、存在的主要問題及改進情況</strong></p>
{P('''
一是政策解讀形式較為單一；二是基層市場監管所信息報送不夠及時。2023年，我局將豐富解讀形式，建立信息報送通報機制，進一步提升公開質量。
''')}
<p style="text-indent:2em;"><strong>六、其他需要報告的事項</strong></p>
{P('本年度我局未收取信息處理費。')}
<p style="text-align:right;">浦城縣市場監督管理局</p>
<p style="text-align:right;">2023年1月18日</p>
"""
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>浦城縣市場監督管理局2022年政府信息公開工作年度報告</title>
<base href="http://www.pucheng.gov.cn/">
</head>
<body>
<div class="gate-bar"><a href="http://www.pucheng.gov.cn/">簡體版</a> | 繁體版 | <a href="#">無障礙</a></div>
<div class="wrap">
<div class="path">當前位置：<a href="/">首頁</a> &gt; <a href="/zwgk/">政務公開</a> &gt; <a href="/zwgk/zfxxgkzl/ndbg/">政府信息公開年報</a></div>
<div class="xl_title">浦城縣市場監督管理局2022年政府信息公開工作年度報告</div>
<div class="xl_info">發佈時間：2023-01-18　來源：浦城縣市場監督管理局　瀏覽次數：</div>
<div class="TRS_Editor">
{body}
</div>
</div>
<div class="footer">主辦單位：浦城縣人民政府辦公室　閩ICP備10203815號</div>
</body>
</html>
"""
    meta = dict(
        agency=agency, agency_in_title=agency, region="福建省南平市浦城县", category="市场监督管理",
        year=2022, version="v2021", signed_on="2023-01-18",
        notes=[
            "Big5-encoded page from a gate/big5 mirror; all text in traditional characters (數量, 結轉, 處理, 總計)",
            "section 三 header is FOUR rows deep: the sub-column words are broken across rows (商業 / 企業, 科研 / 機構, 社會公益 / 組織, 法律服務 / 機構; 其他 spans both)",
            "expected agency given in simplified characters: 浦城县市场监督管理局",
        ])
    return fn, html, "big5", meta, apps, appeals, active


# ============================================================================= report 7
def report_shanxian():
    """山东 单县交通运输局 2021 -- still the v2019 format; 序号 column; group label below subs; '0件'."""
    fn = "sd_shanxian_jtysj_2021.html"
    agency = "单县交通运输局"
    apps = build_apps(True, {
        "granted": [7, 2, 0, 0, 0, 0],
        "unavailable_not_held": [2, 0, 0, 0, 0, 0],
        "rejected_petition": [1, 0, 0, 0, 0, 0],
        "other_handling": [1, 0, 0, 0, 0, 0],
    })
    appeals = build_appeals([0, 0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0])
    active = build_active("v2019", {
        ("art20_1", "rules", "newly_made"): 0, ("art20_1", "rules", "newly_published"): 0,
        ("art20_1", "rules", "total_published"): 0,
        ("art20_1", "normative_documents", "newly_made"): 1, ("art20_1", "normative_documents", "newly_published"): 1,
        ("art20_1", "normative_documents", "total_published"): 5,
        ("art20_5", "licensing", "prior_year_items"): 23, ("art20_5", "licensing", "change"): 1,
        ("art20_5", "licensing", "decisions"): 2178,
        ("art20_5", "other_services", "prior_year_items"): 8, ("art20_5", "other_services", "change"): -2,
        ("art20_5", "other_services", "decisions"): 340,
        ("art20_6", "penalties", "prior_year_items"): 64, ("art20_6", "penalties", "change"): 0,
        ("art20_6", "penalties", "decisions"): 1296,
        ("art20_6", "coercion", "prior_year_items"): 6, ("art20_6", "coercion", "change"): 0,
        ("art20_6", "coercion", "decisions"): 41,
        ("art20_8", "fees", "prior_year_items"): 1, ("art20_8", "fees", "change"): -1,
        ("art20_9", "procurement", "projects"): 3, ("art20_9", "procurement", "amount"): 95.6,
    })
    A = apps

    def fmt_jian(v, *_):
        return "" if v is None else "%d件" % v

    def cell(c, is_hdr):
        b = "font-weight:bold;" if c.kind == "hdr" else ""
        return '<td%s style="%sborder:1px solid #666;text-align:center;font-size:14px;">%s</td>' % (span_attrs(c), b, c.text)

    topen = '<table class="tab_bg" cellspacing="0" cellpadding="2" style="border-collapse:collapse;margin:auto;">'
    t2 = render_table(active_layout("v2019", active, S2, lambda v, *a: plain_fmt(v))[0], cell, topen)
    t3 = render_table(apps_layout(apps, S3, fmt_jian, header="group_below", seq=True), cell, topen)
    t4 = render_table(appeals_layout(appeals, S4, plain_fmt), cell, topen)
    P = lambda t: paras(t, '<p style="text-indent:32px;line-height:30px;">', "</p>")
    Hd = lambda t: '<p style="text-indent:32px;line-height:30px;"><strong><span style="font-family:黑体">%s</span></strong></p>' % t
    body = f"""
{P(f'''
本报告是根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{agency}编制的2021年度政府信息公开工作年度报告。本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。本报告电子版可在单县人民政府门户网站下载。如对本报告有疑问，请与单县交通运输局办公室联系。
''')}
{Hd("一、总体情况")}
{P(f'''
2021年，单县交通运输局以习近平新时代中国特色社会主义思想为指导，严格落实《条例》要求，围绕“四好农村路”建设、道路运输管理、交通运输综合执法等重点工作，不断加大政府信息公开力度。
（一）主动公开情况。全年主动公开政府信息352条，其中机构职能类信息12条、重大建设项目信息46条、行政许可和行政处罚“双公示”信息3474条（通过信用单县平台公示）。
（二）依申请公开情况。2021年共受理政府信息公开申请{A['received']['total']}件，均在法定期限内答复完毕。
（三）政府信息管理情况。建立健全信息公开审查机制，严格执行“一事一审”制度。
（四）平台建设情况。充分利用县政府门户网站、“单县交通”微信公众号等平台，及时发布交通运输领域政策信息。
（五）监督保障情况。明确办公室为政务公开工作机构，配备专职工作人员1名，将信息公开纳入科室年度考核。
''')}
{Hd("二、主动公开政府信息情况")}
{t2}
{Hd("三、收到和处理政府信息公开申请情况")}
{t3}
{Hd("四、政府信息公开行政复议、行政诉讼情况")}
{t4}
{Hd("五、存在的主要问题及改进情况")}
{P('''
一是对政府信息公开工作的认识有待进一步提高；二是信息公开的及时性有待加强。下一步，我局将加强学习培训，完善信息公开工作机制，确保信息公开及时、准确、全面。
''')}
{Hd("六、其他需要报告的事项")}
{P('本年度无收取信息处理费情况。无其他需要报告的事项。')}
<p style="text-align:right;line-height:30px;">{agency}</p>
<p style="text-align:right;line-height:30px;">2022年1月24日</p>
"""
    html = f"""<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>单县交通运输局2021年政府信息公开工作年度报告-单县人民政府</title>
</head>
<body>
<div class="xl_box">
<div class="xl_dqwz">您的位置：<a href="/">首页</a> &gt;&gt; <a href="/col/col10528/">政府信息公开年报</a></div>
<div class="xl_tit">单县交通运输局2021年政府信息公开工作年度报告</div>
<div class="xl_fbsj">发布日期：2022-01-24 09:30　信息来源：单县交通运输局　【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>
<div class="con_txt" id="content">
{body}
</div>
</div>
</body>
</html>
"""
    meta = dict(
        agency=agency, agency_in_title=agency, region="山东省菏泽市单县", category="交通运输",
        year=2021, version="v2019",
        signed_on="2022-01-24",
        notes=[
            "a 2021 report that still uses the v2019 (60号) format: 本年新制作数量 / 上一年项目数量 / 本年增/减 / 政府集中采购, and a single （六）其他处理 row -> FMT_VERSION error",
            "section 三 has a leading 序号 column (row numbers 1-23 on the data rows, 序号 header cell spans the header rows)",
            "section 三 header: 法人或其他组织 is printed BELOW the five sub-column labels (sub-columns in header row 2, group label in row 3), same column order",
            "every section 三 value carries the unit 件 (0件, 7件)",
            "本年增/减 negative (-2, -1); 采购总金额 95.6 without unit",
        ])
    return fn, html, "utf-8", meta, apps, appeals, active


# ============================================================================= report 8
def report_sheyang():
    """江苏 射阳县农业农村局 2023 -- Word-exported GBK HTML, v2021 with a single （六）其他处理 row."""
    fn = "js_sheyang_nyncj_2023.htm"
    agency = "射阳县农业农村局"
    apps = build_apps(True, {
        "granted": [4, 1, 0, 0, 0, 0],
        "unavailable_not_held": [3, 0, 0, 0, 0, 0],
        "rejected_duplicate": [1, 0, 0, 0, 0, 0],
        "other_handling": [1, 0, 0, 0, 0, 0],
    }, carried_out=[1, 0, 0, 0, 0, 0])
    appeals = build_appeals([0, 0, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0])
    active = build_active("v2021", {
        ("art20_1", "rules", "issued"): None, ("art20_1", "rules", "repealed"): None,
        ("art20_1", "rules", "in_force"): None,
        ("art20_1", "normative_documents", "issued"): 2, ("art20_1", "normative_documents", "repealed"): 1,
        ("art20_1", "normative_documents", "in_force"): 8,
        ("art20_5", "licensing", "decisions"): 187,
        ("art20_6", "penalties", "decisions"): 56, ("art20_6", "coercion", "decisions"): 3,
        ("art20_8", "fees", "amount"): None,
    })
    A = apps

    def fmt(v, *_):
        return "/" if v is None else "%d " % v      # trailing space after every number

    def cell(c, is_hdr):
        w = {"num": 48, "hdr": 60, "label": 120}[c.kind]
        inner = c.text
        if c.kind == "hdr":
            inner = "<b>%s</b>" % inner
        return ("<td width=%d%s valign=middle style='width:%.1fpt;border:solid windowtext 1.0pt;"
                "mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>"
                "<p class=MsoNormal align=center style='text-align:center;line-height:14.0pt;mso-line-height-rule:exactly'>"
                "<font face=\"宋体\" size=2><span style='font-size:10.0pt;font-family:宋体'>%s<o:p></o:p></span></font></p></td>"
                % (w, span_attrs(c), w * 0.75, inner))

    topen = ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
             "style='border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt;"
             "mso-yfti-tbllook:1184;mso-padding-alt:0cm 5.4pt 0cm 5.4pt'>")
    t2 = render_table(active_layout("v2021", active, S2, lambda v, *a: fmt(v))[0], cell, topen,
                      row_open="<tr style='mso-yfti-irow:0;height:18.0pt'>")
    t3 = render_table(apps_layout(apps, label_variant(S3, halfwidth=True, num_sep="、"), fmt), cell, topen,
                      row_open="<tr style='height:18.0pt'>")
    br_outcomes = ["结果<br>维持", "结果<br>纠正", "其他<br>结果", "尚未<br>审结", "总计"]
    t4 = render_table(appeals_layout(appeals, S4, lambda v, *a: fmt(v), outcome_labels=br_outcomes), cell, topen,
                      row_open="<tr style='height:18.0pt'>")

    def P(t):
        return "\n".join(
            "<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly'>"
            "<font face=\"仿宋_GB2312\"><span style='font-size:16.0pt;font-family:仿宋_GB2312'>%s</span></font></p>" % p.strip()
            for p in t.strip().split("\n") if p.strip())

    def Hd(t):
        return ("<p class=MsoNormal style='text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly'>"
                "<strong><font face=\"黑体\"><span style='font-size:16.0pt;font-family:黑体'>%s</span></font></strong></p>" % t)

    body = f"""
<p class=MsoNormal align=center style='text-align:center;line-height:28.0pt'><b><font face="方正小标宋简体"><span style='font-size:22.0pt;font-family:方正小标宋简体'>射阳县农业农村局2023年政府信息公开工作年度报告</span></font></b></p>
<p class=MsoNormal><span lang=EN-US>&nbsp;</span></p>
{P('''
本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和国办公开办函〔2021〕30号文件要求编制。本报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。
''')}
{Hd("一、总体情况")}
{P(f'''
2023年，{agency}深入贯彻落实《条例》，围绕粮食生产、高标准农田建设、农业综合执法、强农惠农政策等重点领域，扎实做好政府信息公开工作。
（一）主动公开。全年在射阳县人民政府门户网站主动公开信息294条，其中惠农补贴资金发放信息57条、农业行政执法信息59条、动植物疫病防控信息36条。
（二）依申请公开。全年共收到政府信息公开申请{A['received']['total']}件，办结{A['results_total']['total']}件，结转下年度继续办理{A['carried_out']['total']}件。
（三）政府信息管理。完善信息公开保密审查机制，动态更新政府信息公开目录。
（四）平台建设。做好县政府门户网站部门专栏维护，及时在“射阳农业农村”微信公众号同步发布涉农政策。
（五）监督保障。将政务公开纳入科室（单位）年度考核，全年开展培训2次，未发生责任追究情况。
''')}
{Hd("二、主动公开政府信息情况")}
{t2}
<p class=MsoNormal><span lang=EN-US>&nbsp;</span></p>
{Hd("三、收到和处理政府信息公开申请情况")}
{t3}
<p class=MsoNormal><span lang=EN-US>&nbsp;</span></p>
{Hd("四、政府信息公开行政复议、行政诉讼情况")}
{t4}
{Hd("五、存在的主要问题及改进情况")}
{P('''
一是政策解读的针对性不够强；二是基层农业服务中心信息报送质量参差不齐。2024年，我局将聚焦群众关心的惠农政策加强解读，规范信息报送流程，提升公开实效。
''')}
{Hd("六、其他需要报告的事项")}
{P('本年度未收取信息处理费。')}
<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'><font face="仿宋_GB2312"><span style='font-size:16.0pt;font-family:仿宋_GB2312'>{agency}</span></font></p>
<p class=MsoNormal align=right style='text-align:right;line-height:28.0pt'><font face="仿宋_GB2312"><span style='font-size:16.0pt;font-family:仿宋_GB2312'>2024年1月26日</span></font></p>
"""
    html = f"""<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=gbk">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>射阳县农业农村局2023年政府信息公开工作年度报告</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>nyj</o:Author>
  <o:LastAuthor>xxgk</o:LastAuthor>
  <o:Created>2024-01-25T02:13:00Z</o:Created>
 </o:DocumentProperties>
</xml><![endif]-->
<style>
<!--
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{margin:0cm;text-align:justify;text-justify:inter-ideograph;font-size:10.5pt;font-family:"Times New Roman",serif;}}
@page WordSection1
	{{size:595.3pt 841.9pt;margin:72.0pt 90.0pt 72.0pt 90.0pt;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>
{body}
</div>

</body>

</html>
"""
    meta = dict(
        agency=agency, agency_in_title=agency, region="江苏省盐城市射阳县", category="农业农村",
        year=2023, version="v2021", signed_on="2024-01-26",
        notes=[
            "Word 'Save as Web Page' export (.htm) in GBK: <font>, <b>, <strong>, <o:p>, MsoNormalTable, unquoted attributes",
            "v2021 format but section 三 keeps a single （六）其他处理 data row -> stored as other_handling",
            "section 二 is ONE table (all four 第二十条 items, item headers colspan=4)",
            "every number has a trailing space ('4 '); '/' for the 规章 row and the 收费金额 cell (null)",
            "section 四 header words broken by <br> (结果<br>维持)",
            "section 三 labels with half-width parentheses and 、 numbering: (一)予以公开, (三)不予公开 1、属于国家秘密",
        ])
    return fn, html, "gbk", meta, apps, appeals, active


# ----------------------------------------------------------------------------- main
REPORTS = [report_tongshan, report_lianping, report_mianyang, report_xiaofeng,
           report_longhui, report_pucheng, report_shanxian, report_sheyang]


def validate(rep):
    v = rep["version"]
    single = "other_handling" in rep["applications"]
    if v == "v2019":
        assert single
    assert list(rep["applications"]) == app_rows(single)
    for r, d in rep["applications"].items():
        assert list(d) == APPLICANTS, r
    n = sum(len(rows) * len(ms) for _, rows, ms in ACTIVE_TEMPLATE[v])
    assert len(rep["active"]) == n


def main():
    os.makedirs(OUT, exist_ok=True)
    for make in REPORTS:
        fn, content, enc, meta, apps, appeals, active = make()
        rep = {
            "file": fn,
            "agency": meta["agency"],
            "agency_in_title": meta["agency_in_title"],
            "region": meta["region"],
            "category": meta["category"],
            "year": meta["year"],
            "version": meta["version"],
            "signed_on": meta["signed_on"],
            "notes": meta["notes"],
            "applications": apps,
            "appeals": appeals,
            "active": active,
        }
        rep["expected_flags"] = compute_flags(rep)
        rep["expected_status"] = "ok"
        validate(rep)
        data = content.encode(enc)            # strict: fails loudly on an unencodable character
        with open(os.path.join(OUT, fn), "wb") as f:
            f.write(data)
        with open(os.path.join(OUT, fn + ".expected.json"), "w", encoding="utf-8", newline="\n") as f:
            json.dump(rep, f, ensure_ascii=False, indent=1)
            f.write("\n")
        print("%-36s %-7s %s %s flags=%s" % (fn, enc, rep["year"], rep["version"],
                                             [(x["rule"], x["subject"]) for x in rep["expected_flags"]]))


if __name__ == "__main__":
    main()
