"""The plain-Python ingest: discovery, loading as results arrive, failures never stopping the run."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sample_results import process_fixture, write_fixtures

from nianbao.jobs import ingest
from nianbao.jobs.ingest import IngestError, as_completed_or_idle, discover_documents, ingest_paths
from nianbao.warehouse.store import Warehouse, read_session

FAKE = "sample_results:process_fixture"


def test_discovery_skips_sidecars_hidden_files_and_the_warehouse(tmp_path):
    write_fixtures(tmp_path / "in", {
        "a.html": "report 甲局 2021",
        "a.expected.json": "{}",
        "meta.json": "{}",
        "README.md": "about these files",
        ".DS_Store": "x",
        ".hidden/b.html": "report 乙局 2021",
        "sub/c.txt": "report 丙局 2021",
        "sub/nianbao.duckdb": "",
        "sub/nianbao.duckdb.wal": "",
        "sub/nianbao.duckdb.lock": "",
        "z.lock": "",
    })
    found = discover_documents([tmp_path / "in", tmp_path / "in" / "a.html"])  # a.html only once
    assert [p.relative_to(tmp_path / "in").as_posix() for p in found] == ["README.md", "a.html", "sub/c.txt"]
    with pytest.raises(IngestError, match="no such file or folder"):
        discover_documents([tmp_path / "missing"])


def test_ingest_loads_every_document_and_summarises(tmp_path):
    folder = tmp_path / "in"
    write_fixtures(folder, {
        "a.html": "report 舞阳县工业和信息化局 2021",
        "b.html": "report 舞阳县教育局 2021",
        "README.md": "not_a_report",
        "c.pdf": "failed",
        "d.html": "raise",
    })
    seen = []
    summary = ingest_paths([folder], tmp_path / "wh.duckdb", workers=0,
                           progress=lambda done, total, r: seen.append((done, total, r and r.status)),
                           processor=FAKE)
    assert summary.n_documents == 5
    assert summary.documents_by_status == {"failed": 2, "not_a_report": 1, "ok": 2}
    assert summary.n_reports == 2
    assert [(f.rule, f.count) for f in summary.flags] == [("T3_ROW_TOTAL", 2)]
    problems = {p.source.rsplit("/", 1)[-1]: p for p in summary.problems}
    assert set(problems) == {"README.md", "c.pdf", "d.html"}
    assert "internal error while reading (RuntimeError: fixture asked to raise)" in problems["d.html"].error
    assert seen[0] == (0, 5, None) and seen[-1][:2] == (5, 5) and len(seen) == 6
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert con.execute("SELECT orchestrator, n_documents FROM runs").fetchall() == [("plain", 5)]

    # The same files again: a second run, no new data rows.
    again = ingest_paths([folder], tmp_path / "wh.duckdb", workers=0, processor=FAKE)
    assert again.run_id != summary.run_id and again.documents_by_status == summary.documents_by_status
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 5
        assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == 2
        assert con.execute("SELECT count(*) FROM runs").fetchone()[0] == 2


def test_a_document_that_cannot_be_stored_is_recorded_as_failed(tmp_path, monkeypatch):
    write_fixtures(tmp_path / "in", {"a.html": "report 甲局 2021", "b.html": "report 乙局 2021"})
    original = Warehouse._append_cells

    def fail_for_b(self, report_id, report):
        if report.agency == "乙局":
            raise ValueError("duplicate cell")
        return original(self, report_id, report)

    monkeypatch.setattr(Warehouse, "_append_cells", fail_for_b)
    summary = ingest_paths([tmp_path / "in"], tmp_path / "wh.duckdb", workers=0, processor=FAKE)
    assert summary.documents_by_status == {"failed": 1, "ok": 1}
    assert "could not be stored" in summary.problems[0].error
    assert "duplicate cell" in summary.problems[0].error


@pytest.mark.slow  # spawns worker processes (about 1 s on an idle machine)
def test_a_crashing_worker_process_fails_only_its_document(tmp_path):
    folder = tmp_path / "in"
    write_fixtures(folder, {
        "a.html": "report 甲局 2021",
        "b.html": "crash",
        "c.html": "report 乙局 2021",
        "d.html": "not_a_report",
    })
    started = time.monotonic()
    summary = ingest_paths([folder], tmp_path / "wh.duckdb", workers=2, processor=FAKE)
    assert time.monotonic() - started < 60
    assert summary.n_documents == 4
    assert summary.documents_by_status == {"failed": 1, "not_a_report": 1, "ok": 2}
    (crashed,) = [p for p in summary.problems if p.status == "failed"]
    assert crashed.source.endswith("b.html")
    assert "worker process reading this file crashed" in crashed.error


def test_results_are_stored_in_batches_of_at_most_batch_size(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    monkeypatch.setattr(ingest, "BATCH_SECONDS", 3600)
    sizes = []
    original = Warehouse.load_many

    def spy(self, results, run_id=None):
        sizes.append(len(results))
        return original(self, results, run_id)

    monkeypatch.setattr(Warehouse, "load_many", spy)
    write_fixtures(tmp_path / "in", {f"{i}.html": f"report 甲{i}局 2021" for i in range(5)})
    seen = []
    summary = ingest_paths([tmp_path / "in"], tmp_path / "wh.duckdb", workers=0, processor=FAKE,
                           progress=lambda done, total, r: seen.append(done))
    assert sizes == [2, 2, 1]  # the last, short batch is stored at the end
    assert seen == [0, 1, 2, 3, 4, 5]
    assert summary.documents_by_status == {"ok": 5}


def test_a_slow_document_does_not_hold_back_the_ones_already_read(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_SECONDS", 0.05)
    files = write_fixtures(tmp_path / "in", {"a.html": "report 甲局 2021", "b.html": "report 乙局 2021"})
    stored = []
    stored_when_b_finished = []

    class SlowSecondDocument:
        """Reads a at once, then is busy with b for a while (idle ticks, as a real pool sends)."""

        def run(self, jobs, workers):
            yield jobs[0], process_fixture(jobs[0].path)
            busy_until = time.monotonic() + 0.5
            while time.monotonic() < busy_until:
                time.sleep(0.02)
                yield None
            stored_when_b_finished.extend(stored)
            yield jobs[1], process_fixture(jobs[1].path)

    ingest.run_ingest(files, tmp_path / "wh.duckdb", workers=1, pool=SlowSecondDocument(), processor=FAKE,
                      progress=lambda done, total, r: r and stored.append(r.source))
    assert stored_when_b_finished == [str(files[0])]
    assert stored == [str(files[0]), str(files[1])]


def test_as_completed_or_idle_says_when_nothing_finished():
    with ThreadPoolExecutor(2) as pool:
        quick = pool.submit(lambda: 1)
        slow = pool.submit(time.sleep, 0.3)
        items = list(as_completed_or_idle([slow, quick], idle_seconds=0.05))
    finished = [i for i in items if i is not None]
    assert finished == [quick, slow]
    assert items.count(None) >= 2  # idle ticks while the slow one runs


def test_what_was_read_is_stored_when_reading_stops_early(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "BATCH_SECONDS", 3600)
    files = write_fixtures(tmp_path / "in", {"a.html": "report 甲局 2021", "b.html": "report 乙局 2021"})

    class StopsAfterOne:
        def run(self, jobs, workers):
            yield jobs[0], process_fixture(jobs[0].path)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest.run_ingest(files, tmp_path / "wh.duckdb", workers=1, pool=StopsAfterOne(), processor=FAKE)
    with read_session(tmp_path / "wh.duckdb") as con:
        assert con.execute("SELECT source FROM documents").fetchall() == [(str(files[0]),)]
        assert con.execute("SELECT finished_at FROM runs").fetchall() == [(None,)]
