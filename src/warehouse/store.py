"""The DuckDB warehouse: open it safely (one writer, clear messages), load one `DocumentResult`
per transaction, idempotently, and keep `reports.is_current` right.

The tables are the contract of shared/spec/warehouse.md (schema.sql); readers use queries.py.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import duckdb

from nianbao.extract.model import Provenance
from nianbao.spec import SPEC

if TYPE_CHECKING:
    from nianbao.pipeline import DocumentResult

SCHEMA_VERSION = 1
SCHEMA_DESCRIPTION = "warehouse.md tables + provenance, check evidence, structure notes, runs"
STATUSES = ("ok", "partial", "failed", "unsupported", "not_a_report")
# Data tables: the ones re-ingesting a document must leave unchanged (runs/run_documents are a log).
DATA_TABLES = (
    "agencies", "documents", "reports", "applications", "active_disclosure", "appeals",
    "check_results", "structure_notes",
)
REPORT_CHILD_TABLES = ("applications", "active_disclosure", "appeals", "check_results", "structure_notes")
PROVENANCE_COLUMNS = ("source_locator", "source_page", "source_table", "source_row", "source_col")

# DECIMAL(18,4) holds 14 integer digits; BIGINT 63 bits. A misread cell must not fail the load.
_DECIMAL_LIMIT = Decimal(10) ** 14
_BIGINT_LIMIT = 2**63


class WarehouseError(Exception):
    """The warehouse file cannot be opened or written; the message says why and what to do."""


class WarehouseLocked(WarehouseError):
    """Another writer holds the warehouse."""


class LoadError(WarehouseError):
    """One document could not be stored; nothing of it was written (the transaction rolled back)."""


def report_id_for(document_id: str) -> str:
    """Deterministic: the same document always gets the same report id."""
    return "rp_" + document_id[:16]


def lock_path_for(db: str | Path) -> Path:
    db = Path(db)
    return db.with_name(db.name + ".lock")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ------------------------------------------------------------------------------ opening

def _schema_sql() -> str:
    return resources.files("nianbao.warehouse").joinpath("schema.sql").read_text(encoding="utf-8")


def _connect(db: Path, *, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(db), read_only=read_only)
    except duckdb.IOException as exc:
        text = str(exc)
        if "lock" in text.lower():
            what = "read" if read_only else "write"
            raise WarehouseLocked(
                f"cannot {what} {db}: the file is open in another program that is writing it "
                f"(a running `nianbao ingest`, a notebook or a duckdb shell). Close it, or wait for "
                f"the ingest to finish, and try again. DuckDB said: {text}") from exc
        raise WarehouseError(f"cannot open the warehouse {db}: {text}") from exc
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open the warehouse {db}: {exc}") from exc


@contextmanager
def _exclusive_lock(db: Path) -> Iterator[Path]:
    """flock on `<db>.lock`: one nianbao writer at a time, released when the process dies."""
    lock = lock_path_for(db)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise WarehouseError(f"cannot create the lock file {lock}: {exc.strerror or exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip()
            who = f" (process {holder})" if holder else ""
            raise WarehouseLocked(
                f"another nianbao ingest is writing {db}{who}; wait for it to finish, then try "
                f"again (lock file: {lock})") from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield lock
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _check_db_path(db: Path) -> None:
    if db.is_dir():
        raise WarehouseError(f"{db} is a folder; give the path of a .duckdb file (e.g. data/nianbao.duckdb)")


@contextmanager
def write_session(db: str | Path) -> Iterator[Warehouse]:
    """Open the warehouse for writing: exclusive lock, connection, schema. Raises WarehouseError
    (WarehouseLocked when another writer holds it) with a message for the user."""
    db = Path(db)
    _check_db_path(db)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the folder {db.parent} for the warehouse: "
                             f"{exc.strerror or exc}") from exc
    with _exclusive_lock(db):
        con = _connect(db, read_only=False)
        try:
            warehouse = Warehouse(con, db)
            warehouse.ensure_schema()
            yield warehouse
        finally:
            con.close()


@contextmanager
def read_session(db: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for queries (nianbao show, notebooks)."""
    db = Path(db)
    _check_db_path(db)
    if not db.exists():
        raise WarehouseError(f"there is no warehouse at {db}; run `nianbao ingest PATH --db {db}` first")
    con = _connect(db, read_only=True)
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if not {"schema_version", "reports", "documents"} <= tables:
            raise WarehouseError(f"{db} is a DuckDB file but not a nianbao warehouse (no reports table)")
        yield con
    finally:
        con.close()


