"""Title, agency and dates: exact values on real wordings."""

from datetime import date

import pytest

from nianbao.common.text import parse_date
from nianbao.normalize.agency import resolve_agency_name
from nianbao.normalize.meta import parse_title


@pytest.mark.parametrize("text, expected", [
    ("二〇二三年一月十六日", date(2023, 1, 16)),
    ("二○二二年十二月三十一日", date(2022, 12, 31)),
    ("2021年12月31日", date(2021, 12, 31)),
    ("发布日期：2022-01-20", date(2022, 1, 20)),
    ("2022年2月30日", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("title, agency, year", [
    ("《工信局2021年政府信息公开工作年度报告》", "工信局", 2021),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2019),
    ("舞阳县教育局2022年度政府信息公开工作报告_舞阳县人民政府", "舞阳县教育局", 2022),
])
def test_parse_title_in_either_order(title, agency, year):
    info = parse_title(title)
    assert (info.agency, info.year) == (agency, year)


def test_abbreviated_agency_resolves_to_the_body_name():
    body = "2019年4月，县工信局根据县机构改革要求，组建为舞阳县工业和信息化局。舞阳县科技信息服务中心和舞阳县中小企业服务中心"
    assert resolve_agency_name("工信局", body) == "舞阳县工业和信息化局"


def test_place_only_title_reports_for_its_government():
    body = "福州市鼓楼区人民政府办公室编制。福州市鼓楼区人民政府坚持…福州市鼓楼区人民政府"
    assert resolve_agency_name("福州市鼓楼区", body) == "福州市鼓楼区人民政府"
