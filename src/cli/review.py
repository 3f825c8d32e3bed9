"""Supervisors' review of flags: `nianbao review` (record a decision), `nianbao reviews` (list
them, and whether each still applies), `nianbao recheck` (run the cross-year and duplication
rules over the whole warehouse again); and the helpers `nianbao show` uses for review statuses
and its `--html` page.

Registered on the `nianbao` app by src/cli.py (`register(app)`).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import duckdb
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from nianbao.cli.options import DEFAULT_DB, DbOption
from nianbao.cli.render import rule_cell
from nianbao.supervise.labels import rule_name, subject_label
from nianbao.vocabulary import VOCAB

EXIT_FAILED = 1


class ReviewStatus(str, Enum):
    confirmed = "confirmed"
    dismissed = "dismissed"


_UI = VOCAB.ui.terminal


def _console() -> Console:
    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=max(console.width, 160))
    return console


def _fail(message: str) -> typer.Exit:
    Console(stderr=True, highlight=False).print(Text(message, style="bold red"))
    return typer.Exit(EXIT_FAILED)


# ------------------------------------------------------------------------------ for `nianbao show`

def flag_seqs(con: duckdb.DuckDBPyConnection, report_id: str) -> list[int]:
    """The seq of each flag, in the order report_view returns them (by seq)."""
    return [r[0] for r in con.execute("SELECT seq FROM check_results WHERE report_id = ? ORDER BY seq",
                                      [report_id]).fetchall()]


def review_labels(con: duckdb.DuckDBPyConnection, view: Any) -> list[str]:
    """For each flag of the view (in order), its review decision in words, or ''."""
    from nianbao.supervise.review import flag_review_statuses

    statuses = flag_review_statuses(con, view.header.report_id)
    out = []
    for seq in flag_seqs(con, view.header.report_id):
        status, note = statuses.get(seq, (None, None))
        label = _UI.review_statuses.get(status, status) if status else ""
        out.append(f"{label}：{note}" if label and note else label)
    return out


def write_flag_page(con: duckdb.DuckDBPyConnection, view: Any, path: Path) -> None:
    """`nianbao show … --html FILE`."""
    from nianbao.jobs.recheck import load_reports
    from nianbao.supervise.flag_page import render_flag_page
    from nianbao.supervise.review import flag_review_statuses

    report_id = view.header.report_id
    try:
        stored = load_reports(con, [report_id]).get(report_id)
    except duckdb.CatalogException:  # a warehouse written before the narrative was stored
        stored = None
    narrative = stored.report.narrative if stored else ()
    page = render_flag_page(view, narrative, flag_review_statuses(con, report_id), flag_seqs(con, report_id))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")


# ------------------------------------------------------------------------------ commands

def register(app: typer.Typer) -> None:
    """Add review / reviews / recheck to the nianbao app."""

    @app.command()
    def review(
        report: Annotated[str, typer.Argument(
            help="The report: its id (rp_…, printed by `nianbao show`), or AGENCY:YEAR for the current report, "
                 "e.g. 舞阳县教育局:2022.")],
        rule: Annotated[str, typer.Argument(help="The flag's rule, e.g. T3_STATED.")],
        subject: Annotated[str, typer.Argument(
            help="The flag's subject as `nianbao show` prints it (自然人, 行政复议…) or its code (natural_person).")],
        status: Annotated[ReviewStatus, typer.Option(help="confirmed: a real problem; dismissed: not one.")],
        note: Annotated[str | None, typer.Option(help="Why, in a sentence.")] = None,
        seq: Annotated[int | None, typer.Option(
            help="Only the flag with this seq, when the report has several with this rule and subject.")] = None,
        reviewer: Annotated[str | None, typer.Option(help="Who decided (kept with the decision and its history).")]
        = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """Record a review decision on a flag. It survives re-ingesting and re-checking, and the
        flag is open again only when its numbers change. Dismissed flags leave `compare`."""
        from nianbao.supervise.review import ReviewError, record_decision
        from nianbao.warehouse.store import WarehouseError, write_session

        if not db.exists():
            raise _fail(f"there is no warehouse at {db}; run `nianbao ingest PATH --db {db}` first")
        try:
            with write_session(db) as warehouse:
                written = record_decision(warehouse.con, report, rule, subject, status.value, note, seq,
                                          reviewer=reviewer)
        except (ReviewError, WarehouseError) as exc:
            raise _fail(str(exc)) from None
        console = _console()
        for d in written:
            label = _UI.review_statuses[d.status]
            console.print(Text(f"{label} {rule_name(d.rule)}（{d.rule}） {subject_label(d.subject)} — "
                               f"{d.agency or ''} {d.year or ''} ({d.report_id})"))
            if d.message:
                console.print(Text(f"  {d.message}", style="dim"))

    @app.command()
    def reviews(
        agency: Annotated[str | None, typer.Argument(help="Only this agency (full name, part of it, abbreviation).")]
        = None,
        db: DbOption = DEFAULT_DB,
    ) -> None:
        """List review decisions, newest first, and whether each still applies (a decision stops
        applying when the flag's numbers change or the flag is gone)."""
        from nianbao.supervise.review import list_decisions
        from nianbao.warehouse.store import WarehouseError, read_session

        try:
            with read_session(db) as con:
                decisions = list_decisions(con, agency)
        except (WarehouseError, duckdb.CatalogException) as exc:
            raise _fail(str(exc)) from None
        console = _console()
        if not decisions:
            console.print(_UI.no_decisions)
            return
        table = Table(show_lines=True)
        for column in (_UI.agency, _UI.year, _UI.rule, _UI.subject, _UI.review_status,
                       _UI.reviewer, _UI.note, _UI.applies, _UI.decided, _UI.message):
            table.add_column(column, overflow="fold")
        for d in decisions:
            table.add_row(d.agency or "", str(d.year or ""), rule_cell(d.rule), subject_label(d.subject),
                          _UI.review_statuses.get(d.status, d.status), d.reviewer or "", d.note or "",
                          _UI.applies_yes if d.applies else _UI.applies_no,
                          d.decided_at.strftime("%Y-%m-%d %H:%M"), d.message or "")
        console.print(table)

    @app.command()
    def recheck(db: DbOption = DEFAULT_DB) -> None:
        """Run the cross-year and duplication rules over every agency and year again (after an
        upgrade, or when a load's check was interrupted). Review decisions are kept."""
        from nianbao.jobs.recheck import refresh_all
        from nianbao.warehouse.store import WarehouseError, write_session

        if not db.exists():
            raise _fail(f"there is no warehouse at {db}; run `nianbao ingest PATH --db {db}` first")
        try:
            with write_session(db) as warehouse:
                n = refresh_all(warehouse.con)
        except WarehouseError as exc:
            raise _fail(str(exc)) from None
        _console().print(f"{n} cross-year and duplication flags in {db}")
