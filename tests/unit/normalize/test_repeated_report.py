"""Two agencies' reports in one file are `partial` with a repeated_report note, never a silent
ok; a good report wrapped in 100,000 divs is read exactly as the report itself (issue 16)."""

from __future__ import annotations

from nianbao.normalize.model import StructureKind
from nianbao.pipeline import process_document
from tests.reliability.make_corpus import SAMPLES, html_report_in_divs, two_reports


def cells(result):
    return [(v.row, v.applicant, v.value) for v in result.report.applications] + \
        [(v.item, v.row, v.metric, v.value) for v in result.report.active] + \
        [(v.proceeding, v.outcome, v.value) for v in result.report.appeals]


def test_two_reports_in_one_file_are_partial_with_a_structure_note(tmp_path):
    pingwu = (SAMPLES / "pingwu_jtysj_2021.html").read_bytes()
    laifeng = (SAMPLES / "laifeng_nyncj_2020.html").read_bytes()
    path = tmp_path / "two.html"
    path.write_bytes(two_reports(pingwu, laifeng))
    result = process_document(path)
    alone = process_document(SAMPLES / "pingwu_jtysj_2021.html")
    assert alone.status == "ok"
    assert result.status == "partial"
    (note,) = [n for n in result.report.structure if n.kind == StructureKind.REPEATED_REPORT]
    assert note.params == {
        "title": "来凤县农业农村局2020年政府信息公开工作年度报告", "agency": "来凤县农业农村局", "year": 2020,
        "sections": ("overview", "active", "applications", "appeals", "problems", "other_matters"),
        "first_agency": "平武县交通运输局", "first_year": 2021}
    assert note.provenance.locator == "/html/body/div[2]/h1"
    assert result.error == (
        "文件中不止一份年度报告：在平武县交通运输局2021年度报告之后又有「来凤县农业农村局2020年政府信息公开工作年度报告」"
        "（来凤县农业农村局2020年度），以下部分重复出现：「一、总体情况」、「二、主动公开政府信息情况」、"
        "「三、收到和处理政府信息公开申请情况」、「四、政府信息公开行政复议、行政诉讼情况」、「五、存在的主要问题及改进情况」、"
        "「六、其他需要报告的事项」；只读取了第一份")
    assert result.report.agency == "平武县交通运输局"
    assert cells(result) == cells(alone)  # the first report's values, as read alone


def test_one_report_is_not_flagged_as_two():
    for name in ("pingwu_jtysj_2021.html", "laifeng_nyncj_2020.html", "hongze_zfb_2019.html", "xihu_rsj_2021.txt"):
        result = process_document(SAMPLES / name)
        assert result.status == "ok", name
        assert not [n for n in result.report.structure if n.kind == "repeated_report"]


def test_a_report_inside_100000_divs_is_read_exactly(tmp_path):
    original = SAMPLES / "hongze_zfb_2019.html"
    path = tmp_path / "wrapped.html"
    path.write_bytes(html_report_in_divs(original.read_bytes()))
    wrapped, alone = process_document(path), process_document(original)
    assert (wrapped.status, wrapped.report.agency, wrapped.report.year) == ("ok", "淮安市洪泽区人民政府办公室", 2019)
    assert cells(wrapped) == cells(alone)
    assert len(cells(alone)) > 80
