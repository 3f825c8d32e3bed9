"""Helpers of the crawler tests: sources files of data/mock_portal pointed at a running mock
portal, one-entry registries, and a crawl pass into a temporary warehouse."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import yaml

from nianbao.fetch.mock_portal import PORTAL_DIR, MockPortal
from nianbao.fetch.sources import Registry, parse_registry
from nianbao.jobs.crawl import CrawlPass, crawl_registry

EXPECTED = yaml.safe_load((PORTAL_DIR / "portal.yaml").read_text(encoding="utf-8"))["expected"]


def registry(portal: MockPortal, name: str = "sources.yaml", **defaults: Any) -> Registry:
    """A sources file of data/mock_portal pointed at `portal`, with `defaults` overridden."""
    data = yaml.safe_load(portal.render_sources(PORTAL_DIR / name))
    data.setdefault("defaults", {}).update(defaults)
    return parse_registry(data, Path(name))


def one_source(url: str, **entry: Any) -> Registry:
    """A registry of one entry; quick limits so the tests stay fast."""
    defaults = {"delay": 0, "backoff": 0.05, "timeout": 5, "request_time_limit": 20}
    return parse_registry({"defaults": defaults, "sources": [{"agency": "测试局", "url": url, **entry}]})


def crawl(reg: Registry, tmp_path: Path, **kwargs: Any) -> CrawlPass:
    return asyncio.run(crawl_registry(reg, tmp_path / "wh.duckdb", tmp_path / "raw", **kwargs))


def paths(portal: MockPortal, urls: Any) -> set[str]:
    return {u.replace(portal.base, "") for u in urls}
