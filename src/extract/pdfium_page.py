"""PDF pages read with PDFium (pypdfium2): characters, ruling lines, rectangles, curves and images
as pdfplumber gives them (same object shapes, same top-left coordinates), about ten times faster.

The layout engine reads a page through `.glyphs` (tuples, no per-character dict is built),
`.rects`, `.lines`, `.curves`, `.images`, `.width` and `.height`; `.chars`, `.edges`, `.filter()`
and `.find_tables()` (pdfplumber's own TableFinder) are there for the comparison with pdfplumber.
What is known to differ from pdfminer, and why it does not change what pdf.py reads, is in
docs/pdf_engines.md.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import pypdfium2 as pdfium
from pdfminer.fontmetrics import FONT_METRICS
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral, literal_name
from pdfplumber.container import Container
from pdfplumber.table import TableFinder, TableSettings
from pypdfium2 import raw

from .layout.textlayer import Glyph

Obj = dict[str, Any]
Matrix = tuple[float, float, float, float, float, float]

_SUBSET_TAG = re.compile(rb"^[A-Z]{6}\+")
_ZERO_METRIC = re.compile(rb"/(?:Descent|Ascent)\s*0(?![.\d])")
_DESCRIPTOR = re.compile(rb"/Type\s*/FontDescriptor")
_DESCENT = re.compile(rb"/Descent[\s\d.+-]")
_STANDARD_FONT = re.compile(rb"/BaseFont\s*/(?:Times|Helvetica|Courier|Symbol|ZapfDingbats)")
# PDFium's inferred characters: spaces, line breaks and the marks of a hyphenated line end.
_MAYBE_GENERATED = frozenset((0x02, 0x0A, 0x0D, 0x20, 0xFFFE))
# FPDFText_GetTextObject answering the object's address (a dictionary key) instead of a pointer
_text_object_address = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)(
    ctypes.cast(raw.FPDFText_GetTextObject, ctypes.c_void_p).value)
# FPDFTextObj_GetFont answering the font's address (the key of a document's fonts)
_font_address = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)(
    ctypes.cast(raw.FPDFTextObj_GetFont, ctypes.c_void_p).value)
_MATRIX = raw.FS_MATRIX()  # a scratch buffer (PDFium, and so this module, is single-threaded)
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
# PDFium's text page lists glyphs; it never reads a form nested deeper than this (nor do we).
_MAX_FORM_DEPTH = 16


class PdfiumOpenError(Exception):
    """The PDF could not be opened; `encrypted` when a password is needed."""

    def __init__(self, message: str, *, encrypted: bool = False) -> None:
        super().__init__(message)
        self.encrypted = encrypted


class PdfiumPdf:
    """An open PDF: its pages (`PdfiumPage`, loaded one at a time), `doc.info` (the document
    information entries, read by pdfminer's parser as pdfplumber reads them) and `close()`."""

    def __init__(self, data: bytes) -> None:
        try:
            self.pdfium = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            code = getattr(exc, "err_code", None)
            raise PdfiumOpenError(str(exc), encrypted=code == raw.FPDF_ERR_PASSWORD) from exc
        self.doc, self.descents = _structure(data)
        self.fonts: dict[int | None, _Font] = {}
        try:
            self.pages = [PdfiumPage(self, k) for k in range(len(self.pdfium))]
        except pdfium.PdfiumError as exc:
            self.close()
            raise PdfiumOpenError(str(exc)) from exc

    def close(self) -> None:
        for page in getattr(self, "pages", ()):
            page.close()
        self.pdfium.close()


class _NoInfo:
    """A document pdfminer's parser could not read: no information entries."""

    info: tuple[Any, ...] = ()


def _structure(data: bytes) -> tuple[Any, dict[bytes, float | None]]:
    """pdfminer's view of the file's objects, without interpreting any page: the document (for
    its information entries) and the /Descent of every font the pages use, by /BaseFont. PDFium
    substitutes the font program's descent where a descriptor says 0 or is missing; pdfminer
    takes the descriptor's word, and pdfplumber's character boxes stand on it."""
    try:
        parser = PDFParser(io.BytesIO(data))
        doc = PDFDocument(parser)
    except Exception:  # noqa: BLE001 - a file pdfminer cannot parse still has its pages read by PDFium
        return _NoInfo(), {}
    descents: dict[bytes, float | None] = {}
    if not _metrics_may_differ(data):
        return doc, descents
    try:
        seen: set[int] = set()
        for page in PDFPage.create_pages(doc):
            _collect_descents(page.resources, descents, seen, 0)
    except Exception:  # noqa: BLE001, S110 - damaged resources: PDFium's font metrics stand
        pass
    return doc, descents


def _metrics_may_differ(data: bytes) -> bool:
    """Whether some font may lack a descriptor /Descent PDFium would honour: one says 0 (PDFium
    then measures the glyphs), one has no /Descent or no descriptor at all (Type3, the standard
    14), or the objects are compressed out of sight. Reading the fonts' dictionaries costs tens of
    milliseconds a document (their /W arrays), so it is done only then."""
    if b"/ObjStm" in data or _ZERO_METRIC.search(data) or _STANDARD_FONT.search(data) or b"/Type3" in data:
        return True
    return len(_DESCRIPTOR.findall(data)) > len(_DESCENT.findall(data))


def _collect_descents(resources: Any, out: dict[bytes, float | None], seen: set[int], depth: int) -> None:
    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > _MAX_FORM_DEPTH or id(resources) in seen:
        return
    seen.add(id(resources))
    fonts = resolve1(resources.get("Font"))
    for spec in (fonts.values() if isinstance(fonts, dict) else ()):
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            continue
        names = [_name_bytes(spec.get("BaseFont"))]
        descriptor = resolve1(spec.get("FontDescriptor"))
        if "DescendantFonts" in spec:
            descendants = resolve1(spec["DescendantFonts"])
            child = resolve1(descendants[0]) if isinstance(descendants, list) and descendants else None
            if isinstance(child, dict):
                names.append(_name_bytes(child.get("BaseFont")))
                descriptor = resolve1(child.get("FontDescriptor"))
        if isinstance(descriptor, dict):
            value = resolve1(descriptor.get("Descent", 0))
            descent = float(value) if isinstance(value, (int, float)) else 0.0
        else:
            metrics = FONT_METRICS.get(literal_name(resolve1(spec.get("BaseFont"))) or "")
            if metrics is None:
                continue
            descent = float(metrics[0].get("Descent", 0))
        for name in names:
            # PDFium names a font without its subset tag (ABCDEF+); two subsets of one font
            # with different descents leave the choice to PDFium
            name = _SUBSET_TAG.sub(b"", name)
            if name and out.setdefault(name, descent) != descent:
                out[name] = None
    xobjects = resolve1(resources.get("XObject"))
    for xobj in (xobjects.values() if isinstance(xobjects, dict) else ()):
        xobj = resolve1(xobj)
        attrs = getattr(xobj, "attrs", None)
        if isinstance(attrs, dict) and literal_name(attrs.get("Subtype")) == "Form":
            _collect_descents(attrs.get("Resources"), out, seen, depth + 1)


def _name_bytes(name: Any) -> bytes:
    name = resolve1(name)
    if isinstance(name, PSLiteral):
        name = name.name
    if isinstance(name, str):
        return name.encode("utf-8", "surrogateescape")
    return name if isinstance(name, bytes) else b""


class PdfiumPage(Container):
    """One page as pdfplumber's Page shows it to pdf.py; the page's objects are read on first use."""

    is_original = True
    cached_properties: ClassVar[list[str]] = [*Container.cached_properties, "_glyphs", "_shapes"]

    def __init__(self, pdf: PdfiumPdf, index: int) -> None:
        self.pdf = pdf
        self.index = index
        self.page_number = index + 1
        self._page: Any = None
        page = self._load()
        self.rotation = page.get_rotation() % 360
        mx0, my0, mx1, my1 = page.get_mediabox()
        x0, x1 = sorted((mx0, mx1))
        y0, y1 = sorted((my0, my1))
        # pdfplumber's boxes: rotation 90/270 swaps the axes; top-left origin
        box = (y0, x0, y1, x1) if self.rotation in (90, 270) else (x0, y0, x1, y1)
        box_height = box[3] - box[1]
        self.mediabox = (box[0], box_height - box[3], box[2], box_height - box[1])
        cx0, cy0, cx1, cy1 = page.get_cropbox()
        cx0, cx1 = sorted((cx0, cx1))
        cy0, cy1 = sorted((cy0, cy1))
        crop = (cy0, cx0, cy1, cx1) if self.rotation in (90, 270) else (cx0, cy0, cx1, cy1)
        self.cropbox = (crop[0], box_height - crop[3], crop[2], box_height - crop[1])
        self.bbox = self.mediabox
        # User space -> pdfplumber's (x, top): pdfminer's page matrix (rotation, MediaBox origin),
        # then pdfplumber's flip and MediaBox offset.
        if self.rotation == 90:
            ctm: Matrix = (0, -1, 1, 0, -my0, mx1)
        elif self.rotation == 180:
            ctm = (-1, 0, 0, -1, mx1, my1)
        elif self.rotation == 270:
            ctm = (0, 1, -1, 0, my1, -mx0)
        else:
            ctm = (1, 0, 0, 1, -mx0, -my0)
        flip: Matrix = (1, 0, 0, -1, self.mediabox[0], self.height + self.mediabox[1])
        self.page_matrix = _multiply(ctm, flip)

    @property
    def width(self) -> float:
        return self.bbox[2] - self.bbox[0]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @property
    def glyphs(self) -> list[Glyph]:
        """The page's glyphs as tuples (layout.textlayer.Glyph), without building pdfplumber's dicts."""
        return self._text()[0]

    @property
    def objects(self) -> dict[str, list[Obj]]:
        if not hasattr(self, "_objects"):
            glyphs, owners = self._text()
            self._objects = {"char": _char_dicts(glyphs, owners, self), **self._drawn()}
        return self._objects

    # The drawn shapes without the characters' dicts (pdfplumber's Container reads .objects).
    rects = property(lambda self: self._drawn()["rect"])
    lines = property(lambda self: self._drawn()["line"])
    curves = property(lambda self: self._drawn()["curve"])
    images = property(lambda self: self._drawn()["image"])

    def _text(self) -> tuple[list[Glyph], list[_Run]]:
        if not hasattr(self, "_glyphs"):
            self._glyphs = _glyphs(self._load(), self, self.pdf.fonts, self.pdf.descents)
        return self._glyphs

    def _drawn(self) -> dict[str, list[Obj]]:
        if not hasattr(self, "_shapes"):
            shapes: dict[str, list[Obj]] = {"rect": [], "line": [], "curve": [], "image": []}
            for kind, obj in _drawn_objects(self._load(), self):
                shapes[kind].append(obj)
            self._shapes = shapes
        return self._shapes

    def filter(self, keep: Callable[[Obj], bool]) -> _FilteredPage:
        return _FilteredPage(self, keep)

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Any]:
        return TableFinder(self, TableSettings.resolve(table_settings)).tables

    def to_image(self, resolution: float = 72) -> _PageImage:
        """The page rendered as pdfplumber's `to_image` renders it (same PDFium call and options)."""
        image = self._load().render(scale=resolution / 72, no_smoothtext=True, no_smoothpath=True,
                                    no_smoothimage=True, prefer_bgrx=True).to_pil().convert("RGB")
        return _PageImage(image)

    def close(self) -> None:
        self.flush_cache()
        if self._page is not None:
            self._page.close()
            self._page = None

    def _load(self) -> Any:
        if self._page is None:
            self._page = self.pdf.pdfium[self.index]
        return self._page


