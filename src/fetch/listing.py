"""A report column's list, read the way the portal's own pages read it: links on the page, TRS
WCM script pagers (createPageHTML, document.write), Hanweb JCMS datastores and their data proxy,
JSON list APIs behind an application shell (gkmlpt, jpaas, Epoint with its anonymous token, TRS
海云 search), same-site iframes.

`read_listing` turns one answer into report links and the further requests of the column. The
names of functions, variables, settings and JSON fields are data (crawl.yaml, VOCAB.crawl);
nothing here knows a particular site. docs/portals.md shows each structure.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

import lxml.html
from lxml import etree

from nianbao.common.encoding import UndecodableError, decode_bytes
from nianbao.common.text import parse_date
from nianbao.fetch.client import Form, Headers
from nianbao.fetch.guard import on_site
from nianbao.fetch.pages import PageError, ReportLink, next_page_links, parse_html, report_links, report_title
from nianbao.fetch.sources import Source
from nianbao.vocabulary import VOCAB, JsonApiToken, JsonApiWords

PAGER_FUNCTIONS = tuple(VOCAB.crawl.pager_functions)
PAGER_COUNT_VARS = tuple(VOCAB.crawl.pager_count_vars)
PAGER_CURRENT_VARS = tuple(VOCAB.crawl.pager_current_vars)
JPAGE = VOCAB.crawl.jpage_settings


@dataclass(frozen=True)
class TokenStep:
    """An anonymous token the page's script asks for before it calls the list API (Epoint's
    getNoUserAccessToken), sent with every list request as `headers` ({token} in them)."""

    url: str
    path: str
    headers: tuple[tuple[str, str], ...]
    form: tuple[tuple[str, str], ...] = ()  # a POST of these fields (none: an empty POST)
    when: tuple[re.Pattern[str], ...] = ()  # only when the page names one of these (else always)

    @classmethod
    def from_spec(cls, words: JsonApiToken) -> TokenStep:
        return cls(url=words.url, path=words.path, headers=tuple(words.headers.items()),
                   form=tuple(words.form.items()), when=tuple(re.compile(w) for w in words.when))


@dataclass(frozen=True)
class JsonApi:
    """One entry of crawl.yaml `json_apis`, its patterns compiled (and its token step)."""

    name: str
    marks: tuple[re.Pattern[str], ...]
    config: tuple[re.Pattern[str], ...]
    url: str
    form: tuple[tuple[str, str], ...] = ()
    json: str | None = None                  # a JSON body template (POST application/json) instead of a form
    defaults: tuple[tuple[str, str], ...] = ()
    first_page: int = 1
    records: tuple[str, ...] = ("records",)  # where the records are (the first path that holds them)
    total: str | None = None
    title: tuple[str, ...] = ("title",)
    link: tuple[str, ...] = ("url",)
    date: tuple[str, ...] = ("date",)
    attachments: tuple[str, ...] = ()
    token: TokenStep | None = None

    @classmethod
    def from_spec(cls, words: JsonApiWords) -> JsonApi:
        return cls(
            name=words.name, marks=tuple(re.compile(m) for m in words.marks),
            config=tuple(re.compile(c) for c in words.config), url=words.url,
            form=tuple(words.form.items()), json=words.json, defaults=tuple(words.defaults.items()),
            first_page=words.first_page, records=words.records, total=words.total, title=words.title,
            link=words.link, date=words.date, attachments=words.attachments,
            token=TokenStep.from_spec(words.token) if words.token else None)

    def fields(self) -> set[str]:
        templates = [self.url, *(v for _, v in self.form), *([self.json] if self.json else [])]
        if self.token:
            templates += [self.token.url, *(v for _, v in self.token.form)]
        return {name for t in templates for name in re.findall(r"(?<!\{)\{(\w+)\}(?!\})", t)} - {"page"}


JSON_APIS = tuple(JsonApi.from_spec(raw) for raw in VOCAB.crawl.json_apis)
_APIS = {api.name: api for api in JSON_APIS}


@dataclass(frozen=True)
class ListingRequest:
    """A further request of the column's list.

    reader: how to read the answer (html, datastore: a Hanweb data-proxy answer, or a JSON API's
    name). then: requests that follow once this one has answered (the rest of a page series whose
    numbering this one confirms). instead: what to try when this one does not answer (the other
    numbering of a TRS pager: index_1 vs list_2)."""

    url: str
    form: Form | None = None
    reader: str = "html"
    structure: str = "links"
    params: tuple[tuple[str, str], ...] = ()
    then: tuple[ListingRequest, ...] = ()
    instead: ListingRequest | None = None
    body: str | None = None  # a JSON body (POST application/json) instead of a form
    headers: Headers = ()    # sent with it (an API token); not part of its key

    @property
    def key(self) -> str:
        """What makes two requests the same (a POST's fields or body are part of it)."""
        if self.body is not None:
            return f"{self.url}#json:{self.body}"
        return self.url if self.form is None else f"{self.url}#post:{urlencode(self.form)}"

    def param(self, name: str, default: str = "") -> str:
        return dict(self.params).get(name, default)


@dataclass(frozen=True)
class ListingPage:
    reports: tuple[ReportLink, ...]
    requests: tuple[ListingRequest, ...]  # further requests of the column's list
    off_links: int                        # links looked at that were not reports
    structures: tuple[str, ...] = ()      # what was recognised (links, trs-pager, hanweb-datastore, json:gkmlpt …)
    notes: tuple[str, ...] = ()           # structures recognised but unusable, in words

    @property
    def more_pages(self) -> tuple[str, ...]:
        """The URLs of the further requests (their first guesses), in order."""
        out: list[str] = []
        for r in self.requests:
            out += [r.url, *(t.url for t in r.then)]
        return tuple(dict.fromkeys(out))


@dataclass
class _Found:
    reports: dict[str, ReportLink] = field(default_factory=dict)
    requests: list[ListingRequest] = field(default_factory=list)
    structures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    others: int = 0

    def add_links(self, links: dict[str, ReportLink], others: int, structure: str) -> None:
        for url, link in links.items():
            self.reports.setdefault(url, link)
        self.others += others
        if links and structure not in self.structures:
            self.structures.append(structure)

    def page(self) -> ListingPage:
        return ListingPage(tuple(self.reports.values()), tuple(self.requests), self.others,
                           tuple(dict.fromkeys(self.structures)), tuple(self.notes))


def read_listing(data: bytes, url: str, source: Source, charset: str | None = None,
                 request: ListingRequest | None = None) -> ListingPage:
    """Report links and further requests in one answer of the column. `url` is the address asked
    for (with its #fragment: gkmlpt names the column there); relative links resolve against it."""
    reader = request.reader if request else "html"
    if reader == TOKEN_READER:
        return _read_token_answer(data, url, charset, request)  # type: ignore[arg-type]
    if reader == "datastore":
        return _read_datastore_answer(data, url, source, charset, request)  # type: ignore[arg-type]
    if reader in _APIS:
        return _read_api_answer(data, url, source, charset, request, _APIS[reader])  # type: ignore[arg-type]
    return _read_html(data, url, source, charset)


# -- HTML pages -------------------------------------------------------------------------------
def _read_html(data: bytes, url: str, source: Source, charset: str | None) -> ListingPage:
    page_url = urldefrag(url)[0]
    root, text = parse_html(data, page_url, source.encoding or charset)
    found = _Found()
    links, others = report_links(root, page_url, source)
    found.add_links(links, others, "links")
    _datastore(text, page_url, source, found)
    _trs_pager(text, page_url, found)
    for pagination in source.pagination:
        urls = [urljoin(page_url, u) for u in pagination.page_urls(text)]
        found.requests += [ListingRequest(u, structure="source-pagination") for u in urls]
    nexts = [u for u in next_page_links(root, page_url, source) if u != page_url]
    found.requests += [ListingRequest(u, structure="next-link") for u in nexts]
    for frame in root.xpath("//iframe[@src]|//frame[@src]"):
        src = urldefrag(frame.get("src") or "")[0]
        if src.startswith(("http://", "https://")) and on_site(urlsplit(src).hostname or "", source.host) \
                and src != page_url:
            found.requests.append(ListingRequest(src, structure="iframe"))
            found.structures.append("iframe")
    _json_apis(text, url, found)
    if any(r.structure == "next-link" for r in found.requests):
        found.structures.append("next-link")
    return found.page()


def _script_vars(text: str) -> dict[str, str]:
    """`var name = value` (numbers and quoted strings) in the page's scripts; the first one wins."""
    out: dict[str, str] = {}
    for m in re.finditer(r"\b(?:var\s+|let\s+|const\s+)?([A-Za-z_]\w*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(-?\d+))\s*(?:[;,\n/<]|$)",
                         text):
        name = m.group(1)
        value = next(v for v in m.groups()[1:] if v is not None)
        out.setdefault(name, value)
    return out


def _arguments(raw: str, variables: dict[str, str]) -> list[str | int] | None:
    """The arguments of a script call as values; None when one cannot be known."""
    out: list[str | int] = []
    for token in re.findall(r"\"[^\"]*\"|'[^']*'|[^,]+", raw):
        token = token.strip()
        if not token:
            continue
        if token[0] in "\"'":
            out.append(token[1:-1])
        elif re.fullmatch(r"-?\d+", token):
            out.append(int(token))
        elif re.fullmatch(r"[A-Za-z_]\w*", token) and token in variables:
            value = variables[token]
            out.append(int(value) if re.fullmatch(r"-?\d+", value) else value)
        else:
            return None
    return out


def _pager_call(args: list[str | int]) -> tuple[int, int, str, str] | None:
    """(count, current, prefix, suffix) of createPageHTML's 4-argument or 6-argument form."""
    if args and isinstance(args[0], str) and len(args) >= 5:
        args = args[1:]  # the container id comes first in newer templates
    if len(args) >= 4 and isinstance(args[0], int) and isinstance(args[1], int) \
            and isinstance(args[2], str) and isinstance(args[3], str):
        return args[0], args[1], args[2], args[3]
    return None


def _trs_pager(text: str, url: str, found: _Found) -> None:
    variables = _script_vars(text)
    calls: list[tuple[int, int, str, str]] = []
    for function in PAGER_FUNCTIONS:
        for m in re.finditer(r"(?<![\w.])" + re.escape(function) + r"\s*\(([^()]*)\)", text):
            if re.search(r"function\s*$", text[max(0, m.start() - 12): m.start()]):
                continue  # the definition, not a call
            args = _arguments(m.group(1), variables)
            call = _pager_call(args) if args is not None else None
            if call:
                calls.append(call)
    count_var = next((variables[v] for v in PAGER_COUNT_VARS if v in variables and variables[v].isdigit()), None)
    if not calls and count_var is not None:
        # document.write("<a href=\"index_" + nextPage + ".html\">下一页</a>")
        m = re.search(r"[\"'/]([\w-]+)_\\?[\"']\s*\+\s*\(?\s*[A-Za-z_]\w*[^\"']*?\+\s*[\"']\.(s?html?)\b", text)
        if m:
            current = next((variables[v] for v in PAGER_CURRENT_VARS if v in variables), "0")
            calls.append((int(count_var), int(current) if current.lstrip("-").isdigit() else 0, m.group(1), m.group(2)))
    for count, current, prefix, suffix in calls[:1]:
        if count <= 1:
            return
        found.structures.append("trs-pager")  # also on a later page: it confirms a guessed page number
        name = urlsplit(url).path.rsplit("/", 1)[-1]
        if re.fullmatch(re.escape(prefix) + r"_\d+\." + re.escape(suffix), name):
            return  # a later page of the series: the first page set it up
        base = 1 if current == 1 else 0
        guess = [urljoin(url, f"{prefix}_{n}.{suffix}") for n in range(base + 1, base + count)]
        other_base = 1 - base
        other = [urljoin(url, f"{prefix}_{n}.{suffix}") for n in range(other_base + 1, other_base + count)]
        fallback = ListingRequest(other[0], structure="trs-pager",
                                  then=tuple(ListingRequest(u, structure="trs-pager") for u in other[1:]))
        found.requests.append(ListingRequest(
            guess[0], structure="trs-pager", instead=fallback,
            then=tuple(ListingRequest(u, structure="trs-pager") for u in guess[1:])))


# -- Hanweb JCMS datastores -------------------------------------------------------------------
_DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.DOTALL | re.IGNORECASE)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.DOTALL | re.IGNORECASE)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.DOTALL | re.IGNORECASE)


