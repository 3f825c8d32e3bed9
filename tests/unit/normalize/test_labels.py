"""Label keys, similarity and value parsing: exact outputs on real label variants."""

from decimal import Decimal

import pytest

from nianbao.normalize.labels import best_match, heading_key, label_key
from nianbao.normalize.rows import align_rows_to_template
from nianbao.normalize.values import as_int, parse_value
from nianbao.spec import SPEC


@pytest.mark.parametrize(
    "observed, canonical_code",
    [
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly_granted"),
        ("(二) 部分公开", "partly_granted"),
        ("2.其他法律行政止公开", "withheld_prohibited_by_law"),  # typo in a real report
        ("2.其他法律法规禁止公开", "withheld_prohibited_by_law"),  # the seed's wording
        ("3、危及\"三安全一稳定\"", "withheld_security_stability"),
        ("（1）本机关不掌握相关政府信息", "unavailable_not_held"),
        ("1.申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請", "other_no_correction"),
        ("四、结转下年度继续办理", "carried_out"),
        ("一、本年新收政府信息\n公开申请数量", "received"),
        ("（七）总计", "results_total"),
    ],
)
def test_row_labels_match_their_template_row(observed, canonical_code):
    code, score = best_match(observed, SPEC.application_rows)
    assert code == canonical_code
    assert score >= 72


def test_label_key_strips_numbering_notes_width_and_script():
    assert label_key("本年(2023)制发件数") == "本年制发件数"
    assert label_key("本年收费金额（单位：万元，保留4位小数）") == "本年收费金额"
    assert label_key("商业 企业") == "商业企业"
    assert label_key("結轉下年度繼續辦理") == "结转下年度继续办理"
    assert heading_key("第二十条  第(六)项") == heading_key("第二十条第（六）项") == "第二十条第(六)项"


@pytest.mark.parametrize(
    "raw, value, unit, blank",
    [
        ("0", Decimal(0), None, False),
        ("１２", Decimal(12), None, False),
        ("1,234", Decimal(1234), None, False),
        ("1，234", Decimal(1234), None, False),
        ("7730.28", Decimal("7730.28"), None, False),
        ("251000元", Decimal(251000), "元", False),
        ("3.5万元", Decimal("3.5"), "万元", False),
        ("8 件", Decimal(8), "件", False),
        ("-8", Decimal(-8), None, False),
        ("", None, None, True),
        ("\u3000", None, None, True),
    ],
)
def test_parse_value(raw, value, unit, blank):
    parsed = parse_value(raw)
    assert parsed is not None
    assert (parsed.value, parsed.unit, parsed.blank) == (value, unit, blank)


@pytest.mark.parametrize("raw", ["-", "/", "—", "无", "——"])
def test_null_markers_are_null_with_a_note(raw):
    parsed = parse_value(raw)
    assert parsed is not None and parsed.value is None and not parsed.blank
    assert "stored as NULL" in parsed.note


@pytest.mark.parametrize("raw", ["予以公开", "约10", "10余件", "1.属于国家秘密"])
def test_text_is_not_a_value(raw):
    assert parse_value(raw) is None


def test_fraction_in_a_count_cell_is_null_not_rounded():
    value, note = as_int(parse_value("2.5"))
    assert value is None and "not a whole number" in note


def test_alignment_skips_missing_and_extra_rows_without_shifting():
    template = dict(SPEC.application_rows)
    observed = [
        "一、本年新收政府信息公开申请数量",
        # 二、上年结转 missing
        "（一）予以公开",
        "（二）部分公开",
        "非本机关政府信息公开范围",  # extra, non-template
        "1.属于国家秘密",
        "2.其他法律行政止公开",  # typo
        "（七）总计",
        "四、结转下年度继续办理",
    ]
    alignment = align_rows_to_template([label_key(o) for o in observed], template)
    assert [(i, code) for i, code, _ in alignment.pairs] == [
        (0, "received"), (1, "granted"), (2, "partly_granted"), (4, "withheld_state_secret"),
        (5, "withheld_prohibited_by_law"), (6, "results_total"), (7, "carried_out"),
    ]
    assert alignment.unmatched_observed == [3]
    assert "carried_in" in alignment.unmatched_template


def test_numbered_sub_rows_are_told_apart_by_order_and_text():
    template = dict(SPEC.application_rows)
    observed = ["1.申请人无正当理由逾期不补正", "2.申请人逾期未按收费通知要求缴纳费用", "3.其他", "（七）总计"]
    alignment = align_rows_to_template([label_key(o) for o in observed], template)
    assert [code for _, code, _ in alignment.pairs] == [
        "other_no_correction", "other_fee_unpaid", "other_misc", "results_total"]
