"""DOCX reader: merged-cell grids, nesting, reading order and list numbering on small hand-written
documents, then every generated Word report through the pipeline against its expected JSON."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from nianbao.extract import detect_format, read_document
from nianbao.extract.docx import format_number, read_docx
from nianbao.extract.model import Document, ReaderError, Table, TextBlock
from tests.helpers.expected import differences
from tests.paths import OFFICE_FILES

OFFICE = OFFICE_FILES
DOCX_EXPECTED = sorted(p for p in OFFICE.glob("*.expected.json")
                       if json.loads(p.read_text(encoding="utf-8"))["file"].endswith(".docx"))

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/numbering.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
 Target="docProps/core.xml"/>
</Relationships>"""
_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"
 Target="numbering.xml"/>
</Relationships>"""
_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>测试局2019年政府信息公开工作年度报告</dc:title><dc:creator>Administrator</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">2021-01-05T08:00:00Z</dcterms:created>
</cp:coreProperties>"""


def make_docx(body: str, numbering: str = "", core: bool = True, broken_link: bool = False) -> bytes:
    """A minimal Word package around `body` (the inside of w:body); `broken_link` adds a relationship
    to a picture the archive does not hold."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}" '
                'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
                'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
                'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                f'xmlns:v="urn:schemas-microsoft-com:vml"><w:body>{body}<w:sectPr/></w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _ROOT_RELS if core else _ROOT_RELS.replace(
            '<Relationship Id="rId2"', '<!-- ').replace('Target="docProps/core.xml"/>', ' -->'))
        z.writestr("word/document.xml", document)
        rels = _DOCUMENT_RELS if numbering else ""
        if broken_link:
            rels = (rels or _DOCUMENT_RELS).replace("</Relationships>", (
                '<Relationship Id="rId7" Target="media/image1.png" '
                'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"/>'
                "</Relationships>"))
        if rels:
            z.writestr("word/_rels/document.xml.rels", rels)
        if numbering:
            z.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">'
                                             f"{numbering}</w:numbering>")
        if core:
            z.writestr("docProps/core.xml", _CORE)
    return buffer.getvalue()


def p(text: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def tc(text: str = "", span: int = 1, vmerge: str | None = None, hmerge: str | None = None) -> str:
    props = ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    if hmerge is not None:
        props += '<w:hMerge w:val="restart"/>' if hmerge == "restart" else "<w:hMerge/>"
    content = p(text) if text else "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def tbl(*rows: str, grid: int = 0) -> str:
    cols = "".join('<w:gridCol w:w="1000"/>' for _ in range(grid))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{cols}</w:tblGrid>{''.join(rows)}</w:tbl>"


def tr(*cells: str, before: int = 0) -> str:
    trpr = f'<w:trPr><w:gridBefore w:val="{before}"/></w:trPr>' if before else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def grid_of(table: Table) -> list[list[tuple[str, tuple[int, int], int, int]]]:
    return [[(c.text, c.origin, c.rowspan, c.colspan) for c in row] for row in table.rows]


def expected_grid(cells: list[list[str]], merged: list[tuple[int, int, int, int]]):
    """(text, origin, rowspan, colspan) of every position, from the texts and the merged source cells."""
    grid = [[(text, (r, c), 1, 1) for c, text in enumerate(row)] for r, row in enumerate(cells)]
    for row, col, rowspan, colspan in merged:
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                grid[r][c] = (cells[row][col], (row, col), rowspan, colspan)
    return grid


def blocks_summary(doc: Document) -> list[str]:
    return [b.text if isinstance(b, TextBlock) else f"<table {b.index}>" for b in doc.blocks]


# ----------------------------------------------------------------------------- merged cells


def test_word_merged_cells_become_one_cell_with_its_span() -> None:
    """The section 三 corner as Word writes it: vMerge restart/continue with gridSpan, a gridSpan header."""
    body = tbl(
        tr(tc("（本列数据的勾稽关系为：…）", span=3, vmerge="restart"), tc("申请人情况", span=7)),
        tr(tc(span=3, vmerge="continue"), tc("自然人", vmerge="restart"), tc("法人或其他组织", span=5),
           tc("总计", vmerge="restart")),
        tr(tc(span=3, vmerge="continue"), tc(vmerge="continue"), *[tc(t) for t in "甲乙丙丁戊"],
           tc(vmerge="continue")),
        tr(tc("三、本年度办理结果", vmerge="restart"), tc("（一）予以公开", span=2), *[tc(str(i)) for i in range(7)]),
        tr(tc(vmerge="continue"), tc("（三）不予公开", vmerge="restart"), tc("1.属于国家秘密"),
           *[tc("0") for _ in range(7)]),
        tr(tc(vmerge="continue"), tc(vmerge="continue"), tc("2.其他法律行政法规禁止公开"),
           *[tc("1") for _ in range(7)]),
        grid=10,
    )
    doc = read_docx(make_docx(p("标题") + body + p("后记")), "t.docx")
    assert blocks_summary(doc) == ["标题", "<table 0>", "后记"]
    table = doc.tables[0]
    corner = "（本列数据的勾稽关系为：…）"
    cells = [
        [corner] * 3 + ["申请人情况"] * 7,
        [corner] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        [corner] * 3 + ["自然人", "甲", "乙", "丙", "丁", "戊", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "（一）予以公开"] + [str(i) for i in range(7)],
        ["三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"] + ["0"] * 7,
        ["三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"] + ["1"] * 7,
    ]
    merged = [(0, 0, 3, 3), (0, 3, 1, 7), (1, 3, 2, 1), (1, 4, 1, 5), (1, 9, 2, 1), (3, 0, 3, 1), (3, 1, 1, 2),
              (4, 1, 2, 1)]
    assert grid_of(table) == expected_grid(cells, merged)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            assert (cell.row, cell.col) == (r, c)
            assert cell.provenance.table == 0
            assert (cell.provenance.row, cell.provenance.col) == cell.origin
    # Provenance points at the w:tc where the merged cell starts.
    assert table.rows[5][0].provenance.locator == "body/tbl[1]/tr[4]/tc[1]"
    assert table.rows[4][2].provenance.locator == "body/tbl[1]/tr[5]/tc[3]"
    assert table.provenance.locator == "body/tbl[1]"
    assert table.rows[0][0].provenance.page is None


def test_grid_before_legacy_hmerge_orphan_continue_and_sliver_columns() -> None:
    body = tbl(
        # a sliver grid column (2) that only exists because of misaligned borders: no cell starts there
        tr(tc("名称"), tc("数量", span=2), tc("备注")),
        tr(tc("甲"), tc("5", span=2), tc("")),
        # w:gridBefore leaves the first column of this row empty
        tr(tc("7", span=2), tc("缩进行"), before=1),
        # legacy horizontal merge (Word 97 era): restart + continue make one cell
        tr(tc("合并", hmerge="restart"), tc(span=2, hmerge="continue"), tc("x")),
        # a vMerge continue under a cell that is not a restart still joins it (Word shows one cell)
        tr(tc("乙"), tc("8", span=2, vmerge="continue"), tc("y")),
        grid=4,
    )
    table = read_docx(make_docx(body + p("")), "t.docx").tables[0]
    cells = [
        ["名称", "数量", "备注"],
        ["甲", "5", ""],
        ["", "7", "缩进行"],
        ["合并", "合并", "x"],
        ["乙", "8", "y"],
    ]
    merged = [(3, 0, 1, 2)]
    assert grid_of(table) == expected_grid(cells, merged)
    # the empty gridBefore position is its own origin and points at the row
    assert table.rows[2][0].provenance.locator == "body/tbl[1]/tr[3]"


def test_vmerge_continue_joins_the_cell_above_and_keeps_stray_text() -> None:
    body = tbl(
        tr(tc("A", vmerge="restart"), tc("1")),
        tr(tc("A 的续行", vmerge="continue"), tc("2")),
        tr(tc("B", vmerge="continue"), tc("3")),
        grid=2,
    )
    table = read_docx(make_docx(body + p("")), "t.docx").tables[0]
    assert table.rows[2][0].origin == (0, 0)
    assert table.rows[0][0].rowspan == 3
    assert table.rows[0][0].text == "A\nA 的续行\nB"


# ----------------------------------------------------------------------------- nesting and layout


def test_table_holding_a_table_is_layout_its_text_and_inner_table_stand_alone() -> None:
    inner = tbl(tr(tc("项目"), tc("数量")), tr(tc("申请"), tc("3")), grid=2)
    outer = tbl(
        tr(tc("三、收到和处理政府信息公开申请情况", span=2)),
        tr(tc("单位：件"), tc("统计时间：2022年度")),
        tr(f'<w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>{inner}{p("注：本表为年度数据。")}</w:tc>'),
        grid=2,
    )
    doc = read_docx(make_docx(p("前言") + outer + tbl(tr(tc("x"), tc("y")), grid=2) + p("")), "t.docx")
    assert blocks_summary(doc) == ["前言", "三、收到和处理政府信息公开申请情况", "单位：件", "统计时间：2022年度",
                                   "<table 0>", "注：本表为年度数据。", "<table 1>"]
    inner_table = doc.tables[0]
    assert [inner_table.row_texts(r) for r in range(2)] == [["项目", "数量"], ["申请", "3"]]
    assert inner_table.provenance.locator == "body/tbl[1]/tr[3]/tc[1]/tbl[1]"
    assert inner_table.rows[1][1].provenance.locator == "body/tbl[1]/tr[3]/tc[1]/tbl[1]/tr[2]/tc[2]"
    assert doc.text_blocks[1].provenance.locator == "body/tbl[1]/tr[1]/tc[1]/p[1]"
    assert doc.tables[1].index == 1 and doc.tables[1].provenance.locator == "body/tbl[2]"


def test_one_column_table_is_a_text_box() -> None:
    body = tbl(tr(tc("第一段")), tr(tc("第二段")), grid=1)
    doc = read_docx(make_docx(body + p("")), "t.docx")
    assert blocks_summary(doc) == ["第一段", "第二段"]


# ----------------------------------------------------------------------------- running text


def test_paragraphs_in_body_order_through_content_controls_and_changes() -> None:
    body = (
        '<w:sdt><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>测试局</w:t></w:r><w:r><w:br/></w:r>'
        "<w:r><w:t>2020年政府信息公开工作年度报告</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        # runs split mid-word, a bookmark, a proofing mark, a tab and a hyperlink
        '<w:p><w:bookmarkStart w:id="1" w:name="_Toc1"/><w:r><w:t>一、总</w:t></w:r><w:proofErr w:type="spellStart"/>'
        '<w:r><w:t>体情况</w:t></w:r><w:bookmarkEnd w:id="1"/></w:p>'
        '<w:p><w:r><w:t>网址：</w:t></w:r><w:r><w:tab/></w:r><w:hyperlink r:id="rId9"><w:r><w:t>门户网站</w:t></w:r>'
        "</w:hyperlink></w:p>"
        # a tracked deletion and insertion; hidden text; a field code with its shown result
        '<w:p><w:r><w:t>收到申请</w:t></w:r><w:del w:id="2" w:author="a"><w:r><w:delText>12</w:delText></w:r></w:del>'
        '<w:ins w:id="3" w:author="a"><w:r><w:t>13</w:t></w:r></w:ins><w:r><w:t>件</w:t></w:r>'
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>（待核）</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>，第2页</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        "<w:p/>"  # empty paragraphs give no block
        '<w:p><w:r><w:t xml:space="preserve">  空格\u00a0 与\u3000全角  </w:t></w:r></w:p>'
        '<w:customXml w:element="x"><w:p><w:r><w:t>自定义标记里的段落</w:t></w:r></w:p></w:customXml>'
    )
    doc = read_docx(make_docx(body), "t.docx")
    assert blocks_summary(doc) == ["测试局", "2020年政府信息公开工作年度报告", "一、总体情况", "网址： 门户网站",
                                   "收到申请13件，第2页", "空格 与\u3000全角", "自定义标记里的段落"]
    assert [b.index for b in doc.text_blocks] == list(range(7))
    # the visible, centred title, not docProps' (which names another year)
    assert doc.title == "测试局 2020年政府信息公开工作年度报告"
    assert doc.metadata["core_title"] == "测试局2019年政府信息公开工作年度报告"
    assert "title" not in doc.metadata
    assert doc.metadata["author"] == "Administrator"
    assert doc.text_blocks[0].provenance.locator == "body/sdt[1]/sdtContent/p[1]"
    assert doc.text_blocks[2].provenance.locator == "body/p[1]"


def test_text_box_content_is_read_once_from_the_drawing_not_its_fallback() -> None:
    box = ('<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent>')
    body = ("<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><a:graphic>"
            "<a:graphicData><wps:wsp><wps:txbx>" + box.format("文本框里的标题") + "</wps:txbx></wps:wsp>"
            "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>"
            "<v:textbox>" + box.format("文本框里的标题") + "</v:textbox></v:shape></w:pict></mc:Fallback>"
            "</mc:AlternateContent></w:r><w:r><w:t>正文</w:t></w:r></w:p>")
    doc = read_docx(make_docx(body), "t.docx")
    assert blocks_summary(doc) == ["文本框里的标题", "正文"]
    assert doc.text_blocks[0].provenance.locator == "body/p[1]/txbxContent[1]/p[1]"


# ----------------------------------------------------------------------------- list numbering

NUMBERING = """
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
  <w:lvlText w:val="%1、"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/>
  <w:lvlText w:val="（%2）"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
