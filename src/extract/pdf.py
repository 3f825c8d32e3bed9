"""PDF reader: the text layer of a PDF (PDFium through pdfium_page.py, or pdfplumber) -> a Document
of text blocks and table grids.

Ruled tables become grids whose merged cells come from the drawn cell boxes, joined across page
breaks; the text outside them becomes paragraphs and headings in reading order, page numbers dropped.
"""

from __future__ import annotations

import io
import os
import re
import signal
import threading
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import decode_text
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from nianbao.spec import SPEC

from .model import Block, Cell, Document, Provenance, ReaderError, Table, TextBlock

# The engine that lists a page's characters, lines and images: "pdfium" (pdfium_page.py, C++,
# about ten times faster) or "pdfplumber" (pdfminer.six, pure Python: the reference both are
# tested against). NIANBAO_PDF_ENGINE overrides the default; read_pdf(engine=...) overrides both.
PDF_ENGINES = ("pdfium", "pdfplumber")
DEFAULT_PDF_ENGINE = "pdfium"
PDF_ENGINE_VARIABLE = "NIANBAO_PDF_ENGINE"
# A report is a few pages to a few dozen; a file that takes longer than this is pathological.
DEFAULT_TIME_LIMIT = 60.0
MAX_PAGES = 300

# Unusable text layer: glyphs without a Unicode mapping come out as "(cid:123)"; broken CJK fonts
# map to the private use area. A page is sent to OCR when more than this share is such glyphs.
OCR_GLYPH_SHARE = 0.3
# A page image covering this share of the page with fewer usable characters is a scan.
SCAN_IMAGE_SHARE = 0.3
SCAN_MAX_CHARS = 20

_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Page numbers printed in the top or bottom margin: "- 3 -", "— 3 —", "第 3 页", "3/12", "第3页 共12页".
_PW = SPEC.vocab("page_number_words")
_PAGE_NUMBER = re.compile(
    rf"^[\s\-–—－‒_·•]*(?:{_PW['ordinal']}\s*)?\d{{1,4}}(?:\s*{_PW['page']})?"
    rf"(?:\s*(?:[/／]|{_PW['of_total']})\s*\d{{1,4}}\s*{_PW['page']}?)?[\s\-–—－‒_·•]*$")
_PAGE_MARGIN_SHARE = 0.1
_NUMERALS = "".join(SPEC.vocab("chinese_numerals"))
# The line a continued table may open with on its next page.
_CONTINUATION_MARK = re.compile(
    r"^\s*[（(]?\s*(?:" + "|".join(map(re.escape, SPEC.vocab("continuation_marks"))) + rf")\s*[\d{_NUMERALS}]*"
    r"\s*[）)]?\s*[:：]?\s*$")
# Characters further apart than this many ems on one line belong to separate fields.
_FIELD_GAP = 2.0
# A line opening with numbering starts a heading or a new paragraph, never continues one.
_NUMBERED_START = re.compile(
    rf"^\s*(?:[{_NUMERALS}]+\s*[、.．]|[（(]\s*[{_NUMERALS}\d]+\s*[）)]|\d{{1,2}}\s*[、.．](?!\d)"
    rf"|{_PW['ordinal']}[{_NUMERALS}{SPEC.vocab('hundred')}\d]+(?:"
    + "|".join(map(re.escape, SPEC.vocab("numbering_units"))) + r")|[\u2460-\u2473])")
# A value cell: a number (maybe with a unit), or a null marker standing for none.
_VALUE = re.compile(r"^[+\-−]?[\d,，]*\d(?:[.．]\d+)?\s*[%％]?\s*[\u4e00-\u9fff]{0,2}$|^(?:"
                    + "|".join(map(re.escape, SPEC.vocab("null_markers"))) + r")+$")
# Title lines are set larger than the body text, within the first lines of the first page.
_TITLE_SIZE_RATIO = 1.15
_TITLE_SEARCH_LINES = 5
# Coordinates closer than this (points) are the same ruling line.
_SNAP = 1.5
# Two tables on consecutive pages continue each other when their outer edges line up this well.
_EDGE_TOLERANCE = 4.0


# -- what a page yields: positioned lines and tables (the OCR hook returns the same) ------------


@dataclass(frozen=True)
class PageLine:
    """One line of running text on a page; `size` is its dominant font size in points."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float


@dataclass(frozen=True)
class PageCell:
    """One drawn cell of a ruled table and its text."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@dataclass(frozen=True)
