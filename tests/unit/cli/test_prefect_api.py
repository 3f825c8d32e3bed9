"""The temporary Prefect server of `nianbao ingest --prefect`: started by nianbao, it dies with the
ingest, and so do the flow's worker processes, also on `kill -9` (issue 16); a server that cannot
start is one line, not a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from nianbao.cli import prefect_api
from nianbao.jobs.budget import TEMP_PREFIX
from nianbao.jobs.ingest import ingest_paths
from nianbao.warehouse.store import read_session
from tests.unit.jobs.test_crash_safety import alive, children

ROOT = Path(__file__).resolve().parents[3]
NIANBAO = Path(sys.executable).with_name("nianbao")
COPIES = 4
# A worker killed while Python is still starting it (importing Prefect) exits when its pool
# initializer sees its parent gone; on a loaded machine that start takes tens of seconds.
ORPHAN_SECONDS = 90


def corpus(folder: Path) -> int:
    """Copies of the demo samples, each copy a different file (a comment appended)."""
    n = 0
    for i in range(COPIES):
        for f in sorted((ROOT / "data" / "samples").glob("*.html")):
            target = folder / f"c{i}" / f.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(f.read_bytes() + f"\n<!-- {i} -->".encode())
            n += 1
    return n


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for child in children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.slow
def test_kill_9_of_a_prefect_ingest_leaves_no_process_and_the_next_run_cleans_up(tmp_path):
    folder, db = tmp_path / "in", tmp_path / "wh.duckdb"
    n_docs = corpus(folder)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "COLUMNS": "120"}
    process = subprocess.Popen([str(NIANBAO), "ingest", str(folder), "--db", str(db), "--prefect", "--workers", "2"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # The server, the resource tracker and the two workers.
        deadline = time.monotonic() + 300
        while len(children(process.pid)) < 4 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        tree = descendants(process.pid)
        lines = [command_line(p) for p in tree]
        assert any("uvicorn" in c and "prefect.server.api.server:create_app" in c for c in lines), lines
        assert sum("spawn_main" in c for c in lines) == 2 and any("resource_tracker" in c for c in lines), lines
        temp_folders = set(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{process.pid}-*"))
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed = time.monotonic()
        server = [p for p, c in zip(tree, lines, strict=True) if "uvicorn" in c]
        while any(alive(p) for p in server) and time.monotonic() < killed + 5:
            time.sleep(0.05)
        assert not [p for p in server if alive(p)]  # PR_SET_PDEATHSIG: at once
        while any(alive(p) for p in tree) and time.monotonic() < killed + ORPHAN_SECONDS:
            time.sleep(0.1)
        assert not [(p, command_line(p)) for p in tree if alive(p)]
    finally:
        for p in [process.pid, *descendants(process.pid)]:
            if alive(p):
                os.kill(p, signal.SIGKILL)

    summary = ingest_paths([folder], db, workers=0)
    assert sum(summary.documents_by_status.values()) == n_docs
    assert not any(p.exists() for p in temp_folders)  # the killed run's scratch folder, removed
    with read_session(db) as con:
        assert con.execute("SELECT count(*), count(DISTINCT document_id) FROM documents").fetchone() == \
            (n_docs, n_docs)


def test_a_server_that_cannot_start_is_one_line(monkeypatch):
    script = "import sys; sys.stderr.write('port in use\\n'); sys.exit(3)"
    monkeypatch.setattr(prefect_api, "server_command", lambda port: [sys.executable, "-c", script])
    with pytest.raises(prefect_api.ServerStartError) as error, prefect_api.temporary_server(30):
        pass
    assert str(error.value) == "the temporary Prefect server exited with code 3: port in use"


def test_a_server_that_does_not_answer_in_time_is_stopped(monkeypatch):
    monkeypatch.setattr(prefect_api, "server_command",
                        lambda port: [sys.executable, "-c", "import time; time.sleep(60)"])
    started: list[subprocess.Popen] = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(prefect_api.subprocess, "Popen", popen)
    with pytest.raises(prefect_api.ServerStartError) as error, prefect_api.temporary_server(1):
        pass
    assert str(error.value) == ("the temporary Prefect server did not answer within 1 s "
                                "(setting NIANBAO_PREFECT_STARTUP_SECONDS)")
    assert started[0].poll() is not None  # stopped, not left running