def _setting(text: str, names: tuple[str, ...]) -> int | None:
    for name in names:
        m = re.search(r"\b" + re.escape(name) + r"\b[\"']?\s*[:=]\s*[\"']?(\d+)", text)
        if m:
            return int(m.group(1))
    return None


def _records(store: str, url: str, source: Source, found: _Found) -> int:
    records = _RECORD.findall(store)
    for record in records:
        try:
            fragment = lxml.html.fragment_fromstring(record, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        fragment.make_links_absolute(url, handle_failures="discard")
        links, others = report_links(fragment, url, source)
        found.add_links(links, others, "hanweb-datastore")
    return len(records)


def _proxy_request(nextgroup: str, url: str, start: int, per_page: int, group: int,
                   total: int | None, content_type: int | None = None) -> ListingRequest | None:
    m = re.search(r"href\s*=\s*[\"']([^\"']+)[\"']", nextgroup)
    if not m:
        return None
    target = urljoin(url, m.group(1).replace("&amp;", "&"))
    parts = urlsplit(target)
    fields = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() != "page"]
    # jpage.js adds these to the fields its nextgroup link names (the page may set the second).
    if not any(k == "col" for k, _ in fields):
        fields.insert(0, ("col", "1"))
    if not any(k == "sourceContentType" for k, _ in fields):
        fields.append(("sourceContentType", str(content_type or 1)))
    proxy = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    end = start + per_page * group - 1
    query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
    params = (("proxy", proxy), ("start", str(start)), ("per_page", str(per_page)), ("group", str(group)),
              ("total", "" if total is None else str(total)))
    return ListingRequest(f"{proxy}?{query}", tuple(fields), "datastore", "hanweb-proxy", params)