class PageTable:
    """A ruled table as drawn on one page: its cells by their boxes."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    cells: tuple[PageCell, ...]


PageItem = PageLine | PageTable
# An OCR engine plugged in for pages whose text layer is unusable: (page, 1-based page number) ->
# the page's lines and tables in the same positioned form the text layer gives.
OcrHook = Callable[[Page, int], Sequence[PageItem]]


def read_pdf(
    data: bytes,
    name: str,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_pages: int = MAX_PAGES,
    ocr: OcrHook | None = None,
    ocr_fallback: bool = True,
    engine: str | None = None,
) -> Document:
    """Read a PDF into a Document; raises ReaderError when it is encrypted, damaged, scanned
    (no usable text layer and no `ocr` hook), too long, or takes longer than `time_limit` seconds.
    `engine` (default: `pdf_engine()`) is recorded in the metadata as pdf_engine."""
    engine = pdf_engine(engine)
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    clock = _Clock(name, time_limit)
    try:
        with _alarm(time_limit):
            document = _read(data, name, clock, max_pages, ocr, engine)
    except _TimeUp:
        raise clock.error() from None
    except ScannedPdf:
        if ocr is not None or not ocr_fallback:
            raise
    else:
        if ocr is not None or not ocr_fallback or "ocr_needed_pages" not in document.metadata:
            return document
        # Some pages are scans among text pages: read again with those pages OCR'd. OCR takes
        # seconds a page, so this pass has a wider limit and no alarm (the clock still checks
        # between pages).
        from .image import ocr_pdf_page

        return _read(data, name, _Clock(name, time_limit * 3), max_pages, ocr_pdf_page, engine)
    # A scanned PDF: OCR every page (image.py), outside the text layer's time limit, which OCR
    # at several seconds a page would exceed; OCR has its own per-page limit.
    from .image import read_scanned_pdf

    document = read_scanned_pdf(data, name)
    document.metadata["pdf_engine"] = engine  # it decided that the pages are scans
    return document


def pdf_engine(choice: str | None = None) -> str:
    """The PDF engine to use: `choice`, else $NIANBAO_PDF_ENGINE, else DEFAULT_PDF_ENGINE."""
    engine = (choice or os.environ.get(PDF_ENGINE_VARIABLE) or DEFAULT_PDF_ENGINE).strip().lower()
    if engine not in PDF_ENGINES:
        source = "engine" if choice else PDF_ENGINE_VARIABLE
        raise ValueError(f"unknown PDF engine {engine!r} ({source}); choose one of {', '.join(PDF_ENGINES)}")
    return engine


class ScannedPdf(ReaderError):
    """Most pages have no usable text layer: only OCR can read the document."""

    def __init__(self, message: str, status: str = "unsupported") -> None:
        super().__init__(message, status)


def page_needs_ocr(page: Page) -> bool:
    """Whether a page's text layer is unusable, so only OCR can read it: no characters while the
    page shows images or drawn shapes (a scan, outlined text), a page-size image under a handful
    of characters (a scan with a stamped page number), or mostly (cid:NN) / private-use glyphs."""
    chars = [c for c in page.chars if c["text"].strip()]
    if not chars:
        return bool(page.images) or len(page.curves) > 50
    bad = sum(1 for c in chars if _unusable_glyph(c["text"]))
    if bad > OCR_GLYPH_SHARE * len(chars):
        return True
    page_area = float(page.width * page.height) or 1.0
    big_image = any((im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) >= SCAN_IMAGE_SHARE * page_area
                    for im in page.images)
    return big_image and len(chars) - bad < SCAN_MAX_CHARS


def read_page_items(page: Page, number: int) -> list[PageItem]:
    """A page's ruled tables and the lines of text outside them, top to bottom, page numbers dropped."""
    view = page.filter(_is_visible)
    chars = dedupe_chars([c for c in view.chars if c["text"]])
    tables = _data_tables(view)
    placed = _assign_chars(chars, tables)
    items: list[PageItem] = []
    for table, cell_chars in zip(tables, placed.cells):
        cells = tuple(PageCell(x0, top, x1, bottom, _cell_text(cell_chars.get(i, [])))
                      for i, (x0, top, x1, bottom) in enumerate(table.boxes))
        items.append(PageTable(number, table.top, table.bottom, table.x0, table.x1, cells))
    height = float(page.height)
    for line_chars in _group_lines(placed.outside):
        for field_chars in _split_at_gaps(line_chars):
            line = _page_line(number, field_chars)
            if not (_in_margin(line, height) and _PAGE_NUMBER.match(line.text)):
                items.append(line)
    items.sort(key=lambda item: (round(item.top, 1), item.x0))
    return items


