"""PDF reader: a PDF's pages -> a Document of text blocks and table grids, through the layout engine.

Every page is read from its text layer (pdfplumber) unless the layer is unusable; those pages are
rendered and OCR'd (image.py), whether one page or all of them, and all pages go through the one
assembler (layout/assemble.py): tables joined across page breaks, page numbers and running heads dropped.
"""

from __future__ import annotations

import io
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import decode_text
from pdfplumber.utils.exceptions import PdfminerException

from .image import RENDER_DPI, ocr_metadata, ocr_pdf_pages
from .layout import LaidPage, PageItem, assemble, page_needs_ocr, read_page_items
from .layout.items import sort_items
from .model import Document, ReaderError

# A report is a few pages to a few dozen; a file that takes longer than this is pathological.
DEFAULT_TIME_LIMIT = 60.0
MAX_PAGES = 300

# An OCR engine plugged in for pages whose text layer is unusable: (page, 1-based page number) ->
# the page's lines and tables in page points, as the text layer gives them. Without one, such
# pages are rendered and OCR'd after the text layer is read (image.ocr_pdf_pages).
OcrHook = Callable[[Any, int], Sequence[PageItem]]


def read_pdf(
    data: bytes,
    name: str,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    max_pages: int = MAX_PAGES,
    ocr: OcrHook | None = None,
    ocr_fallback: bool = True,
) -> Document:
    """Read a PDF into a Document; raises ReaderError when it is encrypted, damaged, too long, or
    its text layer takes longer than `time_limit` seconds to read. Pages without a usable text
    layer are OCR'd (by `ocr` when given); with `ocr_fallback=False` they are not, and a PDF most
    of whose pages need OCR raises ScannedPdf."""
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    clock = _Clock(name, time_limit)
    try:
        with _alarm(time_limit):
            layer = _read_text_layer(data, name, clock, max_pages, ocr)
    except _TimeUp:
        raise clock.error() from None
    pages, metadata = layer.pages, layer.metadata
    if layer.ocr_needed:
        where = f"page {_page_list(layer.ocr_needed)} of {layer.n_pages}"
        if ocr_fallback:
            # OCR takes seconds a page: it runs outside the text layer's alarm and time limit.
            pages, metadata = _with_ocr_pages(data, name, layer, where)
        elif layer.mostly_scanned:
            raise ScannedPdf(f"{name}: scanned PDF (no usable text layer on {where}); OCR is needed", "unsupported")
        else:
            metadata["ocr_needed_pages"] = _page_list(layer.ocr_needed)
    if not any(p.items for p in pages):
        what = "OCR found no text" if layer.ocr_needed and ocr_fallback else "the PDF has no text"
        raise ReaderError(f"{name}: {what} on any of its {layer.n_pages} pages", "failed")
    metadata["pages"] = str(layer.n_pages)
    return assemble(name, "pdf", pages, metadata)


class ScannedPdf(ReaderError):
    """Most pages have no usable text layer: only OCR can read the document."""

    def __init__(self, message: str, status: str = "unsupported") -> None:
        super().__init__(message, status)


@dataclass
class _TextLayer:
    """What the text layer gave: every page (empty items where OCR is still needed), the pages
    that need OCR with their origin (the crop box corner, for OCR to place items in the same
    coordinates) and the PDF's metadata."""

    n_pages: int
    pages: list[LaidPage]
    metadata: dict[str, str]
    ocr_needed: list[int] = field(default_factory=list)
    origins: dict[int, tuple[float, float]] = field(default_factory=dict)
    blank_pages: int = 0

    @property
    def mostly_scanned(self) -> bool:
        return len(self.ocr_needed) * 2 >= self.n_pages - self.blank_pages


def _with_ocr_pages(data: bytes, name: str, layer: _TextLayer, where: str) -> tuple[list[LaidPage], dict[str, str]]:
    """The pages with those the text layer could not give OCR'd; when OCR is not available, a
    mostly scanned PDF is unsupported and a PDF with a few scanned pages says which were not read."""
    metadata = dict(layer.metadata)
    try:
        scanned = ocr_pdf_pages(data, name, layer.ocr_needed, layer.origins)
    except ReaderError as exc:
        if exc.status != "unsupported" or layer.mostly_scanned:
            raise ReaderError(f"{name}: scanned PDF (no usable text layer on {where}) and {exc}", exc.status) from exc
        metadata["ocr_needed_pages"] = _page_list(layer.ocr_needed)
        metadata["ocr_unavailable"] = str(exc)
        return layer.pages, metadata
    by_number = {p.number: p for p in scanned}
    metadata.update(ocr_metadata(scanned, RENDER_DPI))
    return [by_number.get(p.number, p) for p in layer.pages], metadata


def _read_text_layer(data: bytes, name: str, clock: _Clock, max_pages: int, ocr: OcrHook | None) -> _TextLayer:
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except PdfminerException as exc:
        raise _open_error(name, _cause(exc)) from exc
    except PSException as exc:
        raise _open_error(name, exc) from exc
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
        layer = _TextLayer(n_pages, [], {})
        for number, page in enumerate(pages, start=1):
            clock.check(number)
            try:
                items: list[PageItem] = []
                if not page_needs_ocr(page):
                    items = read_page_items(page, number)
                elif ocr is not None:
                    items = sort_items(ocr(page, number))
                else:
                    layer.ocr_needed.append(number)
                    layer.origins[number] = (float(page.bbox[0]), float(page.bbox[1]))
                layer.pages.append(LaidPage(number, float(page.width), float(page.height), tuple(items)))
            except (PdfminerException, PSException) as exc:
                raise ReaderError(f"{name}: page {number} of {n_pages} could not be read, the PDF is damaged "
                                  f"({_describe(_cause(exc))})", "failed") from exc
            finally:
                page.close()
            if not items and number not in layer.ocr_needed:
                layer.blank_pages += 1
        layer.metadata = _pdf_metadata(pdf)
    finally:
        pdf.close()
    clock.check(n_pages)
    return layer


# -- metadata, errors, time --------------------------------------------------


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
