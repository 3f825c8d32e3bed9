"""Readers: the bytes of one file -> a `Document`. `detect_format` sniffs, `read_document` dispatches.

A new format is one reader function added to READERS; formats without a reader are "unsupported".
"""

from __future__ import annotations

from collections.abc import Callable

from nianbao.common.formats import UNKNOWN_FORMAT, detect_format

from .docx import read_docx
from .html import read_html
from .image import read_image
from .limits import check_input
from .model import Document, ReaderError
from .office import read_doc_via_libreoffice
from .pdf import read_pdf
from .text import read_text

Reader = Callable[[bytes, str], Document]

# Format name -> reader. PDF, DOCX, DOC/WPS and image (OCR) readers register here when they exist.
READERS: dict[str, Reader] = {
    "html": read_html,
    "txt": read_text,
    "docx": read_docx,
    "doc": read_doc_via_libreoffice,
    "wps": read_doc_via_libreoffice,
    "pdf": read_pdf,
    # OCR (RapidOCR, models bundled); image.py loads the engine only when an image is read.
    "image": read_image,
}

def read_document(data: bytes, name: str, fmt: str | None = None) -> Document:
    """Read one file into a Document; raises ReaderError with the status to record when it cannot."""
    if not data:
        raise ReaderError(f"{name}: the file is empty", "failed")
    fmt = fmt or detect_format(name, data)
    reader = READERS.get(fmt)
    if reader is not None:
        return reader(check_input(data, name, fmt), name)
    if fmt == UNKNOWN_FORMAT:
        raise ReaderError(
            f"{name}: not a readable text or HTML document (binary data of no known format)", "failed")
    raise ReaderError(f"{name}: {fmt} documents are not supported yet", "unsupported")