def dedupe_chars(chars: list[dict[str, Any]], tolerance: float = 1.0) -> list[dict[str, Any]]:
    """Characters without the copies fake bold draws (WPS and Word paint a bold-less font two or
    three times, a fraction of a point apart): a glyph equal in text, font and size to one kept
    within `tolerance` points is dropped. The same rule as pdfplumber's Page.dedupe_chars, hashed
    by position so it costs a few milliseconds per page instead of tens."""
    kept: list[dict[str, Any]] = []
    near: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for ch in chars:
        key = (ch["text"], ch.get("fontname"), round(float(ch["size"]), 1))
        gx, gy = int(ch["x0"] // tolerance), int(ch["top"] // tolerance)
        if any(abs(o["x0"] - ch["x0"]) <= tolerance and abs(o["top"] - ch["top"]) <= tolerance
               for dx in (-1, 0, 1) for dy in (-1, 0, 1) for o in near.get((*key, gx + dx, gy + dy), ())):
            continue
        near.setdefault((*key, gx, gy), []).append(ch)
        kept.append(ch)
    return kept


# -- the whole document -----------------------------------------------------------------------


def _read(data: bytes, name: str, clock: _Clock, max_pages: int, ocr: OcrHook | None,
          engine: str = "pdfplumber") -> Document:
    pdf, page_errors = _open(data, name, engine)
    try:
        try:
            pages = pdf.pages
        except PdfminerException as exc:
            raise _open_error(name, _cause(exc)) from exc
        n_pages = len(pages)
        clock.n_pages = n_pages
        if n_pages == 0:
            raise ReaderError(f"{name}: the PDF has no pages (a damaged or truncated file)", "failed")
        if n_pages > max_pages:
            raise ReaderError(f"{name}: the PDF has {n_pages} pages, more than the {max_pages} pages an "
                              "annual report can have", "failed")
        page_items: list[list[PageItem]] = []
        heights = [float(page.height) for page in pages]
        ocr_pages: list[int] = []
        blank_pages = 0
        for number, page in enumerate(pages, start=1):
            clock.check(number)
            try:
                if page_needs_ocr(page):
                    if ocr is None:
                        ocr_pages.append(number)
                        page_items.append([])
                        continue
                    items = sorted(ocr(page, number), key=lambda item: (round(item.top, 1), item.x0))
                else:
                    items = read_page_items(page, number)
            except page_errors as exc:
                raise ReaderError(f"{name}: page {number} of {n_pages} could not be read, the PDF is damaged "
                                  f"({_describe(_cause(exc))})", "failed") from exc
            finally:
                page.close()
            if not items:
                blank_pages += 1
            page_items.append(items)
        metadata = _pdf_metadata(pdf)
    finally:
        pdf.close()
    clock.check(n_pages)
    if ocr_pages and len(ocr_pages) * 2 >= n_pages - blank_pages:
        raise ScannedPdf(f"{name}: scanned PDF (no usable text layer on page {_page_list(ocr_pages)} of "
                          f"{n_pages}); OCR is needed", "unsupported")
    if not any(page_items):
        raise ReaderError(f"{name}: the PDF has no text on any of its {n_pages} pages", "failed")
    _drop_running_heads(page_items, heights)
    page_items = [_without_continuation_marks(items) for items in page_items]
    metadata["pages"] = str(n_pages)
    metadata["pdf_engine"] = engine
    if ocr_pages:
        metadata["ocr_needed_pages"] = _page_list(ocr_pages)
    return _assemble(name, page_items, metadata)


def _open(data: bytes, name: str, engine: str) -> tuple[Any, tuple[type[BaseException], ...]]:
    """The open PDF (pages with pdfplumber's Page interface) and the errors its pages may raise."""
    if engine == "pdfium":
        import pypdfium2

        from .pdfium_page import PdfiumOpenError, PdfiumPdf

        try:
            return PdfiumPdf(data), (pypdfium2.PdfiumError, PSException)
        except PdfiumOpenError as exc:
            if exc.encrypted:
                raise ReaderError(f"{name}: encrypted PDF, a password is needed to open it ({exc})",
                                  "failed") from exc
            raise ReaderError(f"{name}: damaged PDF, it could not be opened ({exc})", "failed") from exc
    try:
        return pdfplumber.open(io.BytesIO(data)), (PdfminerException, PSException)
    except PdfminerException as exc:
        raise _open_error(name, _cause(exc)) from exc
    except PSException as exc:
        raise _open_error(name, exc) from exc


def _assemble(name: str, page_items: list[list[PageItem]], metadata: dict[str, str]) -> Document:
    """Page items -> blocks: tables continued across page breaks joined, lines joined into
    paragraphs, the title (large type at the top of the first page) taken as one block."""
    stream: list[PageLine | list[PageTable]] = []
    for k, items in enumerate(page_items):
        for i, item in enumerate(items):
            if not isinstance(item, PageTable):
                stream.append(item)
            elif i == 0 and stream and isinstance(stream[-1], list) and _continues(stream[-1][-1], item, page_items):
                stream[-1].append(item)
            else:
                stream.append([item])
    layout = _Layout.of([item for item in stream if isinstance(item, PageLine)])
    title_lines = _title_lines(stream, layout)

    blocks: list[Block] = []
    n_text = n_tables = 0
    paragraph: list[PageLine] = []

    def flush() -> None:
        nonlocal n_text
        if paragraph:
            page = paragraph[0].page
            text = _join_texts([line.text for line in paragraph])
            confidences = [c for c in (getattr(line, "ocr_confidence", None) for line in paragraph) if c is not None]
            confidence = min(confidences) if confidences else None
            where = f"page {page}" + (" (OCR)" if confidence is not None else "")
            blocks.append(TextBlock(n_text, text, Provenance(name, where, page=page), ocr_confidence=confidence))
            n_text += 1
            paragraph.clear()

    for item in stream:
        if isinstance(item, list):
            flush()
            blocks.append(_build_table(name, n_tables, item))
            n_tables += 1
            continue
        if paragraph:
            prev_title, this_title = paragraph[-1] in title_lines, item in title_lines
            joins = prev_title and this_title or (
                not prev_title and not this_title and layout.continues(paragraph[-1], item))
            if not joins:
                flush()
        paragraph.append(item)
    flush()
    title = _join_texts([line.text for line in title_lines]) if title_lines else None
    return Document(path=name, format="pdf", blocks=tuple(blocks), title=title, metadata=metadata)


def _without_continuation_marks(items: list[PageItem]) -> list[PageItem]:
    """A page's items without the 续表 / （续上表） line that opens it above a continued table."""
    if len(items) >= 2 and isinstance(items[0], PageLine) and isinstance(items[1], PageTable) \
            and _CONTINUATION_MARK.match(items[0].text):
        return items[1:]
    return items


def _continues(prev: PageTable, nxt: PageTable, page_items: list[list[PageItem]]) -> bool:
    """Whether `nxt`, first on its page, continues `prev`: prev is the last thing on the page
    before, and both have the same outer edges and mostly the same column lines."""
    if prev.page != nxt.page - 1 or not page_items[prev.page - 1] or page_items[prev.page - 1][-1] is not prev:
        return False
    if abs(prev.x0 - nxt.x0) > _EDGE_TOLERANCE or abs(prev.x1 - nxt.x1) > _EDGE_TOLERANCE:
        return False
    a = _cluster([v for c in prev.cells for v in (c.x0, c.x1)], _EDGE_TOLERANCE)
    b = _cluster([v for c in nxt.cells for v in (c.x0, c.x1)], _EDGE_TOLERANCE)
    smaller, larger = (a, b) if len(a) <= len(b) else (b, a)
    matched = sum(1 for x in smaller if any(abs(x - y) <= _EDGE_TOLERANCE for y in larger))
    return matched >= 0.75 * len(smaller)


# -- running text -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """The body text's type size and margins, to tell a wrapped line from a new paragraph."""

    body_size: float
    left: float
    right: float

    @classmethod
    def of(cls, lines: list[PageLine]) -> _Layout:
        if not lines:
            return cls(12.0, 0.0, 0.0)
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
        body = sizes.most_common(1)[0][0]
        body_lines = [ln for ln in lines if abs(ln.size - body) < 1 and len(ln.text) >= 8] or lines
        left = Counter(round(ln.x0) for ln in body_lines).most_common(1)[0][0]
        right = Counter(round(ln.x1) for ln in body_lines).most_common(1)[0][0]
        return cls(body, float(left), float(right))

    def continues(self, prev: PageLine, line: PageLine) -> bool:
        """`line` wraps on from `prev`: prev runs to the right margin, line starts at the left
        margin in the same type size, is not numbered, and follows closely (or opens the next page)."""
        size = max(prev.size, line.size)
        if abs(prev.size - line.size) >= 1:
            return False
        if prev.x1 < self.right - 1.5 * size or line.x0 > self.left + 0.8 * size:
            return False
        if _NUMBERED_START.match(line.text):
            return False
        if line.page == prev.page:
            return 0 <= line.top - prev.bottom <= 1.6 * size
        return line.page == prev.page + 1


def _title_lines(stream: list[PageLine | list[PageTable]], layout: _Layout) -> list[PageLine]:
    """The run of lines in large type among the first lines of the first page: the report's title
    (a document number, a header line or a metadata table may stand above it)."""
    leading = [item for item in stream if isinstance(item, PageLine) and item.page == 1]
    large = [ln.size >= _TITLE_SIZE_RATIO * layout.body_size for ln in leading[:_TITLE_SEARCH_LINES]]
    if True not in large:
        return []
    start = end = large.index(True)
    while end < len(large) and large[end]:
        end += 1
    return leading[start:end]


def _page_line(number: int, chars: list[dict[str, Any]]) -> PageLine:
    visible = [c for c in chars if c["text"].strip()]
    sizes = Counter(round(float(c["size"]), 1) for c in visible)
    return PageLine(
        number,
        min(float(c["top"]) for c in visible),
        max(float(c["bottom"]) for c in visible),
        min(float(c["x0"]) for c in visible),
        max(float(c["x1"]) for c in visible),
        _line_text(chars),
        sizes.most_common(1)[0][0],
    )


def _in_margin(line: PageLine, page_height: float) -> bool:
    return line.top > (1 - _PAGE_MARGIN_SHARE) * page_height or line.bottom < _PAGE_MARGIN_SHARE * page_height


def _drop_running_heads(page_items: list[list[PageItem]], heights: list[float]) -> None:
    """Remove lines repeated in the top or bottom margin of most pages (a running header or footer
    naming the report, 第 N 页 with varying N): page furniture, like the page numbers."""
    pages_with_text = sum(1 for items in page_items if items)
    counts: Counter[str] = Counter()
    for items, height in zip(page_items, heights):
        counts.update({_furniture_key(i) for i in items if isinstance(i, PageLine) and _in_margin(i, height)})
    repeated = {key for key, n in counts.items() if n >= 2 and 2 * n >= pages_with_text}
    if not repeated:
        return
    for k, (items, height) in enumerate(zip(page_items, heights)):
        page_items[k] = [i for i in items if not (isinstance(i, PageLine) and _in_margin(i, height)
                                                  and _furniture_key(i) in repeated)]


def _furniture_key(line: PageLine) -> str:
    """Text with numbers masked, and type size: a title in large type repeats no small running head."""
    return f"{round(line.size)}:" + re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _group_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Characters -> lines, top to bottom, each left to right. A character joins a line when its
    vertical middle falls inside the line's extent (so mixed type sizes share one line)."""
    lines: list[list[Any]] = []  # [top, bottom, chars]
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        mid = (ch["top"] + ch["bottom"]) / 2
        for line in reversed(lines[-4:]):
            if line[0] <= mid <= line[1]:
                line[2].append(ch)
                line[0] = min(line[0], ch["top"])
                line[1] = max(line[1], ch["bottom"])
                break
        else:
            lines.append([ch["top"], ch["bottom"], [ch]])
    lines.sort(key=lambda line: line[0])
    return [sorted(line[2], key=lambda c: c["x0"]) for line in lines]


def _split_at_gaps(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """A line cut where its visible characters stand more than `_FIELD_GAP` ems apart: the
    fields of a table drawn without ruling lines, or a name and a date on one line, are separate."""
    fields: list[list[dict[str, Any]]] = []
    prev: dict[str, Any] | None = None
    for ch in chars:
        if not ch["text"].strip():
            if fields:
                fields[-1].append(ch)  # a drawn space: kept for word spacing, not measured
            continue
        if prev is None or ch["x0"] - prev["x1"] > _FIELD_GAP * max(ch["size"], prev["size"]):
            fields.append([])
        fields[-1].append(ch)
        prev = ch
    return fields


def _line_text(chars: list[dict[str, Any]]) -> str:
    """One line's characters joined; a gap or a drawn space becomes a space only between two
    non-CJK characters (Chinese has no word spaces; justified lines stretch the gaps)."""
    out: list[str] = []
    prev: dict[str, Any] | None = None
    space = False
    for ch in chars:
        text = ch["text"]
        if not text.strip():
            space = prev is not None
            continue
        if prev is not None:
            if ch["x0"] - prev["x1"] > 0.25 * min(ch["size"], prev["size"]):
                space = True
            if space and not _CJK.match(out[-1][-1]) and not _CJK.match(text[0]):
                out.append(" ")
        out.append(text)
        prev, space = ch, False
    return "".join(out)


def _join_texts(parts: Sequence[str]) -> str:
    """Wrapped lines joined: nothing between CJK characters, one space between other words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not _CJK.match(out[-1]) and not _CJK.match(part[0]):
            out += " "
        out += part
    return out


def _cell_text(chars: list[dict[str, Any]]) -> str:
    return _join_texts([_line_text(line) for line in _group_lines(chars)])


# -- tables on one page -----------------------------------------------------------------------


@dataclass
class _FoundTable:
    """A ruled table found on a page, reduced to the boxes of the cells that hold data."""

    boxes: list[tuple[float, float, float, float]]
    top: float = 0.0
    bottom: float = 0.0
    x0: float = 0.0
    x1: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(b[0] for b in self.boxes)
        self.top = min(b[1] for b in self.boxes)
        self.x1 = max(b[2] for b in self.boxes)
        self.bottom = max(b[3] for b in self.boxes)


def _data_tables(view: Page) -> list[_FoundTable]:
    """The page's ruled data tables. One-column tables (a box or a page frame around running
    text) and tables that hold other tables are layout, not data: their text stays running text.
    Runs of full-width rows above or below a table (a frame around the text that touches the
    table) are cut off the same way."""
    found = [_FoundTable([tuple(map(float, box)) for box in t.cells]) for t in view.find_tables() if t.cells]
    tables = []
    for t in found:
        if any(o is not t and _contains(t, o) for o in found):
            continue
        kept = _without_frame_rows(t)
        if kept is not None:
            tables.append(kept)
    return tables


def _contains(outer: _FoundTable, inner: _FoundTable) -> bool:
    inside = (outer.x0 - _SNAP <= inner.x0 and inner.x1 <= outer.x1 + _SNAP
              and outer.top - _SNAP <= inner.top and inner.bottom <= outer.bottom + _SNAP)
    return inside and (outer.x0, outer.top, outer.x1, outer.bottom) != (inner.x0, inner.top, inner.x1, inner.bottom)


def _without_frame_rows(table: _FoundTable) -> _FoundTable | None:
    """The table without a frame's full-width text rows around it; None when it is all frame."""
    xs = _cluster([v for b in table.boxes for v in (b[0], b[2])], _SNAP)
    if len(xs) <= 2:
        return None  # one column
    tops = _cluster([b[1] for b in table.boxes], _SNAP)
    rows: list[list[tuple[float, float, float, float]]] = [[] for _ in tops]
    for b in table.boxes:
        rows[_nearest(tops, b[1])].append(b)
    full_width = [len(row) == 1 and row[0][0] - table.x0 <= _SNAP and table.x1 - row[0][2] <= _SNAP
                  for row in rows]
    if all(full_width):
        return None
    first = full_width.index(False)
    last = len(full_width) - 1 - full_width[::-1].index(False)
    # One full-width row right above the grid is the table's own caption row (第二十条第（一）项).
    keep_from = first - 1 if first >= 2 else 0
    keep_to = last + 1 if len(full_width) - 1 - last >= 2 else len(full_width)
    if keep_from == 0 and keep_to == len(full_width):
        return table
    lo = tops[keep_from] - _SNAP
    hi = tops[keep_to] - _SNAP if keep_to < len(tops) else float("inf")
    return _FoundTable([b for b in table.boxes if lo <= b[1] < hi])


@dataclass
class _Placement:
    cells: list[dict[int, list[dict[str, Any]]]] = field(default_factory=list)  # per table: cell -> chars
    outside: list[dict[str, Any]] = field(default_factory=list)


def _assign_chars(chars: list[dict[str, Any]], tables: list[_FoundTable]) -> _Placement:
    """Each character to the table cell holding its centre, or to the running text."""
    placement = _Placement([{} for _ in tables])
    lookups = [_CellLookup(t.boxes) for t in tables]
    for ch in chars:
        cx = (ch["x0"] + ch["x1"]) / 2
        cy = (ch["top"] + ch["bottom"]) / 2
        for t, lookup, cells in zip(tables, lookups, placement.cells):
            if t.x0 <= cx <= t.x1 and t.top <= cy <= t.bottom:
                i = lookup.find(cx, cy)
                if i is not None:
                    cells.setdefault(i, []).append(ch)
                    break
        else:
            placement.outside.append(ch)
    return placement


class _CellLookup:
    """Which cell box holds a point, through the grid the boxes' edges make."""

    def __init__(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.xs = _cluster([v for b in boxes for v in (b[0], b[2])], _SNAP)
        self.ys = _cluster([v for b in boxes for v in (b[1], b[3])], _SNAP)
        self.at: dict[tuple[int, int], int] = {}
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            c0, c1 = _nearest(self.xs, x0), _nearest(self.xs, x1)
            r0, r1 = _nearest(self.ys, top), _nearest(self.ys, bottom)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    self.at[(r, c)] = i

    def find(self, x: float, y: float) -> int | None:
        return self.at.get((bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1))


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted distinct coordinates, each within `tolerance` of the previous one merged into it."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _nearest(bounds: list[float], v: float) -> int:
    i = bisect_right(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds) or v - bounds[i - 1] <= bounds[i] - v:
        return i - 1
    return i


# -- tables across pages: one grid ------------------------------------------------------------


@dataclass
class _Span:
    """A source cell placed on the document-level grid."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    page: int
    ocr_confidence: float | None = None  # set when OCR read the cell (image.ocr_pdf_page)


def _build_table(name: str, index: int, pieces: list[PageTable]) -> Table:
    """Page pieces of one table -> a Table. The column lines of all pieces are unified; where a
    piece continues the one before, a row split by the page break is put back together and a
    merged cell running on over the break (a group label) is extended."""
    xs = _cluster([v for p in pieces for c in p.cells for v in (c.x0, c.x1)], _EDGE_TOLERANCE)
    spans: list[_Span] = []
    n_rows = 0
    for piece in pieces:
        ys = _cluster([v for c in piece.cells for v in (c.top, c.bottom)], _SNAP)
        own = []
        for c in piece.cells:
            r0, r1 = _nearest(ys, c.top), _nearest(ys, c.bottom)
            c0, c1 = _nearest(xs, c.x0), _nearest(xs, c.x1)
            if r1 > r0 and c1 > c0:
                own.append(_Span(n_rows + r0, c0, r1 - r0, c1 - c0, c.text, piece.page,
                                  getattr(c, "ocr_confidence", None)))
        piece_rows = len(ys) - 1
        if spans:
            piece_rows -= _drop_repeated_header(spans, own, n_rows)
            piece_rows -= _join_at_break(spans, own, n_rows)
        spans.extend(own)
        n_rows += piece_rows
    n_cols = len(xs) - 1
    first_page, last_page = pieces[0].page, pieces[-1].page
    pages = f"page {first_page}" if first_page == last_page else f"pages {first_page}-{last_page}"
    locator = f"{pages}, table {index + 1}"
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for s in spans:
        where = f"page {s.page}" + (" (OCR)" if s.ocr_confidence is not None else "")
        prov = Provenance(name, f"{where}, table {index + 1}", page=s.page, table=index, row=s.row, col=s.col)
        for r in range(s.row, s.row + s.rowspan):
            for c in range(s.col, s.col + s.colspan):
                grid[r][c] = Cell(s.text, r, c, (s.row, s.col), s.rowspan, s.colspan, prov,
                                  ocr_confidence=s.ocr_confidence)
    rows = []
    for r, grid_row in enumerate(grid):
        rows.append(tuple(
            cell if cell is not None else
            Cell("", r, c, (r, c), provenance=Provenance(name, locator, page=first_page, table=index, row=r, col=c))
            for c, cell in enumerate(grid_row)))
    return Table(index, tuple(rows), Provenance(name, locator, page=first_page, table=index))


def _drop_repeated_header(before: list[_Span], after: list[_Span], boundary: int) -> int:
    """Remove the table's header rows that a continuation repeats at its top (Word's "repeat as
    header row"); returns how many rows went. Rows count as repeated when they hold the same
    cells as the table's first rows, never cutting through a merged cell."""

    def signature(spans: list[_Span], base: int, row: int) -> list[tuple[int, int, int, str]]:
        return sorted((s.col, s.colspan, s.rowspan, s.text) for s in spans if s.row - base == row)

    n_after = max((s.row + s.rowspan - boundary for s in after), default=0)
    k = 0
    while k < n_after - 1:
        row = signature(after, boundary, k)
        if not any(text for *_, text in row) or row != signature(before, 0, k):
            break
        k += 1
    while k > 0 and any(s.row - boundary < k < s.row - boundary + s.rowspan for s in after):
        k -= 1
    if k == 0:
        return 0
    after[:] = [s for s in after if s.row - boundary >= k]
    for s in after:
        s.row -= k
    return k


def _join_at_break(before: list[_Span], after: list[_Span], boundary: int) -> int:
    """Join the first row of `after` (grid row `boundary`) to the last row of `before`: the whole
    row when it is the rest of a row split by the page break (returns 1, the row saved), else
    only the leading cells that carry on a merged cell from above the break (returns 0)."""
    last = boundary - 1
    upper = {c: s for s in before if s.row <= last < s.row + s.rowspan for c in range(s.col, s.col + s.colspan)}
    lower = {c: s for s in after if s.row == boundary for c in range(s.col, s.col + s.colspan)}
    if not upper or not lower:
        return 0
    pairs = _paired_cells(upper, lower)
    if pairs is not None and _is_split_row(pairs, before):
        for a, b in pairs:
            a.text = _join_texts([a.text, b.text])
            a.rowspan += b.rowspan - 1
            after.remove(b)
        for s in after:
            s.row -= 1
        return 1
    for col in sorted(lower):
        b = lower[col]
        if b.col != col:
            continue
        a = upper.get(col)
        if a is None or (a.col, a.colspan) != (b.col, b.colspan) or not _carries_on(a, b):
            break
        a.text = _join_texts([a.text, b.text])
        a.rowspan += b.rowspan
        after.remove(b)
    return 0


def _paired_cells(upper: dict[int, _Span], lower: dict[int, _Span]) -> list[tuple[_Span, _Span]] | None:
    """(cell above, cell below) column by column, when both rows have the same cell boundaries."""
    pairs = []
    for col, b in sorted(lower.items()):
        if b.col != col:
            continue
        a = upper.get(col)
        if a is None or (a.col, a.colspan) != (b.col, b.colspan):
            return None
        pairs.append((a, b))
    return pairs


def _is_split_row(pairs: list[tuple[_Span, _Span]], before: list[_Span]) -> bool:
    """The row below the break is the rest of the row above it: it fills cells left empty above,
    or runs on a label (text, not a number, not opening with numbering); no column holds a value
    on both sides; and it is not the table's header repeated."""
    if not any(b.text for _, b in pairs):
        return False
    header = [s.text for s in sorted(before, key=lambda s: s.col) if s.row == 0 and s.text]
    if [b.text for _, b in pairs if b.text] == header:
        return False
    for _, b in pairs:
        if b.text and _NUMBERED_START.match(b.text):
            return False
    for a, b in pairs:
        if a.text and b.text and (_is_value(a.text) or _is_value(b.text)):
            return False
    return True


def _carries_on(a: _Span, b: _Span) -> bool:
    """The cell below the break continues the merged cell above it: it is empty (a group label's
    rest of rows), or both parts span several rows and the lower one does not open with numbering."""
    if not b.text:
        return bool(a.text) or a.rowspan > 1
    return a.rowspan > 1 and b.rowspan > 1 and not _is_value(b.text) and not _NUMBERED_START.match(b.text)


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text.strip()))


