"""Report columns built the way real CMSes build them (tests/files/portals/, docs/portals.md),
crawled from the column URL alone: the exact reports, their dates and files, the structures
recognised, and how many requests it took."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator

import duckdb
import pytest

from nianbao.fetch.listing import read_listing
from nianbao.fetch.replay import FixturePortal, load_fixture
from nianbao.fetch.sources import Source
from nianbao.fetch.store import read_statuses
from tests.helpers.fixture_portals import PORTALS, crawl_pass, expected_rows, fixture_sources, report_rows

STRUCTURES = ["trs_literal", "trs_countpage_gbk", "trs_six_arg", "hanweb_proxy", "hanweb_pagenum", "gkmlpt",
              "json_shells", "gkml_iframe", "attachments_e2e", "epoint_token", "trs_irs"]


@pytest.fixture
def sentinel() -> Iterator[FixturePortal]:
    """Another site on 127.0.0.2 (an empty fixture): any request it receives left the source's site."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.2", 0))
        except OSError:
            pytest.skip("127.0.0.2 is not a loopback address on this system")
    with FixturePortal(PORTALS / "unreadable", "127.0.0.2") as server:
        yield server


@pytest.mark.parametrize("name", STRUCTURES)
def test_each_structure_yields_exactly_its_reports(name, sentinel, tmp_path):
    expected = load_fixture(PORTALS / name)["expected"]
    with FixturePortal(PORTALS / name, offsite=sentinel.base) as portal:
        result = crawl_pass(fixture_sources(portal), tmp_path).crawl
        first, *others = result.sources
        assert report_rows(portal, first.reports) == expected_rows(expected)
        assert set(expected["structures"]) <= set(first.structures)
        assert first.errors == ()
        if "second" in expected:
            (second,) = others
            assert report_rows(portal, second.reports) == expected_rows(expected["second"])
            assert set(expected["second"]["structures"]) <= set(second.structures)
        else:
            # Every request of a one-source crawl: O(listing pages + reports + attachments).
            assert result.n_requests == expected["requests"]
    assert sentinel.hits == []


def test_old_format_reports_are_kept_and_marked(tmp_path):
    with FixturePortal(PORTALS / "trs_literal") as portal:
        run = crawl_pass(fixture_sources(portal), tmp_path)
    (source,) = run.crawl.sources
    assert {r.year: r.old_format for r in source.reports} == {2023: False, 2022: False, 2021: False, 2017: True}
    assert all(r.readable for r in source.reports)
    con = duckdb.connect(str(run.db), read_only=True)
    rows = con.execute("SELECT year, readable, old_format FROM found_reports ORDER BY year").fetchall()
    con.close()
    assert rows == [(2017, True, True), (2021, True, False), (2022, True, False), (2023, True, False)]


@pytest.mark.parametrize(("script", "pages"), [
    ('createPageHTML(3, 0, "index", "html");', ["index_1.html", "index_2.html"]),
    ("var countPage = 3</script><script>createPageHTML(countPage, 0, 'index', 'htm');", ["index_1.htm", "index_2.htm"]),
    ("var currentPage = 1;\nvar countPage = 2 //共多少页\ncreatePageHTML(countPage, currentPage, 'list', 'shtml');",
     ["list_2.shtml"]),
    ("createPageHTML('page_div', 4, 0, 'fwzwgk', 'shtml', 81);", ["fwzwgk_1.shtml", "fwzwgk_2.shtml", "fwzwgk_3.shtml"]),
    (('var countPage = 3; var currentPage = 0; var nextPage = currentPage + 1;'
     'document.write("<a href=\\"index_" + nextPage + ".html\\">下一页</a>");'), ["index_1.html", "index_2.html"]),
    ("function createPageHTML(countPage, currentPage, prefix, suffix) { }", []),   # the definition, not a call
    ('createPageHTML(1, 0, "index", "html");', []),
])
def test_trs_pager_forms(script, pages):
    html = f"<html><body><ul><li>x</li></ul><script>{script}</script></body></html>".encode()
    page = read_listing(html, "http://www.example.gov.cn/nb/index.html", Source("局", "http://www.example.gov.cn/nb/"))
    assert [u.rsplit("/", 1)[-1] for u in page.more_pages] == pages


def test_a_pager_guess_the_server_denies_is_replaced_by_the_other_numbering(tmp_path):
    with FixturePortal(PORTALS / "trs_countpage_gbk") as portal:
        crawl_pass(fixture_sources(portal), tmp_path)
        asked = [(h.path, h.status) for h in portal.hits if "/list" in h.path]
    assert asked == [("/zfxxgk/ndbg/list.shtml", 200), ("/zfxxgk/ndbg/list_1.shtml", 404),
                     ("/zfxxgk/ndbg/list_2.shtml", 200), ("/zfxxgk/ndbg/list_3.shtml", 200)]


def test_the_hanweb_data_proxy_is_asked_as_jpage_asks_it(tmp_path):
    with FixturePortal(PORTALS / "hanweb_proxy") as portal:
        crawl_pass(fixture_sources(portal), tmp_path)
        proxy = [(h.method, h.query, h.status) for h in portal.hits if h.path.endswith("dataproxy.jsp")]
    assert proxy == [("POST", "startrecord=5&endrecord=8&perpage=2", 200),
                     ("POST", "startrecord=9&endrecord=12&perpage=2", 200)]


def test_a_column_with_no_readable_list_is_a_failing_source_with_the_reason(tmp_path):
    with FixturePortal(PORTALS / "unreadable") as portal:
        run = crawl_pass(fixture_sources(portal), tmp_path)
    (source,) = run.crawl.sources
    assert source.reports == ()
    (status,) = read_statuses(run.db)
    assert status.status == "failing"
    assert "no report link on 1 listing page (recognised: no list structure)" in status.message
    assert "looks like a gkmlpt list page, but its configuration lacks sid" in status.message


