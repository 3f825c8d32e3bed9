"""Observed rows: a table row (or a run of text lines) reduced to its label and its value cells,
and the alignment of observed rows to the template's known order.

Grids with trustworthy columns are read by position through the header; ragged grids (copied
text) and text streams (table markup lost) are read as 'label followed by its numbers'.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from nianbao.common.text import clean_text
from nianbao.extract.model import OCR_MIN_CONFIDENCE, Cell, Provenance, Table, TextBlock
from nianbao.normalize.labels import label_key, similarity
from nianbao.normalize.model import NullReason
from nianbao.normalize.values import ParsedValue, as_int, is_value_text, parse_value, unreadable_note


@dataclass(frozen=True)
class ValueCell:
    text: str
    provenance: Provenance | None
    ocr_confidence: float | None = None  # set when the text was read by OCR


def parse_cell(cell: ValueCell) -> tuple[ParsedValue | None, str | None]:
    """parse_value, plus the OCR gate: a number OCR read with low confidence becomes NULL with a
    note (never the engine's guess); any other OCR'd value carries a note saying it was OCR'd."""
    parsed = parse_value(cell.text)
    if cell.ocr_confidence is None:
        return parsed, None
    confidence = cell.ocr_confidence
    if parsed is not None and parsed.value is not None and confidence < OCR_MIN_CONFIDENCE:
        return ParsedValue(None, note=f"read by OCR as '{cell.text.strip()}' with confidence {confidence:.2f} "
                                      f"< {OCR_MIN_CONFIDENCE:.2f}: stored as NULL",
                           null_reason=NullReason.OCR_LOW_CONFIDENCE), None
    return parsed, f"read by OCR (confidence {confidence:.2f})"


@dataclass(frozen=True)
class CountReading:
    """A count cell (sections 三 and 四) read: its whole number, or None with the reason, and the
    notes on how it was read."""

    value: int | None
    raw: str
    note: str | None
    provenance: Provenance | None
    null_reason: NullReason | None


def _join_notes(*notes: str | None) -> str:
    return "; ".join(n for n in notes if n)


def read_count(cell: ValueCell, how: str | None = None, note_unit: bool = False) -> CountReading:
    """parse_cell for a count: text that is no number, a fraction, an OCR guess are NULL with a
    note; `how` (the cell was placed by reading order, say) is noted on a value; `note_unit`: a
    unit written in the cell is noted."""
    parsed, ocr_note = parse_cell(cell)
    if parsed is None:
        return CountReading(None, cell.text, unreadable_note(cell.text), cell.provenance, NullReason.UNREADABLE)
    value, note, null_reason = as_int(parsed)
    if note_unit and parsed.unit:
        note = _join_notes(note, f"unit '{parsed.unit}' written in the cell")
    if how and value is not None:
        note = _join_notes(note, how)
    return CountReading(value, cell.text, _join_notes(note, ocr_note) or None, cell.provenance, null_reason)


def value_cell(cell: Cell, table: Table) -> ValueCell:
    return ValueCell(cell.text, cell_provenance(cell, table), cell.ocr_confidence)


@dataclass(frozen=True)
class ObservedRow:
    """One data row as seen in the document.

    `labels` are the distinct label texts left to right (group labels first); `values` holds
    the value cells: by grid column when `positional`, else in reading order."""

    labels: tuple[str, ...]
    values: dict[int, ValueCell] | tuple[ValueCell, ...]
    positional: bool
    provenance: Provenance | None
    table_index: int | None = None
    grid_row: int | None = None

    @property
    def label(self) -> str:
        """The most specific label: the rightmost one."""
        return self.labels[-1] if self.labels else ""


def cell_provenance(cell: Cell, table: Table) -> Provenance:
    if cell.provenance is not None:
        return cell.provenance
    p = table.provenance
    return Provenance(p.document, p.locator, p.page, table.index, cell.row, cell.col)


def distinct_cells(row: Sequence[Cell]) -> list[Cell]:
    """Cells of a grid row with merged repeats (same origin) collapsed."""
    seen: set[tuple[int, int]] = set()
    out = []
    for cell in row:
        if cell.origin in seen:
            continue
        seen.add(cell.origin)
        out.append(cell)
    return out


def is_label_text(text: str) -> bool:
    return bool(clean_text(text)) and not is_value_text(text)


def fit_sequence(cells: list[ValueCell], n: int) -> list[ValueCell | None] | None:
    """Place a ragged run of value cells into n columns, or None when that cannot be done
    without guessing. Dense rows (exactly n non-empty cells) map in order; otherwise padding
    from merged regions is trimmed from the ends while the row is too long."""
    non_empty = [c for c in cells if clean_text(c.text)]
    if len(non_empty) == n:
        return list(non_empty)
    trimmed = list(cells)
    while len(trimmed) > n and not clean_text(trimmed[-1].text):
        trimmed.pop()
    while len(trimmed) > n and not clean_text(trimmed[0].text):
        trimmed.pop(0)
    if len(trimmed) == n:
        return trimmed
    return None


def rows_from_ragged(table: Table) -> list[ObservedRow]:
    """Rows of a ragged grid: labels are the label-like cells, values the cells after the last label."""
    out = []
    for r, row in enumerate(table.rows):
        cells = list(row)
        last_label = max((i for i, c in enumerate(cells) if is_label_text(c.text)), default=-1)
        labels = tuple(c.text for c in cells[: last_label + 1] if is_label_text(c.text))
        values = tuple(value_cell(c, table) for c in cells[last_label + 1:])
        if not labels and not any(clean_text(v.text) for v in values):
            continue
        prov = cell_provenance(cells[max(last_label, 0)], table) if cells else table.provenance
        out.append(ObservedRow(labels, values, False, prov, table.index, r))
    return out


def rows_from_stream(blocks: Sequence[TextBlock], skip: Callable[[str], bool] | None = None) -> list[ObservedRow]:
    """A table whose markup was lost: one cell per line or paragraph. Each label is followed by
    its numbers; a label directly followed by another label is a group label and is carried."""
    tokens: list[tuple[str, Provenance, float | None]] = []
    for block in blocks:
        for line in block.text.splitlines():
            text = line.strip()
            if not text or set(clean_text(text)) <= {"|", "｜"}:
                continue
            tokens.append((text, block.provenance, block.ocr_confidence))
    out: list[ObservedRow] = []
    labels: list[str] = []
    values: list[ValueCell] = []
    label_prov: Provenance | None = None

    def flush() -> None:
        if labels and values:
            out.append(ObservedRow(tuple(labels), tuple(values), False, label_prov))

    for text, prov, confidence in tokens:
        if is_value_text(text):
            values.append(ValueCell(text, prov, confidence))
            continue
        if skip is not None and skip(text):
            continue
        if values:
            flush()
            labels, values = [], []
        labels.append(text)
        label_prov = prov
    flush()
    return out


@dataclass(frozen=True)
class Alignment:
    pairs: list[tuple[int, str, float]]  # (observed index, template code, score)
    unmatched_observed: list[int]
    unmatched_template: list[str]


def align_rows_to_template(
    observed_keys: Sequence[str], template: dict[str, str], threshold: float = 72.0
) -> Alignment:
    """Monotonic alignment (Needleman-Wunsch without gap penalties) of observed row labels to
    the template's rows in order, maximising total label similarity. A missing, extra, merged
    or misspelled row is skipped on one side and never shifts the rows after it."""
    codes = list(template)
    tkeys = [label_key(template[c]) for c in codes]
    n, m = len(observed_keys), len(codes)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]  # 0 diag, 1 skip observed, 2 skip template
    sims = [[similarity(o, t) if o else 0.0 for t in tkeys] for o in observed_keys]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best, how = score[i - 1][j], 1
            if score[i][j - 1] > best:
                best, how = score[i][j - 1], 2
            s = sims[i - 1][j - 1]
            if s >= threshold and score[i - 1][j - 1] + s > best:
                best, how = score[i - 1][j - 1] + s, 0
            score[i][j], move[i][j] = best, how
    for i in range(1, n + 1):
        move[i][0] = 1
    for j in range(1, m + 1):
        move[0][j] = 2
    pairs = []
    i, j = n, m
    while i > 0 or j > 0:
        how = move[i][j]
        if how == 0:
            pairs.append((i - 1, codes[j - 1], sims[i - 1][j - 1]))
            i, j = i - 1, j - 1
        elif how == 1:
            i -= 1
        else:
            j -= 1
    pairs.reverse()
    matched_o = {p[0] for p in pairs}
    matched_t = {p[1] for p in pairs}
    return Alignment(
        pairs,
        [i for i in range(n) if i not in matched_o],
        [c for c in codes if c not in matched_t],
    )
