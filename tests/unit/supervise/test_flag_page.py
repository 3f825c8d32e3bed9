"""`nianbao show --html`'s page: the report's structure notes under 结构说明, in Chinese, with
where each is (issue 13)."""

from __future__ import annotations

import re

import duckdb

from nianbao.supervise.flag_page import render_flag_page
from nianbao.warehouse.queries import report_view


def test_the_page_lists_the_structure_notes_in_chinese(web_demo_db):
    with duckdb.connect(str(web_demo_db), read_only=True) as con:
        view = report_view(con, "平武县人民政府", 2019)
    page = render_flag_page(view, (), {})
    assert "<h2>结构说明</h2>" in page
    items = re.findall(r"<li>(.*?)</li>", re.search(r'<ul class="structure">(.*?)</ul>', page).group(1))
    texts = [re.sub(r"<[^>]+>", "", i) for i in items]
    assert [t.split(" （")[0] for t in texts] == [
        "「二、主动公开政府信息情况」表格多出官方格式没有的行「文字解读」，已忽略，未计入数据",
        "「二、主动公开政府信息情况」表格多出官方格式没有的行「图片图解」，已忽略，未计入数据",
        "「三、收到和处理政府信息公开申请情况」表格多出官方格式没有的行「4.非本机关政府信息公开范围」，已忽略，未计入数据"]
    assert all(re.search(r" （表\d+ 第\d+行", t) for t in texts), texts
    assert "extra_row" not in page
