"""The `nianbao` command: `ingest` files into the DuckDB warehouse, `show` one report.

Labels users read come from the spec data (template.yaml, ui.yaml `terminal`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from nianbao.cli import render
from nianbao.cli.compare import register as register_supervisor_commands
from nianbao.cli.options import DEFAULT_DB, DbOption
from nianbao.cli.registry import register as register_registry_commands
from nianbao.cli.review import register as register_review_commands
from nianbao.cli.sources import register as register_scraping_commands
from nianbao.cli.web import register as register_web_command
from nianbao.spec import SPEC

# Exit codes: documents being bad or flagged never make the command fail.
EXIT_RUN_FAILED = 1
EXIT_USAGE = 2

app = typer.Typer(
    help="Government information-disclosure annual reports (政府信息公开工作年度报告) -> DuckDB.",
    no_args_is_help=True, add_completion=False,
)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files and folders (read recursively).")],
    db: DbOption = DEFAULT_DB,
    workers: Annotated[int | None, typer.Option(
        help="Processes reading documents (default: all cores; 0 without Prefect: in this process).",
        min=0)] = None,
    prefect: Annotated[bool | None, typer.Option(
        "--prefect/--no-prefect",
        help="Run as a Prefect flow (--prefect starts a temporary Prefect server when PREFECT_API_URL "
             "is not set) or plainly, without Prefect. Default: the flow when PREFECT_API_URL is set.",
        show_default=False)] = None,
    cluster: Annotated[str | None, typer.Option(
        "--cluster", metavar="tcp://HOST:PORT",
        help="Read on the Dask cluster whose scheduler is there (a Prefect flow; the workers must see "
             "the files at the same paths: docs/scale.md).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Read every file again, also those this version of nianbao has read already.")] = False,
    follow_links: Annotated[bool, typer.Option(
        "--follow-links", help="Also read symbolic links that lead out of the folders given.")] = False,
) -> None:
    """Read annual reports, check their tables, and load everything into DuckDB.

    A file whose bytes this version of nianbao has read already is not read again (--force)."""
    from nianbao.cli.prefect_api import ServerStartError, configured_api_url, unreachable_reason
    from nianbao.jobs.ingest import IngestError, discover_documents, ingest_paths, reporting_progress
    from nianbao.warehouse.store import WarehouseError, write_session

    console, err = render.console(), render.err_console()
    missing = [p for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]no such file or folder: {escape(', '.join(map(str, missing)))}[/red]")
        raise typer.Exit(EXIT_USAGE)
    if cluster and prefect is False:
        err.print("[red]--cluster runs the Prefect flow on Dask; it cannot be used with --no-prefect[/red]")
        raise typer.Exit(EXIT_USAGE)
    api_url = configured_api_url() if prefect is not False else None
    use_flow = bool(prefect or cluster or (prefect is None and api_url))
    if use_flow and api_url:
        reason = unreachable_reason(api_url)
        if reason is not None:
            err.print(f"[bold red]ingest failed:[/bold red] the Prefect API at {escape(api_url)} does not answer "
                      f"({escape(reason)}); start it (`prefect server start`), unset PREFECT_API_URL "
                      "(`prefect config unset PREFECT_API_URL`), or run with --no-prefect")
            raise typer.Exit(EXIT_RUN_FAILED)
    n_files = len(discover_documents(paths, follow_links=follow_links))
    if n_files == 0:
        err.print(f"[yellow]no documents found in {escape(', '.join(map(str, paths)))}[/yellow]")
    try:
        # Fail in a second, not after starting Prefect, when the warehouse cannot be written.
        with write_session(db):
            pass
    except WarehouseError as exc:
        err.print(f"[bold red]ingest failed:[/bold red] {escape(str(exc))}")
        raise typer.Exit(EXIT_RUN_FAILED) from None
    if not use_flow:
        console.print("runner: plain (no Prefect: PREFECT_API_URL is not set; --prefect for a flow run)"
                      if prefect is None else "runner: plain (--no-prefect)")
    else:
        where = f"the Dask cluster at {cluster}" if cluster else "worker processes"
        api = api_url or "a temporary Prefect server started for this run"
        console.print(f"runner: Prefect flow nianbao-ingest on {escape(where)} (API: {escape(api)})")

    started = time.monotonic()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("{task.fields[last]}"), console=console,
                  transient=False) as bar:
        task = bar.add_task(render.UI.documents, total=n_files, last="")

        def progress(done: int, total: int, result: Any) -> None:
            last = f"{SPEC.status_label(result.status)} {Path(result.source).name}" if result else ""
            bar.update(task, completed=done, total=total, last=last)

        try:
            if not use_flow:
                summary = ingest_paths(paths, db, workers=workers, progress=progress, force=force,
                                       follow_links=follow_links).as_dict()
            else:
                with ExitStack() as stack:
                    if not api_url:
                        stack.enter_context(_own_prefect_server())
                    from nianbao.flows.ingest import ingest_flow

                    with reporting_progress(progress):
                        summary = ingest_flow(paths=[str(p) for p in paths], db=str(db), workers=workers or None,
                                              follow_links=follow_links, force=force, cluster=cluster)
        except (WarehouseError, IngestError, ServerStartError) as exc:
            bar.stop()
            err.print(f"[bold red]ingest failed:[/bold red] {escape(str(exc))}")
            raise typer.Exit(EXIT_RUN_FAILED) from None
    if summary.get("seconds") is None:
        summary["seconds"] = time.monotonic() - started
    render.print_summary(console, summary)


@contextmanager
def _own_prefect_server() -> Iterator[str]:
    """A temporary Prefect server for this run, started by nianbao (not by Prefect) so that it
    dies with the ingest, also on kill -9; the flow and its worker processes use it."""
    from nianbao.cli.prefect_api import temporary_server

    previous = os.environ.get("PREFECT_API_URL")
    with temporary_server() as api:
        os.environ["PREFECT_API_URL"] = api  # for Prefect imported from here on, and worker processes
        try:
            from prefect.settings import PREFECT_API_URL, temporary_settings

            with temporary_settings(updates={PREFECT_API_URL: api}):
                yield api
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous


@app.command()
def show(
    agency: Annotated[str, typer.Argument(help="Agency: full name, part of it, or abbreviation.")],
    year: Annotated[int, typer.Argument(help="The year the report covers.")],
    db: DbOption = DEFAULT_DB,
    html: Annotated[Path | None, typer.Option(
        "--html", help="Also write the report as a self-contained HTML page, flagged cells highlighted.")] = None,
) -> None:
    """Print one report: header, the section 二/三/四 tables, and the flags with their evidence."""
    from nianbao.cli.review import review_labels, write_flag_page
    from nianbao.warehouse.queries import ReportNotFound, report_view
    from nianbao.warehouse.store import WarehouseError, read_session

    console, err = render.console(), render.err_console()
    try:
        with read_session(db) as con:
            view = report_view(con, agency, year)
            reviews = review_labels(con, view)
            if html is not None:
                write_flag_page(con, view, html)
    except ReportNotFound as exc:
        console.print(Text(f"{render.UI.not_found}: {exc}", style="yellow"))
        if exc.suggestions:
            console.print(f"{render.UI.did_you_mean}:")
            for s in exc.suggestions:
                console.print(Text(f"  {s}"))
        raise typer.Exit(EXIT_RUN_FAILED) from None
    except WarehouseError as exc:
        err.print(Text(str(exc), style="bold red"))
        raise typer.Exit(EXIT_RUN_FAILED) from None
    render.print_header(console, view)
    render.print_active(console, view)
    render.print_applications(console, view)
    render.print_appeals(console, view)
    render.print_flags(console, view, reviews)
    render.print_structure(console, view)
    if html is not None:
        console.print(f"\n{html}")


# nianbao compare / history / export (src/cli_compare.py).
register_supervisor_commands(app)
# nianbao sources add|list|check|status / crawl / serve / demo (src/cli_sources.py).
register_scraping_commands(app)
# nianbao review / reviews / recheck (src/cli_review.py).
register_review_commands(app)
# nianbao registry load|show (src/cli/registry.py).
register_registry_commands(app)
# nianbao web (src/cli/web.py).
register_web_command(app)

if __name__ == "__main__":
    app()
