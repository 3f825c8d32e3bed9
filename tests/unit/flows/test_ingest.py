"""The Prefect flow end to end, on a temporary Prefect server (~15 s to start: one test only)."""

from __future__ import annotations

import time

import pytest
from sample_results import write_fixtures

from nianbao.jobs.ingest import reporting_progress
from nianbao.warehouse.store import read_session


@pytest.mark.slow
def test_ingest_flow_reads_in_worker_processes_and_survives_a_crash(tmp_path, monkeypatch):
    # The temporary server's telemetry only adds "database is locked" noise to the log.
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from prefect.testing.utilities import prefect_test_harness

    from nianbao.flows.ingest import ingest_flow

    folder = tmp_path / "samples"
    write_fixtures(folder, {
        "a.html": "report 舞阳县工业和信息化局 2021",
        "b.html": "report 舞阳县教育局 2020",
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
        flow_seconds = time.monotonic() - started
    print(f"flow wall time (server already up): {flow_seconds:.1f} s")

    assert summary["n_documents"] == 4
    assert summary["documents_by_status"] == {"failed": 1, "not_a_report": 1, "ok": 2}
    assert summary["n_reports"] == 2
    assert summary["flags"] == [{"rule": "T3_ROW_TOTAL", "severity": "error", "count": 2}]
    (crashed,) = [p for p in summary["problems"] if p["status"] == "failed"]
    assert crashed["source"].endswith("crash.html")
    assert "worker process reading this file crashed" in crashed["error"]
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    with read_session(db) as con:
        assert con.execute("SELECT orchestrator, n_documents, flow_run_id IS NOT NULL FROM runs").fetchall() == [
            ("prefect", 4, True)]
        assert con.execute("SELECT count(*) FROM reports WHERE is_current").fetchone()[0] == 2


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