def test_an_unchanged_portal_recrawled_downloads_nothing_new(tmp_path):
    with FixturePortal(PORTALS / "hanweb_proxy") as portal:
        registry = fixture_sources(portal)
        first = crawl_pass(registry, tmp_path).crawl
        stored = sorted(p.name for p in (tmp_path / "raw").rglob("*") if p.is_file())
        second = crawl_pass(registry, tmp_path).crawl
        statuses = [h.status for h in portal.hits[len(portal.hits) // 2:]]
    assert report_rows(portal, second.reports) == report_rows(portal, first.reports)
    assert sum(d.changed for d in first.documents) == 5
    assert sum(d.changed for d in second.documents) == 0          # nothing for the ingest
    assert sorted(p.name for p in (tmp_path / "raw").rglob("*") if p.is_file()) == stored
    assert statuses.count(304) >= 8                               # conditional GETs answered "not modified"


def test_a_later_page_without_reports_still_confirms_the_numbering():
    """Page 2 of a column may list only notices: its own pager call says it is a page of the series."""
    html = b'<html><body><ul><li><a href="n.html">\xe9\x80\x9a\xe7\x9f\xa5</a></li></ul>' \
           b'<script>createPageHTML(3, 1, "index", "html");</script></body></html>'
    page = read_listing(html, "http://www.example.gov.cn/nb/index_1.html", Source("局", "http://www.example.gov.cn/nb/"))
    assert page.reports == () and page.requests == () and "trs-pager" in page.structures


def test_the_epoint_list_is_asked_with_the_anonymous_token_the_page_fetches_first(tmp_path):
    with FixturePortal(PORTALS / "epoint_token") as portal:
        run = crawl_pass(fixture_sources(portal), tmp_path)
        asked = [(h.method, h.path.rsplit("/", 1)[-1], h.status) for h in portal.hits if "/rest/" in h.path]
    assert asked == [("POST", "getNoUserAccessToken", 200), ("POST", "getPageInfoListNew", 200),
                     ("POST", "getPageInfoListNew", 200)]
    (status,) = read_statuses(run.db)
    assert (status.status, status.reports_found) == ("ok", 3)


def test_without_its_token_the_epoint_list_is_a_failing_source_with_the_reason(tmp_path):
    """The same portal, its page no longer naming the token service: the list API answers 401."""
    folder = tmp_path / "portal"
    shutil.copytree(PORTALS / "epoint_token", folder)
    page = folder / "list.html"
    page.write_text(page.read_text(encoding="utf-8").replace("getNoUserAccessToken", "getToken"), encoding="utf-8")
    with FixturePortal(folder) as portal:
        run = crawl_pass(fixture_sources(portal), tmp_path)
    (source,) = run.crawl.sources
    assert source.reports == ()
    assert source.errors[0] == portal.url("/EpointWebBuilder/rest/frontAppCustomAction/getPageInfoListNew") + ": HTTP 401"
    (status,) = read_statuses(run.db)
    assert status.status == "failing"


def test_a_token_service_answering_without_a_token_names_the_missing_field(tmp_path):
    folder = tmp_path / "portal"
    shutil.copytree(PORTALS / "epoint_token", folder)
    (folder / "token.json").write_text('{"custom": {}, "status": {"code": 500, "text": "应用未授权"}}', encoding="utf-8")
    with FixturePortal(folder) as portal:
        (source,) = crawl_pass(fixture_sources(portal), tmp_path).crawl.sources
    assert source.errors[0] == (portal.url("/EpointWebBuilder/rest/getOauthInfoAction/getNoUserAccessToken") +
                                ": the epoint token service answered without `custom.access_token`; "
                                "the list API cannot be called")


def test_the_trs_search_is_posted_as_json_with_the_configuration_of_the_page_or_its_address():
    url = "http://www.example.gov.cn/so/search.shtml?code=18a7b0c5d22&dataTypeId=7&searchWord=%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A"
    page = read_listing((PORTALS / "trs_irs" / "search.shtml").read_bytes(), url, Source("局", url))
    (request,) = page.requests
    assert (request.url, request.structure, request.form) == ("http://www.example.gov.cn/irs/front/search", "json:trs-irs", None)
    assert json.loads(request.body) == {
        "code": "18a7b0c5d22", "dataTypeId": "7", "searchWord": "年度报告", "historySearchWords": [], "orderBy": "time",
        "searchBy": "all", "appendixType": "", "granularity": "ALL", "beginDateTime": "", "endDateTime": "",
        "isSearchForced": 0, "filters": [], "pageNo": 1, "pageSize": 20}


def test_a_site_search_box_is_not_taken_for_a_search_column():
    """Every page of a TRS site may carry the IRS search box (its code and dataTypeId), not a column."""
    html = ('<html><head><meta charset="utf-8"><script src="/irs-c-web/js/search.js"></script></head><body>'
            '<script>var searchConfig = {code: "18a7b0c5d21", dataTypeId: "241"};</script><ul>'
            '<li><a href="./t20240118_1.html">丑县民政局2023年政府信息公开工作年度报告</a></li></ul></body></html>')
    url = "http://www.example.gov.cn/col/col9/index.html"
    page = read_listing(html.encode(), url, Source("局", url))
    assert [r.url for r in page.reports] == ["http://www.example.gov.cn/col/col9/t20240118_1.html"]
    assert page.requests == () and page.structures == ("links",)
    assert page.notes == ((f"{url}: looks like a trs-irs list page, but its configuration lacks searchword; "
                          "the list API cannot be called"),)
