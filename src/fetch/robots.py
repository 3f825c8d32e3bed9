"""robots.txt, fetched once per site and crawl pass (RFC 9309 via urllib.robotparser): a missing
file (4xx) allows everything, an unreachable one (5xx, network error) allows nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from nianbao.fetch.client import ROBOTS_AGENT, Fetcher, HttpResult
from nianbao.fetch.sources import Source

MAX_ROBOTS_BYTES = 512 * 1024


@dataclass
class _Rules:
    parser: RobotFileParser | None  # None: the file could not be reached; nothing is allowed
    why: str = ""


class Robots:
    """permit(url, source) for Fetcher.get: None when robots.txt allows the URL, else why not."""

    def __init__(self, fetcher: Fetcher, *, on_fetch: Callable[[Source, HttpResult], None] | None = None,
                 agent: str = ROBOTS_AGENT) -> None:
        self.fetcher = fetcher
        self.agent = agent
        self.on_fetch = on_fetch
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def permit(self, url: str, source: Source) -> str | None:
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            if origin not in self._rules:
                self._rules[origin] = await self._load(origin, source)
        rules = self._rules[origin]
        if rules.parser is None:
            return f"{url}: {origin}/robots.txt could not be read ({rules.why}); the site is not crawled"
        if not rules.parser.can_fetch(self.agent, url):
            return f"{url}: disallowed by {origin}/robots.txt"
        return None

    async def _load(self, origin: str, source: Source) -> _Rules:
        robots_url = origin + "/robots.txt"
        limits = replace(source.limits, max_bytes=MAX_ROBOTS_BYTES)
        # attachment=True: the robots.txt of a site the source's report files are on is read too.
        result = await self.fetcher.get(robots_url, replace(source, limits=limits), attachment=True)
        if self.on_fetch:
            self.on_fetch(source, result)
        if result.ok:
            parser = RobotFileParser(robots_url)
            parser.parse(result.body.decode("utf-8", "replace").splitlines())  # type: ignore[union-attr]
            delay = parser.crawl_delay(self.agent)
            if delay:
                self.fetcher.limiter.slow_down((urlsplit(origin).hostname or ""), float(delay))
            return _Rules(parser)
        if result.status is not None and 400 <= result.status < 500:
            parser = RobotFileParser(robots_url)
            parser.parse([])
            return _Rules(parser)
        return _Rules(None, result.error or f"HTTP {result.status}")
