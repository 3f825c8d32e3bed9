"""National scale: `nianbao ingest` on 200, 2,000 (and 10,000) generated documents next to the
raw-library floor, the re-run of the unchanged corpus, peak memory, warehouse bytes per document,
and the same on a 2-worker Dask LocalCluster.

    .venv/bin/python benchmarks/bench_scale.py [--sizes 200,2000] [--workers 2] [--cluster-sizes 200]

Corpus: tests/fixtures/make_bench.py generates up to 100 PDF (printed by LibreOffice from Word) and
100 HTML reports, v2019 and v2021 both, each with its expected values (~1 min, once per run); a
size of N documents is N copies of them taken in turn, half PDF, half HTML, each with a unique
trailer (a PDF comment after %%EOF, an HTML comment), so it is a distinct document (its own
sha256) with the cells of its template; copying keeps generating 10,000 documents cheap. Every
cell stored is compared with the template's expected.json.
Per size:
  floor     - bare pdfplumber `extract_tables()` on every page + lxml parse, one thread, measured
              on each distinct source file and multiplied by its number of copies (the copies
              are the same bytes but for the trailer);
  ingest    - `nianbao ingest DIR --db X --workers N` as a user runs it (a new process, the plain
              runner since PREFECT_API_URL is not set), wall time;
  re-run    - the same command again on the unchanged folder;
  peak RSS  - of the ingest process (the single writer) and of its largest worker;
  bytes/doc - the warehouse file after the run (CHECKPOINTed) over the number of documents.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import duckdb
import lxml.html
import pdfplumber
from distributed import Client, LocalCluster

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "fixtures"))
import make_bench  # the generator of the reading benchmark's corpus

TEMPLATES_PER_FORMAT = 100

# Runs `nianbao ingest` in a fresh process and reports its own and its workers' peak RSS. Not
# getrusage: Linux carries a process's ru_maxrss over exec(), so a process spawned (vfork+exec)
# from a big one reports the big one's peak. VmHWM in /proc is the peak of the process's own
# memory since exec: read at the end for the run, sampled for the workers while they live.
RUNNER = """
import json, os, resource, sys, threading, time
from nianbao.cli import app

def hwm(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next((int(l.split()[1]) for l in f if l.startswith("VmHWM:")), 0)
    except OSError:
        return 0

def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rpartition(")")[2].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out

worker_kb = 0
done = threading.Event()
def sample():
    global worker_kb
    while not done.wait(0.25):
        worker_kb = max([worker_kb] + [hwm(pid) for pid in descendants(os.getpid())])
threading.Thread(target=sample, daemon=True).start()
started = time.perf_counter()
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
seconds = time.perf_counter() - started
done.set()
cpu = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
          for f in ("ru_utime", "ru_stime"))
print(json.dumps({"seconds": seconds, "cpu_s": cpu, "parent_kb": hwm("self"), "worker_kb": worker_kb}),
      file=sys.stderr)
