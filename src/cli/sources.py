"""The scraping commands of `nianbao`: `sources add|list|check|status`, `crawl`, `serve` (the
scheduled Prefect deployment) and `demo` (the mock portal, crawled and ingested end to end).

Registered on the main app by src/cli.py (`register(app)`).
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nianbao import config
from nianbao.cli.options import (
    DEFAULT_DB,
    DEFAULT_RAW,
    DEFAULT_SOURCES,
    DEMO_DB,
    DbOption,
    DemoDbOption,
    RawOption,
    SourcesOption,
)
from nianbao.cli.render import console as new_console
from nianbao.cli.render import print_summary
from nianbao.fetch.sources import SourcesError
from nianbao.vocabulary import VOCAB

EXIT_FAILED = 1
STATUS_STYLE = {"ok": "green", "warn": "yellow", "partial": "yellow", "failing": "bold red"}

sources_app = typer.Typer(help="The source registry (data/sources.yaml) and the health of each source.",
                          no_args_is_help=True, add_completion=False)



def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False).print(Text(message, style="bold red"))
    return typer.Exit(EXIT_FAILED)


def _registry(path: Path) -> Any:
    from nianbao.fetch.sources import load_registry

    try:
        return load_registry(path)
    except SourcesError as exc:
        raise _fail(str(exc)) from None


def _refuse_private(url: str, agency: str, allow_private: bool) -> None:
    """Fail when the column's host is private or loopback and --allow-private was not given."""
    if allow_private:
        return
    from nianbao.fetch.guard import host_refusal
    from nianbao.fetch.sources import Source, check_source_url

    try:
        check_source_url(url, "the column")
    except SourcesError as exc:
        raise _fail(str(exc)) from None
    why = asyncio.run(host_refusal(Source(agency, url)))
    if why:
        raise _fail(f"{url}: {why}. Not added; give --allow-private if this portal really is on a private "
                    "network (an intranet portal, a test portal)")


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="The agency's annual-report column (the URL of its list page).")],
    agency: Annotated[str, typer.Option(help="The agency's full name.")],
    region: Annotated[str | None, typer.Option(help="The administrative region.")] = None,
    sources: SourcesOption = DEFAULT_SOURCES,
    save_fixture: Annotated[Path | None, typer.Option(
        "--save-fixture", help="Crawl the column once and save every answer (listing pages, API answers, "
                               "report pages, files) in this folder, replayable as a test portal.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="The portal is on a private or "
                                                "loopback address (an intranet portal, a test portal); "
                                                "refused without this flag.")] = False,
) -> None:
    """Add a portal to the registry (comments and layout of the file are kept). A portal on a
    private or loopback address is refused unless --allow-private is given."""
    from nianbao.fetch.sources import add_source

    _refuse_private(url, agency, allow_private)
    try:
        source = add_source(sources, agency, url, region, allow_private=allow_private)
    except SourcesError as exc:
        raise _fail(str(exc)) from None
    console = new_console()
    console.print(Text(f"added {source.label} to {sources}"))
    if save_fixture is not None:
        from nianbao.fetch.replay import save_fixture as save

        expected = asyncio.run(save(source, save_fixture))
        console.print(Text(f"saved {expected['requests']} answers and {len(expected['reports'])} reports found "
                           f"in {save_fixture / 'fixture.yaml'}"))
        for error in expected["errors"]:
            console.print(Text(f"  ✗ {error}", style="red"))
        if not expected["reports"]:
            raise typer.Exit(EXIT_FAILED)


