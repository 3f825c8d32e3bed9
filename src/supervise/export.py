"""`nianbao export`: every warehouse table as Parquet (partitioned by report year) or CSV, for
other tools. Tables keyed by report get the report's `year` as their partition column."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

FORMATS = ("parquet", "csv")


@dataclass(frozen=True)
class ExportedTable:
    table: str
    rows: int
    path: str  # relative to the export folder: a file, or a folder of year=… partitions
    partitioned: bool


def warehouse_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _source(con: duckdb.DuckDBPyConnection, table: str) -> tuple[str, bool]:
    """The query that exports `table`, and whether it carries a year to partition by."""
    columns = _columns(con, table)
    if "year" in columns:
        return f"SELECT * FROM {_quote(table)}", True
    if "report_id" in columns and table != "reports":
        return (f"SELECT t.*, r.year AS year FROM {_quote(table)} t "
                f"LEFT JOIN (SELECT report_id, year FROM reports) r USING (report_id)"), True
    return f"SELECT * FROM {_quote(table)}", False


def export_warehouse(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str = "parquet") -> list[ExportedTable]:
    """Write every table of the warehouse under `out_dir` (replacing an earlier export there) and a
    manifest.json listing them. Parquet: tables with a year (reports, the cell tables, flags…) as
    hive partitions `<table>/year=2021/…`; the others as `<table>.parquet`. CSV: `<table>.csv`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    done: list[ExportedTable] = []
    for table in warehouse_tables(con):
        query, has_year = _source(con, table)
        rows = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
        for old in (out / table, out / f"{table}.parquet", out / f"{table}.csv"):
            if old.is_dir():
                shutil.rmtree(old)
            elif old.exists():
                old.unlink()
        if fmt == "parquet" and has_year and rows > 0:
            target = out / table
            con.execute(f"COPY ({query}) TO {_path_literal(target)} (FORMAT parquet, PARTITION_BY (year))")
            done.append(ExportedTable(table, rows, table, True))
        elif fmt == "parquet":
            target = out / f"{table}.parquet"
            con.execute(f"COPY ({query}) TO {_path_literal(target)} (FORMAT parquet)")
            done.append(ExportedTable(table, rows, target.name, False))
        else:
            target = out / f"{table}.csv"
            con.execute(f"COPY ({query}) TO {_path_literal(target)} (FORMAT csv, HEADER)")
            done.append(ExportedTable(table, rows, target.name, False))
    manifest = {"format": fmt, "tables": [t.__dict__ for t in done]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return done
