"""Issuer kinds read from the report (government / department / township / other) and the
deadline each one has; an uncertain kind is never called late."""

from __future__ import annotations

from datetime import date

import pytest

from nianbao.extract.model import Provenance
from nianbao.normalize.deadlines import (
    LATE,
    ON_TIME,
    UNKNOWN,
    classify_issuer,
    deadline_kind,
    report_timeliness,
)
from nianbao.normalize.model import NarrativeBlock

WHERE = Provenance(document="r.html", locator="/html/body/p[2]")


@pytest.mark.parametrize("agency,kind,basis", [
    ("信丰县人民政府", "government", "发布机关「信丰县人民政府」是人民政府或其办公室"),
    ("信丰县人民政府办公室", "government", "发布机关「信丰县人民政府办公室」是人民政府或其办公室"),
    ("信丰县", "government", "发布机关「信丰县」是人民政府或其办公室"),
    ("信丰县教育体育局", "department", "发布机关「信丰县教育体育局」是政府部门"),
    ("信丰县文化广电新闻出版旅游局", "department", "发布机关「信丰县文化广电新闻出版旅游局」是政府部门"),
    ("信丰县嘉定街道办事处", "township", "发布机关「信丰县嘉定街道办事处」是乡镇（街道）"),
    ("信丰县融媒体中心", "other", "不能从报告判断「信丰县融媒体中心」是政府还是政府部门"),
    ("平潭综合实验区管理委员会", "other",
     "「平潭综合实验区管理委员会」是平潭综合实验区的管理机构，报告未说明是否汇总全区，不能确定按政府还是部门的期限"),
    (None, "other", "报告未写明发布机关"),
])
def test_kind_from_the_agency_alone(agency, kind, basis):
    issuer = classify_issuer(agency)
    assert (issuer.kind, issuer.basis, issuer.provenance) == (kind, basis, None)


def test_a_zone_titled_with_the_zone_is_a_government():
    issuer = classify_issuer("平潭综合实验区管理委员会", "平潭综合实验区")
    assert (issuer.kind, issuer.basis) == ("government", "标题以区域「平潭综合实验区」而非其中某一机关为发布者，报告涵盖全区")


def test_a_zone_whose_overview_covers_the_whole_zone_is_a_government():
    narrative = (NarrativeBlock("overview", "2022年，全区政府信息公开工作坚持以人民为中心。", WHERE),)
    issuer = classify_issuer("平潭综合实验区管委会", "平潭综合实验区管委会", narrative)
    assert issuer.kind == "government" and issuer.provenance == WHERE
    assert issuer.basis == "「平潭综合实验区管委会」是平潭综合实验区的管理机构，报告汇总全区：“2022年，全区政府信息公开工作坚持以人民为中心。”"


def test_whole_area_words_outside_the_overview_or_in_a_department_change_nothing():
    later = (NarrativeBlock("problems", "全区政府信息公开工作仍有不足。", WHERE),)
    assert classify_issuer("平潭综合实验区管委会", None, later).kind == "other"
    overview = (NarrativeBlock("overview", "按照全县政府信息公开工作要点，我局……", WHERE),)
    assert classify_issuer("信丰县教育体育局", None, overview).kind == "department"


def test_the_registry_deadline_kind_is_unchanged_for_agencies_without_a_report():
    assert [deadline_kind(a) for a in ("信丰县人民政府", "信丰县教育体育局", "信丰县嘉定街道办事处",
                                       "平潭综合实验区管理委员会", "信丰县融媒体中心")] == [
        "government", "department", "township", "department", "department"]


@pytest.mark.parametrize("kind,published,due,verdict", [
    ("department", date(2023, 2, 1), date(2023, 1, 31), LATE),
    ("government", date(2023, 3, 31), date(2023, 3, 31), ON_TIME),
    ("other", date(2023, 1, 30), date(2023, 1, 31), ON_TIME),
    ("other", date(2023, 3, 20), date(2023, 1, 31), UNKNOWN),  # late only if it is a department's
    (None, date(2023, 5, 20), date(2023, 1, 31), UNKNOWN),
])
def test_stored_reports_are_timed_by_their_issuer_kind(kind, published, due, verdict):
    deadline, got = report_timeliness(kind, 2022, published, None)
    assert (deadline.due, got) == (due, verdict)
