"""OCR for page images: words read by RapidOCR (its Chinese models ship inside the wheel, so it
runs offline), ruled tables rebuilt from the lines drawn on the page (OpenCV), the page's items
in points for the layout engine (extract/layout) to assemble like a text layer's.

Every OCR'd cell and text block carries the engine's confidence, so a value read badly can be
stored as NULL with a note instead of a guess (see model.OCR_MIN_CONFIDENCE).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from dataclasses import dataclass
from importlib import metadata as importlib_metadata
from typing import Any

import cv2
import numpy as np

from .layout.items import (
    LaidPage,
    PageCell,
    PageItem,
    PageLine,
    PageTable,
    group_lines,
    is_page_number,
    join_texts,
    sort_items,
)
from .layout.items import cluster as _cluster

# Geometry, in pixels of a page normalised to about 200 dpi (an A4 page 1654 px wide).
NOMINAL_WIDTH = 1654
NOMINAL_DPI = 200
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
_SPACE_BY_CJK = re.compile(
    "(?<=[\u2e80-\u2fff\u3000-\u303f\u3200-\u9fff\uf900-\ufaff\uff00-\uffef])\\s+"
    "|\\s+(?=[\u2e80-\u2fff\u3000-\u303f\u3200-\u9fff\uf900-\ufaff\uff00-\uffef])")
_EMPTY_BRACKETS = re.compile(r"[（(]\s*[）)]")
# A text box is taller than the type in it; PageLine.size is the type size.
_BOX_TO_TYPE_SIZE = 1.25


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
class _ToPoints:
    """Pixels of the page as read -> page points: the image was rendered (or is taken to be) at
    `dpi` and resized by `scale`; `origin` is the page corner the image starts at."""

    k: float
    left: float
    top: float

    @classmethod
    def of(cls, dpi: float, scale: float, origin: tuple[float, float]) -> _ToPoints:
        return cls(72.0 / dpi / scale, origin[0], origin[1])

    def x(self, v: float) -> float:
        return self.left + v * self.k

    def y(self, v: float) -> float:
        return self.top + v * self.k


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


def read_page(image: Any, number: int, *, dpi: float = NOMINAL_DPI,
              origin: tuple[float, float] = (0.0, 0.0)) -> LaidPage:
    """One page image -> its ruled tables (cells filled with the words whose centre falls in
    them) and its lines of running text, top to bottom, in page points (the image taken at
    `dpi`, its top-left corner at `origin`); page numbers in the margins dropped. Every line and
    cell carries the engine's confidence; the page records the skew it was turned by."""
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
    to_points = _ToPoints.of(dpi, scale, origin)
    items: list[PageItem] = []
    for t, cells in zip(tables, placed):
        if not any(cells):
            continue  # an empty grid (a form to fill in, a box around a stamp): nothing to read
        items.append(_page_table(number, t, cells, ink, gray, to_points))
    height = to_points.y(gray.shape[0]) - to_points.top
    items.extend(line for line in _lines(number, outside, to_points) if not is_page_number(line, height))
    return LaidPage(number, gray.shape[1] * to_points.k, height, tuple(sort_items(items)), skew)


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
                gray: np.ndarray, to_points: _ToPoints) -> PageTable:
    cells = []
    for cell, boxes in zip(table.cells, placed):
        x0, top, x1, bottom = (int(v) for v in cell.box)
        inside = ink[top + _CELL_INSET:bottom - _CELL_INSET, x0 + _CELL_INSET:x1 - _CELL_INSET]
        if boxes:
            lines = _group_lines(boxes)
            text = join_texts([_line_text(line) for line in lines])
            confidence = min(b.confidence for b in boxes)
            if confidence < _RECHECK_BELOW and len(lines) == 1:
                text, confidence = _reread(text, confidence, boxes, inside,
                                           gray[top + _CELL_INSET:bottom - _CELL_INSET,
                                                x0 + _CELL_INSET:x1 - _CELL_INSET])
        else:
            # Nothing read: a truly empty cell is certain, ink the engine could not read is not.
            text, confidence = "", (0.0 if int(np.count_nonzero(inside)) >= _CELL_INK_MIN else 1.0)
        bx0, btop, bx1, bbottom = cell.box
        cells.append(PageCell(to_points.x(bx0), to_points.y(btop), to_points.x(bx1), to_points.y(bbottom), text,
                              round(confidence, 4)))
    return PageTable(number, to_points.y(table.ys[0]), to_points.y(table.ys[-1]), to_points.x(table.xs[0]),
                     to_points.x(table.xs[-1]), tuple(cells))


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
    return group_lines(boxes, lambda b: (b.top, b.bottom, b.x0))


def _line_text(boxes: list[TextBox]) -> str:
    return join_texts([b.text for b in boxes])


def _lines(number: int, boxes: list[TextBox], to_points: _ToPoints) -> list[PageLine]:
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
            out.append(PageLine(number, to_points.y(min(b.top for b in f)), to_points.y(max(b.bottom for b in f)),
                                to_points.x(min(b.x0 for b in f)), to_points.x(max(b.x1 for b in f)),
                                _line_text(f), heights[len(heights) // 2] * to_points.k / _BOX_TO_TYPE_SIZE,
                                round(min(b.confidence for b in f), 4)))
    return out
