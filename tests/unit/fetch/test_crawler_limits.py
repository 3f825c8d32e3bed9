"""The crawl of one column at scale and at its limits: O(N) requests for N reports over many
pages, a cap on report links, a time limit that keeps (and resumes) what was found."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from nianbao.fetch.replay import FixturePortal
from nianbao.fetch.sources import parse_registry
from nianbao.fetch.store import read_statuses
from tests.helpers.fixture_portals import crawl_pass, fixture_sources

REPORT = ('<html><head><meta charset="utf-8"><meta name="PubDate" content="{date}"></head><body><h1>{title}</h1>'
          '<p>三、收到和处理政府信息公开申请情况</p></body></html>')


def trs_column(folder: Path, n_reports: int, per_page: int, *, title: str = "{i}号单位{year}年政府信息公开工作年度报告",
               report_delay: float = 0.0, report_pages: bool = True) -> Path:
    """A TRS column of n_reports over ceil(n/per_page) pages (index.html, index_1.html …)."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = -(-n_reports // per_page)
    routes = []
    for p in range(pages):
        items = []
        for i in range(p * per_page, min(n_reports, (p + 1) * per_page)):
            year = 2000 + i % 24
            t = title.format(i=i, year=year)
            items.append(f'<li><a href="./r/{i}.html">{t}</a><span>{year + 1}-01-15</span></li>')
            if report_pages:
                (folder / f"r{i}.html").write_text(REPORT.format(date=f"{year + 1}-01-15", title=t), encoding="utf-8")
                routes.append({"path": f"/nb/r/{i}.html", "file": f"r{i}.html", "content_type": "text/html",
                               "delay": report_delay})
        name = "index.html" if p == 0 else f"index_{p}.html"
        (folder / name).write_text(f'<html><head><meta charset="utf-8"></head><body><ul>{"".join(items)}</ul>'
                                   f'<script>createPageHTML({pages}, {p}, "index", "html");</script></body></html>',
                                   encoding="utf-8")
        routes.append({"path": f"/nb/{name}", "file": name, "content_type": "text/html"})
    fixture = {"source": {"url": "/nb/index.html", "agency": "测试局"}, "routes": routes}
    (folder / "fixture.yaml").write_text(yaml.safe_dump(fixture, allow_unicode=True), encoding="utf-8")
    return folder


def test_n_reports_over_many_pages_take_one_request_each(tmp_path):
    folder = trs_column(tmp_path / "portal", n_reports=120, per_page=15)
    with FixturePortal(folder) as portal:
        (source,) = (run := crawl_pass(fixture_sources(portal), tmp_path)).crawl.sources
    assert len(source.reports) == 120 and source.listing_pages == 8
    # robots.txt + 8 listing pages + 120 report pages
    assert run.crawl.n_requests == 1 + 8 + 120


def test_report_links_are_capped_and_junk_is_not_health(tmp_path):
    # 1,000 links with report titles whose pages hold no report.
    folder = trs_column(tmp_path / "portal", n_reports=1000, per_page=1000, report_pages=False)
    for i in range(1000):
        (folder / f"junk{i}.html").write_text("<html><body><p>页面建设中</p></body></html>", encoding="utf-8")
    fixture = yaml.safe_load((folder / "fixture.yaml").read_text(encoding="utf-8"))
    fixture["routes"] += [{"path": f"/nb/r/{i}.html", "file": f"junk{i}.html", "content_type": "text/html"}
                          for i in range(1000)]
    (folder / "fixture.yaml").write_text(yaml.safe_dump(fixture, allow_unicode=True), encoding="utf-8")
    with FixturePortal(folder) as portal:
        run = crawl_pass(fixture_sources(portal, max_links=50, concurrency=4), tmp_path)
    (source,) = run.crawl.sources
    assert run.crawl.n_requests == 1 + 1 + 50
    assert len(source.reports) == 50 and source.readable_reports == 0
    (status,) = read_statuses(run.db)
    assert status.status == "failing" and status.reports_found == 0
    assert "50 report links followed, none led to a report" in status.message
    assert "only the first 50 were read (max_links)" in status.message


