"""Section 四 under the header layouts reports print, read from HTML: three rows (official), two
rows with the outcomes under every group, and two rows whose litigation outcomes are not printed."""

from __future__ import annotations

import pytest

from nianbao.extract.html import read_html
from nianbao.extract.model import Table
from nianbao.normalize.appeals import SLOTS, interpret_appeals

OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
LABELS = "".join(f"<td>{t}</td>" for t in OUTCOMES)
GROUPS = '<td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td>'
HEADERS = {
    "three_rows": ('<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr><tr>'
                   + "".join(f'<td rowspan="2">{t}</td>' for t in OUTCOMES) + GROUPS + "</tr><tr>"
                   + LABELS * 2 + "</tr>"),
    "two_rows_all_labels": ('<tr><td colspan="5">行政复议</td>' + GROUPS + "</tr><tr>" + LABELS * 3 + "</tr>"),
    "two_rows_no_litigation_labels": ('<tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr><tr>'
                                      + LABELS + GROUPS + "</tr>"),
}
IN_ORDER = "read in the official column order under its group header (outcome labels not printed)"


def appeals_table(header: str) -> list[Table]:
    data = "".join(f"<td>{i}</td>" for i in range(15))
    html = f"<html><body><table>{header}<tr>{data}</tr></table></body></html>"
    return [b for b in read_html(html.encode("utf-8"), "t4.html").blocks if isinstance(b, Table)]


@pytest.mark.parametrize("layout", list(HEADERS))
def test_every_header_layout_reads_the_fifteen_cells_in_place(layout):
    result = interpret_appeals(appeals_table(HEADERS[layout]), [])
    assert [(v.proceeding, v.outcome, v.value, v.null_reason) for v in result.values] == [
        (p, o, i, None) for i, (p, o) in enumerate(SLOTS)]


def test_cells_placed_by_the_official_order_say_so():
    result = interpret_appeals(appeals_table(HEADERS["two_rows_no_litigation_labels"]), [])
    notes = {(v.proceeding, v.outcome): v.note for v in result.values}
    assert {k for k, n in notes.items() if n == IN_ORDER} == {s for s in SLOTS if s[0] != "review"}
    assert {notes[s] for s in SLOTS if s[0] == "review"} == {None}


def test_a_group_of_the_wrong_width_is_not_guessed():
    header = ('<tr><td colspan="5">行政复议</td><td colspan="9">行政诉讼</td></tr><tr>' + LABELS
              + '<td colspan="4">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>')
    data = "".join(f"<td>{i}</td>" for i in range(14))
    html = f"<html><body><table>{header}<tr>{data}</tr></table></body></html>"
    tables = [b for b in read_html(html.encode("utf-8"), "t4.html").blocks if isinstance(b, Table)]
    values = {(v.proceeding, v.outcome): v for v in interpret_appeals(tables, []).values}
    direct = values[("litigation_direct", "upheld")]
    assert (direct.value, direct.null_reason) == (None, "not_found")
    assert values[("litigation_after_review", "total")].value == 13
