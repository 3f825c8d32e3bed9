"""Crawl registered portals: the column's list (its pages, data-proxy groups, API pages: listing.py)
-> report links, each read as soon as found -> report pages and their files, every body kept in the
raw store and every request in `fetches`. A source cut by its time limit keeps what it read.

`Crawler.crawl_source` is one source; `crawl_sources` is a whole pass over a registry. Nothing
here parses documents: new documents are handed to the ingest (nianbao.jobs.crawl).
"""

from __future__ import annotations

import asyncio
import json
import logging
import tempfile
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Self

import httpx

from nianbao.fetch.client import Fetcher, Form, Headers, HttpResult, Validators
from nianbao.fetch.guard import Refused, Resolver, check_url, safe_filename
from nianbao.fetch.listing import ListingRequest, read_listing
from nianbao.fetch.pages import PageError, ReportLink, is_attachment_url, parse_report_page
from nianbao.fetch.rawstore import FirstSeen, RawStore
from nianbao.fetch.robots import Robots
from nianbao.fetch.sniff import disposition_filename, is_document, response_kind
from nianbao.fetch.sources import Source
from nianbao.fetch.store import CrawlLog, FetchRecord, SourceStatus, documents_json, utc_now
from nianbao.spec import SPEC

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
    kind: str         # report_page / attachment
    format: str = ""  # what the bytes are (sniff.response_kind): html, pdf, docx, doc, wps, ofd, image

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
    readable: bool = True  # the report is on the page, or a report file came with it

    @property
    def is_new(self) -> bool:
        return any(d.changed for d in self.documents)

    @property
    def old_format(self) -> bool:
        """A report for a year before 2019: the format before the 2019 regulations (stored, marked)."""
        return self.year < SPEC.first_format_year()


