"""Section 三 (收到和处理政府信息公开申请情况): grids or text streams -> ApplicationValue records."""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.common.text import clean_text
from nianbao.extract.model import Table, TextBlock
from nianbao.normalize.labels import label_key, similarity
from nianbao.normalize.model import ApplicationValue, NullReason, StructureKind, StructureNote, TableRead
from nianbao.normalize.rows import (
    ObservedRow,
    ValueCell,
    align_rows_to_template,
    cell_provenance,
    distinct_cells,
    fit_sequence,
    is_label_text,
    read_count,
    rows_from_ragged,
    rows_from_stream,
    value_cell,
)
from nianbao.normalize.values import is_value_text, parse_value
from nianbao.spec import SPEC, V2019_ONLY_ROWS, V2021_ONLY_ROWS
from nianbao.vocabulary import VOCAB

APPLICANTS = list(SPEC.applicants)
_APPLICANT_KEYS = {code: label_key(label) for code, label in SPEC.applicants.items()}
_HEADER_WORD_KEYS = [label_key(w) for w in VOCAB.recognition.applications_header_words] + [
    label_key(SPEC.applicant_group)]


@dataclass
class ApplicationsResult:
    values: list[ApplicationValue] = field(default_factory=list)
    notes: list[StructureNote] = field(default_factory=list)
    # Which (六) layout the document used: "v2019" for a single 其他处理 row, "v2021" for sub-rows.
    other_version: str | None = None


def _strip_header_words(key: str) -> str:
    for word in _HEADER_WORD_KEYS:
        if word and word in key:
            key = key.replace(word, "")
    return key


def map_applicant_columns(table: Table, header_rows: list[int]) -> dict[str, int]:
    """Applicant code -> grid column, read through the multi-row header: each column's header
    texts top-down (merged cells once), group words removed, the rest matched to an applicant."""
    mapping: dict[str, int] = {}
    for col in range(table.n_cols):
        parts: list[str] = []
        seen: set[tuple[int, int]] = set()
        for r in header_rows:
            row = table.rows[r]
            if col >= len(row):
                continue
            cell = row[col]
            if cell.origin in seen:
                continue
            seen.add(cell.origin)
            parts.append(cell.text)
        key = _strip_header_words(label_key("".join(parts)))
        if not key:
            continue
        best, best_score = None, 0.0
        for code, akey in _APPLICANT_KEYS.items():
            s = similarity(key, akey)
            if s > best_score:
                best, best_score = code, s
        if best is not None and best_score >= 80 and best not in mapping:
            mapping[best] = col
    return mapping


def _is_header_row(texts: list[str]) -> bool:
    """A header row names at least two applicant columns or header words; a word split over
    two rows (商业 / 企业) counts as part of the applicant label it belongs to."""
    hits = 0
    for text in texts:
        key = label_key(text)
        if not key or is_value_text(text):
            continue
        if any(key in akey for akey in _APPLICANT_KEYS.values()) or any(
                w and (w in key or (len(key) >= 2 and key in w)) for w in _HEADER_WORD_KEYS):
            hits += 1
    return hits >= 2


def rows_from_grid(table: Table, notes: list[StructureNote]) -> list[ObservedRow]:
    """Positional rows: value columns from the header; rows whose cells do not fit the columns
    (a shifted row) are read as a sequence instead."""
    header_rows = [r for r in range(table.n_rows) if _is_header_row([c.text for c in distinct_cells(table.rows[r])])]
    # Only the header block at the top counts; a repeated header after a page break too.
    mapping = map_applicant_columns(table, header_rows) if header_rows else {}
    if len(mapping) < len(APPLICANTS):
        if table.n_cols >= len(APPLICANTS) + 1 and not mapping:
            # A continuation table without its header: the 7 data columns are the rightmost ones.
            first = table.n_cols - len(APPLICANTS)
            mapping = {code: first + i for i, code in enumerate(APPLICANTS)}
            notes.append(StructureNote("applications", StructureKind.NO_HEADER,
                                       {"table": table.index + 1, "columns": len(APPLICANTS)}, table.provenance))
        else:
            missing = tuple(a for a in APPLICANTS if a not in mapping)
            if mapping:
                notes.append(StructureNote("applications", StructureKind.MISSING_COLUMN,
                                           {"applicants": missing}, table.provenance))
    if not mapping:
        return rows_from_ragged(table)
    value_cols = set(mapping.values())
    first_value_col = min(value_cols)
    extra_cols = _extra_columns(table, header_rows, value_cols, first_value_col)
    for col, text in extra_cols:
        # Point at the column's own header cell, so a flag shows which column it is.
        header = table.rows[header_rows[-1]] if header_rows else ()
        where = header[col].provenance if col < len(header) and header[col].provenance else table.provenance
        notes.append(StructureNote("applications", StructureKind.EXTRA_COLUMN,
                                   {"label": text, "column": col + 1}, where))
    out = []
    for r, row in enumerate(table.rows):
        if r in header_rows:
            continue
        cells = list(row)
        if len({c.origin for c in cells}) == 1:
            continue  # a full-width row: a group heading such as （六）其他处理 above its sub-rows
        label_cells = [c for c in distinct_cells(cells[:first_value_col]) if is_label_text(c.text)]
        labels = tuple(c.text for c in label_cells)
        in_value_cols = {col: cells[col] for col in value_cols if col < len(cells)}
        shifted = any(is_label_text(c.text) for c in in_value_cols.values())
        if shifted:
            ragged = Table(table.index, (tuple(cells),), table.provenance, ragged=True)
            for obs in rows_from_ragged(ragged):
                out.append(ObservedRow(obs.labels, obs.values, False, obs.provenance, table.index, r))
            continue
        if not labels and not any(clean_text(c.text) for c in in_value_cols.values()):
            continue
        values = {col: value_cell(cell, table) for col, cell in in_value_cols.items()}
        prov = cell_provenance(label_cells[-1], table) if label_cells else cell_provenance(cells[0], table)
        out.append(ObservedRow(labels, values, True, prov, table.index, r))
    # Positional rows carry the column mapping through their values' keys.
    return [_with_mapping(o, mapping) for o in out]


