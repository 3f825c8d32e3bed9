"""`kill -9` of an ingest at any point: its workers die with it, and a re-run leaves no duplicate
row, no report without its rows or a status, a warehouse that opens, and no stale temp folder."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from sample_results import write_fixtures

from nianbao.jobs.budget import TEMP_PREFIX
from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.store import read_session

SLOW = "hostile_results:process_hostile"
N_DOCS = 12
TESTS_HELPERS = str(Path(__file__).resolve().parents[2] / "helpers")
INGEST = (
    "import sys; from nianbao.jobs.ingest import ingest_paths; "
    "ingest_paths([sys.argv[1]], sys.argv[2], workers=2, processor=sys.argv[3])"
)


def corpus(folder: Path) -> None:
    write_fixtures(folder, {f"{i:02}.html": f"slow 0.4 机关{i}局 2021" for i in range(N_DOCS)})


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start_ingest(folder: Path, db: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([TESTS_HELPERS, os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([sys.executable, "-c", INGEST, str(folder), str(db), SLOW], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def assert_sound(db: Path) -> None:
    with read_session(db) as con:
        q = lambda sql: con.execute(sql).fetchall()
        assert q("SELECT count(*), count(DISTINCT document_id) FROM documents") == [(N_DOCS, N_DOCS)]
        assert q("SELECT count(*), count(DISTINCT report_id) FROM reports") == [(N_DOCS, N_DOCS)]
        assert q("SELECT count(*) FROM (SELECT report_id, row, applicant FROM applications "
                 "GROUP BY ALL HAVING count(*) > 1)") == [(0,)]
        assert q("SELECT count(*) FROM reports r LEFT JOIN documents d USING (document_id) "
                 "WHERE d.status IS NULL") == [(0,)]
        assert q("SELECT count(*) FROM reports WHERE report_id NOT IN (SELECT report_id FROM applications)") == [(0,)]
        assert q("SELECT count(*) FROM reports WHERE report_id NOT IN (SELECT report_id FROM active_disclosure)") \
            == [(0,)]
        assert q("SELECT count(*), count(DISTINCT (run_id, seq)) FROM run_documents")[0][0] == \
            q("SELECT count(*), count(DISTINCT (run_id, seq)) FROM run_documents")[0][1]


@pytest.mark.parametrize("kill_after", [None, 0.2, 1.0, 2.5])
def test_kill_9_then_rerun_leaves_a_sound_warehouse(tmp_path, kill_after):
    """kill_after: None kills while it starts; else seconds after its workers run (0.2: reading
    the first documents, 1.0: batches being stored, 2.5: most documents stored)."""
    folder, db = tmp_path / "in", tmp_path / "wh.duckdb"
    corpus(folder)
    process = start_ingest(folder, db)
    if kill_after is None:
        time.sleep(0.3)
    else:
        deadline = time.monotonic() + 60
        while len(children(process.pid)) < 3 and time.monotonic() < deadline:  # 2 workers + resource tracker
            time.sleep(0.05)
        time.sleep(kill_after)
    workers = children(process.pid)
    if kill_after is not None:
        assert len(workers) >= 3
    temp_folders = {p for p in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{process.pid}-*")}
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The workers die with their parent (PR_SET_PDEATHSIG, and their watchdog).
    deadline = time.monotonic() + 10
    while any(alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [w for w in workers if alive(w)]

    summary = ingest_paths([folder], db, workers=2, processor=SLOW)
    assert summary.documents_by_status == {"ok": N_DOCS}
    assert_sound(db)
    assert not any(p.exists() for p in temp_folders)  # removed by the re-run
    with read_session(db) as con:
        runs = con.execute("SELECT finished_at IS NOT NULL FROM runs ORDER BY started_at").fetchall()
    assert runs[-1] == (True,)


# The crawl (issue 15: "the same for the crawl"): formats read without LibreOffice, and a
# politeness delay so that the kill lands while pages are being fetched and stored.
CRAWL_AGENCIES = ("舞阳县教育局", "舞阳县卫生健康委员会", "淮安市洪泽区人民政府办公室", "平武县市场监督管理局")


def crawl_sources(portal, folder: Path) -> Path:
    from nianbao.fetch.mock_portal import PORTAL_DIR

    data = yaml.safe_load(portal.render_sources(PORTAL_DIR / "sources.yaml"))
    data["defaults"]["delay"] = 0.3
    data["sources"] = [s for s in data["sources"] if s["agency"] in CRAWL_AGENCIES]
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def stored_files(raw: Path) -> list[Path]:
    # A body being written when the crawl was killed is a .tmp file, never listed.
    return [p for p in raw.rglob("*") if p.is_file() and not p.name.endswith((".json", ".tmp"))] \
        if raw.exists() else []


@pytest.mark.slow
def test_kill_9_of_a_crawl_then_a_rerun_stores_everything_once(portal, tmp_path):
    from nianbao.fetch.sources import load_registry
    from nianbao.jobs.crawl import crawl_once

    sources, db, raw = crawl_sources(portal, tmp_path), tmp_path / "wh.duckdb", tmp_path / "raw"
    process = subprocess.Popen([str(Path(sys.executable).with_name("nianbao")), "crawl",
                                "--sources", str(sources), "--db", str(db), "--raw", str(raw), "--workers", "0"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 180
    while len(stored_files(raw)) < 2 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "the crawl ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    again = crawl_once(load_registry(sources), db, raw, workers=0)
    assert again.ingest is not None
    with read_session(db) as con:
        q = lambda sql: con.execute(sql).fetchall()
        assert q("SELECT count(*), count(DISTINCT document_id), count(DISTINCT source) FROM documents") == [(6, 6, 6)]
        assert q("SELECT count(*) FROM reports WHERE report_id NOT IN (SELECT report_id FROM applications)") == [(0,)]
        assert q("SELECT count(*) FROM (SELECT crawl_id, url FROM found_reports GROUP BY ALL HAVING count(*) > 1)") \
            == [(0,)]
        assert q("SELECT count(*) FROM crawl_runs WHERE finished_at IS NULL") == [(1,)]  # the killed pass, as it was
    # Every stored body is whole: its name is the hash of its bytes.
    for path in stored_files(raw):
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name.split(".")[0], path
    third = crawl_once(load_registry(sources), db, raw, workers=0)
    assert third.to_ingest == () and third.ingest is None  # nothing left half-done for a third pass