@dataclass(frozen=True)
class SourceResult:
    source: Source
    reports: tuple[FoundReport, ...]
    errors: tuple[str, ...]
    skipped: tuple[str, ...]  # links not followed: off-site, private address, robots.txt
    listing_pages: int
    seconds: float
    pending: tuple[ReportLink, ...] = ()   # report links found but not read (the time limit ran out)
    structures: tuple[str, ...] = ()       # the list structures recognised (links, trs-pager, json:gkmlpt …)
    partial: str | None = None             # why the column was not read to the end

    @property
    def new_reports(self) -> int:
        return sum(r.is_new for r in self.reports)

    @property
    def readable_reports(self) -> int:
        return sum(r.readable for r in self.reports)


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
        # Called with every answer (kind, request key, download): `sources add --save-fixture`.
        self.capture: Callable[[str, str, Download], None] | None = None
        # Report links a pass before this one found but could not read (source_status.resume).
        self.resume: dict[str, tuple[ReportLink, ...]] = {}

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
            name = disposition_filename(result.content_disposition) or safe_filename(result.final_url.rsplit("/", 1)[-1])
            stored = self.raw.put(result.body or b"", FirstSeen(
                url=result.url, fetched_at=utc_now(), name=name,
                content_type=result.content_type, published_on=published_on, title=title))
            outcome = "unchanged" if stored.sha256 == previous_sha else "downloaded"
            return Download(result.url, result, result.body, stored.sha256, stored.path, outcome)
        return Download(result.url, result, None, None, None, "refused" if result.refused else "error")

    async def _get(self, url: str, source: Source, *, title: str | None = None, published_on: date | None = None,
                   form: Form | None = None, key: str | None = None, attachment: bool = False,
                   json_body: str | None = None, headers: Headers = ()) -> Download:
        """GET url, conditionally when its body is in the raw store; a 304 gives the stored body.
        With `form` or `json_body`, a POST (never conditional); `key` names it in the crawl log."""
        previous = self.log.previous(key or url) if self.log else None
        stored_body = self.raw.read(previous.sha256, previous.raw_path) if previous else None
        validators = previous.validators if previous and stored_body is not None else Validators()
        result = await self.fetcher.get(url, source, validators=validators, permit=self.robots.permit, form=form,
                                        attachment=attachment, json_body=json_body, headers=headers)
        if result.not_modified and previous and stored_body is not None:
            path = Path(previous.raw_path) if previous.raw_path else self.raw.find(previous.sha256)
            return Download(url, result, stored_body, previous.sha256, path, "not_modified")
        if result.not_modified:
            # 304 without a conditional request from us: ask again for the whole body.
            result = await self.fetcher.get(url, source, permit=self.robots.permit, form=form, attachment=attachment,
                                            json_body=json_body, headers=headers)
        return self._stored(result, previous.sha256 if previous else None, title, published_on)

    def _record(self, source: Source, kind: str, d: Download, title: str | None,
                published_on: date | None, *, key: str | None = None) -> None:
        if self.capture is not None:
            self.capture(kind, key or d.url, d)
        if self.log is None:
            return
        r = d.result
        self.log.record(FetchRecord(
            source_url=source.url, kind=kind, url=key or d.url, final_url=r.final_url, fetched_at=utc_now(),
            http_status=r.status, outcome=d.outcome, sha256=d.sha256, content_type=r.content_type,
            bytes=len(d.body) if d.body is not None else None, etag=r.etag, last_modified=r.last_modified,
            published_on=published_on, title=title, raw_path=str(d.path) if d.path else None,
            attempts=r.attempts, seconds=round(r.seconds, 3), error=r.error))

    # -- one source ---------------------------------------------------------------------------
    async def crawl_source(self, source: Source, resume: Sequence[ReportLink] | None = None) -> SourceResult:
        """The column's list (every page, proxy group and API page of it), then each report link,
        fetched as soon as it is found. At the source's time limit, what was found is kept and the
        links not yet read are returned as `pending` (the next pass starts with them; by default
        those the crawl log holds for this source)."""
        if resume is None:
            resume = self.resume.get(source.url, ())
        started = time.monotonic()
        state = _SourceState()
        tasks: set[asyncio.Task[None]] = set()

        def follow(link: ReportLink) -> None:
            state.pending[link.url] = link
            task = asyncio.create_task(self._report(source, link, state))
            tasks.add(task)

        try:
            async with asyncio.timeout(source.limits.source_time_limit):
                for link in resume:
                    if link.url not in state.links:
                        state.links[link.url] = link
                        follow(link)
                await self._listing(source, state, follow)
                while tasks:
                    done, _ = await asyncio.wait(tasks)
                    tasks -= done
        except TimeoutError:
            state.partial = (f"the source's time limit of {source.limits.source_time_limit:g} s ran out after "
                             f"{_count(state.pages, 'listing page')} and {_count(len(state.reports), 'report')}; "
                             f"{_count(len(state.pending), 'report link')} not yet read are resumed on the next pass")
            state.errors.append(f"{source.url}: {state.partial}")
        finally:
            for task in tasks:
                task.cancel()
            if tasks:
                await asyncio.gather(*tasks, return_exceptions=True)
        if state.links and not state.reports and not state.errors:
            state.errors.append(f"{source.url}: none of the {_count(len(state.links), 'report link')} led to a "
                                "report page or a report file")
        return SourceResult(source, tuple(state.reports), tuple(state.errors), tuple(state.skipped),
                            state.pages, time.monotonic() - started, tuple(state.pending.values()),
                            tuple(dict.fromkeys(state.structures)), state.partial or state.capped)

    async def probe_source(self, source: Source) -> Probe:
        """The listing pages only: how many report links a source shows (`nianbao sources check`)."""
        state = _SourceState()
        try:
            async with asyncio.timeout(source.limits.source_time_limit):
                await self._listing(source, state, lambda link: None)
        except TimeoutError:
            state.errors.append(f"{source.url}: the source's time limit ran out")
        return Probe(source, tuple(state.links.values()), tuple(state.errors), tuple(state.skipped), state.pages,
                     tuple(dict.fromkeys(state.structures)))

    async def _listing(self, source: Source, state: _SourceState, follow: Callable[[ReportLink], None]) -> None:
        """Every request of the column's list: pages, pager guesses confirmed by the server's
        answers, data-proxy groups, API pages, iframes. Report links go to `follow` as found."""
        queue: deque[ListingRequest] = deque([ListingRequest(source.url)])
        seen_keys = {source.url}
        seen_bodies: set[str] = set()
        limits = source.limits

        def enqueue(requests: Sequence[ListingRequest], *, front: bool = False) -> None:
            for req in reversed(requests) if front else requests:
                if req.key in seen_keys or not state.allowed(req.url, source):
                    continue
                seen_keys.add(req.key)
                queue.appendleft(req) if front else queue.append(req)

        while queue:
            if state.pages >= limits.max_pages:
                state.errors.append(f"{source.url}: stopped after {limits.max_pages} listing pages (max_pages)")
                break
            req = queue.popleft()
            state.pages += 1
            d = await self._get(req.url, source, form=req.form, key=req.key, json_body=req.body, headers=req.headers)
            self._record(source, "listing", d, None, None, key=req.key)
            repeated = d.ok and d.sha256 in seen_bodies
            if d.ok and d.sha256:
                seen_bodies.add(d.sha256)
            page = None
            if d.ok and not repeated:
                try:
                    page = read_listing(d.body or b"", req.url, source, d.result.charset, req)
                except PageError as exc:
                    if req.instead is None:
                        state.errors.append(str(exc))
            confirmed = page is not None and (req.instead is None or bool(page.reports) or
                                              req.structure in page.structures)
            if not confirmed:
                if req.instead is not None:
                    enqueue([req.instead], front=True)  # the other numbering
                elif not d.ok:
                    (state.skipped if d.outcome == "refused" else state.errors).append(d.result.error or req.url)
                continue
            assert page is not None
            state.pages_read += 1
            state.structures += page.structures
            state.notes += page.notes
            enqueue(req.then)
            enqueue(page.requests)
            for link in page.reports:
                if link.url in state.links or not state.allowed(link.url, source,
                                                                attachment=is_attachment_url(link.url)):
                    continue
                if len(state.links) >= limits.max_links:
                    state.capped = (f"more than {limits.max_links} report links; only the first {limits.max_links} "
                                    "were read (max_links)")
                    state.errors.append(f"{source.url}: {state.capped}")
                    return
                state.links[link.url] = link
                follow(link)
        if not state.links and state.pages_read:
            what = ", ".join(dict.fromkeys(state.structures)) or "no list structure"
            state.errors.append(f"{source.url}: no report link on {_count(state.pages_read, 'listing page')} "
                                f"(recognised: {what})" + "".join(f"; {n}" for n in state.notes))

    async def _document(self, source: Source, url: str, state: _SourceState, title: str,
                        published_on: date | None) -> FetchedDocument | None:
        """A link of a report page that may serve the report file: kept when the answer is one."""
        d = await self._get(url, source, title=title, published_on=published_on, attachment=True)
        if not d.ok:
            self._record(source, "attachment", d, title, published_on)
            (state.skipped if d.outcome == "refused" else state.errors).append(d.result.error or url)
            return None
        kind = response_kind(d.body or b"", d.result.content_type, d.result.content_disposition, d.result.final_url)
        self._record(source, "attachment" if is_document(kind) else "linked_page", d, title, published_on)
        if not is_document(kind):
            return None
        return FetchedDocument(url, d.sha256 or "", d.path or Path(), d.outcome, "attachment", kind)

    async def _report(self, source: Source, link: ReportLink, state: _SourceState) -> None:
        report = await self._read_report(source, link, state)
        state.pending.pop(link.url, None)
        if report is not None:
            state.reports.append(report)

    async def _read_report(self, source: Source, link: ReportLink, state: _SourceState) -> FoundReport | None:
        d = await self._get(link.url, source, title=link.title, published_on=link.published_on,
                            attachment=is_attachment_url(link.url))
        if not d.ok:
            self._record(source, "report_page", d, link.title, link.published_on)
            (state.skipped if d.outcome == "refused" else state.errors).append(d.result.error or link.url)
            return None
        kind = response_kind(d.body or b"", d.result.content_type, d.result.content_disposition, d.result.final_url)
        if is_document(kind):
            # A report file: linked directly, through a download script, or after a redirect.
            self._record(source, "attachment", d, link.title, link.published_on)
            doc = FetchedDocument(link.url, d.sha256 or "", d.path or Path(), d.outcome, "attachment", kind)
            return FoundReport(source.url, link.url, link.title, link.year, link.published_on, (doc,), True)
        if kind != "html":
            self._record(source, "report_page", d, link.title, link.published_on)
            state.errors.append(f"{link.url}: the answer is {kind}, neither a web page nor a report file")
            return None
        page_doc = FetchedDocument(link.url, d.sha256 or "", d.path or Path(), d.outcome, "report_page", "html")
        try:
            page = parse_report_page(d.body or b"", d.result.final_url, source, d.result.charset)
        except PageError as exc:
            self._record(source, "report_page", d, link.title, link.published_on)
            state.errors.append(str(exc))
            return None
        published = page.published_on or link.published_on
        self._record(source, "report_page", d, link.title, published)
        wanted = [url for url in page.attachments if state.allowed(url, source, attachment=True)]
        attachments = await asyncio.gather(*(self._document(source, url, state, link.title, published)
                                             for url in wanted))
        documents = [a for a in attachments if a is not None]
        if page.has_report or not documents:
            documents.insert(0, page_doc)
        return FoundReport(source.url, link.url, link.title, link.year, published, tuple(documents),
                           page.has_report or any(d.kind == "attachment" for d in documents))