@sources_app.command("discover")
def sources_discover(
    url: Annotated[str, typer.Argument(help="The agency's homepage or its 政府信息公开 page.")],
    agency: Annotated[str | None, typer.Option(help="The agency's full name (for the entry).")] = None,
    region: Annotated[str | None, typer.Option(help="The administrative region.")] = None,
    write: Annotated[bool, typer.Option("--write", help="Add the best column to the sources file.")] = False,
    sources: SourcesOption = DEFAULT_SOURCES,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="The site is on a private or "
                                                "loopback address (an intranet portal, a test portal).")] = False,
) -> None:
    """Find the annual-report column(s) from a homepage (same site, a bounded number of pages) and
    print the sources.yaml entry; --write adds it. Exits 1 when no column is found."""
    import yaml

    from nianbao.fetch.discover import discover_columns
    from nianbao.fetch.sources import add_source

    found = asyncio.run(discover_columns(url, agency or "", allow_private=allow_private))
    console = new_console()
    console.print(f"{url}: {found.pages_read} pages read")
    for note in found.notes:
        console.print(Text(f"  – {note}", style="dim"))
    if not found.columns:
        raise _fail(f"{url}: no annual-report column (政府信息公开年报, 年度报告 …) found on the site")
    for c in found.columns:
        years = ", ".join(map(str, c.years)) or "-"
        console.print(Text(f"  {c.name}  {c.url}  ({c.report_links} report links on its first page; years {years})"))
    best = found.columns[0]
    entry: dict[str, Any] = {"agency": agency or "TODO: the agency's full name"}
    if region:
        entry["region"] = region
    entry["url"] = best.url
    console.print(Text("\n" + yaml.safe_dump([entry], allow_unicode=True, sort_keys=False).rstrip()))
    if write:
        if not agency:
            raise _fail("--write needs --agency NAME (the entry's agency)")
        try:
            source = add_source(sources, agency, best.url, region, allow_private=allow_private)
        except SourcesError as exc:
            raise _fail(str(exc)) from None
        console.print(Text(f"added {source.label} to {sources}"))


@sources_app.command("list")
def sources_list(sources: SourcesOption = DEFAULT_SOURCES) -> None:
    """The registered sources and their hints."""
    registry = _registry(sources)
    table = Table(title=f"{sources} ({len(registry.sources)})", title_justify="left")
    for column in ("agency", "region", "url", "hints"):
        table.add_column(column, overflow="fold")
    for s in registry.sources:
        hints = [k for k in ("encoding", "link_xpath", "title_words", "pagination", "next_page_xpath",
                             "allow_private", "allow_addresses", "attachment_hosts") if getattr(s, k)]
        if s.limits != registry.defaults:
            hints.append("limits")
        table.add_row(s.agency, s.region or "", s.url, ", ".join(hints))
    new_console().print(table)


@sources_app.command("check")
def sources_check(
    sources: SourcesOption = DEFAULT_SOURCES,
    offline: Annotated[bool, typer.Option("--offline", help="Only check the file; fetch nothing.")] = False,
) -> None:
    """Check the sources file; then read each listing page (and its pagination) and count the
    report links, downloading nothing. Exits 1 when a source shows no report link."""
    from nianbao.fetch.crawler import probe_sources

    registry = _registry(sources)
    console = new_console()
    console.print(f"{sources}: {len(registry.sources)} sources, file OK")
    if offline or not registry.sources:
        return
    probes = asyncio.run(probe_sources(registry.sources))
    table = Table(title_justify="left")
    for column, justify in (("agency", "left"), ("pages", "right"), ("report_links", "right"),
                            ("years", "left"), ("structure", "left"), ("problems", "left")):
        table.add_column(_col(column), justify=justify, overflow="fold")  # type: ignore[arg-type]
    for p in probes:
        years = ", ".join(str(y) for y in sorted({link.year for link in p.links}, reverse=True))
        found = Text(str(len(p.links)), style="green" if p.links else "bold red")
        table.add_row(p.source.agency, str(p.listing_pages), found, years, ", ".join(p.structures),
                      "\n".join(p.errors + p.skipped))
    console.print(table)
    if any(not p.links for p in probes):
        raise typer.Exit(EXIT_FAILED)


def _col(key: str) -> str:
    return VOCAB.ui.crawl_columns[key]


