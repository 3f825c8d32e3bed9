"""The compare outputs: the offline HTML report (also in headless Chromium), the Excel workbook,
`nianbao export`, and the notebook."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import duckdb
import pytest
from lxml import etree, html
from typer.testing import CliRunner

from nianbao.cli import app
from nianbao.supervise.compliance import compliance_table, flag_rows
from nianbao.supervise.registry import read_registry_file
from tests.helpers.demo_fixtures import DEMO_REGISTRY, ROOT

runner = CliRunner()
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--enable-logging=stderr", "--v=0"]


@pytest.fixture(scope="module")
def report_html(demo_db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html") / "compare.html"
    result = runner.invoke(app, ["compare", "--db", str(demo_db), "--format", "html", "--output", str(out),
                                 "--expected", str(DEMO_REGISTRY)])
    assert result.exit_code == 0, result.output
    assert "36 rows, 15 flags" in result.stdout
    return out


def test_html_report_is_self_contained(report_html):
    text = report_html.read_text(encoding="utf-8")
    doc = html.fromstring(text)
    # Nothing is loaded from elsewhere: no external scripts, styles, images or fonts.
    assert not doc.xpath("//script[@src] | //link | //img | //iframe")
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
    charts = doc.xpath("//svg[@class='chart']")
    assert [c.get("data-chart") for c in charts] == ["flags_by_agency", "rate_by_region", "violations_heatmap"]
    # 8 agencies with open flags (舞阳县教育局: its 2023 report); 6 regions with a rate; 6 regions × 5 years.
    assert [len(c.xpath(".//*[@class='mark']")) for c in charts] == [8, 6, 30]
    assert [t.get("id") for t in doc.xpath("//table")] == ["league", "missing", "flags", "regions"]
    assert len(doc.xpath("//table[@id='league']/tbody/tr")) == 36
    assert len(doc.xpath("//table[@id='missing']/tbody/tr")) == 10
    assert len(doc.xpath("//table[@id='flags']/tbody/tr")) == 15
    cards = {c.get("data-card"): c.xpath("b/text()")[0] for c in doc.xpath("//div[@class='card']")}
    assert cards == {"expected": "36", "published": "26", "missing": "10", "unlisted": "0", "late": "1",
                     "unknown": "23", "flags": "15"}
    assert int(cards["expected"]) == int(cards["published"]) + int(cards["missing"])
    data = json.loads(doc.xpath("//script[@id='league-data']/text()")[0])
    assert len(data) == 36 and data[0]["year"] == 2019


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (Debian package `chromium`; .ci/run installs it)")
        pytest.skip("chromium is not installed")
    return path


def _render(page: Path, profile: Path) -> tuple[etree._Element, list[str]]:
    """Open `page` in headless Chromium; the DOM after its scripts ran, and the console messages."""
    proc = subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000",
         "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    return html.fromstring(proc.stdout), console


@pytest.mark.slow
def test_html_report_renders_in_headless_chromium(report_html, tmp_path):
    dom, console = _render(report_html, tmp_path / "profile")
    assert console == []  # no uncaught exception, no console message at all
    assert dom.xpath("//body/@data-rendered") == ["ok"]
    (status,) = dom.xpath("//pre[@id='render-status']")
    assert {k: status.get(k) for k in ("data-charts", "data-charts-drawn", "data-tables", "data-errors")} == {
        "data-charts": "3", "data-charts-drawn": "3", "data-tables": "4", "data-errors": "0"}
    # Every row of the four tables: 36 league + 10 missing + 15 flags + 20 region-years.
    assert status.get("data-rows") == "81"


@pytest.mark.slow
def test_headless_check_catches_a_script_error(report_html, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(report_html.read_text(encoding="utf-8").replace(
        "var charts = document.querySelectorAll", "undefinedFunction(); var charts = document.querySelectorAll"),
        encoding="utf-8")
    dom, console = _render(broken, tmp_path / "profile")
    assert any("undefinedFunction is not defined" in line for line in console)
    assert dom.xpath("//body/@data-rendered") == ["0"]


XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_excel_workbook_has_one_sheet_per_view(demo_db, tmp_path):
    out = tmp_path / "compare.xlsx"
    result = runner.invoke(app, ["compare", "--db", str(demo_db), "--format", "xlsx", "--output", str(out),
                                 "--year", "2021", "--expected", str(DEMO_REGISTRY)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        assert book.xpath("//m:sheet/@name", namespaces=XLSX_NS) == ["总表", "未发布", "核验提示", "地区汇总",
                                                                     "结构说明"]
        strings = [t.text for t in etree.fromstring(z.read("xl/sharedStrings.xml")).iter(
            "{{{}}}t".format(XLSX_NS["m"]))]
        sheets = [etree.fromstring(z.read(f"xl/worksheets/sheet{i}.xml")) for i in range(1, 6)]
    # Rows: header + 11 agencies; header + 2 missing; header + 4 flags; header + 5 regions.
    # The structure sheet: header + the notes of the 2021 reports (苍南 mixes the versions; 平武交通
    # has no table markup in 二/三/四).
    assert [len(s.xpath("//m:sheetData/m:row", namespaces=XLSX_NS)) for s in sheets] == [12, 3, 5, 6, 5]
    for sheet in sheets:
        assert sheet.xpath("//m:pane/@state", namespaces=XLSX_NS) == ["frozen"]
        assert sheet.xpath("//m:autoFilter", namespaces=XLSX_NS)
    league = sheets[0]
    assert len(league.xpath("//m:conditionalFormatting", namespaces=XLSX_NS)) >= 5
    assert league.xpath("//m:colorScale", namespaces=XLSX_NS)
    for word in ("机关", "发布情况", "公开率", "未发布", "已发布", "舞阳县民政局", "日期不详"):
        assert word in strings
    # Flags in the supervisor's words: rule names, subjects under their labels, places as a reader counts.
    for word in ("数值范围（非负整数、办结不超过收到）（T3_BOUNDS）", "（三）不予公开4.保护第三方合法权益·自然人",
                 "表2 第11行 第4列", "错误"):
        assert word in strings, word
    assert "withheld_third_party:natural_person" not in strings and "granted" not in strings
    # Structure notes in the supervisor's words, never codes.
    for word in ("部分", "结构说明", "位置", "没有表格结构，已按数字的先后顺序（逐列）读取",
                 ("同时使用了2019版格式的标签（第二十条第（一）项）和2021版格式的标签（第二十条第（五）项、第二十条第（六）项、"
                 "第二十条第（八）项）")):
        assert word in strings, word
    assert "no_table" not in strings and "mixed_version" not in strings


def test_export_parquet_partitioned_by_year_and_csv(demo_db, tmp_path):
    out = tmp_path / "parquet"
    result = runner.invoke(app, ["export", "--db", str(demo_db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    tables = {t["table"]: t for t in manifest["tables"]}
    with duckdb.connect(str(demo_db), read_only=True) as con:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()]
        counts = {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
        years = con.execute("SELECT DISTINCT year FROM reports ORDER BY 1").fetchall()
    assert set(tables) == set(names)
    assert {n: t["rows"] for n, t in tables.items()} == counts
    assert sorted(p.name for p in (out / "applications").iterdir()) == [f"year={y}" for (y,) in years]
    assert tables["documents"]["path"] == "documents.parquet" and not tables["documents"]["partitioned"]
    check = duckdb.connect()
    assert check.execute(
        f"SELECT count(*) FROM read_parquet('{out}/applications/*/*.parquet', hive_partitioning = true) "
        "WHERE year = 2021").fetchone()[0] == duckdb.connect(str(demo_db), read_only=True).execute(
        "SELECT count(*) FROM applications JOIN reports USING (report_id) WHERE year = 2021").fetchone()[0]
    assert check.execute(f"SELECT count(*) FROM '{out}/documents.parquet'").fetchone()[0] == counts["documents"]

    # Again into the same folder: replaced, not appended.
    assert runner.invoke(app, ["export", "--db", str(demo_db), "--out", str(out)]).exit_code == 0
    assert check.execute(f"SELECT count(*) FROM read_parquet('{out}/reports/*/*.parquet')").fetchone()[0] == \
        counts["reports"]

    csv_out = tmp_path / "csv"
    result = runner.invoke(app, ["export", "--db", str(demo_db), "--out", str(csv_out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert check.execute(f"SELECT count(*) FROM read_csv('{csv_out}/check_results.csv')").fetchone()[0] == \
        counts["check_results"]


def test_league_rows_and_flags_agree(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        rows = compliance_table(con, read_registry_file(DEMO_REGISTRY))
        flags = flag_rows(con, rows)
    assert sum((r.open_errors or 0) + (r.open_warnings or 0) for r in rows) == len(flags) == 15


@pytest.mark.slow
def test_notebook_executes_and_agrees_with_compare(demo_db, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    from nianbao import config
    from nianbao.supervise.registry import load_registry, save_registry
    from nianbao.warehouse.store import write_session

    db = tmp_path / "demo.duckdb"  # as `make demo` leaves it: the demo's registry in the warehouse
    shutil.copy(demo_db, db)
    with write_session(db) as warehouse:
        save_registry(warehouse.con, load_registry(config.demo_registry_files()))
    monkeypatch.setenv("NIANBAO_DB", str(db))
    monkeypatch.setenv("NIANBAO_ROOT", str(ROOT))
    notebook = nbformat.read(ROOT / "notebooks" / "explore.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    compared = runner.invoke(app, ["compare", "--db", str(db), "--year", "2021", "--format", "csv", "--codes"])
    rows = list(csv.DictReader(io.StringIO(compared.stdout)))
    n_missing = sum(r["status"] == "missing" for r in rows)
    assert (len(rows), n_missing) == (17, 8)
    assert f"{len(rows)} agencies expected or published in 2021; {n_missing} missing; 15 open flags in all years" in text
    svgs = [o["data"]["image/svg+xml"] for o in outputs if "image/svg+xml" in o.get("data", {})]
    assert len(svgs) == 3 and all('class="chart"' in s for s in svgs)
    tables = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert "舞阳县民政局" in tables[0] and "未发布" in tables[0]
    # Counts are whole numbers: 新收 21, never 21.0.
    assert "<td>21</td>" in tables[0] and "21.0" not in tables[0]