class _FilteredPage(Container):
    """A page showing only the objects `keep` accepts (pdfplumber's Page.filter)."""

    def __init__(self, parent: PdfiumPage | _FilteredPage, keep: Callable[[Obj], bool]) -> None:
        self.parent = parent
        self.keep = keep
        self.bbox = parent.bbox
        self.page_number = parent.page_number
        self.width = parent.width
        self.height = parent.height

    @property
    def objects(self) -> dict[str, list[Obj]]:
        if not hasattr(self, "_objects"):
            self._objects = {k: [o for o in v if self.keep(o)] for k, v in self.parent.objects.items()}
        return self._objects

    def filter(self, keep: Callable[[Obj], bool]) -> _FilteredPage:
        return _FilteredPage(self, keep)

    def find_tables(self, table_settings: dict[str, Any] | None = None) -> list[Any]:
        return TableFinder(self, TableSettings.resolve(table_settings)).tables


class _PageImage:
    def __init__(self, original: Any) -> None:
        self.original = original


# -- characters -------------------------------------------------------------------------------


class _Font:
    """A font's name, descent and advance widths (per 1000 units of type size), asked once a document."""

    __slots__ = ("descent", "font", "name", "widths")

    def __init__(self, font: Any, descents: dict[bytes, float | None]) -> None:
        self.font = font
        name = _font_name(font)
        self.name = name.decode("utf-8", "replace")
        # pdfminer stands glyphs on the /Descent of the font descriptor, 0 when it says 0 (PDFium
        # then takes the font program's); the descriptor's value when known, forced negative as
        # pdfminer does (PScript5 writes it positive).
        em = descents.get(name)
        if em is None:
            value = ctypes.c_float(0.0)
            if font:
                raw.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), value)
            em = value.value
        self.descent = -abs(em)
        self.widths: dict[int, float | None] = {}

    def advance(self, unicode: int) -> float | None:
        """The glyph's advance width (the font's /W or /Widths entry), or None when unknown."""
        if unicode not in self.widths:
            width = ctypes.c_float(0.0)
            ok = bool(self.font) and raw.FPDFFont_GetGlyphWidth(self.font, unicode, ctypes.c_float(1000.0), width)
            self.widths[unicode] = width.value if ok else None
        return self.widths[unicode]


