"""Build hold-out set 3: six Word-style annual reports (DOCX + LibreOffice PDF) with expected JSON.

Written without looking at the parser: layouts imitate county/township Word and WPS documents.
Run with the project venv:  .venv/bin/python tests/holdout3/make_holdout3.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent
OUT = HERE / "files"

# ----------------------------------------------------------------------------- canonical codes
APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution",
              "social_welfare_org", "legal_service_org", "other_org", "total"]
SIX = APPLICANTS[:6]

WITHHELD = [("withheld_state_secret", "1.属于国家秘密"),
            ("withheld_prohibited_by_law", "2.其他法律行政法规禁止公开"),
            ("withheld_security_stability", "3.危及“三安全一稳定”"),
            ("withheld_third_party", "4.保护第三方合法权益"),
            ("withheld_internal_affairs", "5.属于三类内部事务信息"),
            ("withheld_process_info", "6.属于四类过程性信息"),
            ("withheld_enforcement_file", "7.属于行政执法案卷"),
            ("withheld_admin_query", "8.属于行政查询事项")]
UNAVAILABLE = [("unavailable_not_held", "1.本机关不掌握相关政府信息"),
               ("unavailable_needs_creation", "2.没有现成信息需要另行制作"),
               ("unavailable_unclear", "3.补正后申请内容仍不明确")]
REJECTED = [("rejected_petition", "1.信访举报投诉类申请"),
            ("rejected_duplicate", "2.重复申请"),
            ("rejected_publication", "3.要求提供公开出版物"),
            ("rejected_excessive", "4.无正当理由大量反复申请"),
            ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息")]
OTHER3 = [("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
          ("other_fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
          ("other_misc", "3.其他")]

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
PARTLY = ("（二）部分公开", "（区分处理的，只计这一情形，不计其他情形）")


def application_rows(single_other: bool) -> list[str]:
    rows = ["received", "carried_in", "granted", "partly_granted"]
    rows += [c for c, _ in WITHHELD + UNAVAILABLE + REJECTED]
    rows += ["other_handling"] if single_other else [c for c, _ in OTHER3]
    return rows + ["results_total", "carried_out"]


OUTCOME_ROWS_SKIP = {"received", "carried_in", "results_total", "carried_out"}

ACTIVE = {
    "v2021": [
        ("art20_1", "第二十条第（一）项", [("rules", "规章"), ("normative_documents", "行政规范性文件")],
         [("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")]),
        ("art20_5", "第二十条第（五）项", [("licensing", "行政许可")], [("decisions", "本年处理决定数量")]),
        ("art20_6", "第二十条第（六）项", [("penalties", "行政处罚"), ("coercion", "行政强制")],
         [("decisions", "本年处理决定数量")]),
        ("art20_8", "第二十条第（八）项", [("fees", "行政事业性收费")], [("amount", "本年收费金额（单位：万元）")]),
    ],
    "v2019": [
        ("art20_1", "第二十条第（一）项", [("rules", "规章"), ("normative_documents", "规范性文件")],
         [("newly_made", "本年新制作数量"), ("newly_published", "本年新公开数量"),
          ("total_published", "对外公开总数量")]),
        ("art20_5", "第二十条第（五）项", [("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")],
         [("prior_year_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("art20_6", "第二十条第（六）项", [("penalties", "行政处罚"), ("coercion", "行政强制")],
         [("prior_year_items", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量")]),
        ("art20_8", "第二十条第（八）项", [("fees", "行政事业性收费")],
         [("prior_year_items", "上一年项目数量"), ("change", "本年增/减")]),
        ("art20_9", "第二十条第（九）项", [("procurement", "政府集中采购")],
         [("projects", "采购项目数量"), ("amount", "采购总金额")]),
    ],
}
DECIMAL_METRICS = {("art20_8", "amount"), ("art20_9", "amount")}

PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]

NULL_TOKENS = {"", "-", "/", "无", "—"}


def parse_cell(text: str, decimal: bool = False):
    """Expected value of a printed cell: blank and placeholder marks are NULL."""
    t = text.strip()
    if t in NULL_TOKENS:
        return None
    if decimal and "." in t:
        return float(t)
    return int(t)


# ----------------------------------------------------------------------------- the rule checks (SPEC §5)
def compute_flags(year: int, version: str, apps: dict, appeals: dict) -> list[dict]:
    flags: list[dict] = []
    rows = list(apps)

    def ok(*vals):
        return all(v is not None for v in vals)

    for c in APPLICANTS:  # T3_STATED
        a, b, t, o = (apps[r][c] for r in ("received", "carried_in", "results_total", "carried_out"))
        if ok(a, b, t, o) and a + b != t + o:
            flags.append({"rule": "T3_STATED", "severity": "error", "subject": c})
    for r in rows:  # T3_ROW_TOTAL
        vals = [apps[r][c] for c in SIX]
        if ok(*vals, apps[r]["total"]) and sum(vals) != apps[r]["total"]:
            flags.append({"rule": "T3_ROW_TOTAL", "severity": "error", "subject": r})
    outcome_rows = [r for r in rows if r not in OUTCOME_ROWS_SKIP]
    for c in APPLICANTS:  # T3_RESULTS_SUM
        vals = [apps[r][c] for r in outcome_rows]
        if ok(*vals, apps["results_total"][c]) and sum(vals) != apps["results_total"][c]:
            flags.append({"rule": "T3_RESULTS_SUM", "severity": "error", "subject": c})
    for r in rows:  # T3_BOUNDS
        for c in APPLICANTS:
            v = apps[r][c]
            if v is not None and (not isinstance(v, int) or v < 0):
                flags.append({"rule": "T3_BOUNDS", "severity": "error", "subject": f"{r}:{c}"})
    for p in PROCEEDINGS:  # T4_TOTALS
        parts = [appeals[p][o] for o in OUTCOMES[:4]]
        if ok(*parts, appeals[p]["total"]) and sum(parts) != appeals[p]["total"]:
            flags.append({"rule": "T4_TOTALS", "severity": "error", "subject": p})
    if version == "v2019" and year >= 2021:
        flags.append({"rule": "FMT_VERSION", "severity": "error", "subject": "template_version"})
    return flags


# ----------------------------------------------------------------------------- report data
@dataclass
class Report:
    stem: str
    agency: str
    region: str
    year: int
    version: str
    single_other: bool
    title: list[str]
    apps: dict[str, list[str]]           # row code -> 7 printed strings
    appeals: list[str]                   # 15 printed strings
    active: dict[tuple[str, str], str]   # (item,row,metric)... printed strings keyed (row, metric)
    notes: list[str] = field(default_factory=list)


def fill_apps(single_other: bool, given: dict[str, dict[str, int]]) -> dict[str, list[str]]:
    """Complete a consistent section 三 from the outcome counts: totals, （七）总计 and 四 derived."""
    rows = application_rows(single_other)
    vals: dict[str, dict[str, int]] = {r: {c: given.get(r, {}).get(c, 0) for c in SIX} for r in rows}
    for c in SIX:
        vals["results_total"][c] = sum(vals[r][c] for r in rows if r not in OUTCOME_ROWS_SKIP)
        vals["carried_out"][c] = vals["received"][c] + vals["carried_in"][c] - vals["results_total"][c]
        assert vals["carried_out"][c] >= 0, (c, vals["carried_out"][c])
    out = {}
    for r in rows:
        nums = [vals[r][c] for c in SIX]
        out[r] = [str(n) for n in nums] + [str(sum(nums))]
    return out


def T(rep: Report, row: str, column: int = 6) -> str:
    """A printed section 三 figure, for quoting it in the narrative (TEXT_TABLE stays consistent)."""
    return rep.apps[row][column]


# ----------------------------------------------------------------------------- docx helpers
def set_run_font(run, east_asia: str, size: float | None = None, bold: bool | None = None,
                 ascii_font: str | None = None) -> None:
    run.font.name = ascii_font or east_asia
    rpr = run._element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def add_text(par, text: str, east_asia: str, size: float, bold: bool = False, ascii_font: str | None = None):
    parts = text.split("\n")
    for i, part in enumerate(parts):
        run = par.add_run(part)
        set_run_font(run, east_asia, size, bold, ascii_font)
        if i < len(parts) - 1:
            run.add_break()
    return par


def fmt_par(par, align=None, first_indent: float | None = None, line_pt: float | None = None,
            before: float = 0, after: float = 0):
    pf = par.paragraph_format
    if align is not None:
        par.alignment = align
    if first_indent is not None:
        pf.first_line_indent = Pt(first_indent)
    if line_pt is not None:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line_pt)
    pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    return par


def add_page_number_footer(section, style: str = "dash", font: str = "宋体") -> None:
    footer = section.footer
    par = footer.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    before, after = {"dash": ("- ", " -"), "dash_wide": ("— ", " —")}[style]
    add_text(par, before, font, 14, ascii_font="Times New Roman")
    run = par.add_run()
    set_run_font(run, font, 14, ascii_font="Times New Roman")
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._element.append(el)
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
            run._element.append(el)
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._element.append(el)
    add_text(par, after, font, 14, ascii_font="Times New Roman")


def page_setup(section, landscape: bool = False, margins=(3.7, 3.5, 2.8, 2.6)) -> None:
    top, bottom, left, right = margins
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.footer_distance = Cm(2.2 if not landscape else 1.2)


def mark_header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def new_table(doc, n_rows: int, widths_cm: list[float], style: str = "Table Grid"):
    table = doc.add_table(rows=n_rows, cols=len(widths_cm))
    table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for i, w in enumerate(widths_cm):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    return table


Run = tuple  # (text, {"bold":..., "font":..., "size":..., "ascii":...})


def write_cell(cell, content, *, font: str, size: float, align=WD_ALIGN_PARAGRAPH.CENTER,
               bold: bool = False, ascii_font: str | None = None) -> None:
    """content: a string (\n = line break) or a list of (text, overrides) runs."""
    for p in cell.paragraphs[1:]:
        p._element.getparent().remove(p._element)
    par = cell.paragraphs[0]
    fmt_par(par, align=align, line_pt=None)
    par.paragraph_format.line_spacing = 1.0
    runs = [(content, {})] if isinstance(content, str) else content
    for text, o in runs:
        add_text(par, text, o.get("font", font), o.get("size", size), o.get("bold", bold),
                 o.get("ascii", ascii_font))
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER


# ----------------------------------------------------------------------------- document pieces
@dataclass
class Look:
    body_font: str = "仿宋_GB2312"
    heading_font: str = "黑体"
    sub_font: str = "楷体_GB2312"
    title_font: str = "方正小标宋简体"
    table_font: str = "宋体"
    table_size: float = 10.5
    number_ascii: str | None = None      # e.g. Times New Roman for digits
    number_align: object = WD_ALIGN_PARAGRAPH.CENTER
    line_pt: float = 28


def add_title(doc, lines: list[str], look: Look, one_paragraph: bool = False) -> None:
    if one_paragraph:
        par = fmt_par(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, line_pt=36, after=12)
        add_text(par, "\n".join(lines), look.title_font, 22, bold=True)
    else:
        for i, line in enumerate(lines):
            par = fmt_par(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, line_pt=36,
                          after=12 if i == len(lines) - 1 else 0)
            add_text(par, line, look.title_font, 22, bold=True)


def add_heading(doc, text: str, look: Look) -> None:
    par = fmt_par(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT, first_indent=32, line_pt=look.line_pt)
    add_text(par, text, look.heading_font, 16)


def add_body(doc, text: str, look: Look, lead: str | None = None) -> None:
    par = fmt_par(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.JUSTIFY, first_indent=32, line_pt=look.line_pt)
    if lead:
        add_text(par, lead, look.sub_font, 16, bold=True)
    add_text(par, text, look.body_font, 16)


def add_sign(doc, who: str, when: str, look: Look) -> None:
    for t in (who, when):
        par = fmt_par(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.RIGHT, line_pt=look.line_pt)
        add_text(par, t, look.body_font, 16)


def num_runs(text: str, look: Look, bold: bool = False):
    return [(text, {"ascii": look.number_ascii, "bold": bold})]


# ---- section 二
def active_table_separate(doc, rep: Report, look: Look, *, heading_in_table: bool, widths_total: float,
                          first_col: float) -> None:
    """One small table per item (as most Word templates ship it)."""
    for item, item_label, rows, metrics in ACTIVE[rep.version]:
        n = len(metrics)
        w_metric = (widths_total - first_col) / n
        widths = [first_col] + [w_metric] * n
        extra = 1 if heading_in_table else 0
        if not heading_in_table:
            par = fmt_par(doc.add_paragraph(), WD_ALIGN_PARAGRAPH.CENTER, line_pt=22)
            add_text(par, item_label, look.table_font, look.table_size, bold=True)
        table = new_table(doc, extra + 1 + len(rows), widths)
        if heading_in_table:
            m = table.cell(0, 0).merge(table.cell(0, n))
            write_cell(m, item_label, font=look.table_font, size=look.table_size, bold=True)
        write_cell(table.cell(extra, 0), "信息内容", font=look.table_font, size=look.table_size, bold=True)
        for j, (_, mlabel) in enumerate(metrics):
            write_cell(table.cell(extra, 1 + j), mlabel, font=look.table_font, size=look.table_size, bold=True)
        for i, (rcode, rlabel) in enumerate(rows):
            r = extra + 1 + i
            write_cell(table.cell(r, 0), rlabel, font=look.table_font, size=look.table_size)
            for j, (mcode, _) in enumerate(metrics):
                write_cell(table.cell(r, 1 + j), num_runs(rep.active[(rcode, mcode)], look),
                           font=look.table_font, size=look.table_size, align=look.number_align)
        doc.add_paragraph()


def active_table_single(doc, rep: Report, look: Look, *, widths: list[float], serial: bool) -> None:
    """Section 二 as ONE table: item headings as merged full-width rows, metric cells merged to fill."""
    ncols = len(widths)
    first = 1 if serial else 0
    slots = ncols - first - 1  # metric slots
    n_rows = sum(2 + len(rows) for _, _, rows, _ in ACTIVE[rep.version])
    table = new_table(doc, n_rows, widths)
    r = 0
    serial_no = 0
    for item, item_label, rows, metrics in ACTIVE[rep.version]:
        m = table.cell(r, 0).merge(table.cell(r, ncols - 1))
        write_cell(m, [(item_label, {"bold": True, "font": "黑体"})], font=look.table_font, size=look.table_size)
        r += 1
        spans = metric_spans(len(metrics), slots)
        if serial:
            write_cell(table.cell(r, 0), "序号", font=look.table_font, size=look.table_size, bold=True)
        write_cell(table.cell(r, first), "信息内容", font=look.table_font, size=look.table_size, bold=True)
        for (mcode, mlabel), (a, b) in zip(metrics, spans):
            c0, c1 = first + 1 + a, first + 1 + b
            cell = table.cell(r, c0) if c0 == c1 else table.cell(r, c0).merge(table.cell(r, c1))
            write_cell(cell, mlabel, font=look.table_font, size=look.table_size, bold=True)
        r += 1
        for rcode, rlabel in rows:
            serial_no += 1
            if serial:
                write_cell(table.cell(r, 0), str(serial_no), font=look.table_font, size=look.table_size,
                           ascii_font="Times New Roman")
            write_cell(table.cell(r, first), rlabel, font=look.table_font, size=look.table_size)
            for (mcode, _), (a, b) in zip(metrics, spans):
                c0, c1 = first + 1 + a, first + 1 + b
                cell = table.cell(r, c0) if c0 == c1 else table.cell(r, c0).merge(table.cell(r, c1))
                write_cell(cell, num_runs(rep.active[(rcode, mcode)], look), font=look.table_font,
                           size=look.table_size, align=look.number_align)
            r += 1
    doc.add_paragraph()


def metric_spans(n: int, slots: int) -> list[tuple[int, int]]:
    """Spread n metric cells over `slots` grid columns; the last one takes the rest."""
    if n == slots:
        return [(i, i) for i in range(n)]
    if n == 1:
        return [(0, slots - 1)]
    spans = [(i, i) for i in range(n - 1)]
    return spans + [(n - 1, slots - 1)]


# ---- section 三
@dataclass
class AppLayout:
    label_widths: tuple[float, float, float]
    data_width: float
    header_rows: int = 3                 # 3: 申请人情况 row on top; 2: without it
    repeat_header: bool = True
    header_breaks: bool = False          # header words broken by hand (商业\n企业)
    mixed_runs: bool = False             # bold group labels, small notes, Times digits
    total_bold: bool = False
    size: float | None = None


def applications_table(doc, rep: Report, look: Look, lay: AppLayout) -> None:
    size = lay.size or look.table_size
    font = look.table_font
    rows = application_rows(rep.single_other)
    H = lay.header_rows
    widths = list(lay.label_widths) + [lay.data_width] * 7
    table = new_table(doc, H + len(rows), widths)
    if lay.repeat_header:
        for i in range(H):
            mark_header_row(table.rows[i])

    def hdr(text):
        return text if lay.header_breaks else text.replace("\n", "")

    corner = table.cell(0, 0).merge(table.cell(H - 1, 2))
    write_cell(corner, NOTE, font=font, size=size - 1.5 if lay.mixed_runs else size)
    top = 0
    if H == 3:
        m = table.cell(0, 3).merge(table.cell(0, 9))
        write_cell(m, "申请人情况", font=font, size=size, bold=True)
        top = 1
    write_cell(table.cell(top, 3).merge(table.cell(H - 1, 3)), "自然人", font=font, size=size, bold=True)
    write_cell(table.cell(top, 4).merge(table.cell(top, 8)), "法人或其他组织", font=font, size=size, bold=True)
    write_cell(table.cell(top, 9).merge(table.cell(H - 1, 9)), "总计", font=font, size=size, bold=True)
    for j, lab in enumerate(["商业\n企业", "科研\n机构", "社会\n公益\n组织", "法律\n服务\n机构", "其他"]):
        write_cell(table.cell(H - 1, 4 + j), hdr(lab), font=font, size=size, bold=True)

    idx = {r: H + i for i, r in enumerate(rows)}

    def label(r0, c0, r1, c1, content, bold=False, align=WD_ALIGN_PARAGRAPH.LEFT):
        cell = table.cell(r0, c0)
        if (r0, c0) != (r1, c1):
            cell = cell.merge(table.cell(r1, c1))
        write_cell(cell, content, font=font, size=size, align=align, bold=bold)

    def lab_runs(text, group=False):
        if not lay.mixed_runs:
            return text
        if text[:1].isdigit():
            return [(text[:2], {"ascii": "Times New Roman"}), (text[2:], {})]
        return [(text, {"bold": group, "font": "黑体" if group else font})]

    label(idx["received"], 0, idx["received"], 2, lab_runs("一、本年新收政府信息公开申请数量", True))
    label(idx["carried_in"], 0, idx["carried_in"], 2, lab_runs("二、上年结转政府信息公开申请数量", True))
    label(idx["granted"], 0, idx["results_total"], 0, lab_runs("三、本年度办理结果", True),
          align=WD_ALIGN_PARAGRAPH.CENTER)
    label(idx["granted"], 1, idx["granted"], 2, lab_runs("（一）予以公开"))
    if lay.mixed_runs:
        partly = [(PARTLY[0], {"bold": True}), (PARTLY[1], {"size": size - 1.5})]
    else:
        partly = PARTLY[0] + PARTLY[1]
    label(idx["partly_granted"], 1, idx["partly_granted"], 2, partly)
    for group, items in (("（三）不予公开", WITHHELD), ("（四）无法提供", UNAVAILABLE), ("（五）不予处理", REJECTED)):
        label(idx[items[0][0]], 1, idx[items[-1][0]], 1, lab_runs(group, True), align=WD_ALIGN_PARAGRAPH.CENTER)
        for code, text in items:
            label(idx[code], 2, idx[code], 2, lab_runs(text))
    if rep.single_other:
        label(idx["other_handling"], 1, idx["other_handling"], 2, lab_runs("（六）其他处理"))
    else:
        label(idx[OTHER3[0][0]], 1, idx[OTHER3[-1][0]], 1, lab_runs("（六）其他处理", True),
              align=WD_ALIGN_PARAGRAPH.CENTER)
        for code, text in OTHER3:
            label(idx[code], 2, idx[code], 2, lab_runs(text))
    label(idx["results_total"], 1, idx["results_total"], 2, lab_runs("（七）总计", True))
    label(idx["carried_out"], 0, idx["carried_out"], 2, lab_runs("四、结转下年度继续办理", True))

    for r in rows:
        for j, text in enumerate(rep.apps[r]):
            bold = lay.total_bold and (r == "results_total" or j == 6)
            write_cell(table.cell(idx[r], 3 + j), num_runs(text, look, bold), font=font, size=size,
                       align=look.number_align)


# ---- section 四
def appeals_table(doc, rep: Report, look: Look, widths: list[float], *, repeat_header: bool = False,
                  size: float | None = None, breaks: bool = True) -> None:
    size = size or look.table_size
    font = look.table_font
    table = new_table(doc, 4, widths)
    if repeat_header:
        for i in range(3):
            mark_header_row(table.rows[i])
    write_cell(table.cell(0, 0).merge(table.cell(0, 4)), "行政复议", font=font, size=size, bold=True)
    write_cell(table.cell(0, 5).merge(table.cell(0, 14)), "行政诉讼", font=font, size=size, bold=True)
    five = ["结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计"]
    five = five if breaks else [t.replace("\n", "") for t in five]
    for j, t in enumerate(five):
        write_cell(table.cell(1, j).merge(table.cell(2, j)), t, font=font, size=size)
    write_cell(table.cell(1, 5).merge(table.cell(1, 9)), "未经复议直接起诉", font=font, size=size)
    write_cell(table.cell(1, 10).merge(table.cell(1, 14)), "复议后起诉", font=font, size=size)
    for j in range(10):
        write_cell(table.cell(2, 5 + j), five[j % 5], font=font, size=size)
    for j, text in enumerate(rep.appeals):
        write_cell(table.cell(3, j), num_runs(text, look), font=font, size=size, align=look.number_align)


# ----------------------------------------------------------------------------- the six reports
def build_linli() -> tuple:
    """湖南省常德市临澧县自然资源局, 2020, v2019 (five item groups, signed 本年增/减)."""
    apps = fill_apps(True, {
        "received": {"natural_person": 52, "commercial_enterprise": 6, "legal_service_org": 1, "other_org": 2},
        "carried_in": {"natural_person": 3},
        "granted": {"natural_person": 21, "commercial_enterprise": 3, "legal_service_org": 1, "other_org": 1},
        "partly_granted": {"natural_person": 6, "commercial_enterprise": 1},
        "withheld_security_stability": {"natural_person": 1},
        "withheld_third_party": {"natural_person": 2},
        "withheld_process_info": {"natural_person": 1},
        "withheld_admin_query": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 12, "commercial_enterprise": 1, "other_org": 1},
        "unavailable_needs_creation": {"natural_person": 3},
        "unavailable_unclear": {"natural_person": 1},
        "rejected_petition": {"natural_person": 3},
        "rejected_duplicate": {"natural_person": 1},
        "other_handling": {"natural_person": 2},
    })
    rep = Report(
        stem="linli2020", agency="临澧县自然资源局", region="湖南省常德市临澧县", year=2020, version="v2019",
        single_other=True, title=["临澧县自然资源局", "2020年政府信息公开工作年度报告"], apps=apps,
        appeals=["2", "1", "0", "0", "3", "1", "0", "0", "1", "2", "0", "0", "0", "0", "0"],
        active={("rules", "newly_made"): "0", ("rules", "newly_published"): "0", ("rules", "total_published"): "0",
                ("normative_documents", "newly_made"): "2", ("normative_documents", "newly_published"): "2",
                ("normative_documents", "total_published"): "17",
                ("licensing", "prior_year_items"): "43", ("licensing", "change"): "-2",
                ("licensing", "decisions"): "386",
                ("other_services", "prior_year_items"): "21", ("other_services", "change"): "+1",
                ("other_services", "decisions"): "1254",
                ("penalties", "prior_year_items"): "112", ("penalties", "change"): "0",
                ("penalties", "decisions"): "27",
                ("coercion", "prior_year_items"): "9", ("coercion", "change"): "0", ("coercion", "decisions"): "3",
                ("fees", "prior_year_items"): "4", ("fees", "change"): "-1",
                ("procurement", "projects"): "11", ("procurement", "amount"): "186.42"},
        notes=[("v2019 format for report year 2020: five item groups in section 二 as separate tables, "
               "item label as a centred bold paragraph above each table"),
               "本年增/减 printed signed: -2, +1, -1",
               ("section 三 header in 3 rows marked to repeat (w:tblHeader); the table crosses a page; "
               "三、本年度办理结果 sits in a one-character-wide column"),
               "single （六）其他处理 row (v2019)", "footer page numbers '- N -'"],
    )
    look = Look()

    def body(doc):
        add_title(doc, rep.title, look)
        add_body(doc, "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定，由临澧县自然资源局"
                      "根据2020年度政府信息公开工作情况编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息"
                      "公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
                      "本报告所列数据的统计期限自2020年1月1日起至2020年12月31日止。", look)
        add_heading(doc, "一、总体情况", look)
        add_body(doc, "2020年，临澧县自然资源局在县委、县人民政府的坚强领导下，认真贯彻落实新修订的《条例》，"
                      "围绕自然资源管理中心工作，坚持以公开为常态、不公开为例外，不断完善工作机制，"
                      "持续深化重点领域信息公开，政府信息公开工作取得了新的成效。", look)
        add_body(doc, "全年通过临澧县人民政府门户网站“部门信息公开”专栏主动公开各类政府信息436条，"
                      "其中国土空间规划类28条、土地征收类61条、矿业权出让类9条、不动产登记服务类47条。"
                      "及时公开征地补偿安置方案、建设用地批复等群众关心的信息，接受社会监督。",
                 look, lead="（一）主动公开。")
        add_body(doc, f"2020年共收到政府信息公开申请{T(rep, 'received')}件，上年结转{T(rep, 'carried_in')}件，"
                      f"均在法定期限内予以答复{T(rep, 'results_total')}件，结转下年度继续办理{T(rep, 'carried_out')}件。"
                      "申请内容主要集中在征地拆迁补偿、不动产登记档案和用地审批等方面。",
                 look, lead="（二）依申请公开。")
        add_body(doc, "严格落实政府信息公开保密审查制度，坚持“先审查、后公开”和“一事一审”原则，"
                      "全年未发生泄密事件。对现行有效的规范性文件进行了清理，及时更新政府信息公开指南和目录。",
                 look, lead="（三）政府信息管理。")
        add_body(doc, "充分发挥政府网站第一平台作用，同时通过“临澧自然资源”微信公众号、"
                      "政务服务大厅电子显示屏等渠道同步发布信息，方便群众查询。",
                 look, lead="（四）平台建设。")
        add_body(doc, "成立了由局长任组长的政务公开工作领导小组，明确办公室为政府信息公开工作机构，"
                      "将政府信息公开工作纳入股室年度绩效考核，全年未发生因政府信息公开工作被责任追究的情况。",
                 look, lead="（五）监督保障。")
        add_heading(doc, "二、主动公开政府信息情况", look)
        active_table_separate(doc, rep, look, heading_in_table=False, widths_total=15.4, first_col=4.6)
        add_heading(doc, "三、收到和处理政府信息公开申请情况", look)
        applications_table(doc, rep, look, AppLayout(label_widths=(0.95, 1.9, 3.55), data_width=1.3,
                                                     header_rows=3, repeat_header=True, size=10.5))
        doc.add_paragraph()
        add_heading(doc, "四、政府信息公开行政复议、行政诉讼情况", look)
        appeals_table(doc, rep, look, [1.03] * 15, size=9)
        add_heading(doc, "五、存在的主要问题及改进情况", look)
        add_body(doc, "一是主动公开的深度和广度还不够，部分业务股室信息报送不及时；二是依申请公开答复文书"
                      "的规范化水平有待提升；三是工作人员业务能力与新《条例》要求还有差距。", look,
                 lead="（一）存在的主要问题。")
        add_body(doc, "2021年，我局将进一步加强对新《条例》的学习培训，完善信息发布审核机制，规范依申请公开"
                      "办理流程，重点做好征地信息、国土空间规划等领域的信息公开工作。", look,
                 lead="（二）改进措施。")
        add_heading(doc, "六、其他需要报告的事项", look)
        add_body(doc, "本年度无其他需要报告的事项。", look)
        add_sign(doc, "临澧县自然资源局", "2021年1月22日", look)

    return rep, body, look


def build_xiaofeng() -> tuple:
    """浙江省湖州市安吉县孝丰镇人民政府, 2022, v2021 township; section 二 as one table."""
    apps = fill_apps(False, {
        "received": {"natural_person": 6, "commercial_enterprise": 1},
        "granted": {"natural_person": 3, "commercial_enterprise": 1},
        "partly_granted": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 1},
        "rejected_petition": {"natural_person": 1},
    })
    rep = Report(
        stem="xiaofeng2022", agency="安吉县孝丰镇人民政府", region="浙江省湖州市安吉县孝丰镇", year=2022,
        version="v2021", single_other=False, title=["孝丰镇2022年政府信息公开", "工作年度报告"], apps=apps,
        appeals=["0"] * 15,
        active={("rules", "issued"): "/", ("rules", "repealed"): "/", ("rules", "in_force"): "/",
                ("normative_documents", "issued"): "1", ("normative_documents", "repealed"): "0",
                ("normative_documents", "in_force"): "4",
                ("licensing", "decisions"): "0", ("penalties", "decisions"): "58", ("coercion", "decisions"): "0",
                ("fees", "amount"): "0"},
        notes=["township report; title names only 孝丰镇, body names 安吉县孝丰镇人民政府",
               ("section 二 is ONE 4-column table, item headings in merged full-width rows, single-metric cells "
               "merged over three columns"), "规章 row printed '/' (townships make no 规章): null",
               "section 三 header in 2 rows (no 申请人情况 row); table crosses a page WITHOUT a repeated header",
               "v2021 with three （六） sub-rows"],
    )
    look = Look(line_pt=29)

    def body(doc):
        add_title(doc, rep.title, look)
        add_body(doc, "根据《中华人民共和国政府信息公开条例》和省、市、县关于做好政府信息公开工作年度报告的要求，"
                      "编制本报告。本报告所列数据统计期限自2022年1月1日至2022年12月31日。", look)
        add_heading(doc, "一、总体情况", look)
        add_body(doc, "2022年，安吉县孝丰镇人民政府坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实"
                      "《中华人民共和国政府信息公开条例》，紧紧围绕镇党委、政府中心工作，扎实推进基层政务公开"
                      "标准化规范化建设，政府信息公开工作有序开展。", look)
        add_body(doc, "全年在县政府门户网站孝丰镇信息公开专栏主动公开信息213条，其中机构职能类6条、"
                      "财政预决算类12条、乡村振兴类41条、综合行政执法类58条、民生实事类35条。", look,
                 lead="（一）主动公开情况。")
        add_body(doc, f"全年新收政府信息公开申请{T(rep, 'received')}件，其中自然人申请{T(rep, 'received', 0)}件、"
                      f"企业申请{T(rep, 'received', 1)}件，均按期答复，无结转。",
                 look, lead="（二）依申请公开情况。")
        add_body(doc, "动态调整镇级政务公开事项目录，落实信息发布“三审”制度，及时清理过期、失效信息。",
                 look, lead="（三）政府信息管理情况。")
        add_body(doc, "依托县政府门户网站、“孝丰发布”微信公众号和各村（社区）政务公开栏，构建“网上+网下”"
                      "公开体系，在镇便民服务中心设置政务公开专区。", look, lead="（四）平台建设情况。")
        add_body(doc, "将政务公开工作纳入对各村（社区）和镇属部门的年度综合考核，社会评议总体满意，"
                      "全年未发生政府信息公开工作责任追究情况。", look, lead="（五）监督保障情况。")
        add_heading(doc, "二、主动公开政府信息情况", look)
        active_table_single(doc, rep, look, widths=[4.6, 3.6, 3.6, 3.6], serial=False)
        add_heading(doc, "三、收到和处理政府信息公开申请情况", look)
        applications_table(doc, rep, look, AppLayout(label_widths=(1.2, 1.6, 4.2), data_width=1.2,
                                                     header_rows=2, repeat_header=False, size=10))
        doc.add_paragraph()
        add_heading(doc, "四、政府信息公开行政复议、行政诉讼情况", look)
        appeals_table(doc, rep, look, [1.03] * 15, size=9)
        add_heading(doc, "五、存在的主要问题及改进情况", look)
        add_body(doc, "2022年我镇政府信息公开工作虽取得一定成效，但仍存在公开内容不够全面、村级公开不够规范、"
                      "工作人员业务水平有待提高等问题。下一步，我镇将加强业务培训，完善公开目录，"
                      "推动政务公开向村（社区）延伸，切实提升基层政务公开质效。", look)
        add_heading(doc, "六、其他需要报告的事项", look)
        add_body(doc, "本年度我镇未收取信息处理费。无其他需要报告的事项。", look)
        add_sign(doc, "安吉县孝丰镇人民政府", "2023年1月18日", look)

    return rep, body, look


def build_zitong() -> tuple:
    """四川省绵阳市梓潼县住房和城乡建设局, 2023, v2021 with arithmetic errors; landscape tables."""
    given = {
        "received": {"natural_person": 41, "commercial_enterprise": 5, "social_welfare_org": 1,
                     "legal_service_org": 2},
        "carried_in": {"natural_person": 2, "commercial_enterprise": 1},
        "granted": {"natural_person": 15, "commercial_enterprise": 2, "social_welfare_org": 1},
        "partly_granted": {"natural_person": 4, "commercial_enterprise": 1},
        "withheld_third_party": {"natural_person": 2},
        "withheld_process_info": {"natural_person": 1, "legal_service_org": 1},
        "withheld_enforcement_file": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 10, "commercial_enterprise": 2},
        "unavailable_needs_creation": {"natural_person": 2},
        "unavailable_unclear": {"natural_person": 1},
        "rejected_petition": {"natural_person": 3},
        "rejected_duplicate": {"natural_person": 1},
        "rejected_confirmation": {"natural_person": 1},
        "other_no_correction": {"natural_person": 1, "legal_service_org": 1},
    }
    apps = fill_apps(False, given)
    # The office counted one pending request twice: 四、结转 自然人 1 -> 2, 总计 2 -> 3.
    assert apps["carried_out"][0] == "1" and apps["carried_out"][6] == "2"
    apps["carried_out"][0], apps["carried_out"][6] = "2", "3"
    rep = Report(
        stem="zitong2023", agency="梓潼县住房和城乡建设局", region="四川省绵阳市梓潼县", year=2023,
        version="v2021", single_other=False,
        title=["梓潼县住房和城乡建设局", "2023年政府信息公开工作年度报告"], apps=apps,
        # 未经复议直接起诉: 维持1 + 尚未审结1 but 总计 printed 1
        appeals=["2", "0", "1", "0", "3", "1", "0", "0", "1", "1", "1", "0", "0", "0", "1"],
        active={("rules", "issued"): "0", ("rules", "repealed"): "0", ("rules", "in_force"): "0",
                ("normative_documents", "issued"): "3", ("normative_documents", "repealed"): "1",
                ("normative_documents", "in_force"): "12",
                ("licensing", "decisions"): "1532", ("penalties", "decisions"): "46",
                ("coercion", "decisions"): "2", ("fees", "amount"): "15.86"},
        notes=[("real arithmetic errors: 四、结转下年度继续办理 自然人 2 (should be 1) and 总计 3 -> T3_STATED on "
               "natural_person and total; 未经复议直接起诉 维持1+尚未审结1 but 总计 1 -> T4_TOTALS"),
               "sections 三 and 四 in a landscape section between portrait pages",
               ("cell text with mixed runs: bold 黑体 group labels, small-print 部分公开 note, Times New Roman "
               "digits, bold （七）总计 row and 总计 column; numbers right-aligned"),
               "fee 15.86 万元 (decimal)"],
    )
    look = Look(number_ascii="Times New Roman", number_align=WD_ALIGN_PARAGRAPH.RIGHT)

    def body(doc):
        add_title(doc, rep.title, look)
        add_body(doc, "本年度报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与"
                      "政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》"
                      "（国办公开办函〔2021〕30号）要求编制。报告中所列数据的统计期限自2023年1月1日起至"
                      "2023年12月31日止。", look)
        add_heading(doc, "一、总体情况", look)
        add_body(doc, "2023年，梓潼县住房和城乡建设局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实"
                      "县委、县政府关于政务公开工作的部署要求，聚焦住房保障、城市建设、建筑市场监管等重点领域，"
                      "依法依规做好政府信息公开工作。", look)
        add_body(doc, "全年通过县政府信息公开平台主动公开政府信息378条，其中保障性住房分配信息42条、"
                      "老旧小区改造信息37条、建筑市场“双随机、一公开”检查结果24条、行政处罚结果46条。",
                 look, lead="（一）主动公开情况。")
        add_body(doc, f"全年新收政府信息公开申请{T(rep, 'received')}件，上年结转{T(rep, 'carried_in')}件，"
                      f"办结{T(rep, 'results_total')}件，结转下年度继续办理{T(rep, 'carried_out')}件。"
                      "全年因政府信息公开被申请行政复议3件。", look, lead="（二）依申请公开情况。")
        add_body(doc, "严格执行信息发布审核制度，对拟公开信息逐条进行保密审查和个人信息保护审查，"
                      "全年清理失效规范性文件1件。", look, lead="（三）政府信息管理情况。")
        add_body(doc, "持续优化局门户网站专栏设置，及时更新政府信息公开指南，在政务服务大厅设置查阅点。",
                 look, lead="（四）平台建设情况。")
        add_body(doc, "将政务公开工作纳入局机关年度目标考核，开展政务公开专题培训2次，全年未发生责任追究情况。",
                 look, lead="（五）监督保障情况。")
        add_heading(doc, "二、主动公开政府信息情况", look)
        active_table_separate(doc, rep, look, heading_in_table=True, widths_total=15.4, first_col=4.4)
        land = doc.add_section(WD_SECTION.NEW_PAGE)
        page_setup(land, landscape=True, margins=(2.4, 2.2, 2.5, 2.5))
        add_heading(doc, "三、收到和处理政府信息公开申请情况", look)
        applications_table(doc, rep, look, AppLayout(label_widths=(1.6, 2.4, 7.4), data_width=1.8,
                                                     header_rows=3, repeat_header=True, mixed_runs=True,
                                                     total_bold=True, size=10.5))
        add_heading(doc, "四、政府信息公开行政复议、行政诉讼情况", look)
        appeals_table(doc, rep, look, [1.6] * 15, size=10.5, breaks=False)
        port = doc.add_section(WD_SECTION.NEW_PAGE)
        page_setup(port)
        add_heading(doc, "五、存在的主要问题及改进情况", look)
        add_body(doc, "一是个别股室对政府信息公开重视程度不够，信息报送不够及时；二是依申请公开数据统计"
                      "存在薄弱环节，台账管理有待规范。2024年，我局将建立依申请公开办理台账，加强统计复核，"
                      "确保数据准确，并进一步加大住房保障、工程建设项目等重点领域信息公开力度。", look)
        add_heading(doc, "六、其他需要报告的事项", look)
        add_body(doc, "本年度未发出收费通知，未收取信息处理费。", look)
        add_sign(doc, "梓潼县住房和城乡建设局", "2024年1月26日", look)

    return rep, body, look


def build_yangshuo() -> tuple:
    """广西壮族自治区桂林市阳朔县人民政府办公室, 2021, v2021; 总计 blank on every outcome sub-row."""
    apps = fill_apps(False, {
        "received": {"natural_person": 90, "commercial_enterprise": 9, "research_institution": 1,
                     "legal_service_org": 3, "other_org": 2},
        "carried_in": {"natural_person": 4, "commercial_enterprise": 1},
        "granted": {"natural_person": 38, "commercial_enterprise": 4, "research_institution": 1,
                    "legal_service_org": 1, "other_org": 1},
        "partly_granted": {"natural_person": 9, "commercial_enterprise": 2},
        "withheld_state_secret": {"natural_person": 1},
        "withheld_prohibited_by_law": {"natural_person": 1},
        "withheld_third_party": {"natural_person": 3, "commercial_enterprise": 1},
        "withheld_internal_affairs": {"natural_person": 1},
        "withheld_process_info": {"natural_person": 4},
        "withheld_enforcement_file": {"natural_person": 2},
        "withheld_admin_query": {"natural_person": 2},
        "unavailable_not_held": {"natural_person": 15, "commercial_enterprise": 1, "legal_service_org": 1},
        "unavailable_needs_creation": {"natural_person": 4},
        "unavailable_unclear": {"natural_person": 2},
        "rejected_petition": {"natural_person": 3},
        "rejected_duplicate": {"natural_person": 2},
        "rejected_publication": {"natural_person": 1},
        "rejected_confirmation": {"natural_person": 1},
        "other_no_correction": {"natural_person": 2},
        "other_misc": {"natural_person": 1, "other_org": 1},
    })
    for r in application_rows(False):
        if r not in OUTCOME_ROWS_SKIP:
            apps[r][6] = ""
    rep = Report(
        stem="yangshuo2021", agency="阳朔县人民政府办公室", region="广西壮族自治区桂林市阳朔县", year=2021,
        version="v2021", single_other=False,
        title=["阳朔县人民政府办公室2021年政府信息", "公开工作年度报告"], apps=apps,
        appeals=["1", "0", "0", "1", "2", "0", "0", "0", "1", "1", "0", "0", "0", "0", "0"],
        active={("rules", "issued"): "0", ("rules", "repealed"): "0", ("rules", "in_force"): "0",
                ("normative_documents", "issued"): "5", ("normative_documents", "repealed"): "2",
                ("normative_documents", "in_force"): "31",
                ("licensing", "decisions"): "0", ("penalties", "decisions"): "0",
                ("coercion", "decisions"): "0", ("fees", "amount"): "0"},
        notes=[("总计 column left BLANK on every outcome sub-row （一）…（六）3 (null, never a violation); "
               "一、二、（七）总计、四 keep their totals"),
               ("very narrow label columns (0.9 / 1.3 / 2.2 cm): 三、本年度办理结果 one character per line, "
               "group labels 2 characters per line, item labels wrap over 3-8 lines"),
               "title in one paragraph broken after 政府信息", "section 三 header 3 rows repeated on the next page"],
    )
    look = Look(table_font="仿宋_GB2312")

    def body(doc):
        add_title(doc, rep.title, look, one_paragraph=True)
        add_body(doc, "本报告由阳朔县人民政府办公室根据《中华人民共和国政府信息公开条例》第五十条要求编制。"
                      "本报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。", look)
        add_heading(doc, "一、总体情况", look)
        add_body(doc, "2021年，阳朔县人民政府办公室深入贯彻落实党中央、国务院和自治区、桂林市关于全面推进政务公开"
                      "的决策部署，以人民为中心，以公开促落实、强监管、优服务，推动全县政府信息公开工作提质增效。",
                 look)
        add_body(doc, "依托阳朔县人民政府门户网站，全年主动公开政府信息5126条，发布县政府常务会议信息24期，"
                      "公开县政府及县政府办公室行政规范性文件5件，对重要政策开展图解、视频等多元化解读18次。",
                 look, lead="（一）主动公开。")
        add_body(doc, f"全年新收政府信息公开申请{T(rep, 'received')}件，上年结转{T(rep, 'carried_in')}件，"
                      f"办结{T(rep, 'results_total')}件，结转下年度继续办理{T(rep, 'carried_out')}件。"
                      "申请事项主要涉及征地拆迁、规划建设、旅游市场管理等方面。", look, lead="（二）依申请公开。")
        add_body(doc, "进一步规范行政规范性文件管理，对现行有效的行政规范性文件实行目录化、动态化管理，"
                      "全年废止行政规范性文件2件。", look, lead="（三）政府信息管理。")
        add_body(doc, "完成县政府门户网站集约化迁移，优化政府信息公开专栏，开通政务新媒体矩阵。",
                 look, lead="（四）平台建设。")
        add_body(doc, "将政务公开工作纳入全县绩效考评，组织开展社会评议，评议结果总体满意；"
                      "全年未发生因政府信息公开工作被责任追究的情况。", look, lead="（五）监督保障。")
        add_heading(doc, "二、主动公开政府信息情况", look)
        active_table_separate(doc, rep, look, heading_in_table=True, widths_total=15.4, first_col=4.0)
        add_heading(doc, "三、收到和处理政府信息公开申请情况", look)
        applications_table(doc, rep, look, AppLayout(label_widths=(0.9, 1.3, 2.2), data_width=1.6,
                                                     header_rows=3, repeat_header=True, size=10.5))
        doc.add_paragraph()
        add_heading(doc, "四、政府信息公开行政复议、行政诉讼情况", look)
        appeals_table(doc, rep, look, [1.03] * 15, size=9)
        add_heading(doc, "五、存在的主要问题及改进情况", look)
        add_body(doc, "2021年，我县政府信息公开工作取得了一定成效，但仍存在政策解读形式较为单一、基层政务公开"
                      "标准化规范化建设不平衡等问题。2022年，我们将丰富解读形式，加强对乡镇政务公开工作的指导，"
                      "推动政务公开工作再上新台阶。", look)
        add_heading(doc, "六、其他需要报告的事项", look)
        add_body(doc, "本年度未收取信息处理费。无其他需要报告的事项。", look)
        add_sign(doc, "阳朔县人民政府办公室", "2022年3月18日", look)

    return rep, body, look


def build_fuping() -> tuple:
    """河北省保定市阜平县市场监督管理局, 2024, v2021 with a single （六）其他处理 row; 序号 column."""
    apps = fill_apps(True, {
        "received": {"natural_person": 23, "commercial_enterprise": 4, "legal_service_org": 1},
        "carried_in": {"natural_person": 1},
        "granted": {"natural_person": 9, "commercial_enterprise": 2},
        "partly_granted": {"natural_person": 2},
        "withheld_third_party": {"natural_person": 1},
        "withheld_process_info": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 6, "commercial_enterprise": 1},
        "unavailable_needs_creation": {"natural_person": 1},
        "rejected_petition": {"natural_person": 2, "legal_service_org": 1},
        "other_handling": {"natural_person": 1, "commercial_enterprise": 1},
    })
    rep = Report(
        stem="fuping2024", agency="阜平县市场监督管理局", region="河北省保定市阜平县", year=2024,
        version="v2021", single_other=True,
        title=["阜平县市场监督管理局", "2024年政府信息公开工作年度报告"], apps=apps,
        appeals=["1", "1", "0", "0", "2", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        active={("rules", "issued"): "/", ("rules", "repealed"): "/", ("rules", "in_force"): "/",
                ("normative_documents", "issued"): "2", ("normative_documents", "repealed"): "0",
                ("normative_documents", "in_force"): "9",
                ("licensing", "decisions"): "3127", ("penalties", "decisions"): "218",
                ("coercion", "decisions"): "14", ("fees", "amount"): "3.2650"},
        notes=["v2021 report that keeps a single （六）其他处理 data row: stored as other_handling",
               ("section 二 is ONE table with a 序号 column (1..6 numbering the data rows) before 信息内容, "
               "item headings in merged full-width rows"),
               "fee 3.2650 万元 (4 decimals) ; 规章 '/' -> null",
               "sections 三/四 in a landscape section; mixed-font runs; numbers right-aligned"],
    )
    look = Look(number_ascii="Times New Roman", number_align=WD_ALIGN_PARAGRAPH.RIGHT, table_font="宋体")

    def body(doc):
        add_title(doc, rep.title, look)
        add_body(doc, "根据《中华人民共和国政府信息公开条例》规定，现公布阜平县市场监督管理局2024年政府信息公开"
                      "工作年度报告。本报告所列数据统计期限自2024年1月1日起至2024年12月31日止。"
                      "如对本报告有疑问，请与阜平县市场监督管理局办公室联系。", look)
        add_heading(doc, "一、总体情况", look)
        add_body(doc, "2024年，阜平县市场监督管理局认真贯彻落实《中华人民共和国政府信息公开条例》，围绕优化营商"
                      "环境、食品药品安全监管、特种设备安全、知识产权保护等重点工作，全面推进政府信息公开。", look)
        add_body(doc, "全年主动公开政府信息1062条，其中行政许可信息3127件次以批量形式公开，行政处罚决定"
                      "218件全部在法定期限内公示，食品安全抽检信息46批次。", look, lead="（一）主动公开。")
        add_body(doc, f"全年新收政府信息公开申请{T(rep, 'received')}件，上年结转{T(rep, 'carried_in')}件，"
                      f"办结{T(rep, 'results_total')}件，结转下年度继续办理{T(rep, 'carried_out')}件。",
                 look, lead="（二）依申请公开。")
        add_body(doc, "健全信息发布协调和保密审查机制，规范政府信息公开申请登记、审核、办理、答复、归档流程。",
                 look, lead="（三）政府信息管理。")
        add_body(doc, "依托县政府门户网站“法定主动公开内容”专栏，及时发布市场监管领域信息。",
                 look, lead="（四）平台建设。")
        add_body(doc, "将政务公开纳入年度工作考核，全年未发生因政府信息公开引发的责任追究。",
                 look, lead="（五）监督保障。")
        add_heading(doc, "二、主动公开政府信息情况", look)
        active_table_single(doc, rep, look, widths=[1.2, 4.6, 3.2, 3.2, 3.2], serial=True)
        land = doc.add_section(WD_SECTION.NEW_PAGE)
        page_setup(land, landscape=True, margins=(2.6, 2.4, 2.6, 2.6))
        add_heading(doc, "三、收到和处理政府信息公开申请情况", look)
        applications_table(doc, rep, look, AppLayout(label_widths=(2.0, 2.6, 6.6), data_width=1.75,
                                                     header_rows=3, repeat_header=True, mixed_runs=True,
                                                     size=10.5))
        add_heading(doc, "四、政府信息公开行政复议、行政诉讼情况", look)
        appeals_table(doc, rep, look, [1.6] * 15, size=10.5, repeat_header=True)
        port = doc.add_section(WD_SECTION.NEW_PAGE)
        page_setup(port)
        add_heading(doc, "五、存在的主要问题及改进情况", look)
        add_body(doc, "存在的主要问题：一是信息公开的及时性有待提高；二是政策解读形式较为单一。"
                      "改进措施：2025年，我局将完善信息公开工作制度，加强业务培训，丰富政策解读形式，"
                      "不断提升政府信息公开工作质量。", look)
        add_heading(doc, "六、其他需要报告的事项", look)
        add_body(doc, "根据《政府信息公开信息处理费管理办法》，本年度我局未发出收费通知，未收取信息处理费。"
                      "无其他需要报告的事项。", look)
        add_sign(doc, "阜平县市场监督管理局", "2025年1月21日", look)

    return rep, body, look


def build_yinan() -> tuple:
    """山东省临沂市沂南县农业农村局, 2021, still on the v2019 tables (FMT_VERSION)."""
    apps = fill_apps(True, {
        "received": {"natural_person": 15, "commercial_enterprise": 2, "other_org": 1},
        "granted": {"natural_person": 7, "commercial_enterprise": 1},
        "partly_granted": {"natural_person": 1},
        "unavailable_not_held": {"natural_person": 4, "other_org": 1},
        "unavailable_needs_creation": {"natural_person": 1},
        "rejected_duplicate": {"natural_person": 1},
    })
    rep = Report(
        stem="yinan2021", agency="沂南县农业农村局", region="山东省临沂市沂南县", year=2021, version="v2019",
        single_other=True, title=["沂南县农业农村局", "2021年政府信息公开工作年度报告"], apps=apps,
        appeals=["0"] * 15,
        active={("rules", "newly_made"): "0", ("rules", "newly_published"): "0", ("rules", "total_published"): "0",
                ("normative_documents", "newly_made"): "1", ("normative_documents", "newly_published"): "1",
                ("normative_documents", "total_published"): "6",
                ("licensing", "prior_year_items"): "18", ("licensing", "change"): "+2",
                ("licensing", "decisions"): "96",
                ("other_services", "prior_year_items"): "7", ("other_services", "change"): "0",
                ("other_services", "decisions"): "152",
                ("penalties", "prior_year_items"): "35", ("penalties", "change"): "-3",
                ("penalties", "decisions"): "12",
                ("coercion", "prior_year_items"): "4", ("coercion", "change"): "0", ("coercion", "decisions"): "0",
                ("fees", "prior_year_items"): "0", ("fees", "change"): "0",
                ("procurement", "projects"): "3", ("procurement", "amount"): "57.6"},
        notes=["report year 2021 but still the v2019 tables (60号): FMT_VERSION error",
               "section 二 as ONE table (v2019 five items), item headings in merged full-width rows",
               "section 三 header words broken by hand inside the cells (商业/企业, 社会/公益/组织)",
               "page numbers '— N —' with em dashes; section 三 crosses a page without repeated header"],
    )
    look = Look(table_font="宋体")

    def body(doc):
        add_title(doc, rep.title, look)
        add_body(doc, "本年度报告依据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况、"
                      "收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、"
                      "其他需要报告的事项六部分组成。统计期限为2021年1月1日至2021年12月31日。", look)
        add_heading(doc, "一、总体情况", look)
        add_body(doc, "2021年，沂南县农业农村局坚持以习近平新时代中国特色社会主义思想为指导，按照县委、县政府"
                      "工作部署，围绕乡村振兴战略实施，扎实做好政府信息公开工作，保障人民群众知情权、参与权和监督权。",
                 look)
        add_body(doc, "全年在沂南县人民政府网站主动公开信息287条，公开惠农补贴政策及发放信息36条、"
                      "高标准农田建设项目信息14条、动植物疫病防控信息22条、农产品质量安全监测信息18条。",
                 look, lead="（一）主动公开。")
        add_body(doc, f"全年新收政府信息公开申请{T(rep, 'received')}件，办结{T(rep, 'results_total')}件，"
                      f"结转下年度继续办理{T(rep, 'carried_out')}件。", look,
                 lead="（二）依申请公开。")
        add_body(doc, "建立健全信息公开审核、发布和保密审查制度，做到公开内容真实准确、及时完整。",
                 look, lead="（三）政府信息管理。")
        add_body(doc, "用好政府网站、“沂南农业”微信公众号和村务公开栏，拓宽信息公开渠道。",
                 look, lead="（四）平台建设。")
        add_body(doc, "把政府信息公开工作纳入局机关科室考核，强化日常督导，未发生责任追究情况。",
                 look, lead="（五）监督保障。")
        add_heading(doc, "二、主动公开政府信息情况", look)
        active_table_single(doc, rep, look, widths=[4.6, 3.6, 3.6, 3.6], serial=False)
        add_heading(doc, "三、收到和处理政府信息公开申请情况", look)
        applications_table(doc, rep, look, AppLayout(label_widths=(1.2, 1.8, 4.0), data_width=1.2,
                                                     header_rows=3, repeat_header=False, header_breaks=True,
                                                     size=10.5))
        doc.add_paragraph()
        add_heading(doc, "四、政府信息公开行政复议、行政诉讼情况", look)
        appeals_table(doc, rep, look, [1.03] * 15, size=9)
        add_heading(doc, "五、存在的主要问题及改进情况", look)
        add_body(doc, "主要问题是信息公开内容还不够丰富，部分信息更新不及时。2022年，我局将严格按照新的年度报告"
                      "格式和上级要求，进一步规范公开内容，加强对涉农政策的解读。", look)
        add_heading(doc, "六、其他需要报告的事项", look)
        add_body(doc, "本年度未收取信息处理费，无其他需要报告的事项。", look)
        add_sign(doc, "沂南县农业农村局", "2022年1月25日", look)

    return rep, body, look


BUILDERS = [build_linli, build_xiaofeng, build_zitong, build_yangshuo, build_fuping, build_yinan]
FOOTERS = {"yinan2021": "dash_wide"}


# ----------------------------------------------------------------------------- output
def make_docx(rep: Report, body, look: Look, path: Path) -> None:
    doc = Document()
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "Administrator"
    cp.title = ""
    cp.created = cp.modified = datetime(rep.year + 1, 1, 10, 9, 0, 0)
    cp.revision = 1
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr()
    rfonts = normal.element.rPr.find(qn("w:rFonts"))
    rfonts.set(qn("w:eastAsia"), look.body_font)
    sec = doc.sections[0]
    page_setup(sec)
    add_page_number_footer(sec, FOOTERS.get(rep.stem, "dash"))
    body(doc)
    doc.save(path)
    normalise_zip(path)


def normalise_zip(path: Path) -> None:
    """Fixed timestamps inside the package so reruns give the same bytes."""
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def to_pdf(docx_path: Path) -> Path:
    profile = Path(tempfile.mkdtemp(prefix="lo_holdout3_"))
    try:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(docx_path.parent), str(docx_path)],
                       check=True, capture_output=True, timeout=240)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return docx_path.with_suffix(".pdf")


def expected(rep: Report, filename: str) -> dict:
    apps = {r: {c: parse_cell(v) for c, v in zip(APPLICANTS, vals)} for r, vals in rep.apps.items()}
    appeals = {p: {o: parse_cell(rep.appeals[5 * i + j]) for j, o in enumerate(OUTCOMES)}
               for i, p in enumerate(PROCEEDINGS)}
    active = []
    for item, _, rows, metrics in ACTIVE[rep.version]:
        for rcode, _ in rows:
            for mcode, _ in metrics:
                active.append({"item": item, "row": rcode, "metric": mcode,
                               "value": parse_cell(rep.active[(rcode, mcode)], (item, mcode) in DECIMAL_METRICS)})
    return {
        "file": filename,
        "agency": rep.agency,
        "region": rep.region,
        "year": rep.year,
        "version": rep.version,
        "notes": rep.notes,
        "applications": apps,
        "appeals": appeals,
        "active": active,
        "expected_flags": compute_flags(rep.year, rep.version, apps, appeals),
        "expected_status": "ok",
    }


def main(argv: list[str]) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    no_pdf = "--no-pdf" in argv
    for build in BUILDERS:
        rep, body, look = build()
        assert list(rep.apps) == application_rows(rep.single_other)
        docx_path = OUT / f"{rep.stem}.docx"
        make_docx(rep, body, look, docx_path)
        names = [docx_path.name]
        if not no_pdf:
            names.append(to_pdf(docx_path).name)
        for name in names:
            data = expected(rep, name)
            (OUT / f"{name}.expected.json").write_text(
                json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        flags = expected(rep, names[0])["expected_flags"]
        print(f"{rep.stem}: {', '.join(names)}; flags {[(f['rule'], f['subject']) for f in flags]}")
    return 0


if __name__ == "__main__":
    os.chdir(HERE)
    sys.exit(main(sys.argv[1:]))
