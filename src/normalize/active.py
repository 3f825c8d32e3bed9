"""Section 二 (主动公开政府信息情况): 第二十条 item groups -> ActiveValue records, either version.

The section is read as a stream of events in document order (item heading, column header, data
row), whether the items are separate tables, one table with sub-heading rows, or lost markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nianbao.common.text import clean_text
from nianbao.extract.model import Provenance, Table, TextBlock
from nianbao.normalize.labels import heading_key, label_key, similarity
from nianbao.normalize.model import ActiveValue, NullReason, StructureKind, StructureNote, TableRead
from nianbao.normalize.rows import (
    ValueCell,
    align_rows_to_template,
    cell_provenance,
    distinct_cells,
    is_label_text,
    parse_cell,
    value_cell,
)
from nianbao.normalize.values import as_int, is_value_text, parse_value, unreadable_note
from nianbao.spec import SPEC, VERSIONS, ActiveItem
from nianbao.vocabulary import VOCAB

_ITEM_KEYS = {item: heading_key(label) for item, label in SPEC.active_item_labels.items()}
_CONTENT_KEY = label_key(VOCAB.recognition.active_content_header)
_NOISE = [label_key(w) for w in VOCAB.recognition.metric_noise]
_UNITS = sorted(VOCAB.recognition.units, key=len, reverse=True)
ITEMS = list(SPEC.active_item_labels)


@dataclass
class ActiveResult:
    values: list[ActiveValue] = field(default_factory=list)
    notes: list[StructureNote] = field(default_factory=list)
    item_versions: dict[str, str] = field(default_factory=dict)


@dataclass
class _Header:
    texts: list[str]          # metric header texts, left to right
    columns: list[int | None]  # grid column of each (None for streams)
    provenance: Provenance | None


@dataclass
class _Data:
    label: str
    values: dict[int, ValueCell] | list[ValueCell]  # by grid column, or in order
    provenance: Provenance | None


def _item_of_heading(text: str) -> str | None:
    key = heading_key(text)
    if not key or len(key) > 30:
        return None
    scored = sorted(((similarity(key, k), item) for item, k in _ITEM_KEYS.items()), reverse=True)
    if scored[0][0] >= 85 and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 3):
        return scored[0][1]
    return None


def _metric_key(text: str) -> str:
    key = label_key(text)
    for noise in _NOISE:
        key = key.replace(noise, "")
    return key


def _all_metric_keys() -> set[str]:
    return {_metric_key(m) for v in VERSIONS for it in SPEC.active[v] for m in it.metrics.values()}


_METRIC_KEYS = _all_metric_keys()


def _is_metric_text(text: str) -> bool:
    key = _metric_key(text)
    return bool(key) and (key == _CONTENT_KEY or max(similarity(key, m) for m in _METRIC_KEYS) >= 80)


def _events_from_table(table: Table) -> list[object]:
    events: list[object] = []
    for r, row in enumerate(table.rows):
        cells = distinct_cells(row)
        texts = [c.text for c in cells if clean_text(c.text)]
        if not texts:
            continue
        item = _item_of_heading("".join(texts)) if len(texts) <= 2 else None
        if item:
            events.append(item)
            continue
        label_cells = [c for c in cells if is_label_text(c.text)]
        if label_cells and all(_is_metric_text(c.text) for c in label_cells[1:]) and len(label_cells) >= 2 and (
                _metric_key(label_cells[0].text) == _CONTENT_KEY or _is_metric_text(label_cells[1].text)):
            metrics = [c for c in label_cells if _metric_key(c.text) != _CONTENT_KEY]
            events.append(_Header([c.text for c in metrics], [c.col for c in metrics],
                                  cell_provenance(label_cells[0], table)))
            continue
        full = list(row)
        last_label = max((i for i, c in enumerate(full) if is_label_text(c.text)), default=-1)
        if last_label < 0:
            continue
        label = full[last_label].text
        if table.ragged:
            values: dict[int, ValueCell] | list[ValueCell] = {
                i: value_cell(c, table) for i, c in enumerate(full) if i > last_label}
        else:
            values = {c.col: value_cell(c, table) for c in full[last_label + 1:]
                      if c.is_origin or c.origin[1] != full[last_label].origin[1]}
        events.append(_Data(label, values, cell_provenance(full[last_label], table)))
    return events


def _events_from_line(line: str, provenance: Provenance) -> list[object]:
    """A line of text inside section 二 next to its tables: an item heading, a column header
    (信息内容 本年制发件数 …) or a row copied without its table (行政许可 412)."""
    item = _item_of_heading(line)
    if item:
        return [item]
    tokens = line.split()
    if len(tokens) < 2:
        return []
    n_values = 0
    while n_values < len(tokens) and is_value_text(tokens[-1 - n_values]):
        n_values += 1
    labels = tokens[: len(tokens) - n_values]
    if n_values and labels:
        return [_Data(" ".join(labels), [ValueCell(t, provenance) for t in tokens[len(labels):]], provenance)]
    if not n_values and all(_is_metric_text(t) for t in tokens) and _metric_key(tokens[0]) == _CONTENT_KEY:
        return [_Header(tokens[1:], [None] * (len(tokens) - 1), provenance)]
    return []


def _events_from_stream(blocks: list[TextBlock]) -> list[object]:
    events: list[object] = []
    header: list[str] = []
    data: _Data | None = None
    for block in blocks:
        for line in block.text.splitlines():
            text = line.strip()
            if not clean_text(text) or set(clean_text(text)) <= {"|"}:
                continue
            item = _item_of_heading(text)
            if item:
                if data:
                    events.append(data)
                    data = None
                events.append(item)
                continue
            if is_value_text(text):
                if data is not None:
                    assert isinstance(data.values, list)
                    data.values.append(ValueCell(text, block.provenance, block.ocr_confidence))
                continue
            if _is_metric_text(text) and data is None or (data is not None and not data.values and _is_metric_text(text)):
                if _metric_key(text) != _CONTENT_KEY:
                    header.append(text)
                data = None
                continue
            if header:
                events.append(_Header(header, [None] * len(header), block.provenance))
                header = []
            if data:
                events.append(data)
            data = _Data(text, [], block.provenance)
    if data:
        events.append(data)
    return events


def _choose_version(item: str | None, header: _Header) -> tuple[str | None, ActiveItem | None, dict[int, str]]:
    """Which item/version a column header belongs to, and metric code by header position."""
    best: tuple[float, str | None, ActiveItem | None, dict[int, str]] = (0.0, None, None, {})
    for version in VERSIONS:
        for it in SPEC.active[version]:
            if item is not None and it.item != item:
                continue
            keys = [_metric_key(t) for t in header.texts]
            alignment = align_rows_to_template(keys, {m: _strip_noise_label(lbl) for m, lbl in it.metrics.items()})
            total = sum(s for _, _, s in alignment.pairs)
            if total > best[0]:
                best = (total, version, it, {i: code for i, code, _ in alignment.pairs})
    return best[1], best[2], best[3]


def _strip_noise_label(label: str) -> str:
    return label


def _unit_in(text: str) -> str | None:
    cleaned = clean_text(text)
    for unit in _UNITS:
        if unit in cleaned:
            return unit
    return None


def _item_for_row(label: str, item: str | None) -> tuple[str | None, str | None, float]:
    """(item, row code) of a data-row label: within the current item first, else any item."""
    key = label_key(label)
    best: tuple[float, str | None, str | None] = (0.0, None, None)
    for version in VERSIONS:
        for it in SPEC.active[version]:
            for code, row_label in it.rows.items():
                s = similarity(key, label_key(row_label))
                if it.item == item:
                    s += 5  # the heading we are under wins ties
                if s > best[0]:
                    best = (s, it.item, code)
    return best[1], best[2], best[0]


def interpret_active(tables: list[Table], stream: list[TextBlock], ordered_blocks: list[object]) -> ActiveResult:
    """`ordered_blocks` is the section's blocks (tables and text) in document order."""
    result = ActiveResult()
    events: list[object] = []
    has_tables = any(isinstance(b, Table) for b in ordered_blocks)
    for block in ordered_blocks:
        if isinstance(block, Table):
            events.extend(_events_from_table(block))
        elif isinstance(block, TextBlock):
            for line in block.text.splitlines():
                events.extend(_events_from_line(line, block.provenance))
    if not has_tables and stream:
        events = _events_from_stream(stream)
        if events:
            result.notes.append(StructureNote("active", StructureKind.NO_TABLE,
                                              {"read": TableRead.LABEL_STREAM}, stream[0].provenance))
    item: str | None = None
    header: _Header | None = None
    metric_by_pos: dict[int, str] = {}
    active_item: ActiveItem | None = None
    seen: dict[tuple[str, str, str], ActiveValue] = {}
    for ev in events:
        if isinstance(ev, str):
            item, header, active_item, metric_by_pos = ev, None, None, {}
            continue
        if isinstance(ev, _Header):
            header = ev
            version, active_item, metric_by_pos = _choose_version(item, ev)
            if active_item is not None:
                item = active_item.item
                result.item_versions[item] = version or "unknown"
            continue
        assert isinstance(ev, _Data)
        row_item, row_code, score = _item_for_row(ev.label, item)
        if row_code is None or score < 75:
            if any(parse_value(v.text) and parse_value(v.text).is_number for v in _values_list(ev)):
                result.notes.append(StructureNote("active", StructureKind.EXTRA_ROW,
                                                  {"label": clean_text(ev.label)}, ev.provenance))
            continue
        if active_item is None or row_item != active_item.item:
            # A row without its item's header: take the header of that item in the version seen so far.
            version = result.item_versions.get(row_item) or _majority(result.item_versions) or "v2021"
            candidate = SPEC.active_item(version, row_item) or SPEC.active_item("v2021", row_item) or \
                SPEC.active_item("v2019", row_item)
            if candidate is None:
                continue
            if header is None or item != row_item:
                active_item = candidate
                result.item_versions.setdefault(row_item, version)
                metric_by_pos = {i: m for i, m in enumerate(candidate.metrics)}
                header = _Header(list(candidate.metrics.values()), [None] * len(candidate.metrics), None)
            item = row_item
        if row_code not in active_item.rows:
            continue
        for value in _read_row(ev, header, metric_by_pos, active_item, row_code):
            seen.setdefault((value.item, value.row, value.metric), value)
    result.values = _complete(seen, result)
    return result


