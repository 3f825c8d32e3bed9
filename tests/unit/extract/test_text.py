"""Plain-text reader: the seed report copied from a web page, pipe tables, and what is not a table."""

from __future__ import annotations

import pytest

from nianbao.extract import read_document
from nianbao.extract.model import ReaderError, Table, TextBlock
from nianbao.extract.text import read_text
from tests.paths import EXTRACT_FILES

FILES = EXTRACT_FILES
SEED = FILES / "seed_000_353fe64ea44b1a70.txt"


@pytest.fixture(scope="module")
def seed():
    return read_document(SEED.read_bytes(), SEED.name)


def test_seed_has_three_ragged_tables_in_place(seed) -> None:
    assert seed.format == "txt"
    assert seed.metadata == {"encoding": "utf-8"}
    assert [(t.n_rows, t.n_cols, t.provenance.locator) for t in seed.tables] == [
        (14, 4, "lines 13-26"),
        (28, 10, "lines 30-58"),  # the blank line 42 inside the table does not split it
        (4, 15, "lines 62-65"),
    ]
    assert all(t.ragged for t in seed.tables)
    kinds = ["T" if isinstance(b, Table) else "-" for b in seed.blocks]
    assert "".join(kinds) == "-----T-T-T" + "-" * 12
    assert [t.index for t in seed.tables] == [0, 1, 2]
    assert [b.index for b in seed.text_blocks] == list(range(19))


def test_seed_text_blocks(seed) -> None:
    blocks = seed.text_blocks
    assert blocks[0].text == "工信局2021年政府信息公开工作年度报告"
    assert blocks[0].provenance.locator == "line 3"
    assert [b.text for b in blocks[4:7]] == [
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]
    assert blocks[16].text == "2021年12月31日" and blocks[16].provenance.locator == "line 85"
    assert blocks[-1].text == "无其他需要报告的事项"


def test_seed_shifted_rows_keep_their_cells_as_copied(seed) -> None:
    table = seed.tables[1]
    zeros = ["0"] * 7
    assert table.row_texts(10) == ["", "", "4.保护第三方合法权益", *zeros]
    # shifted one column left, with the trailing field left empty
    assert table.row_texts(11) == ["5.属于三类内部事务信息", "", *zeros, ""]
    assert table.row_texts(12) == ["", "", "6.属于四类过程性信息", *zeros]
    assert table.row_texts(25) == ["3.其他", "", *zeros, ""]
    assert table.row_texts(27) == ["四、结转下年度继续办理", "", *zeros, ""]
    shifted = table.rows[11][0]
    assert shifted.provenance.locator == "line 41"
    assert (shifted.provenance.table, shifted.provenance.row, shifted.provenance.col) == (1, 11, 0)
    assert table.rows[12][2].provenance.locator == "line 43"


def test_seed_header_rows_keep_empty_fields(seed) -> None:
    first = seed.tables[0]
    assert first.row_texts(0) == ["第二十条第（一）项", "", "", ""]
    assert first.row_texts(12) == ["信息内容", "本年收费金额（单位：万元，保留4位小数）", "", ""]
    header = seed.tables[1]
    assert header.row_texts(2) == ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "", ""]
    appeals = seed.tables[2]
    assert appeals.row_texts(3) == ["0"] * 15


def test_short_rows_are_padded_with_their_own_empty_cells() -> None:
    doc = read_text("信息内容\t本年制发件数\t本年废止件数\n规章\t0\n".encode(), "short.txt")
    table = doc.tables[0]
    assert table.ragged and table.n_cols == 3
    assert table.row_texts(1) == ["规章", "0", ""]
    pad = table.rows[1][2]
    assert pad.is_origin and (pad.rowspan, pad.colspan) == (1, 1)
    assert pad.provenance.locator == "line 2"