# ------------------------------------------------------------------------------ rows

def _provenance_values(p: Provenance | None) -> tuple[Any, ...]:
    if p is None:
        return (None,) * len(PROVENANCE_COLUMNS)
    return (p.locator, p.page, p.table, p.row, p.col)


def provenance_dict(p: Provenance) -> dict[str, Any]:
    return {"document": p.document, "locator": p.locator, "page": p.page, "table": p.table,
            "row": p.row, "col": p.col}


def _fit_bigint(value: int | None, note: str | None) -> tuple[int | None, str | None]:
    if value is not None and abs(value) >= _BIGINT_LIMIT:
        return None, _join_notes(note, f"value {value} is too large to store; kept as NULL")
    return value, note


def _fit_decimal(value: Decimal | None, note: str | None) -> tuple[Decimal | None, str | None]:
    if value is not None and (not value.is_finite() or abs(value) >= _DECIMAL_LIMIT):
        return None, _join_notes(note, f"value {value} does not fit DECIMAL(18,4); kept as NULL")
    return value, note


def _join_notes(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b


def _fit_number(value: Decimal | None) -> Decimal | None:
    """expected/actual of a check: NULL rather than a failed load when out of range."""
    if value is None:
        return None
    value = Decimal(value)
    return value if value.is_finite() and abs(value) < _DECIMAL_LIMIT else None


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class LoadOutcome:
    document_id: str
    report_id: str | None
    n_flags: int


# ------------------------------------------------------------------------------ writer

class Warehouse:
    """A write session on one warehouse file. Create with `write_session(db)`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path
        self._run_seq: dict[str, int] = {}

    # -- schema ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        try:
            self.con.execute(_schema_sql())
            row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        except duckdb.Error as exc:
            raise WarehouseError(f"{self.path} cannot be used as a nianbao warehouse: {exc}") from exc
        found = row[0] if row else None
        if found is None:
            self.con.execute("INSERT INTO schema_version VALUES (?, ?, ?)",
                             [SCHEMA_VERSION, utc_now(), SCHEMA_DESCRIPTION])
        elif found > SCHEMA_VERSION:
            raise WarehouseError(
                f"{self.path} was written by a newer nianbao (schema version {found}; this one "
                f"knows {SCHEMA_VERSION}); upgrade nianbao or use another --db")

    # -- runs -----------------------------------------------------------------------------
    def start_run(self, *, orchestrator: str, paths: Sequence[str], workers: int | None,
                  flow_run_id: str | None = None) -> str:
        run_id = "run_" + utc_now().strftime("%Y%m%dT%H%M%S") + "_" + uuid4().hex[:8]
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, orchestrator, flow_run_id, workers, paths) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, utc_now(), orchestrator, flow_run_id, workers, _json(list(paths))])
        self._run_seq[run_id] = 0
        return run_id

    def finish_run(self, run_id: str) -> None:
        by_status = dict(self.con.execute(
            "SELECT status, count(*) FROM run_documents WHERE run_id = ? GROUP BY status",
            [run_id]).fetchall())
        n_reports, n_flags = self.con.execute(
            """
            SELECT count(DISTINCT r.report_id), count(c.seq)
            FROM reports r LEFT JOIN check_results c USING (report_id)
            WHERE r.document_id IN (SELECT document_id FROM run_documents WHERE run_id = ?)
            """, [run_id]).fetchone()
        self.con.execute(
            """
            UPDATE runs SET finished_at = ?, n_documents = ?, n_ok = ?, n_partial = ?, n_failed = ?,
                   n_unsupported = ?, n_not_a_report = ?, n_reports = ?, n_flags = ?
            WHERE run_id = ?
            """,
            [utc_now(), sum(by_status.values()), *(by_status.get(s, 0) for s in STATUSES),
             n_reports, n_flags, run_id])

    # -- loading --------------------------------------------------------------------------
    def load(self, result: DocumentResult, run_id: str | None = None) -> LoadOutcome:
        """Store one document and everything read from it, in one transaction.

        Re-loading the same document replaces its rows with identical ones (same ids, the
        first-seen fetched_at and source kept). Raises LoadError, with nothing written, when
        any statement fails."""
        try:
            self.con.begin()
        except duckdb.Error as exc:
            raise LoadError(f"{result.source}: cannot start a transaction on {self.path}: {exc}") from exc
        try:
            outcome = self._load(result)
            if run_id is not None:
                self._record_run_document(run_id, result.source, result.document_id,
                                          result.status, result.error)
            self.con.commit()
            return outcome
        except Exception as exc:
            self.con.rollback()
            raise LoadError(
                f"{result.source}: could not be stored in {self.path} and was left out "
                f"({type(exc).__name__}: {exc})") from exc
        except BaseException:
            self.con.rollback()
            raise

    def record_failure(self, result: DocumentResult, error: str, run_id: str | None = None) -> None:
        """Store only a `failed` documents row (e.g. when loading the full result failed)."""
        self.con.begin()
        try:
            seen = self._first_seen(result.document_id)
            old_groups = self._delete_document(result.document_id) if seen else set()
            self._insert_document(result, seen, status="failed", error=error)
            for agency_id, year in old_groups:
                self._recompute_current(agency_id, year)
            if run_id is not None:
                self._record_run_document(run_id, result.source, result.document_id, "failed", error)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def _record_run_document(self, run_id: str, source: str, document_id: str, status: str,
                             error: str | None) -> None:
        seq = self._run_seq.get(run_id, 0) + 1
        self.con.execute("INSERT INTO run_documents VALUES (?, ?, ?, ?, ?, ?)",
                         [run_id, seq, source, document_id, status, error])
        self._run_seq[run_id] = seq

    def _load(self, result: DocumentResult) -> LoadOutcome:
        seen = self._first_seen(result.document_id)
        # A new document has nothing to delete: skip the deletes, which scan the cell tables.
        old_groups = self._delete_document(result.document_id) if seen else set()
        self._insert_document(result, seen, status=result.status, error=result.error)
        report = result.report
        if report is None:
            for agency_id, year in old_groups:
                self._recompute_current(agency_id, year)
            return LoadOutcome(result.document_id, None, 0)

        report_id = report_id_for(result.document_id)
        agency_id = result.agency.agency_id if result.agency else None
        if result.agency is not None:
            self._upsert_agency(result.agency)
        self.con.execute(
            """
            INSERT INTO reports (report_id, document_id, agency_id, year, title, template_version,
                                 published_on, is_current, agency_name, agency_in_title, signed_on,
                                 status, status_reason, version_evidence, sections_found)
            VALUES (?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?, ?, ?, ?)
            """,
            [report_id, result.document_id, agency_id, report.year, report.title,
             report.template_version, report.published_on, report.agency, report.agency_in_title,
             report.signed_on, report.status, report.status_reason,
             _json(dict(report.version_evidence)), _json(list(report.sections_found))])
        self._append_cells(report_id, report)
        self._append_checks(report_id, result.checks)
        self._append("structure_notes",
                     ("report_id", "seq", "section", "kind", "detail", *PROVENANCE_COLUMNS),
                     [(report_id, i, n.section, n.kind, n.detail, *_provenance_values(n.provenance))
                      for i, n in enumerate(report.structure, start=1)])
        for group in {(agency_id, report.year), *old_groups}:
            self._recompute_current(*group)
        return LoadOutcome(result.document_id, report_id, len(result.checks))

    def _first_seen(self, document_id: str) -> tuple[str, datetime] | None:
        """(source, fetched_at) of a document already stored, kept when it is loaded again."""
        return self.con.execute(
            "SELECT source, fetched_at FROM documents WHERE document_id = ?", [document_id]).fetchone()

    def _insert_document(self, result: DocumentResult, seen: tuple[str, datetime] | None, *,
                         status: str, error: str | None) -> None:
        source, fetched_at = seen if seen else (result.source, result.fetched_at)
        self.con.execute(
            "INSERT INTO documents (document_id, source, format, fetched_at, size_bytes, status, error) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [result.document_id, source, result.format, fetched_at, result.size_bytes, status, error])

    def _delete_document(self, document_id: str) -> set[tuple[str | None, int | None]]:
        """Remove a document's rows; returns the (agency_id, year) groups its report was in."""
        report_id = report_id_for(document_id)
        groups = {tuple(r) for r in self.con.execute(
            "SELECT agency_id, year FROM reports WHERE document_id = ?", [document_id]).fetchall()}
        if groups:
            for table in REPORT_CHILD_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE report_id = ?", [report_id])
            self.con.execute("DELETE FROM reports WHERE document_id = ?", [document_id])
        self.con.execute("DELETE FROM documents WHERE document_id = ?", [document_id])
        return groups  # type: ignore[return-value]

    def _upsert_agency(self, agency: Any) -> None:
        fields = [agency.name, agency.province, agency.city, agency.county, agency.region_code,
                  agency.level, agency.category]
        stored = self.con.execute(
            "SELECT name, province, city, county, region_code, level, category FROM agencies "
            "WHERE agency_id = ?", [agency.agency_id]).fetchone()
        if stored is None:
            self.con.execute("INSERT INTO agencies VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [agency.agency_id, *fields])
            return
        # A field another document filled in is kept when this one does not know it.
        merged = [new if new is not None else old for new, old in zip(fields, stored, strict=True)]
        if merged != list(stored):
            self.con.execute(
                "UPDATE agencies SET name = ?, province = ?, city = ?, county = ?, region_code = ?, "
                "level = ?, category = ? WHERE agency_id = ?", [*merged, agency.agency_id])

    def _append(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        with self.con.appender(table, columns=list(columns)) as appender:
            appender.append_rows(rows)

    def _append_cells(self, report_id: str, report: Any) -> None:
        tail = ("raw", "note", *PROVENANCE_COLUMNS)
        apps = []
        for v in report.applications:
            value, note = _fit_bigint(v.value, v.note)
            apps.append((report_id, v.row, v.applicant, value, v.raw, note, *_provenance_values(v.provenance)))
        self._append("applications", ("report_id", "row", "applicant", "value", *tail), apps)
        active = []
        for v in report.active:
            value, note = _fit_decimal(v.value, v.note)
            active.append((report_id, v.item, v.row, v.metric, value, v.unit, v.raw, note,
                           *_provenance_values(v.provenance)))
        self._append("active_disclosure",
                     ("report_id", "item", "row", "metric", "value", "unit", *tail), active)
        appeals = []
        for v in report.appeals:
            value, note = _fit_bigint(v.value, v.note)
            appeals.append((report_id, v.proceeding, v.outcome, value, v.raw, note,
                            *_provenance_values(v.provenance)))
        self._append("appeals", ("report_id", "proceeding", "outcome", "value", *tail), appeals)

    def _append_checks(self, report_id: str, checks: Sequence[Any]) -> None:
        rows = []
        for seq, c in enumerate(checks, start=1):
            rule = SPEC.rules.get(c.rule)
            rows.append((
                report_id, c.rule, c.severity, c.subject, _fit_number(c.expected), _fit_number(c.actual),
                c.message, seq, rule.check if rule else None,
                _json([provenance_dict(p) for p in c.evidence]),
            ))
        self._append("check_results",
                     ("report_id", "rule", "severity", "subject", "expected", "actual", "message",
                      "seq", "rule_description", "evidence"), rows)

    def _recompute_current(self, agency_id: str | None, year: int | None) -> None:
        """Exactly one current report per (agency_id, year): the latest first seen (ties: the
        larger document_id). A report whose agency or year is unknown is its own group."""
        if agency_id is None or year is None:
            self.con.execute(
                "UPDATE reports SET is_current = TRUE "
                "WHERE (agency_id IS NULL OR year IS NULL) AND NOT is_current")
            return
        members = self.con.execute(
            """
            SELECT r.report_id, r.document_id, d.fetched_at, r.is_current
            FROM reports r JOIN documents d USING (document_id)
            WHERE r.agency_id = ? AND r.year = ?
            """, [agency_id, year]).fetchall()
        if not members:
            return
        # Same order as ORDER BY fetched_at DESC NULLS LAST, document_id DESC.
        winner = max(members, key=lambda m: (m[2] is not None, m[2] or datetime.min, m[1]))[0]
        for report_id, _, _, is_current in members:
            if is_current != (report_id == winner):
                self.con.execute("UPDATE reports SET is_current = ? WHERE report_id = ?",
                                 [report_id == winner, report_id])
