"""Section headings are recognised by their number and key words (template.yaml section_keywords)."""

from __future__ import annotations

import pytest

from nianbao.normalize.sections import section_of_heading
from nianbao.spec import SPEC

NUMERALS = "一二三四五六"


@pytest.mark.parametrize("code", list(SPEC.sections))
def test_every_official_heading_and_variant_names_its_section(code):
    numeral = NUMERALS[list(SPEC.sections).index(code)]
    assert section_of_heading(SPEC.sections[code]) == code
    for variant in SPEC.section_variants.get(code, []):
        assert section_of_heading(f"{numeral}、{variant}") == code, variant


@pytest.mark.parametrize("heading,code", [
    ("五、存在的主要问题及整改措施", "problems"),  # the real report FMT_STRUCTURE called 「缺少五」
    ("五、存在的主要问题及整改情况", "problems"),
    ("五．存在的问题和改进措施", "problems"),
    ("五、工作中存在的不足和下一步工作计划", "problems"),
    ("二、主动公开情况", "active"),
    ("四、行政复议、行政诉讼情况", "appeals"),
    ("六、其他事项", "other_matters"),
])
def test_number_and_key_words(heading, code):
    assert section_of_heading(heading) == code


@pytest.mark.parametrize("text", [
    "一、本年新收政府信息公开申请数量",  # rows of the section 三 table, numbered like sections
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "四、结转下年度继续办理",
    "三、依申请公开政府信息情况",  # the pre-2019 format's heading is not v2019/v2021's 三
    "（一）主动公开",  # a sub-heading of 一、总体情况 (its number is not 二)
])
def test_not_a_section_heading_by_number_and_key_words(text):
    assert section_of_heading(text) is None
