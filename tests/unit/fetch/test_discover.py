"""From a homepage to the report column (`nianbao sources discover`), and a column saved as a
replayable fixture (`nianbao sources add --save-fixture`)."""

from __future__ import annotations

import asyncio
import shutil

import pytest
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.fetch.discover import Discovery, discover_columns, script_menu_links
from nianbao.fetch.replay import FixturePortal, load_fixture, save_fixture
from nianbao.fetch.sources import load_registry
from tests.helpers.fixture_portals import PORTALS, crawl_pass, expected_rows, fixture_sources, report_rows


def discover(fixture: str, path: str, agency: str) -> tuple[FixturePortal, Discovery, list[str]]:
    """`sources discover` from `path` of a fixture portal: what it found and the paths it asked for."""
    with FixturePortal(PORTALS / fixture) as portal:
        found = asyncio.run(discover_columns(portal.url(path), agency, allow_private=True))
        return portal, found, [h.path for h in portal.hits]


def test_the_report_column_is_found_from_the_homepage():
    portal, found, paths = discover("homepage", "/index.html", "甲县人民政府")
    (column,) = found.columns
    assert (column.url, column.name, column.report_links, column.years) == (
        portal.url("/zwgk/zfxxgknb/index.html"), "政府信息公开年报", 2, (2023, 2022))
    assert column.found_on == portal.url("/zwgk/index.html")
    # Bounded: robots.txt, the homepage, 政务公开, the column; the 解读 column is not even read.
    assert paths == ["/robots.txt", "/index.html", "/zwgk/index.html", "/zwgk/zfxxgknb/index.html"]


def test_discover_prints_the_entry_and_writes_it(tmp_path):
    sources = tmp_path / "sources.yaml"
    with FixturePortal(PORTALS / "homepage") as portal:
        result = CliRunner().invoke(app, ["sources", "discover", portal.url("/index.html"), "--agency", "甲县人民政府",
                                          "--write", "--sources", str(sources), "--allow-private"])
        column = portal.url("/zwgk/zfxxgknb/index.html")
    assert result.exit_code == 0, result.output
    assert f"- agency: 甲县人民政府\n  url: {column}" in result.output
    assert [(s.agency, s.url) for s in load_registry(sources).sources] == [("甲县人民政府", column)]


def test_a_homepage_without_a_report_column_fails_with_the_reason(tmp_path):
    with FixturePortal(PORTALS / "unreadable") as portal:
        result = CliRunner().invoke(app, ["sources", "discover", portal.url("/nb/index.html"),
                                          "--sources", str(tmp_path / "s.yaml"), "--allow-private"])
    assert result.exit_code == 1
    assert "no annual-report column" in result.output


def test_a_saved_column_replays_to_the_same_reports(tmp_path):
    with FixturePortal(PORTALS / "hanweb_proxy") as portal:
        (source,) = fixture_sources(portal).sources
        expected = asyncio.run(save_fixture(source, tmp_path / "saved"))
    original = load_fixture(PORTALS / "hanweb_proxy")["expected"]
    assert expected["reports"] == expected_rows(original)
    assert expected["requests"] == original["requests"] and expected["errors"] == []
    # The saved folder is a fixture portal of its own, moved elsewhere and served on another port.
    shutil.move(tmp_path / "saved", tmp_path / "moved")
    with FixturePortal(tmp_path / "moved") as replay:
        assert all(portal.base not in p.read_text(encoding="utf-8", errors="ignore")
                   for p in (tmp_path / "moved").iterdir() if p.suffix in (".html", ".xml", ".json"))
        result = crawl_pass(fixture_sources(replay), tmp_path).crawl
        assert report_rows(replay, result.sources[0].reports) == expected["reports"]
        assert result.n_requests == expected["requests"]


def test_a_column_in_a_menu_the_homepage_script_builds_is_found():
    portal, found, paths = discover("homepage_menu", "/index.html", "乙县人民政府")
    (column,) = found.columns
    assert (column.url, column.name, column.found_on, column.report_links, column.years) == (
        portal.url("/zwgk/ndbg/index.html"), "政府信息公开年报", portal.url("/index.html"), 2, (2023, 2022))
    # The menu's 政府信息公开 pages are looked through too (here they answer 404); its 解读 column is not read.
    assert paths == ["/robots.txt", "/index.html", "/zwgk/zn/index.html", "/zwgk/index.html", "/zwgk/ndbg/index.html"]


def test_a_menu_held_in_the_homepages_own_script_file_is_read():
    portal, found, paths = discover("homepage_menu", "/bm/index.html", "乙县教育局")
    (column,) = found.columns
    assert (column.url, column.name, column.report_links, column.years) == (
        portal.url("/bm/xxgk/ndbg/index.html"), "政府信息公开年报", 1, (2023,))
    # menu.js first (its name says menu); jquery, common.js and the off-site script are not read.
    assert paths == ["/robots.txt", "/bm/index.html", "/bm/js/menu.js", "/bm/xxgk/index.html",
                     "/bm/xxgk/ndbg/index.html"]


@pytest.mark.parametrize(("script", "links"), [
    (('var m = [{"name": "首页", "url": "/"}, {"name": "政务公开", "url": "/zwgk/", "children": '
     '[{"name": "政府信息公开年报", "url": "ndbg/"}]}];'),
     [("http://www.a.gov.cn/", "首页"), ("http://www.a.gov.cn/nb/ndbg/", "政府信息公开年报"),
      ("http://www.a.gov.cn/zwgk/", "政务公开")]),
    ("menu.add({title: '工作年报', link: 'http://www.a.gov.cn/gznb/'});", [("http://www.a.gov.cn/gznb/", "工作年报")]),
    ('var c = {"text":"\\u5e74\\u5ea6\\u62a5\\u544a","href":"\\/ndbg\\/index.html"};',
     [("http://www.a.gov.cn/ndbg/index.html", "年度报告")]),
    ("addMenu('信息公开年报', 'xxgk/nb/list.html'); var x = ['年报', '/nb/'];",
     [("http://www.a.gov.cn/nb/xxgk/nb/list.html", "信息公开年报"), ("http://www.a.gov.cn/nb/", "年报")]),
    ('var m = [{"name": "在线访谈", "url": "javascript:void(0)"}, {"id": 3, "url": "/x/"}];', []),
])
def test_menu_entries_in_scripts(script, links):
    assert script_menu_links(script, "http://www.a.gov.cn/nb/index.html") == links


@pytest.mark.parametrize("fixture", ["trs_irs", "epoint_token"])
def test_a_column_behind_a_json_api_is_saved_with_its_json_and_empty_posts(fixture, tmp_path):
    """The IRS search is a JSON POST, the Epoint token an empty POST: saved routes that replay them."""
    with FixturePortal(PORTALS / fixture) as portal:
        (source, *_) = fixture_sources(portal).sources
        expected = asyncio.run(save_fixture(source, tmp_path / "saved"))
    assert expected["reports"] == expected_rows(load_fixture(PORTALS / fixture)["expected"])
    posts = [r for r in load_fixture(tmp_path / "saved")["routes"] if r.get("method") == "POST"]
    assert [r["path"].rsplit("/", 1)[-1] for r in posts] == {
        "trs_irs": ["search", "search"],
        "epoint_token": ["getNoUserAccessToken", "getPageInfoListNew", "getPageInfoListNew"]}[fixture]
    with FixturePortal(tmp_path / "saved") as replay:
        result = crawl_pass(fixture_sources(replay), tmp_path).crawl
        assert report_rows(replay, result.sources[0].reports) == expected["reports"]
        assert result.n_requests == expected["requests"]
