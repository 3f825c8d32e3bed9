"""The one page assembler: the pages of a document, as positioned items (from a PDF's text layer,
from OCR, or a mix) -> a Document. Page furniture goes (running heads, 续表 marks), a table
continued on the next page becomes one grid (repeated header rows dropped, a row split by the
break joined, a merged cell running on over the break extended), wrapped lines become
paragraphs, and the large type at the top of the first page the title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import Block, Document, Provenance, Table, TextBlock
from .grid import Span, build_table
from .items import (
    CONTINUATION_MARK,
    NUMBERED_START,
    LaidPage,
    PageItem,
    PageLine,
    PageTable,
    cluster,
    in_margin,
    is_ocr,
    is_value,
    join_texts,
    nearest,
)

# Title lines are set larger than the body text, within the first lines of the first page.
_TITLE_SIZE_RATIO = 1.15
_TITLE_SEARCH_LINES = 5
# Row lines of one table piece closer than this (points) are one line.
_SNAP = 1.5
# Header rows an OCR'd continuation repeats match the table's first rows this well (0-100).
_HEADER_SIMILARITY = 85
# OCR measures a text line by its box, this much taller than the type in it.
_BOX_TO_TYPE_SIZE = 1.25


@dataclass(frozen=True)
class _Slack:
    """How far positions measured on a page may stray and still mean the same thing: exact for a
    text layer, looser for OCR (boxes drawn round ink on a scan). Lengths in ems of the type."""

    size_points: float  # two type sizes closer than this are one size ...
    size_share: float  # ... or within this share of the size
    right: float  # a wrapped line ends at most this far short of the right margin
    left: float  # and the next line starts at most this far right of the left margin
    gap: float  # with at most this much white between the two
    edge_points: float  # table edges on two pages line up within this ...
    edge_share: float  # ... or this share of the page width

    def same_size(self, a: float, b: float) -> bool:
        return abs(a - b) < self.size_points or abs(a - b) <= self.size_share * max(a, b)

    def edge_tolerance(self, page_width: float) -> float:
        return max(self.edge_points, self.edge_share * page_width)


_TEXT_LAYER = _Slack(1.0, 0.0, 1.5, 0.8, 1.6, 4.0, 0.0)
_OCR = _Slack(0.0, 0.25, 1.5 * _BOX_TO_TYPE_SIZE, 0.8 * _BOX_TO_TYPE_SIZE, 1.2 * _BOX_TO_TYPE_SIZE, 0.0, 0.015)


def _slack(*items: PageItem) -> _Slack:
    return _OCR if any(is_ocr(item) for item in items) else _TEXT_LAYER


def assemble(name: str, fmt: str, pages: Sequence[LaidPage], metadata: dict[str, str]) -> Document:
    """Pages -> a Document (see the module docstring). Locators say "(OCR)" where OCR read the text."""
    page_items = {p.number: list(p.items) for p in pages}
    _drop_running_heads(page_items, {p.number: p.height for p in pages})
    for number, items in page_items.items():
        page_items[number] = _without_continuation_marks(items)
    widths = {p.number: p.width for p in pages}
    last_on_page = {number: items[-1] if items else None for number, items in page_items.items()}
    stream: list[PageLine | list[PageTable]] = []
    for p in pages:
        for i, item in enumerate(page_items[p.number]):
            if isinstance(item, PageLine):
                stream.append(item)
            elif (i == 0 and stream and isinstance(stream[-1], list)
                  and _continues(stream[-1][-1], item, last_on_page, widths)):
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
            confidences = [line.ocr_confidence for line in paragraph if line.ocr_confidence is not None]
            confidence = min(confidences) if confidences else None
            where = f"page {page}" + (" (OCR)" if confidence is not None else "")
            blocks.append(TextBlock(n_text, join_texts([line.text for line in paragraph]),
                                    Provenance(name, where, page=page), ocr_confidence=confidence))
            n_text += 1
            paragraph.clear()

    for item in stream:
        if isinstance(item, list):
            flush()
            blocks.append(_table(name, n_tables, item, widths))
            n_tables += 1
            continue
        if paragraph:
            prev_title, this_title = paragraph[-1] in title_lines, item in title_lines
            joins = (prev_title and this_title) or (
                not prev_title and not this_title and layout.continues(paragraph[-1], item))
            if not joins:
                flush()
        paragraph.append(item)
    flush()
    title = join_texts([line.text for line in title_lines]) if title_lines else None
    return Document(path=name, format=fmt, blocks=tuple(blocks), title=title, metadata=metadata)


# -- page furniture ---------------------------------------------------------------------------


def _drop_running_heads(page_items: dict[int, list[PageItem]], heights: dict[int, float]) -> None:
    """Remove lines repeated in the top or bottom margin of most pages (a running header or footer
    naming the report, 第 N 页 with varying N): page furniture, like the page numbers."""
    with_text = sum(1 for items in page_items.values() if items)
    counts: Counter[str] = Counter()
    for number, items in page_items.items():
        counts.update({_furniture_key(i) for i in items
                       if isinstance(i, PageLine) and in_margin(i, heights[number])})
    repeated = {key for key, n in counts.items() if n >= 2 and 2 * n >= with_text}
    if not repeated:
        return
    for number, items in page_items.items():
        page_items[number] = [i for i in items if not (isinstance(i, PageLine) and in_margin(i, heights[number])
                                                       and _furniture_key(i) in repeated)]


def _furniture_key(line: PageLine) -> str:
    """Text with numbers masked, and the type size where it is exact (a text layer): a title in
    large type repeats no small running head."""
    size = "" if line.ocr_confidence is not None else f"{round(line.size)}:"
    return size + re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _without_continuation_marks(items: list[PageItem]) -> list[PageItem]:
    """A page's items without the 续表 / （续上表） line that opens it above a continued table."""
    if len(items) >= 2 and isinstance(items[0], PageLine) and isinstance(items[1], PageTable) \
            and CONTINUATION_MARK.match(items[0].text):
        return items[1:]
    return items