def print_statuses(console: Console, statuses: list[Any]) -> None:
    table = Table(title_justify="left")
    for column, justify in (("status", "left"), ("agency", "left"), ("reports", "right"), ("new", "right"),
                            ("errors", "right"), ("last_success", "left"), ("message", "left")):
        table.add_column(_col(column), justify=justify, overflow="fold")  # type: ignore[arg-type]
    for s in statuses:
        last = s.last_success_at.strftime("%Y-%m-%d %H:%M") if s.last_success_at else _col("never")
        table.add_row(Text(s.status, style=STATUS_STYLE.get(s.status, "")), s.agency or s.source_url,
                      str(s.reports_found), str(s.new_since_last_run), str(s.errors), last, s.message or "")
    console.print(table)


@sources_app.command("status")
def sources_status(db: DbOption = DEFAULT_DB) -> None:
    """Health of every source after its latest crawl. Exits 1 when a source is failing."""
    from nianbao.fetch.store import read_statuses
    from nianbao.warehouse.store import WarehouseError

    try:
        statuses = read_statuses(db)
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    console = new_console()
    if not statuses:
        console.print(f"no crawl has been recorded in {db} yet; run `nianbao crawl --db {db}`")
        return
    print_statuses(console, statuses)
    failing = [s for s in statuses if s.status == "failing"]
    if failing:
        console.print(Text(f"{len(failing)} of {len(statuses)} sources failing", style="bold red"))
        raise typer.Exit(EXIT_FAILED)


def _print_pass(console: Console, crawl_pass: Any, db: Path) -> None:
    crawl = crawl_pass.crawl
    console.print(f"\n[bold]crawl[/bold] {crawl.crawl_id} → {escape(str(db))}  "
                  f"({crawl.n_requests} requests, {crawl.seconds:.1f} s)")
    table = Table(title_justify="left")
    for column, justify in (("agency", "left"), ("reports", "right"), ("new", "right"), ("documents", "right"),
                            ("errors", "right"), ("not_followed", "right")):
        table.add_column(_col(column), justify=justify)  # type: ignore[arg-type]
    for s in crawl.sources:
        n_docs = sum(len(r.documents) for r in s.reports)
        table.add_row(s.source.agency, Text(str(len(s.reports)), style="" if s.reports else "bold red"),
                      str(s.new_reports), str(n_docs), str(len(s.errors)), str(len(s.skipped)))
    console.print(table)
    for s in crawl.sources:
        for e in s.errors:
            console.print(Text(f"  ✗ {e}", style="red"))
        for e in s.skipped:
            console.print(Text(f"  – {e}", style="dim"))
    console.print(f"documents new to the warehouse: {len(crawl_pass.to_ingest)}")
    if crawl_pass.ingest is not None:
        summary = crawl_pass.ingest.as_dict()
        summary["seconds"] = crawl_pass.ingest.seconds
        print_summary(console, summary)


def run_crawl(sources: Path, db: Path, raw: Path, *, workers: int | None, ingest: bool) -> Any:
    from nianbao.jobs.crawl import crawl_once
    from nianbao.jobs.ingest import IngestError
    from nianbao.warehouse.store import WarehouseError

    registry = _registry(sources)
    if not registry.sources:
        raise _fail(f"{sources} has no sources; add one with `nianbao sources add URL --agency NAME`")
    try:
        return crawl_once(registry, db, raw, ingest=ingest, workers=workers)
    except (WarehouseError, IngestError) as exc:
        raise _fail(f"crawl failed: {exc}") from None


