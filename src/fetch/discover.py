"""From an agency's homepage (or its 政府信息公开 page) to its annual-report column(s): links and
menus named 政府信息公开年报 / 年度报告 / 工作年报 … on the same site, looked for within a bounded
number of requests, each candidate confirmed by reading it as a column (it must list reports).
`nianbao sources discover` prints the sources.yaml entry it would add.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from urllib.parse import urldefrag, urlsplit

from nianbao.common.text import clean_text
from nianbao.fetch.crawler import Crawler
from nianbao.fetch.guard import Refused, Resolver, check_url
from nianbao.fetch.listing import read_listing
from nianbao.fetch.pages import PageError, is_excluded, link_href, parse_html, report_title
from nianbao.fetch.rawstore import RawStore
from nianbao.fetch.sources import CrawlLimits, Source
from nianbao.vocabulary import VOCAB

COLUMN_WORDS = tuple(clean_text(w) for w in VOCAB.crawl.column_words)
DISCLOSURE_WORDS = tuple(clean_text(w) for w in VOCAB.crawl.disclosure_words)
MAX_REQUESTS = 15        # pages read in all (homepage, disclosure pages, candidate columns)
MAX_DISCLOSURE_PAGES = 3
MAX_CANDIDATES = 5
MAX_LINK_TEXT = 20       # a menu entry is short; a long text is an article title


@dataclass(frozen=True)
class Column:
    """A report column found from a homepage."""

    url: str
    name: str             # the link text that named it
    found_on: str         # the page that links it
    report_links: int     # report links its first page(s) show
    years: tuple[int, ...]


@dataclass(frozen=True)
class Discovery:
    start: str
    columns: tuple[Column, ...]
    pages_read: int
    notes: tuple[str, ...]


def _rank(text: str, words: tuple[str, ...]) -> int | None:
    cleaned = clean_text(text)
    if not cleaned or len(cleaned) > MAX_LINK_TEXT:
        return None
    return next((i for i, w in enumerate(words) if w in cleaned), None)


async def discover_columns(url: str, agency: str = "", *, allow_private: bool = False,
                           resolver: Resolver | None = None, limits: CrawlLimits | None = None) -> Discovery:
    """The report columns reachable from `url` (same site), best first."""
    source = Source(agency=agency or urlsplit(url).hostname or url, url=url, allow_private=allow_private,
                    limits=replace(limits or CrawlLimits(), max_pages=3))
    notes: list[str] = []
    pages = 0
    with tempfile.TemporaryDirectory(prefix="nianbao-discover-") as tmp:
        async with Crawler(None, RawStore(tmp), resolver=resolver) as crawler:

            async def read(page_url: str) -> list[tuple[str, str]] | None:
                """(href, text) of a page's same-site links."""
                nonlocal pages
                pages += 1
                d = await crawler._get(page_url, source)
                if not d.ok:
                    notes.append(d.result.error or f"{page_url}: no answer")
                    return None
                try:
                    root, _ = parse_html(d.body or b"", d.result.final_url, d.result.charset)
                except PageError as exc:
                    notes.append(str(exc))
                    return None
                out = []
                for a in root.iter("a"):
                    href = link_href(a)
                    if href is None:
                        continue
                    try:
                        check_url(href, source)
                    except Refused:
                        continue
                    text = " ".join((a.get("title") or a.text_content()).split())
                    out.append((urldefrag(href)[0], text))
                return out

            candidates: dict[str, tuple[int, str, str]] = {}
            disclosure: dict[str, int] = {}

            def collect(links: list[tuple[str, str]], on: str) -> None:
                for href, text in links:
                    if report_title(text) or is_excluded(text):
                        continue  # one report (or its 解读), not the column
                    rank = _rank(text, COLUMN_WORDS)
                    if rank is not None:
                        best = candidates.get(href)
                        if best is None or rank < best[0]:
                            candidates[href] = (rank, text, on)
                        continue
                    rank = _rank(text, DISCLOSURE_WORDS)
                    if rank is not None and href not in disclosure:
                        disclosure[href] = rank

            first = await read(url)
            if first is None:
                return Discovery(url, (), pages, tuple(notes))
            collect(first, url)
            for href in sorted(disclosure, key=disclosure.__getitem__)[:MAX_DISCLOSURE_PAGES]:
                if len(candidates) >= MAX_CANDIDATES or pages >= MAX_REQUESTS:
                    break
                links = await read(href)
                if links:
                    collect(links, href)

            columns = []
            for href, (_, text, on) in sorted(candidates.items(), key=lambda kv: kv[1][0])[:MAX_CANDIDATES]:
                if pages >= MAX_REQUESTS:
                    notes.append(f"stopped after {MAX_REQUESTS} pages; other candidates were not read")
                    break
                pages += 1
                column = replace(source, url=href)
                d = await crawler._get(href, column)
                if not d.ok:
                    notes.append(d.result.error or href)
                    continue
                try:
                    listing = read_listing(d.body or b"", href, column, d.result.charset)
                except PageError as exc:
                    notes.append(str(exc))
                    continue
                if listing.reports or listing.requests:
                    years = tuple(sorted({r.year for r in listing.reports}, reverse=True))
                    columns.append(Column(href, text, on, len(listing.reports), years))
                else:
                    notes.append(f"{href} ({text}): no report link on it")
    columns.sort(key=lambda c: -c.report_links)
    return Discovery(url, tuple(columns), pages, tuple(notes))
