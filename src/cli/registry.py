"""`nianbao registry load FILE` / `nianbao registry show`: the warehouse's own list of expected
publishers (which agencies must publish for which years), kept in the warehouse so that `compare`,
`history` and `nianbao web` judge who is missing against it, and never against the demo's list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from nianbao.cli import render
from nianbao.cli.options import DEFAULT_DB, DbOption

EXIT_FAILED = 1
EXIT_USAGE = 2

registry_app = typer.Typer(help="The warehouse's registry of expected publishers.", no_args_is_help=True)


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    render.err_console().print(Text(message, style="bold red"))
    return typer.Exit(code)


@registry_app.command("load")
def load(
    files: Annotated[list[Path], typer.Argument(help="YAML (sources or publishers list) or CSV (UTF-8 or GBK; "
                                                     "columns agency/机关, region/地区, years/年度).")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Replace the warehouse's registry with the publishers of FILES (an agency listed twice keeps
    its first entry)."""
    from nianbao.supervise.registry import RegistryError, load_registry, save_registry
    from nianbao.warehouse.store import WarehouseError, write_session

    missing = [p for p in files if not p.is_file()]
    if missing:
        raise _fail(f"no such registry file: {', '.join(map(str, missing))}", EXIT_USAGE)
    try:
        entries = load_registry(files)
        with write_session(db) as warehouse:
            n = save_registry(warehouse.con, entries)
    except (RegistryError, WarehouseError) as exc:
        raise _fail(str(exc)) from None
    render.console().print(Text(f"{n} expected publishers loaded into {db}"))


@registry_app.command("show")
def show(db: DbOption = DEFAULT_DB) -> None:
    """List the warehouse's expected publishers."""
    from nianbao.supervise.compliance import labels
    from nianbao.supervise.registry import warehouse_registry
    from nianbao.warehouse.store import WarehouseError, read_session

    try:
        with read_session(db) as con:
            entries = warehouse_registry(con)
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    console = render.console()
    if not entries:
        console.print(Text(f"{db} has no registry of expected publishers; load one with "
                           f"`nianbao registry load FILE --db {db}`", style="yellow"))
        return
    cols = labels().columns
    table = Table(title=f"{db} ({len(entries)})", title_justify="left")
    for name in (cols["agency"], cols["region"], cols["year"], "来源文件"):
        table.add_column(name, overflow="fold")
    for e in entries:
        years = "、".join(map(str, e.years)) if e.years else "每年"
        table.add_row(e.agency, e.region or "", years, e.origin)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(registry_app, name="registry")
