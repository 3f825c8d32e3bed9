"""Chinese rule names, subject labels (both ways) and cell places, from the spec files."""

from __future__ import annotations

import pytest

from nianbao.extract.model import Provenance
from nianbao.spec import SPEC
from nianbao.supervise.labels import (
    evidence_label,
    place_label,
    rule_label,
    rule_name,
    rules_label,
    subject_code,
    subject_label,
)


def test_every_rule_has_a_chinese_name():
    assert all(spec.name != spec.id and any("\u4e00" <= ch <= "\u9fff" for ch in spec.name)
               for spec in SPEC.rules.values())
    assert rule_name("T3_STATED") == "依申请公开表勾稽关系"
    assert rule_label("TIMELINESS") == "按时发布（TIMELINESS）"
    assert rules_label("T3_ROW_TOTAL×2、FMT_VERSION") == "总计与各申请人之和×2、格式版本"
    assert rule_name("NO_SUCH_RULE") == "NO_SUCH_RULE"


@pytest.mark.parametrize(("code", "label"), [
    ("natural_person", "自然人"),
    ("commercial_enterprise", "法人或其他组织·商业企业"),
    ("granted", "（一）予以公开"),
    ("withheld_third_party:natural_person", "（三）不予公开4.保护第三方合法权益·自然人"),
    ("review", "行政复议"),
    ("template_version", "格式版本"),
    ("published_on", "发布日期"),
    ("active", "二、主动公开政府信息情况"),
    ("rules", "第二十条第（一）项·规章"),
    ("previous_year", "与上年度报告"),
    ("peer:舞阳县教育局", "与舞阳县教育局"),
])
def test_subject_labels_and_back(code, label):
    assert subject_label(code) == label
    assert subject_code(label, [code]) == code
    assert subject_code(code) == code
    assert subject_code(f"{label} ({code})") == code  # as older `show` printed it


def test_places_are_counted_as_a_reader_counts():
    assert place_label(Provenance(document="a.pdf", locator="", page=3, table=1, row=5, col=3)) == "第3页 表2 第6行 第4列"
    assert place_label({"locator": "line 53", "table": 1, "row": 5, "col": 3}) == "表2 第6行 第4列 原文第53行"
    assert place_label({"locator": "/html/body/p[2]"}) == "/html/body/p[2]"
    cells = [{"table": 1, "row": r, "col": 3} for r in (3, 4, 3, 26)]
    assert evidence_label(cells) == "表2 第4行 第4列；表2 第5行 第4列；表2 第27行 第4列"
    assert evidence_label(cells, limit=2) == "表2 第4行 第4列；表2 第5行 第4列 等3处"
