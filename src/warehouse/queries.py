"""Read-side queries behind the CLI views: the summary of one ingest run, and one report with
its tables, flags and their evidence. Each takes an open DuckDB connection (read_session)."""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
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
    NarrativeBlock,
    NoteParam,
    StructureNote,
    null_reason_of,
)
from nianbao.warehouse.store import as_printed
from nianbao.warehouse.tables import PROVENANCE_COLUMNS, table

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


# ------------------------------------------------------------------------------ stored rows as records

# The record each per-report table holds, field for column (tables.py); `provenance` is the
# provenance columns, `null_reason` its code, a note's `params` its JSON.
RECORD_OF: dict[str, type] = {
    "applications": ApplicationValue, "active_disclosure": ActiveValue, "appeals": AppealValue,
    "structure_notes": StructureNote, "narrative_blocks": NarrativeBlock,
}
_TEXT_FIELDS = frozenset({"section", "kind", "detail", "text"})  # NULL reads back as ""


def provenance_of(record: dict[str, Any], document: str | None) -> Provenance | None:
    """The provenance columns of a stored row (None when it has none); `document` is the source
    of the report's document."""
    values = [record[c] for c in PROVENANCE_COLUMNS]
    if all(v is None for v in values):
        return None
    locator, page, table_, row, col = values
    return Provenance(document=document or "", locator=locator or "", page=page, table=table_, row=row, col=col)


def _reader(name: str, fieldname: str) -> Callable[[dict[str, Any], str | None], Any]:
    """How a record field is read back from a stored row (`document`: the report's document source)."""
    if fieldname == "provenance":
        return provenance_of
    if fieldname == "null_reason":
        return lambda record, document: null_reason_of(record["null_reason"])
    if fieldname == "params":
        return lambda record, document: _note_params(record["params"])
    if fieldname == "value" and name == "active_disclosure":
        return lambda record, document: as_printed(record["value"])  # DECIMAL(38,10) reads back as 31.0000000000
    if fieldname in _TEXT_FIELDS:
        return lambda record, document: record[fieldname] or ""
    return lambda record, document: record[fieldname]


def stored_records(con: duckdb.DuckDBPyConnection, name: str, report_ids: Iterable[str],
                   documents: dict[str, str | None]) -> dict[str, list[Any]]:
    """{report_id: [record, …]} of table `name` (a key of RECORD_OF) for `report_ids`, in stored
    order; `documents` gives each report's document source (the records' provenance)."""
    ids = sorted(set(report_ids))
    if not ids:
        return {}
    t, record = table(name), RECORD_OF[name]
    fields = [f.name for f in dataclasses.fields(record)]
    columns = ["report_id", *(f for f in fields if f != "provenance"), *PROVENANCE_COLUMNS]
    # A warehouse opened read-only is not upgraded: a column added since reads as NULL.
    stored = {c for (c,) in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = current_database()", [name]).fetchall()}
    select = ", ".join(t.column(c).sql_name if c in stored else "NULL" for c in columns)
    order = " ORDER BY report_id, seq" if "seq" in t.names else ""
    rows = con.execute(f"SELECT {select} FROM {name} "
                       f"WHERE report_id IN (SELECT unnest(?::VARCHAR[])){order}", [ids]).fetchall()
    readers = [(f, _reader(name, f)) for f in fields]
    out: dict[str, list[Any]] = defaultdict(list)
    for r in t.records(rows, columns):
        document = documents.get(r["report_id"])
        out[r["report_id"]].append(record(**{f: read(r, document) for f, read in readers}))
    return out


def evidence_cells(text: str | None, own_document: str | None) -> list[dict[str, Any]]:
    """check_results.evidence as {document, locator, page, table, row, col} per cell: a cell
    stored without `document` is in the report's own document (store.evidence_json)."""
    if not text:
        return []
    return [{"document": d.get("document") or own_document or "", "locator": d.get("locator") or "",
             "page": d.get("page"), "table": d.get("table"), "row": d.get("row"), "col": d.get("col")}
            for d in json.loads(text)]


def evidence_of(text: str | None, own_document: str | None) -> tuple[Provenance, ...]:
    return tuple(Provenance(**cell) for cell in evidence_cells(text, own_document))


_HEADER_SQL = """
SELECT r.report_id, r.document_id, r.agency_id, coalesce(a.name, r.agency_name) AS agency, r.year, r.title,
       r.template_version, r.published_on, r.signed_on, r.agency_in_title, r.is_current, r.status,
       r.status_reason, d.status AS document_status, d.error AS document_error, d.source, d.format,
       d.fetched_at, r.issuer_kind, r.issuer_basis
FROM reports r JOIN documents d USING (document_id) LEFT JOIN agencies a USING (agency_id)
WHERE r.report_id = ?
"""


def report_view_by_id(con: duckdb.DuckDBPyConnection, report_id: str) -> ReportView:
    cursor = con.execute(_HEADER_SQL, [report_id])
    h = cursor.fetchone()
    if h is None:
        raise ReportNotFound(f"no report {report_id} in the warehouse", [])
    header = ReportHeader(**dict(zip((d[0] for d in cursor.description), h, strict=True)))
    source = header.source
    versions = tuple(ReportVersion(*r) for r in con.execute(
        """
        SELECT r.report_id, r.document_id, d.source, d.fetched_at, r.is_current
        FROM reports r JOIN documents d USING (document_id)
        WHERE r.agency_id = ? AND r.year = ? ORDER BY d.fetched_at, r.document_id
        """, [header.agency_id, header.year]).fetchall()) or (
        ReportVersion(header.report_id, header.document_id, source, header.fetched_at, header.is_current),)
    documents = {report_id: source}
    records = {name: tuple(stored_records(con, name, [report_id], documents).get(report_id, ()))
               for name in RECORD_OF}
    checks = table("check_results")
    columns = ("rule", "severity", "subject", "expected", "actual", "message", "evidence")
    flags = tuple(
        CheckResult(rule=r["rule"], severity=r["severity"], subject=r["subject"] or "",
                    expected=_decimal(r["expected"]), actual=_decimal(r["actual"]), message=r["message"] or "",
                    evidence=evidence_of(r["evidence"], source))
        for r in checks.records(con.execute(
            f"SELECT {checks.select_list(columns)} FROM check_results WHERE report_id = ? ORDER BY seq",
            [report_id]).fetchall(), columns))
    return ReportView(header, versions, records["applications"], records["active_disclosure"], records["appeals"],
                      flags, records["structure_notes"])


def _note_params(stored: str | None) -> dict[str, NoteParam]:
    """A note's params as stored (JSON; lists back to tuples), {} for a row stored before them."""
    params = json.loads(stored) if stored else {}
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else as_printed(Decimal(value))
