"""OCR for page images: words read by RapidOCR (its Chinese models ship inside the wheel, so it
runs offline), ruled tables rebuilt from the lines drawn on the page (OpenCV), one Document.

Every OCR'd cell and text block carries the engine's confidence, so a value read badly can be
stored as NULL with a note instead of a guess (see model.OCR_MIN_CONFIDENCE).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from typing import Any

import cv2
import numpy as np
from rapidfuzz import fuzz

from nianbao.spec import SPEC

from .model import Block, Cell, Document, Provenance, Table, TextBlock

# Geometry, in pixels of a page normalised to about 200 dpi (an A4 page 1654 px wide).
NOMINAL_WIDTH = 1654
_MIN_WIDTH, _MAX_WIDTH = 1200, 2200
_MAX_UPSCALE = 2.0
# A horizontal rule is at least this long; shorter runs are text strokes (a CJK glyph is ~35 px).
_H_RULE_MIN = 40
# Vertical runs at least this tall are candidate rules; they must end on horizontal rules to count.
_V_RULE_MIN = 15
_RULE_MAX_THICKNESS = 12
# Rules closer than this are one line.
_TOL = 6
# A vertical rule's end meets a horizontal rule within this many pixels; gaps this small in a
# scanned rule are bridged.
_GAP = 2
# A table is at least this wide (25 mm); narrower "grids" are the strokes of a large glyph.
_TABLE_MIN_WIDTH = 200
# Share of a cell edge that must be drawn for the edge to separate two cells.
_EDGE_DRAWN = 0.6
# Ink pixels inside a cell (its border excluded) that mean something is written there.
_CELL_INK_MIN = 40
_CELL_INSET = 5
# A one-line cell read with less confidence than this is read again from a tight crop of its
# ink, with this much white round it (a share of the ink's height).
_RECHECK_BELOW = 0.95
_REREAD_MARGIN = 0.25
# Boxes on one line overlapping by more than this share of their height are one run of text.
_OVERLAP_SHARE = 0.3
_SAME_LINE_SHARE = 0.7
# The engine's detector works on images at least this large on their short side.
_DET_MIN_SIDE = 736
# Only the inked part of a page is read, with this much paper round it.
_PAGE_MARGIN = 32
# Pages taller than this are read by the engine in overlapping strips (long stitched images);
# nothing shorter is scaled down for the engine.
_STRIP = 2400
_STRIP_OVERLAP = 240
# Specks of dust are blots this small (a full stop in 10.5 pt type is about 4 x 4 px).
_SPECK_MAX_AREA, _SPECK_MAX_SIDE = 7, 3
# Skew is corrected between these angles (degrees); larger angles are not a tilted scan.
_SKEW_MIN, _SKEW_MAX = 0.15, 5.0
# Page numbers and running heads sit in the top and bottom share of the page. The layout words
# are the PDF reader's (spec_data/vocabulary.yaml); OCR reads the dashes of "— 3 —" as 一 too.
_MARGIN_SHARE = 0.1
_PW = SPEC.vocab("page_number_words")
_DASHES = r"[\s\-–—－‒_·•一]"
_PAGE_NUMBER = re.compile(
    rf"^{_DASHES}*(?:{_PW['ordinal']}\s*)?\d{{1,4}}(?:\s*{_PW['page']})?"
    rf"(?:\s*(?:[/／]|{_PW['of_total']})\s*\d{{1,4}}\s*{_PW['page']}?)?{_DASHES}*$")
_NUMERALS = "".join(SPEC.vocab("chinese_numerals"))
_CONTINUATION_MARK = re.compile(
    r"^\s*[（(]?\s*(?:" + "|".join(map(re.escape, SPEC.vocab("continuation_marks"))) + rf")\s*[\d{_NUMERALS}]*"
    r"\s*[）)]?\s*[:：]?\s*$")
_NUMBERED_START = re.compile(
    rf"^\s*(?:[{_NUMERALS}]+\s*[、.．]|[（(]\s*[{_NUMERALS}\d]+\s*[）)]|\d{{1,2}}\s*[、.．](?!\d)"
    rf"|{_PW['ordinal']}[{_NUMERALS}{SPEC.vocab('hundred')}\d]+(?:"
    + "|".join(map(re.escape, SPEC.vocab("numbering_units"))) + r")|[\u2460-\u2473])")
_VALUE = re.compile(r"^[+\-−]?[\d,，]*\d(?:[.．]\d+)?\s*[%％]?\s*[\u4e00-\u9fff]{0,2}$|^(?:"
                    + "|".join(map(re.escape, SPEC.vocab("null_markers"))) + r")+$")
_CJK = re.compile(
    "[\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_SPACE_BY_CJK = re.compile(
    "(?<=[\u2e80-\u2fff\u3000-\u303f\u3200-\u9fff\uf900-\ufaff\uff00-\uffef])\\s+"
    "|\\s+(?=[\u2e80-\u2fff\u3000-\u303f\u3200-\u9fff\uf900-\ufaff\uff00-\uffef])")
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[）)]")
_TITLE_SIZE_RATIO = 1.15
_TITLE_SEARCH_LINES = 5
# Header rows repeated on a continuation page match the table's first rows this well (0-100).
_HEADER_SIMILARITY = 85


class OcrUnavailable(Exception):
    """The OCR engine is not installed or its bundled models cannot be loaded."""


# -- the engine -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TextBox:
    """One run of text the engine found: its words, box (x0, top, x1, bottom) in pixels of
    the image it was given, and the engine's confidence (0-1)."""

    text: str
    bbox: tuple[float, float, float, float]
    confidence: float

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]

    @property
    def centre(self) -> tuple[float, float]:
        return (self.bbox[0] + self.bbox[2]) / 2, (self.bbox[1] + self.bbox[3]) / 2


