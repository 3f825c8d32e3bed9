"""The demo warehouse for the web tests: data/samples ingested here (no Prefect) and the demo's
registry of expected publishers loaded into it, as `make demo` does; and `nianbao web` served on
a free loopback port in a thread."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from nianbao.jobs.ingest import ingest_paths
from nianbao.supervise.registry import load_registry, save_registry
from nianbao.warehouse.store import write_session

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
DEMO_REGISTRY = (ROOT / "data" / "sources.yaml", ROOT / "data" / "expected_publishers.yaml")


@pytest.fixture(scope="session")
def web_demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("webdemo") / "demo.duckdb"
    ingest_paths([str(SAMPLES)], db, workers=0)
    with write_session(db) as warehouse:
        save_registry(warehouse.con, load_registry(DEMO_REGISTRY))
    return db


@pytest.fixture
def fresh_db(web_demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo warehouse a test may write decisions into."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(web_demo_db, db)
    return db


class Served:
    def __init__(self, url: str, db: Path) -> None:
        self.url = url
        self.db = db


@pytest.fixture
def served(fresh_db: Path) -> Iterator[Served]:
    import uvicorn

    from nianbao.supervise.web.app import create_app

    app = create_app(fresh_db)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("nianbao web did not start within 20 s")
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", fresh_db)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
