"""HTML reader: article pages and Word-exported HTML -> a Document of text blocks and table grids.

Tables become rectangular grids with rowspan/colspan expanded; layout tables (those holding other
tables, or a single column) are read as containers so the text and data tables inside stand alone.
"""

from __future__ import annotations

import re

from lxml import etree

from .decoding import decode_document
from .layout.grid import Span, build_table, drop_empty_columns
from .model import Block, Document, Provenance, ReaderError, Table, TextBlock

# Elements that start and end a line of running text (CSS display: block and table parts).
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
})
# Page chrome and non-content: dropped with everything inside (their tail text is kept).
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "select", "iframe", "object",
    "embed", "svg", "math",
})
_ROW_GROUPS = frozenset({"thead", "tbody", "tfoot"})
_CELL_TAGS = frozenset({"td", "th"})
_TABLE_FURNITURE = frozenset({"caption", "colgroup", "col"})

# HTML allows colspan up to 1000; larger values are junk. Rowspan is capped at the rows left.
MAX_COLSPAN = 1000

# Marks a hard line break (<br>, block boundary) while text fragments are being joined; the
# Unicode paragraph separator means exactly that if a page happens to contain one.
_BREAK = "\u2029"
_CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# A source line break between two CJK characters renders as nothing (CSS segment-break rule);
# Word wraps its HTML source inside Chinese words.
_CJK_SEGMENT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n[ \t\r\n\f]*(?=[{_CJK}])")
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_LEADING_INT = re.compile(r"\s*\+?(\d+)")


def read_html(data: bytes, name: str) -> Document:
    """Read an HTML page into a Document (blocks in reading order, title, <meta> pairs)."""
    text, encoding = decode_document(data, name)
    # The text is already decoded; telling libxml2 it is UTF-8 stops a <meta charset> re-decoding it.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
        raise ReaderError(f"{name}: the HTML could not be parsed ({exc})", "failed") from exc
    if root is None:
        raise ReaderError(f"{name}: the HTML page has no content", "failed")

    reader = _BlockReader(name, root)
    reader.walk(root, root, pre=False)
    reader.flush()
    metadata = _meta_pairs(root)
    metadata["encoding"] = encoding
    return Document(
        path=name, format="html", blocks=tuple(reader.blocks), title=_title(root), metadata=metadata,
    )


class _BlockReader:
    """Walks the tree once, turning running text into TextBlocks and data tables into Tables."""

    def __init__(self, name: str, root: etree._Element) -> None:
        self.name = name
        self.getpath = root.getroottree().getpath
        self.blocks: list[Block] = []
        self.n_text = 0
        self.n_tables = 0
        self._parts: list[str] = []
        self._owner: etree._Element | None = None
        self.containers = _container_tables(root)

    # -- running text -------------------------------------------------------------------------

    def add(self, text: str | None, owner: etree._Element, pre: bool) -> None:
        if not text:
            return
        if self._owner is None and not text.isspace():
            self._owner = owner
        self._parts.append(text.replace("\n", _BREAK) if pre else text)

    def flush(self) -> None:
        if not self._parts:
            return
        raw = "".join(self._parts)
        self._parts.clear()
        owner, self._owner = self._owner, None
        if owner is None:
            return
        locator = self.getpath(owner)
        for line in _clean_lines(raw):
            self.blocks.append(TextBlock(self.n_text, line, Provenance(self.name, locator)))
            self.n_text += 1

    def walk(self, el: etree._Element, owner: etree._Element, pre: bool) -> None:
        tag = el.tag
        if tag == "table" and el not in self.containers:
            self.flush()
            if self._emit_table(el):
                return
        block = tag in BLOCK_TAGS
        if block:
            self.flush()
            owner = el
        pre = pre or tag == "pre"
        self.add(el.text, owner, pre)
        for child in el:
            child_tag = child.tag
            if isinstance(child_tag, str) and child_tag not in SKIP_TAGS:
                if child_tag == "br":
                    self.flush()
                else:
                    self.walk(child, owner, pre)
            self.add(child.tail, owner, pre)
        if block:
            self.flush()

    # -- tables -------------------------------------------------------------------------------

    def _emit_table(self, table_el: etree._Element) -> bool:
        """Append the table (caption first) and return True, or False for a one-column layout box."""
        rows, stray = _table_rows(table_el)
        placed, width = _place_cells(rows)
        if width <= 1:
            return False
        for item, owner in stray:  # content misplaced between rows: browsers show it before the table
            if isinstance(item, str):
                self.add(item, owner, pre=False)
            elif isinstance(item.tag, str) and item.tag not in SKIP_TAGS:
                self.walk(item, owner, pre=False)
        self.flush()
        caption = next((c for c in table_el if c.tag == "caption"), None)
        if caption is not None:
            self.walk(caption, caption, pre=False)
        self.blocks.append(self._build_table(table_el, rows, placed, width))
        self.n_tables += 1
        return True

    def _build_table(
        self, table_el: etree._Element, rows: list[_Row], placed: list[_Placed], width: int,
    ) -> Table:
        index = self.n_tables
        # Every position of a merged cell points at the one source cell (its top-left corner).
        spans = [Span(p.row, p.col, p.rowspan, p.colspan, _cell_text(p.element),
                      Provenance(self.name, self.getpath(p.element), table=index, row=p.row, col=p.col))
                 for p in placed]

        def blank(r: int, c: int) -> tuple[Provenance, None]:
            return Provenance(self.name, self.getpath(rows[r][0]), table=index, row=r, col=c), None

        return build_table(index, spans, len(rows), width, Provenance(self.name, self.getpath(table_el), table=index),
                           blank)


