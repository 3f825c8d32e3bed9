"""A portal built differently (杭州市西湖区 on the mock portal: table rows, titles only in title="",
its own words, its own pagination script, a sidebar linking another agency's report, GBK without
a declaration) is crawled correctly from its sources file alone (data/mock_portal/other_sources.yaml)."""

from __future__ import annotations

from dataclasses import replace

from nianbao.fetch.sources import Registry
from tests.helpers.portal import EXPECTED, crawl, paths, registry


def test_the_other_layout_is_crawled_from_its_sources_file_alone(portal, tmp_path):
    expected = EXPECTED["other_sources.yaml"]
    result = crawl(registry(portal, "other_sources.yaml"), tmp_path)
    (source,) = result.crawl.sources
    assert paths(portal, (r.url for r in source.reports)) == set(expected["reports"])
    assert paths(portal, (d.url for d in result.crawl.documents)) == set(expected["documents"])
    assert not {h.path for h in portal.hits} & set(expected["never_requested"])
    assert source.errors == () and source.listing_pages == 2
    by_year = {r.year: r for r in source.reports}
    assert by_year[2023].title == "杭州市西湖区教育局2023年度信息公开报告"  # the title attribute, not the truncated text
    assert str(by_year[2023].published_on) == "2024-01-22"                # <meta name="PubDate">
    assert str(by_year[2019].published_on) == "2020-01-20"                # the date column of the listing


def test_without_its_hints_the_other_layout_is_not_crawled_right(portal, tmp_path):
    reg = registry(portal, "other_sources.yaml")
    bare = Registry(reg.path, tuple(replace(s, link_xpath=None, title_words=(), pagination=()) for s in reg.sources))
    found = paths(portal, (r.url for r in crawl(bare, tmp_path).crawl.reports))
    assert found != set(EXPECTED["other_sources.yaml"]["reports"])
