"""Ruled cells from a page's drawn edges: pdfplumber's TableFinder ("lines" strategy, default
settings) computed the same way on plain tuples, with the points, rows and columns indexed.

TableFinder copies a dict per edge at every step (snap, join, resize) and, for every intersection,
scans all the points after it; on a ruled report page that is most of the text layer's time. The
steps and their arithmetic are pdfplumber's, so the cells (boxes and order) are the same to the
last bit: edges snapped to the mean of their cluster (moved by `mean - x`, as pdfplumber moves
objects), joined along their line, filtered by length, intersected within a tolerance; a cell is
the smallest rectangle of four connected intersections; tables are cells sharing corners.
What the cells then become (a grid of spans) is grid.build_table's business, through the assembler.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import Any

# pdfplumber's TableSettings defaults (table.py): snap, join and intersection tolerances and the
# minimum edge lengths before and after merging.
SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
INTERSECTION_TOLERANCE = 3.0
EDGE_MIN_LENGTH = 3.0
EDGE_MIN_LENGTH_PREFILTER = 1.0

Box = tuple[float, float, float, float]  # x0, top, x1, bottom
# An edge: x0, top, x1, bottom and its length as pdfplumber tracks it (height of a vertical edge,
# width of a horizontal one; updated incrementally when a join extends it).
Edge = list[float]


def shape_edges(lines: Iterable[dict[str, Any]], rects: Iterable[dict[str, Any]],
                curves: Iterable[dict[str, Any]]) -> tuple[list[Edge], list[Edge]]:
    """(vertical, horizontal) edges of drawn lines, rects and curves, in pdfplumber's order
    (lines, then rects, then curves) and with its boxes (utils.line_to_edge, rect_to_edges,
    curve_to_edges), those shorter than the prefilter length left out."""
    v: list[Edge] = []
    h: list[Edge] = []
    low = EDGE_MIN_LENGTH_PREFILTER
    for ln in lines:
        x0, top, x1, bottom = ln["x0"], ln["top"], ln["x1"], ln["bottom"]
        if top == bottom:
            if ln["width"] >= low:
                h.append([x0, top, x1, bottom, ln["width"]])
        elif ln["height"] >= low:
            v.append([x0, top, x1, bottom, ln["height"]])
    for r in rects:
        x0, top, x1, bottom, width, height = r["x0"], r["top"], r["x1"], r["bottom"], r["width"], r["height"]
        if width >= low:
            h.append([x0, top, x1, top, width])
            h.append([x0, top + height, x1, bottom, width])
        if height >= low:
            v.append([x0, top, x0, bottom, height])
            v.append([x1, top, x1, bottom, height])
    for c in curves:
        pts = c["pts"]
        for (ax, ay), (bx, by) in pairwise(pts):
            if ax == bx:
                if abs(ay - by) >= low:
                    v.append([ax, min(ay, by), ax, max(ay, by), abs(ay - by)])
            elif ay == by and abs(ax - bx) >= low:
                h.append([min(ax, bx), ay, max(ax, bx), ay, abs(ax - bx)])
    return v, h


def find_cells(v_edges: list[Edge], h_edges: list[Edge]) -> list[list[Box]]:
    """The tables the edges draw, each as its cell boxes (pdfplumber's TableFinder(...).tables'
    cells, same boxes in the same order), top to bottom."""
    v = _merge(v_edges, 0, 1, 3)
    h = _merge(h_edges, 1, 0, 2)
    return _tables(_cells(_intersections(v, h)))


def _merge(edges: list[Edge], axis: int, low: int, high: int) -> list[Box]:
    """Snap edges on one axis (`axis`: 0 vertical edges by x0, 1 horizontal by top), join those
    along one line, keep those long enough (pdfplumber's merge_edges + filter_edges)."""
    if not edges:
        return []
    # snap: cluster the distinct positions (chained within the tolerance), move each edge by
    # (cluster mean - its position), the mean taken over the edges in their order
    values = sorted({e[axis] for e in edges})
    cluster_of: dict[float, int] = {}
    n = 0
    last = values[0]
    for x in values:
        if x > last + SNAP_TOLERANCE:
            n += 1
        cluster_of[x] = n
        last = x
    members: list[list[Edge]] = [[] for _ in range(n + 1)]
    for e in edges:
        members[cluster_of[e[axis]]].append(e)
    other = 2 if axis == 0 else 3  # the edge's far side moves along with it
    snapped: list[Edge] = []
    for group in members:
        mean = sum(e[axis] for e in group) / len(group)
        for e in group:
            diff = mean - e[axis]
            moved = list(e)
            moved[axis] = e[axis] + diff
            moved[other] = e[other] + diff
            snapped.append(moved)
    # join: edges on one line (same snapped position), by their start, each run extended
    snapped.sort(key=lambda e: e[axis])
    out: list[Box] = []
    i = 0
    while i < len(snapped):
        j = i
        position = snapped[i][axis]
        while j < len(snapped) and snapped[j][axis] == position:
            j += 1
        line = sorted(snapped[i:j], key=lambda e: e[low])
        joined = [line[0]]
        for e in line[1:]:
            last_edge = joined[-1]
            if e[low] <= last_edge[high] + JOIN_TOLERANCE:
                if e[high] > last_edge[high]:
                    grown = list(last_edge)
                    grown[4] = last_edge[4] + (e[high] - last_edge[high]) if axis == 0 else e[high] - last_edge[0]
                    grown[high] = e[high]
                    joined[-1] = grown
            else:
                joined.append(e)
        out.extend((e[0], e[1], e[2], e[3]) for e in joined if e[4] >= EDGE_MIN_LENGTH)
        i = j
    return out


class _Points:
    """Intersections: for each point, the vertical and horizontal edges through it (as boxes)."""

    def __init__(self) -> None:
        self.v: dict[tuple[float, float], set[Box]] = {}
        self.h: dict[tuple[float, float], set[Box]] = {}


def _intersections(v_edges: list[Box], h_edges: list[Box]) -> _Points:
    """Where a vertical edge meets a horizontal one within the tolerance: (v's x, h's top)."""
    points = _Points()
    tol = INTERSECTION_TOLERANCE
    hs = sorted(h_edges, key=lambda e: (e[1], e[0]))
    tops = [e[1] for e in hs]
    for ve in v_edges:
        x, vtop, vbottom = ve[0], ve[1], ve[3]
        # the horizontal edges whose top may lie within the tolerance of the vertical's extent
        # (a point wider, then pdfplumber's test itself, in its own arithmetic)
        for k in range(bisect_left(tops, vtop - tol - 1), bisect_right(tops, vbottom + tol + 1)):
            he = hs[k]
            if vtop <= he[1] + tol and vbottom >= he[1] - tol and x >= he[0] - tol and x <= he[2] + tol:
                vertex = (x, he[1])
                if vertex not in points.v:
                    points.v[vertex] = set()
                    points.h[vertex] = set()
                points.v[vertex].add(ve)
                points.h[vertex].add(he)
    return points


def _cells(points: _Points) -> list[Box]:
    """Every point's smallest cell: the nearest point below and then right of it joined to it by
    edges, whose bottom-right corner is a point joined to both (pdfplumber's
    intersections_to_cells, the points below and right looked up instead of searched)."""
    v, h = points.v, points.h
    ordered = sorted(v)
    column: dict[float, list[float]] = {}
    row: dict[float, list[float]] = {}
    for x, y in ordered:  # sorted by x then y: each column's ys and each row's xs come sorted
        column.setdefault(x, []).append(y)
        row.setdefault(y, []).append(x)
    cells: list[Box] = []
    for pt in ordered:
        x, y = pt
        ys, xs = column[x], row[y]
        below = ys[bisect_right(ys, y):]
        right = xs[bisect_right(xs, x):]
        pv, ph = v[pt], h[pt]
        cell = None
        for by in below:
            if pv.isdisjoint(v[(x, by)]):
                continue
            for rx in right:
                if ph.isdisjoint(h[(rx, y)]):
                    continue
                corner = (rx, by)
                if corner in v and not v[corner].isdisjoint(v[(rx, y)]) \
                        and not h[corner].isdisjoint(h[(x, by)]):
                    cell = (x, y, rx, by)
                    break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def _tables(cells: Sequence[Box]) -> list[list[Box]]:
    """Cells sharing a corner with a table's cells join it, pass after pass over the cells left,
    until a pass adds none (pdfplumber's cells_to_tables); tables of one cell are dropped."""
    remaining = list(cells)
    corners: set[tuple[float, float]] = set()
    current: list[Box] = []
    tables: list[list[Box]] = []
    while remaining:
        before = len(current)
        left = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            mine = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in mine):
                corners.update(mine)
                current.append(cell)
            else:
                left.append(cell)
        remaining = left
        if len(current) == before:
            tables.append(current)
            corners, current = set(), []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]
