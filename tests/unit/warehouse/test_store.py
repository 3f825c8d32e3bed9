"""The warehouse load: exact rows, idempotence, rollback, is_current, non-reports, locking."""

from __future__ import annotations

import fcntl
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pytest
from sample_results import (
    AGENCY,
    FETCHED_AT,
    doc_id,
    dump_tables,
    make_non_report,
    make_result,
)

from nianbao.normalize.agency import agency_id_for
from nianbao.warehouse.queries import ReportNotFound, evidence_cells, find_agencies, report_view, run_summary
from nianbao.warehouse.store import (
    DATA_TABLES,
    SCHEMA_VERSION,
    LoadError,
    Warehouse,
    WarehouseError,
    WarehouseLocked,
    lock_path_for,
    read_session,
    report_id_for,
    write_session,
)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "wh.duckdb"


def open_and_close(session, db) -> None:
    with session(db):
        pass


def count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_load_writes_every_table_exactly(db):
    result = make_result("doc-a")
    src = result.source
    did = result.document_id
    rid = report_id_for(did)
    aid = agency_id_for(AGENCY)
    with write_session(db) as wh:
        outcome = wh.load(result)
        con = wh.con
        assert outcome.report_id == rid == "rp_" + did[:16]
        assert outcome.n_flags == 1

        assert con.execute("SELECT * FROM agencies").fetchall() == [
            (aid, AGENCY, "河南省", "漯河市", "舞阳县", "411121", "county", "工业和信息化")]
        assert con.execute("SELECT * FROM documents").fetchall() == [
            (did, src, "html", FETCHED_AT, 1234, "ok", None, None, None, None)]  # pdf_engine, pipeline_version, source_bytes
        assert con.execute("SELECT * FROM reports").fetchall() == [(
            rid, did, aid, 2021, f"{AGENCY}2021年政府信息公开工作年度报告", "v2021", date(2022, 1, 25), True,
            AGENCY, AGENCY, date(2022, 1, 20), "ok", None,
            json.dumps({"applications": "v2021", "active": "v2021"}),
            json.dumps(["overview", "active", "applications", "appeals"]),
            "department", f"发布机关「{AGENCY}」是政府部门",
        )]
        assert con.execute('SELECT * FROM applications ORDER BY "row", applicant').fetchall() == [
            (rid, "carried_in", "natural_person", None, "", "blank cell", "blank",
             "/html/body/table[3]/tr[5]/td[3]", None, 2, 4, 2),
            (rid, "received", "natural_person", 5, "5", None, None, "/html/body/table[3]/tr[4]/td[3]", None, 2, 3, 2),
            (rid, "received", "total", 6, "6", None, None, "/html/body/table[3]/tr[4]/td[9]", None, 2, 3, 8),
        ]
        assert con.execute("SELECT * FROM active_disclosure ORDER BY item").fetchall() == [
            (rid, "art20_1", "rules", "issued", Decimal(2), None, "2", None, None,
             "/html/body/table[1]/tr[3]/td[2]", None, 0, 2, 1),
            # DECIMAL(38,10): the six decimals of a fee are kept exactly (DECIMAL(18,4) rounded them).
            (rid, "art20_8", "fees", "amount", Decimal("5949.088667"), "万元", "5949.088667", None, None,
             "/html/body/table[2]/tr[3]/td[2]", None, 1, 2, 1),
        ]
        assert con.execute("SELECT * FROM appeals ORDER BY outcome").fetchall() == [
            (rid, "review", "total", 2, "2", None, None, "/html/body/table[4]/tr[4]/td[5]", None, 3, 3, 4),
            (rid, "review", "upheld", 1, "1", None, None, "/html/body/table[4]/tr[4]/td[1]", None, 3, 3, 0),
        ]
        check = con.execute("SELECT * FROM check_results").fetchall()
        assert len(check) == 1
        (r_id, rule, severity, subject, expected, actual, message, seq, description, evidence, fingerprint) = check[0]
        assert fingerprint is None  # a hand-built result: run_checks gives each flag its fingerprint
        assert (r_id, rule, severity, subject, expected, actual, seq) == (
            rid, "T3_ROW_TOTAL", "error", "received", Decimal(5), Decimal(6), 1)
        assert message.startswith("「一、本年新收政府信息公开申请数量」行")
        assert description.startswith("per row: total ==")
        # Stored without the report's own path and the NULLs; read back whole.
        assert json.loads(evidence) == [
            {"locator": "/html/body/table[3]/tr[4]/td[3]", "table": 2, "row": 3, "col": 2},
            {"locator": "/html/body/table[3]/tr[4]/td[9]", "table": 2, "row": 3, "col": 8},
        ]
        assert evidence_cells(evidence, src) == [
            {"document": src, "locator": "/html/body/table[3]/tr[4]/td[3]", "page": None, "table": 2,
             "row": 3, "col": 2},
            {"document": src, "locator": "/html/body/table[3]/tr[4]/td[9]", "page": None, "table": 2,
             "row": 3, "col": 8},
        ]
        assert con.execute("SELECT * FROM structure_notes").fetchall() == [
            (rid, 1, "appeals", "extra_column", "表格多出官方格式没有的列「小计」（第6列），已忽略，未计入数据",
             "/html/body/table[4]/tr[2]/td[6]", None, 3, 1, 5, '{"label": "小计", "column": 6}')]
        assert con.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def test_reloading_the_same_document_changes_nothing(db):
    first = make_result("doc-a")
    with write_session(db) as wh:
        wh.load(first)
        wh.load(make_non_report())
        before = dump_tables(wh.con, DATA_TABLES)
        # Seen again later (a new fetch of the same bytes): same ids, first-seen time and source kept.
        wh.load(replace(first, fetched_at=FETCHED_AT + timedelta(days=30), source="elsewhere/doc-a.html"))
        wh.load(first)
        wh.load(make_non_report())
        assert dump_tables(wh.con, DATA_TABLES) == before
    with write_session(db) as wh:  # and across sessions
        wh.load(first)
        assert dump_tables(wh.con, DATA_TABLES) == before


