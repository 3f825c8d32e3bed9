"""tables.py: one description of every table, from which the DDL, the loader's rows, the readers'
records and docs/warehouse.md are derived."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from nianbao.warehouse.store import write_session
from nianbao.warehouse.tables import (
    DATA_TABLES,
    DOC_BEGIN,
    DOC_END,
    REPORT_CHILD_TABLES,
    TABLES,
    VIEWS,
    ddl,
    markdown,
    table,
)
from tests.paths import REPO

SPEC_TABLES = ("agencies", "documents", "reports", "applications", "active_disclosure", "appeals", "check_results")


def test_docs_warehouse_md_holds_the_generated_table_section():
    doc = (REPO / "docs" / "warehouse.md").read_text(encoding="utf-8")
    begin, end = doc.index(DOC_BEGIN), doc.index(DOC_END) + len(DOC_END)
    assert doc[begin:end] == markdown(), "run `python -m nianbao.warehouse.tables --markdown` into docs/warehouse.md"


def test_the_command_prints_the_section_and_the_ddl():
    run = [sys.executable, "-m", "nianbao.warehouse.tables"]
    md = subprocess.run([*run, "--markdown"], capture_output=True, text=True, check=True, cwd=REPO).stdout
    sql = subprocess.run([*run, "--sql"], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert md == markdown() + "\n" and sql == ddl()
    assert "| **value** | DECIMAL(38,10) | yes | exactly as printed (fees have up to six decimals) |" in md


def test_a_new_warehouse_has_exactly_the_described_columns_types_and_keys(tmp_path):
    with write_session(tmp_path / "wh.duckdb") as wh:
        columns = wh.con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
            "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position").fetchall()
        keys = {t: tuple(cols) for t, cols in wh.con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() "
            "WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
        views = {v for (v,) in wh.con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    described = {t.name for t in TABLES}
    # The crawl tables (src/fetch/schema.sql) live in the same file but belong to fetch.
    assert [c for c in columns if c[0] in described] == [
        (t.name, c.name, c.type, "YES" if c.nullable else "NO") for t in sorted(TABLES, key=lambda t: t.name)
        for c in t.columns]
    assert {t for t in keys if t in described} == {t.name for t in TABLES if t.enforced}
    assert all(keys[t.name] == t.key for t in TABLES if t.enforced)
    assert views >= {v.name for v in VIEWS}


def test_the_spec_tables_and_columns_are_all_there():
    assert tuple(t.name for t in TABLES if t.spec) == SPEC_TABLES
    assert [c.name for c in table("applications").columns if c.spec] == ["report_id", "row", "applicant", "value"]
    assert [c.name for c in table("appeals").columns if c.spec] == ["report_id", "proceeding", "outcome", "value"]
    assert DATA_TABLES == ("agencies", "documents", "reports", "applications", "active_disclosure", "appeals",
                           "check_results", "structure_notes", "narrative_blocks", "narrative_buckets")
    assert REPORT_CHILD_TABLES == ("applications", "active_disclosure", "appeals", "check_results",
                                   "structure_notes", "narrative_blocks", "narrative_buckets")


def test_a_row_is_in_column_order_and_must_name_every_column():
    buckets = table("narrative_buckets")
    assert buckets.row(bucket=7, report_id="rp_x", band=3) == ("rp_x", 3, 7)
    with pytest.raises(ValueError, match=r"narrative_buckets: a row names \['band', 'colour'\] wrongly"):
        buckets.row(report_id="rp_x", bucket=7, colour="red")
    assert table("applications").select_list(["row", "value"], alias="a") == 'a."row", a.value'
    assert table("runs").insert_sql(["run_id", "workers"]) == "INSERT INTO runs (run_id, workers) VALUES (?, ?)"


def test_records_map_selected_rows_by_column_name():
    con = duckdb.connect()
    con.execute(table("narrative_buckets").create_sql())
    con.execute("INSERT INTO narrative_buckets VALUES ('rp_a', 0, 11), ('rp_a', 1, 12)")
    t = table("narrative_buckets")
    rows = con.execute(f"SELECT {t.select_list(['band', 'bucket'])} FROM narrative_buckets ORDER BY band").fetchall()
    assert t.records(rows, ["band", "bucket"]) == [{"band": 0, "bucket": 11}, {"band": 1, "bucket": 12}]
