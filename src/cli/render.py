"""Rendering shared by the CLI commands: the ingest summary and one report's tables and flags,
under the official Chinese labels (template.yaml, ui.yaml `terminal`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from nianbao.extract.model import Provenance
from nianbao.normalize.notes import null_reason_text, structure_note_text
from nianbao.spec import APPEAL_OUTCOMES, APPEAL_PROCEEDINGS, SPEC, VERSIONS
from nianbao.supervise.labels import active_tables, place_label, rule_name, subject_label
from nianbao.vocabulary import VOCAB

UI = VOCAB.ui.terminal  # the terminal's words (ui.yaml `terminal`)


def console() -> Console:
    # Built per command so a test runner's captured stdout is used.
    return Console(highlight=False)


def err_console() -> Console:
    return Console(stderr=True, highlight=False)


def severity_text(severity: str) -> Text:
    style = {"error": "bold red", "warn": "yellow", "info": "cyan"}.get(severity, "")
    return Text(f"{severity} {UI.severities.get(severity, '')}".strip(), style=style)


# ------------------------------------------------------------------------------ ingest

def print_summary(console: Console, summary: dict[str, Any]) -> None:
    seconds = summary.get("seconds")
    console.print(
        f"\n[bold]{UI.summary}[/bold] run {summary['run_id']} → {escape(summary['db'])}"
        + (f"  ({UI.seconds} {seconds:.1f})" if seconds is not None else ""))

    docs = Table(title=f"{UI.documents} ({summary['n_documents']})", title_justify="left")
    docs.add_column(UI.status)
    docs.add_column(UI.count, justify="right")
    for status, n in sorted(summary["documents_by_status"].items()):
        docs.add_row(SPEC.status_label(status), str(n))
    console.print(docs)
    plan = summary.get("plan") or {}
    if plan:
        read = {r: n for r, n in plan.items() if r != "unchanged" and n}
        console.print(f"{UI.read_this_run}: {sum(read.values())}"
                      + (" (" + ", ".join(f"{UI.read_reasons[r]} {n}" for r, n in sorted(read.items())) + ")"
                         if read else "")
                      + f"; {UI.skipped_unchanged}: {plan.get('unchanged', 0)}")
    console.print(f"{UI.reports}: {summary['n_reports']}")

    if summary["flags"]:
        flags = Table(title=f"{UI.flags} ({summary['n_flags']})", title_justify="left")
        flags.add_column(UI.rule)
        flags.add_column(UI.severity)
        flags.add_column(UI.count, justify="right")
        for f in summary["flags"]:
            flags.add_row(rule_cell(f["rule"]), severity_text(f["severity"]), str(f["count"]))
        console.print(flags)
    else:
        console.print(f"{UI.flags}: {UI.no_flags}")

    if summary["problems"]:
        # A list, not a table: paths and reasons are long, and terminals are often narrow.
        console.print(f"[bold]{UI.not_ok_documents} ({len(summary['problems'])})[/bold]")
        for p in summary["problems"]:
            line = Text("  • ")
            line.append(p["source"])
            line.append("  ")
            line.append(SPEC.status_label(p["status"]), style="yellow" if p["status"] == "partial" else "red")
            console.print(line)
            if p["error"]:
                console.print(Text(f"    {p['error']}", style="dim"))




def number_text(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def evidence_text(p: Provenance) -> str:
    """「第3页 表2 第6行 第4列」 (a text file's line as 原文第N行; an HTML element's path when that
    is all there is)."""
    return place_label(p)


def rule_cell(rule: str) -> Text:
    """The rule's Chinese name, its id after it (what `nianbao review` takes)."""
    text = Text(rule_name(rule))
    if rule_name(rule) != rule:
        text.append(f" {rule}", style="dim")
    return text


class _BlankNotes:
    """Collects why cells are blank, to print under their table (identical notes grouped)."""

    def __init__(self) -> None:
        self.notes: dict[str, list[str]] = defaultdict(list)

    def add(self, where: str, note: str | None) -> None:
        if note:
            self.notes[note].append(where)

    def print(self, console: Console) -> None:
        for note, cells in self.notes.items():
            shown = "、".join(cells[:4]) + (f" …(+{len(cells) - 4})" if len(cells) > 4 else "")
            console.print(Text(f"  {UI.blank_cells} {shown}: {note}", style="dim"))


def cell_text(value: Decimal | int | None, unit: str | None = None, label: str = "") -> str:
    text = number_text(value)
    if text and unit and unit not in label:
        text = f"{text} {unit}"
    return text


def _heading(console: Console, section: str, values: Sequence[Any]) -> bool:
    """The section's heading; False, after saying so, when the report has no cell of it."""
    console.print(f"\n[bold]{SPEC.sections[section]}[/bold]")
    if not values:
        console.print(f"  {UI.no_data}")
        return False
    return True


def print_active(console: Console, view: Any) -> None:
    if not _heading(console, "active", view.active):
        return
    cells = {(v.item, v.row, v.metric): v for v in view.active}
    version = view.header.template_version
    for layout in active_tables(version, cells, SPEC.active_label, lambda item, metric: metric):
        item, rows, metrics = layout.item, layout.rows, layout.metrics
        if not layout.has_cells and version not in VERSIONS:
            continue
        table = Table(title=SPEC.active_item_labels.get(item, item), title_justify="left")
        table.add_column(VOCAB.recognition.active_content_header)
        for label in metrics.values():
            table.add_column(label, justify="right")
        notes = _BlankNotes()
        for row, row_label in rows.items():
            out = [row_label]
            for metric, metric_label in metrics.items():
                v = cells.get((item, row, metric))
                out.append(cell_text(v.value, v.unit, metric_label) if v else "")
                if v is not None and v.value is None:
                    notes.add(f"{row_label}×{metric_label}", null_reason_text(v))
            table.add_row(*out)
        console.print(table)
        notes.print(console)