def test_a_failing_load_rolls_back_completely(db, monkeypatch):
    with write_session(db) as wh:
        wh.load(make_result("doc-a"))
        before = dump_tables(wh.con, DATA_TABLES)

        def explode(self, report_id, checks, own_document):
            raise RuntimeError("disk on fire")

        # Fails after the document, report and cells were written in the transaction.
        monkeypatch.setattr(Warehouse, "_append_checks", explode)
        with pytest.raises(LoadError, match="disk on fire"):
            wh.load(make_result("doc-a", received=50))  # a re-ingest: its deletes must be undone too
        with pytest.raises(LoadError, match="could not be stored"):
            wh.load(make_result("doc-b", year=2022))
        assert dump_tables(wh.con, DATA_TABLES) == before
        monkeypatch.undo()
        wh.load(make_result("doc-b", year=2022))  # the connection is usable afterwards
        assert count(wh.con, "reports") == 2


def test_record_failure_keeps_only_a_failed_documents_row(db):
    result = make_result("doc-a")
    with write_session(db) as wh:
        wh.load(result)
        wh.record_failure(result, "could not be stored")
        assert wh.con.execute("SELECT status, error, fetched_at FROM documents").fetchall() == [
            ("failed", "could not be stored", FETCHED_AT)]
        for table in ("reports", "applications", "active_disclosure", "appeals", "check_results"):
            assert count(wh.con, table) == 0


def test_is_current_moves_to_the_newer_version_and_the_old_one_stays(db):
    old = make_result("v1", fetched_at=datetime(2022, 2, 1))
    new = make_result("v2", fetched_at=datetime(2022, 6, 1), received=7)
    other_year = make_result("v3", year=2020, fetched_at=datetime(2021, 2, 1))

    def current(con):
        return sorted(con.execute("SELECT report_id, year, is_current FROM reports").fetchall())

    rid = {r.document_id: report_id_for(r.document_id) for r in (old, new, other_year)}
    with write_session(db) as wh:
        wh.load(old)
        wh.load(other_year)
        assert current(wh.con) == sorted([(rid[old.document_id], 2021, True),
                                          (rid[other_year.document_id], 2020, True)])
        wh.load(new)
        expected = sorted([(rid[old.document_id], 2021, False), (rid[new.document_id], 2021, True),
                           (rid[other_year.document_id], 2020, True)])
        assert current(wh.con) == expected
        wh.load(replace(old, fetched_at=datetime(2023, 1, 1)))  # seeing v1 again does not make it newer
        assert current(wh.con) == expected
        assert count(wh.con, "applications") == 9  # both versions keep their cells

    # Same first-seen time: the larger document_id wins, whatever the load order.
    tie_a = make_result("tie-a", year=2019)
    tie_b = make_result("tie-b", year=2019)
    winner = max(tie_a.document_id, tie_b.document_id)
    with write_session(db) as wh:
        wh.load(tie_b)
        wh.load(tie_a)
        rows = wh.con.execute("SELECT document_id FROM reports WHERE year = 2019 AND is_current").fetchall()
        assert rows == [(winner,)]


