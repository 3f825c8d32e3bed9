"""Read-side queries behind the CLI views: the summary of one ingest run, and one report with
its tables, flags and their evidence. Each takes an open DuckDB connection (read_session)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
from rapidfuzz import fuzz, process

from nianbao.extract.model import Provenance
from nianbao.normalize.agency import match_agencies
from nianbao.normalize.model import (
    ActiveValue,
    AppealValue,
    ApplicationValue,
    CheckResult,
    StructureNote,
    null_reason_of,
)
from nianbao.warehouse.store import as_printed

SEVERITY_ORDER = {"error": 0, "warn": 1, "info": 2}


# ------------------------------------------------------------------------------ run summary

@dataclass(frozen=True)
class FlagCount:
    rule: str
    severity: str
    count: int


@dataclass(frozen=True)
class DocumentProblem:
    source: str
    status: str
    error: str | None


@dataclass(frozen=True)
class RunSummary:
    """What one ingest run did: files by status, reports stored, flags raised."""

    run_id: str
    db: str
    started_at: datetime | None
    finished_at: datetime | None
    n_documents: int
    documents_by_status: dict[str, int]
    n_reports: int
    flags: tuple[FlagCount, ...]
    problems: tuple[DocumentProblem, ...]  # every document whose status is not ok
    # Files read by reason (new, pipeline_changed, not_read, forced) and skipped ('unchanged').
    plan: dict[str, int] = field(default_factory=dict)

    @property
    def n_skipped(self) -> int:
        return self.plan.get("unchanged", 0)

    @property
    def n_flags(self) -> int:
        return sum(f.count for f in self.flags)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able form (the Prefect flow's return value)."""
        d = asdict(self)
        d["started_at"] = self.started_at.isoformat() if self.started_at else None
        d["finished_at"] = self.finished_at.isoformat() if self.finished_at else None
        d["flags"] = [asdict(f) for f in self.flags]
        d["problems"] = [asdict(p) for p in self.problems]
        d["n_flags"] = self.n_flags
        d["n_skipped"] = self.n_skipped
        d["seconds"] = self.seconds
        return d


def run_summary(con: duckdb.DuckDBPyConnection, run_id: str, db: str = "") -> RunSummary:
    run = con.execute("SELECT started_at, finished_at, plan FROM runs WHERE run_id = ?", [run_id]).fetchone()
    if run is None:
        raise KeyError(f"no run {run_id} in the warehouse")
    by_status = dict(con.execute(
        "SELECT status, count(*) FROM run_documents WHERE run_id = ? GROUP BY status ORDER BY status",
        [run_id]).fetchall())
    run_reports = (
        "SELECT report_id FROM reports WHERE document_id IN "
        "(SELECT document_id FROM run_documents WHERE run_id = ?)")
    n_reports = con.execute(f"SELECT count(*) FROM ({run_reports})", [run_id]).fetchone()[0]
    flags = [FlagCount(rule, severity, n) for rule, severity, n in con.execute(
        f"SELECT rule, severity, count(*) FROM check_results WHERE report_id IN ({run_reports}) "
        "GROUP BY rule, severity", [run_id]).fetchall()]
    flags.sort(key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule))
    problems = tuple(DocumentProblem(*r) for r in con.execute(
        "SELECT source, status, error FROM run_documents WHERE run_id = ? AND status <> 'ok' ORDER BY seq",
        [run_id]).fetchall())
    return RunSummary(
        run_id=run_id, db=db, started_at=run[0], finished_at=run[1],
        n_documents=sum(by_status.values()), documents_by_status=by_status, n_reports=n_reports,
        flags=tuple(flags), problems=problems, plan=json.loads(run[2]) if run[2] else {},
    )


# ------------------------------------------------------------------------------ report view

@dataclass(frozen=True)
class ReportVersion:
    report_id: str
    document_id: str
    source: str | None
    fetched_at: datetime | None
    is_current: bool


