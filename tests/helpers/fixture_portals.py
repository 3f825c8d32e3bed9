"""Helpers of the portal-structure tests: a fixture portal (tests/files/portals/<name>/) served on
127.0.0.1, a registry of its sources, and one crawl pass into a temporary warehouse."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nianbao.fetch.crawler import CrawlResult, FoundReport, crawl_sources
from nianbao.fetch.guard import Resolver
from nianbao.fetch.rawstore import RawStore
from nianbao.fetch.replay import FixturePortal, load_fixture
from nianbao.fetch.sources import Registry, parse_registry
from nianbao.fetch.store import crawl_log

PORTALS = Path(__file__).resolve().parents[1] / "files" / "portals"
QUICK = {"delay": 0, "backoff": 0.05, "timeout": 5, "request_time_limit": 20, "retries": 1}


def fixture_sources(portal: FixturePortal, folder: Path | None = None, **limits: Any) -> Registry:
    """The fixture's `source` (and `sources`) pointed at the running portal."""
    data = load_fixture(folder or portal.folder)
    entries = [data["source"], *(data.get("sources") or [])]
    return parse_registry({"defaults": {**QUICK, **limits}, "sources": [
        {"agency": e["agency"], "url": portal.url(e["url"]), "allow_private": True} for e in entries]})


@dataclass(frozen=True)
class Pass:
    crawl: CrawlResult
    db: Path


def crawl_pass(registry: Registry, tmp_path: Path, resolver: Resolver | None = None) -> Pass:
    db = tmp_path / "wh.duckdb"

    async def run() -> CrawlResult:
        with crawl_log(db, sources_file=None, n_sources=len(registry.sources)) as log_:
            return await crawl_sources(registry.sources, log_, RawStore(tmp_path / "raw"), resolver=resolver)

    return Pass(asyncio.run(run()), db)


def report_rows(portal: FixturePortal, reports: tuple[FoundReport, ...] | list[FoundReport]) -> list[dict[str, Any]]:
    """The reports as the fixture's `expected` writes them, by URL."""
    def local(url: str) -> str:
        return url.replace(portal.base, "")

    return sorted(({"url": local(r.url), "title": r.title, "year": r.year,
                    "published_on": r.published_on, "documents": [[local(d.url), d.format] for d in r.documents]}
                   for r in reports), key=lambda r: r["url"])


def expected_rows(expected: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(({**r, "documents": [list(d) for d in r["documents"]]} for r in expected["reports"]),
                  key=lambda r: r["url"])
