"""Options several commands share; their defaults come from nianbao.config (`NIANBAO_DB`, `NIANBAO_HOME`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from nianbao import config

DEFAULT_DB = config.default_db()
DEFAULT_RAW = config.default_raw_dir()
DEFAULT_SOURCES = config.default_sources()

DbOption = Annotated[Path, typer.Option("--db", envvar=config.ENV_DB, show_envvar=False,
                                        help="The DuckDB warehouse (default: $NIANBAO_DB, else data/nianbao.duckdb).")]
SourcesOption = Annotated[Path, typer.Option("--sources", help="The sources file.")]
RawOption = Annotated[Path, typer.Option("--raw", help="The raw store: every download, by content hash.")]
DEMO_DB = config.demo_db()
DemoDbOption = Annotated[Path, typer.Option("--db", help="The demo warehouse.")]