"""


def expected_sources(folder: Path, n_per_format: int) -> tuple[list[tuple[Path, dict]], list[tuple[Path, dict]]]:
    """Generate the templates in `folder` (make_bench) and return (PDFs, HTMLs) with their expected values."""
    os.environ.setdefault("SAL_USE_VCLPLUGIN", "svp")
    make_bench.generate(folder, n_per_format, n_per_format, seed=11)
    pdfs, htmls = [], []
    for exp in sorted(folder.glob("*.expected.json")):
        spec = json.loads(exp.read_text(encoding="utf-8"))
        if spec.get("expected_status", "ok") == "ok":
            (pdfs if spec["file"].endswith(".pdf") else htmls).append((folder / spec["file"], spec))
    return pdfs, htmls


def make_corpus(target: Path, n_docs: int, pdfs: list, htmls: list) -> dict[str, str]:
    """n_docs copies, half PDF, half HTML; returns {copy name: source name}."""
    target.mkdir(parents=True, exist_ok=True)
    origin = {}
    contents: dict[Path, bytes] = {}
    for i in range(n_docs):
        src, _ = (pdfs[(i // 2) % len(pdfs)] if i % 2 == 0 else htmls[(i // 2) % len(htmls)])
        data = contents.get(src) or contents.setdefault(src, src.read_bytes())
        trailer = f"\n%copy {i}\n" if src.suffix == ".pdf" else f"\n<!-- copy {i} -->\n"
        name = f"{i:05d}_{src.name}"
        (target / name).write_bytes(data + trailer.encode("ascii"))
        origin[name] = src.name
    return origin


def floor_seconds(sources: list[Path]) -> dict[str, tuple[float, float]]:
    """(wall, CPU) seconds of the bare libraries on each distinct source file (best of 2 each)."""
    out = {}
    for src in sources:
        wall = cpu = float("inf")
        for _ in range(2):
            start, start_cpu = time.perf_counter(), time.process_time()
            if src.suffix == ".pdf":
                with pdfplumber.open(src) as pdf:
                    for page in pdf.pages:
                        page.extract_tables()
            else:
                lxml.html.document_fromstring(src.read_bytes())
            wall, cpu = min(wall, time.perf_counter() - start), min(cpu, time.process_time() - start_cpu)
        out[src.name] = (wall, cpu)
    return out


def run_cli(args: list[str]) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env.update({"COLUMNS": "160", "NO_COLOR": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"})
    proc = subprocess.run([sys.executable, "-c", RUNNER, *args], capture_output=True, text=True, env=env,
                          check=False)
    stats = None
    for line in reversed(proc.stderr.splitlines()):
        if line.startswith("{") and '"parent_kb"' in line:
            stats = json.loads(line)
            break
    if stats is None or proc.returncode != 0:
        raise SystemExit(f"nianbao {' '.join(args)} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    stats["stdout"] = proc.stdout
    return stats


def peak_rss_mb(pids: list[int]) -> float:
    """The largest VmHWM (peak resident set) of these processes, from /proc (Linux)."""
    peak = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = max(peak, int(line.split()[1]))
    return peak / 1024


def warehouse_bytes(db: Path) -> tuple[int, dict[str, int]]:
    con = duckdb.connect(str(db))
    con.execute("CHECKPOINT")
    tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    blocks = {}
    for table in tables:  # storage blocks (256 KiB) holding the table's segments: an upper bound
        (n,) = con.execute(f"SELECT count(DISTINCT block_id) FROM pragma_storage_info('{table}')").fetchone()
        blocks[table] = n * 256
    con.close()
    return db.stat().st_size, blocks


def check_cells(db: Path, origin: dict[str, str], expected: dict[str, dict]) -> tuple[int, int]:
    """(cells compared, cells that differ from the source's expected.json), over every copy."""
    con = duckdb.connect(str(db), read_only=True)
    stored: dict[str, dict] = defaultdict(dict)
    for source, row, applicant, value in con.execute(
            'SELECT d.source, a."row", a.applicant, a.value FROM applications a '
            "JOIN reports r USING (report_id) JOIN documents d USING (document_id)").fetchall():
        stored[source][("applications", row, applicant)] = value
    for source, proc, outcome, value in con.execute(
            "SELECT d.source, a.proceeding, a.outcome, a.value FROM appeals a "
            "JOIN reports r USING (report_id) JOIN documents d USING (document_id)").fetchall():
        stored[source][("appeals", proc, outcome)] = value
    for source, item, row, metric, value in con.execute(
            'SELECT d.source, a.item, a."row", a.metric, a.value FROM active_disclosure a '
            "JOIN reports r USING (report_id) JOIN documents d USING (document_id)").fetchall():
        stored[source][("active", item, row, metric)] = value
    con.close()
    compared = wrong = 0
    for source, cells in stored.items():
        exp = expected[origin[Path(source).name]]
        want = {("applications", r, c): v for r, cols in exp["applications"].items() for c, v in cols.items()}
        want |= {("appeals", p, o): v for p, cols in exp["appeals"].items() for o, v in cols.items()}
        want |= {("active", e["item"], e["row"], e["metric"]): e["value"] for e in exp["active"]}
        for key, value in want.items():
            compared += 1
            got = cells.get(key)
            if (None if got is None else float(got)) != (None if value is None else float(value)):
                wrong += 1
    missing = set(origin) - {Path(s).name for s in stored}
    return compared, wrong + len(missing)


def bench_size(work: Path, n: int, workers: int, pdfs: list, htmls: list, floors: dict[str, float],
               expected: dict, cluster: Any) -> dict:
    corpus = work / f"corpus{n}"
    origin = make_corpus(corpus, n, pdfs, htmls)
    copies = Counter(origin.values())
    floor = sum(floors[name][0] * k for name, k in copies.items())
    floor_cpu = sum(floors[name][1] * k for name, k in copies.items())
    row: dict = {"docs": n, "floor_s": floor, "floor_cpu_s": floor_cpu}
    db = work / f"wh{n}.duckdb"
    first = run_cli(["ingest", str(corpus), "--db", str(db), "--workers", str(workers)])
    rerun = run_cli(["ingest", str(corpus), "--db", str(db), "--workers", str(workers)])
    size, tables = warehouse_bytes(db)
    compared, wrong = check_cells(db, origin, expected)
    row.update(ingest_s=first["seconds"], docs_per_s=n / first["seconds"], ratio=first["seconds"] / floor,
               ingest_cpu_s=first["cpu_s"], cpu_ratio=first["cpu_s"] / floor_cpu,
               rerun_s=rerun["seconds"], rerun_pct=100 * rerun["seconds"] / first["seconds"],
               parent_mb=first["parent_kb"] / 1024, worker_mb=first["worker_kb"] / 1024,
               bytes_per_doc=size / n, table_kib=tables, cells=compared, cells_wrong=wrong,
               skipped_line=next((ln for ln in rerun["stdout"].splitlines() if "本次读取" in ln), ""))
    if cluster:
        cdb = work / f"cluster{n}.duckdb"
        try:
            run = run_cli(["ingest", str(corpus), "--db", str(cdb), "--cluster", cluster.scheduler_address])
        except SystemExit as exc:  # recorded, and the other sizes still run
            print(exc, file=sys.stderr)
            row.update(cluster_error=str(exc)[-300:])
            shutil.rmtree(corpus)
            return row
        with Client(cluster) as client:  # the Dask workers are the cluster's processes, not the run's
            pids = list(client.run(os.getpid).values())
        row.update(cluster_s=run["seconds"], cluster_ratio=run["seconds"] / floor,
                   cluster_parent_mb=run["parent_kb"] / 1024, cluster_worker_mb=peak_rss_mb(pids),
                   cluster_same_rows=same_rows(db, cdb))
    shutil.rmtree(corpus)
    return row


def same_rows(a: Path, b: Path) -> bool:
    tables = ("applications", "active_disclosure", "appeals", "check_results", "structure_notes",
              "narrative_blocks", "agencies")
    ca, cb = duckdb.connect(str(a), read_only=True), duckdb.connect(str(b), read_only=True)
    try:
        for t in tables:
            if sorted(map(repr, ca.execute(f"SELECT * FROM {t}").fetchall())) != sorted(
                    map(repr, cb.execute(f"SELECT * FROM {t}").fetchall())):
                return False
        q = "SELECT document_id, format, size_bytes, status, error, pipeline_version FROM documents"
        return sorted(ca.execute(q).fetchall()) == sorted(cb.execute(q).fetchall())
    finally:
        ca.close()
        cb.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="200,2000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cluster-sizes", default="200", help="sizes also run on a 2-worker LocalCluster")
    parser.add_argument("--templates", type=int, default=TEMPLATES_PER_FORMAT,
                        help="distinct generated documents per format (the sizes are copies of them)")
    parser.add_argument("--json", type=Path, help="also write the figures here (after each size)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    cluster_sizes = {int(s) for s in args.cluster_sizes.split(",") if s}
    work = Path(tempfile.mkdtemp(prefix="nianbao-scale-"))
    started = time.perf_counter()
    pdfs, htmls = expected_sources(work / "templates", min(args.templates, max(1, max(sizes) // 2)))
    expected = {src.name: spec for src, spec in pdfs + htmls}
    print(f"templates: {len(pdfs)} PDF, {len(htmls)} HTML generated in {time.perf_counter() - started:.0f} s",
          flush=True)
    floors = floor_seconds([src for src, _ in pdfs + htmls])
    print(f"floor per document: PDF {sum(floors[s.name][0] for s, _ in pdfs) / len(pdfs) * 1000:.0f} ms, HTML "
          f"{sum(floors[s.name][0] for s, _ in htmls) / len(htmls) * 1000:.1f} ms", flush=True)
    cluster = None
    rows = []
    try:
        if cluster_sizes & set(sizes):
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        for n in sizes:
            row = bench_size(work, n, args.workers, pdfs, htmls, floors, expected,
                             cluster if n in cluster_sizes else None)
            rows.append(row)
            print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()},
                             ensure_ascii=False), flush=True)
            if args.json:
                args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    finally:
        if cluster is not None:
            cluster.close()
        shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'docs':>6} {'floor s':>8} {'ingest s':>9} {'docs/s':>7} {'x floor':>8} {'CPU x':>6} {'re-run s':>9} "
          f"{'re-run %':>9} {'RSS MB':>7} {'worker MB':>10} {'KB/doc':>7} {'cells':>8} {'wrong':>6} "
          f"{'cluster s':>10} {'x floor':>8}")
    for r in rows:
        print(f"{r['docs']:>6} {r['floor_s']:>8.1f} {r['ingest_s']:>9.1f} {r['docs_per_s']:>7.1f} {r['ratio']:>8.2f} "
              f"{r['cpu_ratio']:>6.2f} {r['rerun_s']:>9.2f} {r['rerun_pct']:>9.1f} {r['parent_mb']:>7.0f} {r['worker_mb']:>10.0f} "
              f"{r['bytes_per_doc'] / 1024:>7.1f} {r['cells']:>8} {r['cells_wrong']:>6} "
              + (f"{r['cluster_s']:>10.1f} {r['cluster_ratio']:>8.2f}" + ("" if r["cluster_same_rows"]
                                                                         else "  ROWS DIFFER")
                 if "cluster_s" in r else "  cluster run failed" if "cluster_error" in r else ""))
    print("CPU x: CPU seconds of the run (itself and its workers) over the floor's (one thread): the "
          "load-independent cost; on an idle machine the wall ratio is about CPU x / workers")
    if len(rows) >= 2:
        print(f"peak RSS {rows[-1]['docs']} vs {rows[0]['docs']} documents: "
              f"{rows[-1]['parent_mb'] / rows[0]['parent_mb']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
