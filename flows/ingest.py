"""Prefect flow for `nianbao ingest`: wiring only, no parsing.

discover (task) -> the files this pipeline version has not read, in chunks: one `read-documents`
task run per chunk (nianbao.jobs.chunks sizes them from the corpus and the workers, so a task's
fixed cost is a few ms per document), on a ProcessPoolTaskRunner (all cores) or, with `cluster`,
a Dask cluster (prefect-dask's DaskTaskRunner) -> results loaded by the flow in this process as
they arrive, in small batches (the single writer) -> summary (task) and a summary artifact.
A chunk with a failed document ends Failed (its results are still stored); the reading and
loading code is nianbao.jobs.ingest / nianbao.pipeline / nianbao.warehouse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import BrokenExecutor
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.states import Failed
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner

from nianbao.jobs.budget import install_worker_guard
from nianbao.jobs.chunks import WINDOW_PER_WORKER, Chunk, ChunkResults, chunk_size, make_chunks, run_windowed
from nianbao.jobs.discover import Discovery
from nianbao.jobs.ingest import (
    DEFAULT_PROCESSOR,
    IDLE_SECONDS,
    DocumentJob,
    default_workers,
    discover_files,
    run_ingest,
    run_jobs,
    summarize_run,
)
from nianbao.spec import SPEC

SUMMARY_ARTIFACT = "nianbao-ingest-summary"
FAILED_NAMES_SHOWN = 5


@task(name="read-documents", task_run_name="read {chunk.label}", cache_policy=NO_CACHE,
      persist_result=False)
def read_chunk(chunk: Chunk[DocumentJob]) -> Any:
    """Runs in a worker: nianbao.pipeline.process_document on each file of the chunk. The task
    run fails when a document failed (the results, all of them, are still returned)."""
    results = ChunkResults(run_jobs(chunk.jobs))
    failed = [r for r in results if r.status == "failed"]
    if failed:
        shown = "; ".join(f"{r.source}: {r.error}" for r in failed[:FAILED_NAMES_SHOWN])
        more = f" (and {len(failed) - FAILED_NAMES_SHOWN} more)" if len(failed) > FAILED_NAMES_SHOWN else ""
        return Failed(message=f"{len(failed)} of {len(results)} documents failed: {shown}{more}", data=results)
    return results


@task(name="discover-documents", cache_policy=NO_CACHE, persist_result=False)
def discover(paths: list[str], follow_links: bool = False) -> Discovery:
    """The files to read, and what was left out (FIFOs, link loops...) with why."""
    return discover_files(paths, follow_links=follow_links)


@task(name="summarize-run", cache_policy=NO_CACHE, persist_result=False)
def summarize(db: str, run_id: str) -> dict[str, Any]:
    return summarize_run(db, run_id).as_dict()


class PrefectChunkPool:
    """nianbao.jobs.ingest.DocumentPool over a Prefect task runner: one `read-documents` task run
    per chunk, a bounded number in flight. A new runner per call: after a worker crash a process
    pool is unusable, and nianbao.jobs.ingest.process_jobs retries the affected files in a fresh
    one (a BrokenExecutor outcome for each job of the broken chunks). A chunk that fails otherwise
    (a Dask worker lost: KilledWorker) is read again one document per task, so one bad file
    cannot take its neighbours with it. Yields None when no chunk finished for a while, so the
    flow stores the results it holds."""

    def __init__(self, make_runner: Callable[[int], TaskRunner], slots: Callable[[TaskRunner], int] | None = None,
                 ) -> None:
        self.make_runner = make_runner
        self.slots = slots  # how many tasks the runner runs at once, when it knows better than `workers`

    def run(self, jobs: Sequence[DocumentJob], workers: int) -> Iterator[tuple[DocumentJob, object] | None]:
        with self.make_runner(workers) as runner:
            workers = self.slots(runner) if self.slots else workers
            size = chunk_size(len(jobs), workers)
            alone: list[DocumentJob] = []
            for item in self._run_chunks(runner, make_chunks(jobs, size), workers):
                if item is None:
                    yield None
                    continue
                chunk, outcome = item
                if isinstance(outcome, BaseException):
                    if isinstance(outcome, BrokenExecutor) or len(chunk.jobs) == 1:
                        yield from ((job, outcome) for job in chunk.jobs)
                    else:
                        alone.extend(chunk.jobs)
                else:
                    yield from zip(chunk.jobs, outcome, strict=True)
            if alone:
                singles = (Chunk(i, (job,)) for i, job in enumerate(alone, start=1))
                for item in self._run_chunks(runner, singles, workers):
                    if item is not None:
                        item = item[0].jobs[0], item[1][0] if isinstance(item[1], list) else item[1]
                    yield item

    @staticmethod
    def _run_chunks(runner: TaskRunner, chunks: Iterator[Chunk[DocumentJob]], workers: int,
                    ) -> Iterator[tuple[Chunk[DocumentJob], Any] | None]:
        return run_windowed(chunks, lambda chunk: runner.submit(read_chunk, {"chunk": chunk}),
                            workers * WINDOW_PER_WORKER, lambda future: future.result(raise_on_failure=False),
                            IDLE_SECONDS)


def _process_pool(workers: int) -> TaskRunner:
    # The guard first: a worker dies with the ingest (also on kill -9) before it takes any task.
    return ProcessPoolTaskRunner(max_workers=workers, initializer=install_worker_guard)


def _dask_pool(address: str) -> PrefectChunkPool:
    from prefect_dask import DaskTaskRunner

    def slots(runner: TaskRunner) -> int:
        return max(1, sum(runner.client.nthreads().values()))  # type: ignore[attr-defined]

    return PrefectChunkPool(lambda workers: DaskTaskRunner(address=address), slots)


def _same_api_for_worker_processes() -> AbstractContextManager[Any]:
    """With no PREFECT_API_URL configured, Prefect runs this flow against a temporary server it
    started in this process; worker processes would each start their own (~15 s each, and their
    task runs would not be in this flow run). Point them at this process's server instead."""
    if PREFECT_API_URL.value():
        return nullcontext()
    server = SubprocessASGIServer()  # the instance Prefect started for this process
    if not server.running:
        return nullcontext()
    return temporary_settings(updates={PREFECT_API_URL: server.api_url})


