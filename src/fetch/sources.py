"""The source registry (data/sources.yaml): which portals publish which agency's reports, and the
few per-portal hints and crawl limits that differ from the defaults.

A new portal is a new entry (`nianbao sources add`); a portal that needs other markup, words or
pagination gets hints here, never code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from nianbao.config import default_sources

DEFAULT_SOURCES = default_sources()


class SourcesError(ValueError):
    """The sources file cannot be used; the message names the file, the entry and the problem."""


@dataclass(frozen=True)
class CrawlLimits:
    """Politeness and safety limits. `defaults:` in the sources file sets them for every entry;
    an entry may override any of them for its own portal."""

    delay: float = 1.0                 # seconds between two requests to one host
    concurrency: int = 2               # requests in flight to one host
    retries: int = 3                   # extra attempts after a timeout, connection error or 5xx
    backoff: float = 1.0               # first retry waits this long, then 2x, 4x ...
    timeout: float = 20.0              # seconds to connect, or between two pieces of a response
    request_time_limit: float = 120.0  # seconds for one download, however the bytes trickle in
    source_time_limit: float = 900.0   # seconds for one source's whole crawl
    max_bytes: int = 50 * 1024 * 1024  # larger downloads are abandoned
    max_pages: int = 50                # listing requests per source (pages, proxy groups, API pages)
    max_links: int = 200               # report links read per source; a column with more is `partial`
    max_redirects: int = 5


@dataclass(frozen=True)
class ScriptPagination:
    """Pagination that a script writes instead of links. `pattern` is a regular expression with a
    `count` group (the number of pages) and any other named groups `url` uses; pages 2..count are
    `url` formatted with n = second_page, second_page + 1, … (TRS: index_1.html is page 2)."""

    pattern: str
    url: str
    second_page: int = 1

    def page_urls(self, text: str) -> list[str]:
        m = re.search(self.pattern, text)
        if not m:
            return []
        groups = {k: v for k, v in m.groupdict().items() if v is not None}
        count = int(groups.pop("count"))
        return [self.url.format(n=self.second_page + i, **groups) for i in range(count - 1)]


@dataclass(frozen=True)
class Source:
    """One registry entry: an agency and its annual-report listing page."""

    agency: str
    url: str
    region: str | None = None
    # Hints, only where a portal needs them.
    encoding: str | None = None             # charset when the page does not say (or lies)
    link_xpath: str | None = None           # the listing's links: only <a> inside these elements count
    title_words: tuple[str, ...] = ()       # more words that mark a report title on this portal
    pagination: tuple[ScriptPagination, ...] = ()  # script pagination beyond the known CMSes
    next_page_xpath: str | None = None      # the "next page" link, when its words are unusual
    allow_private: bool = False             # let this portal be on a private/loopback address
    allow_addresses: tuple[str, ...] = ()   # or only these networks (CIDR), e.g. an intranet portal
    attachment_hosts: tuple[str, ...] = ()  # other sites its report files are on (a provincial file server)
    limits: CrawlLimits = field(default_factory=CrawlLimits)

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    @property
    def label(self) -> str:
        return f"{self.agency} <{self.url}>"


@dataclass(frozen=True)
class Registry:
    path: Path | None
    sources: tuple[Source, ...]
    defaults: CrawlLimits = field(default_factory=CrawlLimits)


_LIMIT_KEYS = {f.name: f.type for f in fields(CrawlLimits)}
_SOURCE_KEYS = {"agency", "url", "region", "encoding", "link_xpath", "title_words", "pagination",
                "next_page_xpath", "allow_private", "allow_addresses", "attachment_hosts"}


def _limits(raw: dict[str, Any], base: CrawlLimits, where: str) -> CrawlLimits:
    updates: dict[str, Any] = {}
    for key, value in raw.items():
        kind = int if _LIMIT_KEYS[key] in ("int", int) else float
        try:
            number = kind(value)
        except (TypeError, ValueError):
            raise SourcesError(f"{where}: `{key}` must be a number, not {value!r}") from None
        if number < 0:
            raise SourcesError(f"{where}: `{key}` must not be negative")
        updates[key] = number
    return replace(base, **updates)


def _pagination(raw: Any, where: str) -> tuple[ScriptPagination, ...]:
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for item in items:
        if not isinstance(item, dict) or not {"pattern", "url"} <= set(item):
            raise SourcesError(f"{where}: `pagination` needs `pattern` (with a (?P<count>…) group) and `url`")
        try:
            compiled = re.compile(item["pattern"])
        except re.error as exc:
            raise SourcesError(f"{where}: `pagination.pattern` is not a regular expression: {exc}") from None
        if "count" not in compiled.groupindex:
            raise SourcesError(f"{where}: `pagination.pattern` has no (?P<count>…) group")
        out.append(ScriptPagination(item["pattern"], str(item["url"]), int(item.get("second_page", 1))))
    return tuple(out)


def parse_source(raw: Any, defaults: CrawlLimits, where: str) -> Source:
    """One entry of the sources file -> Source; SourcesError naming `where` if it is wrong."""
    if not isinstance(raw, dict):
        raise SourcesError(f"{where}: an entry must be a mapping with `agency` and `url`")
    unknown = set(raw) - _SOURCE_KEYS - set(_LIMIT_KEYS)
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    agency, url = str(raw.get("agency") or "").strip(), str(raw.get("url") or "").strip()
    if not agency:
        raise SourcesError(f"{where}: `agency` (the agency's full name) is missing")
    check_source_url(url, where)
    where = f"{where} ({agency})"
    return Source(
        agency=agency, url=url, region=raw.get("region"), encoding=raw.get("encoding"),
        link_xpath=raw.get("link_xpath"), title_words=tuple(raw.get("title_words") or ()),
        pagination=_pagination(raw["pagination"], where) if raw.get("pagination") else (),
        next_page_xpath=raw.get("next_page_xpath"), allow_private=bool(raw.get("allow_private", False)),
        allow_addresses=tuple(str(a) for a in raw.get("allow_addresses") or ()),
        attachment_hosts=tuple(str(h).lower() for h in raw.get("attachment_hosts") or ()),
        limits=_limits({k: v for k, v in raw.items() if k in _LIMIT_KEYS}, defaults, where),
    )


def check_source_url(url: str, where: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourcesError(f"{where}: `url` must be an http(s) address of the listing page, not {url!r}")


def parse_registry(data: Any, path: Path | None = None) -> Registry:
    name = str(path) if path else "sources"
    if data is None:
        data = {}
    if isinstance(data, list):
        data = {"sources": data}
    if not isinstance(data, dict):
        raise SourcesError(f"{name}: expected `defaults:` and a `sources:` list")
    unknown = set(data) - {"defaults", "sources"}
    if unknown:
        raise SourcesError(f"{name}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    raw_defaults = data.get("defaults") or {}
    bad = set(raw_defaults) - set(_LIMIT_KEYS)
    if bad:
        raise SourcesError(f"{name}: unknown key(s) in `defaults`: {', '.join(sorted(bad))}")
    defaults = _limits(raw_defaults, CrawlLimits(), f"{name}: defaults")
    sources = [parse_source(entry, defaults, f"{name}: entry {i + 1}")
               for i, entry in enumerate(data.get("sources") or [])]
    seen: dict[str, int] = {}
    for i, s in enumerate(sources):
        if s.url in seen:
            raise SourcesError(f"{name}: entries {seen[s.url] + 1} and {i + 1} have the same url {s.url}")
        seen[s.url] = i
    return Registry(path, tuple(sources), defaults)


def load_registry(path: str | Path = DEFAULT_SOURCES) -> Registry:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourcesError(f"cannot read the sources file {path}: {exc.strerror or exc}") from None
    return parse_registry(_yaml(text, path), path)


def _yaml(text: str, path: Path) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourcesError(f"{path} is not valid YAML: {exc}") from None


def add_source(path: str | Path, agency: str, url: str, region: str | None = None, *,
               allow_private: bool = False) -> Source:
    """Append an entry to the sources file, keeping its comments and layout; returns it.
    allow_private: the entry may be on a private or loopback address (`allow_private: true`)."""
    path = Path(path)
    registry = load_registry(path) if path.exists() else Registry(path, ())
    entry: dict[str, Any] = {"agency": agency}
    if region:
        entry["region"] = region
    entry["url"] = url
    if allow_private:
        entry["allow_private"] = True
    new = parse_source(entry, registry.defaults, f"{path}: new entry")
    if any(s.url == new.url for s in registry.sources):
        raise SourcesError(f"{path} already has an entry for {url}")
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    block = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=200)
    block = "".join("  " + line + "\n" for line in block.splitlines())
    if not re.search(r"^sources:", text, re.MULTILINE):
        text = text.rstrip("\n") + ("\n" if text.strip() else "") + "sources:\n"
    elif re.search(r"^sources:\s*\[\]\s*$", text, re.MULTILINE):
        text = re.sub(r"^sources:\s*\[\]\s*$", "sources:", text, flags=re.MULTILINE)
    updated = text.rstrip("\n") + "\n" + block
    reread = parse_registry(_yaml(updated, path), path)
    if len(reread.sources) != len(registry.sources) + 1 or reread.sources[-1].url != new.url:
        raise SourcesError(f"{path}: `sources:` is not the last part of the file; add the entry by hand")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")
    return new