class _Run:
    """What a text object gives every glyph in it: matrix, size, font (its colours on demand)."""

    __slots__ = ("descent", "font", "font_size", "matrix", "obj", "vertical")

    def __init__(self, textpage: Any, index: int, obj: Any, origin: tuple[float, float],
                 fonts: dict[int | None, _Font], descents: dict[bytes, float | None]) -> None:
        m = _MATRIX
        raw.FPDFText_GetMatrix(textpage, index, m)
        self.matrix = (m.a, m.b, m.c, m.d)
        self.font_size = raw.FPDFText_GetFontSize(textpage, index)
        # Vertical writing (an Identity-V font): PDFium puts a glyph's origin at its box's lower
        # left, half an em left of and below the pen position; horizontal text moves the origin
        # off the text matrix along x (kerning) or y (rise), never both.
        self.vertical = (abs((m.e - origin[0]) - 0.5 * m.a * self.font_size) < 0.05
                         and abs(m.f - origin[1]) > 0.01)
        self.obj = obj
        key = _font_address(obj)
        font = fonts.get(key)
        if font is None:
            font = fonts[key] = _Font(raw.FPDFTextObj_GetFont(obj), descents)
        self.font = font
        self.descent = font.descent * self.font_size / 1000

    def colours(self) -> tuple[tuple[float, ...] | None, tuple[float, ...] | None]:
        """(fill, stroke) of the text object."""
        return _colour(raw.FPDFPageObj_GetFillColor, self.obj), _colour(raw.FPDFPageObj_GetStrokeColor, self.obj)


