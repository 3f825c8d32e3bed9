"""Image reports and scanned PDF pages: page images -> OCR (nianbao.extract.ocr) -> page items
in points -> the layout engine's one assembler.

A PNG/JPG/TIFF/BMP/GIF/WebP file is one page (a multi-frame TIFF is one page per frame); a report
published as several images is read with `read_image_pages`; the PDF reader has the pages without
a usable text layer rendered and OCR'd here (`ocr_pdf_pages`).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from .layout import LaidPage, assemble
from .model import Document, ReaderError

# Scanned PDFs are rendered at this resolution: enough for 10.5 pt table text, and the page
# geometry the OCR module works in (an image file is taken to be at about this resolution).
RENDER_DPI = 200
# An annual report is a few pages; a file with more page images than this is not one.
MAX_PAGES = 100
# Pixels in one page image above which it is refused (a decompression bomb, not a scan).
MAX_PIXELS = 60_000_000


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


def ocr_pdf_pages(data: bytes, name: str, numbers: Sequence[int],
                  origins: Mapping[int, tuple[float, float]] | None = None, *, dpi: int = RENDER_DPI) -> list[LaidPage]:
    """The PDF pages `numbers` (1-based; a scan, or pages without a usable text layer) rendered at
    `dpi` and OCR'd, as page items in PDF points (offset by the page's `origins` corner, where its
    crop box does not start at 0, 0), with the engine's confidence on every line and cell. Raises
    ReaderError ("unsupported" when the OCR engine is not available)."""
    import pypdfium2 as pdfium

    if len(numbers) > MAX_PAGES:
        raise ReaderError(f"{name}: {len(numbers)} scanned pages, more than the {MAX_PAGES} pages an annual "
                          "report can have", "failed")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise ReaderError(f"{name}: damaged PDF, it could not be opened for OCR ({exc})", "failed") from exc
    try:
        images = []
        for number in numbers:
            page = pdf[number - 1]
            try:
                images.append(page.render(scale=dpi / 72, grayscale=True).to_pil())
            finally:
                page.close()
    finally:
        pdf.close()
    return _ocr_images(name, images, numbers, dpi, origins or {})


def ocr_metadata(pages: Sequence[LaidPage], dpi: int | None = None) -> dict[str, str]:
    """What a Document read by OCR says about it: the engine, the resolution pages were rendered
    at (for a PDF), the skew corrected."""
    from . import ocr

    out = {"ocr": ocr.engine_description()}
    if dpi is not None:
        out["render_dpi"] = str(dpi)
    skewed = [f"{p.number}: {p.skew:+.2f}°" for p in pages if p.skew]
    if skewed:
        out["ocr_deskewed"] = ", ".join(skewed)
    return out


def _ocr_images(name: str, images: Sequence[Any], numbers: Sequence[int], dpi: int,
                origins: Mapping[int, tuple[float, float]]) -> list[LaidPage]:
    from . import ocr

    try:
        return [ocr.read_page(image, number, dpi=dpi, origin=origins.get(number, (0.0, 0.0)))
                for image, number in zip(images, numbers)]
    except ocr.OcrUnavailable as exc:
        raise ReaderError(f"{name}: {exc}", "unsupported") from exc


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
    pages = _ocr_images(name, images, range(1, len(images) + 1), RENDER_DPI, {})
    if not any(page.items for page in pages):
        raise ReaderError(f"{name}: OCR found no text on any of its {len(pages)} page(s)", "failed")
    metadata = {**metadata, "pages": str(len(pages)), **ocr_metadata(pages)}
    return assemble(name, fmt, pages, metadata)
