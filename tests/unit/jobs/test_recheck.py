"""The warehouse-scope rules (T3_CROSS_YEAR, T2_STOCK_CROSS_YEAR, T2_V2019_CROSS_YEAR, DUPLICATION)
on the check fixtures: exact flags on the later report, the same warehouse whatever order the
years arrive in, re-evaluated when either report changes, and zero false flags on every
sample, hold-out and fixture document ingested together."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from nianbao.jobs.ingest import ingest_paths
from nianbao.jobs.recheck import refresh_all
from nianbao.normalize.checks_history import ReportContext, StoredReport, check_duplication
from nianbao.normalize.model import NarrativeBlock
from nianbao.pipeline import process_document
from nianbao.warehouse.queries import evidence_cells
from nianbao.warehouse.store import write_session
from tests.paths import CHECK_FILES, HOLDOUTS, OFFICE_FILES, SAMPLES

FILES = CHECK_FILES
OFFICE = OFFICE_FILES

FLAG_SQL = """
    SELECT regexp_extract(d.source, '[^/]+$') AS file, r.is_current, c.rule, c.severity, c.subject, c.expected,
           c.actual, c.message, c.seq, CAST(c.evidence AS VARCHAR), c.fingerprint
    FROM check_results c JOIN reports r USING (report_id) JOIN documents d USING (document_id)
    {where}
    ORDER BY file, c.seq
