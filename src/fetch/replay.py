"""Fixture portals: a folder of saved answers (fixture.yaml + files) served on loopback exactly
as the portal answered, matched by path, query and POST fields. Hand-written portals of each CMS
structure (tests/files/portals/) and `sources add --save-fixture` captures use the same format.

fixture.yaml:
    source: {url: /col/index.html, agency: 某县人民政府}   # the column, on this server
    routes:
      - path: /col/index.html            # what the request must be ...
        query: {uid: "4725"}              # ... (these parameters, if given)
        method: POST                      # ... (GET when not given)
        form: {columnid: "1234"}          # ... (these POST fields, or top-level fields of a JSON body)
        request_headers: {Authorization: Bearer abc}  # ... (sent with these headers, if given)
        file: col_index.html              # the answer's body (under the folder)
        encoding: gbk                     # the file is UTF-8 text, served in this encoding
        generate: pdf                     # or a small body of this kind (pdf, docx, doc, wps)
        content_type: text/html; charset=gbk
        headers: {Content-Disposition: attachment; filename="年报.pdf"}
        status: 302                       # with redirect: /elsewhere
        delay: 0.5                        # a slow answer
    expected: …                           # what a crawl must find (read by the tests)
In text answers __BASE__ becomes this server's address (absolute links of the saved site).
"""

from __future__ import annotations

import email.utils
import hashlib
import io
import json
import threading
import time
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml

from nianbao.fetch.mock_portal import LoopbackServer, QuietHandler

BASE_PLACEHOLDER = "__BASE__"
OFFSITE_PLACEHOLDER = "__OFFSITE__"  # another site's address (never to be requested)
FIXTURE_FILE = "fixture.yaml"
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript")


def generated_body(kind: str, label: str) -> bytes:
    """A small file with the real signature of `kind` (what the crawler sniffs), naming `label`."""
    if kind == "pdf":
        return b"%PDF-1.4\n% " + label.encode() + b"\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    if kind == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("word/document.xml", f"<w:document><w:body><w:p><w:t>{label}</w:t></w:p></w:body></w:document>")
        return buffer.getvalue()
    if kind in ("doc", "wps"):
        return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + label.encode().ljust(504, b"\0")
    raise ValueError(f"cannot generate a body of kind {kind!r} (pdf, docx, doc, wps)")


@dataclass(frozen=True)
class Route:
    path: str
    method: str = "GET"
    query: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] = ()
    status: int = 200
    body: bytes = b""
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    redirect: str | None = None
    delay: float = 0.0  # seconds before a full answer (a slow portal; a 304 is quick)
    request_headers: tuple[tuple[str, str], ...] = ()

    def matches(self, method: str, path: str, query: dict[str, str], form: dict[str, str],
                headers: dict[str, str] | None = None) -> bool:
        sent = {k.lower(): v for k, v in (headers or {}).items()}
        return (self.method == method and self.path == path and all(query.get(k) == v for k, v in self.query)
                and all(form.get(k) == v for k, v in self.form)
                and all(sent.get(k.lower()) == v for k, v in self.request_headers))

    @property
    def conditions(self) -> int:
        return len(self.query) + len(self.form) + len(self.request_headers)


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    query: str
    status: int
    conditional: bool


