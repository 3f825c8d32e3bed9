"""The safety and politeness guards, each against the real mock portal. Every test here fails
when its guard is removed: the forbidden request then reaches a server, or the oversized or
never-ending download is kept."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from nianbao.fetch.client import Fetcher
from nianbao.fetch.mock_portal import MockPortal
from tests.helpers.portal import crawl, one_source, paths


def _reached(server: MockPortal, prefix: str = "/") -> list[str]:
    return [h.path for h in server.hits if h.path.startswith(prefix)]


# ------------------------------------------------------------------------------ SSRF

def test_a_source_on_a_loopback_address_is_not_requested_unless_allowed(portal, tmp_path):
    result = crawl(one_source(portal.url("/wuyang/jyj/nb/index.html")), tmp_path)
    assert portal.hits == []
    (source,) = result.crawl.sources
    assert source.reports == ()
    assert "loopback address" in " ".join(source.skipped)


def test_a_host_name_that_resolves_to_loopback_is_not_requested(portal, tmp_path):
    url = portal.url("/wuyang/jyj/nb/index.html").replace("127.0.0.1", "localhost")
    result = crawl(one_source(url), tmp_path)
    assert portal.hits == []
    assert "resolves to" in " ".join(result.crawl.sources[0].skipped)


def test_every_resolved_address_is_checked_not_only_the_first(portal, tmp_path):
    async def resolver(host: str, port: int) -> list[str]:
        return {"portal.test": ["127.0.0.1", "10.1.2.3"]}[host]

    port = portal.base.rsplit(":", 1)[1]
    reg = one_source(f"http://portal.test:{port}/wuyang/jyj/nb/index.html", allow_addresses=["127.0.0.1/32"])
    result = crawl(reg, tmp_path, resolver=resolver)
    assert portal.hits == []
    assert "10.1.2.3 is a private address" in " ".join(result.crawl.sources[0].skipped)


@pytest.fixture
def internal_host(portal):
    """files.portal.test: an internal host on 127.0.0.2, on the portal's port (same site, same port)."""
    port = int(portal.base.rsplit(":", 1)[1])
    try:
        inside = MockPortal("127.0.0.2", port).start()
    except OSError:
        pytest.skip("127.0.0.2 is not usable as a loopback address here")
    portal.config.faults["/test/ssrf/2021.html"] = {
        "redirect": f"http://files.portal.test:{port}/test/robots/2022.html"}

    async def resolver(host: str, _port: int) -> list[str]:
        return {"portal.test": ["127.0.0.1"], "files.portal.test": ["127.0.0.2"]}[host]

    yield inside, resolver, port
    inside.stop()


def test_a_redirect_to_a_private_address_on_a_subdomain_is_not_followed(portal, internal_host, tmp_path):
    inside, resolver, port = internal_host
    reg = one_source(f"http://portal.test:{port}/test/ssrf/index.html", allow_addresses=["127.0.0.1/32"])
    result = crawl(reg, tmp_path, resolver=resolver)
    assert "/test/ssrf/2021.html" in _reached(portal)  # the redirect itself was requested ...
    assert inside.hits == []                            # ... but not where it pointed
    (source,) = result.crawl.sources
    assert source.reports == ()
    assert "files.portal.test resolves to 127.0.0.2" in " ".join(source.skipped)


def test_every_redirect_hop_is_checked_by_the_fetcher_itself(portal, internal_host):
    # Without robots.txt (whose own fetch is guarded too): the hop check alone stops it.
    inside, resolver, port = internal_host
    (source,) = one_source(f"http://portal.test:{port}/", allow_addresses=["127.0.0.1/32"]).sources

    async def get() -> object:
        async with Fetcher(resolver=resolver) as fetcher:
            return await fetcher.get(f"http://portal.test:{port}/test/ssrf/2021.html", source)

    result = asyncio.run(get())
    assert result.refused and "127.0.0.2" in result.error
    assert inside.hits == []


# ------------------------------------------------------------------------------ size

def test_downloads_over_the_size_limit_are_abandoned_and_not_kept(portal, tmp_path):
    reg = one_source(portal.url("/test/size/index.html"), allow_private=True, max_bytes=1_000_000)
    result = crawl(reg, tmp_path)
    (source,) = result.crawl.sources
    assert paths(portal, (r.url for r in source.reports)) == {"/test/size/small.pdf"}
    errors = " ".join(source.errors)
    assert "3000000 bytes announced, more than the 1000000 byte limit" in errors  # Content-Length
    assert "more than the 1000000 byte limit; download abandoned" in errors      # chunked, no length
    kept = [p for p in (tmp_path / "raw").rglob("*") if p.is_file()]
    assert kept and max(p.stat().st_size for p in kept) < 1_000_000


