"""Where nianbao keeps things: the default warehouse (`NIANBAO_DB`), the working folder for the
user's own files (`NIANBAO_HOME`, default `data/` under the current folder), and the bundled data
that ships inside the package (sample corpus, mock portal, demo registries).

Every default path of the CLI, the jobs and the flows comes from here; nothing reads the checkout.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

ENV_DB = "NIANBAO_DB"
ENV_HOME = "NIANBAO_HOME"


def home() -> Path:
    """The folder for the user's warehouse, raw downloads and source registry."""
    return Path(os.environ.get(ENV_HOME) or "data")


def default_db() -> Path:
    """The warehouse a command uses when `--db` is not given: `NIANBAO_DB`, else home()/nianbao.duckdb."""
    value = os.environ.get(ENV_DB)
    return Path(value) if value else home() / "nianbao.duckdb"


def default_raw_dir() -> Path:
    """Where the crawler keeps the bytes it downloads (by sha256)."""
    return home() / "raw"


def default_sources() -> Path:
    """The user's source registry (`nianbao sources add` writes it)."""
    return home() / "sources.yaml"


def bundled_data() -> Path:
    """The data shipped in the package (the repository's data/ folder): samples, mock portal, registries."""
    return Path(str(resources.files("nianbao.data")))


def samples_dir() -> Path:
    return bundled_data() / "samples"


def mock_portal_dir() -> Path:
    return bundled_data() / "mock_portal"


def demo_registry_files() -> tuple[Path, Path]:
    """The demo's expected publishers: the demo sources list completed by expected_publishers.yaml."""
    return bundled_data() / "sources.yaml", bundled_data() / "expected_publishers.yaml"


def demo_db() -> Path:
    """The demo warehouse (`make demo`, `nianbao demo`)."""
    return home() / "demo.duckdb"
