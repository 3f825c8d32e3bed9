"""From an agency's homepage (or its 政府信息公开 page) to its annual-report column(s): links and
menus named 政府信息公开年报 / 年度报告 / 工作年报 … on the same site — <a> links, and menus a
script builds from data (objects or string pairs in the page's scripts or its own script files) —
looked for within a bounded number of requests, each candidate confirmed by reading it as a
column (it must list reports). `nianbao sources discover` prints the sources.yaml entry it would add.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass, replace
from urllib.parse import urldefrag, urljoin, urlsplit

from nianbao.common.encoding import UndecodableError, decode_bytes
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
MAX_SCRIPTS = 3          # of the homepage's own script files, read when its page names no column
MENU_NAME_KEYS = frozenset(VOCAB.crawl.menu_name_keys)
MENU_URL_KEYS = frozenset(VOCAB.crawl.menu_url_keys)
MENU_SCRIPT_WORDS = VOCAB.crawl.menu_script_words
MENU_SCRIPT_SKIP = VOCAB.crawl.menu_script_skip

_STRING = r"(?:\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*')"
_PAIR = re.compile(r"[\"']?([A-Za-z_]\w*)[\"']?\s*:\s*(" + _STRING + ")")
_INNERMOST = re.compile(r"\{[^{}]*\}")
_ADJACENT = re.compile(r"(" + _STRING + r")\s*,\s*(" + _STRING + ")")
_ADDRESS = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|php|aspx?)(?:[?#]|$)|/$", re.IGNORECASE)


def _literal(token: str) -> str:
    """A JavaScript string literal's value (\\uXXXX and \\/ escapes read as JSON reads them)."""
    inner = token[1:-1]
    if token[0] == "'":
        inner = inner.replace("\\'", "'").replace('"', '\\"')
    try:
        return json.loads('"' + inner + '"')
    except json.JSONDecodeError:
        return inner


def script_menu_links(script: str, base: str) -> list[tuple[str, str]]:
    """(address, name) of the menu entries a script holds as data: objects with a name field and
    an address field (crawl.yaml menu_name_keys / menu_url_keys), at any depth of nesting, and
    adjacent string pairs of a short name and an address (['年报', '/nb/'], addMenu('年报', '/nb/')).
    Addresses resolve against `base`, the page that runs the script."""
    out: list[tuple[str, str]] = []

    def add(name: str, address: str) -> None:
        name, address = " ".join(name.split()), address.strip()
        if name and address and not address.lower().startswith(("javascript:", "#", "mailto:")):
            out.append((urldefrag(urljoin(base, address))[0], name))

    text = script
    while True:  # innermost objects first, then the objects that held them
        objects = _INNERMOST.findall(text)
        if not objects:
            break
        for obj in objects:
            fields = {k: _literal(v) for k, v in _PAIR.findall(obj)}
            name = next((fields[k] for k in fields if k in MENU_NAME_KEYS), None)
            address = next((fields[k] for k in fields if k in MENU_URL_KEYS), None)
            if name is not None and address is not None:
                add(name, address)
        text = _INNERMOST.sub("0", text)
    for first, second in _ADJACENT.findall(script):
        a, b = _literal(first), _literal(second)
        if len(a) <= MAX_LINK_TEXT and _ADDRESS.search(b) and not _ADDRESS.search(a):
            add(a, b)
    return out


def _menu_script_order(src: str) -> int | None:
    """Where a script file comes in the order of reading (menu-like names first); None: never."""
    name = urlsplit(src).path.rsplit("/", 1)[-1].lower()
    if not name.endswith(".js") or any(w in name for w in MENU_SCRIPT_SKIP):
        return None
    return 0 if any(w in name for w in MENU_SCRIPT_WORDS) else 1


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

            scripts: list[str] = []  # the homepage's own script files

            def same_site(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
                out = []
                for href, text in links:
                    try:
                        check_url(href, source)
                    except Refused:
                        continue
                    out.append((href, text))
                return out

            async def read(page_url: str) -> list[tuple[str, str]] | None:
                """(href, text) of a page's same-site links and script-built menu entries."""
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
                links = []
                for a in root.iter("a"):
                    href = link_href(a)
                    if href is not None:
                        links.append((urldefrag(href)[0], " ".join((a.get("title") or a.text_content()).split())))
                for script in root.xpath("//script[not(@src)]"):
                    links += script_menu_links(script.text or "", d.result.final_url)
                if page_url == url:
                    for src in root.xpath("//script/@src"):
                        src = urldefrag(urljoin(d.result.final_url, src.strip()))[0]
                        if _menu_script_order(src) is not None and src not in scripts and same_site([(src, "")]):
                            scripts.append(src)
                return same_site(links)

            async def read_script(src: str) -> list[tuple[str, str]]:
                nonlocal pages
                pages += 1
                d = await crawler._get(src, source)
                if not d.ok:
                    notes.append(d.result.error or f"{src}: no answer")
                    return []
                try:
                    text = decode_bytes(d.body or b"", d.result.charset)[0]
                except UndecodableError:
                    notes.append(f"{src}: the script cannot be read as text")
                    return []
                return same_site(script_menu_links(text, url))  # a script's addresses are the page's

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
            if not candidates:  # the menu may be built by one of the homepage's own script files
                ordered = sorted(scripts, key=lambda s: _menu_script_order(s) or 0)
                for src in ordered[:MAX_SCRIPTS]:
                    collect(await read_script(src), url)
                    if candidates:
                        break
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
