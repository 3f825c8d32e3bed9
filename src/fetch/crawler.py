"""Crawl registered portals: listing pages (and their pagination) -> report links -> report pages
and their attachments, every body kept in the raw store and every request in `fetches`.

`Crawler.crawl_source` is one source; `crawl_sources` is a whole pass over a registry. Nothing
here parses documents: new documents are handed to the ingest (nianbao.jobs.crawl).
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Self

import httpx

from nianbao.common.formats import detect_format
from nianbao.fetch.client import Fetcher, HttpResult, Validators
from nianbao.fetch.guard import Refused, Resolver, check_url, on_site, safe_filename
from nianbao.fetch.pages import PageError, ReportLink, is_attachment_url, parse_listing, parse_report_page
from nianbao.fetch.rawstore import FirstSeen, RawStore
from nianbao.fetch.robots import Robots
from nianbao.fetch.sources import Source
from nianbao.fetch.store import CrawlLog, FetchRecord, SourceStatus, documents_json, utc_now

log = logging.getLogger("nianbao.fetch")


@dataclass(frozen=True)
class Download:
    """A URL fetched (or not) in this pass, with its body when there is one."""

    url: str
    result: HttpResult
    body: bytes | None
    sha256: str | None
    path: Path | None
    outcome: str  # downloaded (new bytes) / unchanged / not_modified / error / refused

    @property
    def ok(self) -> bool:
        return self.body is not None


@dataclass(frozen=True)
class FetchedDocument:
    """A file of a report (the report page itself, or an attachment)."""

    url: str
    sha256: str
    path: Path
    outcome: str
    kind: str  # report_page / attachment

    @property
    def changed(self) -> bool:
        return self.outcome == "downloaded"


@dataclass(frozen=True)
class FoundReport:
    source_url: str
    url: str
    title: str
    year: int
    published_on: date | None
    documents: tuple[FetchedDocument, ...]

    @property
    def is_new(self) -> bool:
        return any(d.changed for d in self.documents)


@dataclass(frozen=True)
class SourceResult:
    source: Source
    reports: tuple[FoundReport, ...]
    errors: tuple[str, ...]
    skipped: tuple[str, ...]  # links not followed: off-site, private address, robots.txt
    listing_pages: int
    seconds: float

    @property
    def new_reports(self) -> int:
        return sum(r.is_new for r in self.reports)


@dataclass(frozen=True)
class CrawlResult:
    crawl_id: str
    sources: tuple[SourceResult, ...]
    n_requests: int
    seconds: float
    started_at: datetime = field(default_factory=utc_now)

    @property
    def reports(self) -> list[FoundReport]:
        return [r for s in self.sources for r in s.reports]

    @property
    def documents(self) -> list[FetchedDocument]:
        """Every report document of this pass, each file once."""
        seen: dict[str, FetchedDocument] = {}
        for report in self.reports:
            for d in report.documents:
                seen.setdefault(d.sha256, d)
        return list(seen.values())


class Crawler:
    """One crawl pass's HTTP client, robots.txt cache, per-host limits, raw store and log."""

    def __init__(self, log_: CrawlLog | None, raw: RawStore, *, resolver: Resolver | None = None,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.log = log_
        self.raw = raw
        self.fetcher = Fetcher(resolver=resolver, transport=transport)
        self.robots = Robots(self.fetcher, on_fetch=self._record_robots)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.fetcher.__aexit__(*exc)

    # -- one URL ------------------------------------------------------------------------------
    def _record_robots(self, source: Source, result: HttpResult) -> None:
        self._record(source, "robots", self._stored(result, None), None, None)

    def _stored(self, result: HttpResult, previous_sha: str | None, title: str | None = None,
                published_on: date | None = None) -> Download:
        if result.ok:
            stored = self.raw.put(result.body or b"", FirstSeen(
                url=result.url, fetched_at=utc_now(), name=safe_filename(result.final_url.rsplit("/", 1)[-1]),
                content_type=result.content_type, published_on=published_on, title=title))
            outcome = "unchanged" if stored.sha256 == previous_sha else "downloaded"
            return Download(result.url, result, result.body, stored.sha256, stored.path, outcome)
        return Download(result.url, result, None, None, None, "refused" if result.refused else "error")

    async def _get(self, url: str, source: Source, *, title: str | None = None,
                   published_on: date | None = None) -> Download:
        """GET url, conditionally when its body is in the raw store; a 304 gives the stored body."""
        previous = self.log.previous(url) if self.log else None
        stored_body = self.raw.read(previous.sha256, previous.raw_path) if previous else None
        validators = previous.validators if previous and stored_body is not None else Validators()
        result = await self.fetcher.get(url, source, validators=validators, permit=self.robots.permit)
        if result.not_modified and previous and stored_body is not None:
            path = Path(previous.raw_path) if previous.raw_path else self.raw.find(previous.sha256)
            return Download(url, result, stored_body, previous.sha256, path, "not_modified")
        if result.not_modified:
            # 304 without a conditional request from us: ask again for the whole body.
            result = await self.fetcher.get(url, source, permit=self.robots.permit)
        return self._stored(result, previous.sha256 if previous else None, title, published_on)

    def _record(self, source: Source, kind: str, d: Download, title: str | None,
                published_on: date | None) -> None:
        if self.log is None:
            return
        r = d.result
        self.log.record(FetchRecord(
            source_url=source.url, kind=kind, url=d.url, final_url=r.final_url, fetched_at=utc_now(),
            http_status=r.status, outcome=d.outcome, sha256=d.sha256, content_type=r.content_type,
            bytes=len(d.body) if d.body is not None else None, etag=r.etag, last_modified=r.last_modified,
            published_on=published_on, title=title, raw_path=str(d.path) if d.path else None,
            attempts=r.attempts, seconds=round(r.seconds, 3), error=r.error))

    # -- one source ---------------------------------------------------------------------------
    async def crawl_source(self, source: Source) -> SourceResult:
        started = time.monotonic()
        state = _SourceState()
        try:
            async with asyncio.timeout(source.limits.source_time_limit):
                links = await self._listing(source, state)
                results = await asyncio.gather(*(self._report(source, link, state) for link in links))
                state.reports.extend(r for r in results if r is not None)
        except TimeoutError:
            state.errors.append(f"{source.url}: the source's time limit of {source.limits.source_time_limit:g} s "
                                f"ran out; the rest of its pages were not crawled")
        return SourceResult(source, tuple(state.reports), tuple(state.errors), tuple(state.skipped),
                            state.pages, time.monotonic() - started)

    async def probe_source(self, source: Source) -> Probe:
        """The listing pages only: how many report links a source shows (`nianbao sources check`)."""
        state = _SourceState()
        try:
            async with asyncio.timeout(source.limits.source_time_limit):
                links = await self._listing(source, state)
        except TimeoutError:
            links = []
            state.errors.append(f"{source.url}: the source's time limit ran out")
        return Probe(source, tuple(links), tuple(state.errors), tuple(state.skipped), state.pages)

    async def _listing(self, source: Source, state: _SourceState) -> list[ReportLink]:
        queue, seen = [source.url], {source.url}
        links: dict[str, ReportLink] = {}
        while queue:
            if state.pages >= source.limits.max_pages:
                state.errors.append(f"{source.url}: stopped after {source.limits.max_pages} listing pages (max_pages)")
                break
            page_url = queue.pop(0)
            state.pages += 1
            d = await self._get(page_url, source)
            self._record(source, "listing", d, None, None)
            if not d.ok:
                (state.skipped if d.outcome == "refused" else state.errors).append(d.result.error or page_url)
                continue
            try:
                page = parse_listing(d.body or b"", d.result.final_url, source, d.result.charset)
            except PageError as exc:
                state.errors.append(str(exc))
                continue
            for link in page.reports:
                if link.url in links:
                    continue
                try:
                    check_url(link.url, source)
                except Refused as exc:
                    state.skipped.append(str(exc))
                    continue
                links[link.url] = link
            for more in page.more_pages:
                if more not in seen and on_site(_host(more), source.host):
                    seen.add(more)
                    queue.append(more)
        return list(links.values())

    async def _document(self, source: Source, url: str, kind: str, state: _SourceState, title: str,
                        published_on: date | None) -> FetchedDocument | None:
        d = await self._get(url, source, title=title, published_on=published_on)
        self._record(source, kind, d, title, published_on)
        if not d.ok:
            (state.skipped if d.outcome == "refused" else state.errors).append(d.result.error or url)
            return None
        return FetchedDocument(url, d.sha256 or "", d.path or Path(), d.outcome, kind)

    async def _report(self, source: Source, link: ReportLink, state: _SourceState) -> FoundReport | None:
        if is_attachment_url(link.url):
            doc = await self._document(source, link.url, "attachment", state, link.title, link.published_on)
            return FoundReport(source.url, link.url, link.title, link.year, link.published_on, (doc,)) if doc else None
        d = await self._get(link.url, source, title=link.title, published_on=link.published_on)
        if not d.ok:
            self._record(source, "report_page", d, link.title, link.published_on)
            (state.skipped if d.outcome == "refused" else state.errors).append(d.result.error or link.url)
            return None
        page_doc = FetchedDocument(link.url, d.sha256 or "", d.path or Path(), d.outcome, "report_page")
        if detect_format(link.url, d.body or b"") != "html":
            # A report file served under a page-like address (download.jsp?id=…).
            self._record(source, "attachment", d, link.title, link.published_on)
            return FoundReport(source.url, link.url, link.title, link.year, link.published_on, (page_doc,))
        try:
            page = parse_report_page(d.body or b"", d.result.final_url, source, d.result.charset)
        except PageError as exc:
            self._record(source, "report_page", d, link.title, link.published_on)
            state.errors.append(str(exc))
            return None
        published = page.published_on or link.published_on
        self._record(source, "report_page", d, link.title, published)
        wanted = []
        for url in page.attachments:
            try:
                check_url(url, source)
                wanted.append(url)
            except Refused as exc:
                state.skipped.append(str(exc))
        attachments = await asyncio.gather(*(self._document(source, url, "attachment", state, link.title, published)
                                             for url in wanted))
        documents = [a for a in attachments if a is not None]
        if page.has_report or not wanted:
            documents.insert(0, page_doc)
        if not documents:
            return None
        return FoundReport(source.url, link.url, link.title, link.year, published, tuple(documents))


@dataclass(frozen=True)
class Probe:
    source: Source
    links: tuple[ReportLink, ...]
    errors: tuple[str, ...]
    skipped: tuple[str, ...]
    listing_pages: int


async def probe_sources(sources: Sequence[Source], *, resolver: Resolver | None = None) -> list[Probe]:
    """Read every source's listing pages (nothing recorded, nothing kept)."""
    with tempfile.TemporaryDirectory(prefix="nianbao-probe-") as tmp:
        async with Crawler(None, RawStore(tmp), resolver=resolver) as crawler:
            return list(await asyncio.gather(*(crawler.probe_source(s) for s in sources)))


@dataclass
class _SourceState:
    reports: list[FoundReport] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    pages: int = 0


def _host(url: str) -> str:
    return httpx.URL(url).host


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def source_status(result: SourceResult, previous_best: int, previous_success: datetime | None,
                  now: datetime) -> SourceStatus:
    """Health of a source after a pass. Zero reports is `failing`, never green: a source that
    used to yield and now yields nothing has broken (new markup, moved column, blocked crawler)."""
    s = result.source
    found = len(result.reports)
    errors = len(result.errors)
    first_error = result.errors[0] if result.errors else (result.skipped[0] if result.skipped else None)
    if found == 0:
        status = "failing"
        message = (f"found no reports (an earlier pass found {previous_best})" if previous_best
                   else "found no reports") + (f": {first_error}" if first_error else "")
    elif errors:
        status, message = "warn", f"{_count(found, 'report')} found, {_count(errors, 'error')}"
    else:
        status, message = "ok", f"{_count(found, 'report')} found"
    return SourceStatus(
        source_url=s.url, agency=s.agency, region=s.region, status=status, message=message,
        last_run_at=now, last_success_at=now if found else previous_success, reports_found=found,
        best_reports_found=max(found, previous_best), new_since_last_run=result.new_reports, errors=errors,
        last_error=result.errors[-1] if result.errors else None)


RunSource = Callable[[Crawler, Source], Awaitable[SourceResult]]
"""How one source is crawled: Crawler.crawl_source, or a Prefect task around it (flows/crawl.py)."""


async def crawl_source_directly(crawler: Crawler, source: Source) -> SourceResult:
    return await crawler.crawl_source(source)


async def crawl_sources(sources: Sequence[Source], log_: CrawlLog, raw: RawStore, *,
                        resolver: Resolver | None = None,
                        transport: httpx.AsyncBaseTransport | None = None,
                        run_source: RunSource = crawl_source_directly) -> CrawlResult:
    """One pass over every source (concurrently; hosts shared by several sources keep one limit),
    recorded in the crawl log: fetches, found_reports, source_status, crawl_runs."""
    started = time.monotonic()
    async with Crawler(log_, raw, resolver=resolver, transport=transport) as crawler:
        results = await asyncio.gather(*(run_source(crawler, s) for s in sources))
        n_requests = crawler.fetcher.n_requests
    return finish_pass(log_, list(results), n_requests, time.monotonic() - started)


def finish_pass(log_: CrawlLog, results: list[SourceResult], n_requests: int, seconds: float) -> CrawlResult:
    """Write fetches, found_reports, source_status and the crawl_runs totals for a pass."""
    now = utc_now()
    log_.flush()
    previous = log_.previous_statuses()
    log_.con.execute("BEGIN")
    statuses = []
    for result in results:
        log_.save_reports((r.source_url, r.url, r.title, r.year, r.published_on, documents_json(r.documents),
                           r.is_new) for r in result.reports)
        best, last_success = previous.get(result.source.url, (0, None))
        status = source_status(result, best, last_success, now)
        statuses.append(status)
        if status.status == "failing":
            log.warning("%s: %s", result.source.label, status.message)
    log_.save_statuses(statuses)
    counts = log_.con.execute(
        "SELECT count(*) FILTER (WHERE http_status = 200), count(*) FILTER (WHERE http_status = 304) "
        "FROM fetches WHERE crawl_id = ?", [log_.crawl_id]).fetchone()
    crawl = CrawlResult(log_.crawl_id, tuple(results), n_requests, seconds)
    log_.finish(n_requests=n_requests, n_downloaded=counts[0], n_not_modified=counts[1],
                n_reports=len(crawl.reports), n_new_documents=sum(d.changed for d in crawl.documents),
                n_errors=sum(len(r.errors) for r in results), seconds=round(seconds, 3))
    log_.con.execute("COMMIT")
    return crawl
