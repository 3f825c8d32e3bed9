"""The demo warehouse (data/samples ingested in this process, no Prefect), built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nianbao.jobs.ingest import ingest_paths

ROOT = Path(__file__).resolve().parents[2]
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
    data/expected_publishers.yaml, so that commands run with their default paths."""
    (tmp_path / "data").mkdir()
    shutil.copy(demo_db, tmp_path / "data" / "nianbao.duckdb")
    shutil.copy(DEMO_REGISTRY, tmp_path / "data" / "expected_publishers.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path