_Row = tuple[etree._Element, list[etree._Element]]  # row element (or the table), its cells


class _Placed:
    """A source cell at its grid position, spans already clipped to the table."""

    __slots__ = ("col", "colspan", "element", "row", "rowspan")

    def __init__(self, element: etree._Element, row: int, col: int, rowspan: int, colspan: int) -> None:
        self.element, self.row, self.col, self.rowspan, self.colspan = element, row, col, rowspan, colspan


def _container_tables(root: etree._Element) -> set[etree._Element]:
    """Tables that hold other tables: layout, not data."""
    containers: set[etree._Element] = set()
    for table in root.iter("table"):
        for ancestor in table.iterancestors("table"):
            if ancestor in containers:
                break
            containers.add(ancestor)
    return containers


def _table_rows(table_el: etree._Element) -> tuple[list[_Row], list[tuple[etree._Element | str, etree._Element]]]:
    """The table's rows as (row element, its cells), and the stray content found between rows.

    Cells sitting outside any <tr> form a row of their own. Stray items are elements or bare text,
    each with the element that holds it.
    """
    rows: list[_Row] = []
    stray: list[tuple[etree._Element | str, etree._Element]] = []

    def scan(parent: etree._Element) -> None:
        loose: list[etree._Element] = []
        if parent.text and not parent.text.isspace():
            stray.append((parent.text, parent))
        for child in parent:
            tag = child.tag
            if tag in _CELL_TAGS:
                loose.append(child)
            else:
                if loose:
                    rows.append((parent, loose))
                    loose = []
                if tag == "tr":
                    rows.append((child, [c for c in child if c.tag in _CELL_TAGS]))
                elif tag in _ROW_GROUPS:
                    scan(child)
                elif tag not in _TABLE_FURNITURE:
                    stray.append((child, parent))
            if child.tail and not child.tail.isspace():
                stray.append((child.tail, parent))
        if loose:
            rows.append((parent, loose))

    scan(table_el)
    return rows, stray


def _place_cells(rows: list[_Row]) -> tuple[list[_Placed], int]:
    """Lay source cells on the grid as the HTML table model does; return them and the grid width.

    Columns in which no cell starts have no width when rendered (they only exist because of an
    oversized colspan), so they are removed and the spans crossing them shortened.
    """
    n_rows = len(rows)
    free_from: list[int] = []  # per column: first row index not covered by a rowspan from above
    placed: list[_Placed] = []
    for r, (_, cells) in enumerate(rows):
        c = 0
        for cell in cells:
            while c < len(free_from) and free_from[c] > r:
                c += 1
            rowspan = min(_span(cell.get("rowspan")), n_rows - r)
            colspan = min(_span(cell.get("colspan")), MAX_COLSPAN)
            if colspan > 1:
                # A colspan running into a rowspan from above stops there instead of overlapping it.
                for k in range(c + 1, min(c + colspan, len(free_from))):
                    if free_from[k] > r:
                        colspan = k - c
                        break
            if len(free_from) < c + colspan:
                free_from.extend([0] * (c + colspan - len(free_from)))
            if colspan == 1:
                free_from[c] = r + rowspan
            else:
                free_from[c:c + colspan] = [r + rowspan] * colspan
            placed.append(_Placed(cell, r, c, rowspan, colspan))
            c += colspan
    return placed, drop_empty_columns(placed)


def _span(value: str | None) -> int:
    """rowspan/colspan as browsers read it: leading digits ("2;" is 2); junk, 0 or none is 1."""
    if not value:
        return 1
    match = _LEADING_INT.match(value)
    if not match:
        return 1
    return max(int(match.group(1)), 1)


def _cell_text(cell: etree._Element) -> str:
    parts: list[str] = []
    _collect_text(cell, parts, pre=False)
    return "\n".join(_clean_lines("".join(parts)))


def _collect_text(el: etree._Element, parts: list[str], pre: bool) -> None:
    """Text of `el` with <br> and block children turned into line breaks."""
    if el.text:
        parts.append(el.text.replace("\n", _BREAK) if pre else el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in SKIP_TAGS:
            if tag == "br":
                parts.append(_BREAK)
            elif tag in BLOCK_TAGS:
                parts.append(_BREAK)
                _collect_text(child, parts, pre or tag == "pre")
                parts.append(_BREAK)
            else:
                _collect_text(child, parts, pre)
        if child.tail:
            parts.append(child.tail.replace("\n", _BREAK) if pre else child.tail)


def _clean_lines(raw: str) -> list[str]:
    """One entry per non-blank line; whitespace runs (source layout, &nbsp; padding) become one space."""
    if "\n" in raw:
        raw = _CJK_SEGMENT_BREAK.sub("", raw)
    raw = _HTML_SPACE.sub(" ", raw.replace("\xa0", " "))
    lines = []
    for line in raw.split(_BREAK):
        line = line.strip()
        if line:
            lines.append(line)
    return lines


def _title(root: etree._Element) -> str | None:
    for tag in ("title", "h1"):
        el = next(root.iter(tag), None)
        if el is not None:
            parts: list[str] = []
            _collect_text(el, parts, pre=False)
            title = " ".join(_clean_lines("".join(parts)))
            if title:
                return title
    return None


def _meta_pairs(root: etree._Element) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for meta in root.iter("meta"):
        key, content = meta.get("name"), meta.get("content")
        if key and content is not None:
            key = key.strip().lower()
            if key and key not in pairs:
                pairs[key] = content.strip()
    return pairs