def _datastore(text: str, url: str, source: Source, found: _Found) -> None:
    m = _DATASTORE.search(text)
    if not m:
        return
    store = m.group(1)
    found.structures.append("hanweb-datastore")
    n = _records(store, url, source, found)
    per_page = _setting(text, JPAGE.per_page) or max(n, 1)
    total = _setting(text, JPAGE.total)
    group = _setting(text, JPAGE.group) or max(1, math.ceil(n / per_page))
    nextgroup = _NEXTGROUP.search(store)
    if nextgroup and (total is None or n < total):
        request = _proxy_request(nextgroup.group(1), url, n + 1, per_page, group, total,
                                 _setting(text, JPAGE.content_type))
        if request is not None:
            found.requests.append(request)
            return
    if total and total > n and "pageNum=" not in url:
        # Column pages rendered by the server: ?uid=<unit>&pageNum=N.
        unit = _setting(text, JPAGE.unit)
        if unit is None:
            before = text[: m.start()]
            ids = re.findall(r"<div[^>]*\bid=[\"'](\d+)[\"']", before)
            unit = int(ids[-1]) if ids else None
        if unit is None:
            found.notes.append(f"{url}: a Hanweb list of {total} records shows {n}, but names neither a data "
                               "proxy nor a unit id; the rest cannot be requested")
            return
        pages = math.ceil(total / per_page)
        urls = [f"{url.split('?', 1)[0]}?uid={unit}&pageNum={k}" for k in range(2, pages + 1)]
        found.requests.append(ListingRequest(urls[0], structure="hanweb-pagenum",
                                             then=tuple(ListingRequest(u, structure="hanweb-pagenum") for u in urls[1:])))