def json_fields(text: str) -> dict[str, str]:
    """The top-level fields of a JSON body as text (1 -> "1"), as routes name them; {} if not an object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for k, v in data.items()}


def load_routes(folder: Path, base: str, offsite: str = "http://127.0.0.2:9") -> list[Route]:
    data = yaml.safe_load((folder / FIXTURE_FILE).read_text(encoding="utf-8")) or {}
    routes = []
    for i, raw in enumerate(data.get("routes") or []):
        where = f"{folder / FIXTURE_FILE}: route {i + 1}"
        if "path" not in raw:
            raise ValueError(f"{where} has no `path`")
        body = b""
        if "file" in raw:
            body = (folder / raw["file"]).read_bytes()
        elif "generate" in raw:
            body = generated_body(raw["generate"], raw["path"])
        ctype = raw.get("content_type")
        if body and (raw.get("encoding") or (ctype and ctype.startswith(_TEXT_TYPES)) or
                     str(raw.get("file", "")).endswith((".html", ".htm", ".shtml", ".json", ".xml", ".jsp"))):
            try:
                text = body.decode(raw.get("source_encoding", "utf-8"))
            except UnicodeDecodeError:
                text = None
            if text is not None:
                text = text.replace(BASE_PLACEHOLDER, base).replace(OFFSITE_PLACEHOLDER, offsite)
                body = text.encode(raw.get("encoding") or raw.get("source_encoding", "utf-8"))
        routes.append(Route(
            path=raw["path"], method=str(raw.get("method", "GET")).upper(),
            query=tuple((k, str(v)) for k, v in (raw.get("query") or {}).items()),
            form=tuple((k, str(v)) for k, v in (raw.get("form") or {}).items()),
            status=int(raw.get("status", 200)), body=body, content_type=ctype,
            headers=tuple((k, str(v)) for k, v in (raw.get("headers") or {}).items()),
            redirect=raw.get("redirect"), delay=float(raw.get("delay", 0)),
            request_headers=tuple((k, str(v)) for k, v in (raw.get("request_headers") or {}).items())))
    return routes


def load_fixture(folder: str | Path) -> dict[str, Any]:
    return yaml.safe_load((Path(folder) / FIXTURE_FILE).read_text(encoding="utf-8")) or {}


@dataclass
class _State:
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class FixturePortal(LoopbackServer):
    """`with FixturePortal(folder) as portal: portal.url("/col/index.html")`."""

    thread_name = "fixture-portal"

    def __init__(self, folder: str | Path, host: str = "127.0.0.1", port: int = 0, *,
                 offsite: str = "http://127.0.0.2:9") -> None:
        self.folder = Path(folder)
        self.state = _State()
        super().__init__(host, port, _handler_for(self))
        self.routes = load_routes(self.folder, self.base, offsite)
        self.mtime = int(max(p.stat().st_mtime for p in self.folder.iterdir()))

    @property
    def hits(self) -> list[Hit]:
        with self.state.lock:
            return list(self.state.hits)

    def route(self, method: str, path: str, query: dict[str, str], form: dict[str, str],
              headers: dict[str, str] | None = None) -> Route | None:
        # The most specific route that matches (most query, form and header conditions).
        matching = [r for r in self.routes if r.matches(method, path, query, form, headers)]
        return max(matching, key=lambda r: r.conditions) if matching else None


def _handler_for(portal: FixturePortal) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        server_version = "FixturePortal/1.0"

        def do_GET(self) -> None:
            self._respond("GET", {})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            if "json" in (self.headers.get("Content-Type") or ""):
                self._respond("POST", json_fields(raw))
            else:
                self._respond("POST", dict(parse_qsl(raw, keep_blank_values=True)))

        def _respond(self, method: str, form: dict[str, str]) -> None:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            route = portal.route(method, parts.path, query, form, dict(self.headers.items()))
            conditional = bool(self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"))

            def hit(status: int) -> None:
                with portal.state.lock:
                    portal.state.hits.append(Hit(method, parts.path, parts.query, status, conditional))

            if route is None:
                hit(404)
                return self._send(404, "<html><body><h1>404 页面不存在</h1></body></html>".encode(),
                                  {"Content-Type": "text/html; charset=utf-8"})
            if route.redirect:
                hit(route.status if route.status != 200 else 302)
                location = route.redirect if "://" in route.redirect else portal.base + route.redirect
                return self._send(route.status if route.status != 200 else 302, headers={"Location": location})
            headers = dict(route.headers)
            if route.content_type:
                headers["Content-Type"] = route.content_type
            if route.status != 200:
                hit(route.status)
                return self._send(route.status, route.body, headers)
            etag = '"' + hashlib.sha256(route.body).hexdigest()[:20] + '"'
            if method == "GET":
                headers["ETag"] = etag
                headers["Last-Modified"] = email.utils.formatdate(portal.mtime, usegmt=True)
                if_none_match = self.headers.get("If-None-Match")
                if if_none_match and etag in [t.strip() for t in if_none_match.split(",")]:
                    hit(304)
                    return self._send(304, headers={"ETag": etag})
            if route.delay:
                time.sleep(route.delay)
            hit(200)
            self._send(200, route.body, headers)

    return Handler


# -- recording a portal -----------------------------------------------------------------------
class FixtureRecorder:
    """Every answer of one crawl (Crawler.capture), written as a fixture folder: each body once,
    the site's own address replaced by __BASE__ in text answers, redirects kept as redirects."""

    def __init__(self, folder: str | Path, origin: str) -> None:
        self.folder = Path(folder)
        self.origin = origin.rstrip("/")
        self.routes: list[dict[str, Any]] = []
        self._keys: set[tuple[str, str, str]] = set()

    def _local(self, url: str) -> str:
        return url.replace(self.origin, "") if url.startswith(self.origin) else url

    def __call__(self, kind: str, key: str, download: Any) -> None:
        from nianbao.fetch.guard import safe_filename
        from nianbao.fetch.sniff import response_kind

        url, json_mark, body = key.partition("#json:")
        if not json_mark:
            url, _, body = key.partition("#post:")
        parts = urlsplit(url)
        method = "POST" if body or json_mark or "#post:" in key else "GET"
        ident = (method, parts.path + "?" + parts.query, body)
        if ident in self._keys:
            return
        self._keys.add(ident)
        route: dict[str, Any] = {"path": parts.path}
        if parts.query:
            route["query"] = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "POST":
            route["method"] = "POST"
            fields = json_fields(body) if json_mark else dict(parse_qsl(body, keep_blank_values=True))
            if fields:
                route["form"] = fields
        result = download.result
        final = result.final_url
        if final != result.url and download.body is not None:
            # Keep the redirect: relative links of the answer resolve against where it ended.
            self.routes.append({**route, "status": 302, "redirect": self._local(final)})
            final_parts = urlsplit(final)
            route = {"path": final_parts.path}
            if final_parts.query:
                route["query"] = dict(parse_qsl(final_parts.query, keep_blank_values=True))
        if download.body is None:
            if result.status is not None:
                self.routes.append({**route, "status": result.status})
            return
        body: bytes = download.body
        fmt = response_kind(body, result.content_type, result.content_disposition, final)
        name = f"{len(self.routes) + 1:03d}_{safe_filename(parts.path.rsplit('/', 1)[-1] or 'index')}"
        if fmt in ("html", "json", "xml", "txt") and not name.endswith((".html", ".json", ".xml", ".txt")):
            name += "." + ("html" if fmt == "html" else fmt)
        if fmt in ("html", "json", "xml", "txt"):
            for charset in (result.charset, "utf-8", "gb18030"):
                try:
                    text = body.decode(charset or "utf-8")
                except (UnicodeDecodeError, LookupError):
                    continue
                text = text.replace(self.origin, BASE_PLACEHOLDER).replace(
                    self.origin.replace("/", "\\/"), BASE_PLACEHOLDER.replace("/", "\\/"))
                (self.folder / name).write_text(text, encoding="utf-8")
                if (charset or "utf-8").lower().replace("-", "") not in ("utf8",):
                    route["encoding"] = charset
                break
            else:
                (self.folder / name).write_bytes(body)
        else:
            (self.folder / name).write_bytes(body)
        route["file"] = name
        if result.content_type:
            route["content_type"] = result.content_type
        if result.content_disposition:
            route["headers"] = {"Content-Disposition": result.content_disposition}
        self.routes.append(route)

    def write(self, source: dict[str, Any], expected: dict[str, Any]) -> Path:
        path = self.folder / FIXTURE_FILE
        head = ("# Saved by `nianbao sources add --save-fixture`: every answer of one crawl of the column,\n"
                "# replayable by nianbao.fetch.replay.FixturePortal; `expected` is what that crawl found.\n")
        data = {"source": source, "routes": self.routes, "expected": expected}
        path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
        return path