def test_a_reloaded_report_that_moved_year_leaves_its_old_group_correct(db):
    a = make_result("a", fetched_at=datetime(2022, 1, 1))
    b = make_result("b", fetched_at=datetime(2022, 2, 1))
    with write_session(db) as wh:
        wh.load(a)
        wh.load(b)
        # A better normalizer now reads b as the 2022 report: a becomes current for 2021 again.
        wh.load(make_result("b", fetched_at=datetime(2022, 2, 1), year=2022))
        assert sorted(wh.con.execute("SELECT document_id, year, is_current FROM reports").fetchall()) == sorted(
            [(a.document_id, 2021, True), (b.document_id, 2022, True)])


@pytest.mark.parametrize("status", ["not_a_report", "failed", "unsupported"])
def test_a_document_without_report_gets_a_documents_row_only(db, status):
    result = make_non_report("x", status=status, error=f"x.md: {status}")
    with write_session(db) as wh:
        outcome = wh.load(result)
        assert outcome.report_id is None
        assert wh.con.execute("SELECT * EXCLUDE (source_bytes) FROM documents").fetchall() == [
            (doc_id("x"), "data/samples/x.md", "txt", FETCHED_AT, 99, status, f"x.md: {status}", None, None)]
        for table in DATA_TABLES:
            if table != "documents":
                assert count(wh.con, table) == 0, table


def test_a_second_writer_gets_a_clear_error(db):
    with write_session(db), pytest.raises(WarehouseLocked, match=f"another nianbao ingest or crawl is writing {db}"):
        open_and_close(write_session, db)
    open_and_close(write_session, db)  # released afterwards


def test_a_held_lock_file_is_respected(db):
    fd = os.open(lock_path_for(db), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(WarehouseLocked, match="another nianbao ingest or crawl is writing"):
            open_and_close(write_session, db)
    finally:
        os.close(fd)


def test_duckdb_lock_held_by_another_program_becomes_a_clear_error(db):
    with write_session(db):
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); time.sleep(30)",
         str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        # The writer cannot tell whether the other program reads or writes; the reader can.
        with pytest.raises(WarehouseLocked, match="another program has it open .*reading or writing it"):
            open_and_close(write_session, db)
        with pytest.raises(WarehouseLocked, match="another program is writing it"):
            open_and_close(read_session, db)
    finally:
        holder.kill()
        holder.wait()


def test_bad_paths_give_clear_errors(tmp_path):
    with pytest.raises(WarehouseError, match="is a folder"):
        open_and_close(write_session, tmp_path)
    with pytest.raises(WarehouseError, match="no warehouse at"):
        open_and_close(read_session, tmp_path / "missing.duckdb")
    not_duckdb = tmp_path / "notes.duckdb"
    not_duckdb.write_text("hello")
    with pytest.raises(WarehouseError, match="cannot open the warehouse"):
        open_and_close(write_session, not_duckdb)
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()
    with pytest.raises(WarehouseError, match="not a nianbao warehouse"):
        open_and_close(read_session, other)


