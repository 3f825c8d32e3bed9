"""The supervisors' commands: `nianbao compare` (league table of compliance per agency and year),
`nianbao history` (one agency across years) and `nianbao export` (every table, Parquet or CSV).

Registered on the `nianbao` app by src/cli.py (`register(app)`).
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nianbao.cli.options import DEFAULT_DB, DbOption

EXIT_FAILED = 1
EXIT_USAGE = 2

# Columns of the terminal views (CSV, Excel and HTML have more).
TABLE_COLUMNS = ("year", "agency", "place", "level", "category", "expected", "status", "on_time",
                 "format_ok", "open_errors", "open_warnings", "received", "handled", "disclosure_rate",
                 "not_held_share", "reviews", "lawsuits", "corrected_rate")
HISTORY_COLUMNS = ("year", "expected", "status", "published_on", "deadline", "on_time", "template_version",
                   "format_ok", "open_errors", "open_warnings", "flag_rules", "received", "handled",
                   "disclosure_rate", "not_held_share", "reviews", "lawsuits", "corrected_rate")


class CompareFormat(str, Enum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    html = "html"


class HistoryFormat(str, Enum):
    table = "table"
    csv = "csv"


class ExportFormat(str, Enum):
    parquet = "parquet"
    csv = "csv"


ExpectedOption = Annotated[list[Path] | None, typer.Option(
    "--expected", help="Registry of expected publishers (YAML, or CSV agency[,region][,years]); repeatable. "
                       "Default: data/sources.yaml completed by data/expected_publishers.yaml.")]


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        # Piped or captured: do not squeeze the wide tables into 80 columns.
        console = Console(highlight=False, width=max(console.width, 200))
    return console


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    _err().print(Text(message, style="bold red"))
    return typer.Exit(code)


def _registry(expected: Sequence[Path] | None):
    from nianbao.supervise.registry import RegistryError, load_registry

    missing = [p for p in expected or () if not p.exists()]
    if missing:
        raise _fail(f"no such registry file: {', '.join(map(str, missing))}", EXIT_USAGE)
    try:
        return load_registry(expected or None)
    except RegistryError as exc:
        raise _fail(str(exc)) from None


def _value_cell(column: str, value: object) -> Text:
    from nianbao.supervise.league_view import display_value

    style = ""
    if column == "status" and value == "missing":
        style = "bold red"
    elif column == "on_time":
        style = {"late": "bold red", "unknown": "dim"}.get(str(value), "green")
    elif column == "format_ok" and value is False:
        style = "yellow"
    elif column == "open_errors" and value:
        style = "red"
    elif column == "open_warnings" and value:
        style = "yellow"
    return Text(display_value(column, value), style=style)


def _print_table(console: Console, columns: Sequence[str], rows: Sequence[object], title: str) -> None:
    from nianbao.supervise.compliance import labels
    from nianbao.supervise.league_view import INT_COLUMNS, RATE_COLUMNS, column_label

    short = labels()["short_columns"]
    table = Table(title=title, title_justify="left")
    for column in columns:
        numeric = column in INT_COLUMNS or column in RATE_COLUMNS
        table.add_column(short.get(column) or column_label(column), justify="right" if numeric else "left",
                         overflow="fold", no_wrap=numeric or column not in ("agency", "flag_rules"))
    for row in rows:
        table.add_row(*(_value_cell(c, row.value(c)) for c in columns))  # type: ignore[attr-defined]
    console.print(table)


def _write_csv(columns: Sequence[str], rows: Sequence[object], output: Path | None) -> None:
    from nianbao.supervise.league_view import csv_value

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_value(c, row.value(c)) for c in columns])  # type: ignore[attr-defined]
    if output is None:
        sys.stdout.write(buffer.getvalue())
        sys.stdout.flush()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(buffer.getvalue(), encoding="utf-8")


def _describe_filters(filters) -> str:
    from nianbao.supervise.league_view import column_label

    parts = []
    if filters.years:
        parts.append(f"{column_label('year')} {'、'.join(map(str, filters.years))}")
    for key, label in (("region", "region"), ("category", "category"), ("level", "level")):
        value = getattr(filters, key)
        if value:
            parts.append(f"{column_label(label)} {value}")
    return "；".join(parts)


def compare(
    db: DbOption = DEFAULT_DB,
    year: Annotated[list[int] | None, typer.Option(help="Report year (repeatable). Default: every year.")] = None,
    region: Annotated[str | None, typer.Option(
        help="Part of the region or agency name (河南省, 舞阳县, 北舞渡), or a division code prefix (4111).")] = None,
    category: Annotated[str | None, typer.Option(help="Department line (教育, 公安…) or government / 政府.")] = None,
    level: Annotated[str | None, typer.Option(
        help="central / province / city / county / township (or 县级, 乡镇…).")] = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", help="Output format.")] = CompareFormat.table,
    output: Annotated[Path | None, typer.Option(
        help="File to write (csv: default stdout; xlsx/html: default nianbao-compare.xlsx/.html).")] = None,
    expected: ExpectedOption = None,
) -> None:
    """League table: for every expected agency and year, published or missing, on time, format,
    open flags and key figures (applications, disclosure rate, 不掌握, appeals, corrected rate)."""
    from nianbao.supervise.compliance import LEAGUE_COLUMNS, Filters, compliance_table, flag_rows, labels
    from nianbao.warehouse.store import WarehouseError, read_session

    registry = _registry(expected)
    filters = Filters(years=tuple(year) if year else None, region=region, category=category, level=level)
    try:
        with read_session(db) as con:
            rows = compliance_table(con, registry, filters)
            flags = flag_rows(con, rows) if fmt in (CompareFormat.xlsx, CompareFormat.html) else []
    except WarehouseError as exc:
        raise _fail(str(exc)) from None

    if fmt is CompareFormat.csv:
        _write_csv(LEAGUE_COLUMNS, rows, output)
        return
    if fmt is CompareFormat.table:
        console = _console()
        if not rows:
            console.print(f"{labels()['no_rows']}  {_describe_filters(filters)}")
            return
        _print_table(console, TABLE_COLUMNS, rows, f"{labels()['title']}  {_describe_filters(filters)}")
        return
    if fmt is CompareFormat.xlsx:
        from nianbao.supervise.xlsx_report import write_workbook

        path = write_workbook(output or Path("nianbao-compare.xlsx"), rows, flags)
    else:
        from nianbao.supervise.html_report import render_html

        path = output or Path("nianbao-compare.html")
        path.parent.mkdir(parents=True, exist_ok=True)
        subtitle = "；".join(p for p in (str(db), _describe_filters(filters)) if p)
        path.write_text(render_html(rows, flags, subtitle=subtitle), encoding="utf-8")
    _console().print(Text(f"{path}  ({len(rows)} rows, {len(flags)} flags)"))


def history(
    agency: Annotated[str, typer.Argument(help="Agency: full name, part of it, or abbreviation.")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[HistoryFormat, typer.Option("--format", help="Output format.")] = HistoryFormat.table,
    expected: ExpectedOption = None,
) -> None:
    """One agency across years: published or missing, on time, format, flags and figures."""
    from nianbao.supervise.compliance import Filters, compliance_table, find_agency_ids, labels
    from nianbao.warehouse.store import WarehouseError, read_session

    registry = _registry(expected)
    console = _console()
    try:
        with read_session(db) as con:
            found = find_agency_ids(con, agency, registry)
            if len(found) != 1:
                if not found:
                    console.print(Text(f"{labels()['columns']['agency']} 「{agency}」: not found", style="yellow"))
                else:
                    console.print(Text(f"「{agency}」 matches {len(found)} agencies; give the full name:",
                                       style="yellow"))
                    for _, name in found:
                        console.print(Text(f"  {name}"))
                raise typer.Exit(EXIT_FAILED)
            agency_id, name = found[0]
            rows = compliance_table(con, registry, Filters(agency_ids=(agency_id,)))
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    if fmt is HistoryFormat.csv:
        from nianbao.supervise.compliance import LEAGUE_COLUMNS

        _write_csv(LEAGUE_COLUMNS, rows, None)
        return
    if rows:
        r = rows[0]
        from nianbao.supervise.league_view import column_label, display_value

        head = "  ".join(f"{column_label(c)}: {display_value(c, r.value(c))}"
                         for c in ("region", "region_code", "level", "category") if r.value(c))
        console.print(Text(f"{escape(r.agency)}", style="bold"))
        console.print(Text(head))
    _print_table(console, HISTORY_COLUMNS, rows, f"{name} {labels()['history_title']}")


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="parquet (partitioned by year) or csv.")]
    = ExportFormat.parquet,
    out: Annotated[Path, typer.Option(help="Folder to write (an earlier export there is replaced).")]
    = Path("export"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write every warehouse table for other tools: Parquet partitioned by report year, or CSV."""
    from nianbao.supervise.export import export_warehouse
    from nianbao.warehouse.store import WarehouseError, read_session

    if out.exists() and not out.is_dir():
        raise _fail(f"{out} is a file; give a folder to export into", EXIT_USAGE)
    try:
        with read_session(db) as con:
            tables = export_warehouse(con, out, fmt.value)
    except WarehouseError as exc:
        raise _fail(str(exc)) from None
    console = _console()
    table = Table(title=f"{out} ({fmt.value})", title_justify="left")
    table.add_column("table")
    table.add_column("rows", justify="right")
    table.add_column("path")
    for t in tables:
        table.add_row(t.table, str(t.rows), t.path + ("/year=…" if t.partitioned else ""))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(compare)
    app.command()(history)
    app.command()(export)
