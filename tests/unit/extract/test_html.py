"""HTML reader: every fixture compared block by block and cell by cell, plus table-model edge cases."""

from __future__ import annotations

import json

import pytest

from nianbao.extract import read_document
from nianbao.extract.html import read_html
from nianbao.extract.model import Document, ReaderError, Table, TextBlock
from tests.paths import EXTRACT_FILES

FILES = EXTRACT_FILES
HTML_FIXTURES = sorted(p.name for p in FILES.glob("*.expected.json")
                       if json.loads(p.read_text(encoding="utf-8"))["format"] == "html")


def expected_origins(cells: list[list[str]], merged: list[list[int]]) -> list[list[tuple[tuple[int, int], int, int]]]:
    """(origin, rowspan, colspan) of every grid position, from the list of merged source cells."""
    grid = [[((r, c), 1, 1) for c in range(len(row))] for r, row in enumerate(cells)]
    for row, col, rowspan, colspan in merged:
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                grid[r][c] = ((row, col), rowspan, colspan)
    return grid


def assert_document_matches(doc: Document, expected: dict) -> None:
    assert doc.format == expected["format"]
    assert doc.title == expected["title"]
    assert doc.metadata == expected["metadata"]
    assert len(doc.blocks) == len(expected["blocks"]), [getattr(b, "text", "<table>") for b in doc.blocks]
    n_text = n_tables = 0
    for block, want in zip(doc.blocks, expected["blocks"], strict=True):
        if "text" in want:
            assert isinstance(block, TextBlock), want
            assert block.text == want["text"]
            assert block.index == n_text
            n_text += 1
            continue
        assert isinstance(block, Table), want
        assert block.index == n_tables
        n_tables += 1
        cells = want["table"]["cells"]
        assert [list(block.row_texts(r)) for r in range(block.n_rows)] == cells
        got = [[(cell.origin, cell.rowspan, cell.colspan) for cell in row] for row in block.rows]
        assert got == expected_origins(cells, want["table"]["merged"])
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                assert (cell.row, cell.col) == (r, c)
                assert cell.provenance is not None and cell.provenance.table == block.index
        assert not block.ragged


@pytest.mark.parametrize("expected_name", HTML_FIXTURES)
def test_fixture_reads_exactly_as_expected(expected_name: str) -> None:
    expected = json.loads((FILES / expected_name).read_text(encoding="utf-8"))
    data = (FILES / expected["file"]).read_bytes()
    assert_document_matches(read_document(data, expected["file"]), expected)


def test_fixtures_cover_the_shapes_we_support() -> None:
    assert HTML_FIXTURES == [
        "gb2312_no_meta.expected.json", "lost_markup.expected.json", "nested_layout.expected.json",
        "spans.expected.json", "word_gbk.expected.json",
    ]


def test_word_fixture_is_really_gbk_under_a_gb2312_label() -> None:
    data = (FILES / "word_gbk.html").read_bytes()
    assert b"charset=gb2312" in data
    assert "堃".encode("gbk") in data  # not in GB2312: decoding as plain gb2312 would fail
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    assert b"<![if !supportMisc]>" in data and b"<o:p>" in data and b"&nbsp;" in data


def test_gb2312_fixture_declares_no_charset() -> None:
    data = (FILES / "gb2312_no_meta.html").read_bytes()
    assert b"charset" not in data.lower()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_cell_provenance_points_at_the_source_cell() -> None:
    doc = read_html((FILES / "spans.html").read_bytes(), "spans.html")
    table = doc.tables[0]
    assert table.provenance.locator == "/html/body/table"
    value = table.rows[4][2]
    assert value.text == "1"
    assert value.provenance.locator == "/html/body/table/tbody/tr[2]/td[3]"
    assert (value.provenance.row, value.provenance.col) == (4, 2)
    assert value.provenance.describe() == "table 1, row 5, column 3"
    # a covered position carries the merged cell's own provenance
    copy = table.rows[6][0]
    assert copy.text == "三、本年度\n办理结果" and not copy.is_origin
    assert copy.provenance.locator == "/html/body/table/tbody/tr[2]/td[1]"
    assert (copy.provenance.row, copy.provenance.col) == (4, 0)
    # padding of a short row points at its row
    pad = table.rows[6][5]
    assert pad.text == "" and pad.is_origin
    assert pad.provenance.locator == "/html/body/table/tbody/tr[4]"
    assert doc.text_blocks[2].provenance.locator == "/html/body/p[1]"