def test_a_crawl_cut_by_its_time_limit_keeps_what_it_found_and_resumes(tmp_path):
    folder = trs_column(tmp_path / "portal", n_reports=6, per_page=3, report_delay=0.4)
    with FixturePortal(folder) as portal:
        registry = fixture_sources(portal, source_time_limit=1.5, concurrency=1)
        first = crawl_pass(registry, tmp_path)
        (source,) = first.crawl.sources
        (status,) = read_statuses(first.db)
        kept = {r.url for r in source.reports}
        pending = {link.url for link in source.pending}
        assert 1 <= len(kept) < 6 and kept | pending <= {portal.url(f"/nb/r/{i}.html") for i in range(6)}
        assert status.status == "partial" and "resumed on the next pass" in status.message
        assert status.reports_found == len(kept)
        assert {d.url for d in first.crawl.documents} == kept           # handed to the ingest
        time.sleep(0.5)  # the answer the time limit cut short is still logged by the server
        hits_before = len(portal.hits)
        second = crawl_pass(fixture_sources(portal, source_time_limit=30), tmp_path)
        resumed_first = [h.path for h in portal.hits[hits_before:] if h.status == 200][: len(pending)]
    (source2,) = second.crawl.sources
    assert len(source2.reports) == 6 and source2.partial is None
    # The links left unread were asked for first (before the listing pages were read again).
    assert {portal.url(p) for p in resumed_first} == pending
    (status,) = read_statuses(second.db)
    assert status.status == "ok" and status.resume is None


def test_report_files_may_be_on_the_agencys_other_hosts_but_nothing_else_is(tmp_path):
    """www.xian.gov.cn's reports link files on file.xian.gov.cn (the same organisation, another
    server) and on a host its entry names; a file on any other site is never requested."""
    site, files = tmp_path / "site", tmp_path / "files"
    site.mkdir()
    files.mkdir()
    (site / "index.html").write_text(
        '<html><head><meta charset="utf-8"></head><body><ul>'
        '<li><a href="/nb/2023.html">西安区教育局2023年政府信息公开工作年度报告</a></li>'
        '<li><a href="http://cdn.files-example.org:{port}/nb/2022.pdf">西安区教育局2022年政府信息公开工作年度报告</a></li>'
        '<li><a href="http://other.example.net:{port}/nb/2021.pdf">西安区教育局2021年政府信息公开工作年度报告</a></li>'
        '</ul></body></html>', encoding="utf-8")
    (site / "2023.html").write_text(
        '<html><head><meta charset="utf-8"></head><body><p>发布日期：2024-01-20</p>'
        '<a href="http://file.xian.gov.cn:{port}/nb/2023.pdf">2023年报.pdf</a>'
        '<a href="http://other.example.net:{port}/nb/2023.doc">2023年报.doc</a></body></html>', encoding="utf-8")
    routes = [{"path": "/nb/index.html", "file": "index.html", "content_type": "text/html"},
              {"path": "/nb/2023.html", "file": "2023.html", "content_type": "text/html"}]
    (site / "fixture.yaml").write_text(yaml.safe_dump({"routes": routes}), encoding="utf-8")
    (files / "fixture.yaml").write_text(yaml.safe_dump({"routes": [
        {"path": "/nb/2023.pdf", "generate": "pdf"}, {"path": "/nb/2022.pdf", "generate": "pdf"},
        {"path": "/nb/2021.pdf", "generate": "pdf"}, {"path": "/nb/2023.doc", "generate": "doc"}]}), encoding="utf-8")
    www = FixturePortal(site).start()
    port = int(www.base.rsplit(":", 1)[1])
    for name in ("index.html", "2023.html"):  # the pages name the server's port
        text = (site / name).read_text(encoding="utf-8").replace("{port}", str(port))
        (site / name).write_text(text, encoding="utf-8")
    www.stop()
    try:
        file_server = FixturePortal(files, "127.0.0.2", port).start()
    except OSError:
        pytest.skip("127.0.0.2 is not usable as a loopback address here")
    www = FixturePortal(site, "127.0.0.1", port).start()
    hosts = {"www.xian.gov.cn": "127.0.0.1", "file.xian.gov.cn": "127.0.0.2", "cdn.files-example.org": "127.0.0.2",
             "other.example.net": "127.0.0.2"}

    async def resolver(host: str, _port: int) -> list[str]:
        return [hosts[host]]

    registry = parse_registry({"defaults": {"delay": 0, "retries": 0}, "sources": [
        {"agency": "西安区教育局", "url": f"http://www.xian.gov.cn:{port}/nb/index.html", "allow_private": True,
         "attachment_hosts": ["cdn.files-example.org"]}]})
    try:
        run = crawl_pass(registry, tmp_path, resolver=resolver)
    finally:
        www.stop()
        file_server.stop()
    (source,) = run.crawl.sources
    assert sorted((r.year, [d.url.split(":")[1][2:] + ":" + d.format for d in r.documents]) for r in source.reports) == [
        (2022, ["cdn.files-example.org:pdf"]), (2023, ["file.xian.gov.cn:pdf"])]
    assert sorted(h.path for h in file_server.hits) == ["/nb/2022.pdf", "/nb/2023.pdf", "/robots.txt", "/robots.txt"]
    assert sum("other.example.net is not www.xian.gov.cn" in s for s in source.skipped) == 2