def _decode(data: bytes, url: str, charset: str | None) -> str:
    try:
        return decode_bytes(data, charset)[0]
    except UndecodableError as exc:
        raise PageError(f"{url}: the answer cannot be read as text ({exc})") from None


def _read_datastore_answer(data: bytes, url: str, source: Source, charset: str | None,
                           request: ListingRequest) -> ListingPage:
    text = _decode(data, url, charset)
    m = _DATASTORE.search(text)
    if not m:
        raise PageError(f"{url}: the Hanweb data proxy answered without a <datastore>")
    found = _Found()
    n = _records(m.group(1), url, source, found)
    if "hanweb-datastore" in found.structures:
        found.structures = ["hanweb-proxy"]
    total_text = request.param("total")
    total = int(total_text) if total_text else _setting(m.group(1), ("totalrecord",))
    start, per_page, group = (int(request.param(k)) for k in ("start", "per_page", "group"))
    asked = per_page * group
    nxt = start + asked
    if n and (nxt <= total if total is not None else n >= asked):
        proxy = request.param("proxy")
        query = urlencode({"startrecord": nxt, "endrecord": nxt + asked - 1, "perpage": per_page})
        params = tuple((k, str(nxt) if k == "start" else v) for k, v in request.params)
        found.requests.append(ListingRequest(f"{proxy}?{query}", request.form, "datastore", "hanweb-proxy", params))
    return found.page()


