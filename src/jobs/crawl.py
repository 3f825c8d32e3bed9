"""One crawl pass end to end, without Prefect: crawl every source of a registry, then ingest the
documents the warehouse does not hold yet. `nianbao crawl` and the demo run this; the Prefect
flow (flows/crawl.py) wires the same functions.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path

import httpx

from nianbao.fetch.crawler import (
    Crawler,
    CrawlResult,
    RunSource,
    SourceResult,
    crawl_source_directly,
    crawl_sources,
)
from nianbao.fetch.guard import Resolver
from nianbao.fetch.rawstore import DEFAULT_RAW_DIR, RawStore
from nianbao.fetch.sources import Registry, Source, load_registry
from nianbao.fetch.store import crawl_log, set_ingest_run
from nianbao.jobs.handoff import FETCHED_PROCESSOR
from nianbao.jobs.ingest import ProgressFn, run_ingest, summarize_run
from nianbao.warehouse.queries import RunSummary

# What an orchestrator wires (flows/crawl.py runs one task per source): it sees the crawl through
# this job, never the fetch layer under it.
__all__ = ["CrawlPass", "Crawler", "Registry", "Source", "SourceResult", "crawl_once", "crawl_registry",
           "ingest_crawled", "load_registry", "record_ingest"]


@dataclass(frozen=True)
class CrawlPass:
    crawl: CrawlResult
    to_ingest: tuple[Path, ...]  # report documents the warehouse did not hold
    ingest: RunSummary | None = None


async def crawl_registry(registry: Registry, db: str | Path, raw_dir: str | Path = DEFAULT_RAW_DIR, *,
                         resolver: Resolver | None = None,
                         transport: httpx.AsyncBaseTransport | None = None,
                         run_source: RunSource = crawl_source_directly) -> CrawlPass:
    """Crawl every source, record the pass in db, and list the documents still to ingest."""
    with crawl_log(db, sources_file=str(registry.path) if registry.path else None,
                   n_sources=len(registry.sources)) as log_:
        crawl = await crawl_sources(registry.sources, log_, RawStore(raw_dir), resolver=resolver,
                                    transport=transport, run_source=run_source)
        held = log_.stored_documents(d.sha256 for d in crawl.documents)
    return CrawlPass(crawl, tuple(d.path for d in crawl.documents if d.sha256 not in held))


def record_ingest(db: str | Path, crawl_pass: CrawlPass, run_id: str) -> CrawlPass:
    set_ingest_run(db, crawl_pass.crawl.crawl_id, run_id)
    return replace(crawl_pass, ingest=summarize_run(db, run_id))


def ingest_crawled(crawl_pass: CrawlPass, db: str | Path, *, workers: int | None = None,
                   progress: ProgressFn | None = None) -> CrawlPass:
    """Read the pass's new documents into the warehouse (the ordinary ingest, URL as source)."""
    if not crawl_pass.to_ingest:
        return crawl_pass
    run_id = run_ingest(list(crawl_pass.to_ingest), db, workers=workers, progress=progress,
                        processor=FETCHED_PROCESSOR, given_paths=[str(p) for p in crawl_pass.to_ingest])
    return record_ingest(db, crawl_pass, run_id)


def crawl_once(registry: Registry, db: str | Path, raw_dir: str | Path = DEFAULT_RAW_DIR, *,
               ingest: bool = True, workers: int | None = None, progress: ProgressFn | None = None,
               resolver: Resolver | None = None) -> CrawlPass:
    """`nianbao crawl`: one pass over the registry, then the ingest of what is new."""
    crawl_pass = asyncio.run(crawl_registry(registry, db, raw_dir, resolver=resolver))
    return ingest_crawled(crawl_pass, db, workers=workers, progress=progress) if ingest else crawl_pass
