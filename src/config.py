"""Where nianbao keeps things: the default warehouse (`NIANBAO_DB`), the working folder for the
user's own files (`NIANBAO_HOME`, default `data/` under the current folder), and the bundled data
that ships inside the package (sample corpus, mock portal, demo registries).

Every default path of the CLI, the jobs and the flows comes from here; nothing reads the checkout.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

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


# ------------------------------------------------------------------------------ limits

@dataclass(frozen=True)
class Limits:
    """The budget of one document and the input size limits checked before parsing. Every field
    has an environment variable (`NIANBAO_` + the field name in capitals, e.g.
    NIANBAO_DOCUMENT_SECONDS=120); docs/limits.md lists them with the status each breach records."""

    # Enforced in the worker process (nianbao.jobs.budget).
    document_seconds: float = 60.0       # wall time to read one document -> timeout
    worker_memory_mb: int = 1536         # resident memory of a worker -> out_of_memory
    worker_address_space_mb: int = 3072  # RLIMIT_AS of a worker (virtual: OCR maps ~2.3 GB) -> out_of_memory
    # Checked before parsing (nianbao.extract.limits) -> too_large.
    file_mb: int = 200                   # bytes of one file
    zip_uncompressed_mb: int = 300       # sum of the uncompressed sizes of a DOCX's parts
    zip_entries: int = 5000              # parts in a DOCX
    docx_paragraphs: int = 200_000       # <w:p> elements in the document body
    pdf_pages: int = 300                 # pages of a PDF
    pdf_content_mb: int = 64             # decompressed content streams of the PDF's pages
    pdf_page_objects: int = 500_000      # text/path/image objects on all pages (forms expanded)
    image_pixels_million: int = 60       # pixels of one page image (larger ones are downscaled for OCR)
    images_pixels_million: int = 1500    # pages x page area of all page images of a document
    html_mb: int = 20                    # bytes of an HTML page
    html_depth: int = 200                # element nesting kept (deeper wrappers are flattened)
    text_mb: int = 20                    # bytes of a plain-text file
    table_columns: int = 300             # columns of one table grid
    table_rows: int = 20_000             # rows of one table grid
    # Discovery (nianbao.jobs.discover).
    tree_depth: int = 64                 # folder levels below an input folder

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, with every NIANBAO_<FIELD> set in the environment applied."""
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(f"NIANBAO_{f.name.upper()}")
            if raw:
                kind = float if isinstance(f.default, float) else int
                try:
                    values[f.name] = kind(raw)
                except ValueError:
                    raise ValueError(f"NIANBAO_{f.name.upper()}={raw!r} is not a number") from None
        return cls(**values)


def limits() -> Limits:
    """The limits in force (read from the environment each call, so tests and workers agree)."""
    return Limits.from_env()
