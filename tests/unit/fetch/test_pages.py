"""Listing and report pages as the crawler reads them: titles, pagination, dates, attachments."""

from __future__ import annotations

from datetime import date

import pytest

from nianbao.fetch.listing import read_listing as parse_listing
from nianbao.fetch.pages import parse_report_page, report_title
from nianbao.fetch.sources import ScriptPagination, Source

SOURCE = Source(agency="测试局", url="http://www.example.gov.cn/nb/index.html")


@pytest.mark.parametrize(("text", "year"), [
    ("舞阳县教育局2021年政府信息公开工作年度报告", 2021),
    ("《平武县2019年度政府信息公开工作报告》", 2019),
    ("2022年度政府信息公开年报", 2022),
    ("西湖区政府信息公开年报（2020年）", 2020),
    ("蒼南縣2022年政府信息公開工作年度報告", 2022),  # Traditional characters
])
def test_report_titles_are_recognised(text, year):
    assert report_title(text) == (text, year)


@pytest.mark.parametrize("text", [
    "关于报送2022年度政府信息公开工作年度报告的通知",
    "图解：2022年政府信息公开工作年度报告解读",
    "2023年政府工作报告",
    "2022年度部门决算",
    "政府信息公开工作年度报告",  # no year
    "关于开展2022年度企业年报公示工作的通知",
])
def test_other_links_are_not_reports(text):
    assert report_title(text) is None


def test_a_portal_may_add_its_own_title_words():
    assert report_title("西湖区教育局2023年度信息公开报告") is None
    assert report_title("西湖区教育局2023年度信息公开报告", ("信息公开报告",)) == ("西湖区教育局2023年度信息公开报告", 2023)


TRS_LISTING = """<html><head><meta charset="utf-8"></head><body><ul>
<li><a href="./202201/t1.html" title="甲局2021年政府信息公开工作年度报告">甲局2021年政府信息公开…</a><span>2022-01-20</span></li>
<li><a href="./202201/t2.html">关于召开会议的通知</a><span>2022-01-07</span></li>
<li><a href="javascript:void(0)">2020年政府信息公开工作年度报告</a></li>
<li><a href="./202201/t1.html#top">甲局2021年政府信息公开工作年度报告</a></li>
</ul><script>createPageHTML(3, 0, "index", "html");</script></body></html>"""


def test_a_trs_listing_gives_its_reports_dates_and_script_pagination():
    page = parse_listing(TRS_LISTING.encode(), SOURCE.url, SOURCE)
    (link,) = page.reports
    assert link.url == "http://www.example.gov.cn/nb/202201/t1.html"
    assert (link.title, link.year, link.published_on) == ("甲局2021年政府信息公开工作年度报告", 2021, date(2022, 1, 20))
    assert page.more_pages == ("http://www.example.gov.cn/nb/index_1.html", "http://www.example.gov.cn/nb/index_2.html")


def test_next_page_links_and_gbk_pages():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
            '<table><tr><td><a href="/nb/a.html">乙局2020年度政府信息公开工作年度报告</a></td><td>2021年1月5日</td></tr></table>'
            '<a href="list_2.html">下一页</a></body></html>')
    page = parse_listing(html.encode("gbk"), SOURCE.url, SOURCE)
    assert [(r.title, r.published_on) for r in page.reports] == [("乙局2020年度政府信息公开工作年度报告", date(2021, 1, 5))]
    assert page.more_pages == ("http://www.example.gov.cn/nb/list_2.html",)


def test_source_hints_choose_the_links_and_the_pagination():
    html = ('<html><body><div class="side"><a href="/other/r.html">丙市2023年政府信息公开工作年度报告</a></div>'
            '<table class="list"><tr><td><a href="/nb/r.html">丁局2023年政府信息公开工作年度报告</a></td></tr></table>'
            '<script>var pageCount = 3;</script></body></html>')
    source = Source(agency="丁局", url=SOURCE.url, link_xpath="//table[@class='list']",
                    pagination=(ScriptPagination(r"pageCount\s*=\s*(?P<count>\d+)", "list_{n}.shtml", 2),))
    page = parse_listing(html.encode(), SOURCE.url, source)
    assert [r.url for r in page.reports] == ["http://www.example.gov.cn/nb/r.html"]
    assert page.more_pages == ("http://www.example.gov.cn/nb/list_2.shtml", "http://www.example.gov.cn/nb/list_3.shtml")


def test_a_report_page_gives_its_date_attachments_and_whether_the_report_is_inline():
    wrapper = ('<html><head><meta name="PubDate" content="2024-01-22 10:30"></head><body>'
               '<p>详见附件：<a href="/files/r.pdf">年度报告.pdf</a> <a href="/files/r.docx">年度报告.docx</a>'
               ' <a href="/about.html">关于我们</a></p></body></html>')
    page = parse_report_page(wrapper.encode(), SOURCE.url, SOURCE)
    assert page.published_on == date(2024, 1, 22)
    assert page.attachments == ("http://www.example.gov.cn/files/r.pdf", "http://www.example.gov.cn/files/r.docx")
    assert not page.has_report
    inline = ('<html><body><div>发布时间：2023年1月18日</div><p>三、收到和处理政府信息公开申请情况</p>'
              '<table><tr><td>1</td></tr></table></body></html>')
    page = parse_report_page(inline.encode(), SOURCE.url, SOURCE)
    assert page.published_on == date(2023, 1, 18) and page.has_report and page.attachments == ()