def publish_summary(summary: dict[str, Any]) -> None:
    """The run's summary as a table artifact of the flow run: documents by status (read or
    skipped), then flags by rule and severity."""
    rows = [{"项目": "文档", "类别": SPEC.status_label(status), "代码": status, "数量": n}
            for status, n in sorted(summary["documents_by_status"].items())]
    rows += [{"项目": "读取计划", "类别": reason, "代码": reason, "数量": n}
             for reason, n in sorted(summary.get("plan", {}).items())]
    rows += [{"项目": "核验提示", "类别": f["severity"], "代码": f["rule"], "数量": f["count"]}
             for f in summary["flags"]]
    create_table_artifact(
        key=SUMMARY_ARTIFACT, table=rows,
        description=(f"run {summary['run_id']} → {summary['db']}: {summary['n_documents']} documents "
                     f"({summary.get('n_skipped', 0)} unchanged, not read again), {summary['n_reports']} "
                     f"reports, {summary['n_flags']} flags"))


@flow(name="nianbao-ingest")
def ingest_flow(paths: list[str], db: str, workers: int | None = None,
                processor: str = DEFAULT_PROCESSOR, follow_links: bool = False, force: bool = False,
                cluster: str | None = None) -> dict[str, Any]:
    """Ingest files and folders into the DuckDB warehouse `db`; returns the run summary.

    workers: processes reading documents (default: all cores). processor: the function that
    reads one file, as "module:function" (tests replace it). force: read again files this
    pipeline version has read already. cluster: the address of a Dask scheduler
    (tcp://HOST:PORT) whose workers read the documents; they must see them at the same paths."""
    logger = get_run_logger()
    found = discover(paths, follow_links)
    files = [str(p) for p in found.files]
    if cluster:
        pool, where = _dask_pool(cluster), f"the Dask cluster at {cluster}"
    else:
        workers = workers or default_workers()
        pool, where = PrefectChunkPool(_process_pool), f"{workers} worker processes"
    logger.info("%d documents, read with %s, in chunks (one task run each)", len(files), where)
    with _same_api_for_worker_processes():
        run_id = run_ingest(files, db, workers=workers, pool=pool, processor=processor,
                            orchestrator="prefect-dask" if cluster else "prefect", given_paths=paths,
                            flow_run_id=str(get_run_context().flow_run.id), force=force, skipped=found.skipped,
                            use_markers=not cluster)
    summary = summarize(db, run_id)
    publish_summary(summary)
    logger.info("run %s: %d documents (%d unchanged, skipped), %d reports, %d flags", run_id,
                summary["n_documents"], summary["n_skipped"], summary["n_reports"], summary["n_flags"])
    return summary
