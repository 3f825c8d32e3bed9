"""The supervisors' commands: `nianbao compare` (league table of compliance per agency and year),
`nianbao history` (one agency across years) and `nianbao export` (every table, Parquet or CSV).

Registered on the `nianbao` app by src/cli.py (`register(app)`).
"""

from __future__ import annotations

import csv
import io
import os
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
TABLE_COLUMNS = ("year", "agency", "place", "level", "category", "issuer_kind", "expected", "status", "on_time",
                 "format_ok", "open_errors", "open_warnings", "received", "handled", "disclosure_rate",
                 "not_held_share", "reviews", "lawsuits", "corrected_rate")
HISTORY_COLUMNS = ("year", "expected", "status", "published_on", "issuer_kind", "deadline", "on_time", "template_version",
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
                       "Default: the warehouse's own registry (`nianbao registry load FILE`).")]


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal and not os.environ.get("COLUMNS"):
        # Piped or captured: do not squeeze the wide tables into 80 columns.
        console = Console(highlight=False, width=max(console.width, 200))
    return console


def _err() -> Console:
    return Console(stderr=True, highlight=False)


def _fail(message: str, code: int = EXIT_FAILED) -> typer.Exit:
    _err().print(Text(message, style="bold red"))
    return typer.Exit(code)


def _registry(expected: Sequence[Path] | None):
    """The files given with --expected, else None: the warehouse's own registry is read with it."""
    from nianbao.supervise.registry import RegistryError, load_registry

    if not expected:
        return None
    missing = [p for p in expected if not p.exists()]
    if missing:
        raise _fail(f"no such registry file: {', '.join(map(str, missing))}", EXIT_USAGE)
    try:
        return load_registry(expected)
    except RegistryError as exc:
        raise _fail(str(exc)) from None


def _registry_of(con, given):
    from nianbao.supervise.registry import warehouse_registry

    return given if given is not None else warehouse_registry(con)


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


# The terminal table drops columns from the end of this order until the rest fit the width; the
# agency is never dropped (its name wraps), and no number is ever cut.
COLUMN_PRIORITY = ("year", "agency", "status", "on_time", "open_errors", "open_warnings", "format_ok",
                   "received", "handled", "disclosure_rate", "published_on", "deadline", "place", "flag_rules",
                   "template_version", "not_held_share", "corrected_rate", "reviews", "lawsuits", "level",
                   "category", "expected")
AGENCY_MIN_WIDTH = 20  # ten Chinese characters a line: most names on one or two lines


def fit_columns(columns: Sequence[str], cells: dict[str, list[str]], headers: dict[str, str], width: int
                ) -> tuple[list[str], dict[str, int]]:
    """The columns that fit `width` (in priority order, kept in their own order) and the width of
    each: every number whole; the agency (and rule list) wrapping into what is left."""
    from rich.cells import cell_len

    need = {c: max([cell_len(headers[c])] + [cell_len(v) for v in cells[c]]) for c in columns}
    wraps = {"agency": AGENCY_MIN_WIDTH, "flag_rules": 8}
    floor = {c: (min(need[c], wraps[c]) if c in wraps else need[c]) for c in columns}
    chosen: list[str] = []
    for column in sorted(columns, key=lambda c: COLUMN_PRIORITY.index(c) if c in COLUMN_PRIORITY else 99):
        trial = chosen + [column]
        if column == "agency" or sum(floor[c] + 3 for c in trial) + 1 <= width:
            chosen = trial
    kept = [c for c in columns if c in chosen]
    widths = {c: floor[c] for c in kept}
    spare = width - (sum(widths[c] + 3 for c in kept) + 1)
    for column in ("agency", "flag_rules"):
        if column in widths and spare > 0:
            grow = min(spare, need[column] - widths[column])
            widths[column] += grow
            spare -= grow
    return kept, widths


def _print_table(console: Console, columns: Sequence[str], rows: Sequence[object], title: str,
                 wide: bool = False) -> None:
    from rich.cells import cell_len

    from nianbao.supervise.compliance import labels
    from nianbao.supervise.league_view import INT_COLUMNS, RATE_COLUMNS, column_label

    short = labels().short_columns
    headers = {c: short.get(c) or column_label(c) for c in columns}
    texts = {c: [_value_cell(c, row.value(c)) for row in rows] for c in columns}  # type: ignore[attr-defined]
    plain = {c: [t.plain for t in ts] for c, ts in texts.items()}
    if wide:
        kept = list(columns)
        widths = {c: max([cell_len(headers[c])] + [cell_len(v) for v in plain[c]]) for c in columns}
        console = Console(highlight=False, width=sum(w + 3 for w in widths.values()) + 1)
    else:
        kept, widths = fit_columns(columns, plain, headers, console.width)
    table = Table(title=title, title_justify="left")
    for column in kept:
        numeric = column in INT_COLUMNS or column in RATE_COLUMNS
        wraps = column in ("agency", "flag_rules")
        table.add_column(headers[column], justify="right" if numeric else "left", overflow="fold",
                         no_wrap=not wraps, width=widths[column], min_width=widths[column])
    for i in range(len(rows)):
        table.add_row(*(texts[c][i] for c in kept))
    console.print(table)
    left_out = [headers[c] for c in columns if c not in kept]
    if left_out:
        console.print(Text(f"（{'、'.join(left_out)} 未显示：终端宽 {console.width} 列；--wide 显示全部，"
                           "或用 --format csv/xlsx/html）", style="dim"))