# -- JSON list APIs ---------------------------------------------------------------------------
TOKEN_READER = "token"
_STEP_PARAMS = ("page_url", "page", "seen", "api")  # a request's own params, not the page's configuration


def _json_apis(text: str, url: str, found: _Found) -> None:
    haystack = url + "\n" + text  # the page's own address first: a search page is configured by its query
    for api in JSON_APIS:
        if not any(m.search(haystack) for m in api.marks):
            continue
        values = dict(api.defaults)
        for pattern in api.config:
            m = pattern.search(haystack)
            if m:  # percent-decoded: the configuration may be in the page's own URL (…&searchWord=%E5%B9%B4…)
                values.update({k: unquote(v) for k, v in m.groupdict().items() if v is not None})
        missing = sorted(api.fields() - set(values))
        if missing:
            found.notes.append(f"{url}: looks like a {api.name} list page, but its configuration lacks "
                               f"{', '.join(missing)}; the list API cannot be called")
            continue
        found.structures.append(f"json:{api.name}")
        page_url = urldefrag(url)[0]
        token = api.token
        if token is not None and (not token.when or any(w.search(haystack) for w in token.when)):
            target = urljoin(page_url, token.url.format(**values))
            form = tuple((k, v.format(**values)) for k, v in token.form)
            params = (("api", api.name), ("page_url", page_url), *sorted(values.items()))
            found.requests.append(ListingRequest(target, form, TOKEN_READER, f"json:{api.name}", params))
        else:
            found.requests.append(_api_request(api, page_url, values, api.first_page))