_engine: Any = None
_engine_lock = threading.Lock()


def ocr_engine() -> Any:
    """The process's RapidOCR engine, loaded on first use from the models inside its wheel."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _load_engine()
        return _engine


def _load_engine() -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable(f"the OCR engine is not installed (pip install rapidocr_onnxruntime; {exc})") from exc
    try:
        # Every word is kept whatever its score (text_score 0): the reader, not the engine, decides
        # what is too uncertain. No angle classifier: turning a word upside down makes 6 a 9.
        return RapidOCR(text_score=0.0, use_cls=False, max_side_len=_STRIP, print_verbose=False)
    except (OSError, ValueError, RuntimeError) as exc:
        raise OcrUnavailable(f"the OCR engine's bundled models could not be loaded ({exc})") from exc


def engine_description() -> str:
    try:
        version = importlib_metadata.version("rapidocr_onnxruntime")
    except importlib_metadata.PackageNotFoundError:
        version = "?"
    return f"RapidOCR {version} (onnxruntime, PP-OCRv4 Chinese models bundled)"


def ocr_page(image: Any) -> list[TextBox]:
    """The text boxes on one page image (a PIL image or a numpy array), top to bottom. Tall
    images (a whole report stitched into one picture) are read in overlapping strips."""
    arr = _as_gray(image)
    height = arr.shape[0]
    if height <= _STRIP:
        return _sorted_boxes(_ocr(arr, 0))
    boxes: list[TextBox] = []
    top = 0
    while True:
        bottom = min(height, top + _STRIP)
        core_top = top + _STRIP_OVERLAP / 2 if top else 0
        core_bottom = bottom - _STRIP_OVERLAP / 2 if bottom < height else height
        boxes.extend(b for b in _ocr(arr[top:bottom], top) if core_top <= b.centre[1] < core_bottom)
        if bottom >= height:
            break
        top = bottom - _STRIP_OVERLAP
    return _sorted_boxes(boxes)


def recognize(image: Any) -> tuple[str, float]:
    """The text of an image holding a single line (no detection step) and its confidence."""
    arr = _as_gray(image)
    if arr.size == 0 or min(arr.shape[:2]) < 4:
        return "", 0.0
    result, _ = ocr_engine()(arr, use_det=False, use_cls=False)
    if not result:
        return "", 0.0
    return _tidy(result[0][0]), float(result[0][1])


def _ocr(arr: np.ndarray, dy: float) -> list[TextBox]:
    # The detector blows an image up until its short side is 736 px (a one-row strip 60 px high
    # twelvefold, which garbles it); white paper added below and to the right keeps the scale.
    h, w = arr.shape[:2]
    if min(h, w) < _DET_MIN_SIDE:
        padded = np.full((max(h, _DET_MIN_SIDE), max(w, _DET_MIN_SIDE)), 255, np.uint8)
        padded[:h, :w] = arr
        arr = padded
    result, _ = ocr_engine()(arr, use_cls=False)
    out = []
    for points, text, score in result or []:
        text = _tidy(text)
        if not text:
            continue
        xs = [float(p[0]) for p in points]
        ys = [float(p[1]) for p in points]
        out.append(TextBox(text, (min(xs), min(ys) + dy, max(xs), max(ys) + dy), float(score)))
    return out


def _tidy(text: str) -> str:
    """The engine's text without the spaces it puts beside Chinese characters ("申请 17 件"):
    Chinese has no word spaces, and the text layer of the same page has none."""
    return _SPACE_BY_CJK.sub("", text.strip())


def _sorted_boxes(boxes: list[TextBox]) -> list[TextBox]:
    return sorted(boxes, key=lambda b: (b.top, b.x0))


def _as_gray(image: Any) -> np.ndarray:
    if isinstance(image, np.ndarray):
        arr = image
    else:  # a PIL image
        if image.mode not in ("L", "RGB"):
            image = image.convert("RGBA") if "A" in image.getbands() or image.mode == "P" else image.convert("RGB")
            if image.mode == "RGBA":
                from PIL import Image

                white = Image.new("RGB", image.size, (255, 255, 255))
                white.paste(image, mask=image.getchannel("A"))
                image = white
        arr = np.asarray(image.convert("L"))
    if arr.ndim == 3:
        arr = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY if arr.shape[2] == 3 else cv2.COLOR_RGBA2GRAY)
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(arr)


# -- ruled tables from the lines drawn on the page ------------------------------------------


@dataclass(frozen=True)
class _Rule:
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def xmid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def ymid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class GridCell:
    """A drawn cell of a ruled table: its place on the table's grid and its box in pixels."""

    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class RuledTable:
    """A table found by its ruling lines: column and row line positions, the drawn cells (a cell
    spans grid positions where an inner line is missing) and which cell covers each position."""

    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[GridCell, ...]
    owner: tuple[tuple[int, ...], ...]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def position(self, x: float, y: float) -> tuple[int, int]:
        """Grid (row, column) of a point inside the table."""
        r = min(max(bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        c = min(max(bisect_right(self.xs, x) - 1, 0), self.n_cols - 1)
        return r, c

    def cell_at(self, x: float, y: float) -> int:
        r, c = self.position(x, y)
        return self.owner[r][c]


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0, thresholded against the local background (scans are unevenly lit)."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def deskew(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page turned straight; returns the image and the angle corrected, in degrees (0 when
    the page is straight or there is nothing to level by). Long ruling lines give the angle
    when the page has them, else the lines of text do."""
    binary = binarize(gray)
    angle = _rule_angle(binary)
    if angle is None:
        angle = _text_angle(binary)
    if angle is None or abs(angle) < _SKEW_MIN:
        return gray, 0.0
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    turned = cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
    return turned, angle


def _rule_angle(binary: np.ndarray) -> float | None:
    """The median tilt of the page's long horizontal lines. Horizontal-ish runs only (a rule
    tilted by 4° still has runs this long); the long connected ones are rules (text strokes stop
    at each glyph), each levelled by a fitted line."""
    width = binary.shape[1]
    runs = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    angles = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < width / 4 or h > w * np.tan(np.radians(_SKEW_MAX)) + _RULE_MAX_THICKNESS:
            continue
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        slope = np.polyfit(xs.astype(float), ys.astype(float), 1)[0]
        angles.append(float(np.degrees(np.arctan(slope))))
    return float(np.median(angles)) if angles else None


def _text_angle(binary: np.ndarray) -> float | None:
    """The turn (as _rule_angle measures it) at which the page's rows of ink line up best, the
    rows' ink profile being sharpest: coarse steps, then fine ones, on a half-size copy."""
    small = cv2.resize(binary, (binary.shape[1] // 2, binary.shape[0] // 2), interpolation=cv2.INTER_AREA)
    if int(np.count_nonzero(small)) < 500:
        return None
    h, w = small.shape

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(small, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        profile = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(profile))

    coarse = max(np.arange(-_SKEW_MAX, _SKEW_MAX + 0.01, 0.25), key=sharpness)
    fine = max(np.arange(coarse - 0.25, coarse + 0.26, 0.05), key=sharpness)
    return float(fine) if sharpness(fine) > 1.02 * sharpness(0.0) else None


def despeckle(gray: np.ndarray) -> np.ndarray:
    """The page without specks of dust: isolated blots of a few pixels, smaller than any full stop
    (the engine reads a speck beside a digit as a decimal point: "0." or ".0")."""
    binary = binarize(gray)
    _n, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    speck = ((stats[:, cv2.CC_STAT_AREA] <= _SPECK_MAX_AREA) & (stats[:, cv2.CC_STAT_WIDTH] <= _SPECK_MAX_SIDE)
             & (stats[:, cv2.CC_STAT_HEIGHT] <= _SPECK_MAX_SIDE))
    speck[0] = False
    if not speck.any():
        return gray
    out = gray.copy()
    out[speck[labels]] = 255
    return out


def find_ruled_tables(gray: np.ndarray) -> tuple[list[RuledTable], np.ndarray]:
    """The ruled tables on a (straightened) page, top to bottom, and a mask of their lines.

    Horizontal rules are long horizontal runs of ink; vertical rules are vertical runs that end
    on horizontal rules (a text stroke inside a cell touches no rule at both ends). Rules that
    cross belong to one table; a table needs two columns. Two grid positions are one cell where
    the line between them is not drawn."""
    binary = binarize(gray)
    h_open = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (_H_RULE_MIN, 1)))
    v_open = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _V_RULE_MIN)))
    # A scanned rule has gaps of a pixel or two; bridge them along the rule.
    h_open = cv2.morphologyEx(h_open, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (_GAP + 1, 1)))
    v_open = cv2.morphologyEx(v_open, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _GAP + 1)))
    h_rules = [r for r in _components(h_open) if r.bottom - r.top <= _RULE_MAX_THICKNESS]
    v_runs = [r for r in _components(v_open) if r.x1 - r.x0 <= _RULE_MAX_THICKNESS]
    v_rules = [v for v in v_runs if _ends_on_rules(v, h_rules)]
    groups = _crossing_groups(h_rules, v_rules)
    tables = []
    mask = np.zeros_like(binary)
    for hs, vs in groups:
        table = _grid(hs, vs)
        if table is None:
            continue
        tables.append(table)
        for r in (*hs, *vs):
            cv2.rectangle(mask, (int(r.x0) - 1, int(r.top) - 1), (int(r.x1) + 1, int(r.bottom) + 1), 255, -1)
    tables.sort(key=lambda t: t.ys[0])
    return tables, mask


