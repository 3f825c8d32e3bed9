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

from nianbao.common.names import name_bytes
from nianbao.config import limits
from nianbao.jobs.budget import (
    install_worker_guard,
    make_temp_folder,
    read_verdict,
    remove_stale_temp_folders,
    run_within_budget,
)
from nianbao.jobs.chunks import WINDOW_PER_WORKER, run_windowed
from nianbao.jobs.discover import Discovery, DiscoveryError, Skipped, discover, printable_path
from nianbao.jobs.incremental import UNCHANGED, ReadPlan, Unchanged, pipeline_version, plan_reads
from nianbao.jobs.recheck import CrossChecks, store_results
from nianbao.warehouse.queries import RunSummary, run_summary
from nianbao.warehouse.snapshot import SnapshotPublisher
from nianbao.warehouse.store import Warehouse, read_session, write_session

if TYPE_CHECKING:
    from nianbao.normalize.model import DocumentResult

log = logging.getLogger("nianbao.jobs.ingest")

# The pure function that reads one file; "module:function" so worker processes can import it.
DEFAULT_PROCESSOR = "nianbao.pipeline:process_document"

ProgressFn = Callable[[int, int, "DocumentResult | None"], None]
"""progress(done, total, result): called once with (0, total, None), then for every document
once it is stored."""

# Results are stored in batches, one transaction each (more than 10x cheaper per document than
# one transaction per document), so the single writer keeps up with the workers. A batch is stored
# when it holds BATCH_SIZE documents or its first one has waited BATCH_SECONDS, so the warehouse
# and the progress bar stay live when documents are slow to read. A batch has a fixed cost
# (~0.1 s: one appender per table, the agencies' upsert, is_current), taken from the workers'
# cores: at 0.25 s, 200 documents were stored in ~20 batches of ~10.
BATCH_SIZE = 64
BATCH_SECONDS = 2.0
# How long a pool waits for a document to finish before telling the caller it is idle.
IDLE_SECONDS = 0.1


class IngestError(Exception):
    """The run itself cannot go on (bad path, worker processes cannot start)."""


# ------------------------------------------------------------------------------ discovery

def discover_documents(paths: Iterable[str | Path], *, follow_links: bool = False) -> list[Path]:
    """The files to ingest (nianbao.jobs.discover.discover, without what it skipped)."""
    return discover_files(paths, follow_links=follow_links).files


def discover_files(paths: Iterable[str | Path], *, follow_links: bool = False) -> Discovery:
    """nianbao.jobs.discover.discover; IngestError when a path given does not exist."""
    try:
        return discover(paths, follow_links=follow_links)
    except DiscoveryError as exc:
        raise IngestError(str(exc)) from exc


# ------------------------------------------------------------------------------ jobs

@dataclass(frozen=True)
class DocumentJob:
    """One file to read, as sent to a worker process."""

    index: int
    path: str
    processor: str = DEFAULT_PROCESSOR
    marker_dir: str | None = None  # where the worker notes "started" (to find who crashed a pool)
    source: str | None = None  # the path as stored (printable_path): differs for names not in UTF-8
    # When the run saw the file (documents.fetched_at): one time for the whole run, not when a worker
    # read it, so which version of a report is current does not depend on which worker was first.
    seen_at: datetime | None = None

    @property
    def name(self) -> str:
        return Path(self.path).name

    def marker(self) -> Path | None:
        return Path(self.marker_dir) / str(self.index) if self.marker_dir else None


def resolve_processor(ref: str) -> Callable[..., DocumentResult]:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