async def save_fixture(source: Any, folder: str | Path, *, resolver: Any = None) -> dict[str, Any]:
    """Crawl `source` once, keeping every answer under `folder` (fixture.yaml + bodies) with the
    list of reports found; returns the fixture's `expected` block."""
    import tempfile

    from nianbao.fetch.crawler import Crawler
    from nianbao.fetch.rawstore import RawStore

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    parts = urlsplit(source.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    recorder = FixtureRecorder(folder, origin)
    with tempfile.TemporaryDirectory(prefix="nianbao-fixture-") as tmp:
        async with Crawler(None, RawStore(tmp), resolver=resolver) as crawler:
            crawler.capture = recorder
            result = await crawler.crawl_source(source)
            n_requests = crawler.fetcher.n_requests

    def local(url: str) -> str:
        return recorder._local(url)

    expected = {
        "reports": sorted(({"url": local(r.url), "title": r.title, "year": r.year, "published_on": r.published_on,
                            "documents": [[local(d.url), d.format] for d in r.documents]} for r in result.reports),
                          key=lambda r: r["url"]),
        "structures": list(result.structures),
        "requests": n_requests,
        "errors": [e.replace(origin, "") for e in result.errors],
    }
    local_url = local(source.url)
    recorder.write({"url": local_url, "agency": source.agency}, expected)
    return expected