def _extra_columns(table: Table, header_rows: list[int], value_cols: set[int], first: int) -> list[tuple[int, str]]:
    extra = []
    for col in range(first, table.n_cols):
        if col in value_cols:
            continue
        texts = [table.rows[r][col].text for r in header_rows if col < len(table.rows[r])]
        key = _strip_header_words(label_key("".join(dict.fromkeys(texts))))
        if key:
            extra.append((col, "".join(dict.fromkeys(t.strip() for t in texts if t.strip()))))
    return extra


def _with_mapping(obs: ObservedRow, mapping: dict[str, int]) -> ObservedRow:
    if not obs.positional:
        return obs
    assert isinstance(obs.values, dict)
    by_applicant = {i: obs.values.get(mapping[a]) for i, a in enumerate(APPLICANTS)}
    return ObservedRow(obs.labels, {i: v for i, v in by_applicant.items() if v is not None}, True,
                       obs.provenance, obs.table_index, obs.grid_row)


def _row_key(obs: ObservedRow, template_keys: list[str]) -> str:
    """The label key that best identifies the row: the rightmost label, or the last two joined
    when a long label was split over two lines or cells."""
    candidates = [label_key(obs.label)]
    if len(obs.labels) >= 2:
        candidates.append(label_key(obs.labels[-2] + obs.labels[-1]))
    best, best_score = candidates[0], -1.0
    for cand in candidates:
        score = max((similarity(cand, t) for t in template_keys), default=0.0)
        if score > best_score:
            best, best_score = cand, score
    return best


def interpret_applications(tables: list[Table], stream: list[TextBlock]) -> ApplicationsResult:
    result = ApplicationsResult()
    observed: list[ObservedRow] = []
    for table in tables:
        observed.extend(rows_from_ragged(table) if table.ragged else rows_from_grid(table, result.notes))
    if not tables and stream:
        observed.extend(rows_from_stream(stream))
        if observed:
            result.notes.append(StructureNote("applications", StructureKind.NO_TABLE,
                                              {"read": TableRead.LABEL_STREAM}, stream[0].provenance))
    # A label with no cells after it at all is a group heading (its sub-rows follow), not a data row.
    observed = [o for o in observed if o.positional or len(o.values) > 0]
    template = dict(SPEC.application_rows)
    template_keys = [label_key(v) for v in template.values()]
    keys = [_row_key(o, template_keys) for o in observed]
    alignment = align_rows_to_template(keys, template)
    matched_rows = {code for _, code, _ in alignment.pairs}
    if matched_rows & set(V2021_ONLY_ROWS):
        result.other_version = "v2021"
    elif matched_rows & set(V2019_ONLY_ROWS):
        result.other_version = "v2019"
    for idx, code, _score in alignment.pairs:
        result.values.extend(_values_for_row(code, observed[idx]))
    for idx in alignment.unmatched_observed:
        obs = observed[idx]
        if _has_numbers(obs) and obs.label:
            result.notes.append(StructureNote("applications", StructureKind.EXTRA_ROW,
                                              {"label": clean_text(obs.label)}, obs.provenance))
    if observed and matched_rows:
        version_rows = SPEC.application_rows_for(result.other_version or "v2021")
        for code in version_rows:
            if code not in matched_rows:
                result.values.extend(
                    ApplicationValue(code, a, None, note=f"row '{SPEC.row_label(code)}' not found in the table",
                                     null_reason=NullReason.NOT_FOUND)
                    for a in APPLICANTS)
                result.notes.append(StructureNote("applications", StructureKind.MISSING_ROW,
                                                  {"row": code}))
    return result


def _has_numbers(obs: ObservedRow) -> bool:
    values = obs.values.values() if isinstance(obs.values, dict) else obs.values
    return any(parse_value(v.text) is not None and parse_value(v.text).is_number for v in values)


def _values_for_row(code: str, obs: ObservedRow) -> list[ApplicationValue]:
    out = []
    if obs.positional:
        assert isinstance(obs.values, dict)
        placed: list[ValueCell | None] = [obs.values.get(i) for i in range(len(APPLICANTS))]
        how = None
    else:
        assert isinstance(obs.values, tuple)
        fitted = fit_sequence(list(obs.values), len(APPLICANTS))
        if fitted is None:
            n = sum(1 for v in obs.values if clean_text(v.text))
            reason = (f"row '{SPEC.row_label(code)}' has {n} values for {len(APPLICANTS)} columns "
                      "and its blank cells cannot be placed without the table markup")
            return [ApplicationValue(code, a, None, note=reason, provenance=obs.provenance,
                                     null_reason=NullReason.UNREADABLE) for a in APPLICANTS]
        placed = list(fitted)
        how = "read in column order (row without reliable column positions)"
    for applicant, cell in zip(APPLICANTS, placed):
        if cell is None:
            out.append(ApplicationValue(code, applicant, None, note="cell missing from the row",
                                        provenance=obs.provenance, null_reason=NullReason.NOT_FOUND))
            continue
        r = read_count(cell, how, note_unit=True)
        out.append(ApplicationValue(code, applicant, r.value, raw=r.raw, note=r.note, provenance=r.provenance,
                                    null_reason=r.null_reason))
    return out