# -- tables across pages ----------------------------------------------------------------------


def _column_lines(table: PageTable, tolerance: float) -> list[float]:
    return cluster([v for c in table.cells for v in (c.x0, c.x1)], tolerance)


def _continues(prev: PageTable, nxt: PageTable, last_on_page: dict[int, PageItem | None],
               widths: dict[int, float]) -> bool:
    """Whether `nxt`, first on its page, continues `prev`: prev is the last thing on the page
    before, and both have the same outer edges and mostly the same column lines (a continuation
    may lack some of them)."""
    if prev.page != nxt.page - 1 or last_on_page.get(prev.page) is not prev:
        return False
    tolerance = _slack(prev, nxt).edge_tolerance(max(widths[prev.page], widths[nxt.page]))
    if abs(prev.x0 - nxt.x0) > tolerance or abs(prev.x1 - nxt.x1) > tolerance:
        return False
    a, b = _column_lines(prev, tolerance), _column_lines(nxt, tolerance)
    smaller, larger = (a, b) if len(a) <= len(b) else (b, a)
    matched = sum(1 for x in smaller if any(abs(x - y) <= tolerance for y in larger))
    return matched >= 0.75 * len(smaller)


def _table(name: str, index: int, pieces: list[PageTable], widths: dict[int, float]) -> Table:
    """Page pieces of one table -> a Table. The column lines of all pieces are unified; where a
    piece continues the one before, its repeated header rows are dropped, a row split by the page
    break is put back together and a merged cell running on over the break (a group label) is
    extended."""
    slack = _slack(*pieces)
    xs = cluster([v for p in pieces for c in p.cells for v in (c.x0, c.x1)],
                 slack.edge_tolerance(max(widths[p.page] for p in pieces)))
    spans: list[Span] = []
    row_pages: list[tuple[int, bool]] = []  # per grid row: its page and whether OCR read it
    for piece in pieces:
        ys = cluster([v for c in piece.cells for v in (c.top, c.bottom)], _SNAP)
        boundary = len(row_pages)
        own = []
        for c in piece.cells:
            r0, r1 = nearest(ys, c.top), nearest(ys, c.bottom)
            c0, c1 = nearest(xs, c.x0), nearest(xs, c.x1)
            if r1 > r0 and c1 > c0:
                where = _where(piece.page, c.ocr_confidence is not None, index)
                own.append(Span(boundary + r0, c0, r1 - r0, c1 - c0, c.text,
                                Provenance(name, where, page=piece.page, table=index), c.ocr_confidence))
        piece_rows = len(ys) - 1
        if spans:
            piece_rows -= _drop_repeated_header(spans, own, boundary, slack)
            piece_rows -= _join_at_break(spans, own, boundary)
        spans.extend(own)
        row_pages.extend([(piece.page, piece.is_ocr)] * piece_rows)
    for s in spans:  # the provenance names the cell's final place on the grid
        s.provenance = Provenance(name, s.provenance.locator, page=s.provenance.page, table=index,
                                  row=s.row, col=s.col)
    first_page, last_page = pieces[0].page, pieces[-1].page
    pages = f"page {first_page}" if first_page == last_page else f"pages {first_page}-{last_page}"
    ocr = " (OCR)" if all(p.is_ocr for p in pieces) else ""

    def blank(r: int, c: int) -> tuple[Provenance, float | None]:
        page, page_ocr = row_pages[r]
        return (Provenance(name, _where(page, page_ocr, index), page=page, table=index, row=r, col=c),
                0.0 if page_ocr else None)

    return build_table(index, spans, len(row_pages), len(xs) - 1,
                       Provenance(name, f"{pages}{ocr}, table {index + 1}", page=first_page, table=index), blank)


