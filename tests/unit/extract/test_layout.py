"""The layout engine (nianbao.extract.layout): tables across page breaks, on the page-break corpus
of tests/fixtures/make_breaks.py (section 三 broken after every row in every layout, section 四's
header broken between its rows, v2019 and v2021): every cell of both tables read exactly, every
template row found; and the engine's pieces on their own (the page boundary, the grid builder)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pdfplumber
import pytest

from nianbao.extract.layout import LaidPage, PageCell, PageLine, PageTable, assemble, read_page_items
from nianbao.extract.layout.grid import Span, build_table
from nianbao.extract.model import Document, Provenance, Table
from nianbao.extract.pdf import read_pdf
from nianbao.normalize.report import normalize_document
from tests.paths import REPO

_spec = importlib.util.spec_from_file_location("make_breaks", REPO / "tests" / "fixtures" / "make_breaks.py")
breaks = importlib.util.module_from_spec(_spec)
sys.modules["make_breaks"] = breaks
_spec.loader.exec_module(breaks)

CASES = breaks.cases()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("breaks")
    for case in CASES:
        spec = breaks.build(case, out)
        (out / case.name.replace(".pdf", ".expected.json")).write_text(json.dumps(spec, ensure_ascii=False))
    return out


def test_the_corpus_breaks_section_three_after_every_row_in_every_layout() -> None:
    for version, n_rows in (("v2021", 28), ("v2019", 26)):
        got = {(c.layout, c.t3_break) for c in CASES if c.version == version and c.t3_break is not None}
        want = {("bare", k) for k in range(1, n_rows)} | {("mark", k) for k in range(1, n_rows)}
        want |= {(layout, k) for layout in ("header", "split") for k in range(4, n_rows)}
        assert got == want
        assert {c.t4_break for c in CASES if c.version == version and c.t4_break} == {1, 2, 3}
    assert len(CASES) == 202


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name.removesuffix(".pdf"))
def test_every_cell_reads_exactly_whatever_the_break(corpus: Path, case) -> None:
    want = json.loads((corpus / case.name.replace(".pdf", ".expected.json")).read_text())
    doc = read_pdf((corpus / case.name).read_bytes(), case.name)
    assert doc.metadata["pages"] == str(want["pages"])
    grids = breaks.expected_grids(case.version)
    tables = doc.tables
    assert [t.n_cols for t in tables] == [10, 15]
    for table, expected in zip(tables, grids):
        assert [table.row_texts(r) for r in range(table.n_rows)] == expected["cells"]
        merged = sorted([c.row, c.col, c.rowspan, c.colspan] for row in table.rows for c in row
                        if c.is_origin and (c.rowspan > 1 or c.colspan > 1))
        assert merged == expected["merged"]
    # Running heads, page numbers and 续表 are page furniture, never text.
    texts = [b.text for b in doc.text_blocks]
    head = f"测试县分页测试局{want['year']}年度报告"
    assert not any("续表" in t or t == head or t.strip("— ").isdigit() for t in texts)
    report = normalize_document(doc)
    for row, columns in want["applications"].items():
        for applicant, value in columns.items():
            got = report.application(row, applicant)
            assert got is not None and got.value == value, (row, applicant, got)
    for proceeding, outcomes in want["appeals"].items():
        for outcome, value in outcomes.items():
            got = report.appeal(proceeding, outcome)
            assert got is not None and got.value == value, (proceeding, outcome, got)


def test_a_lost_row_is_reported_missing_with_the_reason(corpus: Path) -> None:
    """Rows that never reach the grid (the part of section 三 below the break lost) are not
    silently absent: every template row is read or NULL with the reason."""
    case = breaks.Case("v2021", "bare", 20)
    doc = read_pdf((corpus / case.name).read_bytes(), case.name)
    applications = doc.tables[0]
    rest = applications.rows[-1][3].provenance.page
    cut = Table(applications.index, tuple(row for row in applications.rows if row[3].provenance.page != rest),
                applications.provenance)
    assert 0 < cut.n_rows < applications.n_rows
    blocks = tuple(cut if b is applications else b for b in doc.blocks)
    report = normalize_document(Document(doc.path, doc.format, blocks, doc.title, doc.metadata))
    want = json.loads((corpus / case.name.replace(".pdf", ".expected.json")).read_text())["applications"]
    assert {v.row for v in report.applications} == set(want)  # every row reported
    missing = {v.row for v in report.applications if v.value is None}
    below = [code for code, *_ in breaks.application_rows("v2021")[case.t3_break - breaks.HEADER_ROWS:]]
    assert missing == set(below) and "rejected_publication" in missing
    assert all("not found" in v.note for v in report.applications if v.value is None)


# -- the engine's pieces ------------------------------------------------------------------------


class _Page:
    """A page as another PDF parser would hand it over: the attributes of the layout boundary only."""

    def __init__(self, page: pdfplumber.page.Page) -> None:
        self.chars = [dict(c) for c in page.chars]
        self.rects = [dict(r) for r in page.rects]
        self.lines = [dict(line) for line in page.lines]
        self.curves = [dict(c) for c in page.curves]
        self.images = [dict(i) for i in page.images]
        self.width, self.height = page.width, page.height


def test_a_page_is_read_only_through_the_documented_boundary(corpus: Path) -> None:
    case = CASES[0]
    with pdfplumber.open(corpus / case.name) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            assert read_page_items(_Page(page), number) == read_page_items(page, number)


def test_ocr_and_text_layer_pages_assemble_alike() -> None:
    """The same two-page table, once from a text layer and once as OCR would give it (confidence
    set, sizes a little off): one grid, the repeated header dropped, the row split joined."""

    def pages(confidence: float | None) -> list[LaidPage]:
        def cell(x0: float, top: float, x1: float, bottom: float, text: str) -> PageCell:
            return PageCell(x0, top, x1, bottom, text, confidence)

        header = (cell(72, 100, 200, 120, "信息内容"), cell(200, 100, 300, 120, "本年制发件数"))
        one = PageTable(1, 100, 160, 72, 300, (*header, cell(72, 120, 200, 140, "规章"), cell(200, 120, 300, 140, "2"),
                                              cell(72, 140, 200, 160, "行政规范"), cell(200, 140, 300, 160, "5")))
        header2 = tuple(PageCell(c.x0, c.top - 40, c.x1, c.bottom - 40, c.text, confidence) for c in header)
        two = PageTable(2, 60, 100, 72, 300, (*header2, cell(72, 80, 200, 100, "性文件"), cell(200, 80, 300, 100, "")))
        title = PageLine(1, 40, 60, 150, 400, "测试报告", 20.0 if confidence is None else 19.4, confidence)
        return [LaidPage(1, 595, 842, (title, one)), LaidPage(2, 595, 842, (two,))]

    for confidence in (None, 0.97):
        doc = assemble("t.pdf", "pdf", pages(confidence), {})
        (table,) = doc.tables
        assert [table.row_texts(r) for r in range(table.n_rows)] == [
            ["信息内容", "本年制发件数"], ["规章", "2"], ["行政规范性文件", "5"]]
        assert all(c.ocr_confidence == confidence for row in table.rows for c in row)
        assert table.provenance.locator == ("pages 1-2, table 1" if confidence is None else "pages 1-2 (OCR), table 1")


def test_the_grid_builder_fills_every_position() -> None:
    prov = Provenance("x.html", "/table")
    table = build_table(0, [Span(0, 0, 2, 1, "组", prov), Span(0, 1, 1, 2, "头", prov), Span(1, 1, 1, 1, "1", prov)],
                        2, 3, prov, lambda r, c: (Provenance("x.html", f"/tr[{r + 1}]"), None))
    assert [table.row_texts(r) for r in range(2)] == [["组", "头", "头"], ["组", "1", ""]]
    assert table.rows[1][0].origin == (0, 0) and table.rows[0][2].origin == (0, 1)
    blank = table.rows[1][2]
    assert blank.is_origin and blank.provenance.locator == "/tr[2]" and blank.ocr_confidence is None