def test_run_summary_counts_documents_reports_and_flags(db):
    with write_session(db) as wh:
        run_id = wh.start_run(orchestrator="plain", paths=["data/samples"], workers=1)
        wh.load(make_result("doc-a"), run_id)
        wh.load(make_result("doc-b", year=2020), run_id)
        wh.load(make_non_report("readme"), run_id)
        wh.load(make_non_report("broken", status="failed", error="broken.md: unreadable"), run_id)
        wh.finish_run(run_id)
        time.sleep(0)
        summary = run_summary(wh.con, run_id)
        assert summary.n_documents == 4
        assert summary.documents_by_status == {"failed": 1, "not_a_report": 1, "ok": 2}
        assert summary.n_reports == 2
        assert [(f.rule, f.severity, f.count) for f in summary.flags] == [("T3_ROW_TOTAL", "error", 2)]
        assert [(p.source, p.status) for p in summary.problems] == [
            ("data/samples/readme.md", "not_a_report"), ("data/samples/broken.md", "failed")]
        run = wh.con.execute(
            "SELECT n_documents, n_ok, n_partial, n_failed, n_unsupported, n_not_a_report, n_reports, n_flags, "
            "finished_at IS NOT NULL FROM runs WHERE run_id = ?", [run_id]).fetchone()
        assert run == (4, 2, 0, 1, 0, 1, 2, 2, True)
        assert summary.as_dict()["n_flags"] == 2


def test_report_view_finds_agency_by_name_part_or_abbreviation(db):
    with write_session(db) as wh:
        wh.load(make_result("doc-a"))
        wh.load(make_result("doc-b", agency="舞阳县教育局"))
        con = wh.con
        assert [n for _, n in find_agencies(con, AGENCY)] == [AGENCY]
        assert [n for _, n in find_agencies(con, "工业和信息化")] == [AGENCY]
        assert [n for _, n in find_agencies(con, "舞阳工信局")] == [AGENCY]
        view = report_view(con, "舞阳工信局", 2021)
        assert view.header.agency == AGENCY and view.header.is_current
        assert len(view.applications) == 3 and len(view.active) == 2 and len(view.appeals) == 2
        assert view.flags[0].evidence[0].locator == "/html/body/table[3]/tr[4]/td[3]"
        assert (view.structure[0].kind, view.structure[0].params) == ("extra_column", {"label": "小计", "column": 6})
        with pytest.raises(ReportNotFound, match="matches 2 agencies") as ambiguous:
            report_view(con, "舞阳县", 2021)
        assert any(AGENCY in s for s in ambiguous.value.suggestions)
        with pytest.raises(ReportNotFound, match="no 2019 report") as no_year:
            report_view(con, AGENCY, 2019)
        assert no_year.value.suggestions == [f"{AGENCY} (2021)"]
        with pytest.raises(ReportNotFound, match="no agency matches"):
            report_view(con, "北京市公安局", 2021)


def _key_tables(con) -> set[str]:
    return {t for (t,) in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}