def _print_grid(console: Console, table: Table, cells: dict[tuple[str, str], Any], rows: Sequence[str],
                columns: Sequence[str], row_label: Callable[[str], str], where: Callable[[str, str], str]) -> None:
    """A table row per row code, its cells column by column; why cells are blank, under the table."""
    notes = _BlankNotes()
    for row in rows:
        out = [row_label(row)]
        for column in columns:
            v = cells.get((row, column))
            out.append(cell_text(v.value) if v else "")
            if v is not None and v.value is None:
                notes.add(where(row, column), null_reason_text(v))
        table.add_row(*out)
    console.print(table)
    notes.print(console)


def print_applications(console: Console, view: Any) -> None:
    if not _heading(console, "applications", view.applications):
        return
    cells = {(v.row, v.applicant): v for v in view.applications}
    version = view.header.template_version
    rows = SPEC.application_rows_for(version) if version in VERSIONS else list(SPEC.application_rows)
    rows = [r for r in rows if version in VERSIONS or any(k[0] == r for k in cells)]
    table = Table(caption=SPEC.header_note, caption_justify="left", show_lines=False)
    table.add_column("", overflow="fold")
    for applicant in SPEC.applicants:
        # 法人或其他组织·商业企业 -> two header lines, as in the official three-row header.
        table.add_column(SPEC.applicant_label(applicant).replace("·", "\n"), justify="right")
    _print_grid(console, table, cells, rows, list(SPEC.applicants), SPEC.row_label,
                lambda row, applicant: f"{SPEC.row_label(row)}×{SPEC.applicant_label(applicant)}")


def print_appeals(console: Console, view: Any) -> None:
    if not _heading(console, "appeals", view.appeals):
        return
    cells = {(v.proceeding, v.outcome): v for v in view.appeals}
    table = Table()
    table.add_column("")
    for outcome in APPEAL_OUTCOMES:
        table.add_column(SPEC.appeal_outcomes[outcome], justify="right")
    _print_grid(console, table, cells, APPEAL_PROCEEDINGS, APPEAL_OUTCOMES, SPEC.appeal_label, SPEC.appeal_label)


def print_flags(console: Console, view: Any, reviews: list[str] | None = None) -> None:
    if not view.flags:
        console.print(f"\n[bold]{UI.flags}[/bold]: {UI.no_flags}")
        return
    reviews = reviews or [""] * len(view.flags)
    table = Table(title=f"{UI.flags} ({len(view.flags)})", title_justify="left", show_lines=True)
    table.add_column(UI.rule, overflow="fold")
    table.add_column(UI.severity)
    table.add_column(UI.subject, overflow="fold")
    table.add_column(UI.message, overflow="fold", ratio=3)
    table.add_column(UI.evidence, overflow="fold", ratio=2)
    for f, review in zip(view.flags, reviews, strict=False):
        evidence = "\n".join(evidence_text(p) for p in f.evidence)
        message = Text(f.message)
        if review:  # the supervisor's decision, under the flag it is about
            message.append(f"\n〔{UI.review_status}：{review}〕", style="bold green")
        table.add_row(rule_cell(f.rule), severity_text(f.severity), subject_label(f.subject), message, evidence)
    console.print()
    console.print(table)
    console.print(Text(UI.review_hint.format(report_id=view.header.report_id), style="dim"))


def print_header(console: Console, view: Any) -> None:
    h = view.header
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    n = len(view.versions)
    current = UI.current if h.is_current else UI.superseded
    grid.add_row(UI.agency, h.agency or "")
    grid.add_row(UI.year, str(h.year) if h.year is not None else "")
    grid.add_row(UI.title, h.title or "")
    grid.add_row(UI.template_version, h.template_version or "")
    grid.add_row(UI.version, f"{view.version_number}/{n} ({current})")
    grid.add_row(UI.document, f"{h.document_id[:16]}  {h.source or ''} ({h.format or ''})")
    status = SPEC.status_label(h.document_status) + (f" — {h.document_error}" if h.document_error else "")
    grid.add_row(UI.status, status)
    if h.published_on:
        grid.add_row(UI.published_on, h.published_on.isoformat())
    if h.signed_on:
        grid.add_row(UI.signed_on, h.signed_on.isoformat())
    console.print(grid)
    if n > 1:
        for i, v in enumerate(view.versions, start=1):
            mark = "*" if v.report_id == h.report_id else " "
            console.print(Text(f" {mark} {UI.version} {i}: {v.document_id[:16]} {v.source or ''} "
                               f"{v.fetched_at or ''}", style="dim"))


def print_structure(console: Console, view: Any) -> None:
    if not view.structure:
        return
    console.print(f"\n[bold]{UI.structure}[/bold]")
    for note in view.structure:
        where = f"（{evidence_text(note.provenance)}）" if note.provenance else ""
        section = SPEC.sections.get(note.section, note.section)
        console.print(Text(f"  「{section}」{structure_note_text(note)}{where}"))
