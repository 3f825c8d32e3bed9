"""The layout engine: pages as positioned items -> one Document, for every reader that has pages.

    page reader (text layer, OCR)  ->  LaidPage(items in page points)  ->  assemble()  ->  Document
    HTML / DOCX / PDF / OCR cells placed on a grid  ->  grid.build_table()  ->  Table

- `items`: PageLine / PageCell / PageTable (positions in points from the page's top-left corner,
  `ocr_confidence` set when OCR read the text) and the text rules pages share (page numbers,
  continuation marks, numbering, values, CJK-aware joining).
- `textlayer`: a PDF page's text layer -> items (`page_needs_ocr`, `read_page_items`).
- `rulings`: the ruled cells a page's drawn edges make (pdfplumber's TableFinder, "lines"
  strategy, reproduced cell for cell on tuples; `find_cells`, `shape_edges`).
- `assemble`: the one assembler (running heads, tables across page breaks, paragraphs, title).
- `grid`: the one span-grid builder (`Span`, `build_table`, `drop_empty_columns`).

OCR pages (extract/ocr.py) are converted to the same items in points, so a scanned PDF, a PDF with
some scanned pages and a report published as images go through the same assembler.

The page boundary (for any PDF parser, e.g. a pypdfium2 page reader): `page_needs_ocr(page)` and
`read_page_items(page, number)` read a page only through these attributes (`TextLayerPage`):

- `page.glyphs` (optional): one `Glyph` tuple per glyph, (text, x0, top, x1, bottom, size,
  fontname) in points, y growing downwards from the page top; the PDFium reader gives these.
  Otherwise `page.chars`: pdfplumber-style dicts with those keys (colours may be present and
  are not read), turned into the same tuples (`page_glyphs`).
- `page.rects`, `page.lines`, `page.curves`: drawn shapes as pdfplumber gives them (`x0`, `x1`,
  `top`, `bottom`, `width`, `height`, `doctop`, `y0`, `y1`; curves also `pts`), with `stroke`,
  `fill`, `stroking_color`, `non_stroking_color`: shapes that would not show on white paper are
  ignored. Their edges (as pdfplumber.utils rect_to_edges / line_to_edge / curve_to_edges make
  them) feed `rulings.find_cells`, which reads nothing else of the page.
- `page.images`: dicts with `x0`, `x1`, `top`, `bottom` (a page-size image marks a scan).
- `page.width`, `page.height` in points.

Nothing else of a page is touched (no page.filter, no pdfplumber page methods), so another parser
can feed the same engine with objects carrying these attributes.
"""

from .assemble import assemble
from .grid import Span, build_table, drop_empty_columns
from .items import LaidPage, PageCell, PageItem, PageLine, PageTable
from .textlayer import Glyph, TextLayerPage, dedupe_chars, page_glyphs, page_needs_ocr, read_page_items

__all__ = [
    "Glyph", "LaidPage", "PageCell", "PageItem", "PageLine", "PageTable", "Span", "TextLayerPage", "assemble",
    "build_table", "dedupe_chars", "drop_empty_columns", "page_glyphs", "page_needs_ocr",
    "read_page_items",
]
