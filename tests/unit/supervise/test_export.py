"""`nianbao export` writes only files it owns (listed in its manifest) and never deletes anything else."""

from __future__ import annotations

import json

import duckdb
import pytest

from nianbao.supervise.export import ExportError, export_warehouse


def test_the_users_own_files_survive_an_export_and_a_re_export(web_demo_db, tmp_path):
    out = tmp_path / "out"
    (out / "mine").mkdir(parents=True)
    (out / "mine" / "notes.txt").write_text("my notes", encoding="utf-8")
    (out / "summary.xlsx").write_bytes(b"not ours")
    with duckdb.connect(str(web_demo_db), read_only=True) as con:
        first = export_warehouse(con, out, "parquet")
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["kind"] == "nianbao-export"
        assert "documents.parquet" in manifest["files"]
        assert all(not f.startswith(("mine", "summary")) for f in manifest["files"])
        # Again, as CSV: the Parquet files of the first export go, the user's stay.
        export_warehouse(con, out, "csv")
    assert (out / "mine" / "notes.txt").read_text(encoding="utf-8") == "my notes"
    assert (out / "summary.xlsx").read_bytes() == b"not ours"
    assert not (out / "documents.parquet").exists() and not (out / "reports").exists()
    assert (out / "documents.csv").is_file()
    assert {t.table for t in first} >= {"reports", "check_results", "expected_publishers", "review_log"}
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["mine", "summary.xlsx", "manifest.json"] + [f"{t.table}.csv" for t in first])


def test_a_name_taken_by_the_users_folder_stops_the_export_before_anything_changes(web_demo_db, tmp_path):
    out = tmp_path / "out"
    (out / "reports").mkdir(parents=True)
    (out / "reports" / "mine.txt").write_text("keep me", encoding="utf-8")
    with duckdb.connect(str(web_demo_db), read_only=True) as con, pytest.raises(
            ExportError, match=r"already has reports, which an earlier export did not write"):
        export_warehouse(con, out, "parquet")
    assert (out / "reports" / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.rglob("*")) == ["mine.txt", "reports"]


def test_a_foreign_manifest_is_not_trusted(web_demo_db, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"files": ["../../etc/passwd"]}', encoding="utf-8")
    with duckdb.connect(str(web_demo_db), read_only=True) as con, pytest.raises(
            ExportError, match="was not written by `nianbao export`"):
        export_warehouse(con, out, "csv")
