"""What a page yields, whoever read it: positioned lines and ruled tables in page points, with an
OCR confidence when the engine read them; plus the text rules every reader of a page shares.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from nianbao.vocabulary import VOCAB

CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_PW = VOCAB.recognition.page_number_words
_NUMERALS = "".join(VOCAB.recognition.chinese_numerals)
# Page numbers printed in the top or bottom margin: "- 3 -", "— 3 —", "第 3 页", "3/12", "第3页 共12页"
# (OCR reads the dashes of "— 3 —" as 一 too).
_DASHES = r"[\s\-–—－‒_·•一]"
PAGE_NUMBER = re.compile(
    rf"^{_DASHES}*(?:{_PW.ordinal}\s*)?\d{{1,4}}(?:\s*{_PW.page})?"
    rf"(?:\s*(?:[/／]|{_PW.of_total})\s*\d{{1,4}}\s*{_PW.page}?)?{_DASHES}*$")
# The top and bottom share of a page where page numbers and running heads sit.
MARGIN_SHARE = 0.1
# The line a continued table may open with on its next page.
CONTINUATION_MARK = re.compile(
    r"^\s*[（(]?\s*(?:" + "|".join(map(re.escape, VOCAB.recognition.continuation_marks)) + rf")\s*[\d{_NUMERALS}]*"
    r"\s*[）)]?\s*[:：]?\s*$")
# A line opening with numbering starts a heading or a new paragraph, never continues one.
NUMBERED_START = re.compile(
    rf"^\s*(?:[{_NUMERALS}]+\s*[、.．]|[（(]\s*[{_NUMERALS}\d]+\s*[）)]|\d{{1,2}}\s*[、.．](?!\d)"
    rf"|{_PW.ordinal}[{_NUMERALS}{VOCAB.recognition.hundred}\d]+(?:"
    + "|".join(map(re.escape, VOCAB.recognition.numbering_units)) + r")|[\u2460-\u2473])")
# A value cell: a number (maybe with a unit), or a null marker standing for none.
_VALUE = re.compile(r"^[+\-−]?[\d,，]*\d(?:[.．]\d+)?\s*[%％]?\s*[\u4e00-\u9fff]{0,2}$|^(?:"
                    + "|".join(map(re.escape, VOCAB.recognition.null_markers)) + r")+$")


@dataclass(frozen=True)
class PageLine:
    """One line of running text on a page, in points from the page's top-left corner; `size` is
    its type size in points; `ocr_confidence` the engine's (0-1) when OCR read it, else None."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class PageCell:
    """One drawn cell of a ruled table (its box in points) and its text; `ocr_confidence` as for
    PageLine (the lowest among the cell's words; 1.0 for no ink, 0.0 for ink OCR could not read)."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str
    ocr_confidence: float | None = None


@dataclass(frozen=True)
class PageTable:
    """A ruled table as drawn on one page: its cells by their boxes."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    cells: tuple[PageCell, ...]

    @property
    def is_ocr(self) -> bool:
        return any(c.ocr_confidence is not None for c in self.cells)


PageItem = PageLine | PageTable


@dataclass(frozen=True)
class LaidPage:
    """One page's items top to bottom, with the page size in points (the margins are measured on
    it) and, for a page OCR'd from an image, the skew corrected (degrees)."""

    number: int
    width: float
    height: float
    items: tuple[PageItem, ...]
    skew: float = 0.0


def is_ocr(item: PageItem) -> bool:
    return item.is_ocr if isinstance(item, PageTable) else item.ocr_confidence is not None


def sort_items(items: Iterable[PageItem]) -> list[PageItem]:
    return sorted(items, key=lambda item: (round(item.top, 1), item.x0))


def in_margin(line: PageLine, page_height: float) -> bool:
    return line.top > (1 - MARGIN_SHARE) * page_height or line.bottom < MARGIN_SHARE * page_height


def is_page_number(line: PageLine, page_height: float) -> bool:
    return in_margin(line, page_height) and bool(PAGE_NUMBER.match(line.text))


def is_value(text: str) -> bool:
    return bool(_VALUE.match(text.strip()))


def join_texts(parts: Sequence[str]) -> str:
    """Wrapped lines or pieces joined: nothing between CJK characters, one space between other words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not CJK.match(out[-1]) and not CJK.match(part[0]):
            out += " "
        out += part
    return out


def cluster(values: Iterable[float], tolerance: float) -> list[float]:
    """Distinct positions: sorted values each within `tolerance` of the one before merged (mean)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tolerance:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(group) / len(group) for group in groups]


def nearest(bounds: Sequence[float], v: float) -> int:
    """Index of the bound closest to v in sorted `bounds` (as `cluster` gives them); of two bounds
    equally close, the first."""
    i = bisect_left(bounds, v)
    if i == 0:
        return 0
    if i == len(bounds) or abs(bounds[i - 1] - v) <= abs(bounds[i] - v):
        return i - 1
    return i


T = TypeVar("T")


def group_lines(things: Iterable[T], box: Callable[[T], tuple[float, float, float]]) -> list[list[T]]:
    """Glyphs or text boxes -> lines, top to bottom, each left to right; `box` gives a thing's
    (top, bottom, x0). A thing joins a line when its vertical middle falls inside the line's
    extent (so mixed type sizes share one line)."""
    lines: list[list] = []  # [top, bottom, [(x0, thing)]]
    ordered = sorted((b[0], b[2], k, b, t) for k, t in enumerate(things) for b in (box(t),))
    for _top, _x0, _k, (top, bottom, x0), thing in ordered:  # by top, then x0, then given order
        mid = (top + bottom) / 2
        for line in reversed(lines[-4:]):
            if line[0] <= mid <= line[1]:
                line[2].append((x0, thing))
                line[0], line[1] = min(line[0], top), max(line[1], bottom)
                break
        else:
            lines.append([top, bottom, [(x0, thing)]])
    lines.sort(key=lambda line: line[0])
    return [[thing for _x0, thing in sorted(line[2], key=_first)] for line in lines]


def _first(pair: tuple[float, object]) -> float:
    return pair[0]