def grid(table: Table) -> list[list[tuple[str, tuple[int, int], int, int]]]:
    return [[(c.text, c.origin, c.rowspan, c.colspan) for c in row] for row in table.rows]


def test_junk_spans_do_not_crash_and_read_as_browsers_do() -> None:
    data = (b'<table><tr><td colspan="abc">a</td><td colspan="0">b</td><td rowspan="2;">c</td></tr>'
            b'<tr><td colspan=1000>d</td></tr>'
            b'<tr><td rowspan="-3">e</td><td colspan="">f</td><td rowspan=99999999999>g</td></tr></table>')
    table = read_html(data, "junk.html").tables[0]
    assert grid(table) == [
        [("a", (0, 0), 1, 1), ("b", (0, 1), 1, 1), ("c", (0, 2), 2, 1)],
        # colspan=1000 stops at the rowspan coming down from above
        [("d", (1, 0), 1, 2), ("d", (1, 0), 1, 2), ("c", (0, 2), 2, 1)],
        # a rowspan longer than the table ends with the table
        [("e", (2, 0), 1, 1), ("f", (2, 1), 1, 1), ("g", (2, 2), 1, 1)],
    ]


def test_oversized_colspan_is_capped_at_the_table_width() -> None:
    data = (b"<table><tr><td>a</td><td colspan=1000>b</td></tr>"
            b"<tr><td>c</td><td>d</td><td>e</td></tr></table>")
    table = read_html(data, "wide.html").tables[0]
    assert table.n_cols == 3
    assert grid(table) == [
        [("a", (0, 0), 1, 1), ("b", (0, 1), 1, 2), ("b", (0, 1), 1, 2)],
        [("c", (1, 0), 1, 1), ("d", (1, 1), 1, 1), ("e", (1, 2), 1, 1)],
    ]


def test_misplaced_content_inside_a_table_comes_before_it() -> None:
    data = (b"<p>before</p><table>stray text<tr><td>a</td><td>b</td></tr>"
            b"<p>misplaced</p><td>c</td><td>d</td></table><p>after</p>")
    doc = read_html(data, "stray.html")
    assert [b.text if isinstance(b, TextBlock) else "<table>" for b in doc.blocks] == [
        "before", "stray text", "misplaced", "<table>", "after"]
    # cells outside any <tr> form a row of their own
    assert [doc.tables[0].row_texts(r) for r in range(2)] == [["a", "b"], ["c", "d"]]


def test_caption_is_a_text_block_before_its_table() -> None:
    data = "<table><caption>表1 收到申请情况</caption><tr><td>a</td><td>1</td></tr></table>".encode()
    doc = read_html(data, "caption.html")
    assert isinstance(doc.blocks[0], TextBlock) and doc.blocks[0].text == "表1 收到申请情况"
    assert isinstance(doc.blocks[1], Table) and doc.blocks[1].row_texts(0) == ["a", "1"]


def test_chrome_is_dropped_and_br_lines_are_separate_blocks() -> None:
    data = ("<html><head><title> 标题 </title><style>p{}</style></head><body>"
            "<script>var s='脚本';</script><noscript>请启用脚本</noscript>"
            "<div>第一行<br>第二行<span>续</span><br><br>\u3000第三行\u3000</div>"
            "<h2>二、主动公开</h2><pre>预排\n两行</pre></body></html>").encode()
    doc = read_html(data, "chrome.html")
    assert doc.title == "标题"
    assert [b.text for b in doc.text_blocks] == ["第一行", "第二行续", "第三行", "二、主动公开", "预排", "两行"]


def test_title_falls_back_to_first_h1() -> None:
    doc = read_html("<body><p>x</p><h1>测试局年报</h1><h1>另一个</h1></body>".encode(), "h1.html")
    assert doc.title == "测试局年报"
    assert read_html(b"<body><p>x</p></body>", "none.html").title is None


def test_cjk_source_line_breaks_vanish_but_latin_ones_are_spaces() -> None:
    doc = read_html("<p>政府信息\n   公开 annual\nreport 2023\n年</p>".encode(), "wrap.html")
    assert doc.text_blocks[0].text == "政府信息公开 annual report 2023 年"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty.html: the file is empty"),
    (b" \r\n\t ", "empty.html: the file holds only blank space, no text"),
])
def test_empty_pages_fail(data: bytes, message: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_html(data, "empty.html")
    assert str(info.value) == message
    assert info.value.status == "failed"