@dataclass(frozen=True)
class Probe:
    source: Source
    links: tuple[ReportLink, ...]
    errors: tuple[str, ...]
    skipped: tuple[str, ...]
    listing_pages: int
    structures: tuple[str, ...] = ()  # the list structures recognised (links, trs-pager, json:gkmlpt …)


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
    pages_read: int = 0
    links: dict[str, ReportLink] = field(default_factory=dict)    # report links found
    pending: dict[str, ReportLink] = field(default_factory=dict)  # ... and not read yet
    structures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    partial: str | None = None
    capped: str | None = None

    def allowed(self, url: str, source: Source, *, attachment: bool = False) -> bool:
        """The guard lets the crawler request url for source (else why not is noted as skipped)."""
        try:
            check_url(url, source, attachment=attachment)
        except Refused as exc:
            self.skipped.append(str(exc))
            return False
        return True


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def source_status(result: SourceResult, previous_best: int, previous_success: datetime | None,
                  now: datetime) -> SourceStatus:
    """Health of a source after a pass, counted from reports actually read (a page with the report
    on it, or a report file), not from links seen. Zero is `failing`, never green: a source that
    used to yield and now yields nothing has broken (new markup, moved column, blocked crawler).
    `partial`: reports were read but the column was not read to the end (time limit, max_links)."""
    s = result.source
    found = result.readable_reports
    links = len(result.reports)
    errors = len(result.errors)
    first_error = result.errors[0] if result.errors else (result.skipped[0] if result.skipped else None)
    if found == 0:
        status = "failing"
        message = (f"found no reports (an earlier pass found {previous_best})" if previous_best
                   else "found no reports")
        if links:
            message += f": {_count(links, 'report link')} followed, none led to a report"
        message += f": {first_error}" if first_error else ""
    elif result.partial:
        status, message = "partial", f"{_count(found, 'report')} found; {result.partial}"
    elif errors:
        status, message = "warn", f"{_count(found, 'report')} found, {_count(errors, 'error')}"
    else:
        status, message = "ok", f"{_count(found, 'report')} found"
    if found and links > found:
        message += f" ({links - found} report links led to no report)"
    return SourceStatus(
        source_url=s.url, agency=s.agency, region=s.region, status=status, message=message,
        last_run_at=now, last_success_at=now if found else previous_success, reports_found=found,
        best_reports_found=max(found, previous_best), new_since_last_run=result.new_reports, errors=errors,
        last_error=result.errors[-1] if result.errors else None,
        resume=resume_json(result.pending) if result.pending else None)


