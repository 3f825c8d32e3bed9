"""Per-format throughput of nianbao's readers next to the bare libraries on the same files, and
the whole pipeline (read, normalize, check, load into DuckDB) next to the single-threaded floor.

    .venv/bin/python benchmarks/bench_formats.py [--repeat 3] [--workers 2]

Corpus: every PDF, DOCX, HTML and text report bundled in the repository (samples, reader
fixtures, hold-outs) plus the real WPS-made PDF from shared/corpus/real, each copied `--repeat`
times with a unique trailer so the warehouse sees distinct documents.
Floor per format: pdfplumber `extract_tables()` on every page (PDF), python-docx opening the
file and walking every table cell (DOCX), lxml parsing (HTML), decoding (text).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import docx
import lxml.html
import pdfplumber

from nianbao.common.encoding import decode_bytes
from nianbao.extract import detect_format, read_document
from nianbao.jobs.ingest import ingest_paths

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "data" / "samples", REPO / "tests" / "extract" / "files", REPO / "tests" / "holdout",
           REPO / "tests" / "holdout2", REPO / "tests" / "holdout3", REPO.parent / "shared" / "corpus" / "real"]
FORMATS = ("pdf", "docx", "html", "txt")
OCR_FORMATS = ("pdf-ocr", "image")


def collect() -> dict[str, list[Path]]:
    by_format: dict[str, list[Path]] = defaultdict(list)
    for folder in SOURCES:
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.name.endswith(".json") or path.suffix in (".py", ".md", ".png"):
                continue
            data = path.read_bytes()
            if not data:
                continue
            fmt = detect_format(path.name, data)
            if fmt == "pdf" and _needs_ocr(path):
                fmt = "pdf-ocr"
            if (fmt in FORMATS or fmt in OCR_FORMATS) and not _is_bad(path):
                by_format[fmt].append(path)
    return by_format


def _is_bad(path: Path) -> bool:
    return any(word in path.name for word in ("garbage", "encrypted", "corrupt", "truncated", "storm", "scanned",
                                              "cid", "empty", "damaged", "owner_password"))


def _needs_ocr(path: Path) -> bool:
    from nianbao.extract.layout import page_needs_ocr

    try:
        with pdfplumber.open(path) as pdf:
            return any(page_needs_ocr(page) for page in pdf.pages)
    except Exception:  # noqa: BLE001 - damaged fixtures are left out by _is_bad
        return False


def pages_of(path: Path, fmt: str) -> int:
    if fmt in ("pdf", "pdf-ocr"):
        with pdfplumber.open(path) as pdf:
            return len(pdf.pages)
    return 1


def floor_seconds(path: Path, fmt: str) -> float:
    start = time.perf_counter()
    if fmt in ("pdf", "pdf-ocr"):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
    elif fmt == "image":
        path.read_bytes()
    elif fmt == "docx":
        document = docx.Document(str(path))
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    _ = cell.text
    elif fmt == "html":
        lxml.html.document_fromstring(path.read_bytes())
    else:
        decode_bytes(path.read_bytes())
    return time.perf_counter() - start


def read_seconds(path: Path) -> float:
    start = time.perf_counter()
    try:
        read_document(path.read_bytes(), path.name)
    except Exception:  # noqa: BLE001, S110 - a fixture that is meant to fail still costs its time
        pass
    return time.perf_counter() - start


def copy_corpus(files: list[Path], target: Path, repeat: int) -> None:
    for r in range(repeat):
        for i, path in enumerate(files):
            data = path.read_bytes()
            trailer = {"html": f"\n<!-- copy {r} -->\n".encode(), "txt": f"\n#{r}\n".encode()}.get(
                path.suffix.lstrip(".").replace("htm", "html"), f"\n%copy {r}\n".encode() if path.suffix == ".pdf" else b"")
            name = f"{r:02d}_{i:03d}_{path.name}"
            if path.suffix == ".docx" and r:
                continue  # a DOCX zip cannot take a trailer; one copy each
            (target / name).write_bytes(data + trailer)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    by_format = collect()
    print(f"{'format':7} {'docs':>5} {'pages':>6} {'bare lib s':>10} {'pages/s':>8} {'nianbao s':>10} {'pages/s':>8}")
    floor_total = 0.0
    for fmt in FORMATS:
        files = by_format.get(fmt, [])
        if not files:
            continue
        pages = sum(pages_of(f, fmt) for f in files)
        floor = sum(floor_seconds(f, fmt) for f in files)
        ours = sum(read_seconds(f) for f in files)
        floor_total += floor
        print(f"{fmt:7} {len(files):5d} {pages:6d} {floor:10.2f} {pages / floor:8.1f} {ours:10.2f} {pages / ours:8.1f}")
    for fmt in OCR_FORMATS:
        files = by_format.get(fmt, [])
        if files:
            pages = sum(pages_of(f, fmt) for f in files)
            ours = sum(read_seconds(f) for f in files)
            print(f"{fmt:7} {len(files):5d} {pages:6d} {'(no text layer)':>19} {ours:10.2f} {pages / ours:8.2f}  OCR")
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        # OCR has no bare-library floor to compare with: the whole-pipeline comparison is over the
        # formats with a text layer; OCR throughput is printed above.
        all_files = [f for fmt in FORMATS for f in by_format.get(fmt, [])]
        copy_corpus(all_files, corpus, args.repeat)
        copies = sorted(corpus.iterdir())
        floor_copies = sum(floor_seconds(f, detect_format(f.name, f.read_bytes())) for f in copies)
        start = time.perf_counter()
        summary = ingest_paths([corpus], work / "bench.duckdb", workers=args.workers)
        pipeline = time.perf_counter() - start
        print(f"\nwhole pipeline on {len(copies)} documents ({args.workers} workers, read+normalize+check+load): "
              f"{pipeline:.2f} s")
        print(f"single-threaded bare libraries on the same files:                      {floor_copies:.2f} s")
        print(f"ratio pipeline / floor: {pipeline / floor_copies:.2f} (target <= 1.00)")
        print(f"documents by status: {getattr(summary, 'documents_by_status', None) or summary}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
