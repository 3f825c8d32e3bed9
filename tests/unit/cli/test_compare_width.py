"""`nianbao compare` / `history` in a terminal of 120 or 160 columns: every agency name whole
(wrapped, never cut or hidden) and every number whole; `--wide` shows every column."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from nianbao.cli import app

runner = CliRunner()


def _table_rows(output: str) -> list[list[str]]:
    """The body rows of a rich table, each row's wrapped lines joined column by column."""
    rows: list[list[str]] = []
    for line in output.splitlines():
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.strip("│").split("│")]
        if cells[0] and cells[0].isdigit():
            rows.append(cells)
        elif rows:
            rows[-1] = [a + b for a, b in zip(rows[-1], cells, strict=True)]
    return rows


def _header(output: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith("┃"))
    return [c.strip() for c in line.strip("┃").split("┃")]


@pytest.mark.parametrize("width", [120, 160])
def test_every_agency_and_number_whole(web_demo_db, width):
    from nianbao.supervise.compliance import Filters, compliance_table
    from nianbao.supervise.registry import warehouse_registry
    from nianbao.warehouse.store import read_session

    result = runner.invoke(app, ["compare", "--db", str(web_demo_db), "--year", "2021"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.output.splitlines()) <= width
    header = _header(result.output)
    rows = _table_rows(result.output)
    with read_session(web_demo_db) as con:
        expected = compliance_table(con, warehouse_registry(con), Filters(years=(2021,)))
    assert [r[header.index("机关")] for r in rows] == [e.agency for e in expected]
    assert [r[header.index("新收")] for r in rows] == ["" if e.received is None else str(e.received) for e in expected]
    assert [r[header.index("公开率")] for r in rows] == [
        "" if e.disclosure_rate is None else f"{e.disclosure_rate * 100:.1f}%" for e in expected]
    assert rows[0][:2] == ["2021", "苍南县教育局"] and "55.0%" in rows[0]
    if width == 120:
        assert header == ["年度", "机关", "地区", "发布", "按时", "格式", "错误", "警告", "新收", "办结", "公开率",
                          "不掌握", "复议"]
        assert "（层级、类别、应发布、诉讼、纠错率 未显示：终端宽 120 列；--wide 显示全部" in " ".join(result.output.split())
    else:
        assert "类别" not in header and "诉讼" in header and "纠错率" in header


def test_wide_shows_every_column(web_demo_db):
    result = runner.invoke(app, ["compare", "--db", str(web_demo_db), "--year", "2021", "--wide"],
                           env={"COLUMNS": "120"})
    assert _header(result.output) == ["年度", "机关", "地区", "层级", "类别", "应发布", "发布", "按时", "格式", "错误",
                                      "警告", "新收", "办结", "公开率", "不掌握", "复议", "诉讼", "纠错率"]
    assert "未显示" not in result.output
    assert all(len(r) == 18 for r in _table_rows(result.output))


def test_history_fits_120_columns(web_demo_db):
    result = runner.invoke(app, ["history", "淮安市洪泽区人民政府办公室", "--db", str(web_demo_db)],
                           env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.output.splitlines()) <= 120
    rows = _table_rows(result.output)
    assert [r[0] for r in rows] == ["2019", "2020", "2021", "2022", "2023"]