def _components(mask: np.ndarray) -> list[_Rule]:
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [_Rule(float(x), float(y), float(x + w), float(y + h)) for x, y, w, h, _a in stats[1:n]]


def _touches(h: _Rule, x: float, y: float) -> bool:
    """A vertical rule's end at (x, y) meets the horizontal rule h: a rule runs into the line it
    stops at, while a glyph's stroke stops a few pixels short of its cell's border."""
    return h.x0 - _TOL <= x <= h.x1 + _TOL and h.top - _GAP <= y <= h.bottom + _GAP


def _ends_on_rules(v: _Rule, h_rules: list[_Rule]) -> bool:
    x = v.xmid
    return any(_touches(h, x, v.top) for h in h_rules) and any(_touches(h, x, v.bottom) for h in h_rules)


def _crossing_groups(h_rules: list[_Rule], v_rules: list[_Rule]) -> list[tuple[list[_Rule], list[_Rule]]]:
    """Horizontal and vertical rules grouped by crossing or touching each other."""
    parent = list(range(len(h_rules) + len(v_rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for j, v in enumerate(v_rules):
        for i, h in enumerate(h_rules):
            if h.x0 - _TOL <= v.xmid <= h.x1 + _TOL and v.top - _TOL <= h.ymid <= v.bottom + _TOL:
                parent[find(i)] = find(len(h_rules) + j)
    groups: dict[int, tuple[list[_Rule], list[_Rule]]] = {}
    for i, h in enumerate(h_rules):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(v_rules):
        groups.setdefault(find(len(h_rules) + j), ([], []))[1].append(v)
    return [g for g in groups.values() if g[0] and g[1]]


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Distinct positions: sorted values within `tolerance` of the previous one merged (mean)."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tolerance:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def _covered(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Share of [lo, hi] covered by the union of the intervals."""
    if hi <= lo:
        return 1.0
    total, reach = 0.0, lo
    for a, b in sorted(intervals):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            total += b - a
            reach = b
    return total / (hi - lo)


def _grid(hs: list[_Rule], vs: list[_Rule]) -> RuledTable | None:
    ys = _cluster([h.ymid for h in hs], _TOL)
    xs = _cluster([v.xmid for v in vs], _TOL)
    left, right = min(h.x0 for h in hs), max(h.x1 for h in hs)
    # A table drawn without its outer side lines still ends where its horizontal rules end.
    if xs[0] - left > 2 * _TOL:
        xs.insert(0, left)
    if right - xs[-1] > 2 * _TOL:
        xs.append(right)
    if len(xs) < 3 or len(ys) < 2:
        return None  # one column: a frame around text, not a table
    if xs[-1] - xs[0] < _TABLE_MIN_WIDTH:
        return None  # a glyph's strokes (工 in a large title), not a table
    n_rows, n_cols = len(ys) - 1, len(xs) - 1

    def v_drawn(x: float, top: float, bottom: float) -> bool:
        near = [(v.top, v.bottom) for v in vs if abs(v.xmid - x) <= _TOL]
        return _covered(near, top + _TOL, bottom - _TOL) >= _EDGE_DRAWN

    def h_drawn(y: float, x0: float, x1: float) -> bool:
        near = [(h.x0, h.x1) for h in hs if abs(h.ymid - y) <= _TOL]
        return _covered(near, x0 + _TOL, x1 - _TOL) >= _EDGE_DRAWN

    parent = list(range(n_rows * n_cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(n_rows):
        for c in range(n_cols):
            if c and not v_drawn(xs[c], ys[r], ys[r + 1]):
                union(r * n_cols + c - 1, r * n_cols + c)
            if r and not h_drawn(ys[r], xs[c], xs[c + 1]):
                union((r - 1) * n_cols + c, r * n_cols + c)
    # A merged region must be a rectangle: a partly missing line makes the whole box one cell.
    while True:
        regions: dict[int, list[int]] = {}
        for i in range(n_rows * n_cols):
            regions.setdefault(find(i), []).append(i)
        changed = False
        for members in regions.values():
            rows = [i // n_cols for i in members]
            cols = [i % n_cols for i in members]
            r0, r1, c0, c1 = min(rows), max(rows), min(cols), max(cols)
            if len(members) != (r1 - r0 + 1) * (c1 - c0 + 1):
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        if find(r * n_cols + c) != find(members[0]):
                            union(r * n_cols + c, members[0])
                            changed = True
        if not changed:
            break
    cells: list[GridCell] = []
    owner = [[-1] * n_cols for _ in range(n_rows)]
    for r in range(n_rows):
        for c in range(n_cols):
            if owner[r][c] != -1:
                continue
            root = find(r * n_cols + c)
            c1 = c
            while c1 + 1 < n_cols and find(r * n_cols + c1 + 1) == root:
                c1 += 1
            r1 = r
            while r1 + 1 < n_rows and find((r1 + 1) * n_cols + c) == root:
                r1 += 1
            index = len(cells)
            cells.append(GridCell(r, c, r1 - r + 1, c1 - c + 1, (xs[c], ys[r], xs[c1 + 1], ys[r1 + 1])))
            for rr in range(r, r1 + 1):
                for cc in range(c, c1 + 1):
                    owner[rr][cc] = index
    return RuledTable(tuple(xs), tuple(ys), tuple(cells), tuple(tuple(row) for row in owner))


# -- one page: its tables and the lines of text outside them ----------------------------------


@dataclass(frozen=True)
class OcrLine:
    """A line of running text on a page; `size` is its text height in pixels."""

    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    text: str
    size: float
    confidence: float


@dataclass(frozen=True)
class OcrCell:
    """A drawn cell and what was read in it."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    confidence: float


@dataclass(frozen=True)
class OcrTable:
    """A ruled table as found on one page."""

    page: int
    top: float
    bottom: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cells: tuple[OcrCell, ...]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


OcrItem = OcrLine | OcrTable


@dataclass(frozen=True)
class OcrPage:
    """What OCR found on one page image, top to bottom, in pixels of the page as read: the image
    given times `scale` (1.0 when it was already about 200 dpi wide), turned by `skew` degrees."""

    number: int
    width: int
    height: int
    items: tuple[OcrItem, ...]
    skew: float = 0.0
    scale: float = 1.0


def normalise_scale(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The page resized so its width is about that of an A4 page at 200 dpi (the geometry above
    is in those pixels); pages already near that width are left alone."""
    width = gray.shape[1]
    if _MIN_WIDTH <= width <= _MAX_WIDTH:
        return gray, 1.0
    scale = min(NOMINAL_WIDTH / width, _MAX_UPSCALE)
    if abs(scale - 1.0) < 0.05:
        return gray, 1.0
    size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(gray, size, interpolation=interpolation), scale


def read_page(image: Any, number: int) -> OcrPage:
    """One page image -> its ruled tables (cells filled with the words whose centre falls in
    them) and its lines of running text, top to bottom; page numbers in the margins dropped."""
    gray, scale = normalise_scale(_as_gray(image))
    gray, skew = deskew(gray)
    gray = despeckle(gray)
    tables, rules = find_ruled_tables(gray)
    # The words are read with the table lines in place: they keep the engine from running a row
    # of single digits together into one box (wiping them out makes "0 0 0" read as "ooo").
    ink = binarize(gray)
    boxes = _joined_overlaps(_ocr_inked_part(gray, ink), gray)
    boxes = [_without_empty_brackets(box, gray, ink) for box in boxes]
    ink[cv2.dilate(rules, np.ones((5, 5), np.uint8)) > 0] = 0
    placed: list[list[list[TextBox]]] = [[[] for _ in t.cells] for t in tables]
    outside: list[TextBox] = []
    for box in boxes:
        cx, cy = box.centre
        for t, cells in zip(tables, placed):
            if t.contains(cx, cy):
                for part, index in _split_across_cells(box, t, gray):
                    cells[index].append(part)
                break
        else:
            outside.append(box)
    items: list[OcrItem] = []
    for t, cells in zip(tables, placed):
        if not any(cells):
            continue  # an empty grid (a form to fill in, a box around a stamp): nothing to read
        items.append(_page_table(number, t, cells, ink, gray))
    height = gray.shape[0]
    for line in _lines(number, outside):
        in_margin = line.top > (1 - _MARGIN_SHARE) * height or line.bottom < _MARGIN_SHARE * height
        if not (in_margin and _PAGE_NUMBER.match(line.text)):
            items.append(line)
    items.sort(key=lambda item: item.top)
    return OcrPage(number, gray.shape[1], height, tuple(items), skew, scale)


def _ocr_inked_part(gray: np.ndarray, ink: np.ndarray) -> list[TextBox]:
    """ocr_page on the part of the page that has ink on it (margins cost the detector time)."""
    ys, xs = np.nonzero(ink)
    if len(ys) < _CELL_INK_MIN:
        return []  # a blank page
    h, w = gray.shape
    y0, y1 = max(0, int(ys.min()) - _PAGE_MARGIN), min(h, int(ys.max()) + 1 + _PAGE_MARGIN)
    x0, x1 = max(0, int(xs.min()) - _PAGE_MARGIN), min(w, int(xs.max()) + 1 + _PAGE_MARGIN)
    return [TextBox(b.text, (b.x0 + x0, b.top + y0, b.x1 + x0, b.bottom + y0), b.confidence)
            for b in ocr_page(gray[y0:y1, x0:x1])]


def _joined_overlaps(boxes: list[TextBox], gray: np.ndarray) -> list[TextBox]:
    """Boxes of one line that overlap are one run of text the detector cut in two, part of a
    character landing in both ("三、L" + "收到和…"): read again as one box."""
    out: list[TextBox] = []
    for line in _group_lines(boxes):
        current = line[0]
        for box in line[1:]:
            overlap = current.x1 - box.x0
            shorter = min(current.height, box.height)
            level = min(current.bottom, box.bottom) - max(current.top, box.top)
            # Side by side on the same text line (not a cell's two lines stacked), and overlapping.
            if level > _SAME_LINE_SHARE * shorter and overlap > _OVERLAP_SHARE * shorter:
                union = (min(current.x0, box.x0), min(current.top, box.top),
                         max(current.x1, box.x1), max(current.bottom, box.bottom))
                x0, top, x1, bottom = (round(v) for v in union)
                text, confidence = recognize(gray[top:bottom, x0:x1])
                if text:
                    current = TextBox(text, union, confidence)
                    continue
            out.append(current)
            current = box
        out.append(current)
    return _sorted_boxes(out)


def _framed(gray: np.ndarray, ink: np.ndarray, margin: float) -> np.ndarray | None:
    """The inked part of a region on white paper, with `margin` times its height round it."""
    ys, xs = np.nonzero(ink)
    if len(ys) == 0:
        return None
    iy0, iy1, ix0, ix1 = int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1
    height = iy1 - iy0
    pad = max(2, round(margin * height))
    framed = np.full((height + 2 * pad, ix1 - ix0 + 2 * pad), 255, np.uint8)
    framed[pad:pad + height, pad:pad + ix1 - ix0] = gray[iy0:iy1, ix0:ix1]
    return framed


def _without_empty_brackets(box: TextBox, gray: np.ndarray, ink: np.ndarray) -> TextBox:
    """A box read with an empty pair of brackets, "第二十条第（）项", lost the numeral between them
    (the engine drops a lone 八 at some scales): it is read again framed with more paper round it,
    and the first reading that keeps the numeral is taken."""
    if not _EMPTY_BRACKETS.search(box.text):
        return box
    x0, top, x1, bottom = (round(v) for v in box.bbox)
    for margin in (0.5, 1.0):
        framed = _framed(gray[top:bottom, x0:x1], ink[top:bottom, x0:x1], margin)
        if framed is None:
            break
        text, confidence = recognize(framed)
        if text and not _EMPTY_BRACKETS.search(text):
            return TextBox(text, box.bbox, min(confidence, box.confidence))
    return box


def _split_across_cells(box: TextBox, table: RuledTable, image: np.ndarray) -> list[tuple[TextBox, int]]:
    """The box with the cell it belongs to; a box the engine drew across a column line (two
    cells' words run together) is cut at the line and each part read again."""
    cx, cy = box.centre
    row, _ = table.position(cx, cy)
    parts: list[tuple[int, float, float]] = []
    for c in range(table.n_cols):
        lo, hi = max(box.x0, table.xs[c]), min(box.x1, table.xs[c + 1])
        index = table.owner[row][c]
        if hi - lo <= 0:
            continue
        if parts and parts[-1][0] == index:
            parts[-1] = (index, parts[-1][1], hi)
        else:
            parts.append((index, lo, hi))
    substantial = [p for p in parts if p[2] - p[1] >= 0.6 * max(box.height, 1.0)]
    if len(substantial) <= 1:
        return [(box, table.cell_at(cx, cy))]
    out = []
    top, bottom = int(box.top), int(np.ceil(box.bottom))
    for index, lo, hi in substantial:
        x0, x1 = int(lo) + 2, int(np.ceil(hi)) - 2
        text, confidence = recognize(image[top:bottom, x0:x1])
        if text:
            out.append((TextBox(text, (float(x0), box.top, float(x1), box.bottom), confidence), index))
    return out


def _page_table(number: int, table: RuledTable, placed: list[list[TextBox]], ink: np.ndarray,
                gray: np.ndarray) -> OcrTable:
    cells = []
    for cell, boxes in zip(table.cells, placed):
        x0, top, x1, bottom = (int(v) for v in cell.box)
        inside = ink[top + _CELL_INSET:bottom - _CELL_INSET, x0 + _CELL_INSET:x1 - _CELL_INSET]
        if boxes:
            lines = _group_lines(boxes)
            text = _join_texts([_line_text(line) for line in lines])
            confidence = min(b.confidence for b in boxes)
            if confidence < _RECHECK_BELOW and len(lines) == 1:
                text, confidence = _reread(text, confidence, boxes, inside,
                                           gray[top + _CELL_INSET:bottom - _CELL_INSET,
                                                x0 + _CELL_INSET:x1 - _CELL_INSET])
        else:
            # Nothing read: a truly empty cell is certain, ink the engine could not read is not.
            text, confidence = "", (0.0 if int(np.count_nonzero(inside)) >= _CELL_INK_MIN else 1.0)
        cells.append(OcrCell(cell.row, cell.col, cell.rowspan, cell.colspan, text, round(confidence, 4)))
    return OcrTable(number, table.ys[0], table.ys[-1], table.xs, table.ys, tuple(cells))


def _reread(text: str, confidence: float, boxes: list[TextBox], ink: np.ndarray,
            gray: np.ndarray) -> tuple[str, float]:
    """A one-line cell read again from a crop framed tightly round its ink. The engine is unsure
    of a lone digit in the loose box its detector draws (a "0" scores 0.65-0.8) and sure of it
    framed this way (0.98). The second read counts only when it says the same thing; when the two
    differ the cell keeps the lower confidence, so a damaged 16 read as 15 stays untrusted."""
    ys, _xs = np.nonzero(ink)
    if len(ys) < _CELL_INK_MIN:
        return text, confidence
    if int(ys.max()) + 1 - int(ys.min()) > 1.8 * max(b.height for b in boxes):
        return text, confidence  # more ink than the one line read: leave it to the first read
    crop = _framed(gray, ink, _REREAD_MARGIN)
    if crop is None:
        return text, confidence
    again, again_confidence = recognize(crop)
    if not again:
        return text, confidence
    if re.sub(r"\s+", "", again) == re.sub(r"\s+", "", text):
        return text, max(confidence, again_confidence)
    if again_confidence > confidence:
        return again, confidence
    return text, min(confidence, again_confidence)


def _group_lines(boxes: list[TextBox]) -> list[list[TextBox]]:
    """Boxes -> lines, top to bottom, each left to right: a box joins a line when its vertical
    middle falls inside the line's extent."""
    lines: list[list[Any]] = []  # [top, bottom, boxes]
    for box in sorted(boxes, key=lambda b: (b.top, b.x0)):
        mid = box.centre[1]
        for line in reversed(lines[-4:]):
            if line[0] <= mid <= line[1]:
                line[2].append(box)
                line[0], line[1] = min(line[0], box.top), max(line[1], box.bottom)
                break
        else:
            lines.append([box.top, box.bottom, [box]])
    lines.sort(key=lambda line: line[0])
    return [sorted(line[2], key=lambda b: b.x0) for line in lines]


def _line_text(boxes: list[TextBox]) -> str:
    return _join_texts([b.text for b in boxes])


def _join_texts(parts: Sequence[str]) -> str:
    """Pieces joined: nothing between CJK characters, one space between other words."""
    out = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and not _CJK.match(out[-1]) and not _CJK.match(part[0]):
            out += " "
        out += part
    return out


def _lines(number: int, boxes: list[TextBox]) -> list[OcrLine]:
    """Running-text boxes -> lines, a line cut where its boxes stand more than two text heights
    apart (a name and a date on one line, the fields of a table drawn without lines)."""
    out = []
    for line in _group_lines(boxes):
        fields: list[list[TextBox]] = []
        for box in line:
            if fields and box.x0 - fields[-1][-1].x1 <= 2 * max(box.height, fields[-1][-1].height):
                fields[-1].append(box)
            else:
                fields.append([box])
        for f in fields:
            heights = sorted(b.height for b in f)
            out.append(OcrLine(number, min(b.top for b in f), max(b.bottom for b in f), min(b.x0 for b in f),
                               max(b.x1 for b in f), _line_text(f), heights[len(heights) // 2],
                               round(min(b.confidence for b in f), 4)))
    return out


# -- pages -> one Document --------------------------------------------------------------------


def assemble_document(name: str, fmt: str, pages: Sequence[OcrPage], metadata: dict[str, str]) -> Document:
    """OCR'd pages -> a Document: running heads dropped, a table continued on the next page
    joined into one grid, wrapped lines joined into paragraphs, the title (large type at the top
    of the first page) taken as one block."""
    page_items = [list(p.items) for p in pages]
    _drop_running_heads(page_items, [p.height for p in pages])
    page_items = [_without_continuation_marks(items) for items in page_items]
    stream: list[OcrLine | list[OcrTable]] = []
    last_on_page = {p.number: (items[-1] if items else None) for p, items in zip(pages, page_items)}
    widths = {p.number: p.width for p in pages}
    for items in page_items:
        for i, item in enumerate(items):
            if isinstance(item, OcrLine):
                stream.append(item)
            elif (i == 0 and stream and isinstance(stream[-1], list)
                  and _continues(stream[-1][-1], item, last_on_page, widths)):
                stream[-1].append(item)
            else:
                stream.append([item])
    layout = _Layout.of([item for item in stream if isinstance(item, OcrLine)])
    title_lines = _title_lines(stream, layout)

    blocks: list[Block] = []
    n_text = n_tables = 0
    paragraph: list[OcrLine] = []

    def flush() -> None:
        nonlocal n_text
        if paragraph:
            page = paragraph[0].page
            text = _join_texts([line.text for line in paragraph])
            confidence = min(line.confidence for line in paragraph)
            blocks.append(TextBlock(n_text, text, Provenance(name, f"page {page} (OCR)", page=page), confidence))
            n_text += 1
            paragraph.clear()

    for item in stream:
        if isinstance(item, list):
            flush()
            blocks.append(_build_table(name, n_tables, item))
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
    title = _join_texts([line.text for line in title_lines]) if title_lines else None
    return Document(path=name, format=fmt, blocks=tuple(blocks), title=title, metadata=metadata)


def _furniture_key(line: OcrLine) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line.text))


def _drop_running_heads(page_items: list[list[OcrItem]], heights: list[int]) -> None:
    """Remove lines repeated in the top or bottom margin of most pages (a running header or
    footer, 第 N 页 with varying N)."""

    def in_margin(line: OcrLine, height: int) -> bool:
        return line.top > (1 - _MARGIN_SHARE) * height or line.bottom < _MARGIN_SHARE * height

    with_text = sum(1 for items in page_items if items)
    counts: Counter[str] = Counter()
    for items, height in zip(page_items, heights):
        counts.update({_furniture_key(i) for i in items if isinstance(i, OcrLine) and in_margin(i, height)})
    repeated = {key for key, n in counts.items() if n >= 2 and 2 * n >= with_text}
    if not repeated:
        return
    for k, (items, height) in enumerate(zip(page_items, heights)):
        page_items[k] = [i for i in items if not (isinstance(i, OcrLine) and in_margin(i, height)
                                                  and _furniture_key(i) in repeated)]


def _without_continuation_marks(items: list[OcrItem]) -> list[OcrItem]:
    if len(items) >= 2 and isinstance(items[0], OcrLine) and isinstance(items[1], OcrTable) \
            and _CONTINUATION_MARK.match(items[0].text):
        return items[1:]
    return items


def _continues(prev: OcrTable, nxt: OcrTable, last_on_page: dict[int, OcrItem | None],
               widths: dict[int, int]) -> bool:
    """`nxt`, first on its page, continues `prev`: prev ends the page before, both have the same
    outer edges and mostly the same column lines (a continuation may lack some of them)."""
    if prev.page != nxt.page - 1 or last_on_page.get(prev.page) is not prev:
        return False
    tolerance = _edge_tolerance(widths.get(prev.page, NOMINAL_WIDTH), widths.get(nxt.page, NOMINAL_WIDTH))
    if abs(prev.xs[0] - nxt.xs[0]) > tolerance or abs(prev.xs[-1] - nxt.xs[-1]) > tolerance:
        return False
    smaller, larger = sorted((prev.xs, nxt.xs), key=len)
    matched = sum(1 for x in smaller if any(abs(x - y) <= tolerance for y in larger))
    return matched >= 0.75 * len(smaller)


def _edge_tolerance(*widths: int) -> float:
    return 0.015 * max(widths)


@dataclass
class _Span:
    """A cell placed on the document-level grid of a table."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    confidence: float
    page: int


def _build_table(name: str, index: int, pieces: list[OcrTable]) -> Table:
    """The page pieces of one table -> a Table: header rows a continuation repeats dropped, a row
    split by the page break put back together, a merged cell running on over the break extended."""
    # The column lines of all pieces, unified (a continuation may lack a line the first piece has).
    xs = _cluster([x for p in pieces for x in p.xs], _edge_tolerance(NOMINAL_WIDTH))
    spans: list[_Span] = []
    n_rows = 0
    for piece in pieces:
        own = []
        for c in piece.cells:
            c0, c1 = _nearest(xs, piece.xs[c.col]), _nearest(xs, piece.xs[c.col + c.colspan])
            if c1 > c0:
                own.append(_Span(n_rows + c.row, c0, c.rowspan, c1 - c0, c.text, c.confidence, piece.page))
        piece_rows = piece.n_rows
        if spans:
            piece_rows -= _drop_repeated_header(spans, own, n_rows)
            piece_rows -= _join_at_break(spans, own, n_rows)
        spans.extend(own)
        n_rows += piece_rows
    n_cols = len(xs) - 1
    first_page, last_page = pieces[0].page, pieces[-1].page
    pages = f"page {first_page}" if first_page == last_page else f"pages {first_page}-{last_page}"
    locator = f"{pages} (OCR), table {index + 1}"
    grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
    for s in spans:
        prov = Provenance(name, f"page {s.page} (OCR), table {index + 1}", page=s.page, table=index,
                          row=s.row, col=s.col)
        for r in range(s.row, min(s.row + s.rowspan, n_rows)):
            for c in range(s.col, min(s.col + s.colspan, n_cols)):
                grid[r][c] = Cell(s.text, r, c, (s.row, s.col), s.rowspan, s.colspan, prov, s.confidence)
    rows = []
    for r, grid_row in enumerate(grid):
        rows.append(tuple(
            cell if cell is not None else
            Cell("", r, c, (r, c), provenance=Provenance(name, locator, page=first_page, table=index, row=r, col=c),
                 ocr_confidence=0.0)
            for c, cell in enumerate(grid_row)))
    return Table(index, tuple(rows), Provenance(name, locator, page=first_page, table=index))


def _nearest(bounds: list[float], v: float) -> int:
    return min(range(len(bounds)), key=lambda i: abs(bounds[i] - v))


def _text_key(text: str) -> str:
    return re.sub(r"[\s()（）:：,，.。、]", "", text)


def _same_text(a: str, b: str) -> bool:
    a, b = _text_key(a), _text_key(b)
    return a == b or (bool(a) and bool(b) and fuzz.ratio(a, b) >= _HEADER_SIMILARITY)


def _drop_repeated_header(before: list[_Span], after: list[_Span], boundary: int) -> int:
    """Remove the table's header rows a continuation repeats at its top; returns how many went.
    Rows count as repeated when they hold the same cells (texts alike, OCR may differ in a
    character) as the table's first rows, never cutting through a merged cell."""

    def row_cells(spans: list[_Span], base: int, row: int) -> list[_Span]:
        return sorted((s for s in spans if s.row - base == row), key=lambda s: s.col)

    n_after = max((s.row + s.rowspan - boundary for s in after), default=0)
    k = 0
    while k < n_after - 1:
        mine, theirs = row_cells(after, boundary, k), row_cells(before, 0, k)
        if not any(s.text for s in mine) or len(mine) != len(theirs):
            break
        if not all((a.col, a.colspan, a.rowspan) == (b.col, b.colspan, b.rowspan) and _same_text(a.text, b.text)
                   for a, b in zip(mine, theirs)):
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


def _is_value(text: str) -> bool:
    return bool(_VALUE.match(text.strip()))


def _join_at_break(before: list[_Span], after: list[_Span], boundary: int) -> int:
    """Join the first row below the break to the last row above it: the whole row when it is the
    rest of a row split by the break (returns 1), else only leading cells that carry on a merged
    cell from above (returns 0)."""
    last = boundary - 1
    upper = {c: s for s in before if s.row <= last < s.row + s.rowspan for c in range(s.col, s.col + s.colspan)}
    lower = {c: s for s in after if s.row == boundary for c in range(s.col, s.col + s.colspan)}
    if not upper or not lower:
        return 0
    pairs = []
    for col, b in sorted(lower.items()):
        if b.col != col:
            continue
        a = upper.get(col)
        if a is None or (a.col, a.colspan) != (b.col, b.colspan):
            pairs = None
            break
        pairs.append((a, b))
    if pairs and _is_split_row(pairs, before):
        for a, b in pairs:
            a.text = _join_texts([a.text, b.text])
            a.confidence = min(a.confidence, b.confidence) if b.text else a.confidence
            a.rowspan += b.rowspan - 1
            after.remove(b)
        for s in after:
            s.row -= 1
        return 1
    for col in sorted(lower):
        b = lower[col]
        if b.col != col:
            continue
        a = upper.get(col)
        if a is None or (a.col, a.colspan) != (b.col, b.colspan) or not _carries_on(a, b):
            break
        a.text = _join_texts([a.text, b.text])
        a.rowspan += b.rowspan
        after.remove(b)
    return 0


def _is_split_row(pairs: list[tuple[_Span, _Span]], before: list[_Span]) -> bool:
    """The row below the break is the rest of the row above it: it runs on a label (text, not a
    number, not opening with numbering), no column holds a value on both sides, and it is not
    the table's header repeated."""
    if not any(b.text for _, b in pairs):
        return False
    header = [s.text for s in sorted(before, key=lambda s: s.col) if s.row == 0 and s.text]
    if [b.text for _, b in pairs if b.text] == header:
        return False
    for _, b in pairs:
        if b.text and _NUMBERED_START.match(b.text):
            return False
    return all(not (a.text and b.text and (_is_value(a.text) or _is_value(b.text))) for a, b in pairs)


def _carries_on(a: _Span, b: _Span) -> bool:
    if not b.text:
        return bool(a.text) or a.rowspan > 1
    return a.rowspan > 1 and b.rowspan > 1 and not _is_value(b.text) and not _NUMBERED_START.match(b.text)


@dataclass(frozen=True)
class _Layout:
    """The body text's size and margins, to tell a wrapped line from a new paragraph."""

    body_size: float
    left: float
    right: float

    @classmethod
    def of(cls, lines: list[OcrLine]) -> _Layout:
        if not lines:
            return cls(30.0, 0.0, 0.0)
        long_lines = [ln for ln in lines if len(ln.text) >= 8] or lines
        sizes = sorted(ln.size for ln in long_lines)
        body = sizes[len(sizes) // 2]
        bin_size = max(body / 3, 1.0)
        left = Counter(round(ln.x0 / bin_size) for ln in long_lines).most_common(1)[0][0] * bin_size
        right = Counter(round(ln.x1 / bin_size) for ln in long_lines).most_common(1)[0][0] * bin_size
        return cls(body, left, right)

    def continues(self, prev: OcrLine, line: OcrLine) -> bool:
        """`line` wraps on from `prev`: prev runs to the right margin, line starts at the left
        margin in about the same size, is not numbered, and follows closely (or opens the next page)."""
        size = max(prev.size, line.size)
        if abs(prev.size - line.size) > 0.25 * size:
            return False
        if prev.x1 < self.right - 1.5 * size or line.x0 > self.left + 0.8 * size:
            return False
        if _NUMBERED_START.match(line.text):
            return False
        if line.page == prev.page:
            return 0 <= line.top - prev.bottom <= 1.2 * size
        return line.page == prev.page + 1


def _title_lines(stream: list[OcrLine | list[OcrTable]], layout: _Layout) -> list[OcrLine]:
    """The run of lines in large type among the first lines of the first page: the title."""
    first_page = min((item.page for item in stream if isinstance(item, OcrLine)), default=None)
    leading = [item for item in stream if isinstance(item, OcrLine) and item.page == first_page]
    large = [ln.size >= _TITLE_SIZE_RATIO * layout.body_size for ln in leading[:_TITLE_SEARCH_LINES]]
    if True not in large:
        return []
    start = end = large.index(True)
    while end < len(large) and large[end]:
        end += 1
    return leading[start:end]