def crawl(
    sources: SourcesOption = DEFAULT_SOURCES,
    db: DbOption = DEFAULT_DB,
    raw: RawOption = DEFAULT_RAW,
    workers: Annotated[int | None, typer.Option(help="Processes reading new documents (default: all cores).",
                                                min=0)] = None,
    no_ingest: Annotated[bool, typer.Option("--no-ingest", help="Download only; ingest nothing.")] = False,
) -> None:
    """One crawl pass over every source, then the ingest of the documents that are new."""
    crawl_pass = run_crawl(sources, db, raw, workers=workers, ingest=not no_ingest)
    console = new_console()
    _print_pass(console, crawl_pass, db)
    console.print("\nsource health:")
    from nianbao.fetch.store import read_statuses

    print_statuses(console, read_statuses(db))


def serve(
    sources: SourcesOption = DEFAULT_SOURCES,
    db: DbOption = DEFAULT_DB,
    raw: RawOption = DEFAULT_RAW,
) -> None:
    """Run the crawl on its schedule (prefect.yaml: daily 1 Jan–30 Apr, weekly otherwise) until
    stopped, as the deployment nianbao-crawl-serve (distinct from prefect.yaml's nianbao-crawl,
    which `prefect deploy` registers for a work pool). Uses the Prefect API in PREFECT_API_URL
    (e.g. `prefect server start`)."""
    from nianbao.flows.crawl import serve_crawl

    serve_crawl(sources=str(sources), db=str(db), raw=str(raw))


def demo(
    db: DemoDbOption = DEMO_DB,
    workers: Annotated[int | None, typer.Option(help="Processes reading documents.", min=0)] = None,
) -> None:
    """The main job end to end without internet, on the data bundled in the package: ingest the
    sample corpus, then start the mock portal on loopback, crawl it, ingest what was found, print
    the summaries, stop the portal. Re-running it is idempotent (review decisions are kept)."""
    import yaml

    from nianbao.config import samples_dir
    from nianbao.fetch.mock_portal import PORTAL_DIR, MockPortal
    from nianbao.jobs.ingest import ingest_paths

    console = new_console()
    console.print(f"ingesting the sample corpus ({samples_dir()}) into {db}")
    print_summary(console, ingest_paths([samples_dir()], db, workers=workers).as_dict())
    with MockPortal() as portal, tempfile.TemporaryDirectory(prefix="nianbao-demo-") as tmp:
        console.print(f"mock portal on {portal.base}")
        main = yaml.safe_load(portal.render_sources(PORTAL_DIR / "sources.yaml"))
        other = yaml.safe_load(portal.render_sources(PORTAL_DIR / "other_sources.yaml"))
        for entry in other["sources"]:
            entry.setdefault("delay", other["defaults"]["delay"])
        main["sources"] += other["sources"]
        sources = Path(tmp) / "sources.yaml"
        sources.write_text(yaml.safe_dump(main, allow_unicode=True, sort_keys=False), encoding="utf-8")
        started = time.monotonic()
        crawl_pass = run_crawl(sources, db, Path(tmp) / "raw", workers=workers, ingest=True)
        _print_pass(console, crawl_pass, db)
        from nianbao.fetch.store import read_statuses

        console.print("\nsource health:")
        print_statuses(console, read_statuses(db))
        n = _load_demo_registry(db)
        console.print(f"{n} expected publishers of the demo loaded into {db} (`nianbao registry show`)")
        console.print(f"\ndemo finished in {time.monotonic() - started:.1f} s; try:\n"
                      f"  export {config.ENV_DB}={db}\n"
                      f"  nianbao compare --year 2022\n  nianbao show 舞阳县教育局 2022\n  nianbao web")


def _load_demo_registry(db: Path) -> int:
    """The demo's own expected publishers (the bundled sources list completed by
    expected_publishers.yaml), into the demo warehouse only."""
    from nianbao.supervise.registry import load_registry, save_registry
    from nianbao.warehouse.store import write_session

    with write_session(db) as warehouse:
        return save_registry(warehouse.con, load_registry(config.demo_registry_files()))


def register(app: typer.Typer) -> None:
    """Add the scraping commands to the `nianbao` app."""
    app.add_typer(sources_app, name="sources")
    app.command()(crawl)
    app.command()(serve)
    app.command()(demo)
