"""Readers read while an ingest writes (the snapshot it publishes), and messages that say what is
really happening: lock held by a reader, read-only folder, identical files (issue 16)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from sample_results import write_fixtures
from typer.testing import CliRunner

from nianbao.cli.main import app
from nianbao.common import dbfile
from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.snapshot import snapshot_path
from nianbao.warehouse.store import WarehouseError, WarehouseLocked, read_session, write_session

TESTS_HELPERS = str(Path(__file__).resolve().parents[2] / "helpers")
INGEST = (
    "import sys; from nianbao.jobs.ingest import ingest_paths; "
    "ingest_paths([sys.argv[1]], sys.argv[2], workers=1, processor='hostile_results:process_hostile')"
)


def test_supervisors_read_the_snapshot_while_an_ingest_writes(tmp_path):
    folder, db = tmp_path / "in", tmp_path / "wh.duckdb"
    write_fixtures(folder, {f"{i:02}.html": f"slow 0.5 舞阳县机关{i}局 2021" for i in range(16)})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([TESTS_HELPERS, os.environ.get("PYTHONPATH", "")]),
           "NIANBAO_SNAPSHOT_SECONDS": "0"}
    process = subprocess.Popen([sys.executable, "-c", INGEST, str(folder), str(db)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        stored = 0
        while time.monotonic() < deadline and stored < 2:
            time.sleep(0.2)
            if snapshot_path(db).exists():
                with duckdb.connect(str(snapshot_path(db)), read_only=True) as con:
                    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert process.poll() is None, "the ingest finished before the readers were tried"
        with pytest.raises(duckdb.IOException):  # DuckDB itself still refuses the main file ...
            duckdb.connect(str(db), read_only=True)
        with read_session(db) as con:  # ... nianbao reads the snapshot instead
            n = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        assert 2 <= n < 16
        result = CliRunner().invoke(app, ["compare", "--db", str(db), "--format", "csv"])
        assert result.exit_code == 0, result.output
        assert "舞阳县机关" in result.output
        result = CliRunner().invoke(app, ["show", "舞阳县机关0局", "2021", "--db", str(db)])
        assert result.exit_code == 0, result.output
    finally:
        process.wait(timeout=120)
    assert process.returncode == 0, process.stderr.read()
    with duckdb.connect(str(snapshot_path(db)), read_only=True) as con:  # the last one has everything
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 16


def test_a_reader_is_told_a_nianbao_ingest_is_writing(tmp_path):
    db = tmp_path / "wh.duckdb"
    with write_session(db) as warehouse:  # holds the lock and the DuckDB file, as an ingest does
        code = ("import sys\nfrom nianbao.warehouse.store import read_session\ntry:\n"
                "    read_session(sys.argv[1]).__enter__()\nexcept Exception as e:\n    print(e)")
        out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                             check=False).stdout
        assert warehouse is not None
    assert out.startswith(f"cannot read {db}: a running `nianbao ingest` or crawl is writing it")


def test_an_existing_warehouse_in_a_read_only_folder_says_so(tmp_path, monkeypatch):
    db = tmp_path / "wh.duckdb"
    with write_session(db):
        pass
    # The tests run as root, whom permissions do not stop: the folder is made read-only by stub.
    monkeypatch.setattr(dbfile.os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(WarehouseError) as caught, write_session(db):
        pass
    assert str(caught.value) == (
        f"cannot write the warehouse {db}: its folder {tmp_path} is not writable, and writing needs new "
        "files next to it (wh.duckdb.wal, wh.duckdb.lock). Copy the warehouse to a writable folder and "
        "give that path with --db; reading it (nianbao show, compare) still works here. "
        "(the folder is read-only)")
    assert not isinstance(caught.value, WarehouseLocked)


def test_two_identical_files_give_a_row_whose_message_names_its_own_file(tmp_path):
    folder = tmp_path / "in"
    write_fixtures(folder, {"a/first.pdf": "failed", "b/second.pdf": "failed"})
    ingest_paths([folder], tmp_path / "wh.duckdb", workers=0, processor="sample_results:process_fixture")
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT source, error FROM documents").fetchall() == [
            (str(folder / "a/first.pdf"), "first.pdf: fixture says failed")]
        assert con.execute("SELECT source, error FROM run_documents ORDER BY seq").fetchall() == [
            (str(folder / "a/first.pdf"), "first.pdf: fixture says failed"),
            (str(folder / "b/second.pdf"), "second.pdf: fixture says failed")]