<w:num w:numId="4"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="5"><w:abstractNumId w:val="2"/></w:num>
"""


def numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    return p(text, f'<w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr>')


def test_word_list_numbers_are_part_of_the_text() -> None:
    body = (numbered("总体情况", 1) + numbered("主动公开", 1, 1) + numbered("依申请公开", 1, 1)
            + numbered("主动公开政府信息情况", 1) + numbered("不再列出", 1, 1)
            + tbl(tr(tc("x"), f"<w:tc>{numbered('属于国家秘密', 2)}</w:tc>"),
                  tr(tc("y"), f"<w:tc>{numbered('其他法律行政法规禁止公开', 2)}</w:tc>"),
                  tr(tc("z"), f"<w:tc>{numbered('本机关不掌握相关政府信息', 3)}</w:tc>"), grid=2)
            + numbered("续前一个列表", 4) + numbered("项目符号", 5) + "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/>"
            "<w:numId w:val=\"1\"/></w:numPr></w:pPr></w:p>" + numbered("存在的主要问题", 1))
    doc = read_docx(make_docx(body, NUMBERING), "t.docx")
    assert blocks_summary(doc) == ["一、总体情况", "（一）主动公开", "（二）依申请公开", "二、主动公开政府信息情况",
                                   "（一）不再列出", "<table 0>", "2. 续前一个列表", "项目符号", "四、存在的主要问题"]
    # the tab after "1." becomes a space; each w:num with a start override restarts at 1, and a w:num
    # without one continues the count of its abstract list (2. above)
    assert [row[1].text for row in doc.tables[0].rows] == ["1. 属于国家秘密", "2. 其他法律行政法规禁止公开",
                                                           "1. 本机关不掌握相关政府信息"]


@pytest.mark.parametrize(("n", "fmt", "text"), [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCountingThousand", "二十"), (105, "chineseCountingThousand", "一百〇五"),
    (3, "ideographTraditional", "丙"), (2, "decimalEnclosedCircle", "②"), (4, "upperRoman", "IV"),
    (28, "lowerLetter", "bb"), (7, "decimalFullWidth", "７"), (5, "decimal", "5"), (3, "decimalZero", "03"),
])
def test_number_formats(n: int, fmt: str, text: str) -> None:
    assert format_number(n, fmt) == text


# ----------------------------------------------------------------------------- damaged files


@pytest.mark.parametrize(("data", "words"), [
    (b"PK\x03\x04" + b"\x00" * 200, "damaged"),
    (b"", "empty"),
])
def test_unreadable_archives_fail_with_a_reason(data: bytes, words: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_docx(data, "坏.docx")
    assert info.value.status == "failed"
    assert "坏.docx" in str(info.value) and words in str(info.value)


def test_zip_without_a_word_document_fails() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not a report")
    with pytest.raises(ReaderError) as info:
        read_document(buffer.getvalue(), "附件.docx")
    assert info.value.status == "failed"
    assert "not a Word document" in str(info.value)


def test_malformed_document_xml_fails() -> None:
    data = make_docx("<w:p><w:r><w:t>unclosed</w:r></w:p>")
    with pytest.raises(ReaderError) as info:
        read_docx(data, "坏.docx")
    assert info.value.status == "failed"


def test_a_missing_picture_does_not_stop_the_text_being_read() -> None:
    """Word opens packages whose relationships name absent parts; python-docx refuses them."""
    doc = read_docx(make_docx(numbered("总体情况", 1) + p("正文"), NUMBERING, broken_link=True), "t.docx")
    assert blocks_summary(doc) == ["一、总体情况", "正文"]
    assert doc.metadata == {}


def test_missing_core_properties_are_not_invented() -> None:
    doc = read_docx(make_docx(p("正文"), core=False), "t.docx")
    assert doc.metadata == {}
    assert doc.title is None


# ----------------------------------------------------------------------------- generated reports


def test_generated_section_three_table_has_word_merges() -> None:
    data = (OFFICE / "wuyang_wsjkw_2021.docx").read_bytes()
    assert detect_format("wuyang_wsjkw_2021.docx", data) == "docx"
    doc = read_document(data, "wuyang_wsjkw_2021.docx")
    t3 = next(t for t in doc.tables if t.n_cols == 10)
    assert (t3.n_rows, t3.n_cols) == (28, 10)
    corner = t3.rows[0][0]
    assert (corner.rowspan, corner.colspan) == (3, 3) and corner.text.startswith("（本列数据")
    assert (t3.rows[0][3].text, t3.rows[0][3].colspan) == ("申请人情况", 7)
    assert (t3.rows[2][9].text, t3.rows[2][9].origin) == ("总计", (1, 9))
    results = t3.rows[5][0]
    assert (results.text, results.rowspan, results.origin) == ("三、本年度办理结果", 22, (5, 0))
    assert all(t3.rows[r][0].origin == (5, 0) for r in range(5, 27))
    withheld = t3.rows[7][1]
    assert (withheld.text, withheld.rowspan) == ("（三）不予公开", 8)
    assert [t3.rows[r][1].origin for r in range(7, 15)] == [(7, 1)] * 8
    assert t3.rows[5][1].text == "（一）予以公开" and t3.rows[5][1].colspan == 2
    assert t3.rows[3][0].provenance.locator.endswith("/tr[4]/tc[1]")


def test_generated_narrow_report_keeps_typed_line_breaks() -> None:
    doc = read_document((OFFICE / "hongze_jtysj_2019.docx").read_bytes(), "hongze_jtysj_2019.docx")
    assert doc.text_blocks[0].text == "淮安市洪泽区交通运输局"
    assert doc.title == "淮安市洪泽区交通运输局 2019年政府信息公开工作年度报告"
    t3 = next(t for t in doc.tables if t.n_cols == 10)
    assert t3.rows[5][0].text == "三、本年度\n办理结果"
    assert t3.rows[6][1].text == "（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）"


@pytest.mark.parametrize("expected", DOCX_EXPECTED, ids=lambda p: p.name)
def test_generated_docx_reports_exact(expected: Path) -> None:
    assert differences(expected) == []
