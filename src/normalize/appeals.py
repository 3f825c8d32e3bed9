"""Section 四 (行政复议、行政诉讼): one data row of 15 cells under a three-row header."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.common.text import clean_text
from nianbao.extract.model import Provenance, Table, TextBlock
from nianbao.normalize.labels import heading_key, label_key, similarity
from nianbao.normalize.model import AppealValue, NullReason, StructureKind, StructureNote, TableRead
from nianbao.normalize.rows import (
    ValueCell,
    cell_provenance,
    distinct_cells,
    fit_sequence,
    is_label_text,
    read_count,
    value_cell,
)
from nianbao.normalize.values import is_value_text
from nianbao.spec import APPEAL_OUTCOMES, APPEAL_PROCEEDINGS, SPEC
from nianbao.vocabulary import VOCAB

_GROUPS = {code: heading_key(label) for code, label in VOCAB.recognition.appeals_groups.items()}
_OUTCOME_KEYS = {code: label_key(label) for code, label in SPEC.appeal_outcomes.items()}
SLOTS = [(p, o) for p in APPEAL_PROCEEDINGS for o in APPEAL_OUTCOMES]


@dataclass
class AppealsResult:
    values: list[AppealValue] = field(default_factory=list)
    notes: list[StructureNote] = field(default_factory=list)


def _proceeding_of(header_key: str) -> str | None:
    # Most specific first: 复议后起诉 and 未经复议直接起诉 both mention 复议.
    if _GROUPS["litigation_after_review"] in header_key and _GROUPS["litigation_direct"] not in header_key:
        return "litigation_after_review"
    if _GROUPS["litigation_direct"] in header_key:
        return "litigation_direct"
    if _GROUPS["review"] in header_key:
        return "review"
    return None


def _outcome_of(text: str) -> str | None:
    key = label_key(text)
    best, best_score = None, 0.0
    for code, okey in _OUTCOME_KEYS.items():
        s = similarity(key, okey)
        if s > best_score:
            best, best_score = code, s
    return best if best_score >= 75 else None


def _group_key(text: str) -> str:
    """Header key that keeps words in parentheses: 行政诉讼（未经复议直接起诉）."""
    return heading_key(text).replace("(", "").replace(")", "")


def _is_header_row(texts: list[str]) -> bool:
    hits = sum(1 for t in texts if is_label_text(t) and (
        _outcome_of(t) is not None or any(g in _group_key(t) for g in _GROUPS.values())))
    has_values = any(clean_text(t) and is_value_text(t) for t in texts)
    return hits >= 2 or (hits == 1 and not has_values)


def map_appeal_columns(table: Table, header_rows: list[int]) -> tuple[dict[tuple[str, str], int], set[tuple[str, str]]]:
    """(proceeding, outcome) -> grid column, from the header rows; and the slots placed by the
    template's order. A group whose header names the proceeding over exactly five columns but
    whose outcome labels are not printed (a two-row header: 行政复议 | 未经复议直接起诉 | 复议后起诉
    over the data) has its columns in the official order 结果维持 … 总计."""
    mapping: dict[tuple[str, str], int] = {}
    unlabelled: dict[str, list[int]] = {}
    for col in range(table.n_cols):
        parts = []
        seen = set()
        for r in header_rows:
            row = table.rows[r]
            if col < len(row) and row[col].origin not in seen and clean_text(row[col].text):
                seen.add(row[col].origin)
                parts.append(row[col].text)
        if not parts:
            continue
        proceeding = _proceeding_of(_group_key("".join(parts)))
        outcome = _outcome_of(parts[-1])
        if proceeding and outcome and (proceeding, outcome) not in mapping:
            mapping[(proceeding, outcome)] = col
        elif proceeding and outcome is None:
            unlabelled.setdefault(proceeding, []).append(col)
    by_order: set[tuple[str, str]] = set()
    for proceeding, cols in unlabelled.items():
        if len(cols) == len(APPEAL_OUTCOMES) and not any(p == proceeding for p, _ in mapping):
            for outcome, col in zip(APPEAL_OUTCOMES, cols, strict=True):
                mapping[(proceeding, outcome)] = col
                by_order.add((proceeding, outcome))
    return mapping, by_order


_IN_ORDER = "read in the official column order under its group header (outcome labels not printed)"


def _cells_to_values(placed: dict[tuple[str, str], ValueCell | None], how: str | None,
                     in_order: set[tuple[str, str]] | None = None) -> list[AppealValue]:
    out = []
    for (proceeding, outcome) in SLOTS:
        cell = placed.get((proceeding, outcome))
        read = _IN_ORDER if in_order and (proceeding, outcome) in in_order else how
        if cell is None:
            out.append(AppealValue(proceeding, outcome, None, note="cell not found in the table",
                                   null_reason=NullReason.NOT_FOUND))
            continue
        r = read_count(cell, read)
        out.append(AppealValue(proceeding, outcome, r.value, raw=r.raw, note=r.note, provenance=r.provenance,
                               null_reason=r.null_reason))
    return out


def _sequence(cells: list[ValueCell]) -> dict[tuple[str, str], ValueCell | None] | None:
    fitted = fit_sequence(cells, len(SLOTS))
    if fitted is None:
        return None
    return dict(zip(SLOTS, fitted))


def interpret_appeals(tables: list[Table], stream: list[TextBlock]) -> AppealsResult:
    """Positional through the header when it names the cells (also when 复议 and 诉讼 are two
    separate tables); else the data row's 15 numbers in template order; else NULL with a reason."""
    result = AppealsResult()
    placed: dict[tuple[str, str], ValueCell] = {}
    in_order: set[tuple[str, str]] = set()
    fallback: list[ValueCell] | None = None
    failure: tuple[int, Provenance] | None = None
    for table in tables:
        header_rows = [r for r in range(table.n_rows)
                       if _is_header_row([c.text for c in distinct_cells(table.rows[r])])]
        mapping, ordered = ({}, set()) if table.ragged else map_appeal_columns(table, header_rows)
        for r, row in enumerate(table.rows):
            if r in header_rows:
                continue
            cells = list(row)
            if not any(clean_text(c.text) and is_value_text(c.text) for c in cells):
                continue
            usable = {slot: col for slot, col in mapping.items() if slot not in placed and col < len(cells)}
            if usable and not any(is_label_text(cells[col].text) for col in usable.values()):
                for slot, col in usable.items():
                    placed[slot] = value_cell(cells[col], table)
                in_order |= ordered & set(usable)
                break
            tail = cells[max((i for i, c in enumerate(cells) if is_label_text(c.text)), default=-1) + 1:]
            tail_cells = [value_cell(c, table) for c in tail]
            if fallback is None and _sequence(tail_cells) is not None:
                fallback = tail_cells
            elif failure is None:
                failure = (sum(1 for c in tail if clean_text(c.text)), cell_provenance(cells[0], table))
            break
    if len(placed) == len(SLOTS):
        result.values = _cells_to_values(dict(placed), None, in_order)
        return result
    if fallback is not None and not placed:
        result.values = _cells_to_values(_sequence(fallback) or {}, "read in column order (no reliable column header)")
        return result
    if placed or failure:
        unplaced = failure is not None and not placed
        reason = (f"the section 四 data row has {failure[0]} values for 15 columns; cannot place them"
                  if unplaced else "cell not found under the section 四 column header")
        code = NullReason.UNREADABLE if unplaced else NullReason.NOT_FOUND
        prov = failure[1] if failure else None
        values = _cells_to_values(dict(placed), None)
        result.values = [v if (v.proceeding, v.outcome) in placed else
                         AppealValue(v.proceeding, v.outcome, None, note=reason, provenance=prov, null_reason=code)
                         for v in values]
        return result
    if stream:
        tokens: list[ValueCell] = []
        for block in stream:
            for line in block.text.splitlines():
                if clean_text(line) and is_value_text(line):
                    tokens.append(ValueCell(line.strip(), block.provenance, block.ocr_confidence))
        if tokens:
            seq = _sequence(tokens)
            if seq is not None:
                result.notes.append(StructureNote("appeals", StructureKind.NO_TABLE,
                                                  {"read": TableRead.NUMBER_STREAM}, stream[0].provenance))
                result.values = _cells_to_values(seq, "read in column order (table markup lost)")
                return result
            result.values = [AppealValue(p, o, None, note=f"section 四 text has {len(tokens)} numbers for 15 "
                                         "columns and no table; cannot place them",
                                         null_reason=NullReason.UNREADABLE) for p, o in SLOTS]
            return result
    if tables or stream:
        result.notes.append(StructureNote("appeals", StructureKind.NO_TABLE, {"read": TableRead.NOTHING},
                                          (tables[0].provenance if tables else stream[0].provenance)))
        result.values = [AppealValue(p, o, None, note="section 四 has no table with numbers",
                                     null_reason=NullReason.NO_TABLE) for p, o in SLOTS]
    return result