def _where(page: int, ocr: bool, index: int) -> str:
    return f"page {page}" + (" (OCR)" if ocr else "") + f", table {index + 1}"


def _text_key(text: str) -> str:
    return re.sub(r"[\s()（）:：,，.。、]", "", text)


def _same_header_text(a: str, b: str, slack: _Slack) -> bool:
    if slack is _TEXT_LAYER:
        return a == b
    a, b = _text_key(a), _text_key(b)
    return a == b or (bool(a) and bool(b) and fuzz.ratio(a, b) >= _HEADER_SIMILARITY)


def _drop_repeated_header(before: list[Span], after: list[Span], boundary: int, slack: _Slack) -> int:
    """Remove the table's header rows that a continuation repeats at its top (Word's "repeat as
    header row"); returns how many rows went. Rows count as repeated when they hold the same
    cells as the table's first rows (OCR may differ in a character), never cutting through a
    merged cell."""

    def row_cells(spans: list[Span], base: int, row: int) -> list[Span]:
        return sorted((s for s in spans if s.row - base == row), key=lambda s: s.col)

    n_after = max((s.row + s.rowspan - boundary for s in after), default=0)
    k = 0
    while k < n_after - 1:
        mine, theirs = row_cells(after, boundary, k), row_cells(before, 0, k)
        if not any(s.text for s in mine) or len(mine) != len(theirs):
            break
        if not all((a.col, a.colspan, a.rowspan) == (b.col, b.colspan, b.rowspan)
                   and _same_header_text(a.text, b.text, slack) for a, b in zip(mine, theirs)):
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


def _join_at_break(before: list[Span], after: list[Span], boundary: int) -> int:
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
            _append(a, b)
            a.rowspan += b.rowspan - 1
            after.remove(b)
        for s in after:
            s.row -= 1
        return 1
    # Header rows on both sides of the break: a label cell with the same columns above and below
    # is one merged cell the break cut (结果 / 维持, 总 / 计), not two.
    headers = not any(is_value(s.text) for s in {id(s): s for s in (*upper.values(), *lower.values())}.values())
    for col in sorted(lower):
        b = lower[col]
        if b.col != col:
            continue
        a = upper.get(col)
        if a is None or (a.col, a.colspan) != (b.col, b.colspan) or not _carries_on(a, b, headers):
            if headers:
                continue  # header cells side by side: each is cut or not on its own
            break  # a data row carries on only its leading group labels
        _append(a, b)
        a.rowspan += b.rowspan
        after.remove(b)
    return 0


def _append(a: Span, b: Span) -> None:
    """b's text run on after a's; the joined cell is as sure as the less sure of the two."""
    if b.text and b.ocr_confidence is not None:
        a.ocr_confidence = b.ocr_confidence if a.ocr_confidence is None else min(a.ocr_confidence, b.ocr_confidence)
    a.text = join_texts([a.text, b.text])


def _paired_cells(upper: dict[int, Span], lower: dict[int, Span]) -> list[tuple[Span, Span]] | None:
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