def _write_csv(columns: Sequence[str], rows: Sequence[object], output: Path | None, codes: bool = False) -> None:
    """For people (default): Chinese headers and words (已发布, 逾期, rule names), UTF-8 with a BOM
    so that Excel on a Chinese Windows reads it. With `codes`: code headers and values, the stable
    interface for other tools (a BOM only in a file)."""
    from nianbao.supervise.league_view import csv_value, people_csv_value

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns if codes else [column_label_of(c) for c in columns])
    cell = csv_value if codes else people_csv_value
    for row in rows:
        writer.writerow([cell(c, row.value(c)) for c in columns])  # type: ignore[attr-defined]
    if output is None:
        sys.stdout.write(("" if codes else "\ufeff") + buffer.getvalue())
        sys.stdout.flush()
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text("\ufeff" + buffer.getvalue(), encoding="utf-8")


def column_label_of(column: str) -> str:
    from nianbao.supervise.league_view import column_label

    return column_label(column)


CodesOption = Annotated[bool, typer.Option(
    "--codes", help="CSV with code headers and values (published, late, 0.5455) for other tools, "
                    "instead of the Chinese ones.")]


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
    codes: CodesOption = False,
    wide: Annotated[bool, typer.Option("--wide", help="Every column, whatever the terminal's width.")] = False,
) -> None:
    """League table: for every expected agency and year, published or missing, on time, format,
    open flags and key figures (applications, disclosure rate, 不掌握, appeals, corrected rate)."""
    from nianbao.supervise.compliance import (
        LEAGUE_COLUMNS,
        Filters,
        compliance_table,
        flag_rows,
        labels,
        structure_rows,
    )
    from nianbao.warehouse.store import WarehouseError, read_session

    registry = _registry(expected)
    filters = Filters(years=tuple(year) if year else None, region=region, category=category, level=level)
    try:
        with read_session(db) as con:
            registry = _registry_of(con, registry)
            rows = compliance_table(con, registry, filters)
            flags = flag_rows(con, rows) if fmt in (CompareFormat.xlsx, CompareFormat.html) else []
            structure = structure_rows(con, rows) if fmt is CompareFormat.xlsx else []
    except WarehouseError as exc:
        raise _fail(str(exc)) from None

    if fmt is CompareFormat.csv:
        _write_csv(LEAGUE_COLUMNS, rows, output, codes)
        return
    if fmt is CompareFormat.table:
        console = _console()
        if not rows:
            console.print(f"{labels().no_rows}  {_describe_filters(filters)}")
            return
        _print_table(console, TABLE_COLUMNS, rows, f"{labels().title}  {_describe_filters(filters)}", wide)
        return
    if fmt is CompareFormat.xlsx:
        from nianbao.supervise.xlsx_report import write_workbook

        path = write_workbook(output or Path("nianbao-compare.xlsx"), rows, flags, structure)
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
    codes: CodesOption = False,
    wide: Annotated[bool, typer.Option("--wide", help="Every column, whatever the terminal's width.")] = False,
) -> None:
    """One agency across years: published or missing, on time, format, flags and figures."""
    from nianbao.supervise.compliance import Filters, compliance_table, find_agency_ids, labels
    from nianbao.warehouse.store import WarehouseError, read_session

    registry = _registry(expected)
    console = _console()
    try:
        with read_session(db) as con:
            registry = _registry_of(con, registry)
            found = find_agency_ids(con, agency, registry)
            if len(found) != 1:
                if not found:
                    console.print(Text(f"{labels().columns['agency']} 「{agency}」: not found", style="yellow"))
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

        _write_csv(LEAGUE_COLUMNS, rows, None, codes)
        return
    if rows:
        r = rows[0]
        from nianbao.supervise.league_view import column_label, display_value

        head = "  ".join(f"{column_label(c)}: {display_value(c, r.value(c))}"
                         for c in ("region", "region_code", "level", "category") if r.value(c))
        console.print(Text(f"{escape(r.agency)}", style="bold"))
        console.print(Text(head))
    _print_table(console, HISTORY_COLUMNS, rows, f"{name} {labels().history_title}", wide)


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="parquet (partitioned by year) or csv.")]
    = ExportFormat.parquet,
    out: Annotated[Path, typer.Option(help="Folder to write (the files of an earlier export there are replaced; "
                                           "nothing else in it is touched).")]
    = Path("export"),
    db: DbOption = DEFAULT_DB,
) -> None:
    """Write every warehouse table for other tools: Parquet partitioned by report year, or CSV."""
    from nianbao.supervise.export import ExportError, export_warehouse
    from nianbao.warehouse.store import WarehouseError, read_session

    if out.exists() and not out.is_dir():
        raise _fail(f"{out} is a file; give a folder to export into", EXIT_USAGE)
    try:
        with read_session(db) as con:
            tables = export_warehouse(con, out, fmt.value)
    except (WarehouseError, ExportError) as exc:
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
