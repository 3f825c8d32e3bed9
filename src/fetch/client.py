"""Polite, bounded HTTP GETs (httpx, async): a per-host rate and concurrency limit, retries with
exponential backoff on timeouts, connection errors and 5xx, conditional requests, a size and a
time limit, and redirects followed by hand so every hop passes the guard (nianbao.fetch.guard).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import ssl
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from nianbao.fetch.guard import Refused, Resolver, pinned_url, resolve_checked, system_resolver
from nianbao.fetch.sources import CrawlLimits, Source

log = logging.getLogger("nianbao.fetch")

USER_AGENT = "nianbao/0.1 (annual-report crawler; +https://github.com/nianbao)"
ROBOTS_AGENT = "nianbao"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_BACKOFF = 60.0
DRAIN_BYTES = 64 * 1024


@dataclass(frozen=True)
class Validators:
    """What the server said about the copy we hold, sent back as a conditional request."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        h = {}
        if self.etag:
            h["If-None-Match"] = self.etag
        if self.last_modified:
            h["If-Modified-Since"] = self.last_modified
        return h


@dataclass(frozen=True)
class HttpResult:
    """The end of one fetch (after redirects and retries). body is None unless status is 200."""

    url: str
    final_url: str
    status: int | None
    body: bytes | None = None
    content_type: str | None = None
    content_disposition: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    attempts: int = 0
    seconds: float = 0.0
    error: str | None = None
    refused: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.body is not None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def charset(self) -> str | None:
        if not self.content_type:
            return None
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset":
                return value.strip("\"' ") or None
        return None


@lru_cache(maxsize=1)
def _tls_context() -> ssl.SSLContext:
    """Certificate verification as httpx does it, built once per process (it costs ~50 ms)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class _Retryable(Exception):
    """A failure worth another attempt (timeout, connection error, 5xx)."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class _Failed(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _HostState:
    semaphore: asyncio.Semaphore
    delay: float
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0


class HostLimiter:
    """At most `concurrency` requests in flight per host, and starts at least `delay` apart.
    Several sources on one host share its limit (the strictest setting wins)."""

    def __init__(self) -> None:
        self._hosts: dict[str, _HostState] = {}

    def _state(self, host: str, limits: CrawlLimits) -> _HostState:
        state = self._hosts.get(host)
        if state is None:
            state = self._hosts[host] = _HostState(asyncio.Semaphore(max(1, limits.concurrency)), limits.delay)
        state.delay = max(state.delay, limits.delay)
        return state

    def slow_down(self, host: str, delay: float) -> None:
        """robots.txt Crawl-delay: never faster than the site asks."""
        if host in self._hosts:
            self._hosts[host].delay = max(self._hosts[host].delay, delay)

    @asynccontextmanager
    async def slot(self, host: str, limits: CrawlLimits) -> AsyncIterator[None]:
        state = self._state(host, limits)
        async with state.semaphore:
            async with state.lock:
                wait = state.next_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                state.next_at = time.monotonic() + state.delay
            yield


Form = tuple[tuple[str, str], ...]
"""The fields of a POST, in order (application/x-www-form-urlencoded)."""

Headers = tuple[tuple[str, str], ...]
"""Request headers a portal's own script sends (an API token), in order."""

Permit = Callable[[str, Source], Awaitable[str | None]]
"""permit(url, source) -> None when the URL may be requested, else why not (robots.txt)."""