def _is_split_row(pairs: list[tuple[Span, Span]], before: list[Span]) -> bool:
    """The row below the break is the rest of the row above it: it fills cells left empty above,
    or runs on a label (text, not a number, not opening with numbering); no column holds a value
    on both sides; and it is not the table's header repeated."""
    if not any(b.text for _, b in pairs):
        return False
    header = [s.text for s in sorted(before, key=lambda s: s.col) if s.row == 0 and s.text]
    if [b.text for _, b in pairs if b.text] == header:
        return False
    # A numbered label opens a new row, unless it is the text of a merged cell (a group label)
    # that the break cut, which may stand wholly below the break.
    if any(b.text and NUMBERED_START.match(b.text) and a.rowspan == 1 and b.rowspan == 1 for a, b in pairs):
        return False
    return not any(a.text and b.text and (is_value(a.text) or is_value(b.text)) for a, b in pairs)


def _carries_on(a: Span, b: Span, headers: bool) -> bool:
    """The cell below the break continues the merged cell above it: it is empty (a group label's
    rest of rows), or a label under an empty part (the text centred below the break), or a label
    not opening with numbering under a label, and either part spans
    several rows (a group label the break cut: 三 / 、本年度办理结果) or the rows at the break are
    header rows (no value on either side: 结果 / 维持)."""
    if not b.text:
        return bool(a.text) or a.rowspan > 1
    if is_value(a.text) or is_value(b.text):
        return False
    if not a.text:  # a merged cell whose text sits below the break (centred in the cell)
        return a.rowspan > 1 or b.rowspan > 1 or headers
    if NUMBERED_START.match(b.text):
        return False
    return a.rowspan > 1 or b.rowspan > 1 or headers


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
        if 2 * sum(1 for ln in lines if ln.ocr_confidence is not None) > len(lines):
            return cls._measured(lines)
        sizes: Counter[float] = Counter()
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
        body = sizes.most_common(1)[0][0]
        body_lines = [ln for ln in lines if abs(ln.size - body) < 1 and len(ln.text) >= 8] or lines
        left = Counter(round(ln.x0) for ln in body_lines).most_common(1)[0][0]
        right = Counter(round(ln.x1) for ln in body_lines).most_common(1)[0][0]
        return cls(body, float(left), float(right))

    @classmethod
    def _measured(cls, lines: list[PageLine]) -> _Layout:
        """From OCR'd lines, whose sizes and ends scatter: the median size, and the margins most
        lines end at within a third of a text box."""
        long_lines = [ln for ln in lines if len(ln.text) >= 8] or lines
        sizes = sorted(ln.size for ln in long_lines)
        body = sizes[len(sizes) // 2]
        step = max(body * _BOX_TO_TYPE_SIZE / 3, 0.1)
        left = Counter(round(ln.x0 / step) for ln in long_lines).most_common(1)[0][0] * step
        right = Counter(round(ln.x1 / step) for ln in long_lines).most_common(1)[0][0] * step
        return cls(body, left, right)

    def continues(self, prev: PageLine, line: PageLine) -> bool:
        """`line` wraps on from `prev`: prev runs to the right margin, line starts at the left
        margin in the same type size, is not numbered, and follows closely (or opens the next page)."""
        slack = _slack(prev, line)
        size = max(prev.size, line.size)
        if not slack.same_size(prev.size, line.size):
            return False
        if prev.x1 < self.right - slack.right * size or line.x0 > self.left + slack.left * size:
            return False
        if NUMBERED_START.match(line.text):
            return False
        if line.page == prev.page:
            return 0 <= line.top - prev.bottom <= slack.gap * size
        return line.page == prev.page + 1


def _title_lines(stream: list[PageLine | list[PageTable]], layout: _Layout) -> list[PageLine]:
    """The run of lines in large type among the first lines of the first page with text: the
    report's title (a document number, a header line or a metadata table may stand above it)."""
    first_page = min((item.page for item in stream if isinstance(item, PageLine)), default=None)
    leading = [item for item in stream if isinstance(item, PageLine) and item.page == first_page]
    large = [ln.size >= _TITLE_SIZE_RATIO * layout.body_size for ln in leading[:_TITLE_SEARCH_LINES]]
    if True not in large:
        return []
    start = end = large.index(True)
    while end < len(large) and large[end]:
        end += 1
    return leading[start:end]
