"""Plain-text reader: reports copied out of web pages, where table rows survive as tab-separated lines.

Column positions in such copies are not trustworthy (merged cells collapse, rows shift left), so
every table is marked ragged; markdown-style pipe rows and space-aligned columns are read the same way.
"""

from __future__ import annotations

import re

from .decoding import decode_document
from .model import Block, Cell, Document, Provenance, Table, TextBlock

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_PIPE_RULE_FIELD = re.compile(r":?-{3,}:?")
# Columns padded with spaces: two or more blanks between fields.
_SPACE_SEPARATOR = re.compile(r"[ \u00a0\u3000]{2,}")
_NUMBER_FIELD = re.compile(r"[-+]?\d+(?:[.,]\d+)*%?")

# Line kinds.
_BLANK, _TEXT, _TAB, _INDENTED, _PIPE, _PIPE_RULE = "blank", "text", "tab", "indented", "pipe", "pipe-rule"
_SPACED = "spaced"
# A row copied from a PDF without layout: words, then numbers, single spaces between them.
_NUMBERED = "numbered"
_TABLE_KINDS = (_TAB, _PIPE, _SPACED, _NUMBERED)
_TRAILING_NUMBERS = re.compile(r"(?:^|\s)(?:[-+]?\d[\d,]*(?:\.\d+)?\s+){1,}[-+]?\d[\d,]*(?:\.\d+)?$")


def read_text(data: bytes, name: str) -> Document:
    """Read a plain-text report: non-blank lines become TextBlocks, runs of table rows ragged Tables.

    Table rows are lines with tabs, `| a | b |` pipe rows, or fields padded apart by two or more
    spaces (the latter only in runs of two or more lines that hold a number somewhere, since
    running text has double spaces too).
    """
    text, encoding = decode_document(data, name)

    lines = _LINE_BREAK.split(text)
    kinds = [_line_kind(line) for line in lines]
    blocks: list[Block] = []
    n_text = n_tables = 0
    i, n = 0, len(lines)
    while i < n:
        kind = kinds[i]
        if kind == _BLANK:
            i += 1
            continue
        if kind not in _TABLE_KINDS:
            blocks.append(TextBlock(n_text, lines[i].strip(), Provenance(name, f"line {i + 1}")))
            n_text += 1
            i += 1
            continue
        run, i = _table_run(kinds, i)
        rows = [(k, _fields(lines[k], kind)) for k in run]
        if _is_table(rows, kind):
            blocks.append(_ragged_table(rows, n_tables, name))
            n_tables += 1
            continue
        for line_index, _ in rows:
            blocks.append(TextBlock(n_text, lines[line_index].strip(), Provenance(name, f"line {line_index + 1}")))
            n_text += 1
    return Document(path=name, format="txt", blocks=tuple(blocks), metadata={"encoding": encoding})


def _line_kind(line: str) -> str:
    if not line or line.isspace():
        return _BLANK
    if "\t" in line:
        if not any(field.strip() for field in line.split("\t")):
            return _BLANK
        # Tabs only in front are paragraph indentation, unless the line sits inside a table.
        return _TAB if "\t" in line.lstrip() else _INDENTED
    stripped = line.strip()
    if len(stripped) >= 2 and stripped[0] == "|" and stripped[-1] == "|":
        fields = [f.strip() for f in stripped[1:-1].split("|")]
        if not any(fields):
            return _BLANK
        if all(_PIPE_RULE_FIELD.fullmatch(f) for f in fields if f):
            return _PIPE_RULE
        return _PIPE
    if _SPACE_SEPARATOR.search(stripped):
        return _SPACED
    if _TRAILING_NUMBERS.search(stripped):
        return _NUMBERED
    return _TEXT


def _is_table(rows: list[tuple[int, list[str]]], kind: str) -> bool:
    if kind == _SPACED:
        return len(rows) >= 2 and any(_NUMBER_FIELD.fullmatch(f) for _, fields in rows for f in fields)
    if kind == _NUMBERED:
        return True
    # One line with a stray tab is a line of text, not a table.
    return len(rows) > 1 or sum(1 for f in rows[0][1] if f) > 1


def _table_run(kinds: list[str], start: int) -> tuple[list[int], int]:
    """Line indexes of the table starting at `start`, and the index after it.

    A blank line does not end a tab or pipe table when the next non-blank line is another row of
    it; space-aligned rows are told apart from prose only by their company, so a blank ends them.
    """
    kind = kinds[start]
    follows = {_TAB: (_TAB, _INDENTED), _PIPE: (_PIPE, _PIPE_RULE), _SPACED: (_SPACED,), _NUMBERED: (_NUMBERED,)}[kind]
    run = [start]
    j, n = start + 1, len(kinds)
    while j < n:
        if kinds[j] in follows:
            if kinds[j] != _PIPE_RULE:
                run.append(j)
            j += 1
        elif kinds[j] == _BLANK and kind not in (_SPACED, _NUMBERED):
            k = j
            while k < n and kinds[k] == _BLANK:
                k += 1
            if k < n and kinds[k] == kind:
                j = k
            else:
                break
        else:
            break
    return run, j


def _fields(line: str, kind: str) -> list[str]:
    if kind == _PIPE:
        return [f.strip() for f in line.strip()[1:-1].split("|")]
    if kind == _SPACED:
        stripped = line.strip()
        fields = _SPACE_SEPARATOR.split(stripped)
        # Indentation stands for empty leading columns; how many cannot be told, so one marks them.
        return [""] + fields if _SPACE_SEPARATOR.match(line) else fields
    if kind == _NUMBERED:
        return line.split()
    return [f.strip() for f in line.split("\t")]


def _ragged_table(rows: list[tuple[int, list[str]]], index: int, name: str) -> Table:
    width = max(len(fields) for _, fields in rows)
    grid = []
    for r, (line_index, fields) in enumerate(rows):
        locator = f"line {line_index + 1}"
        fields = fields + [""] * (width - len(fields))
        grid.append(tuple(
            Cell(text, r, c, (r, c), provenance=Provenance(name, locator, table=index, row=r, col=c))
            for c, text in enumerate(fields)
        ))
    first, last = rows[0][0] + 1, rows[-1][0] + 1
    locator = f"line {first}" if first == last else f"lines {first}-{last}"
    return Table(index, tuple(grid), Provenance(name, locator, table=index), ragged=True)