# -- drawing objects, metadata, errors, time --------------------------------------------------


def _is_visible(obj: dict[str, Any]) -> bool:
    """Drawn shapes that would not show on a white page are dropped before looking for ruling
    lines: editors (WPS, Jisupdf) paint white boxes behind every line of text, which would
    otherwise read as a table frame around the whole page."""
    kind = obj.get("object_type")
    if kind not in ("rect", "line", "curve"):
        return True
    stroked = obj.get("stroke", kind == "line") and not _is_white(obj.get("stroking_color"))
    filled = obj.get("fill") and not _is_white(obj.get("non_stroking_color"))
    return bool(stroked or filled)


def _is_white(color: Any) -> bool:
    if color is None:
        return False  # the PDF default colour is black
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        values = [float(v) for v in color]
    except (TypeError, ValueError):
        return False  # a pattern or a named colour: assume it shows
    if len(values) == 1:
        return values[0] >= 0.99
    if len(values) == 3:
        return min(values) >= 0.99
    if len(values) == 4:
        return max(values) <= 0.01  # CMYK: no ink
    return False


def _unusable_glyph(text: str) -> bool:
    return text.startswith("(cid:") or bool(_PRIVATE_USE.match(text))


def _pdf_metadata(pdf: pdfplumber.PDF) -> dict[str, str]:
    """The PDF's document-information entries, prefixed with pdf_ (a PDF's Title is often a
    stale file name or last year's title, so it must not pass for the page's own title)."""
    out: dict[str, str] = {}
    infos = getattr(pdf.doc, "info", []) or []
    for info in infos:
        if not isinstance(info, dict):
            continue
        for key, value in info.items():
            text = _decode_info(value)
            if text:
                out.setdefault(f"pdf_{str(key).lower()}", text)
    return out