def test_pipe_rows_form_a_ragged_table() -> None:
    data = ("四、行政复议\n"
            "| 行政复议 | | 行政诉讼 |\n"
            "|---|:---:|---|\n"
            "| 结果维持 | 结果纠正 | 总计 |\n"
            "\n"
            "| 0 | 1 |\n"
            "\n"
            "五、存在的主要问题\n").encode()
    doc = read_text(data, "pipes.txt")
    assert [type(b).__name__ for b in doc.blocks] == ["TextBlock", "Table", "TextBlock"]
    table = doc.tables[0]
    assert table.ragged
    assert [table.row_texts(r) for r in range(table.n_rows)] == [
        ["行政复议", "", "行政诉讼"], ["结果维持", "结果纠正", "总计"], ["0", "1", ""]]
    assert table.provenance.locator == "lines 2-6"
    assert table.rows[2][1].provenance.locator == "line 6"


def test_what_is_not_a_table() -> None:
    data = ("\t一、总体情况\n"           # tab indentation: a paragraph
            "本年度概况。\t\n"           # a lone line with a stray tab: text
            "正文。\n"
            "\n"
            "信息内容\t数量\n"
            "\t规章\n"                   # indented row directly inside a table: a row
            "\n"
            "\t二、主动公开\n"           # after a blank line, indentation is a paragraph again
            "|\n"
            "\t\t\n").encode()          # tabs only: blank
    doc = read_text(data, "mixed.txt")
    assert [b.text if isinstance(b, TextBlock) else [b.row_texts(r) for r in range(b.n_rows)]
            for b in doc.blocks] == [
        "一、总体情况", "本年度概况。", "正文。", [["信息内容", "数量"], ["", "规章"]], "二、主动公开", "|"]


def test_gbk_text_and_crlf_line_numbers() -> None:
    data = "标题\r\n\r\n信息内容\t数量\r\n行政许可\t3\r\n结尾".encode("gbk")
    doc = read_text(data, "gbk.txt")
    assert doc.metadata["encoding"] == "gb18030"
    assert [b.provenance.locator for b in doc.blocks] == ["line 1", "lines 3-4", "line 5"]
    assert doc.tables[0].row_texts(1) == ["行政许可", "3"]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "x.txt: the file is empty"),
    (b"\n\n  \t\n", "x.txt: the file holds only blank space, no text"),
])
def test_empty_text_fails(data: bytes, message: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_text(data, "x.txt")
    assert str(info.value) == message and info.value.status == "failed"


def test_space_aligned_columns_form_a_ragged_table() -> None:
    data = ("发布时间：2021-01-25  来源：测试县卫健委\n"          # one line with a wide gap: text
            "\n"
            "信息内容                  本年新制作数量    本年新公开数量\n"
            "规章                      0                 0\n"
            "规范性文件                2                 11\n"
            "三、本年度办理结果  （一）予以公开                18        21\n"
            "                    （二）部分公开（区分处理的）  6\u3000\u30006\n"
            "\n"
            "一是时效性  有待提高；\n"                            # double spaces in prose, no numbers
            "二是解读  不够深入。\n").encode()
    doc = read_text(data, "spaced.txt")
    assert [type(b).__name__ for b in doc.blocks] == ["TextBlock", "Table", "TextBlock", "TextBlock"]
    assert doc.text_blocks[0].text == "发布时间：2021-01-25  来源：测试县卫健委"
    assert [b.text for b in doc.text_blocks[1:]] == ["一是时效性  有待提高；", "二是解读  不够深入。"]
    table = doc.tables[0]
    assert table.ragged and table.provenance.locator == "lines 3-7"
    assert [table.row_texts(r) for r in range(table.n_rows)] == [
        ["信息内容", "本年新制作数量", "本年新公开数量", ""],
        ["规章", "0", "0", ""],
        ["规范性文件", "2", "11", ""],
        ["三、本年度办理结果", "（一）予以公开", "18", "21"],
        ["", "（二）部分公开（区分处理的）", "6", "6"],  # indentation marks the empty leading columns
    ]
