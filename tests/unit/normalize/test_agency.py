"""Agency resolution: region (province, city, county, 6-digit code) from the division dataset,
level, department line, and one agency_id whatever the wording."""

from __future__ import annotations

import json

import pytest

from nianbao.normalize.agency import (
    AgencyRecord,
    abbreviates,
    agency_id_for,
    expand_abbreviations,
    match_agencies,
    match_in_region,
    org_suffix,
    resolve_agency,
    resolve_region,
)
from nianbao.normalize.divisions import division_index, short_names
from tests.helpers.demo_fixtures import SAMPLES

# The division codes of the corpus's counties, written down by hand (GB/T 2260).
COUNTY_CODES = {
    "河南省漯河市舞阳县": "411121",
    "浙江省温州市苍南县": "330327",
    "江苏省淮安市洪泽区": "320813",
    "湖北省恩施土家族苗族自治州来凤县": "422827",
    "四川省绵阳市平武县": "510727",
    "浙江省杭州市西湖区": "330106",
}
SPLIT = {
    "河南省漯河市舞阳县": ("河南省", "漯河市", "舞阳县"),
    "浙江省温州市苍南县": ("浙江省", "温州市", "苍南县"),
    "江苏省淮安市洪泽区": ("江苏省", "淮安市", "洪泽区"),
    "湖北省恩施土家族苗族自治州来凤县": ("湖北省", "恩施土家族苗族自治州", "来凤县"),
    "四川省绵阳市平武县": ("四川省", "绵阳市", "平武县"),
    "浙江省杭州市西湖区": ("浙江省", "杭州市", "西湖区"),
}
TOWNSHIPS = {"舞阳县北舞渡镇人民政府"}


def corpus_agencies() -> list[dict]:
    out = []
    for path in sorted(SAMPLES.glob("*.expected.json")):
        expected = json.loads(path.read_text(encoding="utf-8"))
        if expected.get("agency"):
            out.append(expected)
    return out


def test_the_corpus_has_the_counties_written_down_here():
    assert {e["region"] for e in corpus_agencies()} == set(COUNTY_CODES)
    assert len(corpus_agencies()) == 26


@pytest.mark.parametrize("expected", corpus_agencies(), ids=lambda e: e["file"])
def test_every_corpus_agency_resolves_to_its_region_code_level_and_category(expected):
    record = resolve_agency(expected["agency"])
    province, city, county = SPLIT[expected["region"]]
    assert (record.province, record.city, record.county) == (province, city, county)
    assert record.region_code == COUNTY_CODES[expected["region"]]
    assert record.category == expected["category"]
    assert record.level == ("township" if expected["agency"] in TOWNSHIPS else "county")
    assert record.name == expected["agency"]


def test_the_seed_resolves_to_wuyang_in_luohe_henan():
    assert resolve_agency("舞阳县工业和信息化局") == AgencyRecord(
        agency_id=agency_id_for("舞阳县工业和信息化局"), name="舞阳县工业和信息化局",
        province="河南省", city="漯河市", county="舞阳县", region_code="411121",
        level="county", category="工业和信息化")


@pytest.mark.parametrize(("name", "region"), [
    ("舞阳县工信局", None),                      # the seed's title abbreviation
    ("舞阳工信局", None),                        # county written short
    ("河南省漯河市舞阳县工业和信息化局", None),  # with the whole region
    ("工信局", "河南省漯河市舞阳县"),            # a registry's bare name with its region
    ("县工信局", "411121"),                      # 县 standing for the county, region as a code
    ("舞陽縣工業和信息化局", None),              # Traditional characters
])
def test_one_agency_id_whatever_the_wording(name, region):
    record = resolve_agency(name, region)
    assert record.agency_id == agency_id_for("舞阳县工业和信息化局")
    assert record.region_code == "411121"
    # The full name keeps the region words the name was written with, in full.
    assert record.name == ("河南省漯河市" if name.startswith("河南省") else "") + "舞阳县工业和信息化局"


@pytest.mark.parametrize(("a", "b"), [
    ("淮安市洪泽区人民政府办公室", "洪泽区人民政府办公室"),
    ("淮安市公安局洪泽分局", "淮安市公安局洪泽区分局"),
    ("洪泽区教体局", "淮安市洪泽区教育体育局"),
    ("平武县", "平武县人民政府"),  # a title that names only the place is its government
    ("舞阳县卫健委", "舞阳县卫生健康委员会"),
])
def test_same_agency_across_title_wordings(a, b):
    assert agency_id_for(a) == agency_id_for(b)


def test_different_bodies_of_one_county_stay_apart():
    ids = {agency_id_for(n) for n in ("平武县人民政府", "平武县人民政府办公室", "平武县公安局", "平武县交通运输局")}
    assert len(ids) == 4


def test_branch_of_a_city_bureau_belongs_to_the_county():
    record = resolve_agency("温州市生态环境局苍南分局")
    assert (record.city, record.county, record.region_code, record.level) == ("温州市", "苍南县", "330327", "county")
    assert record.category == "生态环境"


def test_a_bureau_named_with_cheng_xiang_is_not_a_township():
    # 城乡 contains 乡: the level comes from the division, not from a character of the body.
    assert resolve_agency("舞阳县住房和城乡建设局").level == "county"
    assert resolve_agency("苍南县住房和城乡建设局").level == "county"


def test_township_resolves_to_its_county():
    record = resolve_agency("舞阳县北舞渡镇人民政府")
    assert (record.county, record.region_code, record.level, record.category) == (
        "舞阳县", "411121", "township", "government")