def _glyphs(page: Any, where: PdfiumPage, fonts: dict[int | None, _Font],
            descents: dict[bytes, float | None]) -> tuple[list[Glyph], list[_Run]]:
    """The page's glyphs as the text layer reads them, each with the text object it belongs to:
    a box as wide as the glyph's advance and as tall as the type size, standing on the font's
    descent below the baseline (pdfminer's LTChar box, as pdfplumber's chars give it)."""
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        n = raw.FPDFText_CountChars(tp)
        runs: dict[int | None, _Run] = {}
        loose = raw.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        pa, pb, pc, pd, pe, pf = where.page_matrix
        glyphs: list[Glyph] = []
        owners: list[_Run] = []
        for i in range(n):
            unicode = raw.FPDFText_GetUnicode(tp, i)
            if unicode in _MAYBE_GENERATED and raw.FPDFText_IsGenerated(tp, i):
                continue  # a space or line break PDFium inferred, not a glyph on the page
            key = _text_object_address(tp, i)
            raw.FPDFText_GetCharOrigin(tp, i, ox, oy)
            x, y = ox.value, oy.value
            run = runs.get(key)
            if run is None:
                run = runs[key] = _Run(tp, i, raw.FPDFText_GetTextObject(tp, i), (x, y), fonts, descents)
            size = run.font_size
            if raw.FPDFText_HasUnicodeMapError(tp, i):
                text = f"(cid:{unicode})"  # pdfminer's text for a glyph without a Unicode mapping
                width = None
            else:
                text = chr(unicode) if 0 <= unicode < 0x110000 else "\ufffd"
                width = run.font.advance(unicode)
            a, b, c, d = run.matrix
            if width is None:  # no width known: the loose box's width
                raw.FPDFText_GetLooseCharBox(tp, i, loose)
                advance = (loose.right - loose.left) / a if a else 0.0
            else:
                advance = width * size / 1000
            if run.vertical:  # pdfminer: one em wide, one em advance down, from PDFium's origin
                ux0, uy0 = x, y
                ux1, uy1 = x + a * size + c * size, y + b * size + d * size
            else:  # the box's corners in user space (then in pdfplumber's coordinates)
                desc = run.descent
                ux0, uy0 = x + c * desc, y + d * desc
                ux1, uy1 = x + a * advance + c * (desc + size), y + b * advance + d * (desc + size)
            px0, py0 = pa * ux0 + pc * uy0 + pe, pb * ux0 + pd * uy0 + pf
            px1, py1 = pa * ux1 + pc * uy1 + pe, pb * ux1 + pd * uy1 + pf
            x0, x1 = (px0, px1) if px0 <= px1 else (px1, px0)
            top, bottom = (py0, py1) if py0 <= py1 else (py1, py0)
            glyphs.append((text, x0, top, x1, bottom, x1 - x0 if run.vertical else bottom - top, run.font.name))
            owners.append(run)
        return glyphs, owners
    finally:
        textpage.close()


