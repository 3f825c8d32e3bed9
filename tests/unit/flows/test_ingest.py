"""The Prefect flow end to end, on a temporary Prefect server (~15 s to start: one test only)."""

from __future__ import annotations

import json
import re
import time

import pytest
from sample_results import dump_tables, write_fixtures

from nianbao.jobs.ingest import reporting_progress
from nianbao.warehouse.store import read_session


def _task_runs_and_artifact(flow_run_id):
    from prefect import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    from nianbao.flows.ingest import SUMMARY_ARTIFACT

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        artifacts = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[SUMMARY_ARTIFACT])))
    return runs, [a for a in artifacts if str(a.flow_run_id) == flow_run_id]


@pytest.mark.slow
def test_ingest_flow_reads_chunks_in_worker_processes_and_survives_a_crash(tmp_path, monkeypatch):
    # The temporary server's telemetry only adds "database is locked" noise to the log.
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    from nianbao.flows.ingest import ingest_flow

    folder = tmp_path / "samples"
    reports = {f"r{i:02d}.html": f"report 舞阳县第{i}局 2021" for i in range(14)}
    write_fixtures(folder, {
        **reports,
        "c.pdf": "failed",
        "crash.html": "crash",
        "README.md": "not_a_report",
        "a.expected.json": "{}",
    })
    db = tmp_path / "wh.duckdb"
    seen = []
    harness_started = time.monotonic()
    with prefect_test_harness():
        print(f"temporary Prefect server up in {time.monotonic() - harness_started:.1f} s")
        started = time.monotonic()
        with reporting_progress(lambda done, total, result: seen.append((done, total))):
            summary = ingest_flow(paths=[str(folder)], db=str(db), workers=2,
                                  processor="sample_results:process_fixture")
        print(f"flow wall time (server already up): {time.monotonic() - started:.1f} s")
        with read_session(db) as con:
            (flow_run_id,) = con.execute("SELECT flow_run_id FROM runs").fetchone()
        task_runs, artifacts = _task_runs_and_artifact(flow_run_id)
        (crash_path := folder / "crash.html").unlink()
        again = ingest_flow(paths=[str(folder)], db=str(db), workers=2, processor="sample_results:process_fixture")

    assert summary["n_documents"] == 17
    assert summary["documents_by_status"] == {"failed": 2, "not_a_report": 1, "ok": 14}
    assert summary["n_reports"] == 14 and summary["plan"] == {"new": 17}
    assert summary["flags"] == [{"rule": "T3_ROW_TOTAL", "severity": "error", "count": 14}]
    crashed = [p for p in summary["problems"] if p["source"] == str(crash_path)]
    assert "worker process reading this file crashed" in crashed[0]["error"]
    assert seen[0] == (0, 17) and seen[-1] == (17, 17)
    # Chunks of 3 documents (17 over 2 workers x 4), one task run each; the crash breaks the pool
    # and the documents not read yet go to a fresh one, in chunks of 2 (16 left over 2 x 4).
    chunk_runs = [r for r in task_runs if r.name.startswith("read chunk")]
    # Fewer task runs than documents: chunks carried several (after the crash, the chunks that were in
    # flight are read again one document per task, so how many stayed whole depends on timing).
    assert 8 <= len(chunk_runs) < 17
    # The chunk with the failed document failed; its documents are stored all the same. (When its
    # chunk was in flight at the crash, c.pdf was read again alone: 1 of 1.)
    (failed,) = [r for r in chunk_runs if r.state.is_failed() and "c.pdf" in r.name]
    assert re.search(r"^1 of [12] documents failed: ", failed.state.message), failed.state.message
    assert "c.pdf: fixture says failed" in failed.state.message
    assert all(r.state.is_completed() for r in chunk_runs if "c.pdf" not in r.name and "crash" not in r.name
               and r.state.is_final() and not r.state.is_crashed())
    (artifact,) = artifacts
    rows = {(row["项目"], row["代码"]): row["数量"] for row in json.loads(artifact.data)}
    assert rows[("文档", "ok")] == 14 and rows[("文档", "failed")] == 2 and rows[("读取计划", "new")] == 17
    assert rows[("核验提示", "T3_ROW_TOTAL")] == 14
    # The same folder again (less the crash): nothing is read, the summary says why.
    assert again["plan"] == {"unchanged": 16} and again["n_skipped"] == 16
    with read_session(db) as con:
        assert con.execute("SELECT orchestrator, n_documents, flow_run_id IS NOT NULL FROM runs ORDER BY started_at"
                           ).fetchall() == [("prefect", 17, True), ("prefect", 16, True)]
        assert con.execute("SELECT count(*) FROM reports WHERE is_current").fetchone()[0] == 14


@pytest.mark.slow
def test_a_dask_cluster_run_stores_the_same_rows_as_a_local_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from distributed import LocalCluster
    from prefect.testing.utilities import prefect_test_harness

    from nianbao.flows.ingest import ingest_flow
    from nianbao.jobs.ingest import ingest_paths
    from nianbao.warehouse.store import DATA_TABLES

    folder = tmp_path / "samples"
    write_fixtures(folder, {
        **{f"r{i:02d}.html": f"report 舞阳县第{i}局 {2020 + i % 2}" for i in range(9)},
        "c.pdf": "failed",
        "README.md": "not_a_report",
    })
    local_db, cluster_db = tmp_path / "local.duckdb", tmp_path / "cluster.duckdb"
    ingest_paths([folder], local_db, workers=0, processor="sample_results:process_fixture")
    # A busy machine starts the temporary server slowly; the cluster after it.
    with prefect_test_harness(server_startup_timeout=180), \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        summary = ingest_flow(paths=[str(folder)], db=str(cluster_db), processor="sample_results:process_fixture",
                              cluster=cluster.scheduler_address)
    assert summary["n_documents"] == 11 and summary["documents_by_status"] == {"failed": 1, "not_a_report": 1, "ok": 9}
    with read_session(local_db) as local, read_session(cluster_db) as remote:
        assert dump_tables(remote, DATA_TABLES) == dump_tables(local, DATA_TABLES)
        assert remote.execute("SELECT orchestrator, workers FROM runs").fetchall() == [("prefect-dask", 2)]


@pytest.mark.slow  # imports prefect (~2 s)
def test_worker_processes_are_pointed_at_the_flows_temporary_server(monkeypatch):
    from prefect.settings import PREFECT_API_URL, temporary_settings

    import nianbao.flows.ingest as flows_ingest

    class RunningServer:
        running = True
        api_url = "http://127.0.0.1:8765/api"

    monkeypatch.setattr(flows_ingest, "SubprocessASGIServer", RunningServer)
    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        with flows_ingest._same_api_for_worker_processes():
            assert PREFECT_API_URL.value() == RunningServer.api_url
        assert PREFECT_API_URL.value() is None
    # A configured server is left alone.
    configured = "http://prefect.example/api"
    with temporary_settings(updates={PREFECT_API_URL: configured}), flows_ingest._same_api_for_worker_processes():
        assert PREFECT_API_URL.value() == configured