"""


def flags(db: Path, where: str = "") -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(FLAG_SQL.format(where=where)).fetchall()


def warehouse_flags(db: Path) -> list[tuple]:
    return [(f[0], f[2], f[3], f[4], f[5], f[6]) for f in flags(
        db, "WHERE c.rule IN ('T3_CROSS_YEAR', 'T2_STOCK_CROSS_YEAR', 'T2_V2019_CROSS_YEAR', 'DUPLICATION')")]


def ingest_one_by_one(db: Path, names: list[str]) -> None:
    for name in names:
        ingest_paths([str(FILES / name)], db, workers=0)


# ---------------------------------------------------------------------------- each rule

def test_cross_year_carry_over_and_stock(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_one_by_one(db, ["xinfeng_slj_2021.html", "xinfeng_slj_2022_carry.html"])
    rows = flags(db, "WHERE c.severity <> 'info'")
    assert [r[:7] for r in rows] == [
        ("xinfeng_slj_2022_carry.html", True, "T3_CROSS_YEAR", "warn", "natural_person", Decimal(0), Decimal(2)),
        ("xinfeng_slj_2022_carry.html", True, "T3_CROSS_YEAR", "warn", "total", Decimal(0), Decimal(2)),
        ("xinfeng_slj_2022_carry.html", True, "T2_STOCK_CROSS_YEAR", "warn", "normative_documents",
         Decimal(25), Decimal(28)),
    ]
    assert rows[0][7] == ("2022年度报告（xinfeng_slj_2022_carry.html）「二、上年结转政府信息公开申请数量」「自然人」列为2，"
                          "但2021年度报告（xinfeng_slj_2021.html）「四、结转下年度继续办理」「自然人」列为0，不相等。")
    assert rows[2][7] == ("2022年度报告（xinfeng_slj_2022_carry.html）「第二十条第（一）项·行政规范性文件」现行有效件数为28，"
                          "但2021年度报告（xinfeng_slj_2021.html）的现行有效件数23 + 本年制发3 − 本年废止1 = 25，不相等"
                          "（规章修改、文件自然失效也会造成差异，请核实）。")
    # The evidence cites the cell of each year's document.
    evidence = evidence_cells(rows[0][9], rows[0][0])
    assert [(Path(e["document"]).name, e["table"], e["row"], e["col"]) for e in evidence] == [
        ("xinfeng_slj_2022_carry.html", 1, 4, 3), ("xinfeng_slj_2021.html", 1, 27, 3)]
    # Stored: only the other report's cell names its document.
    assert [Path(e["document"]).name if "document" in e else None for e in json.loads(rows[0][9])] == [
        None, "xinfeng_slj_2021.html"]


def test_cross_year_v2019_items(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_one_by_one(db, ["xinfeng_zrzyj_2019.html", "xinfeng_zrzyj_2020.html"])
    assert warehouse_flags(db) == [
        ("xinfeng_zrzyj_2020.html", "T2_V2019_CROSS_YEAR", "warn", "licensing", Decimal(113), Decimal(117))]
    message = flags(db, "WHERE c.rule = 'T2_V2019_CROSS_YEAR'")[0][7]
    assert message == ("2020年度报告（xinfeng_zrzyj_2020.html）「第二十条第（五）项·行政许可」上一年项目数量为117，"
                       "但2019年度报告（xinfeng_zrzyj_2019.html）的上一年项目数量118 + 本年增/减-5 = 113，不相等。")


def test_consistent_years_give_no_cross_year_flag(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_one_by_one(db, ["xinfeng_jtj_2021.html", "xinfeng_jtj_2022_nodate.html"])
    assert warehouse_flags(db) == []


def test_duplication_previous_year_text(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_one_by_one(db, ["xinfeng_wjw_2021.html", "xinfeng_wjw_2022_copy.html"])
    rows = flags(db, "WHERE c.rule = 'DUPLICATION'")
    assert [r[:7] for r in rows] == [
        ("xinfeng_wjw_2022_copy.html", True, "DUPLICATION", "warn", "previous_year", Decimal("0.8"), Decimal(1))]
    assert rows[0][7] == ("2022年度报告（xinfeng_wjw_2022_copy.html）的文字与2021年度报告（xinfeng_wjw_2021.html）的相似度为"
                          "100%（按5字片段计算的Jaccard相似度，数字不计），内容可能雷同。")
    # The copied paragraphs of both documents are the evidence.
    documents = {Path(e["document"]).name for e in evidence_cells(rows[0][9], rows[0][0])}
    assert documents == {"xinfeng_wjw_2022_copy.html", "xinfeng_wjw_2021.html"}


def test_duplication_identical_tables_across_years(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_one_by_one(db, ["xinfeng_zjj_2021.html", "xinfeng_zjj_2022_same_tables.html"])
    rows = [r for r in flags(db, "WHERE c.rule = 'DUPLICATION'")]
    assert [r[2:7] for r in rows] == [("DUPLICATION", "warn", "previous_year_tables", Decimal(200), Decimal(200))]
    assert rows[0][7] == ("2022年度报告（xinfeng_zjj_2022_same_tables.html）统计表的200个数字（其中34个非零）与2021年度报告"
                          "（xinfeng_zjj_2021.html）逐格相同，数据可能未更新。")


def test_duplication_between_peers_flags_both(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_one_by_one(db, ["xinfeng_czj_2022.html", "anyuan_czj_2022_copy.html"])
    assert warehouse_flags(db) == [
        ("anyuan_czj_2022_copy.html", "DUPLICATION", "warn", "peer:信丰县财政局", Decimal("0.8"), Decimal("0.92")),
        ("xinfeng_czj_2022.html", "DUPLICATION", "warn", "peer:安远县财政局", Decimal("0.8"), Decimal("0.92")),
    ]


def test_duplication_needs_enough_text_and_nonzero_tables():
    """A report repeated whole is flagged twice (text, tables); a short text is not compared, and
    a table of zeros (a township with no requests) repeats honestly."""
    report = process_document(FILES / "xinfeng_jtj_2021.html").report

    def stored(r, year):
        return StoredReport(f"rp_{year}", "ag_1", "信丰县交通运输局", year, f"{year}.html", r)

    repeated = check_duplication(ReportContext(current=stored(report, 2022), previous=stored(report, 2021)))
    assert [r.subject for r in repeated] == ["previous_year", "previous_year_tables"]

    zeros = replace(
        report,
        narrative=(NarrativeBlock("overview", "本年度未收到政府信息公开申请。"),),
        applications=tuple(replace(v, value=0) for v in report.applications),
        appeals=tuple(replace(v, value=0) for v in report.appeals),
        active=tuple(replace(v, value=Decimal(0)) for v in report.active),
    )
    assert check_duplication(ReportContext(current=stored(zeros, 2022), previous=stored(zeros, 2021))) == []


# ---------------------------------------------------------------------------- order and changes

@pytest.mark.parametrize("names", [
    ["xinfeng_slj_2021.html", "xinfeng_slj_2022_carry.html"],
    ["xinfeng_zrzyj_2019.html", "xinfeng_zrzyj_2020.html"],
    ["xinfeng_wjw_2021.html", "xinfeng_wjw_2022_copy.html"],
    ["xinfeng_zjj_2021.html", "xinfeng_zjj_2022_same_tables.html"],
    ["xinfeng_czj_2022.html", "anyuan_czj_2022_copy.html"],
])
def test_the_same_flags_whatever_order_the_years_arrive_in(tmp_path, names):
    forward, backward = tmp_path / "f.duckdb", tmp_path / "b.duckdb"
    ingest_one_by_one(forward, names)
    ingest_one_by_one(backward, list(reversed(names)))
    assert flags(forward) == flags(backward)
    assert warehouse_flags(forward)


def test_the_same_flags_when_both_years_arrive_in_one_batch(tmp_path):
    one, batch = tmp_path / "one.duckdb", tmp_path / "batch.duckdb"
    names = ["xinfeng_slj_2022_carry.html", "xinfeng_slj_2021.html"]
    ingest_one_by_one(one, names)
    ingest_paths([str(FILES / n) for n in names], batch, workers=0)
    assert flags(one) == flags(batch)


def test_a_changed_previous_year_updates_the_later_flags(tmp_path):
    """When last year's report is replaced, this year's cross-year flags follow the new version."""
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(FILES / "xinfeng_slj_2022_carry.html", folder)
    db = tmp_path / "w.duckdb"
    ingest_paths([str(folder), str(FILES / "xinfeng_slj_2021.html")], db, workers=0)
    assert {f[3] for f in warehouse_flags(db)} == {"natural_person", "total", "normative_documents"}
    # A corrected 2021 report whose 结转下年度 自然人 is 2: the carry-over now agrees.
    text = (FILES / "xinfeng_slj_2021.html").read_text(encoding="utf-8")
    row = '<tr><td colspan="3">四、结转下年度继续办理</td>' + "<td>0</td>" * 7 + "</tr>"
    corrected = text.replace(row, row.replace("<td>0</td>", "<td>2</td>", 1)[: -len("<td>0</td></tr>")]
                             + "<td>2</td></tr>")
    assert corrected != text
    (folder / "xinfeng_slj_2021_corrected.html").write_text(corrected, encoding="utf-8")
    ingest_paths([str(folder / "xinfeng_slj_2021_corrected.html")], db, workers=0)
    assert {f[3] for f in warehouse_flags(db)} == {"normative_documents"}


def test_recheck_rewrites_nothing_when_nothing_changed(tmp_path):
    db = tmp_path / "w.duckdb"
    ingest_paths([str(FILES)], db, workers=0)
    before = flags(db)
    with write_session(db) as warehouse:
        assert refresh_all(warehouse.con) == 9
    assert flags(db) == before


# ---------------------------------------------------------------------------- the whole corpus

def _expected_flags(folders: list[Path]) -> dict[str, set[tuple[str, str, str]]]:
    want: dict[str, set[tuple[str, str, str]]] = {}
    for folder in folders:
        for path in folder.glob("*.expected.json"):
            exp = json.loads(path.read_text(encoding="utf-8"))
            if exp.get("expected_status", "ok") == "ok":
                want[exp["file"]] = {(f["rule"], f["subject"], f["severity"]) for f in exp.get("expected_flags", [])}
    return want


@pytest.mark.slow
def test_zero_false_flags_on_samples_holdouts_and_fixtures_together(tmp_path):
    """Every sample, hold-out, check fixture and office fixture (DOCX and PDF) in one warehouse,
    so peers and consecutive years meet (the sample 舞阳县卫生健康委员会 2022 continues the office
    fixture of 2021): the error and warn flags of each document are exactly its expected ones,
    of every rule."""
    folders = [SAMPLES, *HOLDOUTS, FILES]
    office = sorted(p for p in OFFICE.iterdir() if p.suffix in (".docx", ".pdf"))
    db = tmp_path / "all.duckdb"
    ingest_paths([*(str(f) for f in folders), *(str(p) for p in office)], db, workers=2)
    got: dict[str, set[tuple[str, str, str]]] = {}
    for row in flags(db, "WHERE c.severity IN ('error', 'warn')"):
        got.setdefault(row[0], set()).add((row[2], row[4], row[3]))
    ingested = {p.name for f in folders for p in f.iterdir()} | {p.name for p in office}
    want = {n: f for n, f in _expected_flags([*folders, OFFICE]).items() if n in ingested}
    assert {n: f for n, f in got.items() if f} == {n: f for n, f in want.items() if f}


def test_cross_year_flags_after_a_batch_stored_one_by_one(tmp_path, monkeypatch):
    """A batch that cannot be stored together is stored document by document; the cross-year
    rules still run, once, and the document that failed leaves no trace."""
    from nianbao.jobs.recheck import store_results
    from nianbao.warehouse.store import Warehouse

    results = [process_document(FILES / n) for n in
               ("xinfeng_slj_2021.html", "xinfeng_slj_2022_carry.html", "xinfeng_jtj_2021.html")]
    original = Warehouse._append_cells

    def fail_for_jtj(self, report_id, report):
        if report.agency == "信丰县交通运输局":
            raise ValueError("a cell the warehouse cannot hold")
        original(self, report_id, report)

    monkeypatch.setattr(Warehouse, "_append_cells", fail_for_jtj)
    db = tmp_path / "w.duckdb"
    with write_session(db) as warehouse:
        outcomes = store_results(warehouse, results)
    assert [o.error is None for o in outcomes] == [True, True, False]
    assert {(f[0], f[3]) for f in warehouse_flags(db)} == {
        ("xinfeng_slj_2022_carry.html", "natural_person"), ("xinfeng_slj_2022_carry.html", "total"),
        ("xinfeng_slj_2022_carry.html", "normative_documents")}
