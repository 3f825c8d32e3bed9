"""Prefect flow for scheduled scraping: wiring only, no parsing.

one `crawl-source` task per registry entry (concurrent, in this flow's event loop, so sources on
one host share its rate limit) -> the pass recorded (fetches, source_status …) -> the documents
the warehouse does not hold go to the ingest flow (nianbao-ingest) as a subflow.
The schedule is prefect.yaml's; `nianbao serve` serves this flow with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.schedules import Cron

from nianbao.flows.ingest import ingest_flow
from nianbao.jobs.crawl import Crawler, Source, SourceResult, crawl_registry, load_registry, record_ingest
from nianbao.jobs.handoff import FETCHED_PROCESSOR

PREFECT_YAML = Path(__file__).resolve().parents[1] / "prefect.yaml"
DEPLOYMENT = "nianbao-crawl"  # prefect.yaml's, registered by `prefect deploy` (a work pool runs it)
# `nianbao serve` registers its own: the same name would make the two overwrite each other's
# schedule, parameters and work pool at every start.
SERVE_DEPLOYMENT = "nianbao-crawl-serve"


@task(name="crawl-source", task_run_name="crawl {source.agency}", cache_policy=NO_CACHE,
      persist_result=False)
async def crawl_source(crawler: Crawler, source: Source) -> SourceResult:
    """Listing pages -> report pages -> attachments of one source (nianbao.fetch.crawler)."""
    result = await crawler.crawl_source(source)
    logger = get_run_logger()
    logger.info("%s: %d reports (%d new), %d errors, %d links not followed", source.agency,
                len(result.reports), result.new_reports, len(result.errors), len(result.skipped))
    for error in result.errors:
        logger.warning("%s", error)
    return result


@flow(name="nianbao-crawl")
async def crawl_flow(sources: str = "data/sources.yaml", db: str = "data/nianbao.duckdb",
                     raw: str = "data/raw", workers: int | None = None) -> dict[str, Any]:
    """Crawl every registered source, then ingest the new documents; returns the totals."""
    logger = get_run_logger()
    registry = load_registry(sources)
    crawl_pass = await crawl_registry(registry, db, raw, run_source=crawl_source)
    crawl = crawl_pass.crawl
    failing = [s.source.agency for s in crawl.sources if not s.reports]
    if failing:
        logger.warning("no reports found for: %s", "、".join(failing))
    logger.info("crawl %s: %d reports, %d documents new to the warehouse", crawl.crawl_id,
                len(crawl.reports), len(crawl_pass.to_ingest))
    ingest: dict[str, Any] | None = None
    if crawl_pass.to_ingest:
        ingest = ingest_flow(paths=[str(p) for p in crawl_pass.to_ingest], db=db, workers=workers,
                             processor=FETCHED_PROCESSOR)
        record_ingest(db, crawl_pass, ingest["run_id"])
    return {"crawl_id": crawl.crawl_id, "n_reports": len(crawl.reports),
            "n_new_documents": len(crawl_pass.to_ingest), "failing": failing, "ingest": ingest}


def deployment_schedules(path: Path = PREFECT_YAML) -> list[Cron]:
    """The crawl deployment's schedules, as prefect.yaml declares them."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    (deployment,) = [d for d in config["deployments"] if d["name"] == DEPLOYMENT]
    return [Cron(s["cron"], timezone=s.get("timezone")) for s in deployment["schedules"]]


def serve_crawl(sources: str, db: str, raw: str) -> None:
    """`nianbao serve`: run crawl_flow on prefect.yaml's schedule until stopped."""
    crawl_flow.serve(name=SERVE_DEPLOYMENT, schedules=deployment_schedules(),
                     parameters={"sources": sources, "db": db, "raw": raw})