def run_job(job: DocumentJob, budgeted: bool = True) -> DocumentResult:
    """Runs in a worker process: read one document (pure code from nianbao.pipeline) within the
    document budget (nianbao.jobs.budget; budgeted=False when reading in the caller's process)."""
    marker = job.marker()
    if marker is not None:
        marker.touch()
    processor = resolve_processor(job.processor)
    source = job.source or job.path

    def read() -> DocumentResult:
        # A processor takes (path) and, for a name that is not UTF-8, the printable source too.
        return processor(job.path) if source == job.path else processor(job.path, source)

    if budgeted:
        result = run_within_budget(read, source, marker,
                                   lambda verdict: failed_result(job.path, verdict.error, verdict.status, source))
    else:
        result = read()
    if source != job.path:
        result = replace(result, source_bytes=name_bytes(job.path))
    if marker is not None:
        marker.unlink(missing_ok=True)
    if result.status == "failed" and not Path(job.path).exists():
        # A worker of a cluster that does not see the corpus: say so, and do not mark it as read.
        return replace(result, error=f"{job.path}: not visible from the worker on {socket.gethostname()}; "
                       "every worker must see the documents at the same path (docs/scale.md)")
    if job.seen_at is not None:
        result = replace(result, fetched_at=job.seen_at)
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