def _json_text(value: str) -> str:
    """value as the inside of a JSON string (for a JSON body template)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


def _api_request(api: JsonApi, page_url: str, values: dict[str, str], page: int, seen: int = 0,
                 headers: Headers = ()) -> ListingRequest:
    filled = {**values, "page": str(page)}
    target = urljoin(page_url, api.url.format(**filled))
    form = tuple((k, v.format(**filled)) for k, v in api.form) or None
    body = api.json.format(**{k: _json_text(v) for k, v in filled.items()}) if api.json else None
    params = (("page_url", page_url), ("page", str(page)), ("seen", str(seen)), *sorted(values.items()))
    return ListingRequest(target, form, api.name, f"json:{api.name}", params, body=body, headers=headers)


def _read_token_answer(data: bytes, url: str, charset: str | None, request: ListingRequest) -> ListingPage:
    """The token service's answer -> the list API's first request, with the token in its headers."""
    api = _APIS[request.param("api")]
    assert api.token is not None
    try:
        answer = json.loads(_decode(data, url, charset or "utf-8"))
    except json.JSONDecodeError as exc:
        raise PageError(f"{url}: the {api.name} token service did not answer JSON ({exc.msg})") from None
    token = _path(answer, api.token.path)
    if not isinstance(token, str) or not token:
        raise PageError(f"{url}: the {api.name} token service answered without `{api.token.path}`; "
                        "the list API cannot be called")
    headers = tuple((k, v.format(token=token)) for k, v in api.token.headers)
    values = {k: v for k, v in request.params if k not in _STEP_PARAMS}
    first = _api_request(api, request.param("page_url"), values, api.first_page, headers=headers)
    return ListingPage((), (first,), 0, (request.structure,))


def _path(data: Any, dotted: str | None) -> Any:
    if not dotted:
        return None
    for part in dotted.split("."):
        if isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data


def _first(record: dict[str, Any], names: tuple[str, ...]) -> Any:
    """The first of the fields (dotted names reach into nested objects) that has a value."""
    return next((v for v in (_path(record, n) for n in names) if v not in (None, "", [])), None)


def _record_date(value: Any) -> date | None:
    if isinstance(value, (int, float)) and value > 10**8:  # a Unix time (seconds or milliseconds)
        from datetime import UTC, datetime

        return datetime.fromtimestamp(value / 1000 if value > 10**11 else value, UTC).date()
    return parse_date(str(value)) if value is not None else None


def _attachment_urls(value: Any, base: str) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    out = []
    for item in items:
        href = item if isinstance(item, str) else _first(item, ("url", "file_url", "path", "href", "link")) \
            if isinstance(item, dict) else None
        if isinstance(href, str) and href.strip():
            out.append(urljoin(base, href.strip()))
    return out


def _read_api_answer(data: bytes, url: str, source: Source, charset: str | None, request: ListingRequest,
                     api: JsonApi) -> ListingPage:
    text = _decode(data, url, charset or "utf-8")
    try:
        answer = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PageError(f"{url}: the {api.name} list API did not answer JSON ({exc.msg} at character {exc.pos})") \
            from None
    found = _Found()
    records = next((r for r in (_path(answer, p) for p in api.records) if isinstance(r, (list, str))), None)
    page_url = request.param("page_url") or url
    n = 0
    if isinstance(records, str):  # HTML list items inside the JSON
        fragment = lxml.html.fragment_fromstring(records or "<i></i>", create_parent="div")
        fragment.make_links_absolute(page_url, handle_failures="discard")
        links, others = report_links(fragment, page_url, source)
        found.add_links(links, others, request.structure)
        n = len(fragment.xpath(".//a"))
    elif isinstance(records, list):
        n = len(records)
        for record in records:
            if not isinstance(record, dict):
                continue
            title = _first(record, api.title)
            # Search services mark the words matched: <em>年度报告</em>.
            named = report_title(re.sub(r"<[^>]*>", "", str(title)), source.title_words) if title else None
            if named is None:
                found.others += 1
                continue
            link = _first(record, api.link)
            targets = ([urljoin(page_url, str(link))] if link else []) + \
                _attachment_urls(_first(record, api.attachments), page_url)
            if not targets:
                found.notes.append(f"{url}: the record {named[0]!r} has no link or attachment")
                continue
            found.add_links({targets[0]: ReportLink(targets[0], named[0], named[1],
                                                    _record_date(_first(record, api.date)))}, 0, request.structure)
    else:
        raise PageError(f"{url}: the {api.name} answer has no `{' / '.join(api.records)}` list")
    if request.structure not in found.structures:
        found.structures.append(request.structure)
    total = _path(answer, api.total)
    page = int(request.param("page", str(api.first_page)))
    seen = int(request.param("seen", "0")) + n
    if n and (not isinstance(total, int) or seen < total):
        values = {k: v for k, v in request.params if k not in _STEP_PARAMS}
        found.requests.append(_api_request(api, page_url, values, page + 1, seen, request.headers))
    return found.page()
