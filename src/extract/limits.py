"""Input size limits checked before a reader parses a file, so that no file can make a reader
allocate or loop beyond what an annual report needs: the decompressed size and part count of a
DOCX, the drawn content and image pixels of a PDF, the bytes of HTML and text, table grids.

A breach raises InputTooLarge (status `too_large`) naming the limit, its setting and the
figure. HTML nested deeper than its limit is not refused but flattened (`flatten_deep_html`):
a report wrapped in thousands of <div>s is still a report. The limits are nianbao.config.Limits.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from nianbao.config import Limits, limits

from .model import ReaderError

MB = 1024 * 1024
TOO_LARGE = "too_large"


class InputTooLarge(ReaderError):
    """The file is larger than a limit allows; nothing is parsed."""

    def __init__(self, name: str, what: str, figure: str, limit: str, setting: str) -> None:
        super().__init__(f"{name}: {what} is {figure}, more than the limit of {limit} "
                         f"(setting NIANBAO_{setting}); not read", TOO_LARGE)


def _mb(n: float) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,.0f} bytes"


def check_file_size(name: str, size: int, lim: Limits | None = None) -> None:
    lim = lim or limits()
    if size > lim.file_mb * MB:
        raise InputTooLarge(name, "the file", _mb(size), f"{lim.file_mb} MB", "FILE_MB")


def check_input(data: bytes, name: str, fmt: str) -> bytes:
    """Check `data` against the limits of its format before it is parsed; returns the bytes the
    reader should parse (HTML nested too deep comes back flattened). Raises InputTooLarge."""
    lim = limits()
    check_file_size(name, len(data), lim)
    if fmt == "docx":
        check_zip(data, name, lim)
    elif fmt == "pdf":
        check_pdf(data, name, lim)
    elif fmt == "html":
        if len(data) > lim.html_mb * MB:
            raise InputTooLarge(name, "the HTML page", _mb(len(data)), f"{lim.html_mb} MB", "HTML_MB")
        data = flatten_deep_html(data, lim.html_depth)
    elif fmt == "image":
        check_image_header(data, name, lim)
    elif fmt == "txt" and len(data) > lim.text_mb * MB:
        raise InputTooLarge(name, "the text file", _mb(len(data)), f"{lim.text_mb} MB", "TEXT_MB")
    return data


def check_table_size(name: str, where: str, n_rows: int, n_cols: int) -> None:
    """Called by the readers before they build a table's grid of cells."""
    lim = limits()
    if n_cols > lim.table_columns:
        raise InputTooLarge(name, f"the table at {where}", f"{n_cols:,} columns wide",
                            f"{lim.table_columns} columns", "TABLE_COLUMNS")
    if n_rows > lim.table_rows:
        raise InputTooLarge(name, f"the table at {where}", f"{n_rows:,} rows long",
                            f"{lim.table_rows} rows", "TABLE_ROWS")


def check_image_header(data: bytes, name: str, lim: Limits | None = None) -> None:
    """Width x height from a PNG or GIF header, before any pixel is decoded."""
    lim = lim or limits()
    size = None
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        size = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        size = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    if size and size[0] * size[1] > lim.image_pixels_million * 1_000_000:
        raise InputTooLarge(name, "the image", f"{size[0]:,} x {size[1]:,} pixels",
                            f"{lim.image_pixels_million} million pixels", "IMAGE_PIXELS_MILLION")


# ------------------------------------------------------------------------------ DOCX (zip)

_PARAGRAPH = re.compile(rb"<w:p[\s>/]")


def check_zip(data: bytes, name: str, lim: Limits | None = None) -> None:
    """Entry count and total uncompressed size of the package (zipfile stops a member at its
    declared size, so the declared sizes bound what is decompressed), then the paragraphs of the
    body, counted in the decompressed XML without parsing it."""
    lim = lim or limits()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable zip: the reader says so
    entries = archive.infolist()
    if len(entries) > lim.zip_entries:
        raise InputTooLarge(name, "the DOCX package", f"{len(entries):,} parts", f"{lim.zip_entries:,} parts",
                            "ZIP_ENTRIES")
    total = sum(max(e.file_size, 0) for e in entries)
    if total > lim.zip_uncompressed_mb * MB:
        raise InputTooLarge(name, "the DOCX package uncompressed", _mb(total),
                            f"{lim.zip_uncompressed_mb} MB", "ZIP_UNCOMPRESSED_MB")
    try:
        body = archive.read("word/document.xml")
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        return
    n = len(_PARAGRAPH.findall(body))
    if n > lim.docx_paragraphs:
        raise InputTooLarge(name, "the DOCX body", f"{n:,} paragraphs", f"{lim.docx_paragraphs:,} paragraphs",
                            "DOCX_PARAGRAPHS")


# ------------------------------------------------------------------------------ PDF