def _file_identity(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, read in chunks (the file may be huge), or of its name when
    it cannot be read."""
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError:
        return hashlib.sha256(os.fsencode(path)).hexdigest(), 0
    return digest.hexdigest(), size


def failed_result(path: str | Path, error: str, status: str = "failed",
                  source: str | None = None) -> DocumentResult:
    """A DocumentResult recorded without parsing the file (status `failed`, or a budget breach)."""
    from nianbao.normalize.model import DocumentResult

    path = Path(path)
    document_id, size = _file_identity(path)
    return DocumentResult(
        document_id=document_id, source=source or printable_path(path),
        format=path.suffix.lower().lstrip(".") or "unknown",
        size_bytes=size, fetched_at=datetime.now(UTC).replace(tzinfo=None),
        status=status, error=error, source_bytes=name_bytes(path),
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
                yield job, run_job(job, budgeted=False)
            except Exception as exc:  # noqa: BLE001 -- process_document never raises; a bug must not stop the run
                yield job, exc


class LocalProcessPool:
    """concurrent.futures process pool (spawned workers: no state shared with this process)."""

    def run(self, jobs: Sequence[DocumentJob], workers: int) -> Iterator[tuple[DocumentJob, object] | None]:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                   initializer=install_worker_guard)
        try:
            # A bounded window, not every job at once: finished results are not kept here.
            yield from run_windowed(jobs, lambda job: pool.submit(run_job, job), workers * WINDOW_PER_WORKER * 4,
                                    lambda future: future.result(), IDLE_SECONDS)
        finally:
            # On Ctrl-C (or the caller stopping early) do not read the remaining files first.
            pool.shutdown(wait=True, cancel_futures=True)


def _crash_message(job: DocumentJob) -> str:
    return (f"{job.name}: the worker process reading this file crashed (it was killed, or a "
            f"library failed when the {limits().worker_address_space_mb} MB address-space limit of a "
            f"worker was reached), so nothing could be read from it")


def _stopped_by_budget(job: DocumentJob) -> DocumentResult | None:
    """The result of a job whose worker was stopped for breaking the document budget."""
    verdict = read_verdict(job.marker())
    if verdict is None:
        return None
    log.warning("%s: %s", job.path, verdict.error)
    return failed_result(job.path, verdict.error, verdict.status, job.source)


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
        stopped = {j.index: r for j in started if (r := _stopped_by_budget(j)) is not None}
        yield from stopped.values()
        for job in started:
            if job.index in stopped:
                job.marker().unlink(missing_ok=True)
        started = [j for j in started if j.index not in stopped]
        if not started and stopped:
            pending = [j for j in unfinished if j.index not in stopped]
            continue
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
                stopped_alone = _stopped_by_budget(job)
                job.marker().unlink(missing_ok=True)
                yield stopped_alone or failed_result(job.path, _crash_message(job), source=job.source)
            elif isinstance(outcome, BaseException):
                yield internal_error(job, outcome)
            else:
                yield outcome  # type: ignore[misc]
        pending = [j for j in unfinished if j not in started and j.index not in stopped]


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
               skipped: Sequence[Skipped] = (), force: bool = False, use_markers: bool = True) -> str:
    """Read `files` in `pool` and load every result into `db`, in batches as they arrive (see
    BATCH_SIZE); returns the run id.

    Incremental (nianbao.jobs.incremental): a file whose bytes the warehouse holds, read by the
    same pipeline version, is not read again unless `force`; the run records it as skipped.
    Holds the warehouse's write lock for the whole run (WarehouseLocked if another ingest
    has it). No document can stop the run: a result that cannot be stored is recorded as a
    failed document. `skipped` (what discovery left out) is recorded in the run with status
    `skipped`. workers=0 reads in this process. use_markers=False when the workers cannot see this
    machine's temporary folder (a cluster)."""
    workers = default_workers() if workers is None else workers
    if pool is None:
        pool = InProcessPool() if workers == 0 else LocalProcessPool()
    progress = progress or _progress_hook.get()
    for stale in remove_stale_temp_folders():
        log.info("removed %s, left by an ingest that was killed", stale)
    marker_dir = make_temp_folder()
    try:
        with write_session(db) as warehouse:
            run_id = warehouse.start_run(orchestrator=orchestrator, workers=workers,
                                         paths=list(given_paths or [str(f) for f in files]),
                                         flow_run_id=flow_run_id)
            total = len(files)
            for item in skipped:
                warehouse.record_discovery_skip(run_id, item.path, item.reason)
                log.info("skipped %s", item.reason)
            # Readers (nianbao show/compare) read this copy while the run holds the file.
            snapshots = SnapshotPublisher(warehouse.con, db)
            snapshots.publish()
            if progress:
                progress(0, total, None)
            plan = ReadPlan()
            to_read = _skip_unchanged(warehouse, run_id, files, processor, force, plan, total, progress)
            log.info("run %s: %d documents into %s: %d to read with %d workers, %d unchanged (skipped)",
                     run_id, total, db, len(to_read), workers, plan.n_skipped)
            seen_at = datetime.now(UTC).replace(tzinfo=None)
            jobs = [DocumentJob(i, f, processor, marker_dir if use_markers else None, printable_path(f), seen_at)
                    for i, f in enumerate(to_read)]
            del to_read
            done = plan.n_skipped
            batch: list[DocumentResult] = []
            first_arrived = 0.0
            checks = CrossChecks(warehouse.con)
            try:
                for result in process_jobs(jobs, pool, max(workers, 1)):
                    if result is not None:
                        if not batch:
                            first_arrived = time.monotonic()
                        batch.append(result)
                    if batch and (len(batch) >= BATCH_SIZE or time.monotonic() - first_arrived >= BATCH_SECONDS):
                        full, batch = batch, []
                        done = _store_batch(warehouse, run_id, full, done, total, progress, checks)
                        snapshots.maybe_publish()
            finally:
                # Also when reading stops early (Ctrl-C, no worker could start): keep what was read,
                # and check it against the warehouse.
                if batch:
                    done = _store_batch(warehouse, run_id, batch, done, total, progress, checks)
                checks.flush()
            warehouse.finish_run(run_id, plan.counts)
            snapshots.publish()
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
                 progress: ProgressFn | None, checks: CrossChecks | None = None) -> int:
    """Load one batch (one transaction; document by document if that fails, a document that
    cannot be stored being recorded as failed) and report each document; returns the new count.
    The warehouse-scope rules run for the batch's agencies now, or later through `checks`."""
    for result, outcome in zip(batch, store_results(warehouse, batch, run_id, checks), strict=True):
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
                 follow_links: bool = False, force: bool = False) -> RunSummary:
    """Plain-Python ingest (no Prefect): discover, read in `workers` processes (0: in this
    process) what this pipeline version has not read yet (everything with `force`), load, and
    return the run's summary."""
    found = discover_files(paths, follow_links=follow_links)
    run_id = run_ingest(found.files, db, workers=workers, progress=progress, processor=processor,
                        orchestrator="plain", given_paths=[str(p) for p in paths], skipped=found.skipped,
                        force=force)
    return summarize_run(db, run_id)
