"""OCR reader (nianbao.extract.ocr, nianbao.extract.image): the engine offline on the models in its
wheel; table grids rebuilt from drawn lines; whole reports as page images, as a scanned PDF and
with a damaged digit, through the normalizer against their expected values: every number read is
the right one, and a number OCR is unsure of is NULL with a note, never a guess.

The whole-report tests OCR 1-5 pages each (a few seconds a page) and are marked slow.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pytest
from PIL import Image

from nianbao.extract import READERS, detect_format, ocr, read_document
from nianbao.extract.image import ocr_pdf_pages, read_image, read_image_pages
from nianbao.extract.layout import page_needs_ocr
from nianbao.extract.model import OCR_MIN_CONFIDENCE, Document, ReaderError, Table, TextBlock
from nianbao.extract.pdf import read_pdf
from nianbao.normalize.report import normalize_document
from tests.paths import FILES as FILES_ROOT
from tests.paths import OCR_FILES

FILES = FILES_ROOT
OFFICE = FILES / "office"

WUYANG, HONGZE = "wuyang_wsjkw_2021", "hongze_jtysj_2019"
# A page must not take longer than this to OCR (about 5 s on an idle 2-core machine).
SECONDS_PER_PAGE_LIMIT = 60.0


def page_images(stem: str) -> list[Path]:
    pages = sorted(OFFICE.glob(f"{stem}.p[0-9].png"), key=lambda p: int(p.suffixes[0][2:]))
    assert pages, stem
    return pages


def expected(stem: str) -> dict:
    return json.loads((OFFICE / f"{stem}.pdf.expected.json").read_text(encoding="utf-8"))


@dataclass
class Accuracy:
    """Every expected value of a report, by what the OCR'd document gave for it."""

    exact: list[str] = field(default_factory=list)
    null: list[str] = field(default_factory=list)  # NULL, with the note saying why
    wrong: list[str] = field(default_factory=list)  # a number other than the expected one
    unmarked: list[str] = field(default_factory=list)  # a value whose note does not say it was OCR'd

    def summary(self) -> str:
        return f"{len(self.exact)} exact, {len(self.null)} NULL, {len(self.wrong)} wrong"


def score(doc: Document, want: dict) -> Accuracy:
    report = normalize_document(doc)
    acc = Accuracy()

    def count(key: str, got, want_value) -> None:
        if got is None:
            acc.wrong.append(f"{key}: absent")
            return
        if not got.note or "OCR" not in got.note:
            acc.unmarked.append(f"{key}: note {got.note!r}")
        if got.value == want_value:  # a blank cell expected NULL counts as read exactly
            acc.exact.append(key)
        elif got.value is None:
            acc.null.append(f"{key}: {got.note}")
        else:
            acc.wrong.append(f"{key}: {got.value} != {want_value} ({got.note})")

    for row, columns in want["applications"].items():
        for applicant, value in columns.items():
            count(f"applications[{row}][{applicant}]", report.application(row, applicant), value)
    for proceeding, outcomes in want["appeals"].items():
        for outcome, value in outcomes.items():
            count(f"appeals[{proceeding}][{outcome}]", report.appeal(proceeding, outcome), value)
    active = {(v.item, v.row, v.metric): v for v in report.active}
    for entry in want["active"]:
        key = (entry["item"], entry["row"], entry["metric"])
        count(f"active{key}", active.get(key), None if entry["value"] is None else Decimal(str(entry["value"])))
    return acc


def assert_ocr_document(doc: Document, name: str, n_pages: int) -> None:
    """Every block says it was OCR'd, with its page; every cell carries the engine's confidence."""
    assert doc.path == name
    assert doc.metadata["pages"] == str(n_pages)
    assert doc.metadata["ocr"].startswith("RapidOCR ")
    for block in doc.blocks:
        prov = block.provenance
        assert prov.document == name and prov.page is not None and 1 <= prov.page <= n_pages
        assert "(OCR)" in prov.locator
        if isinstance(block, TextBlock):
            assert block.ocr_confidence is not None and 0 <= block.ocr_confidence <= 1
            continue
        assert isinstance(block, Table) and not block.ragged
        for r, row in enumerate(block.rows):
            assert len(row) == block.n_cols
            for c, cell in enumerate(row):
                assert (cell.row, cell.col) == (r, c) and cell.is_ocr
                assert cell.provenance is not None and cell.provenance.table == block.index
                assert cell.provenance.locator.startswith(f"page {cell.provenance.page} (OCR), table ")
                origin = block.rows[cell.origin[0]][cell.origin[1]]
                assert (origin.text, origin.rowspan, origin.colspan) == (cell.text, cell.rowspan, cell.colspan)


