"""The intermediate representation every reader returns: ordered text blocks and table grids.

Readers (text, HTML, later PDF/DOCX/OCR) turn bytes into a `Document`; the normalizer only ever
sees this shape, so a new format is a new reader and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# An OCR'd value read with a lower confidence than this is not to be trusted: the normalizer
# stores it as NULL with a note, never the number the engine guessed.
OCR_MIN_CONFIDENCE = 0.8


@dataclass(frozen=True)
class Provenance:
    """Where a piece of text came from, precise enough for a supervisor to find it again.

    `locator` is format specific: an element path for HTML (``/html/body/div[2]/table[1]/tr[4]/td[3]``),
    ``line 57`` for plain text, ``page 3`` for PDF. `page` is 1-based when the format has pages.
    `table`, `row` and `col` are 0-based positions in the document's table list and the grid.
    """

    document: str
    locator: str
    page: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None

    def describe(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.table is not None:
            parts.append(f"table {self.table + 1}")
        if self.row is not None:
            parts.append(f"row {self.row + 1}")
        if self.col is not None:
            parts.append(f"column {self.col + 1}")
        if not parts:
            parts.append(self.locator)
        return ", ".join(parts)


@dataclass(frozen=True)
class Cell:
    """One position of a table grid.

    A merged source cell (rowspan/colspan) appears at every position it covers; `origin` is the
    grid position of its top-left corner, so a consumer can tell a repeat from a new cell.
    `ocr_confidence` is set only on text read by OCR: the engine's lowest confidence among the
    cell's words (1.0 for a cell with no ink, 0.0 for ink the engine could not read).
    """

    text: str
    row: int
    col: int
    origin: tuple[int, int]
    rowspan: int = 1
    colspan: int = 1
    provenance: Provenance | None = None
    ocr_confidence: float | None = None

    @property
    def is_ocr(self) -> bool:
        return self.ocr_confidence is not None

    @property
    def is_origin(self) -> bool:
        return self.origin == (self.row, self.col)


@dataclass(frozen=True)
class Table:
    """A grid of cells. `ragged` marks grids whose column positions are not trustworthy
    (plain text copied from a web page, where merged cells collapse and rows shift)."""

    index: int
    rows: tuple[tuple[Cell, ...], ...]
    provenance: Provenance
    ragged: bool = False

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def row_texts(self, i: int) -> list[str]:
        return [c.text for c in self.rows[i]]


@dataclass(frozen=True)
class TextBlock:
    """A paragraph or line of running text (headings included), in document order;
    `ocr_confidence` as for Cell (the lowest among its lines), None when not OCR'd."""

    index: int
    text: str
    provenance: Provenance
    ocr_confidence: float | None = None


Block = TextBlock | Table


@dataclass(frozen=True)
class Document:
    """A whole report as read from one file: blocks in reading order plus page metadata."""

    path: str
    format: str
    blocks: tuple[Block, ...]
    title: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text_blocks(self) -> list[TextBlock]:
        return [b for b in self.blocks if isinstance(b, TextBlock)]

    def full_text(self) -> str:
        """Running text in order, tables excluded (narrative, title, dates)."""
        return "\n".join(b.text for b in self.text_blocks)


class ReaderError(Exception):
    """A document could not be read; `status` is the documents.status to record
    (failed, unsupported, not_a_report) and the message says why in plain words."""

    def __init__(self, message: str, status: str = "failed") -> None:
        super().__init__(message)
        self.status = status