def _char_dicts(glyphs: list[Glyph], owners: list[_Run], where: PdfiumPage) -> list[Obj]:
    """The glyphs as pdfplumber's chars (dicts with its keys, colours and orientation)."""
    out: list[Obj] = []
    colours: dict[int, tuple[Any, Any]] = {}
    number, height = where.page_number, where.height
    for (text, x0, top, x1, bottom, size, font), run in zip(glyphs, owners):
        fill, stroke = colours.get(id(run)) or colours.setdefault(id(run), run.colours())
        a, b, c, d = run.matrix
        out.append({
            "object_type": "char", "page_number": number, "text": text, "fontname": font,
            "size": size, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": height - bottom, "y1": height - top, "width": x1 - x0,
            "height": bottom - top, "upright": a * d > 0 and b * c <= 0,
            "non_stroking_color": fill, "stroking_color": stroke,
        })
    return out


def _font_name(font: Any) -> bytes:
    if not font:
        return b""
    n = raw.FPDFFont_GetBaseFontName(font, None, 0)
    if n <= 0:
        return b""
    buffer = ctypes.create_string_buffer(n)
    raw.FPDFFont_GetBaseFontName(font, buffer, n)
    return buffer.value


_RGBA = (ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint())


def _colour(getter: Any, obj: Any) -> tuple[float, ...] | None:
    """An object's fill or stroke colour as PDFium renders it (RGB, 0..1), None when it has none."""
    r, g, b, a = _RGBA
    if not getter(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


# -- drawn shapes and images ------------------------------------------------------------------


def _drawn_objects(page: Any, where: PdfiumPage) -> Iterator[tuple[str, Obj]]:
    """The page's paths (as pdfminer splits and classifies them: line, rect or curve per subpath)
    and images, inside form XObjects too, in pdfplumber's coordinates."""
    for obj, kind, matrix in _page_objects(page.raw, where.page_matrix):
        if kind == raw.FPDF_PAGEOBJ_PATH:
            yield from _path_objects(obj, matrix, where)
        else:
            yield "image", _image(obj, matrix, where)


_DRAWN = (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE)


def _page_objects(page: Any, outer: Matrix) -> Iterator[tuple[Any, int, Matrix]]:
    """(object, its type, object space -> pdfplumber coordinates) for every path and image, forms
    opened (text objects are skipped: their glyphs come from the text page)."""
    m = raw.FS_MATRIX()

    def walk(count: int, get: Callable[[int], Any], outer: Matrix, depth: int) -> Iterator[tuple[Any, int, Matrix]]:
        for k in range(count):
            obj = get(k)
            if not obj:
                continue
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                if depth < _MAX_FORM_DEPTH and raw.FPDFPageObj_GetMatrix(obj, m):
                    inner = _multiply((m.a, m.b, m.c, m.d, m.e, m.f), outer)
                    yield from walk(raw.FPDFFormObj_CountObjects(obj),
                                    lambda j, form=obj: raw.FPDFFormObj_GetObject(form, j), inner, depth + 1)
                continue
            if kind not in _DRAWN:
                continue
            own = (m.a, m.b, m.c, m.d, m.e, m.f) if raw.FPDFPageObj_GetMatrix(obj, m) else _IDENTITY
            yield obj, kind, _multiply(own, outer)

    yield from walk(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k), outer, 0)


