"""The one span-grid builder: source cells placed on a grid (with their row and column spans)
-> a rectangular Table whose every position points at the cell covering it.

The HTML, DOCX, PDF and OCR readers all end here; each only decides where its cells sit.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from ..model import Cell, Provenance, Table


@dataclass
class Span:
    """A source cell at its grid position: text, where it came from and, when OCR read it, how sure
    the engine was."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    provenance: Provenance | None = None
    ocr_confidence: float | None = None


class _Placed(Protocol):
    col: int
    colspan: int


def drop_empty_columns(placed: Sequence[_Placed]) -> int:
    """Remove grid columns in which no cell starts (they exist only because of an oversized span or
    a sliver between misaligned borders, and have no width when rendered), shortening the spans
    that cross them; returns the grid width left."""
    starts = sorted({p.col for p in placed})
    new_col = {old: new for new, old in enumerate(starts)}
    for p in placed:
        old_end = p.col + p.colspan
        p.col = new_col[p.col]
        p.colspan = bisect_left(starts, old_end) - p.col
    return len(starts)


# A position no source cell covers: its provenance and OCR confidence, by (row, column).
BlankCell = Callable[[int, int], tuple[Provenance, float | None]]


def build_table(index: int, spans: Sequence[Span], n_rows: int, n_cols: int, provenance: Provenance,
                blank: BlankCell) -> Table:
    """The grid: every position of a merged cell holds the one source cell (its `origin` the
    top-left corner); spans reaching past the grid are cut at its edge; positions no cell covers
    are empty cells described by `blank`."""
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for s in spans:
        for r in range(s.row, min(s.row + s.rowspan, n_rows)):
            grid_row = grid[r]
            for c in range(s.col, min(s.col + s.colspan, n_cols)):
                grid_row[c] = Cell(s.text, r, c, (s.row, s.col), s.rowspan, s.colspan, s.provenance,
                                   ocr_confidence=s.ocr_confidence)
    rows = []
    for r, grid_row in enumerate(grid):
        if None in grid_row:
            cells = []
            for c, cell in enumerate(grid_row):
                if cell is None:
                    where, confidence = blank(r, c)
                    cell = Cell("", r, c, (r, c), provenance=where, ocr_confidence=confidence)
                cells.append(cell)
            grid_row = cells
        rows.append(tuple(grid_row))
    return Table(index, tuple(rows), provenance)
