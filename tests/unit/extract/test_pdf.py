"""PDF reader: the real WPS report end to end, generated layout fixtures block by block and cell by
cell, and the PDFs it must refuse (encrypted, damaged, scanned, too long, too slow)."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pdfplumber
import pytest

from nianbao.extract import READERS, read_document
from nianbao.extract.layout import PageCell, PageLine, PageTable, dedupe_chars, page_glyphs, page_needs_ocr
from nianbao.extract.model import Document, ReaderError, Table, TextBlock
from nianbao.extract.pdf import pdf_engine, read_pdf
from nianbao.pipeline import process_document
from tests.helpers.expected import differences
from tests.paths import PDF_FILES, REAL

FILES = PDF_FILES
HZQ = REAL / "hzq2024.pdf"
PDF_FIXTURES = sorted(p.name for p in FILES.glob("*.expected.json"))
# Word documents exported to PDF by LibreOffice (tests/fixtures/make_office.py), in the corpus
# expected-values format: a check of the reader on layouts written independently of it.
OFFICE_PDFS = sorted((FILES.parent / "office").glob("*.pdf.expected.json"))


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
    # the engine that read it is recorded (pdfium or pdfplumber: both must read the same)
    assert {k: v for k, v in doc.metadata.items() if k != "pdf_engine"} == expected["metadata"]
    assert doc.metadata["pdf_engine"] == pdf_engine()
    assert [getattr(b, "text", "<table>") for b in doc.blocks] == [
        b.get("text", "<table>") for b in expected["blocks"]]
    n_text = n_tables = 0
    for block, want in zip(doc.blocks, expected["blocks"], strict=True):
        assert block.provenance.page == want["page"], want
        assert block.provenance.document == expected["file"]
        if "text" in want:
            assert isinstance(block, TextBlock)
            assert block.index == n_text
            n_text += 1
            continue
        assert isinstance(block, Table)
        assert block.index == n_tables and block.provenance.table == n_tables
        n_tables += 1
        cells = want["table"]["cells"]
        assert [block.row_texts(r) for r in range(block.n_rows)] == cells
        got = [[(cell.origin, cell.rowspan, cell.colspan) for cell in row] for row in block.rows]
        assert got == expected_origins(cells, want["table"]["merged"])
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                assert (cell.row, cell.col) == (r, c)
                prov = cell.provenance
                assert prov is not None and prov.table == block.index and prov.page is not None
                assert (prov.row, prov.col) == cell.origin
        assert not block.ragged


@pytest.mark.parametrize("expected_name", PDF_FIXTURES)
def test_fixture_reads_exactly_as_expected(expected_name: str) -> None:
    expected = json.loads((FILES / expected_name).read_text(encoding="utf-8"))
    data = (FILES / expected["file"]).read_bytes()
    # The text layer as drawn; a page without one is left to OCR (tested in test_ocr.py).
    assert_document_matches(read_pdf(data, expected["file"], ocr_fallback=False), expected)


def test_pdf_is_a_registered_reader() -> None:
    assert READERS["pdf"] is read_pdf


def test_fake_bold_glyphs_are_read_once() -> None:
    with pdfplumber.open(FILES / "merged_cells.pdf") as pdf:
        page = pdf.pages[0]
        # 申 in the bold heading and the bold header cell 申请人情况 (drawn twice), and in two plain labels.
        assert sum(c["text"] == "申" for c in page.chars) == 2 * 2 + 2
        ours = dedupe_chars(page_glyphs(page))
        assert sum(g[0] == "申" for g in ours) == 4
        assert len(ours) == len(page.dedupe_chars().chars)


# -- the real report ----------------------------------------------------------------------------


def test_real_wps_report_matches_its_expected_values() -> None:
    assert differences(REAL / "hzq2024.expected.json") == []


def test_real_wps_report_reads_as_text_and_three_tables() -> None:
    result = process_document(HZQ)
    assert (result.status, result.error) == ("ok", None)
    assert result.report is not None and result.report.structure == ()
    doc = read_pdf(HZQ.read_bytes(), "hzq2024.pdf")
    assert doc.title == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    texts = [b.text for b in doc.text_blocks]
    # Headings stay blocks of their own; the white boxes WPS paints behind each line are no table.
    for heading in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
        assert heading in texts
    assert not any(t.strip("- ").isdigit() for t in texts)  # page footers dropped
    # A paragraph that runs over the page break is one block.
    assert any(t.startswith("针对存在问题") and t.endswith("业务工作水平。") for t in texts)
    active, applications, appeals = doc.tables
    assert (active.n_rows, active.n_cols) == (14, 4)
    assert active.provenance.locator == "pages 2-3, table 1"
    assert [active.rows[r][0].text for r in (0, 4, 7, 11)] == [
        "第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项"]
    assert (applications.n_rows, applications.n_cols) == (26, 10)
    vertical = applications.rows[5][0]
    assert (vertical.text, vertical.rowspan) == ("三、本年度办理结果", 20)  # carried on over the page break
    assert all(applications.rows[r][0].origin == (5, 0) for r in range(5, 25))
    unavailable = applications.rows[15][1]
    assert (unavailable.text, unavailable.rowspan) == ("（四）无法提供", 3)
    assert applications.rows[16][2].text == "2.没有现成信息需要另行制作"
    assert applications.rows[16][2].provenance.page == 4 and applications.rows[15][2].provenance.page == 3
    assert applications.rows[2][4].text == "商业企业"
    assert applications.rows[6][1].text == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert (appeals.n_rows, appeals.n_cols) == (4, 15)
    assert appeals.row_texts(3) == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]


@pytest.mark.parametrize("expected", OFFICE_PDFS, ids=lambda p: p.name)
def test_word_exported_pdf_matches_its_expected_values(expected: Path) -> None:
    assert differences(expected) == []


# -- PDFs that cannot be read --------------------------------------------------------------------


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()


def test_encrypted_pdf_fails_with_the_reason() -> None:
    with pytest.raises(ReaderError) as info:
        read_pdf(fixture("encrypted.pdf"), "encrypted.pdf")
    assert info.value.status == "failed"
    assert str(info.value).startswith("encrypted.pdf: encrypted PDF, a password is needed to open it")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_pdf_fails_as_damaged(cut: float) -> None:
    data = fixture("merged_cells.pdf")
    with pytest.raises(ReaderError) as info:
        read_pdf(data[: int(len(data) * cut)], "cut.pdf")
    assert info.value.status == "failed"
    assert "damaged" in str(info.value) or "no pages" in str(info.value)


def test_garbage_after_a_pdf_header_fails_as_damaged() -> None:
    with pytest.raises(ReaderError) as info:
        read_document(b"%PDF-1.7\n" + bytes(range(256)) * 20, "junk.pdf")
    assert info.value.status == "failed"
    assert str(info.value).startswith("junk.pdf: damaged PDF, it could not be opened")


@pytest.mark.parametrize(("name", "pages"), [("scanned.pdf", "1-2 of 2"), ("cid_glyphs.pdf", "1 of 1")])
def test_pdf_without_a_usable_text_layer_needs_ocr(name: str, pages: str) -> None:
    with pytest.raises(ReaderError) as info:
        read_pdf(fixture(name), name, ocr_fallback=False)
    assert info.value.status == "unsupported"
    assert str(info.value) == f"{name}: scanned PDF (no usable text layer on page {pages}); OCR is needed"


def test_page_needs_ocr_tells_scans_and_cid_glyphs_from_text() -> None:
    for name, want in (("scanned.pdf", [True, True]), ("cid_glyphs.pdf", [True]),
                       ("one_scanned_page.pdf", [False, True, False]), ("merged_cells.pdf", [False])):
        with pdfplumber.open(FILES / name) as pdf:
            assert [page_needs_ocr(page) for page in pdf.pages] == want, name


def test_an_ocr_hook_reads_the_pages_without_text() -> None:
    calls = []

    def fake_ocr(page: pdfplumber.page.Page, number: int) -> list[PageLine | PageTable]:
        calls.append(number)
        cells = (PageCell(72, 120, 200, 140, "信息内容"), PageCell(200, 120, 300, 140, "本年制发件数"),
                 PageCell(72, 140, 200, 160, "规章"), PageCell(200, 140, 300, 160, "2"))
        return [PageTable(number, 120, 160, 72, 300, cells),
                PageLine(number, 80, 94, 72, 300, f"识别出的第{number}页", 14.0)]

    doc = read_pdf(fixture("scanned.pdf"), "scanned.pdf", ocr=fake_ocr)
    assert calls == [1, 2]
    assert "ocr_needed_pages" not in doc.metadata
    assert [getattr(b, "text", None) for b in doc.blocks] == ["识别出的第1页", None, "识别出的第2页", None]
    first = doc.tables[0]
    assert [first.row_texts(r) for r in range(first.n_rows)] == [["信息内容", "本年制发件数"], ["规章", "2"]]


def test_a_document_over_the_page_limit_fails() -> None:
    with pytest.raises(ReaderError) as info:
        read_pdf(fixture("continued.pdf"), "long.pdf", max_pages=2)
    assert info.value.status == "failed"
    assert str(info.value) == "long.pdf: the PDF has 3 pages, more than the 2 pages an annual report can have"


def test_time_limit_turns_a_slow_pdf_into_a_failed_document() -> None:
    with pytest.raises(ReaderError) as info:
        read_pdf(fixture("continued.pdf"), "slow.pdf", time_limit=1e-9)
    assert info.value.status == "failed"
    assert str(info.value).startswith("slow.pdf: the PDF took longer than 1e-09 s to read")


def test_time_limit_interrupts_a_pathological_page() -> None:
    # One page of tens of thousands of ruled cells: about a second with the rulings finder (minutes
    # with pdfplumber's TableFinder), far beyond a limit of 0.2 s.
    started = time.monotonic()
    with pytest.raises(ReaderError) as info:
        read_pdf(fixture("ruling_storm.pdf"), "storm.pdf", time_limit=0.2)
    assert time.monotonic() - started < 10
    assert info.value.status == "failed"
    assert str(info.value) == ("storm.pdf: the PDF took longer than 0.2 s to read (stopped at page 1 of 1); "
                               "it is treated as damaged")


def test_time_limit_is_checked_between_pages_where_no_alarm_can_be_set() -> None:
    # Worker threads cannot take SIGALRM; the limit is then checked before every page.
    outcome: list[BaseException | Document] = []

    def run() -> None:
        try:
            outcome.append(read_pdf(fixture("continued.pdf"), "slow.pdf", time_limit=1e-9))
        except ReaderError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ReaderError)
    assert outcome[0].status == "failed"
    assert "took longer than 1e-09 s to read (stopped at page 1 of 3)" in str(outcome[0])


def test_a_generous_time_limit_leaves_no_alarm_behind() -> None:
    import signal

    read_pdf(fixture("merged_cells.pdf"), "merged_cells.pdf", time_limit=30)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)