_MAX_FORM_DEPTH = 12


def check_pdf(data: bytes, name: str, lim: Limits | None = None) -> None:
    """What drawing the pages would cost, from the object graph alone: the decompressed content
    streams drawn (a form XObject counts once per `Do` that draws it, so a fan-out of forms
    drawing forms is counted as what it expands to) and the pixels of the images drawn. A PDF
    pdfminer cannot open is left to the reader, which says why."""
    lim = lim or limits()
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1

        document = PDFDocument(PDFParser(io.BytesIO(data)))
        tree = resolve1(document.catalog.get("Pages"))
        count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
        if isinstance(count, int) and count > lim.pdf_pages:
            raise InputTooLarge(name, "the PDF", f"{count:,} pages", f"{lim.pdf_pages} pages", "PDF_PAGES")
        pages = PDFPage.create_pages(document)
        budget = _PdfBudget(name, lim)
        for page in pages:
            budget.page(page)
    except InputTooLarge:
        raise
    except Exception:  # noqa: BLE001 -- damaged or encrypted: the reader reports it in its words
        return


class _PdfBudget:
    def __init__(self, name: str, lim: Limits) -> None:
        self.name, self.lim = name, lim
        self.content = 0
        self.pixels = 0
        self.n_pages = 0
        self._form_cost: dict[int, tuple[int, int]] = {}

    def page(self, page: object) -> None:
        from pdfminer.pdftypes import resolve1

        self.n_pages += 1
        if self.n_pages > self.lim.pdf_pages:
            raise InputTooLarge(self.name, "the PDF", f"{self.n_pages:,}+ pages", f"{self.lim.pdf_pages} pages",
                                "PDF_PAGES")
        contents = resolve1(getattr(page, "attrs", {}).get("Contents"))
        streams = contents if isinstance(contents, list) else [contents]
        text = b"".join(self._decoded(resolve1(s), self._room()) for s in streams if s is not None)
        content, pixels = self._drawn(text, resolve1(page.resources) if page.resources else {}, 0)  # type: ignore[attr-defined]
        self._add(content + len(text), pixels)

    def _room(self) -> int:
        return self.lim.pdf_content_mb * MB - self.content + 1

    def _add(self, content: int, pixels: int) -> None:
        self.content += content
        self.pixels += pixels
        if self.content > self.lim.pdf_content_mb * MB:
            raise InputTooLarge(self.name, "the content drawn on its pages", f"at least {_mb(self.content)}",
                                f"{self.lim.pdf_content_mb} MB", "PDF_CONTENT_MB")
        if self.pixels > self.lim.images_pixels_million * 1_000_000:
            raise InputTooLarge(self.name, f"the images drawn on its {self.n_pages} pages",
                                f"{self.pixels / 1e6:,.0f} million pixels",
                                f"{self.lim.images_pixels_million} million pixels", "IMAGES_PIXELS_MILLION")

    def _decoded(self, stream: object, room: int) -> bytes:
        """The stream's decompressed bytes, at most `room` of them (a Flate bomb stops there)."""
        raw = getattr(stream, "rawdata", None)
        if raw is None:
            data = getattr(stream, "data", None)
            return bytes(data[:room]) if data else b""
        filters = stream.get_filters() if hasattr(stream, "get_filters") else []  # type: ignore[attr-defined]
        names = [getattr(f, "name", str(f)) for f, _params in filters]
        if not names:
            return bytes(raw[:room])
        if names[0] in ("FlateDecode", "Fl"):
            try:
                return zlib.decompressobj().decompress(raw, room)
            except zlib.error:
                return b""
        return bytes(raw[:room])  # other filters: the encoded size stands for the content

    def _drawn(self, content: bytes, resources: object, depth: int) -> tuple[int, int]:
        """Content bytes and image pixels drawn by the XObjects that `content` paints."""
        from pdfminer.pdftypes import resolve1

        if not isinstance(resources, dict) or depth > _MAX_FORM_DEPTH:
            return 0, 0
        xobjects = resolve1(resources.get("XObject"))
        if not isinstance(xobjects, dict):
            return 0, 0
        total_content = total_pixels = 0
        for key, ref in xobjects.items():
            uses = content.count(b"/" + str(key).encode("latin-1", "replace") + b" Do") + \
                content.count(b"/" + str(key).encode("latin-1", "replace") + b"Do")
            if not uses:
                continue
            objid = getattr(ref, "objid", None)
            xobj = resolve1(ref)
            attrs = getattr(xobj, "attrs", None)
            if not isinstance(attrs, dict):
                continue
            subtype = getattr(resolve1(attrs.get("Subtype")), "name", None)
            if subtype == "Image":
                w, h = resolve1(attrs.get("Width")) or 0, resolve1(attrs.get("Height")) or 0
                pixels = int(w) * int(h) if isinstance(w, int) and isinstance(h, int) else 0
                if pixels > self.lim.image_pixels_million * 1_000_000:
                    raise InputTooLarge(self.name, "an image on its pages", f"{w:,} x {h:,} pixels",
                                        f"{self.lim.image_pixels_million} million pixels",
                                        "IMAGE_PIXELS_MILLION")
                cost = (0, pixels)
            elif subtype == "Form":
                if objid is not None and objid in self._form_cost:
                    cost = self._form_cost[objid]
                else:
                    if objid is not None:
                        self._form_cost[objid] = (0, 0)  # a form drawing itself draws nothing more
                    body = self._decoded(xobj, self._room())
                    sub = self._drawn(body, resolve1(attrs.get("Resources")) or resources, depth + 1)
                    cost = (len(body) + sub[0], sub[1])
                    if objid is not None:
                        self._form_cost[objid] = cost
            else:
                continue
            total_content += uses * cost[0]
            total_pixels += uses * cost[1]
        return total_content, total_pixels


