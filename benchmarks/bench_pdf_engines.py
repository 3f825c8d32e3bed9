"""Both PDF engines side by side on the same corpus, in one run: bare character listing, nianbao's
read_pdf, and the whole pipeline, next to the bare pdfplumber + lxml floor.

    .venv/bin/python tests/fixtures/make_bench.py --out /tmp/bench --pdf 100 --html 100
    .venv/bin/python benchmarks/bench_pdf_engines.py --corpus /tmp/bench [--workers 2]
    .venv/bin/python benchmarks/bench_pdf_engines.py [--pdfs 100] [--html 100] [--workers 2]

Corpus: with `--corpus`, the benchmark corpus make_bench.py generates (distinct reports, PDFs
printed by LibreOffice from Word, HTML pages; `--pdfs`/`--html` take the first so many of each).
Without it, every PDF in the repository with a text layer throughout (reader fixtures, Word
exports, hold-outs, the real WPS report), copied round-robin to `--pdfs` documents, plus the HTML
samples copied to `--html`; each copy gets a unique trailer so the warehouse sees distinct
documents (but the same agencies and years over and over). Before timing, both engines must read
every PDF of the corpus into the same Document (cells, rows, columns, pages, text blocks). Printed:
  floor        - pdfplumber `extract_tables()` on every page (PDF) and lxml parsing (HTML), one
                 thread: the least a PDF reader built on pdfplumber must do;
  chars        - the bare engine listing every character with its box: pdfplumber `page.chars`,
                 pypdfium2 `PdfTextPage.get_charbox` for every character;
  read_pdf     - nianbao's PDF reader (bytes -> Document) with each engine, one process;
  pipeline     - `ingest_paths` (read + normalize + check + load into DuckDB), `--workers`
                 processes, each engine, over the PDFs and the HTML together.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
import pdfplumber
import pypdfium2 as pdfium

from nianbao.extract.layout.textlayer import page_needs_ocr
from nianbao.extract.pdf import PDF_ENGINE_VARIABLE, read_pdf
from nianbao.jobs.ingest import ingest_paths

REPO = Path(__file__).resolve().parents[1]
PDF_SOURCES = [REPO / "tests" / "files"]
HTML_SOURCES = [REPO / "data" / "samples"]
# fixtures that must fail (encrypted, damaged, pathological) are not throughput
BAD = ("encrypted", "ruling_storm", "scanned", "cid_glyphs")


def text_layer_pdfs() -> list[Path]:
    """The repository's readable PDFs whose every page has a usable text layer (no OCR)."""
    found = []
    for folder in PDF_SOURCES:
        for path in sorted(folder.rglob("*.pdf")):
            if any(word in path.name for word in BAD):
                continue
            with pdfplumber.open(path) as pdf:
                if not any(page_needs_ocr(page) for page in pdf.pages):
                    found.append(path)
    return found


def copy_round_robin(sources: list[Path], target: Path, n: int, trailer: str, prefix: str) -> list[Path]:
    files = []
    for i in range(min(n, len(sources)) if not trailer else n):
        src = sources[i % len(sources)]
        dest = target / f"{prefix}{i:04d}_{src.name}"
        dest.write_bytes(src.read_bytes() + ((trailer % i).encode("ascii") if trailer else b""))
        files.append(dest)
    return files


def same_document(path: Path) -> bool:
    """Whether both engines read the PDF into the same Document (the engine's name left out)."""
    data = path.read_bytes()
    docs = [read_pdf(data, path.name, engine=engine) for engine in ("pdfplumber", "pdfium")]
    for doc in docs:
        doc.metadata.pop("pdf_engine", None)
    return docs[0] == docs[1]


def timed(fn, *args) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def floor_pdf(files: list[Path]) -> None:
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()


def floor_html(files: list[Path]) -> None:
    for path in files:
        lxml.html.document_fromstring(path.read_bytes())


def chars_pdfplumber(files: list[Path]) -> None:
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                _ = page.chars


def chars_pdfium(files: list[Path]) -> None:
    for path in files:
        pdf = pdfium.PdfDocument(path.read_bytes())
        for page in pdf:
            text = page.get_textpage()
            for i in range(text.count_chars()):
                text.get_charbox(i)
            text.close()
            page.close()
        pdf.close()


def read_all(files: list[Path], engine: str) -> None:
    for path in files:
        read_pdf(path.read_bytes(), path.name, engine=engine)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--html", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, help="a corpus written by tests/fixtures/make_bench.py")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-engines-"))
    saved = os.environ.get(PDF_ENGINE_VARIABLE)
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        if args.corpus:
            sources = sorted(args.corpus.glob("*.pdf"))[: args.pdfs]
            pdfs = copy_round_robin(sources, corpus, len(sources), "", "p")
            htmls = copy_round_robin(sorted(args.corpus.glob("*.html"))[: args.html], corpus, args.html, "", "h")
        else:
            sources = text_layer_pdfs()
            pdfs = copy_round_robin(sources, corpus, args.pdfs, "\n%%copy %d\n", "p")
            html_sources = sorted(p for folder in HTML_SOURCES for p in folder.glob("*.html")
                                  if not any(w in p.name for w in ("garbage", "empty")))
            htmls = copy_round_robin(html_sources, corpus, args.html, "\n<!-- copy %d -->\n", "h")
        differing = [p.name for p in sources if not same_document(p)]
        print(f"both engines read the same Document from {len(sources) - len(differing)} of {len(sources)} "
              f"distinct PDFs" + (f"; differ: {', '.join(differing)}" if differing else ""))
        pages = 0
        for path in pdfs:
            pdf = pdfium.PdfDocument(path.read_bytes())
            pages += len(pdf)
            pdf.close()
        print(f"corpus: {len(pdfs)} PDFs ({len(sources)} distinct, {pages} pages) + {len(htmls)} HTML")

        floor_p = timed(floor_pdf, pdfs)
        floor_h = timed(floor_html, htmls)
        floor = floor_p + floor_h
        print(f"\n{'':34} {'seconds':>8} {'pages/s':>8}")
        print(f"{'floor: pdfplumber extract_tables':34} {floor_p:8.2f} {pages / floor_p:8.1f}")
        print(f"{'floor: lxml.html (HTML)':34} {floor_h:8.2f}")
        for label, fn in (("chars: pdfplumber page.chars", chars_pdfplumber),
                          ("chars: pypdfium2 get_charbox", chars_pdfium)):
            seconds = timed(fn, pdfs)
            print(f"{label:34} {seconds:8.2f} {pages / seconds:8.1f}")
        for engine in ("pdfplumber", "pdfium"):
            seconds = timed(read_all, pdfs, engine)
            print(f"{'read_pdf, engine ' + engine:34} {seconds:8.2f} {pages / seconds:8.1f}")
        print(f"\nwhole pipeline (read+normalize+check+load, {args.workers} workers) on {len(pdfs) + len(htmls)} "
              f"documents; floor (one thread, bare pdfplumber + lxml) {floor:.2f} s")
        for engine in ("pdfplumber", "pdfium"):
            os.environ[PDF_ENGINE_VARIABLE] = engine
            start = time.perf_counter()
            summary = ingest_paths([corpus], work / f"{engine}.duckdb", workers=args.workers)
            seconds = time.perf_counter() - start
            print(f"  engine {engine:11} {seconds:8.2f} s   {seconds / floor:5.2f} x floor (target <= 0.40)   "
                  f"{summary.documents_by_status}")
    finally:
        if saved is None:
            os.environ.pop(PDF_ENGINE_VARIABLE, None)
        else:
            os.environ[PDF_ENGINE_VARIABLE] = saved
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