def _decode_info(value: Any) -> str:
    try:
        value = resolve1(value)
    except (PSException, ValueError, TypeError, KeyError):  # a broken entry is just not recorded
        return ""
    if isinstance(value, bytes):
        for bom, encoding in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le")):
            if value.startswith(bom):
                text = value[len(bom):].decode(encoding, "replace")
                break
        else:
            text = decode_text(value)
    elif isinstance(value, str):
        text = value
    else:
        text = getattr(value, "name", "") if not isinstance(value, (int, float)) else ""
    return text.replace("\x00", "").strip()


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer exception pdfplumber wrapped."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
    return inner or exc.__cause__ or exc


def _describe(exc: BaseException) -> str:
    detail = str(exc).strip()
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _open_error(name: str, exc: BaseException) -> ReaderError:
    if isinstance(exc, PDFEncryptionError):
        return ReaderError(f"{name}: encrypted PDF, a password is needed to open it ({_describe(exc)})", "failed")
    return ReaderError(f"{name}: damaged PDF, it could not be opened ({_describe(exc)})", "failed")


def _page_list(pages: list[int]) -> str:
    """1, 2, 3, 5 -> '1-3, 5'."""
    runs: list[list[int]] = []
    for p in pages:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


class _TimeUp(BaseException):
    """Raised by the alarm inside pdfminer; a BaseException so no `except Exception` swallows it."""


class _Clock:
    """The per-document time limit, checked between pages (and enforced by an alarm in between)."""

    def __init__(self, name: str, limit: float) -> None:
        self.name, self.limit = name, limit
        self.start = time.monotonic()
        self.page = 0
        self.n_pages: int | None = None

    def check(self, page: int) -> None:
        self.page = page
        if time.monotonic() - self.start > self.limit:
            raise self.error()

    def error(self) -> ReaderError:
        where = f" (stopped at page {self.page} of {self.n_pages})" if self.n_pages else " (while opening it)"
        return ReaderError(f"{self.name}: the PDF took longer than {self.limit:g} s to read{where}; "
                           "it is treated as damaged", "failed")


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Interrupt a single pathological page (pdfminer can loop for minutes inside one call) with
    SIGALRM, where that is possible: POSIX, main thread, no other timer running. Elsewhere the
    clock is still checked between pages."""
    usable = (hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
              and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0) and seconds > 0)
    if not usable:
        yield
        return

    armed = [True]

    def ring(signum: int, frame: object) -> None:
        if armed[0]:
            raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, ring)
    try:
        signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        # The alarm may ring while this runs: retry until the timer and handler are back.
        while True:
            try:
                armed[0] = False
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except _TimeUp:
                continue