# ------------------------------------------------------------------------------ HTML

# A tag (or comment, doctype): linear to match, no nested quantifiers.
_TAG = re.compile(rb"<(/?)([A-Za-z][A-Za-z0-9:_-]*)[^>]*>|<!--.*?-->", re.DOTALL)
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())
# Tags that carry the structure a reader needs, kept at any depth.
_STRUCTURAL = frozenset(b"html head body title table thead tbody tfoot tr td th caption colgroup col "
                        b"script style br p h1 h2 h3 h4 h5 h6 li ul ol".split())


def html_depth(data: bytes) -> int:
    """The deepest element nesting of an HTML page, from its tags (void and self-closed ones
    left out; a closing tag closes back to its opening)."""
    return max((d for d, _ in _walk_tags(data, None)), default=0)


def _walk_tags(data: bytes, cap: int | None) -> Iterator[tuple[int, tuple[int, int] | None]]:
    """(depth, span of a tag to drop) for every tag; with `cap`, the wrapper tags deeper than cap
    (and their closing tags) are the ones to drop."""
    stack: list[tuple[bytes, bool]] = []  # (tag name, dropped)
    kept = 0
    for m in _TAG.finditer(data):
        tag = m.group(2)
        if tag is None:
            continue
        tag = tag.lower()
        closing = m.group(1) == b"/"
        if tag in _VOID or (not closing and m.group(0).endswith(b"/>")):
            yield kept, None
            continue
        if not closing:
            drop = cap is not None and kept >= cap and tag not in _STRUCTURAL
            stack.append((tag, drop))
            if not drop:
                kept += 1
            yield kept, (m.start(), m.end()) if drop else None
            continue
        # A closing tag: pop back to its opening tag, if it is open at all.
        for i in range(len(stack) - 1, max(len(stack) - 64, -1), -1):
            if stack[i][0] == tag:
                closed = stack[i:]
                del stack[i:]
                kept -= sum(1 for _, dropped in closed if not dropped)
                yield kept, (m.start(), m.end()) if closed[0][1] else None
                break
        else:
            yield kept, None


_BOUND_CHUNK = 512
_VOID_STARTS = tuple(p + t for t in (b"br", b"img", b"meta", b"hr", b"input", b"link")
                     for p in (b"<",)) + tuple(b"<" + t.upper() for t in (b"br", b"img", b"meta", b"hr", b"input", b"link"))


def _depth_bound(data: bytes) -> int:
    """An upper bound of the nesting depth, at C speed (bytes.count, no match objects): the
    depth at each 512-byte boundary (tags opened minus closed before it) plus the tags opened
    within the chunk. Ordinary pages stay far below any cap, so only deep ones pay for the
    exact walk."""
    depth = bound = 0
    n = len(data)
    for start in range(0, n, _BOUND_CHUNK):
        end = min(start + _BOUND_CHUNK, n)
        closes = data.count(b"</", start, end + 1)
        opens = (data.count(b"<", start, end) - closes - data.count(b"<!", start, end + 1)
                 - sum(data.count(v, start, end + len(v) - 1) for v in _VOID_STARTS))
        bound = max(bound, depth + max(opens, 0))
        depth = max(depth + opens - closes, 0)
    return bound


def flatten_deep_html(data: bytes, cap: int) -> bytes:
    """`data` with the wrapper tags (div, span, font...) nested deeper than `cap` removed, their
    text kept; unchanged when the page is not that deep."""
    if data.count(b"<") <= cap or _depth_bound(data) <= cap or html_depth(data) <= cap:
        return data
    out = []
    last = 0
    for _, span in _walk_tags(data, cap):
        if span is not None:
            out.append(data[last:span[0]])
            last = span[1]
    out.append(data[last:])
    return b"".join(out)