@pytest.mark.parametrize("missing", ["soft-404", "same-as-page-1"])
def test_a_guess_answered_with_a_page_that_is_not_page_2_is_not_believed(missing, tmp_path):
    """Some servers answer a missing page with 200: an error page, or the column's first page."""
    folder = trs_column(tmp_path / "portal", n_reports=6, per_page=2)   # index.html, index_1.html, index_2.html
    for p in (1, 2):  # renumber the later pages 1-based: index_2.html, index_3.html
        text = (folder / f"index_{p}.html").read_text(encoding="utf-8").replace(f"createPageHTML(3, {p},", f"createPageHTML(3, {p + 1},")
        (folder / f"page{p + 1}.html").write_text(text, encoding="utf-8")
    (folder / "notfound.html").write_text("<html><body><h1>页面不存在</h1></body></html>", encoding="utf-8")
    fixture = yaml.safe_load((folder / "fixture.yaml").read_text(encoding="utf-8"))
    routes = [r for r in fixture["routes"] if r["path"] not in ("/nb/index_1.html", "/nb/index_2.html")]
    routes += [{"path": "/nb/index_1.html", "file": "notfound.html" if missing == "soft-404" else "index.html",
                "content_type": "text/html"},
               {"path": "/nb/index_2.html", "file": "page2.html", "content_type": "text/html"},
               {"path": "/nb/index_3.html", "file": "page3.html", "content_type": "text/html"}]
    fixture["routes"] = routes
    (folder / "fixture.yaml").write_text(yaml.safe_dump(fixture, allow_unicode=True), encoding="utf-8")
    with FixturePortal(folder) as portal:
        (source,) = crawl_pass(fixture_sources(portal), tmp_path).crawl.sources
        asked = [h.path for h in portal.hits if h.path.startswith("/nb/index")]
    assert len(source.reports) == 6 and source.errors == ()
    assert asked == ["/nb/index.html", "/nb/index_1.html", "/nb/index_2.html", "/nb/index_3.html"]


def test_ten_thousand_report_titled_links_cost_the_default_cap_not_ten_thousand_requests(tmp_path):
    """Issue 16: a listing with 10,000 report-titled links (none of them a report) made 10,002
    requests and said "10000 reports found". With the default `max_links` (200) it costs
    robots.txt + the listing + 200 report links, and the source is failing, not green."""
    folder = trs_column(tmp_path / "portal", n_reports=10_000, per_page=10_000, report_pages=False)
    with FixturePortal(folder) as portal:
        run = crawl_pass(fixture_sources(portal, concurrency=8), tmp_path)
    (source,) = run.crawl.sources
    assert source.source.limits.max_links == 200
    assert run.crawl.n_requests == 1 + 1 + 200
    assert source.readable_reports == 0
    (status,) = read_statuses(run.db)
    assert (status.status, status.reports_found) == ("failing", 0)
    assert "only the first 200 were read (max_links)" in status.message
