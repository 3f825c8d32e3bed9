"""Structure notes carry codes and params, and are said in Chinese from the spec files (issue 13)."""

from __future__ import annotations

import pytest

from nianbao.normalize.model import StructureKind, StructureNote, TableRead
from nianbao.normalize.notes import structure_note_text
from nianbao.pipeline import process_document
from nianbao.vocabulary import VOCAB
from tests.paths import FILES


@pytest.mark.parametrize(("note", "text"), [
    (StructureNote("applications", StructureKind.EXTRA_ROW, {"label": "4.非本机关政府信息公开范围"}),
     "表格多出官方格式没有的行「4.非本机关政府信息公开范围」，已忽略，未计入数据"),
    (StructureNote("applications", StructureKind.MISSING_ROW, {"row": "carried_in"}),
     "表格缺少官方格式的行「二、上年结转政府信息公开申请数量」"),
    (StructureNote("applications", StructureKind.EXTRA_COLUMN, {"label": "小计", "column": 8}),
     "表格多出官方格式没有的列「小计」（第8列），已忽略，未计入数据"),
    (StructureNote("applications", StructureKind.MISSING_COLUMN, {"applicants": ("research_institution", "other_org")}),
     "表头中找不到官方格式的列：科研机构、其他"),
    (StructureNote("applications", StructureKind.NO_HEADER, {"table": 2, "columns": 7}),
     "第2个表格没有表头，已把最右边7列当作各申请人列读取"),
    (StructureNote("active", StructureKind.NO_TABLE, {"read": TableRead.LABEL_STREAM}),
     "没有表格结构，已按标签和数字的先后顺序读取"),
    (StructureNote("appeals", StructureKind.NO_TABLE, {"read": TableRead.NUMBER_STREAM}),
     "没有表格结构，已按数字的先后顺序（逐列）读取"),
    (StructureNote("appeals", StructureKind.NO_TABLE, {"read": TableRead.NOTHING}), "没有可读取的数据行"),
    (StructureNote("problems", StructureKind.MISSING_SECTION), "未找到该部分"),
    (StructureNote("appeals", StructureKind.HEADING_ONLY), "只有标题，没有统计表格"),
    (StructureNote("active", StructureKind.MIXED_VERSION, {"v2019": ("art20_1",), "v2021": ("art20_5", "art20_6")}),
     "同时使用了2019版格式的标签（第二十条第（一）项）和2021版格式的标签（第二十条第（五）项、第二十条第（六）项）"),
    (StructureNote("overview", StructureKind.REPEATED_REPORT,
                   {"title": "乙局2021年政府信息公开工作年度报告", "agency": "乙局", "year": 2021,
                    "sections": ("overview", "active", "appeals")}),
     ("文件中不止一份年度报告：又有「乙局2021年政府信息公开工作年度报告」（乙局2021年度），以下部分重复出现："
      "「一、总体情况」、「二、主动公开政府信息情况」、「四、政府信息公开行政复议、行政诉讼情况」；只读取了第一份")),
])
def test_each_kind_is_one_chinese_sentence(note, text):
    assert structure_note_text(note) == text


def test_a_note_without_its_params_is_said_by_its_kind():
    """Rows stored before params existed (params NULL) are read back as {}."""
    assert structure_note_text(StructureNote("active", StructureKind.EXTRA_ROW)) == "多出官方格式没有的行"
    assert structure_note_text(StructureNote("overview", StructureKind.REPEATED_REPORT)) == "一个文件中有多份年度报告"


def test_every_kind_has_a_sentence():
    texts = set(VOCAB.messages.structure_notes)
    for kind in StructureKind:
        assert kind in texts or any(t.startswith(f"{kind}_") for t in texts), kind


def test_notes_read_from_real_documents_carry_params_not_sentences():
    report = process_document(FILES / "extract" / "spans.html").report
    notes = [(n.section, n.kind, dict(n.params)) for n in report.structure]
    assert notes[:6] == [
        ("overview", StructureKind.MISSING_SECTION, {}), ("active", StructureKind.MISSING_SECTION, {}),
        ("problems", StructureKind.MISSING_SECTION, {}), ("other_matters", StructureKind.MISSING_SECTION, {}),
        ("applications", StructureKind.EXTRA_ROW, {"label": "(三)不予公开"}),
        ("applications", StructureKind.MISSING_ROW, {"row": "carried_in"}),
    ]
    assert len(notes) == 28 and notes[-1] == ("appeals", StructureKind.HEADING_ONLY, {})
    report = process_document(FILES / "checks_quirks" / "xinfeng_tyjrj_2022_headings.html").report
    reads = [(n.section, n.params["read"]) for n in report.structure if n.kind == StructureKind.NO_TABLE]
    assert reads == [("active", TableRead.LABEL_STREAM), ("applications", TableRead.LABEL_STREAM),
                     ("appeals", TableRead.NUMBER_STREAM)]