def test_ambiguous_district_needs_its_region():
    # 西湖区 is in 杭州 and in 南昌.
    bare = resolve_agency("西湖区人民政府")
    assert bare.region_code is None and bare.province is None
    hinted = resolve_agency("西湖区人民政府", "浙江省杭州市西湖区")
    assert (hinted.province, hinted.city, hinted.region_code) == ("浙江省", "杭州市", "330106")
    assert hinted.agency_id == agency_id_for("杭州市西湖区人民政府")
    assert resolve_agency("西湖区人民政府", "江西省南昌市").region_code == "360103"


def test_department_words_are_not_taken_for_places():
    # 公安县 (湖北荆州) must not swallow 公安局; the county itself still resolves.
    assert resolve_agency("公安局").region_code is None
    assert resolve_agency("公安局").category == "公安"
    record = resolve_agency("公安县人民政府")
    assert (record.city, record.region_code, record.category) == ("荆州市", "421022", "government")


@pytest.mark.parametrize(("name", "expected"), [
    ("河南省教育厅", ("河南省", None, None, "410000", "province", "教育")),
    ("漯河市财政局", ("河南省", "漯河市", None, "411100", "city", "财政")),
    ("北京市东城区教育委员会", ("北京市", "北京市", "东城区", "110101", "county", "教育")),
    ("长阳土家族自治县财政局", ("湖北省", "宜昌市", "长阳土家族自治县", "420528", "county", "财政")),
    ("仙桃市人民政府", ("湖北省", None, "仙桃市", "429004", "county", "government")),
    ("国家税务总局舞阳县税务局", ("河南省", "漯河市", "舞阳县", "411121", "county", "税务")),
    ("国务院办公厅", (None, None, None, None, "central", "government")),
])
def test_levels_and_regions(name, expected):
    r = resolve_agency(name)
    assert (r.province, r.city, r.county, r.region_code, r.level, r.category) == expected


def test_regions_as_registries_write_them():
    assert resolve_region("河南省漯河市舞阳县").code == "411121"
    assert resolve_region("411121").name == "舞阳县"
    assert resolve_region("恩施州来凤县").code == "422827"
    assert resolve_region("河南省漯河市舞阳县北舞渡镇").code == "411121"
    assert resolve_region("西湖区") is None  # two of them
    assert resolve_region("") is None


def test_abbreviations_expand_once():
    assert expand_abbreviations("交通运输局") == "交通运输局"
    assert expand_abbreviations("交通局") == "交通运输局"
    assert expand_abbreviations("教体局") == "教育体育局"
    assert expand_abbreviations("人社局") == "人力资源和社会保障局"


def test_short_names_drop_the_ending_and_nationalities():
    assert short_names("舞阳县") == ["舞阳"]
    assert short_names("恩施土家族苗族自治州") == ["恩施州", "恩施"]
    assert short_names("长阳土家族自治县") == ["长阳"]
    assert short_names("赵县") == []  # one character is never used alone


def test_division_dataset_is_national():
    index = division_index()
    assert len([d for d in index.by_code.values() if d.level == "province"]) == 34
    assert index.by_code["411121"].name == "舞阳县"
    assert index.region_of(index.by_code["422827"]).full_name == "湖北省恩施土家族苗族自治州来凤县"


# -- matching (nianbao show/review/history and the registry's names use these) ---------------

AGENCIES = [("a1", "舞阳县工业和信息化局"), ("a2", "舞阳县教育体育局"), ("a3", "苍南县工业和信息化局")]


@pytest.mark.parametrize(("query", "expected"), [
    ("舞阳县教育体育局", [("a2", "舞阳县教育体育局")]),  # the exact name
    ("工业和信息化局", [("a1", "舞阳县工业和信息化局"), ("a3", "苍南县工业和信息化局")]),  # part of names
    ("舞阳工信局", [("a1", "舞阳县工业和信息化局")]),  # an abbreviation, expanded then in order
    ("舞阳教体", [("a2", "舞阳县教育体育局")]),  # its characters in order
    ("西湖区财政局", []),
])
def test_a_query_matches_agencies_by_name_part_or_abbreviation(query, expected):
    assert match_agencies(f" {query} ", AGENCIES) == expected


def test_abbreviates_is_characters_in_order():
    assert abbreviates("舞阳工信局", "舞阳县工业和信息化局") is True
    assert abbreviates("信工局", "舞阳县工业和信息化局") is False


def test_org_suffix_is_the_longest_body_word():
    assert org_suffix("舞阳县人民政府办公室") == "人民政府办公室"
    assert org_suffix("舞阳县教育体育局") == "局"
    assert org_suffix("舞阳县") == ""


def test_a_registry_name_matches_one_agency_of_its_region():
    known = [resolve_agency("舞阳县教育体育局"), resolve_agency("舞阳县工业和信息化局"),
             resolve_agency("苍南县教育局"), resolve_agency("平武县人民政府办公室")]
    never_government = (lambda record: False)
    # 舞阳县教育局 (a registry's name) is 舞阳县教育体育局; 苍南县's 教育局 is itself, not another.
    assert match_in_region(resolve_agency("舞阳县教育局"), known, never_government) == known[0]
    assert match_in_region(known[2], known, never_government) is None
    assert match_in_region(resolve_agency("舞阳县教育委员会"), known, never_government) is None  # another body kind
    government = (lambda record: record.category == "government")
    assert match_in_region(resolve_agency("平武县人民政府"), known, government) == known[3]
    assert match_in_region(AgencyRecord("x", "工信局"), known, never_government) is None