@dataclass(frozen=True)
class ReportHeader:
    report_id: str
    document_id: str
    agency_id: str | None
    agency: str | None
    year: int | None
    title: str | None
    template_version: str | None
    published_on: date | None
    signed_on: date | None
    agency_in_title: str | None
    is_current: bool
    status: str                    # reports.status (ok / partial)
    status_reason: str | None
    document_status: str
    document_error: str | None
    source: str | None
    format: str | None
    fetched_at: datetime | None
    issuer_kind: str | None = None  # government / department / township / other (reports.issuer_kind)
    issuer_basis: str | None = None


@dataclass(frozen=True)
class ReportView:
    """One report as stored: header, the three tables as canonical records, flags with evidence."""

    header: ReportHeader
    versions: tuple[ReportVersion, ...]  # every version of this agency and year, oldest first
    applications: tuple[ApplicationValue, ...]
    active: tuple[ActiveValue, ...]
    appeals: tuple[AppealValue, ...]
    flags: tuple[CheckResult, ...]
    structure: tuple[StructureNote, ...] = field(default=())

    @property
    def version_number(self) -> int:
        ids = [v.report_id for v in self.versions]
        return ids.index(self.header.report_id) + 1 if self.header.report_id in ids else 1


class ReportNotFound(LookupError):
    """No report for that agency and year; `suggestions` are close matches to offer instead."""

    def __init__(self, message: str, suggestions: list[str]) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def find_agencies(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[str, str]]:
    """Agencies matching `query`: the exact name; else names containing it; else names it
    abbreviates (舞阳工信局 -> 舞阳县工业和信息化局). Returns (agency_id, name) pairs."""
    agencies = con.execute("SELECT agency_id, name FROM agencies ORDER BY name").fetchall()
    return match_agencies(query, agencies)


def _close_matches(con: duckdb.DuckDBPyConnection, query: str, limit: int = 5) -> list[str]:
    names = [r[0] for r in con.execute("SELECT name FROM agencies").fetchall()]
    matches = process.extract(query, names, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=40)
    return [_with_years(con, m[0]) for m in matches]


def _with_years(con: duckdb.DuckDBPyConnection, name: str) -> str:
    years = [str(r[0]) for r in con.execute(
        "SELECT DISTINCT r.year FROM reports r JOIN agencies a USING (agency_id) "
        "WHERE a.name = ? AND r.year IS NOT NULL ORDER BY 1", [name]).fetchall()]
    return f"{name} ({', '.join(years)})" if years else name


_PROVENANCE_COLUMNS = "source_locator, source_page, source_table, source_row, source_col"


def _count_cells(con: duckdb.DuckDBPyConnection, record: type[Any], table: str, keys: str, report_id: str,
                 source: str) -> tuple[Any, ...]:
    """A report's section 三 or 四 cells (two key columns, then the value) as their records."""
    rows = con.execute(f"SELECT {keys}, value, raw, note, {_PROVENANCE_COLUMNS}, null_reason FROM {table} "
                       "WHERE report_id = ?", [report_id]).fetchall()
    return tuple(record(r[0], r[1], r[2], r[3], r[4], _provenance(source, *r[5:10]), null_reason_of(r[10]))
                 for r in rows)


def report_view(con: duckdb.DuckDBPyConnection, agency: str, year: int) -> ReportView:
    """The current report of `agency` for `year`. Raises ReportNotFound with suggestions."""
    candidates = find_agencies(con, agency)
    if not candidates:
        raise ReportNotFound(f"no agency matches 「{agency}」", _close_matches(con, agency))
    if len(candidates) > 1:
        with_year = [c for c in candidates if con.execute(
            "SELECT 1 FROM reports WHERE agency_id = ? AND year = ?", [c[0], year]).fetchone()]
        if len(with_year) == 1:
            candidates = with_year
        else:
            raise ReportNotFound(
                f"「{agency}」 matches {len(candidates)} agencies; give the full name",
                [_with_years(con, c[1]) for c in candidates[:10]])
    agency_id, agency_name = candidates[0]
    row = con.execute(
        """
        SELECT r.report_id FROM reports r JOIN documents d USING (document_id)
        WHERE r.agency_id = ? AND r.year = ?
        ORDER BY r.is_current DESC, d.fetched_at DESC, r.document_id DESC LIMIT 1
        """, [agency_id, year]).fetchone()
    if row is None:
        raise ReportNotFound(f"no {year} report of {agency_name} in the warehouse",
                             [_with_years(con, agency_name)])
    return report_view_by_id(con, row[0])