def grid_shapes(table: Table) -> list[list[tuple[tuple[int, int], int, int]]]:
    return [[(cell.origin, cell.rowspan, cell.colspan) for cell in row] for row in table.rows]


def timed(read, n_pages: int):
    start = time.monotonic()
    doc = read()
    per_page = (time.monotonic() - start) / n_pages
    print(f"\n{doc.path}: {per_page:.1f} s per page")
    assert per_page < SECONDS_PER_PAGE_LIMIT
    return doc


# -- the engine -------------------------------------------------------------------------------


def test_image_reader_is_registered_and_imports_no_engine_until_used() -> None:
    assert READERS["image"] is read_image
    code = ("import sys, nianbao.extract; "
            "print(sorted(m for m in ('cv2', 'onnxruntime', 'rapidocr_onnxruntime') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_engine_loads_its_bundled_models_and_reads_with_the_network_off(monkeypatch, tmp_path) -> None:
    attempts: list[object] = []

    def no_network(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is blocked in this test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    # Nothing may be fetched into a cache either: give the engine an empty home to write into.
    for var in ("HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path))
    monkeypatch.setattr(ocr, "_engine", None)  # load afresh, under the block

    engine = ocr.ocr_engine()
    import rapidocr_onnxruntime

    package = Path(rapidocr_onnxruntime.__file__).parent
    models = sorted(p.name for p in (package / "models").glob("*.onnx"))
    assert models == ["ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"]
    for session in (engine.text_det.infer, engine.text_rec.session):  # rapidocr_onnxruntime 1.4
        assert Path(session.session._model_path).parent == package / "models"

    page = np.asarray(Image.open(OFFICE / f"{WUYANG}.p3.png").convert("L"))
    heading = page[535:600, 290:1090]
    assert ocr.recognize(heading)[0] == "三、收到和处理政府信息公开申请情况"
    boxes = sorted(ocr.ocr_page(page[785:835, 220:1460]), key=lambda b: b.x0)  # one table row, found and read
    assert [b.text for b in boxes] == ["一、本年新收政府信息公开申请数量", "16", "0", "0", "1", "0", "0", "17"]
    assert all(b.confidence > 0.9 for b in boxes)
    assert attempts == []
    # No model was fetched into a cache (onnxruntime only leaves its small device-id file there).
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert not [p for p in written if p.suffix in (".onnx", ".pdmodel", ".pdiparams", ".bin", ".pth")]
    assert sum(p.stat().st_size for p in written) < 1_000_000


def test_one_engine_per_process() -> None:
    assert ocr.ocr_engine() is ocr.ocr_engine()


def test_missing_engine_makes_images_unsupported_with_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(ocr, "_engine", None)
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    with pytest.raises(ReaderError) as info:
        read_image((OCR_FILES / "section4_150dpi.jpg").read_bytes(), "scan.jpg")
    assert info.value.status == "unsupported"
    assert str(info.value).startswith("scan.jpg: ") and "pip install rapidocr_onnxruntime" in str(info.value)


# -- grids from drawn lines (no OCR) ----------------------------------------------------------


def draw_grid(xs: list[int], ys: list[int], *, missing_h=(), missing_v=(), size=(700, 1000)) -> np.ndarray:
    """A white page with a ruled grid; missing_h holds (line index, column) segments not drawn,
    missing_v (row, line index)."""
    img = np.full(size, 255, np.uint8)
    for r, y in enumerate(ys):
        for c in range(len(xs) - 1):
            if (r, c) not in missing_h:
                cv2.line(img, (xs[c], y), (xs[c + 1], y), 0, 2)
    for c, x in enumerate(xs):
        for r in range(len(ys) - 1):
            if (r, c) not in missing_v:
                cv2.line(img, (x, ys[r]), (x, ys[r + 1]), 0, 2)
    return img


def spans(table: ocr.RuledTable) -> set[tuple[int, int, int, int]]:
    return {(c.row, c.col, c.rowspan, c.colspan) for c in table.cells}


def test_merged_cells_come_from_the_lines_that_are_not_drawn() -> None:
    xs, ys = [100, 300, 420, 540, 660], [100, 140, 180, 220, 260]
    # Row 0: a header spanning columns 1-3; column 0: a label spanning rows 1-2 (and 0 alone).
    img = draw_grid(xs, ys, missing_v={(0, 2), (0, 3)}, missing_h={(2, 0)})
    cv2.line(img, (360, 190), (360, 212), 0, 2)  # a "1" inside a cell: a stroke, not a rule
    cv2.line(img, (100, 500), (400, 500), 0, 2)  # a rule alone (an underline): no table
    (table,), mask = ocr.find_ruled_tables(img)
    assert [round(x) for x in table.xs] == xs and [round(y) for y in table.ys] == ys
    assert spans(table) == {
        (0, 0, 1, 1), (0, 1, 1, 3),
        (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1), (1, 3, 1, 1),
        (2, 1, 1, 1), (2, 2, 1, 1), (2, 3, 1, 1),
        (3, 0, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1), (3, 3, 1, 1),
    }
    assert table.cell_at(450, 120) == table.cell_at(600, 120)  # the header
    assert table.cells[table.cell_at(200, 190)].rowspan == 2
    assert mask[140, 250] == 255 and mask[200, 360] == 0 and mask[500, 250] == 0


def test_a_table_without_side_lines_still_has_its_outer_columns() -> None:
    xs, ys = [100, 300, 420, 540], [100, 140, 180]
    img = draw_grid(xs, ys, missing_v={(r, c) for r in range(2) for c in (0, 3)})
    (table,), _ = ocr.find_ruled_tables(img)
    assert list(table.xs) == pytest.approx(xs, abs=3)  # the outer ones where the rules end
    assert (table.n_rows, table.n_cols) == (2, 3)


def test_a_box_of_one_column_is_a_frame_not_a_table() -> None:
    img = draw_grid([100, 600], [100, 400])
    assert ocr.find_ruled_tables(img)[0] == []


@pytest.mark.parametrize("angle", [0.4, -1.5, 3.0])
def test_a_tilted_page_is_turned_straight(angle: float) -> None:
    ruled = Image.fromarray(draw_grid([100, 300, 420, 900], [100, 140, 180, 220], size=(1200, 1000)))
    text_only = Image.open(OFFICE / f"{WUYANG}.p1.png").convert("L")
    for page in (ruled, text_only):
        tilted = np.asarray(page.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255))
        _, corrected = ocr.deskew(tilted)
        assert corrected == pytest.approx(-angle, abs=0.1)
    assert ocr.deskew(np.asarray(text_only))[1] == 0.0


def test_specks_of_dust_go_and_full_stops_stay() -> None:
    img = np.full((200, 200), 255, np.uint8)
    img[50, 50] = img[60, 61] = 40  # dust
    img[80:82, 90:92] = 60
    cv2.circle(img, (150, 150), 2, 0, -1)  # a full stop (5 x 5 px)
    clean = ocr.despeckle(img)
    assert clean[50, 50] == clean[60, 61] == clean[80, 90] == 255
    assert clean[150, 150] == 0


# -- a table image ----------------------------------------------------------------------------


def test_table_photo_reads_exactly_as_expected() -> None:
    want = json.loads((OCR_FILES / "section4_150dpi.expected.json").read_text(encoding="utf-8"))
    data = (OCR_FILES / want["file"]).read_bytes()
    assert detect_format("upload.bin", data) == "image"
    doc = read_document(data, want["file"])
    assert_ocr_document(doc, want["file"], 1)
    assert doc.format == "image"
    assert [b.text for b in doc.text_blocks] == want["text"]
    (table,) = doc.tables
    assert [table.row_texts(r) for r in range(table.n_rows)] == want["table"]["cells"]
    shapes = [[((r, c), 1, 1) for c in range(table.n_cols)] for r in range(table.n_rows)]
    for row, col, rowspan, colspan in want["table"]["merged"]:
        for r in range(row, row + rowspan):
            for c in range(col, col + colspan):
                shapes[r][c] = ((row, col), rowspan, colspan)
    assert grid_shapes(table) == shapes
    assert all(cell.ocr_confidence >= OCR_MIN_CONFIDENCE for cell in table.rows[3])
    assert table.provenance.locator == "page 1 (OCR), table 1"


@pytest.mark.slow
def test_every_frame_of_a_multi_page_tiff_is_a_page() -> None:
    photo = Image.open(OCR_FILES / "section4_150dpi.jpg")
    tiff = io.BytesIO()
    photo.save(tiff, "TIFF", save_all=True, append_images=[photo.rotate(-0.8, fillcolor=255)])
    doc = read_image(tiff.getvalue(), "fax.tif")
    assert doc.metadata["pages"] == "2"
    assert [(t.provenance.page, t.n_rows, t.n_cols) for t in doc.tables] == [(1, 4, 15), (2, 4, 15)]


def test_unreadable_images_fail_with_the_reason() -> None:
    with pytest.raises(ReaderError, match="empty"):
        read_image(b"", "a.png")
    with pytest.raises(ReaderError) as info:
        read_image(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png")
    assert info.value.status == "failed" and str(info.value).startswith("broken.png: ")
    blank = io.BytesIO()
    Image.new("L", (800, 1100), 255).save(blank, "PNG")
    with pytest.raises(ReaderError, match="OCR found no text"):
        read_image(blank.getvalue(), "blank.png")
    huge = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(huge, "PNG")
    with pytest.raises(ReaderError, match="too large"):
        read_image(huge.getvalue(), "huge.png")
    with pytest.raises(ReaderError, match="page image 2 is empty"):
        read_image_pages([blank.getvalue(), b""], "report")


# -- whole reports ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wuyang_from_images() -> Document:
    pages = [p.read_bytes() for p in page_images(WUYANG)]
    return timed(lambda: read_image_pages(pages, f"{WUYANG}.png"), len(pages))


@pytest.fixture(scope="module")
def wuyang_from_scan() -> Document:
    data = (OCR_FILES / f"{WUYANG}.scan.pdf").read_bytes()
    # Through the format dispatch: the PDF reader finds no text layer and hands the file to OCR.
    return timed(lambda: read_document(data, f"{WUYANG}.scan.pdf"), 4)


@pytest.fixture(scope="module")
def hongze_from_images() -> Document:
    pages = [p.read_bytes() for p in page_images(HONGZE)]
    return timed(lambda: read_image_pages(pages, f"{HONGZE}.png"), len(pages))


def assert_numbers_right_or_null(doc: Document, stem: str, max_null: int) -> None:
    acc = score(doc, expected(stem))
    print(f"{doc.path}: {acc.summary()}")
    assert acc.wrong == [], acc.summary()
    assert acc.unmarked == []
    assert len(acc.null) <= max_null, acc.null
    assert all("OCR" in n or "not" in n for n in acc.null)


@pytest.mark.slow
def test_report_as_page_images_reads_every_number(wuyang_from_images: Document) -> None:
    doc = wuyang_from_images
    assert_ocr_document(doc, f"{WUYANG}.png", 4)
    assert doc.format == "image"
    assert_numbers_right_or_null(doc, WUYANG, max_null=0)
    report = normalize_document(doc)
    assert (report.status, report.agency, report.year, report.template_version) == (
        "ok", "舞阳县卫生健康委员会", 2021, "v2021")


@pytest.mark.slow
def test_grids_rebuilt_from_lines_match_the_pdf_drawing(wuyang_from_images: Document,
                                                       hongze_from_images: Document) -> None:
    """The same pages, read from the PDF's text layer and drawn rules, give the same grids
    (merged cells, a table continued over a page break joined, its repeated header dropped)."""
    for doc, stem in ((wuyang_from_images, WUYANG), (hongze_from_images, HONGZE)):
        layer = read_pdf((OFFICE / f"{stem}.pdf").read_bytes(), f"{stem}.pdf")
        assert [grid_shapes(t) for t in doc.tables] == [grid_shapes(t) for t in layer.tables], stem
        assert [t.provenance.page for t in doc.tables] == [t.provenance.page for t in layer.tables]


@pytest.mark.slow
def test_scanned_pdf_reads_every_number(wuyang_from_scan: Document) -> None:
    data = (OCR_FILES / f"{WUYANG}.scan.pdf").read_bytes()
    assert detect_format(f"{WUYANG}.scan.pdf", data) == "pdf"
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # the PDF reader sends every page to OCR
        assert [page_needs_ocr(page) for page in pdf.pages] == [True] * 4
    doc = wuyang_from_scan
    assert_ocr_document(doc, f"{WUYANG}.scan.pdf", 4)
    assert doc.format == "pdf" and doc.metadata["render_dpi"] == "200"
    # Each page was scanned a little askew (make_ocr_fixtures.py) and turned straight.
    assert doc.metadata["ocr_deskewed"] == "1: -0.40°, 2: +0.30°, 3: -0.60°, 4: +0.50°"
    assert_numbers_right_or_null(doc, WUYANG, max_null=3)


@pytest.mark.slow
def test_narrow_label_columns_and_a_table_over_a_page_break(hongze_from_images: Document) -> None:
    doc = hongze_from_images
    assert_ocr_document(doc, f"{HONGZE}.png", 5)
    assert doc.title == "淮安市洪泽区交通运输局2019年政府信息公开工作年度报告"
    assert_numbers_right_or_null(doc, HONGZE, max_null=0)
    applications = next(t for t in doc.tables if t.n_cols == 10)
    assert (applications.n_rows, applications.provenance.locator) == (26, "pages 3-4 (OCR), table 6")
    group = applications.rows[5][0]  # 三、本年度办理结果, one character a line, on over the break
    assert (group.text.replace("、", ""), group.rowspan) == ("三本年度办理结果", 20)  # a lone 、 may be missed
    split = applications.rows[18]  # (五) 1.信访举报投诉类申请: the row the break cut in two
    assert split[2].text == "1.信访举报投诉类申请" and split[2].provenance.page == 3
    assert split[1].text.startswith("(五") or split[1].text.startswith("（五")
    assert split[1].rowspan == 5  # （五）不予处理 runs on over the break
    assert applications.rows[19][2].text == "2.重复申请" and applications.rows[19][2].provenance.page == 4
    texts = [b.text for b in doc.text_blocks]
    assert "三、收到和处理政府信息公开申请情况" in texts
    assert not any(t.strip("—-一 ").isdigit() for t in texts)  # page footers dropped


@pytest.mark.slow
def test_a_number_ocr_is_unsure_of_is_null_with_a_note_never_a_guess() -> None:
    """A streak through the 6 of 16 (a print defect): the engine reads 15, unsure. The cell keeps
    what was read and how sure; the report stores NULL and says why."""
    name = f"{WUYANG}.p3.damaged.png"
    doc = read_document((OCR_FILES / name).read_bytes(), name)
    table = next(t for t in doc.tables if t.n_cols == 10)
    cell = table.rows[3][3]
    assert table.rows[3][0].text == "一、本年新收政府信息公开申请数量" and table.rows[1][3].text == "自然人"
    assert cell.text == "15" and cell.ocr_confidence < OCR_MIN_CONFIDENCE
    report = normalize_document(doc)
    value = report.application("received", "natural_person")
    assert value.value is None and value.raw == "15"
    assert value.note == f"read by OCR as '15' with confidence {cell.ocr_confidence:.2f} < 0.80: stored as NULL"
    assert value.provenance.locator == "page 1 (OCR), table 2" and value.provenance.page == 1
    others = [report.application("received", a) for a in ("commercial_enterprise", "social_welfare_org", "total")]
    assert [v.value for v in others] == [0, 1, 17]


@pytest.mark.slow
def test_a_long_image_of_several_pages_is_read_in_strips() -> None:
    """Reports are also posted as one tall picture: pages 3 and 4 stitched, read in overlapping
    strips without losing or doubling a line at the seams."""
    pages = [Image.open(OFFICE / f"{WUYANG}.p{n}.png").convert("L") for n in (3, 4)]
    tall = Image.new("L", (pages[0].width, pages[0].height + pages[1].height), 255)
    tall.paste(pages[0], (0, 0))
    tall.paste(pages[1], (0, pages[0].height))
    out = io.BytesIO()
    tall.save(out, "PNG")
    doc = read_image(out.getvalue(), "long.png")
    assert [t.n_rows for t in doc.tables] == [4, 28, 4]
    texts = [b.text for b in doc.text_blocks]
    assert texts.count("三、收到和处理政府信息公开申请情况") == 1
    assert texts.count("四、政府信息公开行政复议、行政诉讼情况") == 1
    report = normalize_document(doc)
    assert report.application("results_total", "total").value == 18
    assert report.appeal("review", "total").value == 1


@pytest.fixture(scope="module")
def wuyang_mixed() -> Document:
    data = (OCR_FILES / f"{WUYANG}.mixed.pdf").read_bytes()
    # The default path: read_pdf finds one scanned page among text pages and OCRs it.
    return read_pdf(data, f"{WUYANG}.mixed.pdf", time_limit=600)


@pytest.mark.slow
def test_pdf_with_one_scanned_page_reads_it_through_the_pdf_readers_ocr_hook(wuyang_mixed: Document) -> None:
    """Pages 1, 2 and 4 from the text layer, page 3 (scanned) by OCR, in PDF points: section 二's
    table runs on from the text page onto the scanned one and is joined into one grid."""
    data = (OCR_FILES / f"{WUYANG}.mixed.pdf").read_bytes()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert [page_needs_ocr(page) for page in pdf.pages] == [False, False, True, False]
        size = (pdf.pages[2].width, pdf.pages[2].height)
    (page,) = ocr_pdf_pages(data, f"{WUYANG}.mixed.pdf", [3])
    assert page.number == 3 and all(abs(a - b) < 1 for a, b in zip((page.width, page.height), size))  # points
    cells = [c for item in page.items for c in getattr(item, "cells", ())]
    assert cells and all(c.ocr_confidence is not None and 0 <= c.ocr_confidence <= 1 for c in cells)
    doc = wuyang_mixed
    assert "ocr_needed_pages" not in doc.metadata
    layer = read_pdf((OFFICE / f"{WUYANG}.pdf").read_bytes(), f"{WUYANG}.pdf")
    assert [t.provenance.locator for t in layer.tables] == [
        "pages 2-3, table 1", "page 3, table 2", "page 4, table 3"]
    # A table read by OCR alone says so; one running on from the text layer names its pages.
    assert [t.provenance.locator for t in doc.tables] == [
        "pages 2-3, table 1", "page 3 (OCR), table 2", "page 4, table 3"]
    assert [grid_shapes(t) for t in doc.tables] == [grid_shapes(t) for t in layer.tables]
    acc = score(doc, expected(WUYANG))
    assert acc.wrong == [] and acc.null == [], acc.summary()


@pytest.mark.slow
def test_scanned_page_of_a_pdf_keeps_the_ocr_confidence(wuyang_mixed: Document) -> None:
    applications = wuyang_mixed.tables[1]
    assert applications.rows[3][3].ocr_confidence is not None
    assert "(OCR)" in applications.rows[3][3].provenance.locator
    text_layer = [b for b in wuyang_mixed.text_blocks if b.provenance.page in (1, 2)]
    assert text_layer and all(b.ocr_confidence is None for b in text_layer)
    assert all(b.ocr_confidence is not None for b in wuyang_mixed.text_blocks if b.provenance.page == 3)
