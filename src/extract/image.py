"""Image reports and scanned PDFs: page images -> OCR (nianbao.extract.ocr) -> one Document.

A PNG/JPG/TIFF/BMP/GIF/WebP file is one page (a multi-frame TIFF is one page per frame); a report
published as several images is read with `read_image_pages`; an image-only PDF is rendered.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nianbao.config import limits

from .model import Document, ReaderError
from .pdf import PageCell, PageItem, PageLine, PageTable

# Scanned PDFs are rendered at this resolution: enough for 10.5 pt table text, and the page
# geometry the OCR module works in.
RENDER_DPI = 200
# An annual report is a few pages; a file with more page images than this is not one.
MAX_PAGES = 100
# Pixels in one page image above which it is refused (a decompression bomb, not a scan).
MAX_PIXELS = 60_000_000


def render_dpi(width_pt: float, height_pt: float, dpi: float = RENDER_DPI) -> float:
    """The resolution to render a PDF page at for OCR: `dpi`, lowered so that the page image
    stays within the pixel budget of one page (Limits.image_pixels_million): a page of 200 by
    200 inches is OCR'd downscaled instead of rendered as 1.6 billion pixels."""
    budget = limits().image_pixels_million * 1_000_000
    pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if pixels <= budget or width_pt <= 0 or height_pt <= 0:
        return dpi
    return 72 * math.sqrt(budget / (width_pt * height_pt))


def read_image(data: bytes, name: str) -> Document:
    """Read one image file (every frame of a multi-frame TIFF or GIF is a page)."""
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    return _read_pages(name, "image", _frames(data, name), {})


def read_image_pages(pages: Sequence[bytes], name: str) -> Document:
    """Read a report published as several page images, given in page order, as one Document
    (a table running over two images is joined like one running over two pages)."""
    if not pages:
        raise ReaderError(f"{name}: no page images were given", "failed")
    images: list[Any] = []
    for k, data in enumerate(pages, start=1):
        if not data:
            raise ReaderError(f"{name}: page image {k} is empty", "failed")
        images.extend(_frames(data, f"{name} (page image {k})"))
    return _read_pages(name, "image", images, {})


def read_scanned_pdf(data: bytes, name: str, *, dpi: int = RENDER_DPI) -> Document:
    """Read a PDF whose pages are images (a scan): every page rendered at `dpi` and OCR'd."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReaderError(f"{name}: damaged PDF, it could not be opened for OCR ({exc})", "failed") from exc
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise ReaderError(f"{name}: the PDF has no pages", "failed")
        if n_pages > MAX_PAGES:
            raise ReaderError(f"{name}: the scanned PDF has {n_pages} pages, more than the {MAX_PAGES} pages "
                              "an annual report can have", "failed")
        images = []
        for k in range(n_pages):
            page = pdf[k]
            try:
                page_dpi = render_dpi(*page.get_size(), dpi=dpi)
                images.append(page.render(scale=page_dpi / 72, grayscale=True).to_pil())
            finally:
                page.close()
    finally:
        pdf.close()
    return _read_pages(name, "pdf", images, {"render_dpi": str(dpi)})


@dataclass(frozen=True)
class OcrPageLine(PageLine):
    """A PageLine read by OCR, with the engine's confidence."""

    ocr_confidence: float = 0.0


@dataclass(frozen=True)
class OcrPageCell(PageCell):
    """A PageCell read by OCR, with the engine's confidence."""

    ocr_confidence: float = 0.0


# A text box is taller than the type in it; PageLine.size is the type size.
_BOX_TO_TYPE_SIZE = 1.25


def ocr_pdf_page(page: Any, number: int) -> list[PageItem]:
    """read_pdf's OCR hook (`read_pdf(data, name, ocr=ocr_pdf_page)`): one pdfplumber page whose
    text layer is unusable, rendered at RENDER_DPI and OCR'd, as the lines and table cells (in PDF
    points) its text layer would have given. The items carry the engine's confidence
    (`ocr_confidence`) for the PDF reader to pass on to the Cells and TextBlocks it builds."""
    from . import ocr

    dpi = render_dpi(float(page.width), float(page.height))
    image = page.to_image(resolution=dpi).original
    result = ocr.read_page(image, number)
    k = 72.0 / dpi / result.scale
    left, top = float(page.bbox[0]), float(page.bbox[1])
    items: list[PageItem] = []
    for item in result.items:
        if isinstance(item, ocr.OcrLine):
            items.append(OcrPageLine(number, top + item.top * k, top + item.bottom * k, left + item.x0 * k,
                                     left + item.x1 * k, item.text, item.size * k / _BOX_TO_TYPE_SIZE,
                                     item.confidence))
            continue
        cells = tuple(OcrPageCell(left + item.xs[c.col] * k, top + item.ys[c.row] * k,
                                  left + item.xs[c.col + c.colspan] * k, top + item.ys[c.row + c.rowspan] * k,
                                  c.text, c.confidence)
                      for c in item.cells)
        items.append(PageTable(number, top + item.top * k, top + item.bottom * k, left + item.xs[0] * k,
                               left + item.xs[-1] * k, cells))
    return items


def _frames(data: bytes, name: str) -> list[Any]:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            frames = []
            for k in range(getattr(image, "n_frames", 1)):
                image.seek(k)
                if image.width * image.height > MAX_PIXELS:
                    raise ReaderError(f"{name}: the image is {image.width} x {image.height} pixels, too large "
                                      "to be a page", "failed")
                frames.append(image.copy())
                if len(frames) > MAX_PAGES:
                    raise ReaderError(f"{name}: the image has more than {MAX_PAGES} frames", "failed")
    except (UnidentifiedImageError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ReaderError(f"{name}: not a readable image ({exc})", "failed") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ReaderError(f"{name}: damaged or truncated image ({type(exc).__name__}: {exc})", "failed") from exc
    return frames


def _read_pages(name: str, fmt: str, images: list[Any], metadata: dict[str, str]) -> Document:
    from . import ocr

    pages = []
    try:
        for number, image in enumerate(images, start=1):
            pages.append(ocr.read_page(image, number))
    except ocr.OcrUnavailable as exc:
        raise ReaderError(f"{name}: {exc}", "unsupported") from exc
    if not any(page.items for page in pages):
        raise ReaderError(f"{name}: OCR found no text on any of its {len(pages)} page(s)", "failed")
    metadata = {**metadata, "pages": str(len(pages)), "ocr": ocr.engine_description()}
    skewed = [f"{p.number}: {p.skew:+.2f}°" for p in pages if p.skew]
    if skewed:
        metadata["ocr_deskewed"] = ", ".join(skewed)
    return ocr.assemble_document(name, fmt, pages, metadata)
