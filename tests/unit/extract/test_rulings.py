"""The ruled-cell finder against pdfplumber's TableFinder, the reference it reproduces: on every
page of every PDF in the repository, under both engines, and on random rulings, the same cells
(boxes, to the bit, in the same order) grouped into the same tables."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfplumber.table import TableFinder
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

from nianbao.extract.layout.rulings import find_cells, shape_edges
from nianbao.extract.layout.textlayer import visible_shapes
from nianbao.extract.pdfium_page import PdfiumPdf

REPO = Path(__file__).resolve().parents[3]
FILES = REPO / "tests" / "files"
PDFS = sorted(p for p in FILES.rglob("*.pdf") if p.name != "encrypted.pdf")
# The time-limit fixture: thousands of rulings, TableFinder takes minutes on them.
SLOW = {"ruling_storm.pdf"}


class _Edges:
    """What TableFinder reads of a page: the edges (pdfplumber's own conversions) and the bbox."""

    def __init__(self, lines: list[dict[str, Any]], rects: list[dict[str, Any]], curves: list[dict[str, Any]],
                 bbox: tuple[float, float, float, float] = (0.0, 0.0, 1000.0, 1000.0)) -> None:
        self.bbox = bbox
        self.edges = [line_to_edge(ln) for ln in lines]
        self.edges += [e for r in rects for e in rect_to_edges(r)]
        self.edges += [e for c in curves for e in curve_to_edges(c)]


def reference(lines: list[dict[str, Any]], rects: list[dict[str, Any]], curves: list[dict[str, Any]]) -> list[list[Any]]:
    return [list(t.cells) for t in TableFinder(_Edges(lines, rects, curves)).tables]  # type: ignore[arg-type]


def ours(lines: list[dict[str, Any]], rects: list[dict[str, Any]], curves: list[dict[str, Any]]) -> list[list[Any]]:
    return find_cells(*shape_edges(lines, rects, curves))


@pytest.mark.parametrize("path", [p for p in PDFS if p.name not in SLOW], ids=lambda p: p.name)
def test_the_same_cells_as_pdfplumbers_table_finder_on_every_page(path: Path) -> None:
    with pdfplumber.open(path) as plumber:
        pages = list(plumber.pages)
        fast = PdfiumPdf(path.read_bytes())
        try:
            for a, b in zip(pages, fast.pages):
                for engine, page in (("pdfplumber", a), ("pdfium", b)):
                    shapes = visible_shapes(page)
                    assert ours(*shapes) == reference(*shapes), f"{path.name} page {a.page_number} {engine}"
                    # every drawn shape, the invisible ones too (more edges, more overlaps)
                    shapes = (page.lines, page.rects, page.curves)
                    assert ours(*shapes) == reference(*shapes), f"{path.name} page {a.page_number} {engine} all"
        finally:
            fast.close()


def test_the_fixtures_hold_ruled_tables() -> None:
    """The comparison above is not vacuous: the fixtures' rulings make tables of many cells."""
    with pdfplumber.open(FILES / "pdf" / "merged_cells.pdf") as pdf:
        tables = ours(*visible_shapes(pdf.pages[0]))
    assert len(tables) == 1
    assert len(tables[0]) > 20


def _line(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {"object_type": "line", "x0": x0, "top": top, "x1": x1, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "y0": 1000 - bottom, "y1": 1000 - top}


def _rect(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any]:
    return {**_line(x0, top, x1, bottom), "object_type": "rect"}


def _curve(pts: list[tuple[float, float]]) -> dict[str, Any]:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return {**_line(min(xs), min(ys), max(xs), max(ys)), "object_type": "curve", "pts": pts}


@pytest.mark.parametrize("seed", range(40))
def test_the_same_cells_on_random_rulings(seed: int) -> None:
    """Grids with jittered lines (within and beyond the snap and join tolerances), gaps, short
    stubs, rects, diagonal lines and curves: whatever pdfplumber makes of them, so does the finder."""
    rng = random.Random(seed)
    xs = sorted(rng.uniform(0, 600) for _ in range(rng.randint(2, 9)))
    ys = sorted(rng.uniform(0, 800) for _ in range(rng.randint(2, 12)))
    jitter = rng.choice([0.0, 0.4, 2.0, 3.5])
    lines, rects, curves = [], [], []
    for y in ys:
        cuts = sorted(rng.sample(xs, k=min(len(xs), rng.randint(2, len(xs)))))
        for a, b in pairwise(cuts):
            if rng.random() < 0.9:
                yy = round(y + rng.uniform(-jitter, jitter), rng.choice([1, 3, 6]))
                lines.append(_line(a + rng.uniform(-jitter, jitter), yy, b + rng.uniform(-jitter, jitter), yy))
    for x in xs:
        cuts = sorted(rng.sample(ys, k=min(len(ys), rng.randint(2, len(ys)))))
        for a, b in pairwise(cuts):
            if rng.random() < 0.9:
                xx = round(x + rng.uniform(-jitter, jitter), rng.choice([1, 3, 6]))
                lines.append(_line(xx, a + rng.uniform(-jitter, jitter), xx, b + rng.uniform(-jitter, jitter)))
    for _ in range(rng.randint(0, 6)):
        x0, y0 = rng.uniform(0, 600), rng.uniform(0, 800)
        rects.append(_rect(x0, y0, x0 + rng.choice([0.5, 1.0, 3.0, rng.uniform(0, 200)]),
                           y0 + rng.choice([0.5, 1.0, 3.0, rng.uniform(0, 200)])))
    for _ in range(rng.randint(0, 3)):
        x0, y0 = rng.uniform(0, 600), rng.uniform(0, 800)
        lines.append(_line(x0, y0, x0 + rng.uniform(1, 50), y0 + rng.uniform(1, 50)))  # diagonal
        w, hgt = rng.uniform(5, 100), rng.uniform(5, 100)
        curves.append(_curve([(x0, y0), (x0 + w, y0), (x0 + w, y0 + hgt), (x0 + w / 2, y0 + hgt + 3)]))
    rng.shuffle(lines)
    assert ours(lines, rects, curves) == reference(lines, rects, curves)
