"""`nianbao export`: every warehouse table as Parquet (partitioned by report year) or CSV, for
other tools. Tables keyed by report get the report's `year` as their partition column."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
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


MANIFEST = "manifest.json"
MANIFEST_KIND = "nianbao-export"


class ExportError(Exception):
    """The export would overwrite something it did not write; the message names it."""


def _owned(out: Path) -> list[str]:
    """The files an earlier export wrote into `out` (its manifest), relative to `out`."""
    path = out / MANIFEST
    if not path.is_file():
        return []
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ExportError(f"{path} is not a nianbao export manifest; export into another folder") from None
    if not isinstance(manifest, dict) or manifest.get("kind") != MANIFEST_KIND:
        raise ExportError(f"{path} was not written by `nianbao export`; export into another folder")
    return [f for f in manifest.get("files", []) if isinstance(f, str)]


def _inside(out: Path, relative: str) -> Path | None:
    target = (out / relative).resolve()
    return target if target.is_relative_to(out.resolve()) else None


def export_warehouse(con: duckdb.DuckDBPyConnection, out_dir: str | Path, fmt: str = "parquet") -> list[ExportedTable]:
    """Write every table of the warehouse under `out_dir` and a manifest.json listing the tables and
    every file written. Parquet: tables with a year (reports, the cell tables, flags…) as hive
    partitions `<table>/year=2021/…`; the others as `<table>.parquet`. CSV: `<table>.csv`.

    Only files an earlier export listed in its manifest are replaced or removed: anything else in
    the folder (the user's own files and folders) is left alone, and a name the export needs that
    is taken by such a file stops it with ExportError before anything is written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    owned = _owned(out)
    owned_set = set(owned)
    tables = warehouse_tables(con)
    staging = Path(tempfile.mkdtemp(prefix=".nianbao-export-", dir=out))
    try:
        done: list[ExportedTable] = []
        for table in tables:
            query, has_year = _source(con, table)
            rows = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
            if fmt == "parquet" and has_year and rows > 0:
                con.execute(f"COPY ({query}) TO {_path_literal(staging / table)} (FORMAT parquet, PARTITION_BY (year))")
                done.append(ExportedTable(table, rows, table, True))
            elif fmt == "parquet":
                con.execute(f"COPY ({query}) TO {_path_literal(staging / f'{table}.parquet')} (FORMAT parquet)")
                done.append(ExportedTable(table, rows, f"{table}.parquet", False))
            else:
                con.execute(f"COPY ({query}) TO {_path_literal(staging / f'{table}.csv')} (FORMAT csv, HEADER)")
                done.append(ExportedTable(table, rows, f"{table}.csv", False))
        files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
        owned_tops = {f.split("/")[0] for f in owned}
        clashes = sorted({f.split("/")[0] for f in files if (out / f.split("/")[0]).exists()} - owned_tops)
        clashes += [f for f in files if (out / f).exists() and f not in owned_set and f.split("/")[0] in owned_tops]
        if clashes:
            raise ExportError(f"{out} already has {', '.join(sorted(clashes)[:5])}"
                              f"{' …' if len(clashes) > 5 else ''}, which an earlier export did not write; "
                              "move it away or export into another folder (nothing was changed)")
        for relative in owned:  # the earlier export's files, and the folders they leave empty
            target = _inside(out, relative)
            if target is not None and target.is_file():
                target.unlink()
                parent = target.parent
                while parent != out.resolve() and parent.is_dir() and not any(parent.iterdir()):
                    parent.rmdir()
                    parent = parent.parent
        for relative in files:
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / relative, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    manifest = {"kind": MANIFEST_KIND, "format": fmt, "tables": [t.__dict__ for t in done], "files": files}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return done