# ------------------------------------------------------------------------------ time

def test_a_download_that_trickles_in_is_stopped_at_the_time_limit(portal, tmp_path):
    # Each byte arrives well within the read timeout; only the time limit ends the download.
    reg = one_source(portal.url("/test/time/index.html"), allow_private=True, request_time_limit=1.0, timeout=5)
    started = time.monotonic()
    result = crawl(reg, tmp_path)
    elapsed = time.monotonic() - started
    (source,) = result.crawl.sources
    assert elapsed < 5, f"the crawl took {elapsed:.1f} s; the drip lasts 20 s"
    assert paths(portal, (r.url for r in source.reports)) == {"/test/size/small.pdf"}
    assert "time limit: no complete answer within 1 s" in " ".join(source.errors)


def test_a_source_stops_at_its_own_time_limit(portal, tmp_path):
    reg = one_source(portal.url("/test/time/index.html"), allow_private=True, source_time_limit=1.0)
    started = time.monotonic()
    result = crawl(reg, tmp_path)
    assert time.monotonic() - started < 5
    assert "time limit of 1 s ran out" in " ".join(result.crawl.sources[0].errors)


# ------------------------------------------------------------------------------ robots.txt

def test_paths_robots_txt_disallows_are_never_requested(portal, tmp_path):
    reg = one_source(portal.url("/test/robots/index.html"), allow_private=True)
    result = crawl(reg, tmp_path)
    (source,) = result.crawl.sources
    assert paths(portal, (r.url for r in source.reports)) == {"/test/robots/2022.html"}
    assert _reached(portal, "/test/robots-blocked/") == []
    assert "disallowed by" in " ".join(source.skipped)
    assert _reached(portal)[0] == "/robots.txt"


def test_a_site_whose_robots_txt_cannot_be_read_is_not_crawled(portal, tmp_path):
    portal.config.faults["/robots.txt"] = {"fail_first": 100, "status": 503}
    reg = one_source(portal.url("/test/robots/index.html"), allow_private=True, retries=1)
    result = crawl(reg, tmp_path)
    assert set(_reached(portal)) == {"/robots.txt"}
    assert "could not be read" in " ".join(result.crawl.sources[0].skipped)


# ------------------------------------------------------------------------------ politeness

def test_requests_to_one_host_keep_the_delay_and_the_concurrency_limit(portal, tmp_path):
    reg = one_source(portal.url("/test/many/index.html"), allow_private=True, delay=0.1, concurrency=1)
    result = crawl(reg, tmp_path)
    assert len(result.crawl.sources[0].reports) == 8
    assert portal.state.max_in_flight == 1
    starts = sorted(h.at - (0.15 if h.path.startswith("/test/many/2") else 0) for h in portal.hits)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= 0.09


def test_concurrency_per_host_is_used_but_not_exceeded(portal, tmp_path):
    reg = one_source(portal.url("/test/many/index.html"), allow_private=True, delay=0, concurrency=3)
    started = time.monotonic()
    result = crawl(reg, tmp_path)
    assert len(result.crawl.sources[0].reports) == 8
    assert portal.state.max_in_flight == 3
    assert time.monotonic() - started < 8 * 0.15  # faster than one at a time


def test_server_errors_are_retried_with_exponential_backoff(portal, tmp_path):
    portal.config.faults["/test/size/small.pdf"] = {"fail_first": 2, "status": 503, "big": 1000}
    reg = one_source(portal.url("/test/size/index.html"), allow_private=True, backoff=0.2, max_bytes=10_000)
    result = crawl(reg, tmp_path)
    tries = [h for h in portal.hits if h.path == "/test/size/small.pdf"]
    assert [h.status for h in tries] == [503, 503, 200]
    assert tries[1].at - tries[0].at >= 0.19 and tries[2].at - tries[1].at >= 0.39
    assert paths(portal, (r.url for r in result.crawl.sources[0].reports)) == {"/test/size/small.pdf"}


def test_retries_give_up_after_the_configured_attempts(portal, tmp_path):
    portal.config.faults["/test/size/small.pdf"] = {"fail_first": 100, "status": 500}
    reg = one_source(portal.url("/test/size/index.html"), allow_private=True, retries=2, max_bytes=10_000)
    result = crawl(reg, tmp_path)
    assert len([h for h in portal.hits if h.path == "/test/size/small.pdf"]) == 3
    assert "HTTP 500 (gave up after 3 attempts)" in " ".join(result.crawl.sources[0].errors)