def test_a_schema_4_warehouse_is_upgraded_to_5_without_losing_a_row(tmp_path):
    from nianbao.pipeline import process_document
    from nianbao.warehouse.queries import report_view_by_id
    from tests.paths import REPO, SAMPLES

    new, old = tmp_path / "new.duckdb", tmp_path / "v4.duckdb"
    results = [process_document(SAMPLES / name) for name in ("cangnan_jyj_2021_mixed.html", "cangnan_zjj_2022_hant.html")]
    with write_session(new) as wh:
        wh.load_many(results)
        expected = dump_tables(wh.con, [t for t in DATA_TABLES if t != "check_results"])
        report_ids = [r for (r,) in wh.con.execute("SELECT report_id FROM reports ORDER BY 1").fetchall()]
        views = [report_view_by_id(wh.con, r) for r in report_ids]
        n_flags = wh.con.execute("SELECT count(*) FROM check_results").fetchone()[0]
    # Structure notes stored without params (before structure_notes.params) read with none; `detail` kept.
    assert any(n.params for v in views for n in v.structure)
    views_v4 = [replace(v, structure=tuple(replace(n, params={}) for n in v.structure)) for v in views]
    expected_v4 = {**expected, "structure_notes": sorted(
        (r[:-1] + (None,) for r in expected["structure_notes"]), key=repr)}
    # A version 4 warehouse as nianbao 4 wrote it: its DDL, a PRIMARY KEY on every table, evidence
    # citing every cell with its document and NULLs, structure notes without params.
    with duckdb.connect(str(old)) as con:
        con.execute((REPO / "tests" / "fixtures" / "warehouse_schema_v4.sql").read_text(encoding="utf-8"))
        con.execute("INSERT INTO schema_version VALUES (4, now(), 'version 4')")
        con.execute(f"ATTACH '{new}' AS new (READ_ONLY)")
        for name in DATA_TABLES:
            exclude = " EXCLUDE (params)" if name == "structure_notes" else ""
            con.execute(f"INSERT INTO {name} BY NAME SELECT *{exclude} FROM new.{name}")
        for report_id, seq, evidence, source in con.execute(
                "SELECT c.report_id, c.seq, c.evidence, d.source FROM check_results c JOIN reports r USING (report_id) "
                "JOIN documents d USING (document_id)").fetchall():
            con.execute("UPDATE check_results SET evidence = ? WHERE report_id = ? AND seq = ?",
                        [json.dumps(evidence_cells(evidence, source), ensure_ascii=False), report_id, seq])
        con.execute("DETACH new")
        assert {"applications", "check_results", "narrative_blocks", "reports"} <= _key_tables(con)
        assert '"document"' in con.execute("SELECT evidence FROM check_results LIMIT 1").fetchone()[0]
        assert "params" not in {c for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'structure_notes'").fetchall()}
    with read_session(old) as con:  # read as it is (a read-only session upgrades nothing)
        assert [report_view_by_id(con, r) for r in report_ids] == views_v4
    with write_session(old) as wh:
        versions = [v for (v,) in wh.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
        keyed = _key_tables(wh.con)
        assert dump_tables(wh.con, [t for t in DATA_TABLES if t != "check_results"]) == expected_v4
        # evidence of both forms reads the same
        assert [report_view_by_id(wh.con, r) for r in report_ids] == views_v4
        assert wh.con.execute("SELECT count(*) FROM check_results").fetchone()[0] == n_flags > 0
        wh.load_many(results)  # loads again, as into a new warehouse
        assert dump_tables(wh.con, [t for t in DATA_TABLES if t != "check_results"]) == expected
        assert [report_view_by_id(wh.con, r) for r in report_ids] == views
    assert versions == [4, SCHEMA_VERSION] and SCHEMA_VERSION == 5
    assert keyed == {"agencies", "documents", "reports", "runs", "review_decisions", "expected_publishers"}
    with write_session(old) as wh:  # a second opening changes nothing
        assert [v for (v,) in wh.con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()] == [4, 5]


def _blocks(con) -> tuple[int, int]:
    return con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size() "
                       "WHERE database_name = current_database()").fetchone()


def test_a_fragmented_warehouse_is_compacted_when_the_session_ends(tmp_path, caplog):
    from nianbao.pipeline import process_document
    from tests.paths import SAMPLES

    db = tmp_path / "wh.duckdb"
    results = [process_document(p) for p in sorted(SAMPLES.glob("*.html"))]
    caplog.set_level("INFO", logger="nianbao.warehouse")
    with write_session(db) as wh:
        wh.load_many(results)
        wh.con.execute("CHECKPOINT")
        wh.load_many(results)  # the same documents again: their old rows' blocks become free
        wh.con.execute("CHECKPOINT")
        total, free = _blocks(wh.con)
        rows = dump_tables(wh.con, DATA_TABLES)
    assert free >= 4 and free >= 0.15 * total
    before, after = map(int, re.search(rf"{re.escape(str(db))}: compacted from (\d+) to (\d+) bytes",
                                       caplog.text).groups())
    assert before >= total * 262144 and after == db.stat().st_size < (total - free + 1) * 262144
    assert not list(tmp_path.glob("*.tmp*"))
    with read_session(db) as con:
        assert _blocks(con)[1] == 0
        assert dump_tables(con, DATA_TABLES) == rows
        assert {t for (t,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()} >= {
            "open_flags", "flag_reviews"}
    caplog.clear()
    inode = db.stat().st_ino
    with write_session(db) as wh:  # compact now, and a session that reads only: left as it is
        assert wh.con.execute("SELECT count(*) FROM documents").fetchone() == (len(results),)
    assert db.stat().st_ino == inode and "compacted" not in caplog.text
