"""The demo warehouse (data/samples ingested in this process, no Prefect), built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nianbao.jobs.ingest import ingest_paths
from nianbao.supervise.registry import read_registry_file, save_registry
from nianbao.warehouse.store import write_session
from tests.paths import REPO

ROOT = REPO
SAMPLES = ROOT / "data" / "samples"
DEMO_REGISTRY = ROOT / "data" / "expected_publishers.yaml"


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    ingest_paths([str(SAMPLES)], db, workers=0)
    return db


@pytest.fixture
def demo_cwd(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder laid out like the project's: data/nianbao.duckdb (the demo warehouse) and
    data/expected_publishers.yaml loaded into it as its registry, so that commands run with their
    default paths."""
    (tmp_path / "data").mkdir()
    shutil.copy(demo_db, tmp_path / "data" / "nianbao.duckdb")
    shutil.copy(DEMO_REGISTRY, tmp_path / "data" / "expected_publishers.yaml")
    # The warehouse's own registry (`nianbao registry load`): commands read it, not files lying around.
    with write_session(tmp_path / "data" / "nianbao.duckdb") as warehouse:
        save_registry(warehouse.con, read_registry_file(DEMO_REGISTRY))
    monkeypatch.chdir(tmp_path)
    return tmp_path
