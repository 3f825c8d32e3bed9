"""What the narrative says: figures of 一、总体情况 (TEXT_TABLE), last year's end spoken of as now,
and the wording the duplication check compares. Sentences as real reports write them."""

from __future__ import annotations

from nianbao.extract.model import Provenance
from nianbao.normalize.model import NarrativeBlock
from nianbao.normalize.narrative import stale_year_sentences, stated_figures
from nianbao.normalize.similarity import (
    jaccard,
    lsh_buckets,
    minhash,
    narrative_buckets,
    report_wording,
    shingles,
    wording,
)


def overview(*paragraphs: str) -> tuple[NarrativeBlock, ...]:
    return tuple(NarrativeBlock("overview", p, Provenance("r.html", f"/html/body/p[{i}]"))
                 for i, p in enumerate(paragraphs, start=1))


def figures(*paragraphs: str, year: int = 2022) -> dict[str, int]:
    return {code: f.value for code, f in stated_figures(overview(*paragraphs), year).items()}


def test_shanghai_2019_sentence_gives_all_four_figures():
    # SPEC §5 TEXT_TABLE: 859 + 18 = 805 + 72.
    text = ("2019年，市政府办公厅共受理政府信息公开申请859件，已答复805件（含上年度结转申请18件，"
            "另有72件因在法定期限内尚未办结顺延到下年度答复）。")
    assert figures(text, year=2019) == {"received": 859, "results_total": 805, "carried_in": 18, "carried_out": 72}


def test_the_usual_wordings():
    assert figures("全年共收到政府信息公开申请28件，上年结转2件，办结29件，结转下年度继续办理1件，均在法定期限内答复。") == {
        "received": 28, "carried_in": 2, "results_total": 29, "carried_out": 1}
    assert figures("本年度收到依申请公开事项25件（无上年结转申请），办结22件，结转下年度继续办理3件。") == {
        "received": 25, "carried_in": 0, "results_total": 22, "carried_out": 3}
    assert figures("依申请公开方面，全年受理政府信息公开申请49件，上年度结转4件，已办结49件，结转至下一年度继续办理4件。"
                   "因政府信息公开被申请行政复议4件，被提起行政诉讼3件。") == {
        "received": 49, "carried_in": 4, "results_total": 49, "carried_out": 4, "review": 4, "litigation": 3}
    assert figures("全年发生涉及政府信息公开的行政诉讼1起，法院判决维持。") == {"litigation": 1}


def test_figures_stated_in_words_are_zero():
    assert figures("本年度我镇未收到政府信息公开申请，亦无上年结转申请。全年未发生因政府信息公开工作引起的行政复议和行政诉讼。") == {
        "received": 0, "carried_in": 0, "review": 0, "litigation": 0}
    assert figures("全年共收到政府信息公开申请15件，均已在法定期限内答复，无上年结转及结转下年度的申请。") == {
        "received": 15, "carried_in": 0, "carried_out": 0}


def test_figures_about_other_bodies_years_and_parts_are_not_taken():
    assert figures("全县各级行政机关共收到政府信息公开申请356件，办结349件。") == {}
    assert figures("县政府办公室汇总全县各部门受理的政府信息公开申请120件。") == {}
    assert figures("2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。", year=2024) == {}
    assert figures("2021年收到申请30件，办结30件。") == {}
    assert figures("其中通过网络平台收到申请10件，延期答复2件。") == {}
    assert figures("全年受理政府信息公开申请20件，较上年增加5件。") == {"received": 20}


def test_a_figure_stated_twice_differently_is_ambiguous():
    assert figures("全年共收到政府信息公开申请12件。", "本年度新收政府信息公开申请14件。") == {}
    assert figures("全年共收到政府信息公开申请12件。", "截至年底，共收到政府信息公开申请12件。") == {"received": 12}


def test_a_sentence_wrapped_over_two_lines_of_a_text_copy_is_read_whole():
    assert figures("（二）依申请公开情况。全年共收到政府信息公开申请40件，上年结转3件，",
                   "办结38件，结转下年度继续办理5件。申请内容主要涉及征地批文、征地补偿标") == {
        "received": 40, "carried_in": 3, "results_total": 38, "carried_out": 5}


def test_last_years_end_as_now():
    blocks = overview("截至2021年底，我局现行有效的规范性文件共18件。",
                      "现行有效规范性文件20件，较截至2021年底增加2件。",
                      "本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止。")
    found = stale_year_sentences(blocks, 2022)
    assert [(s.quote, s.provenance.locator) for s in found] == [
        ("截至2021年底，我局现行有效的规范性文件共18件", "/html/body/p[1]"),
        ("本报告所列数据的统计期限自2021年1月1日起至2021年12月31日止", "/html/body/p[3]")]
    assert stale_year_sentences(blocks, 2021) == []


def test_wording_ignores_numbers_and_punctuation():
    a = "2021年，我局共收到政府信息公开申请25件，办结22件。本年度开展政务公开培训3次，参训人员60人次。"
    b = "2022年，我局共收到政府信息公开申请31件，办结30件。本年度开展政务公开培训2次，参训人员45人次。"
    assert wording(a) == wording(b) == "年我局共收到政府信息公开申请件办结件本年度开展政务公开培训次参训人员人次"
    assert jaccard(shingles(wording(a)), shingles(wording(b))) == 1.0


def test_minhash_buckets_are_stable_and_agree_for_the_same_text():
    text = "严格执行公文公开属性源头认定机制，拟制公文时明确主动公开、依申请公开、不予公开等属性。" * 8
    blocks = overview(text)
    assert len(report_wording(blocks)) >= 300
    buckets = narrative_buckets(blocks)
    assert len(buckets) == 32 and buckets == narrative_buckets(overview(text.replace("主动", "主动")))
    assert lsh_buckets(minhash(shingles(wording(text)))) == buckets
    other = narrative_buckets(overview("加强政务新媒体管理，落实内容审核和值班制度，做到信息发布及时、准确、规范。" * 8))
    assert not set(enumerate(buckets)) & set(enumerate(other))
    assert narrative_buckets(overview("无其他需要报告的事项。")) == ()  # too short to compare
