"""Ingest files into the warehouse: find documents, read them in worker processes, load the
results in this process (the single writer) in small batches as they arrive, and summarise the run.

`ingest_paths` is the plain-Python entry point (tests, benchmarks, `nianbao ingest --no-prefect`);
the Prefect flow in flows/ingest.py runs the same `run_ingest` with a Prefect process pool.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import os
import queue
import shutil
import socket
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from nianbao.jobs.chunks import WINDOW_PER_WORKER, run_windowed
from nianbao.jobs.incremental import UNCHANGED, ReadPlan, Unchanged, pipeline_version, plan_reads
from nianbao.jobs.recheck import store_results
from nianbao.warehouse.queries import RunSummary, run_summary
from nianbao.warehouse.store import Warehouse, read_session, write_session

if TYPE_CHECKING:
    from nianbao.normalize.model import DocumentResult

log = logging.getLogger("nianbao.jobs.ingest")

# The pure function that reads one file; "module:function" so worker processes can import it.
DEFAULT_PROCESSOR = "nianbao.pipeline:process_document"
# Files in a folder that are never documents: sidecars, the warehouse itself, its lock.
SKIP_SUFFIXES = (".json", ".lock")
SKIP_NAME_PARTS = (".duckdb",)

ProgressFn = Callable[[int, int, "DocumentResult | None"], None]
"""progress(done, total, result): called once with (0, total, None), then for every document
once it is stored."""

# Results are stored in batches, one transaction each (more than 10x cheaper per document than
# one transaction per document), so the single writer keeps up with the workers. A batch is stored
# when it holds BATCH_SIZE documents or its first one has waited BATCH_SECONDS, so the warehouse
# and the progress bar stay live when documents are slow to read.
BATCH_SIZE = 64
BATCH_SECONDS = 0.25
# How long a pool waits for a document to finish before telling the caller it is idle.
IDLE_SECONDS = 0.1


class IngestError(Exception):
    """The run itself cannot go on (bad path, worker processes cannot start)."""


# ------------------------------------------------------------------------------ discovery

def _is_skipped(path: Path) -> bool:
    name = path.name
    return (name.startswith(".") or name.lower().endswith(SKIP_SUFFIXES)
            or any(part in name.lower() for part in SKIP_NAME_PARTS))


def discover_documents(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest, in a stable order: each file given, and every file under each folder
    given (recursively), leaving out dotfiles and hidden folders, *.json sidecars (the
    .expected.json of the sample corpus), *.duckdb* and *.lock. A README in a folder is kept:
    it is a document that is not a report."""
    found: list[Path] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for given in paths:
        root = Path(given)
        if not root.exists():
            raise IngestError(f"{root}: no such file or folder")
        if root.is_file():
            if not _is_skipped(root):
                add(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                p = Path(dirpath) / name
                if not _is_skipped(p) and p.is_file():
                    add(p)
    return found


# ------------------------------------------------------------------------------ jobs

@dataclass(frozen=True)
class DocumentJob:
    """One file to read, as sent to a worker process."""

    index: int
    path: str
    processor: str = DEFAULT_PROCESSOR
    marker_dir: str | None = None  # where the worker notes "started" (to find who crashed a pool)

    @property
    def name(self) -> str:
        return Path(self.path).name

    def marker(self) -> Path | None:
        return Path(self.marker_dir) / str(self.index) if self.marker_dir else None


def resolve_processor(ref: str) -> Callable[..., DocumentResult]:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def run_job(job: DocumentJob) -> DocumentResult:
    """Runs in a worker process: read one document (pure code from nianbao.pipeline)."""
    marker = job.marker()
    if marker is not None:
        marker.touch()
    result = resolve_processor(job.processor)(job.path)
    if marker is not None:
        marker.unlink(missing_ok=True)
    if result.status == "failed" and not Path(job.path).exists():
        # A worker of a cluster that does not see the corpus: say so, and do not mark it as read.
        return replace(result, error=f"{job.path}: not visible from the worker on {socket.gethostname()}; "
                       "every worker must see the documents at the same path (docs/scale.md)")
    return replace(result, pipeline_version=pipeline_version(job.processor))


def run_jobs(jobs: Iterable[DocumentJob]) -> list[DocumentResult]:
    """Runs in a worker: read several documents (a chunk), one result each whatever happens."""
    results = []
    for job in jobs:
        try:
            results.append(run_job(job))
        except Exception as exc:  # noqa: BLE001 -- process_document never raises; a bug must not stop the chunk
            results.append(internal_error(job, exc))
    return results


def failed_result(path: str | Path, error: str) -> DocumentResult:
    """A `failed` DocumentResult made in the main process, without parsing the file."""
    from nianbao.normalize.model import DocumentResult

    path = Path(path)
    try:
        data = path.read_bytes()
        document_id, size = hashlib.sha256(data).hexdigest(), len(data)
    except OSError:
        document_id, size = hashlib.sha256(str(path).encode()).hexdigest(), 0
    return DocumentResult(
        document_id=document_id, source=str(path), format=path.suffix.lower().lstrip(".") or "unknown",
        size_bytes=size, fetched_at=datetime.now(UTC).replace(tzinfo=None),
        status="failed", error=error,
    )


# ------------------------------------------------------------------------------ pools

class DocumentPool(Protocol):
    """Runs jobs somewhere and yields (job, result or the exception that ended it) as each
    finishes, and None whenever IDLE_SECONDS pass with none finishing (so the caller can store
    what it holds). A BrokenExecutor outcome means the pool died (a worker process crashed)."""

    def run(self, jobs: Sequence[DocumentJob], workers: int,
            ) -> Iterator[tuple[DocumentJob, object] | None]: ...


FutureT = TypeVar("FutureT")


def as_completed_or_idle(futures: Iterable[FutureT], idle_seconds: float = IDLE_SECONDS,
                         ) -> Iterator[FutureT | None]:
    """Each future as it finishes, and None whenever `idle_seconds` pass without one finishing.
    Works for any future with add_done_callback(fn) calling fn(future): concurrent.futures and
    Prefect's."""
    finished: queue.SimpleQueue[Any] = queue.SimpleQueue()
    futures = list(futures)
    for future in futures:
        future.add_done_callback(finished.put)  # type: ignore[attr-defined]
    for _ in futures:
        while True:
            try:
                yield finished.get(timeout=idle_seconds)
                break
            except queue.Empty:
                yield None


class InProcessPool:
    """No worker processes: read each document here, in order (debugging, fast unit tests)."""

    def run(self, jobs: Sequence[DocumentJob], workers: int) -> Iterator[tuple[DocumentJob, object] | None]:
        for job in jobs:
            try:
                yield job, run_job(job)
            except Exception as exc:  # noqa: BLE001 -- process_document never raises; a bug must not stop the run
                yield job, exc


class LocalProcessPool:
    """concurrent.futures process pool (spawned workers: no state shared with this process)."""

    def run(self, jobs: Sequence[DocumentJob], workers: int) -> Iterator[tuple[DocumentJob, object] | None]:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
        try:
            # A bounded window, not every job at once: finished results are not kept here.
            yield from run_windowed(jobs, lambda job: pool.submit(run_job, job), workers * WINDOW_PER_WORKER * 4,
                                    lambda future: future.result(), IDLE_SECONDS)
        finally:
            # On Ctrl-C (or the caller stopping early) do not read the remaining files first.
            pool.shutdown(wait=True, cancel_futures=True)


def _crash_message(job: DocumentJob) -> str:
    return (f"{job.name}: the worker process reading this file crashed (it was killed or ran out "
            f"of memory), so nothing could be read from it")


def internal_error(job: DocumentJob, exc: BaseException) -> DocumentResult:
    log.warning("%s: reading failed unexpectedly: %r", job.path, exc)
    return failed_result(job.path, f"{job.name}: internal error while reading ({type(exc).__name__}: {exc})")


def process_jobs(jobs: Sequence[DocumentJob], pool: DocumentPool, workers: int,
                 ) -> Iterator[DocumentResult | None]:
    """Yield one DocumentResult per job, whatever happens in the workers, and None whenever the
    pool has been idle for IDLE_SECONDS.

    A worker that dies breaks its whole pool. Then: the jobs that had not started go to a
    fresh pool; each job that had started (the culprit, and innocent neighbours) is retried
    alone in a pool of one worker, and the one that crashes that pool again is recorded as
    failed."""
    pending = list(jobs)
    while pending:
        unfinished: list[DocumentJob] = []
        for item in pool.run(pending, min(workers, len(pending))):
            if item is None:
                yield None
                continue
            job, outcome = item
            if isinstance(outcome, BrokenExecutor):
                unfinished.append(job)
            elif isinstance(outcome, BaseException):
                yield internal_error(job, outcome)
            else:
                yield outcome  # type: ignore[misc]
        if not unfinished:
            return
        started = [j for j in unfinished if j.marker() is not None and j.marker().exists()]
        if not started:
            raise IngestError(
                "the worker processes stopped before reading any document (see the messages "
                "above); check that nianbao is installed in this environment")
        for job in started:
            job.marker().unlink(missing_ok=True)
            log.warning("%s: a worker process crashed; retrying this file alone", job.path)
            outcomes = []
            for item in pool.run([job], 1):
                if item is None:
                    yield None
                else:
                    outcomes.append(item[1])
            (outcome,) = outcomes
            if isinstance(outcome, BrokenExecutor):
                yield failed_result(job.path, _crash_message(job))
            elif isinstance(outcome, BaseException):
                yield internal_error(job, outcome)
            else:
                yield outcome  # type: ignore[misc]
        pending = [j for j in unfinished if j not in started]


# ------------------------------------------------------------------------------ the run

_progress_hook: ContextVar[ProgressFn | None] = ContextVar("nianbao_progress", default=None)


@contextmanager
def reporting_progress(progress: ProgressFn | None) -> Iterator[None]:
    """Make `progress` receive the loads of any ingest run in this context (the CLI uses this
    to draw its progress bar while the Prefect flow runs)."""
    token = _progress_hook.set(progress)
    try:
        yield
    finally:
        _progress_hook.reset(token)


def default_workers() -> int:
    return os.cpu_count() or 1


def run_ingest(files: Sequence[str | Path], db: str | Path, *, workers: int | None = None,
               pool: DocumentPool | None = None, progress: ProgressFn | None = None,
               processor: str = DEFAULT_PROCESSOR, orchestrator: str = "plain",
               given_paths: Sequence[str] | None = None, flow_run_id: str | None = None,
               force: bool = False, use_markers: bool = True) -> str:
    """Read `files` in `pool` and load every result into `db`, in batches as they arrive (see
    BATCH_SIZE); returns the run id.

    Incremental (nianbao.jobs.incremental): a file whose bytes the warehouse holds, read by the
    same pipeline version, is not read again unless `force`; the run records it as skipped.
    Holds the warehouse's write lock for the whole run (WarehouseLocked if another ingest
    has it). No document can stop the run: a result that cannot be stored is recorded as a
    failed document. workers=0 reads in this process. use_markers=False when the workers cannot
    see this machine's temporary folder (a cluster)."""
    workers = default_workers() if workers is None else workers
    if pool is None:
        pool = InProcessPool() if workers == 0 else LocalProcessPool()
    progress = progress or _progress_hook.get()
    marker_dir = tempfile.mkdtemp(prefix="nianbao-ingest-")
    try:
        with write_session(db) as warehouse:
            run_id = warehouse.start_run(orchestrator=orchestrator, workers=workers,
                                         paths=list(given_paths or [str(f) for f in files]),
                                         flow_run_id=flow_run_id)
            total = len(files)
            if progress:
                progress(0, total, None)
            plan = ReadPlan()
            to_read = _skip_unchanged(warehouse, run_id, files, processor, force, plan, total, progress)
            log.info("run %s: %d documents into %s: %d to read with %d workers, %d unchanged (skipped)",
                     run_id, total, db, len(to_read), workers, plan.n_skipped)
            jobs = [DocumentJob(i, f, processor, marker_dir if use_markers else None)
                    for i, f in enumerate(to_read)]
            del to_read
            done = plan.n_skipped
            batch: list[DocumentResult] = []
            first_arrived = 0.0
            try:
                for result in process_jobs(jobs, pool, max(workers, 1)):
                    if result is not None:
                        if not batch:
                            first_arrived = time.monotonic()
                        batch.append(result)
                    if batch and (len(batch) >= BATCH_SIZE or time.monotonic() - first_arrived >= BATCH_SECONDS):
                        full, batch = batch, []
                        done = _store_batch(warehouse, run_id, full, done, total, progress)
            finally:
                # Also when reading stops early (Ctrl-C, no worker could start): keep what was read.
                if batch:
                    done = _store_batch(warehouse, run_id, batch, done, total, progress)
            warehouse.finish_run(run_id, plan.counts)
            return run_id
    finally:
        shutil.rmtree(marker_dir, ignore_errors=True)


def _skip_unchanged(warehouse: Warehouse, run_id: str, files: Sequence[str | Path], processor: str,
                    force: bool, plan: ReadPlan, total: int, progress: ProgressFn | None) -> list[str]:
    """Record the files whose bytes were read by this pipeline version already (skipped), a
    batch at a time; return the paths to read."""
    to_read: list[str] = []
    skipped: list[Unchanged] = []

    def flush() -> None:
        warehouse.record_skipped(run_id, skipped, UNCHANGED)
        if progress:
            base = plan.n_skipped - len(skipped)
            for i in range(1, len(skipped) + 1):
                progress(base + i, total, None)
        skipped.clear()

    for path, unchanged in plan_reads(files, warehouse.stored_versions, pipeline_version(processor),
                                      force=force, plan=plan):
        if unchanged is None:
            to_read.append(path)
        else:
            skipped.append(unchanged)
            if len(skipped) >= BATCH_SIZE * 16:
                flush()
    flush()
    return to_read


def _store_batch(warehouse: Warehouse, run_id: str, batch: list[DocumentResult], done: int, total: int,
                 progress: ProgressFn | None) -> int:
    """Load one batch (one transaction; document by document if that fails, a document that
    cannot be stored being recorded as failed) and report each document; returns the new count."""
    for result, outcome in zip(batch, store_results(warehouse, batch, run_id), strict=True):
        if outcome.error is not None:
            log.warning("%s", outcome.error)
            result = replace(result, status="failed", error=outcome.error, report=None, checks=())
        if result.status != "ok":
            log.info("%s: %s: %s", result.source, result.status, result.error)
        done += 1
        if progress:
            progress(done, total, result)
    return done


def summarize_run(db: str | Path, run_id: str) -> RunSummary:
    with read_session(db) as con:
        return run_summary(con, run_id, str(db))


def ingest_paths(paths: Sequence[str | Path], db: str | Path, workers: int | None = None,
                 progress: ProgressFn | None = None, *, processor: str = DEFAULT_PROCESSOR,
                 force: bool = False) -> RunSummary:
    """Plain-Python ingest (no Prefect): discover, read in `workers` processes (0: in this
    process) what this pipeline version has not read yet (everything with `force`), load, and
    return the run's summary."""
    files = discover_documents(paths)
    run_id = run_ingest(files, db, workers=workers, progress=progress, processor=processor,
                        orchestrator="plain", given_paths=[str(p) for p in paths], force=force)
    return summarize_run(db, run_id)