def _provenance(source: str | None, locator: str | None, page: int | None, table: int | None,
                row: int | None, col: int | None) -> Provenance | None:
    if locator is None and page is None and table is None and row is None and col is None:
        return None
    return Provenance(document=source or "", locator=locator or "", page=page, table=table, row=row, col=col)


def _evidence(text: str | None) -> tuple[Provenance, ...]:
    if not text:
        return ()
    return tuple(Provenance(document=d.get("document") or "", locator=d.get("locator") or "",
                            page=d.get("page"), table=d.get("table"), row=d.get("row"), col=d.get("col"))
                 for d in json.loads(text))


def report_view_by_id(con: duckdb.DuckDBPyConnection, report_id: str) -> ReportView:
    h = con.execute(
        """
        SELECT r.report_id, r.document_id, r.agency_id, a.name, r.year, r.title, r.template_version,
               r.published_on, r.signed_on, r.agency_in_title, r.is_current, r.status, r.status_reason,
               d.status, d.error, d.source, d.format, d.fetched_at, r.agency_name, r.issuer_kind, r.issuer_basis
        FROM reports r JOIN documents d USING (document_id) LEFT JOIN agencies a USING (agency_id)
        WHERE r.report_id = ?
        """, [report_id]).fetchone()
    if h is None:
        raise ReportNotFound(f"no report {report_id} in the warehouse", [])
    header = ReportHeader(*h[:3], h[3] or h[18], *h[4:18], *h[19:21])
    source = header.source
    versions = tuple(ReportVersion(*r) for r in con.execute(
        """
        SELECT r.report_id, r.document_id, d.source, d.fetched_at, r.is_current
        FROM reports r JOIN documents d USING (document_id)
        WHERE r.agency_id = ? AND r.year = ? ORDER BY d.fetched_at, r.document_id
        """, [header.agency_id, header.year]).fetchall()) or (
        ReportVersion(header.report_id, header.document_id, source, header.fetched_at, header.is_current),)
    applications = _count_cells(con, ApplicationValue, "applications", '"row", applicant', report_id, source)
    active = tuple(
        ActiveValue(r[0], r[1], r[2], as_printed(r[3]), r[4], r[5], r[6], _provenance(source, *r[7:12]),
                    null_reason_of(r[12]))
        for r in con.execute(
            f'SELECT item, "row", metric, value, unit, raw, note, {_PROVENANCE_COLUMNS}, null_reason '
            "FROM active_disclosure WHERE report_id = ?", [report_id]).fetchall())
    appeals = _count_cells(con, AppealValue, "appeals", "proceeding, outcome", report_id, source)
    flags = tuple(
        CheckResult(rule=r[0], severity=r[1], subject=r[2] or "", expected=_decimal(r[3]),
                    actual=_decimal(r[4]), message=r[5] or "", evidence=_evidence(r[6]))
        for r in con.execute(
            "SELECT rule, severity, subject, expected, actual, message, evidence FROM check_results "
            "WHERE report_id = ? ORDER BY seq", [report_id]).fetchall())
    structure = tuple(
        StructureNote(r[0] or "", r[1] or "", r[2] or "", _provenance(source, *r[3:]))
        for r in con.execute(
            f"SELECT section, kind, detail, {_PROVENANCE_COLUMNS} FROM structure_notes "
            "WHERE report_id = ? ORDER BY seq", [report_id]).fetchall())
    return ReportView(header, versions, applications, active, appeals, flags, structure)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else as_printed(Decimal(value))
