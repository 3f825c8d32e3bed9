"""Prefect flow for `nianbao ingest`: wiring only, no parsing.

discover (task) -> one `read-document` task per file in a ProcessPoolTaskRunner (all cores) ->
results loaded by the flow in this process as they arrive, in small batches (the single writer)
-> summary (task).
The reading and loading code is nianbao.jobs.ingest / nianbao.pipeline / nianbao.warehouse.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.server.api.server import SubprocessASGIServer
from prefect.settings import PREFECT_API_URL, temporary_settings
from prefect.task_runners import ProcessPoolTaskRunner

from nianbao.jobs.discover import Discovery
from nianbao.jobs.ingest import (
    DEFAULT_PROCESSOR,
    DocumentJob,
    as_completed_or_idle,
    default_workers,
    discover_files,
    run_ingest,
    run_job,
    summarize_run,
)


@task(name="read-document", task_run_name="read {job.name}", cache_policy=NO_CACHE,
      persist_result=False)
def read_document(job: DocumentJob) -> Any:
    """Runs in a worker process: nianbao.pipeline.process_document on one file."""
    return run_job(job)


@task(name="discover-documents", cache_policy=NO_CACHE, persist_result=False)
def discover(paths: list[str], follow_links: bool = False) -> Discovery:
    """The files to read, and what was left out (FIFOs, link loops...) with why."""
    return discover_files(paths, follow_links=follow_links)


@task(name="summarize-run", cache_policy=NO_CACHE, persist_result=False)
def summarize(db: str, run_id: str) -> dict[str, Any]:
    return summarize_run(db, run_id).as_dict()


class PrefectProcessPool:
    """nianbao.jobs.ingest.DocumentPool over Prefect's ProcessPoolTaskRunner, so every document is a
    task run in the UI. A new runner per call: after a worker crash the old one is unusable, and
    nianbao.jobs.ingest.process_jobs retries the affected files in a fresh one. Yields None when no
    task finished for a while, so the flow stores the results it holds."""

    def run(self, jobs: Sequence[DocumentJob], workers: int) -> Iterator[tuple[DocumentJob, object] | None]:
        with ProcessPoolTaskRunner(max_workers=workers) as runner:
            futures = {runner.submit(read_document, {"job": job}): job for job in jobs}
            for future in as_completed_or_idle(futures):
                if future is None:
                    yield None
                    continue
                try:
                    yield futures[future], future.result()
                except Exception as exc:  # noqa: BLE001 -- BrokenProcessPool when a worker died
                    yield futures[future], exc


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


@flow(name="nianbao-ingest")
def ingest_flow(paths: list[str], db: str, workers: int | None = None,
                processor: str = DEFAULT_PROCESSOR, follow_links: bool = False) -> dict[str, Any]:
    """Ingest files and folders into the DuckDB warehouse `db`; returns the run summary.

    workers: processes reading documents (default: all cores). processor: the function that
    reads one file, as "module:function" (tests replace it)."""
    logger = get_run_logger()
    found = discover(paths, follow_links)
    files = [str(p) for p in found.files]
    workers = workers or default_workers()
    logger.info("%d documents to read with %d worker processes", len(files), workers)
    with _same_api_for_worker_processes():
        run_id = run_ingest(files, db, workers=workers, pool=PrefectProcessPool(), processor=processor,
                            orchestrator="prefect", given_paths=paths, skipped=found.skipped,
                            flow_run_id=str(get_run_context().flow_run.id))
    summary = summarize(db, run_id)
    logger.info("run %s: %d documents, %d reports, %d flags", run_id, summary["n_documents"],
                summary["n_reports"], summary["n_flags"])
    return summary
