#!/usr/bin/env python3
"""Generate the Word-format reader fixtures in ``tests/extract/files/office/``.

Six synthetic 政府信息公开工作年度报告 written as DOCX the way Word writes them (w:vMerge/w:gridSpan
merged cells, runs split at script changes, bookmarks, content controls, list numbering, tracked
changes, a nested layout table, narrow and wide label columns, header rows repeated across pages),
each with a ``<stem>.expected.json`` in the shape of ``data/samples``. LibreOffice then converts each
to ``.doc`` and ``.pdf``, one ``.doc`` is copied as ``.wps``, and the pages of two PDFs are rendered as
PNG images for OCR. Derived files have ``<file>.expected.json`` beside them (``x.doc.expected.json``).

    .venv/bin/python scripts/make_office_fixtures.py             # everything (needs soffice)
    .venv/bin/python scripts/make_office_fixtures.py --docx-only # DOCX + JSON only

Numbers, labels and narrative come from ``scripts/make_samples.py`` (same generator, same
deterministic seeds); nothing is imported from nianbao, so the fixtures stay an independent yardstick.
The DOCX files are byte-for-byte reproducible; the LibreOffice outputs carry timestamps.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_samples as ms  # the sample generator: numbers, labels, narrative

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "extract" / "files" / "office"
NS = nsdecls("w", "r")
ZIP_TIME = (2023, 1, 16, 9, 30, 0)

# A4 with the margins of GB/T 9704 official documents (text block 156 mm x 225 mm).
PAGE = {"w": 11906, "h": 16838, "top": 2098, "bottom": 1984, "left": 1588, "right": 1474}
TEXT_WIDTH = PAGE["w"] - PAGE["left"] - PAGE["right"]

BODY_FONT, HEADING_FONT, SUBHEADING_FONT = "仿宋_GB2312", "黑体", "楷体_GB2312"
TITLE_FONT, TABLE_FONT, LATIN_FONT = "方正小标宋简体", "宋体", "Times New Roman"
CN_NUMERALS = "一二三四五六七八九十"


# ----------------------------------------------------------------------------- how each file looks
@dataclass
class Look:
    """Word-level presentation of one document (the content comes from make_samples.Doc)."""

    narrow_labels: bool = False  # section 三 label columns squeezed: labels wrap, 三、本年度办理结果 one char a line
    table_size: int = 18  # half-points: 9 pt (小五) or 10.5 pt (五号, 21)
    row_height: int = 0  # twips, 0 = auto
    header_repeat: bool = True  # w:tblHeader on the header rows of section 三 and 四
    title_lines: tuple[str, ...] = ()  # the title split by w:br (empty: one line)
    title_sdt: bool = False  # title inside a content control
    numbered_headings: bool = False  # 一、 and （一） from numbering.xml, not typed
    numbered_cells: bool = False  # 1. 2. … of the section 三 sub-rows from numbering.xml
    separate_lists: bool = False  # one w:abstractNum per group instead of w:startOverride restarts
    nested_t3: bool = False  # section 三 inside a two-column layout table
    t4_sdt: bool = False  # section 四 table inside a content control
    tracked: dict = field(default_factory=dict)  # display key -> deleted old text (tracked change)
    tracked_text: bool = False  # a tracked insertion and deletion in the narrative
    hyperlink: bool = False  # the site name in the narrative is a hyperlink
    label_breaks: dict = field(default_factory=dict)  # label -> label with "\n" (w:br) inside
    extra_paragraphs: tuple[str, ...] = ()  # more narrative in section 一 (a longer report)
    author: str = "Administrator"
    core_title: str | None = None  # docProps/core.xml title (None: the real title)
    created: str = "2023-01-09T08:12:00Z"
    modified: str = "2023-01-16T09:30:00Z"


@dataclass
class Fixture:
    doc: ms.Doc
    look: Look
    pdf: bool = True
    png: bool = False
    doc_copy: bool = True  # also write a .doc (LibreOffice) with its expected JSON
    wps_copy: bool = False


def fixtures() -> list[Fixture]:
    L = ms.L
    out: list[Fixture] = []
    out.append(Fixture(ms.Doc(
        name="wuyang_wsjkw_2021.docx", fmt="docx", agency="舞阳县卫生健康委员会", region="河南省漯河市舞阳县",
        category="卫生健康", year=2021, version="v2021", kind="dept", we="我委",
        title="舞阳县卫生健康委员会2021年政府信息公开工作年度报告", signed="2022-01-20",
        summary="Word layout: wide label columns, vMerge group labels, gridSpan headers, title in a content "
                "control, section 二 as one table with item rows spanning four columns",
        profile={"natural": (10, 35), "org": 1, "licensing": (300, 1500), "penalties": (10, 90),
                 "coercion": (0, 3), "fees": 0},
        notes=["DOCX written like Word: merged cells as w:vMerge restart/continue and w:gridSpan",
               "title paragraph inside a block-level content control (w:sdt)",
               "section 二 is one four-column table whose 第二十条第（X）项 rows span all columns",
               "wide label columns (the table fits on one page in the PDF)"]),
        Look(title_sdt=True, created="2022-01-12T02:40:00Z", modified="2022-01-20T07:05:00Z"),
        png=True))
    out.append(Fixture(ms.Doc(
        name="hongze_jtysj_2019.docx", fmt="docx", agency="淮安市洪泽区交通运输局", region="江苏省淮安市洪泽区",
        category="交通运输", year=2019, version="v2019", kind="dept", we="我局",
        title="淮安市洪泽区交通运输局2019年政府信息公开工作年度报告", signed="2020-01-17",
        summary="v2019; narrow label columns (group labels one character per line, row labels wrap); "
                "line breaks typed inside labels; two-line title; section 二 as five small tables",
        labels=L(over={("row", "partly_granted"): "（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）"}),
        t2_split=True,
        profile={"natural": (10, 40), "org": 2, "licensing": (200, 900), "penalties": (30, 300),
                 "coercion": (0, 20), "procurement_text": "112.6万元"},
        notes=["narrow label columns: 三、本年度办理结果 and the group labels wrap to one or two characters a line",
               "line breaks typed inside labels (w:br): 三、本年度 / 办理结果; （二）部分公开 as two paragraphs",
               "title printed on two lines with a w:br between agency and year",
               "v2019 section 二 as five separate small tables; 采购总金额 written 112.6万元"]),
        Look(narrow_labels=True, title_lines=("淮安市洪泽区交通运输局", "2019年政府信息公开工作年度报告"),
             label_breaks={"三、本年度办理结果": "三、本年度\u2028办理结果"}, author="dell",
             created="2020-01-10T01:00:00Z", modified="2020-01-17T03:20:00Z"),
        png=True, wps_copy=True))
    out.append(Fixture(ms.Doc(
        name="pingwu_scjgj_2022.docx", fmt="docx", agency="平武县市场监督管理局", region="四川省绵阳市平武县",
        category="市场监督管理", year=2022, version="v2021", kind="dept", we="我局",
        title="平武县市场监督管理局2022年政府信息公开工作年度报告", signed="2023-01-13",
        summary="section 三 table nested in a two-column layout table (heading, unit line and note in its cells)",
        profile={"natural": (15, 50), "org": 2, "licensing": (600, 2500), "penalties": (40, 300),
                 "coercion": (0, 12), "fees": 0},
        notes=[("section 三's heading, a 单位：件 line, the data table and a note sit inside an outer "
               "two-column layout table (a table in a table cell)")]),
        Look(nested_t3=True, author="微软用户", created="2023-01-05T06:00:00Z", modified="2023-01-13T08:45:00Z")))
    out.append(Fixture(ms.Doc(
        name="laifeng_zrzyhghj_2020.docx", fmt="docx", agency="来凤县自然资源和规划局",
        region="湖北省恩施土家族苗族自治州来凤县", category="自然资源", year=2020, version="v2019", kind="dept",
        we="我局", title="来凤县自然资源和规划局2020年政府信息公开工作年度报告", signed="2021-01-26",
        summary="long report: tables cross pages with repeated header rows; headings numbered by Word's list "
                "numbering; stale core title naming 2019",
        profile={"natural": (20, 60), "org": 2, "licensing": (100, 600), "penalties": (10, 80),
                 "coercion": (0, 6), "procurement_text": "356.8"},
        notes=["section headings 一、…六、 and sub-headings （一）…（五） come from numbering.xml (not in the text)",
               "10.5 pt table text and tall rows: section 三 runs over two pages, header rows repeated (w:tblHeader)",
               "docProps/core.xml still carries last year's title (…2019年…): the body title is right",
               "extra narrative paragraphs in section 一 make the report five pages long"]),
        Look(numbered_headings=True, table_size=21, row_height=420, core_title=(
            "来凤县自然资源和规划局2019年政府信息公开工作年度报告"),
            extra_paragraphs=EXTRA_PARAGRAPHS, created="2020-01-14T00:30:00Z", modified="2021-01-26T02:10:00Z")))
    out.append(Fixture(ms.Doc(
        name="cangnan_rsj_2022.docx", fmt="docx", agency="苍南县人力资源和社会保障局", region="浙江省温州市苍南县",
        category="人力资源和社会保障", year=2022, version="v2021", kind="dept", we="我局",
        title="苍南县人力资源和社会保障局2022年政府信息公开工作年度报告", signed="2023-01-18",
        summary="1. 2. … numbering of section 三 sub-rows generated by Word (restarting per group); "
                "（一）予以公开 总计 mistyped",
        mutate=ms.mutate_t3_row_total,
        intended_flags=[("T3_ROW_TOTAL", "error", "granted"), ("T3_RESULTS_SUM", "error", "total")],
        profile={"natural": (20, 60), "org": 2, "licensing": (1500, 5000), "penalties": (0, 30),
                 "coercion": (0, 0), "fees": 0},
        notes=[("the 1. 2. 3. before the sub-row labels of （三）…（六） are Word list numbering, restarted "
               "for each group (w:num with w:startOverride)"),
               "the 总计 of （一）予以公开 is 10 too high (T3_ROW_TOTAL, and T3_RESULTS_SUM on 总计)"]),
        Look(numbered_cells=True, created="2023-01-11T01:15:00Z", modified="2023-01-18T06:50:00Z")))
    out.append(Fixture(ms.Doc(
        name="xihu_jyj_2023.docx", fmt="docx", agency="杭州市西湖区教育局", region="浙江省杭州市西湖区",
        category="教育", year=2023, version="v2021", kind="dept", we="我局",
        title="杭州市西湖区教育局2023年政府信息公开工作年度报告", signed="2024-01-22", blank_zero=True,
        summary="tracked changes left in (deleted and inserted values), zeros left blank, a hyperlink, "
                "section 四 in a content control",
        profile={"natural": (20, 70), "org": 1, "licensing": (50, 300), "penalties": (0, 0), "coercion": (0, 0),
                 "fees": 0, "appeals": 2},
        notes=[("unaccepted tracked changes: two section 三 cells show a deleted old value (w:del) next to the "
               "inserted new one (w:ins); only the new value counts"),
               "a tracked insertion and deletion in the narrative",
               "every zero is a blank cell (NULL)", "the site name in section 一 is a hyperlink",
               "section 四 table wrapped in a block-level content control (w:sdt)"]),
        Look(tracked={("app", "received", "natural_person"): "+3", ("app", "granted", "natural_person"): "+1"},
             tracked_text=True, hyperlink=True, t4_sdt=True, author="xhjyj",
             created="2024-01-15T02:00:00Z", modified="2024-01-22T08:00:00Z")))
    return out


EXTRA_PARAGRAPHS = (
    "（六）重点领域信息公开",
    ("围绕国土空间规划编制、土地征收、耕地保护、矿产资源管理等重点领域，全面公开征地批复文件、征收土地预公告、"
     "征地补偿安置方案和补偿标准，做到征地信息公开全覆盖。全年在门户网站发布征收土地预公告、征地补偿安置公告等"
     "各类公告，公开建设用地批准文件，及时回应被征地群众关切。"),
    ("及时公开不动产登记办事指南、收费标准和办理时限，实行“一窗受理、集成服务”，推行不动产登记与水电气网联动"
     "过户，在政务服务大厅和门户网站同步公开办件结果，方便企业和群众查询。"),
    ("按照国土空间规划“多规合一”要求，对乡镇国土空间规划、村庄规划批前公示和批后公告进行集中公开，"
     "公示期间通过现场张贴、网站发布等方式广泛听取群众意见，对群众提出的意见建议逐条研究、及时反馈。"),
    "（七）政策解读和回应关切",
    ("坚持政策文件与解读材料同步组织、同步审签、同步部署，对本单位制发的规范性文件全部进行解读，采用文字解读、"
     "图表图解、问答等形式，增强政策解读的针对性和可读性。对涉及群众切身利益的热点问题，通过门户网站、"
     "政务新媒体及时发布权威信息，主动回应社会关切，全年未发生因信息公开不及时引发的负面舆情。"),
    ("加强政务舆情监测和研判，建立舆情收集、研判、处置、回应联动机制，对重要政务舆情做到早发现、早研判、"
     "早处置，全年回应群众关切问题，回应率达到百分之百。"),
)


# ----------------------------------------------------------------------------- XML pieces
def _t(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() or "  " in text else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def rpr(font: str, size: int, bold: bool = False, latin: bool = False) -> str:
    fonts = (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" w:eastAsia="{font}"/>' if latin
             else f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}"/>')
    b = "<w:b/><w:bCs/>" if bold else ""
    lang = '<w:lang w:val="en-US" w:eastAsia="zh-CN"/>' if latin else ""
    return f"<w:rPr>{fonts}{b}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>{lang}</w:rPr>"


_SCRIPT_SPLIT = re.compile(r"([0-9A-Za-z.%+\-/:()]+)")


def runs(text: str, font: str, size: int, bold: bool = False, split_at: int = 0) -> str:
    """Word-like runs: Latin digits in their own Times New Roman runs, long Chinese runs split in two
    (as Word leaves them after edits), a proofing mark before some numbers."""
    out = []
    for k, piece in enumerate(_SCRIPT_SPLIT.split(text)):
        if not piece:
            continue
        latin = k % 2 == 1
        if latin:
            out.append(f"<w:r>{rpr(font, size, bold, latin=True)}{_t(piece)}</w:r>")
        elif split_at and len(piece) > split_at * 2:
            cut = split_at + (len(piece) % split_at)
            out.append(f"<w:r>{rpr(font, size, bold)}{_t(piece[:cut])}</w:r>")
            out.append('<w:proofErr w:type="gramStart"/>')
            out.append(f"<w:r>{rpr(font, size, bold)}{_t(piece[cut:])}</w:r>")
            out.append('<w:proofErr w:type="gramEnd"/>')
        else:
            out.append(f"<w:r>{rpr(font, size, bold)}{_t(piece)}</w:r>")
    return "".join(out)


def ppr(jc: str | None = None, first_line: bool = False, line: int = 560, keep_next: bool = False,
        numpr: tuple[int, int] | None = None, before: int = 0, after: int = 0, style: str | None = None,
        grid: bool = True) -> str:
    parts = []
    if style:
        parts.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        parts.append("<w:keepNext/>")
    if numpr:
        parts.append(f'<w:numPr><w:ilvl w:val="{numpr[1]}"/><w:numId w:val="{numpr[0]}"/></w:numPr>')
    if not grid:
        parts.append('<w:snapToGrid w:val="0"/>')
    parts.append(f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="exact"/>')
    if first_line:
        parts.append('<w:ind w:firstLineChars="200" w:firstLine="640"/>')
    if jc:
        parts.append(f'<w:jc w:val="{jc}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


def paragraph(inner: str, **kw) -> str:
    return f"<w:p {NS}>{ppr(**kw)}{inner}</w:p>"


# ----------------------------------------------------------------------------- tables
def placements(table: ms.Table) -> dict[tuple[int, int], tuple[int, int, ms.C]]:
    """(row, col) -> (origin row, origin col, cell) over the whole grid, as browsers lay rowspan out."""
    occupied: dict[tuple[int, int], tuple[int, int, ms.C]] = {}
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    occupied[(r + dr, c + dc)] = (r, c, cell)
            c += cell.cs
    return occupied


def column_widths(ncols: int, look: Look, kind: str) -> list[int]:
    if kind == "t3":
        labels = [420, 560, 1500] if look.narrow_labels else [620, 1000, 2900]
        rest = TEXT_WIDTH - sum(labels)
        return labels + [rest // 7] * 6 + [rest - 6 * (rest // 7)]
    if kind == "t4":
        return [TEXT_WIDTH // 15] * 14 + [TEXT_WIDTH - 14 * (TEXT_WIDTH // 15)]
    first = 2600 if ncols == 4 else 2200
    rest = TEXT_WIDTH - first
    return [first] + [rest // (ncols - 1)] * (ncols - 2) + [rest - (ncols - 2) * (rest // (ncols - 1))]


class CellNumbering:
    """Word list numbering for the 1. 2. … sub-row labels: one w:num per group, restarting at 1."""

    def __init__(self, first_num_id: int) -> None:
        self.next_id = first_num_id
        self.current: int | None = None
        self.used: list[int] = []

    def for_label(self, number: int) -> int:
        if number == 1 or self.current is None:
            self.current = self.next_id
            self.used.append(self.next_id)
            self.next_id += 1
        return self.current


def annotation_id(key: tuple, which: int) -> int:
    """A stable w:id for a tracked change (bookmarks use 1–99, the narrative's changes 801–802)."""
    return 1000 + 2 * (zlib.crc32("|".join(key).encode()) % 10000) + which


_SUBROW_NUMBER = re.compile(r"^(\d)\.")


def cell_content(cell: ms.C, look: Look, doc: ms.Doc, key: tuple | None, numbering: CellNumbering | None,
                 width_twips: int) -> str:
    size = look.table_size
    text = look.label_breaks.get(cell.text, cell.text)
    jc = "center"
    if cell.kind == "value":
        if key is not None and key in look.tracked:
            old = look.tracked[key]
            new = text
            old_text = str(int(new) + int(old)) if old.startswith("+") else old
            return paragraph(
                f'<w:del w:id="{annotation_id(key, 0)}" w:author="{look.author}" w:date="{look.modified}">'
                f'<w:r>{rpr(TABLE_FONT, size, latin=True)}<w:delText>{escape(old_text)}</w:delText></w:r></w:del>'
                f'<w:ins w:id="{annotation_id(key, 1)}" w:author="{look.author}" w:date="{look.modified}">'
                f'<w:r>{rpr(TABLE_FONT, size, latin=True)}{_t(new)}</w:r></w:ins>',
                jc=jc, line=260 if size <= 18 else 300, grid=False)
        inner = runs(text, TABLE_FONT, size) if text else ""
        return paragraph(inner, jc=jc, line=260 if size <= 18 else 300, grid=False)
    numpr = None
    if numbering is not None and cell.kind == "label":
        m = _SUBROW_NUMBER.match(text)
        if m:
            numpr = (numbering.for_label(int(m.group(1))), 0)
            text = text[m.end():]
    if len(text) > 14 and cell.kind == "label" and not numpr:
        jc = "left"
    paragraphs = []
    for line_no, line in enumerate(text.split("\n")):
        pieces = line.split("\u2028")
        inner = "<w:r><w:br/></w:r>".join(runs(piece, TABLE_FONT, size) for piece in pieces)
        paragraphs.append(paragraph(inner, jc=jc, line=260 if size <= 18 else 300, grid=False,
                                    numpr=numpr if line_no == 0 else None))
    return "".join(paragraphs)


def table_xml(table: ms.Table, look: Look, doc: ms.Doc, kind: str, keys: dict | None = None,
              numbering: CellNumbering | None = None, width: int = TEXT_WIDTH) -> str:
    ncols = table.ncols
    widths = column_widths(ncols, look, kind)
    if width != TEXT_WIDTH:
        scale = width / TEXT_WIDTH
        widths = [int(w * scale) for w in widths]
    occupied = placements(table)
    header_rows = {"t3": 3, "t4": 3}.get(kind, 0)
    rows = []
    for r in range(len(table.rows)):
        trpr = []
        if look.header_repeat and r < header_rows:
            trpr.append("<w:tblHeader/>")
        if look.row_height:
            trpr.append(f'<w:trHeight w:val="{look.row_height}"/>')
        trpr.append('<w:jc w:val="center"/>')
        cells = []
        c = 0
        while c < ncols:
            origin_r, origin_c, cell = occupied[(r, c)]
            span_width = sum(widths[origin_c:origin_c + cell.cs])
            props = [f'<w:tcW w:w="{span_width}" w:type="dxa"/>']
            if cell.cs > 1:
                props.append(f'<w:gridSpan w:val="{cell.cs}"/>')
            if cell.rs > 1:
                props.append('<w:vMerge w:val="restart"/>' if origin_r == r else "<w:vMerge/>")
            props.append('<w:vAlign w:val="center"/>')
            if origin_r == r:
                key = keys.get((r, c)) if keys else None
                content = cell_content(cell, look, doc, key, numbering, span_width)
            else:
                content = paragraph("", jc="center", line=260 if look.table_size <= 18 else 300, grid=False)
            cells.append(f"<w:tc><w:tcPr>{''.join(props)}</w:tcPr>{content}</w:tc>")
            c = origin_c + cell.cs
        rows.append(f"<w:tr><w:trPr>{''.join(trpr)}</w:trPr>{''.join(cells)}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    borders = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (f"<w:tbl {NS}><w:tblPr><w:tblW w:w=\"{sum(widths)}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
            f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
            '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            'w:noHBand="0" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def t3_keys(doc: ms.Doc, table: ms.Table) -> dict[tuple[int, int], tuple]:
    """Grid position -> display key of the section 三 value cells (for tracked changes)."""
    keys: dict[tuple[int, int], tuple] = {}
    by_text: dict[str, str] = {}
    for code in doc.rows:
        by_text[doc.labels.row(code, doc.version)] = code
    occupied = placements(table)
    for r in range(len(table.rows)):
        label = next((occupied[(r, c)][2].text for c in range(3) if (r, c) in occupied
                      and occupied[(r, c)][0] == r and occupied[(r, c)][2].kind == "label"
                      and occupied[(r, c)][2].text in by_text), None)
        if label is None:
            continue
        for j, applicant in enumerate(ms.APPLICANTS):
            keys[(r, 3 + j)] = ("app", by_text[label], applicant)
    return keys


# ----------------------------------------------------------------------------- the document
class Builder:
    def __init__(self, fixture: Fixture) -> None:
        self.fx = fixture
        self.doc = fixture.doc
        self.look = fixture.look
        self.word = docx.Document()
        self.body: list[str] = []
        self.bookmark = 0
        self.cell_numbering = CellNumbering(first_num_id=91) if self.look.numbered_cells else None

    # -- paragraphs ---------------------------------------------------------------------------
    def add(self, xml: str) -> None:
        self.body.append(xml)

    def text_paragraph(self, text: str) -> str:
        inner = runs(text, BODY_FONT, 32, split_at=37)
        if self.look.hyperlink and "政府门户网站" in text and not getattr(self, "_linked", False):
            self._linked = True
            rid = self.word.part.relate_to("http://www.hzxh.gov.cn/", RT.HYPERLINK, is_external=True)
            head, tail = text.split("政府门户网站", 1)
            inner = (runs(head, BODY_FONT, 32) + f'<w:hyperlink r:id="{rid}" w:history="1">'
                     + runs("政府门户网站", BODY_FONT, 32) + "</w:hyperlink>" + runs(tail, BODY_FONT, 32))
        if self.look.tracked_text and not getattr(self, "_tracked", False) and "。" in text[:-1]:
            self._tracked = True
            first, rest = text.split("。", 1)
            a = f'w:author="{self.look.author}" w:date="{self.look.modified}"'
            inner = (runs(first + "。", BODY_FONT, 32)
                     + f'<w:del w:id="801" {a}><w:r>{rpr(BODY_FONT, 32)}<w:delText>'
                     f"{escape('（此段待分管领导审核）')}</w:delText></w:r></w:del>"
                     + f'<w:ins w:id="802" {a}>{runs(rest, BODY_FONT, 32)}</w:ins>')
        return paragraph(inner, first_line=True)

    def heading(self, text: str, level: int) -> str:
        font = HEADING_FONT if level == 1 else SUBHEADING_FONT
        numpr = None
        if self.look.numbered_headings:
            pattern = r"^[一二三四五六七八九十]+、" if level == 1 else r"^（[一二三四五六七八九十]+）"
            m = re.match(pattern, text)
            if m:
                numpr = (90, level - 1)
                text = text[m.end():]
        self.bookmark += 1
        name = f"_Toc{123456780 + self.bookmark}"
        inner = (f'<w:bookmarkStart w:id="{self.bookmark}" w:name="{name}"/>' + runs(text, font, 32)
                 + f'<w:bookmarkEnd w:id="{self.bookmark}"/>')
        return paragraph(inner, first_line=True, keep_next=True, numpr=numpr)

    def title(self) -> str:
        lines = self.look.title_lines or (self.doc.title,)
        inner = "<w:r><w:br/></w:r>".join(runs(line, TITLE_FONT, 44) for line in lines)
        xml = paragraph(inner, jc="center", line=700, after=300)
        if self.look.title_sdt:
            xml = (f"<w:sdt {NS}><w:sdtPr><w:alias w:val=\"标题\"/><w:tag w:val=\"title\"/><w:id w:val=\"-1811"
                   "4123\"/></w:sdtPr><w:sdtContent>" + xml.replace(f" {NS}", "", 1) + "</w:sdtContent></w:sdt>")
        return xml

    # -- blocks -------------------------------------------------------------------------------
    def build(self, blocks: list) -> bytes:
        look = self.look
        section = 0
        for kind, val in blocks:
            if kind == "title":
                self.add(self.title())
            elif kind == "h":
                section += 1
                if section == 2 and look.extra_paragraphs:
                    for extra in look.extra_paragraphs:
                        is_sub = extra.startswith("（")
                        self.add(self.heading(extra, 2) if is_sub else self.text_paragraph(extra))
                if section == 3 and look.nested_t3:
                    self._pending_t3_heading = val
                    continue
                self.add(self.heading(val, 1))
            elif kind == "h2":
                self.add(self.heading(val, 2))
            elif kind == "table":
                self.table(val, section)
            elif kind in ("sign", "date"):
                self.add(paragraph(runs(val, BODY_FONT, 32), jc="right"))
            else:
                self.add(self.text_paragraph(val))
        self.add(paragraph(""))
        return self.save()

    def table(self, table: ms.Table, section: int) -> None:
        look = self.look
        if section == 3:
            keys = t3_keys(self.doc, table)
            if look.nested_t3:
                self.add(self.nested_t3(table, keys))
                return
            self.add(table_xml(table, look, self.doc, "t3", keys, self.cell_numbering))
        elif section == 4:
            xml = table_xml(table, look, self.doc, "t4")
            if look.t4_sdt:
                xml = (f"<w:sdt {NS}><w:sdtPr><w:tag w:val=\"table4\"/><w:id w:val=\"20394\"/></w:sdtPr>"
                       "<w:sdtContent>" + xml.replace(f" {NS}", "", 1) + "</w:sdtContent></w:sdt>")
            self.add(xml)
        else:
            self.add(table_xml(table, look, self.doc, "t2"))
        # Word keeps a paragraph between consecutive tables (else it merges them into one).
        self.add(paragraph("", line=240))

    def nested_t3(self, table: ms.Table, keys: dict) -> str:
        """Section 三 as Word users box it: an outer two-column table holding heading, unit and the data table."""
        outer = [1400, TEXT_WIDTH - 1400]
        heading = self.heading(self._pending_t3_heading, 1).replace(f" {NS}", "", 1)
        inner = table_xml(table, self.look, self.doc, "t3", keys, None, width=TEXT_WIDTH - 200)
        inner = inner.replace(f" {NS}", "", 1)
        note = ("注：本表数据统计期限为" + f"{self.doc.year}年1月1日至{self.doc.year}年12月31日，"
                "申请数量以收到申请的件次计算。")

        def tc(w: int, content: str, span: int = 1) -> str:
            gs = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            return f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{gs}</w:tcPr>{content}</w:tc>'

        def p(text: str, jc: str | None = None) -> str:
            return paragraph(runs(text, BODY_FONT, 28), jc=jc, line=400).replace(f" {NS}", "", 1)

        rows = [
            "<w:tr>" + tc(TEXT_WIDTH, heading, 2) + "</w:tr>",
            "<w:tr>" + tc(outer[0], p("单位：件")) + tc(outer[1], p(f"统计时间：{self.doc.year}年度", "right"))
            + "</w:tr>",
            "<w:tr>" + tc(TEXT_WIDTH, inner + p(note), 2) + "</w:tr>",
        ]
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in outer)
        return (f"<w:tbl {NS}><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:tblBorders>"
                '<w:top w:val="double" w:sz="4" w:space="0" w:color="000000"/>'
                '<w:bottom w:val="double" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders>'
                '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000"/></w:tblPr>'
                f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")

    # -- package ------------------------------------------------------------------------------
    def save(self) -> bytes:
        word, look = self.word, self.look
        body = word.element.body
        sect = body.find(qn("w:sectPr"))
        for child in list(body):
            if child is not sect:
                body.remove(child)
        for xml in self.body:
            sect.addprevious(parse_xml(xml))
        self.page_setup(sect)
        self.styles()
        self.numbering()
        self.footer()
        props = word.core_properties
        props.title = look.core_title or self.doc.title
        props.author = look.author
        props.last_modified_by = look.author
        props.comments = ""
        props.subject = ""
        props.keywords = ""
        props.revision = 3
        props.created = _iso(look.created)
        props.modified = _iso(look.modified)
        buffer = io.BytesIO()
        word.save(buffer)
        return _normalize_zip(buffer.getvalue())

    def page_setup(self, sect) -> None:
        for child in list(sect):
            sect.remove(child)
        for xml in (f'<w:pgSz {NS} w:w="{PAGE["w"]}" w:h="{PAGE["h"]}"/>',
                    (f'<w:pgMar {NS} w:top="{PAGE["top"]}" w:right="{PAGE["right"]}" w:bottom="{PAGE["bottom"]}" '
                    f'w:left="{PAGE["left"]}" w:header="851" w:footer="992" w:gutter="0"/>'),
                    f'<w:cols {NS} w:space="425"/>',
                    f'<w:docGrid {NS} w:type="lines" w:linePitch="579"/>'):
            sect.append(parse_xml(xml))

    def styles(self) -> None:
        styles = self.word.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        rpr_default = defaults.find(qn("w:rPrDefault"))
        rpr_default.getparent().remove(rpr_default)
        defaults.insert(0, parse_xml(
            f'<w:rPrDefault {NS}><w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:eastAsia="{TABLE_FONT}" '
            f'w:hAnsi="{LATIN_FONT}" w:cs="{LATIN_FONT}"/><w:kern w:val="2"/><w:sz w:val="21"/>'
            '<w:szCs w:val="22"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr>'
            "</w:rPrDefault>"))

    def numbering(self) -> None:
        if not (self.look.numbered_headings or self.look.numbered_cells):
            return
        numbering = self.word.part.numbering_part.element
        last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
        if self.look.numbered_headings:
            levels = (
                '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>'
                '<w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/>'
                f"</w:pPr>{rpr(HEADING_FONT, 32)}</w:lvl>"
                '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>'
                '<w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/>'
                f"</w:pPr>{rpr(SUBHEADING_FONT, 32)}</w:lvl>")
            last_abstract.addnext(parse_xml(
                f'<w:abstractNum {NS} w:abstractNumId="90"><w:nsid w:val="5A1B2C90"/>'
                f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'))
            numbering.append(parse_xml(f'<w:num {NS} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
        if self.look.numbered_cells:
            # Word's "Restart at 1": one abstract list, one w:num per group with a start override.
            # LibreOffice's .doc export loses those restarts, so the .doc source gives each group
            # an abstract list of its own (which Word also writes).
            separate = self.look.separate_lists
            abstract_ids = [91 + k for k in range(len(self.cell_numbering.used))] if separate else [91]
            for abstract_id in abstract_ids:
                last_abstract = numbering.findall(qn("w:abstractNum"))[-1]
                last_abstract.addnext(parse_xml(
                    f'<w:abstractNum {NS} w:abstractNumId="{abstract_id}"><w:nsid w:val="3C4D5E{abstract_id}"/>'
                    '<w:multiLevelType w:val="singleLevel"/><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                    '<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>'
                    '<w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl></w:abstractNum>'))
            for k, num_id in enumerate(self.cell_numbering.used):
                override = ("" if separate else
                            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>')
                numbering.append(parse_xml(
                    f'<w:num {NS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_ids[k if separate else 0]}"/>'
                    f"{override}</w:num>"))

    def footer(self) -> None:
        footer = self.word.sections[0].footer
        p = footer.paragraphs[0]._p
        for child in list(p):
            p.remove(child)
        r = rpr(LATIN_FONT, 28, latin=True)
        p.append(parse_xml(f'<w:pPr {NS}><w:jc w:val="center"/></w:pPr>'))
        for xml in (f"<w:r {NS}>{r}<w:t xml:space=\"preserve\">— </w:t></w:r>",
                    f'<w:r {NS}>{r}<w:fldChar w:fldCharType="begin"/></w:r>',
                    f'<w:r {NS}>{r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
                    f'<w:r {NS}>{r}<w:fldChar w:fldCharType="separate"/></w:r>',
                    f"<w:r {NS}>{r}<w:t>1</w:t></w:r>",
                    f'<w:r {NS}>{r}<w:fldChar w:fldCharType="end"/></w:r>',
                    f"<w:r {NS}>{r}<w:t xml:space=\"preserve\"> —</w:t></w:r>"):
            p.append(parse_xml(xml))


def _iso(text: str):
    from datetime import datetime

    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def _normalize_zip(data: bytes) -> bytes:
    """The same archive with fixed member timestamps, so the DOCX bytes are reproducible."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return out.getvalue()


# ----------------------------------------------------------------------------- LibreOffice
def soffice_binary() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        sys.exit("LibreOffice is needed for .doc/.pdf output: apt-get install libreoffice-writer-nogui "
                 "fonts-noto-cjk (or run with --docx-only)")
    return found


def convert(soffice: str, source: Path, target_format: str, out_dir: Path, profile: Path) -> tuple[Path, float]:
    start = time.monotonic()
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                    "--convert-to", target_format, "--outdir", str(out_dir), str(source)],
                   check=True, capture_output=True, timeout=300)
    produced = out_dir / (source.stem + "." + target_format.split(":")[0])
    if not produced.exists():
        raise RuntimeError(f"LibreOffice did not write {produced}")
    return produced, time.monotonic() - start


def page_texts(pdf_path: Path) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def render_pages(pdf_path: Path, scale: float) -> list[Path]:
    import pypdfium2

    written = []
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    try:
        for i in range(len(pdf)):
            image = pdf[i].render(scale=scale, grayscale=True).to_pil()
            target = pdf_path.with_name(f"{pdf_path.stem}.p{i + 1}.png")
            image.save(target, optimize=True)
            written.append(target)
    finally:
        pdf.close()
    return written


def table_pages(texts: list[str]) -> dict[str, list[int]]:
    """Pages (1-based) on which each section's table shows, found by text markers of the first and last rows."""
    def squash(text: str) -> str:
        return re.sub(r"\s+", "", text)

    pages = [squash(t) for t in texts]

    def span(first: str, last: str) -> list[int]:
        start = next((i for i, t in enumerate(pages) if first in t), None)
        end = next((i for i in range(len(pages) - 1, -1, -1) if last in pages[i]), None)
        return [] if start is None or end is None else list(range(start + 1, end + 2))

    # 尚未审结 and 申请人情况 are printed only in the tables (the narrative repeats other labels).
    return {"三": span("申请人情况", "结转下年度继续办理"), "四": span("尚未审结", "尚未审结")}


# ----------------------------------------------------------------------------- main
def dump(obj: dict) -> bytes:
    return ms.dump_json(obj)


def generate(out_dir: Path, docx_only: bool) -> list[str]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    timings: list[str] = []
    items = fixtures()
    expected: dict[str, dict] = {}
    blocks_of: dict[str, list] = {}
    for fx in items:
        doc = fx.doc
        ms.finish_numbers(doc, None)
        apps, appeals, active = ms.expected_values(doc)
        exp = ms.expected_json(doc, apps, appeals, active)
        blocks = ms.build_blocks(doc, apps, appeals)
        blocks_of[doc.name] = blocks
        data = Builder(fx).build(blocks)
        (out_dir / doc.name).write_bytes(data)
        (out_dir / ms.expected_name(doc.name)).write_bytes(dump(exp))
        written += [doc.name, ms.expected_name(doc.name)]
        expected[doc.name] = exp
    pdf_pages: dict[str, dict] = {}
    if not docx_only:
        soffice = soffice_binary()
        with tempfile.TemporaryDirectory(prefix="office-fixtures-") as tmp:
            profile = Path(tmp) / "profile"
            for fx in items:
                exp = expected[fx.doc.name]
                stem = Path(fx.doc.name).stem
                if fx.doc_copy:
                    doc_source = write_variant(fx, blocks_of[fx.doc.name], "doc", Path(tmp))
                    made, seconds = convert(soffice, doc_source, "doc", Path(tmp), profile)
                    shutil.copyfile(made, out_dir / f"{stem}.doc")
                    timings.append(f"{stem}.docx -> .doc {seconds:.1f}s")
                    derived(out_dir, exp, f"{stem}.doc", [
                        ("converted from the DOCX by LibreOffice (Word 97-2003 .doc); the reader converts it back "
                        "to DOCX with LibreOffice"), *VARIANT_NOTES["doc"](fx.look)], written)
                    if fx.wps_copy:
                        shutil.copyfile(made, out_dir / f"{stem}.wps")
                        derived(out_dir, exp, f"{stem}.wps", [
                            ("a copy of the .doc under a .wps name: Kingsoft WPS Writer files are Word 97 binaries "
                            "(OLE), and no WPS-made file can be produced here without WPS Office")], written)
                if fx.pdf:
                    pdf_source = write_variant(fx, blocks_of[fx.doc.name], "pdf", Path(tmp))
                    made, seconds = convert(soffice, pdf_source, "pdf", Path(tmp), profile)
                    shutil.copyfile(made, out_dir / f"{stem}.pdf")
                    timings.append(f"{stem}.docx -> .pdf {seconds:.1f}s")
                    texts = page_texts(out_dir / f"{stem}.pdf")
                    where = table_pages(texts)
                    pdf_pages[stem] = {"pages": len(texts), **where}
                    notes = [(f"PDF printed by LibreOffice from the DOCX: {len(texts)} pages; section 三 table on "
                             f"page(s) {where['三']}, section 四 table on page(s) {where['四']}; footer — N — "
                             "on every page"), *VARIANT_NOTES["pdf"](fx.look)]
                    if len(where["三"]) > 1:
                        notes.append("section 三 table continues on the next page"
                                     + (" with its header rows repeated" if fx.look.header_repeat else ""))
                    derived(out_dir, exp, f"{stem}.pdf", notes, written)
                    if fx.png:
                        for png in render_pages(out_dir / f"{stem}.pdf", scale=200 / 72):
                            written.append(png.name)
    if not docx_only:  # the README lists PDF pages, known only after conversion
        (out_dir / "README.md").write_text(readme(items, pdf_pages), encoding="utf-8")
        written.append("README.md")
    for line in timings:
        print(line)
    return written


def variant_look(look: Look, target: str) -> Look:
    """The Word document as it would be saved as .doc or printed to PDF.

    A .doc has no content controls (Word 97 has none; LibreOffice's .doc export turns them into
    duplicated form fields). A PDF is printed without markup: tracked changes accepted.
    """
    if target == "doc":
        return dataclasses.replace(look, title_sdt=False, t4_sdt=False, separate_lists=look.numbered_cells)
    return dataclasses.replace(look, tracked={}, tracked_text=False)


VARIANT_NOTES = {
    "doc": lambda look: (["content controls saved as plain paragraphs and tables (a .doc has none)"]
                         if look.title_sdt or look.t4_sdt else [])
    + (["each group's 1. 2. … list is its own list definition"] if look.numbered_cells else []),
    "pdf": lambda look: ["printed without markup: tracked changes accepted, only the new values show"]
    if look.tracked or look.tracked_text else [],
}


def write_variant(fx: Fixture, blocks: list, target: str, tmp: Path) -> Path:
    variant = Fixture(fx.doc, variant_look(fx.look, target))
    path = tmp / "sources" / target / fx.doc.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(Builder(variant).build(blocks))
    return path


def derived(out_dir: Path, exp: dict, name: str, notes: list[str], written: list[str]) -> None:
    other = copy.deepcopy(exp)
    other["file"] = name
    other["notes"] = list(other["notes"]) + notes
    (out_dir / f"{name}.expected.json").write_bytes(dump(other))
    written += [name, f"{name}.expected.json"]


def readme(items: list[Fixture], pdf_pages: dict[str, dict]) -> str:
    lines = [
        "# Word-format fixtures",
        "",
        ("Generated by `scripts/make_office_fixtures.py` (never edit by hand). Each `<stem>.docx` is written the "
         "way Word writes reports; LibreOffice converted it to `<stem>.doc` and `<stem>.pdf`. Expected values: "
         "`<stem>.expected.json` for the DOCX and `<file>.expected.json` for each derived file (same numbers, "
         "`file` and `notes` differ). `hongze_jtysj_2019.wps` is a copy of the `.doc` under a WPS name "
         "(Kingsoft WPS Writer files are Word 97 binaries; a real WPS file cannot be made without WPS Office). "
         "`<stem>.pN.png` are the PDF's pages rendered at 200 dpi (grayscale) for OCR. The `.doc` is saved from the "
         "DOCX with content controls as plain content and one list definition per restarted list (LibreOffice's "
         ".doc export garbles both); the PDF is printed with tracked changes accepted."),
        "",
        "| stem | layout / trap | version | year | PDF pages | 三 on pages | 四 on pages | PNG |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for fx in items:
        stem = Path(fx.doc.name).stem
        info = pdf_pages.get(stem, {})
        lines.append(f"| {stem} | {fx.doc.summary} | {fx.doc.version} | {fx.doc.year} | {info.get('pages', '–')} | "
                     f"{info.get('三', '–')} | {info.get('四', '–')} | {'yes' if fx.png else '–'} |")
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--docx-only", action="store_true", help="write DOCX and JSON only (no LibreOffice)")
    args = ap.parse_args()
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    names = generate(args.out, args.docx_only)
    print(f"wrote {len(names)} files to {args.out}")


if __name__ == "__main__":
    main()
