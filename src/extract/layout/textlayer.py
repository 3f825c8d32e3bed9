"""A PDF page's text layer -> page items: ruled tables from the drawn edges, the text outside
them as lines, page numbers dropped. Whatever parsed the PDF, a page is consumed only through the
narrow interface described in the package docstring (`TextLayerPage`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Protocol

from .items import (
    CJK,
    PageCell,
    PageItem,
    PageLine,
    PageTable,
    cluster,
    group_lines,
    is_page_number,
    join_texts,
    sort_items,
)
from .items import nearest as _nearest
from .rulings import find_cells, shape_edges

# Unusable text layer: glyphs without a Unicode mapping come out as "(cid:123)"; broken CJK fonts
# map to the private use area. A page is sent to OCR when more than this share is such glyphs.
OCR_GLYPH_SHARE = 0.3
# A page image covering this share of the page with fewer usable characters is a scan.
SCAN_IMAGE_SHARE = 0.3
SCAN_MAX_CHARS = 20
# A page with no characters but this many drawn curves is outlined text.
OUTLINED_TEXT_CURVES = 50

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Characters further apart than this many ems on one line belong to separate fields.
_FIELD_GAP = 2.0
# Coordinates closer than this (points) are the same ruling line.
SNAP = 1.5


class TextLayerPage(Protocol):
    """The page interface (pdfplumber's Page has it; a pypdfium2 page reader can provide it)."""

    @property
    def chars(self) -> list[dict[str, Any]]: ...

    @property
    def rects(self) -> list[dict[str, Any]]: ...

    @property
    def lines(self) -> list[dict[str, Any]]: ...

    @property
    def curves(self) -> list[dict[str, Any]]: ...

    @property
    def images(self) -> list[dict[str, Any]]: ...

    @property
    def width(self) -> float: ...

    @property
    def height(self) -> float: ...


# A glyph as the text layer reads it: (text, x0, top, x1, bottom, type size, font name), in
# points from the page's top-left corner. A page reader may hand them over as `page.glyphs`;
# otherwise they are taken from pdfplumber-style `page.chars`.
Glyph = tuple[str, float, float, float, float, float, str]
TEXT, X0, TOP, X1, BOTTOM, SIZE, FONT = range(7)


def page_glyphs(page: TextLayerPage) -> list[Glyph]:
    """The page's glyphs, in the page's order: `page.glyphs` when the reader gives them, else
    one tuple per dict of `page.chars`."""
    glyphs = getattr(page, "glyphs", None)
    if glyphs is not None:
        return glyphs  # type: ignore[no-any-return]
    return [(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"], c.get("fontname"))
            for c in page.chars]


def page_needs_ocr(page: TextLayerPage) -> bool:
    """Whether a page's text layer is unusable, so only OCR can read it: no characters while the
    page shows images or drawn shapes (a scan, outlined text), a page-size image under a handful
    of characters (a scan with a stamped page number), or mostly (cid:NN) / private-use glyphs."""
    texts = [g[TEXT] for g in page_glyphs(page) if g[TEXT].strip()]
    if not texts:
        return bool(page.images) or len(page.curves) > OUTLINED_TEXT_CURVES
    bad = sum(1 for t in texts if _unusable_glyph(t))
    if bad > OCR_GLYPH_SHARE * len(texts):
        return True
    page_area = float(page.width * page.height) or 1.0
    big_image = any((im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) >= SCAN_IMAGE_SHARE * page_area
                    for im in page.images)
    return big_image and len(texts) - bad < SCAN_MAX_CHARS


def read_page_items(page: TextLayerPage, number: int) -> list[PageItem]:
    """A page's ruled tables and the lines of text outside them, top to bottom, page numbers dropped."""
    glyphs = dedupe_chars([g for g in page_glyphs(page) if g[TEXT]])
    tables = _data_tables(page)
    placed = _assign_chars(glyphs, tables)
    items: list[PageItem] = []
    for table, cell_glyphs in zip(tables, placed.cells):
        cells = tuple(PageCell(x0, top, x1, bottom, _cell_text(cell_glyphs.get(i, [])))
                      for i, (x0, top, x1, bottom) in enumerate(table.boxes))
        items.append(PageTable(number, table.top, table.bottom, table.x0, table.x1, cells))
    height = float(page.height)
    for line_glyphs in _group_chars(placed.outside):
        for field_glyphs in _split_at_gaps(line_glyphs):
            line = _page_line(number, field_glyphs)
            if not is_page_number(line, height):
                items.append(line)
    return sort_items(items)


def dedupe_chars(glyphs: list[Glyph], tolerance: float = 1.0) -> list[Glyph]:
    """Glyphs without the copies fake bold draws (WPS and Word paint a bold-less font two or
    three times, a fraction of a point apart): a glyph equal in text, font and size to one kept
    within `tolerance` points is dropped. The same rule as pdfplumber's Page.dedupe_chars, hashed
    by text and position: a glyph is compared only with the kept glyphs of its text in the
    neighbouring grid squares, and most glyphs of a page are the first of their text there."""
    kept: list[Glyph] = []
    near: dict[tuple[str, str, float], dict[tuple[int, int], list[Glyph]]] = {}
    square = 2 * tolerance  # a glyph's neighbourhood spans at most two squares each way
    margin = tolerance + 1e-9
    rounded: dict[float, float] = {}  # round(size, 1) is slow, and a page has a few sizes
    for g in glyphs:
        size = rounded.get(g[SIZE])
        if size is None:
            size = rounded[g[SIZE]] = round(g[SIZE], 1)
        key = (g[TEXT], g[FONT], size)
        x0, top = g[X0], g[TOP]
        here = (int(x0 // square), int(top // square))
        squares = near.get(key)
        if squares is None:
            near[key] = {here: [g]}
            kept.append(g)
            continue
        if not _near_one(squares, x0, top, tolerance, square, margin):
            squares.setdefault(here, []).append(g)
            kept.append(g)
    return kept


def _near_one(squares: dict[tuple[int, int], list[Glyph]], x0: float, top: float, tolerance: float,
              square: float, margin: float) -> bool:
    """Whether a kept glyph in the squares around (x0, top) stands within `tolerance` of it."""
    ys = range(int((top - margin) // square), int((top + margin) // square) + 1)
    for gx in range(int((x0 - margin) // square), int((x0 + margin) // square) + 1):
        for gy in ys:
            for o in squares.get((gx, gy), ()):
                if abs(o[X0] - x0) <= tolerance and abs(o[TOP] - top) <= tolerance:
                    return True
    return False


def _unusable_glyph(text: str) -> bool:
    return text.startswith("(cid:") or bool(_PRIVATE_USE.match(text))


# -- running text -----------------------------------------------------------------------------


def _glyph_box(g: Glyph) -> tuple[float, float, float]:
    return g[TOP], g[BOTTOM], g[X0]


def _group_chars(glyphs: list[Glyph]) -> list[list[Glyph]]:
    return group_lines(glyphs, _glyph_box)


def _page_line(number: int, glyphs: list[Glyph]) -> PageLine:
    visible = [g for g in glyphs if g[TEXT].strip()]
    sizes = Counter(round(float(g[SIZE]), 1) for g in visible)
    return PageLine(
        number,
        min(float(g[TOP]) for g in visible),
        max(float(g[BOTTOM]) for g in visible),
        min(float(g[X0]) for g in visible),
        max(float(g[X1]) for g in visible),
        _line_text(glyphs),
        sizes.most_common(1)[0][0],
    )


def _split_at_gaps(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """A line cut where its visible characters stand more than `_FIELD_GAP` ems apart: the
    fields of a table drawn without ruling lines, or a name and a date on one line, are separate."""
    fields: list[list[Glyph]] = []
    prev: Glyph | None = None
    for g in glyphs:
        if not g[TEXT].strip():
            if fields:
                fields[-1].append(g)  # a drawn space: kept for word spacing, not measured
            continue
        if prev is None or g[X0] - prev[X1] > _FIELD_GAP * max(g[SIZE], prev[SIZE]):
            fields.append([])
        fields[-1].append(g)
        prev = g
    return fields


def _line_text(glyphs: list[Glyph]) -> str:
    """One line's characters joined; a gap or a drawn space becomes a space only between two
    non-CJK characters (Chinese has no word spaces; justified lines stretch the gaps)."""
    out: list[str] = []
    prev: Glyph | None = None
    space = False
    for g in glyphs:
        text = g[TEXT]
        if not text.strip():
            space = prev is not None
            continue
        if prev is not None:
            if g[X0] - prev[X1] > 0.25 * min(g[SIZE], prev[SIZE]):
                space = True
            if space and not CJK.match(out[-1][-1]) and not CJK.match(text[0]):
                out.append(" ")
        out.append(text)
        prev, space = g, False
    return "".join(out)


def _cell_text(glyphs: list[Glyph]) -> str:
    return join_texts([_line_text(line) for line in _group_chars(glyphs)])


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


def _data_tables(page: TextLayerPage) -> list[_FoundTable]:
    """The page's ruled data tables. One-column tables (a box or a page frame around running
    text) and tables that hold other tables are layout, not data: their text stays running text.
    Runs of full-width rows above or below a table (a frame around the text that touches the
    table) are cut off the same way."""
    found = [_FoundTable([tuple(map(float, box)) for box in cells])
             for cells in find_cells(*shape_edges(*visible_shapes(page)))]
    tables = []
    for t in found:
        if any(o is not t and _contains(t, o) for o in found):
            continue
        kept = _without_frame_rows(t)
        if kept is not None:
            tables.append(kept)
    return tables


def _contains(outer: _FoundTable, inner: _FoundTable) -> bool:
    inside = (outer.x0 - SNAP <= inner.x0 and inner.x1 <= outer.x1 + SNAP
              and outer.top - SNAP <= inner.top and inner.bottom <= outer.bottom + SNAP)
    return inside and (outer.x0, outer.top, outer.x1, outer.bottom) != (inner.x0, inner.top, inner.x1, inner.bottom)


def _without_frame_rows(table: _FoundTable) -> _FoundTable | None:
    """The table without a frame's full-width text rows around it; None when it is all frame."""
    xs = cluster([v for b in table.boxes for v in (b[0], b[2])], SNAP)
    if len(xs) <= 2:
        return None  # one column
    tops = cluster([b[1] for b in table.boxes], SNAP)
    rows: list[list[tuple[float, float, float, float]]] = [[] for _ in tops]
    for b in table.boxes:
        rows[_nearest(tops, b[1])].append(b)
    full_width = [len(row) == 1 and row[0][0] - table.x0 <= SNAP and table.x1 - row[0][2] <= SNAP
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
    lo = tops[keep_from] - SNAP
    hi = tops[keep_to] - SNAP if keep_to < len(tops) else float("inf")
    return _FoundTable([b for b in table.boxes if lo <= b[1] < hi])


@dataclass
class _Placement:
    cells: list[dict[int, list[Glyph]]] = field(default_factory=list)  # per table: cell -> glyphs
    outside: list[Glyph] = field(default_factory=list)


def _assign_chars(glyphs: list[Glyph], tables: list[_FoundTable]) -> _Placement:
    """Each glyph to the table cell holding its centre, or to the running text."""
    placement = _Placement([{} for _ in tables])
    if not tables:
        placement.outside = glyphs
        return placement
    lookups = [(t.x0, t.x1, t.top, t.bottom, _CellLookup(t.boxes), cells) for t, cells in zip(tables, placement.cells)]
    outside = placement.outside
    for g in glyphs:
        cx = (g[X0] + g[X1]) / 2
        cy = (g[TOP] + g[BOTTOM]) / 2
        for x0, x1, top, bottom, lookup, cells in lookups:
            if x0 <= cx <= x1 and top <= cy <= bottom:
                i = lookup.find(cx, cy)
                if i is not None:
                    cells.setdefault(i, []).append(g)
                    break
        else:
            outside.append(g)
    return placement


class _CellLookup:
    """Which cell box holds a point, through the grid the boxes' edges make."""

    def __init__(self, boxes: list[tuple[float, float, float, float]]) -> None:
        self.xs = cluster([v for b in boxes for v in (b[0], b[2])], SNAP)
        self.ys = cluster([v for b in boxes for v in (b[1], b[3])], SNAP)
        self.at: dict[tuple[int, int], int] = {}
        for i, (x0, top, x1, bottom) in enumerate(boxes):
            c0, c1 = _nearest(self.xs, x0), _nearest(self.xs, x1)
            r0, r1 = _nearest(self.ys, top), _nearest(self.ys, bottom)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    self.at[(r, c)] = i

    def find(self, x: float, y: float) -> int | None:
        return self.at.get((bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1))


# -- drawing objects --------------------------------------------------------------------------


def visible_shapes(page: TextLayerPage) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The page's lines, rects and curves that would show on white paper (`_is_visible`)."""
    return ([ln for ln in page.lines if _is_visible(ln, "line")], [r for r in page.rects if _is_visible(r, "rect")],
            [c for c in page.curves if _is_visible(c, "curve")])


def _is_visible(obj: dict[str, Any], kind: str) -> bool:
    """Drawn shapes that would not show on a white page are dropped before looking for ruling
    lines: editors (WPS, Jisupdf) paint white boxes behind every line of text, which would
    otherwise read as a table frame around the whole page."""
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