def _path_objects(obj: Any, matrix: Matrix, where: PdfiumPage) -> Iterator[tuple[str, Obj]]:
    fill_mode, stroke_flag = ctypes.c_int(0), ctypes.c_int(0)
    raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke_flag)
    stroke, fill = bool(stroke_flag.value), fill_mode.value != raw.FPDF_FILLMODE_NONE
    if not stroke and not fill:
        return
    width = ctypes.c_float(0.0)
    raw.FPDFPageObj_GetStrokeWidth(obj, width)
    style = {"stroke": stroke, "fill": fill, "evenodd": fill_mode.value == raw.FPDF_FILLMODE_ALTERNATE,
             "linewidth": width.value, "stroking_color": _colour(raw.FPDFPageObj_GetStrokeColor, obj),
             "non_stroking_color": _colour(raw.FPDFPageObj_GetFillColor, obj),
             "page_number": where.page_number}
    a, b, c, d, e, f = matrix
    px, py = ctypes.c_float(), ctypes.c_float()
    # PDFium's segments -> pdfminer's path operators: m / l / c, and h where a subpath is closed
    # (PDFium closes with a line back to the start, or marks the last point when it is there).
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    shape: list[str] = []
    pts: list[tuple[float, float]] = []
    curve_points = 0
    for k in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(segment, px, py)
        x, y = float(px.value), float(py.value)
        point = (a * x + c * y + e, b * x + d * y + f)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if shape:
                subpaths.append(("".join(shape), pts))
            shape, pts, curve_points = ["m"], [point], 0
            continue
        if not shape:  # a path must begin with m; pdfminer drops it otherwise
            continue
        if kind == raw.FPDF_SEGMENT_BEZIERTO:
            curve_points += 1
            if curve_points < 3:
                continue  # control points: pdfminer keeps only a curve's end point
            curve_points = 0
            shape.append("c")
            pts.append(point)
        elif raw.FPDFPathSegment_GetClose(segment) and point == pts[0] and len(shape) > 1:
            shape.append("h")
            pts.append(pts[0])
        else:
            shape.append("l")
            pts.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and shape[-1] != "h":
            shape.append("h")
            pts.append(pts[0])
    if shape:
        subpaths.append(("".join(shape), pts))
    for ops, points in subpaths:
        if len(ops) < 2:
            continue  # a lone moveto paints nothing
        made = _classify(ops, points, style, where)
        if made is not None:
            yield made


def _classify(ops: str, pts: list[tuple[float, float]], style: Obj, where: PdfiumPage) -> tuple[str, Obj] | None:
    """pdfminer's paint_path: a single segment is a line, a closed axis-aligned four-sided path a
    rect, anything else a curve (points in pdfplumber's coordinates already)."""
    if len(ops) > 3 and ops[-2:] == "lh" and pts[-2] == pts[0]:
        ops = ops[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if ops in ("mlh", "ml"):
        return "line", _shape("line", pts[:2], style, where)
    if ops in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            corners = [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]
            return "rect", _shape("rect", corners, style, where)
    return "curve", _shape("curve", pts, style, where)


def _shape(kind: str, pts: list[tuple[float, float]], style: Obj, where: PdfiumPage) -> Obj:
    xs = [p[0] for p in pts]
    tops = [p[1] for p in pts]
    x0, x1, top, bottom = min(xs), max(xs), min(tops), max(tops)
    obj = {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
           "y0": where.height - bottom, "y1": where.height - top, "width": x1 - x0, "height": bottom - top,
           "pts": pts, **style}
    return obj


def _image(obj: Any, matrix: Matrix, where: PdfiumPage) -> Obj:
    """An image fills the unit square of its matrix (pdfminer's LTImage box)."""
    a, b, c, d, e, f = matrix
    corners = [(e, f), (a + e, b + f), (c + e, d + f), (a + c + e, b + d + f)]
    x0, x1 = min(p[0] for p in corners), max(p[0] for p in corners)
    top, bottom = min(p[1] for p in corners), max(p[1] for p in corners)
    return {"object_type": "image", "page_number": where.page_number, "x0": x0, "x1": x1, "top": top,
            "bottom": bottom, "doctop": top, "y0": where.height - bottom, "y1": where.height - top,
            "width": x1 - x0, "height": bottom - top}


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: p' = p x m x n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)