def _majority(item_versions: dict[str, str]) -> str | None:
    if not item_versions:
        return None
    counts: dict[str, int] = {}
    for v in item_versions.values():
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=lambda v: counts[v])


def _values_list(ev: _Data) -> list[ValueCell]:
    return list(ev.values.values()) if isinstance(ev.values, dict) else list(ev.values)


def _read_row(ev: _Data, header: _Header | None, metric_by_pos: dict[int, str], it: ActiveItem,
              row_code: str) -> list[ActiveValue]:
    assert header is not None
    n = len(header.texts)
    placed: dict[int, ValueCell | None] = {}
    how = None
    positional = isinstance(ev.values, dict) and all(c is not None for c in header.columns)
    if positional:
        assert isinstance(ev.values, dict)
        placed = {i: ev.values.get(col) for i, col in enumerate(header.columns)}  # type: ignore[arg-type]
        if any(c is not None and is_label_text(c.text) for c in placed.values()):
            positional = False
    if not positional:
        cells = _values_list(ev)
        non_empty = [c for c in cells if clean_text(c.text)]
        if len(non_empty) == n:
            placed = dict(enumerate(non_empty))
        elif len(cells) >= n and all(not clean_text(c.text) for c in cells[n:]):
            placed = dict(enumerate(cells[:n]))
        elif n == 1 and len(non_empty) == 1:
            placed = {0: non_empty[0]}
        else:
            reason = (f"row '{ev.label.strip()}' has {len(non_empty)} values for {n} columns and no reliable "
                      "column positions")
            return [ActiveValue(it.item, row_code, m, None, note=reason, provenance=ev.provenance,
                                null_reason=NullReason.UNREADABLE) for m in it.metrics]
        how = None if isinstance(ev.values, dict) and header.columns and None not in header.columns \
            else "read in column order"
    out = []
    for pos, metric in metric_by_pos.items():
        cell = placed.get(pos)
        header_unit = _unit_in(header.texts[pos]) if pos < len(header.texts) else None
        if cell is None:
            out.append(ActiveValue(it.item, row_code, metric, None, note="cell missing from the row",
                                   provenance=ev.provenance, null_reason=NullReason.NOT_FOUND))
            continue
        parsed, ocr_note = parse_cell(cell)
        if parsed is None:
            out.append(ActiveValue(it.item, row_code, metric, None, raw=cell.text, note=unreadable_note(cell.text),
                                   provenance=cell.provenance, null_reason=NullReason.UNREADABLE))
            continue
        unit = parsed.unit or header_unit
        note = parsed.note
        value = parsed.value
        null_reason = parsed.null_reason
        if it.value_type == "int" and value is not None:
            ivalue, note, null_reason = as_int(parsed)
            value = None if ivalue is None else value
        if how and value is not None:
            note = "; ".join(n for n in (note, how) if n)
        note = "; ".join(n for n in (note, ocr_note) if n) or None
        out.append(ActiveValue(it.item, row_code, metric, value, unit=unit, raw=cell.text, note=note,
                               provenance=cell.provenance, null_reason=null_reason))
    return out


def _complete(seen: dict[tuple[str, str, str], ActiveValue], result: ActiveResult) -> list[ActiveValue]:
    """Every (item, row, metric) of the versions seen, in template order; unseen ones NULL with a reason."""
    if not seen:
        return []
    out = []
    for item in ITEMS:
        version = result.item_versions.get(item) or _majority(result.item_versions) or "v2021"
        it = SPEC.active_item(version, item)
        if it is None:
            continue
        for row in it.rows:
            for metric in it.metrics:
                value = seen.get((item, row, metric))
                if value is None:
                    value = ActiveValue(item, row, metric, None,
                                        note=f"'{SPEC.active_label(item, row, metric)}' not found in section 二",
                                        null_reason=NullReason.NOT_FOUND)
                out.append(value)
    return out
