"""The page-break regression corpus: complete v2019 and v2021 reports whose section 三 table breaks
over a page after every one of its rows, in every way Word, WPS and LibreOffice print it, and whose
section 四 header breaks between its rows; with the exact values every cell must read.

    python tests/extract/files/pdf/make_break_corpus.py OUT_DIR   # writes the PDFs and expected JSON

The tests (tests/unit/extract/test_layout.py) generate the corpus in a temporary folder (it takes
a second; nothing is committed). Layouts of the continued part (`LAYOUTS`):

- ``bare``: the table simply goes on (its header only on the first page);
- ``header``: the three header rows repeated on the next page (Word's "repeat header rows");
- ``mark``: a 续表 line above the continued part;
- ``split``: the row before the break is itself split: its label runs on below the break, its
  numbers stay above.

Every page has a running head and a page number (— N —) between the parts. A merged cell the break
crosses (三、本年度办理结果, （三）不予公开 …, the header corner) is drawn as two boxes, its text
divided at the break as the office programs print it (set from the top of the cell in the v2021
documents, centred in the v2019 ones, so a group label may stand wholly above or below the break). Values are all different, so
a shifted row or column shows. Standard library only (the PDF writer of make_pdf_fixtures.py).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_pdf_fixtures import (  # noqa: E402  (the writer beside this file)
    CELL,
    LEFT,
    NOTE,
    RIGHT,
    TITLE,
    XS_APPS,
    Canvas,
    TCell,
    centered,
    draw_table,
    grid,
    heading,
    paragraph,
    text_width,
    wrap,
    write_pdf,
)

LAYOUTS = ("bare", "header", "mark", "split")
APPLICANT_CODES = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                   "legal_service_org", "other_org", "total"]
APPLICANT_LABELS = ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
WITHHELD = [("withheld_state_secret", "属于国家秘密"), ("withheld_prohibited_by_law", "其他法律行政法规禁止公开"),
            ("withheld_security_stability", "危及“三安全一稳定”"), ("withheld_third_party", "保护第三方合法权益"),
            ("withheld_internal_affairs", "属于三类内部事务信息"), ("withheld_process_info", "属于四类过程性信息"),
            ("withheld_enforcement_file", "属于行政执法案卷"), ("withheld_admin_query", "属于行政查询事项")]
UNAVAILABLE = [("unavailable_not_held", "本机关不掌握相关政府信息"),
               ("unavailable_needs_creation", "没有现成信息需要另行制作"),
               ("unavailable_unclear", "补正后申请内容仍不明确")]
REJECTED = [("rejected_petition", "信访举报投诉类申请"), ("rejected_duplicate", "重复申请"),
            ("rejected_publication", "要求提供公开出版物"), ("rejected_excessive", "无正当理由大量反复申请"),
            ("rejected_confirmation", "要求行政机关确认或重新出具已获取信息")]
OTHER_V2021 = [("other_no_correction", "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
               ("other_fee_unpaid", "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
               ("other_misc", "其他")]
OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
OUTCOME_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
PROCEEDINGS = ["review", "litigation_direct", "litigation_after_review"]
HEADER_ROWS = 3
STEP = 1.25  # line pitch in a cell, in type sizes (draw_table's)
PAGE_TOP, PAGE_BOTTOM = 60.0, 780.0
XS_APPEALS = [LEFT + i * (RIGHT - LEFT) / 15 for i in range(16)]


@dataclass(frozen=True)
class Case:
    """One document of the corpus: the template version, where the break falls and how the
    continued part looks. `t3_break` is the number of section 三 rows before the break (None: no
    break in section 三); `t4_break` the same for section 四."""

    version: str
    layout: str
    t3_break: int | None
    t4_break: int | None = None

    @property
    def name(self) -> str:
        t3 = f"t3_{self.t3_break:02d}" if self.t3_break is not None else "t3_none"
        t4 = f"_t4_{self.t4_break}" if self.t4_break is not None else ""
        return f"break_{self.version}_{self.layout}_{t3}{t4}.pdf"


def cases() -> list[Case]:
    """Section 三 broken after every row (from the first header row to the last but one) in every
    layout that makes sense there (a repeated header only once the header is complete), both
    versions; section 四 broken after each of its header rows, both versions."""
    out = []
    for version in ("v2021", "v2019"):
        n_rows = len(application_rows(version)) + HEADER_ROWS
        for k in range(1, n_rows):
            for layout in LAYOUTS:
                if layout in ("header", "split") and k <= HEADER_ROWS:
                    continue  # no header to repeat yet / a header row has no numbers to keep above
                out.append(Case(version, layout, k))
        for k in (1, 2, 3):
            out.append(Case(version, "bare", None, k))
    return out


def application_rows(version: str) -> list[tuple[str, str | None, str, int]]:
    """(row code, group code or None, label, label colspan) of section 三's data rows, in order."""
    rows: list[tuple[str, str | None, str, int]] = [
        ("received", None, "一、本年新收政府信息公开申请数量", 3), ("carried_in", None, "二、上年结转政府信息公开申请数量", 3),
        ("granted", "results", "（一）予以公开", 2),
        ("partly_granted", "results", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", 2)]
    groups = [("withheld", WITHHELD), ("unavailable", UNAVAILABLE), ("rejected", REJECTED)]
    if version == "v2021":
        groups.append(("other", OTHER_V2021))
    for group, members in groups:
        rows += [(code, group, f"{i}.{label}", 1) for i, (code, label) in enumerate(members, start=1)]
    if version == "v2019":
        rows.append(("other_handling", "results", "（六）其他处理", 2))
    rows += [("results_total", "results", "（七）总计", 2), ("carried_out", None, "四、结转下年度继续办理", 3)]
    return rows


GROUP_LABELS = {"withheld": "（三）不予公开", "unavailable": "（四）无法提供", "rejected": "（五）不予处理",
                "other": "（六）其他处理"}


def application_values(version: str) -> dict[str, dict[str, int]]:
    """Every cell a different number, adding up as the template says: each total the sum of the
    six applicants, 总计 the sum of the results, 新收 + 结转 = 总计 + 结转下年度."""
    rows = application_rows(version)
    out: dict[str, list[int]] = {}
    for i, (code, *_rest) in enumerate(rows):
        out[code] = [(i * 7 + j * 3 + (1 if version == "v2019" else 0)) % 23 for j in range(6)]
    results = [code for code, group, _label, _span in rows if group is not None and code != "results_total"]
    out["results_total"] = [sum(out[code][j] for code in results) for j in range(6)]
    out["carried_in"] = [j % 3 for j in range(6)]
    out["received"] = [out["results_total"][j] + out["carried_out"][j] - out["carried_in"][j] for j in range(6)]
    return {code: dict(zip(APPLICANT_CODES, [*six, sum(six)])) for code, six in out.items()}


def appeal_values(version: str) -> dict[str, dict[str, int]]:
    out = {}
    for p, proceeding in enumerate(PROCEEDINGS):
        four = [(p * 5 + j * 2 + (1 if version == "v2019" else 0)) % 9 for j in range(4)]
        out[proceeding] = dict(zip(OUTCOMES, [*four, sum(four)]))
    return out


# -- the logical tables ------------------------------------------------------------------------


def applications_table(version: str) -> tuple[list[TCell], int]:
    """Section 三 as source cells on its grid (10 columns), and its number of rows."""
    cells = [TCell(0, 0, NOTE, 3, 3), TCell(0, 3, "申请人情况", 1, 7), TCell(1, 3, "自然人", 2, 1),
             TCell(1, 4, "法人或其他组织", 1, 5), TCell(1, 9, "总计", 2, 1)]
    cells += [TCell(2, 4 + i, label) for i, label in enumerate(APPLICANT_LABELS)]
    rows = application_rows(version)
    values = application_values(version)
    first_result = next(i for i, row in enumerate(rows) if row[1] is not None)
    last_result = max(i for i, row in enumerate(rows) if row[1] is not None)
    cells.append(TCell(HEADER_ROWS + first_result, 0, "三、本年度办理结果", last_result - first_result + 1, 1))
    seen: set[str] = set()
    for i, (code, group, label, span) in enumerate(rows):
        r = HEADER_ROWS + i
        if group not in (None, "results") and group not in seen:
            seen.add(group)
            size = sum(1 for row in rows if row[1] == group)
            cells.append(TCell(r, 1, GROUP_LABELS[group], size, 1))
        cells.append(TCell(r, 3 - span, label, 1, span))
        cells += [TCell(r, 3 + j, str(values[code][a])) for j, a in enumerate(APPLICANT_CODES)]
    return cells, HEADER_ROWS + len(rows)


def appeals_table(version: str) -> tuple[list[TCell], int]:
    cells = [TCell(0, 0, "行政复议", 1, 5), TCell(0, 5, "行政诉讼", 1, 10)]
    cells += [TCell(1, j, label, 2, 1) for j, label in enumerate(OUTCOME_LABELS)]
    cells += [TCell(1, 5, "未经复议直接起诉", 1, 5), TCell(1, 10, "复议后起诉", 1, 5)]
    cells += [TCell(2, 5 + j, label) for j, label in enumerate(OUTCOME_LABELS * 2)]
    values = appeal_values(version)
    cells += [TCell(3, 5 * p + j, str(values[proceeding][o]))
              for p, proceeding in enumerate(PROCEEDINGS) for j, o in enumerate(OUTCOMES)]
    return cells, 4


def row_heights(cells: list[TCell], n_rows: int, xs: list[float]) -> list[float]:
    """Each row tall enough for the wrapped text of its one-row cells."""
    heights = [CELL * STEP + 4] * n_rows
    for c in cells:
        if c.rowspan == 1 and c.text:
            lines = len(wrap(c.text, xs[c.col + c.colspan] - xs[c.col] - 4, CELL))
            heights[c.row] = max(heights[c.row], lines * CELL * STEP + 4)
    return heights


# -- a table over a page break -----------------------------------------------------------------


def _divide(text: str, width: float, heights: list[float], upper_rows: int, centred: bool) -> tuple[str, str]:
    """A merged cell's text divided between its box above the break and its box below: the lines
    that stand above the break, set from the top of the cell, or centred in it (as v2019 reports
    here are)."""
    lines = wrap(text, width - 4, CELL) if text else []
    pitch = CELL * STEP
    start = (sum(heights) - len(lines) * pitch) / 2 if centred else 2.0
    above = sum(heights[:upper_rows])
    fit = sum(1 for i in range(len(lines)) if start + (i + 1) * pitch <= above + 0.01)
    return "".join(lines[:fit]), "".join(lines[fit:])


def _halves(text: str) -> tuple[str, str]:
    """A split row's label: the first half above the break, the rest below."""
    cut = max(1, len(text) // 2)
    return text[:cut], text[cut:]


def pieces(cells: list[TCell], heights: list[float], xs: list[float], k: int, layout: str, centred: bool
           ) -> tuple[list[TCell], list[float], list[TCell], list[float]]:
    """The table's part above the break (rows < k) and below it, each as cells on its own grid
    with its row heights. With ``split`` the row k-1 goes on below the break (its label's rest,
    its number boxes empty); with ``header`` the header rows open the part below."""
    carry = 1 if layout == "split" else 0
    offset = HEADER_ROWS if layout == "header" else 0
    upper: list[TCell] = []
    lower = [replace(c) for c in cells if c.row + c.rowspan <= HEADER_ROWS] if offset else []
    lower_heights = heights[:offset] + [CELL * STEP + 4] * carry + heights[k:]
    for c in cells:
        end = c.row + c.rowspan
        if c.row >= k:
            lower.append(replace(c, row=c.row - k + offset + carry))
            continue
        if end < k or (end == k and not carry):
            upper.append(replace(c))
            continue
        # The cell shows on both sides of the break: a merged cell the break crosses, or a cell of
        # the split row.
        if end == k and c.rowspan == 1:
            above, below = (c.text, "") if c.text.isdigit() else _halves(c.text)
        else:
            above, below = _divide(c.text, xs[c.col + c.colspan] - xs[c.col], heights[c.row:end], k - c.row,
                                   centred)
        upper.append(replace(c, text=above, rowspan=k - c.row))
        lower.append(replace(c, text=below, row=offset, rowspan=end - k + carry))
    return upper, heights[:k], lower, lower_heights


# -- documents ---------------------------------------------------------------------------------


def running_head(page: Canvas, version: str) -> None:
    text = f"测试县分页测试局{2022 if version == 'v2021' else 2020}年度报告"
    page.text(RIGHT - text_width(text, 9), 36, text, 9)
    page.line(LEFT, 48, RIGHT, 48)


def footer(page: Canvas, number: int) -> None:
    text = f"— {number} —"
    page.text((595 - text_width(text, 10.5)) / 2, 800, text, 10.5)


def draw_broken(pages: list[Canvas], top: float, cells: list[TCell], n_rows: int, xs: list[float],
                k: int | None, layout: str, centred: bool) -> float:
    """Draw a table from `top` on the last page; broken after k rows onto a new page (None: whole,
    on a new page when it does not fit). Returns where the table ends on the last page."""
    heights = row_heights(cells, n_rows, xs)
    if k is None:
        if top + sum(heights) > PAGE_BOTTOM:
            pages.append(Canvas())
            top = PAGE_TOP + 10
        return draw_table(pages[-1], xs, top, heights, cells)
    upper, upper_h, lower, lower_h = pieces(cells, heights, xs, k, layout, centred)
    if top + sum(upper_h) > PAGE_BOTTOM:
        pages.append(Canvas())
        top = PAGE_TOP + 10
    # The part above the break ends at the page's foot, as a table the page break cut does.
    draw_table(pages[-1], xs, max(top, PAGE_BOTTOM - sum(upper_h)), upper_h, upper)
    pages.append(Canvas())
    top = PAGE_TOP + 10
    if layout == "mark":
        pages[-1].text(LEFT, top, "（续表）", CELL)
        top += CELL * 1.6
    return draw_table(pages[-1], xs, top, lower_h, lower)


def build(case: Case, out: Path) -> dict:
    """Write the case's PDF into `out`; returns its expected values (the corpus format)."""
    year = 2022 if case.version == "v2021" else 2020
    agency = "测试县分页测试局"
    title = f"{agency}{year}年政府信息公开工作年度报告"
    pages = [Canvas()]
    top = centered(pages[0], title, 70, TITLE) + 10
    top = heading(pages[0], "一、总体情况", top)
    top = paragraph(pages[0], f"{year}年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，"
                              "依法做好政府信息公开工作。", top)
    top = heading(pages[0], "三、收到和处理政府信息公开申请情况", top)
    t3, n3 = applications_table(case.version)
    if case.t3_break is not None:
        pages.append(Canvas())  # section 三 starts on page 2 and breaks onto page 3
        top = PAGE_TOP + 10
    centred = case.version == "v2019"
    top = draw_broken(pages, top, t3, n3, XS_APPS, case.t3_break, case.layout, centred) + 16
    if top > PAGE_BOTTOM - 60:
        pages.append(Canvas())
        top = PAGE_TOP + 10
    top = heading(pages[-1], "四、政府信息公开行政复议、行政诉讼情况", top)
    t4, n4 = appeals_table(case.version)
    if case.t4_break is not None:
        top = max(top, PAGE_BOTTOM - 60)  # section 四 starts at a page's foot
    top = draw_broken(pages, top, t4, n4, XS_APPEALS, case.t4_break, "bare", centred) + 16
    if top > PAGE_BOTTOM - 40:
        pages.append(Canvas())
        top = PAGE_TOP + 10
    paragraph(pages[-1], "五、存在的主要问题及改进情况", top, indent=2)
    for number, page in enumerate(pages, start=1):
        running_head(page, case.version)
        footer(page, number)
    write_pdf(out / case.name, pages)
    return {"file": case.name, "expected_status": "ok", "agency": agency, "year": year, "version": case.version,
            "applications": application_values(case.version), "appeals": appeal_values(case.version),
            "pages": len(pages)}


def expected_grids(version: str) -> tuple[dict, dict]:
    """The logical section 三 and 四 tables, {"cells", "merged"} as in the reader fixtures."""
    t3, n3 = applications_table(version)
    t4, n4 = appeals_table(version)
    return grid(t3, n3, 10), grid(t4, n4, 15)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("break_corpus")
    out.mkdir(parents=True, exist_ok=True)
    for case in cases():
        spec = build(case, out)
        (out / case.name.replace(".pdf", ".expected.json")).write_text(
            json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases())} PDFs to {out}")


if __name__ == "__main__":
    main()
