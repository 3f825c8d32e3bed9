"""The document budget, enforced in real worker processes: a document over its time or memory
budget is recorded with its status and the limit, its worker is replaced, the run goes on."""

from __future__ import annotations

import os
import time

import pytest
from sample_results import write_fixtures

from nianbao.jobs import budget
from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.store import read_session

HOSTILE = "hostile_results:process_hostile"


@pytest.fixture
def tight_budget(monkeypatch):
    monkeypatch.setenv("NIANBAO_DOCUMENT_SECONDS", "2")
    monkeypatch.setenv("NIANBAO_WORKER_MEMORY_MB", "400")
    monkeypatch.setenv("NIANBAO_WORKER_ADDRESS_SPACE_MB", "2048")
    monkeypatch.setattr(budget, "KILL_GRACE_SECONDS", 1.0)


def test_documents_over_budget_get_their_status_and_the_run_goes_on(tmp_path, tight_budget):
    write_fixtures(tmp_path / "in", {
        "a.html": "report 甲局 2021",
        "b_sleep.html": "sleep",
        "c_spin.txt": "spin",
        "d_grow.html": "grow",
        "e_huge.html": "huge",
        "f.html": "report 乙局 2021",
    })
    started = time.monotonic()
    summary = ingest_paths([tmp_path / "in"], tmp_path / "wh.duckdb", workers=2, processor=HOSTILE)
    elapsed = time.monotonic() - started
    by_name = {p.source.rsplit("/", 1)[-1]: p for p in summary.problems}
    assert summary.documents_by_status == {"ok": 2, "timeout": 2, "out_of_memory": 2}
    assert by_name["b_sleep.html"].status == "timeout"
    assert by_name["b_sleep.html"].error.endswith(
        "b_sleep.html: reading took longer than the 2 s limit for one document "
        "(setting NIANBAO_DOCUMENT_SECONDS); stopped after 2 s")
    # The regex holds the interpreter: the alarm cannot ring, the watchdog kills the worker.
    assert by_name["c_spin.txt"].status == "timeout"
    assert "longer than the 2 s limit" in by_name["c_spin.txt"].error
    assert by_name["d_grow.html"].status == "out_of_memory"
    assert "more memory than the 400 MB limit of a worker (setting NIANBAO_WORKER_MEMORY_MB)" in \
        by_name["d_grow.html"].error
    assert by_name["e_huge.html"].status == "out_of_memory"
    assert "2048 MB limit of a worker (setting NIANBAO_WORKER_ADDRESS_SPACE_MB)" in by_name["e_huge.html"].error
    # Each stopped document costs its budget (+ the kill grace), not more; no document is read twice.
    assert elapsed < 30
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT count(*), count(DISTINCT document_id) FROM documents").fetchone() == (6, 6)
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2


def test_stale_temp_folders_of_dead_ingests_are_removed(tmp_path):
    dead = tmp_path / f"{budget.TEMP_PREFIX}999999999-abc"
    alive = tmp_path / f"{budget.TEMP_PREFIX}{os.getppid()}-abc"
    dead.mkdir()
    alive.mkdir()
    (dead / "0").touch()
    assert budget.remove_stale_temp_folders(tmp_path) == [dead]
    assert not dead.exists() and alive.exists()


def test_a_verdict_is_read_back_whole(tmp_path):
    marker = tmp_path / "7"
    marker.touch()
    assert budget.read_verdict(marker) is None  # started, no verdict
    budget.Verdict("timeout", "x.pdf: too slow").write(marker)
    assert budget.read_verdict(marker) == budget.Verdict("timeout", "x.pdf: too slow")