def resume_json(links: Sequence[ReportLink]) -> str:
    return json.dumps([{"url": link.url, "title": link.title, "year": link.year,
                        "published_on": link.published_on.isoformat() if link.published_on else None}
                       for link in links], ensure_ascii=False)


def links_from_resume(text: str | None) -> tuple[ReportLink, ...]:
    if not text:
        return ()
    try:
        return tuple(ReportLink(d["url"], d["title"], int(d["year"]),
                                date.fromisoformat(d["published_on"]) if d.get("published_on") else None)
                     for d in json.loads(text))
    except (ValueError, KeyError, TypeError):
        return ()


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
        crawler.resume = {url: links_from_resume(text) for url, text in log_.resume_states().items()}
        results = await asyncio.gather(*(run_source(crawler, s) for s in sources))
        n_requests = crawler.fetcher.n_requests
    return finish_pass(log_, list(results), n_requests, time.monotonic() - started)


def finish_pass(log_: CrawlLog, results: list[SourceResult], n_requests: int, seconds: float) -> CrawlResult:
    """Write fetches, found_reports, source_status and the crawl_runs totals for a pass."""
    now = utc_now()
    previous = log_.previous_statuses()
    # One transaction: a pass killed while it is recorded leaves no fetches, reports or health of it.
    log_.con.execute("BEGIN")
    log_.flush()
    statuses = []
    for result in results:
        log_.save_reports((r.source_url, r.url, r.title, r.year, r.published_on, documents_json(r.documents),
                           r.is_new, r.readable, r.old_format) for r in result.reports)
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
