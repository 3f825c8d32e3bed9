"""Throughput of the whole pipeline (read, normalize, check, load into DuckDB) next to the raw
libraries' floor on the same files.

    .venv/bin/python benchmarks/bench_ingest.py [--docs 600] [--workers 2]

Makes N documents by copying the sample corpus's HTML and text reports (each copy made unique
so it is a distinct document), then times, over the same files:
  floor   - decode + lxml.html parse (HTML) / decode + split (text), one thread: the least any
            reader must do;
  extract - nianbao's readers only (bytes -> Document), one process;
  load    - the single writer alone: the documents' results (read beforehand) stored in DuckDB
            one per transaction (`Warehouse.load`) and in batches (`Warehouse.load_many`, as
            `nianbao ingest` does);
  pipeline-1 - read + normalize + check + load, in this process (workers=0);
  pipeline-N - the same with N worker processes (what `nianbao ingest` does).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

from nianbao.common.encoding import decode_bytes
from nianbao.extract import read_document
from nianbao.jobs.ingest import BATCH_SIZE, ingest_paths
from nianbao.pipeline import process_document
from nianbao.warehouse.store import write_session

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"


def make_corpus(target: Path, n_docs: int) -> list[Path]:
    sources = []
    for expected in sorted(SAMPLES.glob("*.expected.json")):
        spec = json.loads(expected.read_text(encoding="utf-8"))
        if spec.get("expected_status", "ok") != "ok":
            continue
        doc = SAMPLES / spec["file"]
        if doc.suffix in (".html", ".txt"):
            sources.append(doc)
    files = []
    for i in range(n_docs):
        src = sources[i % len(sources)]
        data = src.read_bytes()
        marker = f"\n<!-- copy {i} -->\n" if src.suffix == ".html" else f"\n#{i}\n"
        dest = target / f"{i:05d}_{src.name}"
        dest.write_bytes(data + marker.encode("ascii"))
        files.append(dest)
    return files


def floor(files: list[Path]) -> float:
    start = time.perf_counter()
    for f in files:
        data = f.read_bytes()
        if f.suffix == ".html":
            lxml.html.document_fromstring(data)
        else:
            decode_bytes(data)[0].splitlines()
    return time.perf_counter() - start


def extract_only(files: list[Path]) -> float:
    start = time.perf_counter()
    for f in files:
        read_document(f.read_bytes(), f.name)
    return time.perf_counter() - start


def load_only(files: list[Path], db: Path, batch_size: int) -> float:
    results = [process_document(f) for f in files]
    with write_session(db) as warehouse:
        run_id = warehouse.start_run(orchestrator="benchmark", paths=[], workers=0)
        start = time.perf_counter()
        if batch_size == 1:
            for result in results:
                warehouse.load(result, run_id)
        else:
            for i in range(0, len(results), batch_size):
                warehouse.load_many(results[i:i + batch_size], run_id)
        return time.perf_counter() - start


def pipeline(folder: Path, db: Path, workers: int) -> tuple[float, dict]:
    if db.exists():
        db.unlink()
    start = time.perf_counter()
    summary = ingest_paths([folder], db, workers=workers)
    return time.perf_counter() - start, summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nianbao-bench-"))
    try:
        corpus = work / "corpus"
        corpus.mkdir()
        files = make_corpus(corpus, args.docs)
        mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"{len(files)} documents, {mb:.1f} MB ({sum(f.suffix == '.html' for f in files)} HTML, "
              f"{sum(f.suffix == '.txt' for f in files)} text)")
        rows = [("floor: lxml parse / decode (1 thread)", floor(files)),
                ("nianbao readers only (1 process)", extract_only(files)),
                ("DuckDB load only, one document per transaction", load_only(files, work / "load1.duckdb", 1)),
                (f"DuckDB load only, batches of {BATCH_SIZE}", load_only(files, work / "loadn.duckdb", BATCH_SIZE))]
        t1, _ = pipeline(corpus, work / "one.duckdb", 0)
        rows.append(("nianbao pipeline + DuckDB load (in-process)", t1))
        tn, summary = pipeline(corpus, work / "many.duckdb", args.workers)
        rows.append((f"nianbao pipeline + DuckDB load ({args.workers} workers)", tn))
        print(f"{'stage':52} {'seconds':>8} {'docs/s':>9}")
        for name, seconds in rows:
            print(f"{name:52} {seconds:8.2f} {len(files) / seconds:9.1f}")
        statuses = getattr(summary, "documents_by_status", None) or getattr(summary, "by_status", None)
        print(f"statuses of the {args.workers}-worker run: {statuses}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