class Fetcher:
    """GETs for the crawler. Use as `async with Fetcher() as f: await f.get(url, source)`."""

    def __init__(self, *, resolver: Resolver | None = None, limiter: HostLimiter | None = None,
                 user_agent: str = USER_AGENT, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.resolver = resolver or system_resolver
        self.limiter = limiter or HostLimiter()
        self.user_agent = user_agent
        self.n_requests = 0
        # trust_env=False: no proxy from the environment may relay requests the guard checked.
        self._client = httpx.AsyncClient(follow_redirects=False, trust_env=False, transport=transport,
                                         verify=_tls_context(),
                                         headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"})

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def get(self, url: str, source: Source, *, validators: Validators | None = None,
                  permit: Permit | None = None, form: Form | None = None, attachment: bool = False,
                  json_body: str | None = None, headers: Headers = ()) -> HttpResult:
        """Fetch url for source (a POST of `form`, or of the JSON text `json_body`, when given, as a
        portal's list script sends it, with its `headers`; `attachment`: a report file, which may
        be on one of the source's attachment sites).
        Never raises for network or HTTP trouble: the result carries the status and an error in words."""
        limits = source.limits
        started = time.monotonic()
        attempts = 0
        final_url = url
        try:
            async with asyncio.timeout(limits.request_time_limit):
                while True:
                    attempts += 1
                    try:
                        result = await self._follow(url, source, validators, permit, form, attachment,
                                                    json_body, headers)
                        return replace(result, attempts=attempts, seconds=time.monotonic() - started)
                    except _Retryable as exc:
                        if attempts > limits.retries:
                            return HttpResult(url, final_url, exc.status, attempts=attempts,
                                              seconds=time.monotonic() - started,
                                              error=f"{exc} (gave up after {attempts} attempts)")
                        wait = min(MAX_BACKOFF, limits.backoff * 2 ** (attempts - 1))
                        if exc.retry_after is not None:
                            wait = min(MAX_BACKOFF, max(wait, exc.retry_after))
                        log.info("%s: %s; retrying in %.1f s", url, exc, wait)
                        await asyncio.sleep(wait)
        except TimeoutError:
            return HttpResult(url, final_url, None, attempts=attempts, seconds=time.monotonic() - started,
                              error=f"time limit: no complete answer within {limits.request_time_limit:g} s")
        except Refused as exc:
            return HttpResult(url, final_url, None, attempts=attempts, seconds=time.monotonic() - started,
                              error=str(exc), refused=True)
        except _Failed as exc:
            return HttpResult(url, final_url, exc.status, attempts=attempts,
                              seconds=time.monotonic() - started, error=str(exc))

    async def _follow(self, url: str, source: Source, validators: Validators | None,
                      permit: Permit | None, form: Form | None, attachment: bool = False,
                      json_body: str | None = None, extra: Headers = ()) -> HttpResult:
        seen = [url]
        current = url
        while True:
            if permit is not None:
                why = await permit(current, source)
                if why:
                    raise Refused(why)
            address = await resolve_checked(current, source, self.resolver, attachment=attachment)
            posted = form is not None or json_body is not None
            headers = {**(validators.headers() if validators and not posted else {}), **dict(extra)}
            result = await self._request(current, address, source, headers, form, json_body)
            if result.status not in REDIRECT_STATUSES:
                return replace(result, url=url)
            location = result.final_url
            if len(seen) > source.limits.max_redirects:
                raise _Failed(f"{url}: more than {source.limits.max_redirects} redirects", result.status)
            if location in seen:
                raise _Failed(f"{url}: redirect loop ({' -> '.join([*seen, location])})", result.status)
            seen.append(location)
            current = location
            if result.status in (301, 302, 303):
                form = json_body = None  # as browsers do: the redirected request is a GET

    async def _request(self, url: str, address: str, source: Source, headers: dict[str, str],
                       form: Form | None = None, json_body: str | None = None) -> HttpResult:
        """One GET of one hop. A redirect comes back with its Location as final_url."""
        parts = urlsplit(url)
        host = parts.hostname or ""
        headers = {**headers, "Host": parts.netloc.rsplit("@", 1)[-1]}
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        limits = source.limits
        async with self.limiter.slot(host, limits):
            self.n_requests += 1
            try:
                if json_body is not None:
                    headers["Content-Type"] = "application/json;charset=UTF-8"
                request = self._client.build_request(
                    "GET" if form is None and json_body is None else "POST", pinned_url(url, address),
                    headers=headers, extensions=extensions, timeout=httpx.Timeout(limits.timeout),
                    data=dict(form) if form is not None else None,
                    content=json_body.encode("utf-8") if json_body is not None else None)
                response = await self._client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise _Retryable(f"{url}: no answer within {limits.timeout:g} s ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise _Retryable(f"{url}: connection failed ({type(exc).__name__}: {exc})") from None
            try:
                status = response.status_code
                if status != 200:
                    await _drain(response)
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("Location")
                    if not location:
                        raise _Failed(f"{url}: HTTP {status} redirect without a Location", status)
                    return HttpResult(url, urljoin(url, location.strip()), status)
                if status in RETRY_STATUSES:
                    raise _Retryable(f"{url}: HTTP {status}", status, _retry_after(response))
                common = {"content_type": response.headers.get("Content-Type"),
                          "content_disposition": response.headers.get("Content-Disposition"),
                          "etag": response.headers.get("ETag"),
                          "last_modified": response.headers.get("Last-Modified")}
                if status == 304:
                    return HttpResult(url, url, 304, **common)
                if status != 200:
                    raise _Failed(f"{url}: HTTP {status}", status)
                body = await _read_limited(response, url, limits.max_bytes)
                return HttpResult(url, url, 200, body=body, **common)
            except httpx.TimeoutException as exc:
                raise _Retryable(f"{url}: the answer stalled for {limits.timeout:g} s ({type(exc).__name__})") from None
            except httpx.TransportError as exc:
                raise _Retryable(f"{url}: the connection broke ({type(exc).__name__}: {exc})") from None
            finally:
                await response.aclose()


async def _drain(response: httpx.Response) -> None:
    """Read a small non-200 body so the connection can be used again (a closed unread one is dropped)."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) <= DRAIN_BYTES:
        await response.aread()


async def _read_limited(response: httpx.Response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _Failed(f"{url}: {int(declared)} bytes announced, more than the {max_bytes} byte limit", 200)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise _Failed(f"{url}: more than the {max_bytes} byte limit; download abandoned", 200)
        chunks.append(chunk)
    return b"".join(chunks)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
