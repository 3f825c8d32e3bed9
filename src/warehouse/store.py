"""The DuckDB warehouse: open it safely (one writer, clear messages), load `DocumentResult`s
idempotently (one document, or a batch with one statement per table, per transaction), and keep
`reports.is_current` right.

The tables are the contract of shared/spec/warehouse.md, described in tables.py (the DDL and the
column lists below come from it); readers use queries.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, localcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import uuid4

import duckdb

from nianbao.common.dbfile import (
    WarehouseError,
    WarehouseLocked,
    check_db_path,
    check_writable,
    connect_file,
    exclusive_lock,
    lock_path_for,
    utc_now,
)
from nianbao.common.names import name_bytes, storable
from nianbao.extract.model import Provenance
from nianbao.normalize.model import NullReason
from nianbao.normalize.notes import structure_note_text
from nianbao.spec import SPEC
from nianbao.warehouse.snapshot import snapshot_note, snapshot_path
from nianbao.warehouse.tables import (
    DATA_TABLES,
    DECIMAL,
    PROVENANCE_COLUMNS,
    REPORT_CHILD_TABLES,
    TABLES,
    VIEWS,
    ddl,
    table,
)

if TYPE_CHECKING:
    from nianbao.normalize.agency import AgencyRecord
    from nianbao.normalize.model import DocumentResult

# Re-exported: callers open, lock and time the warehouse through this module.
__all__ = ["DATA_TABLES", "REPORT_CHILD_TABLES", "LoadError", "LoadOutcome", "Warehouse", "WarehouseError",
           "WarehouseLocked", "lock_path_for", "read_session", "report_id_for", "utc_now", "write_session"]

log = logging.getLogger("nianbao.warehouse")

SCHEMA_VERSION = 5
SCHEMA_DESCRIPTION = ("warehouse.md tables + provenance, check evidence, structure notes, runs; "
                      "2: narrative, flag fingerprints, review decisions, open_flags; "
                      "3: reviewer and review_log, expected_publishers; "
                      "4: DECIMAL(38,10) numbers, null_reason codes, reports.issuer_kind, pipeline versions, "
                      "skipped documents, run plans, non-UTF-8 names (source_bytes), structure_notes.params; "
                      "5: tables.py, no index on the per-cell tables, evidence without the report's own path")
STATUSES = ("ok", "partial", "failed", "unsupported", "not_a_report")
AGENCY_FIELDS = table("agencies").names[1:]

# Numbers are stored exactly as printed: DECIMAL(38,10) holds 28 integer digits and 10 decimals
# (fees are printed with up to six: 5949.088667 万元); BIGINT 63 bits. A number that does not fit
# is NULL with the reason out_of_range: a misread cell must not fail the load, nor be rounded.
DECIMAL_TYPE = DECIMAL
DECIMAL_SCALE = 10
_DECIMAL_LIMIT = Decimal(10) ** (38 - DECIMAL_SCALE)
_BIGINT_LIMIT = 2**63
# Columns that older warehouses created as DECIMAL(18,4), widened when the warehouse is opened.
_DECIMAL_COLUMNS = tuple((t.name, c.name) for t in TABLES for c in t.columns if c.type == DECIMAL)


class LoadError(WarehouseError):
    """One document could not be stored; nothing of it was written (the transaction rolled back)."""


def report_id_for(document_id: str) -> str:
    """Deterministic: the same document always gets the same report id."""
    return "rp_" + document_id[:16]


# ------------------------------------------------------------------------------ opening

def _schema_sql() -> str:
    return ddl()


@contextmanager
def write_session(db: str | Path) -> Iterator[Warehouse]:
    """Open the warehouse for writing: exclusive lock, connection, schema. Raises WarehouseError
    (WarehouseLocked when another writer holds it) with a message for the user."""
    db = Path(db)
    check_db_path(db)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot create the folder {db.parent} for the warehouse: "
                             f"{exc.strerror or exc}") from exc
    check_writable(db)
    with exclusive_lock(db):
        con = connect_file(db, read_only=False)
        compacted = None
        try:
            warehouse = Warehouse(con, db)
            warehouse.ensure_schema()
            yield warehouse
            compacted = warehouse.compact_copy()  # only after a session that ended well
        finally:
            con.close()
        if compacted is not None:  # still under the lock, right after DuckDB let the file go
            before = db.stat().st_size
            try:
                os.replace(compacted, db)
            except OSError as exc:
                log.warning("%s: could not put the compacted copy in its place (%s)", db, exc)
                compacted.unlink(missing_ok=True)
            else:
                log.info("%s: compacted from %d to %d bytes", db, before, db.stat().st_size)


# A file is copied into a fresh one when this share of its blocks (256 KiB each), and at least
# this many, are free: the checkpoints an ingest makes for its readers (snapshot.py) and the
# documents read again rewrite row groups, and DuckDB never gives the space back to the file system.
COMPACT_FREE_SHARE = 0.15
COMPACT_MIN_FREE_BLOCKS = 4


@contextmanager
def read_session(db: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for queries (nianbao show, notebooks)."""
    db = Path(db)
    check_db_path(db)
    if not db.exists():
        raise WarehouseError(f"there is no warehouse at {db}; run `nianbao ingest PATH --db {db}` first")
    try:
        con = connect_file(db, read_only=True)
    except WarehouseLocked:
        # An ingest is writing: read the copy it publishes after its batches, if there is one.
        if not snapshot_path(db).exists():
            raise
        log.warning("%s", snapshot_note(db))
        con = connect_file(snapshot_path(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if not {"schema_version", "reports", "documents"} <= tables:
            raise WarehouseError(f"{db} is a DuckDB file but not a nianbao warehouse (no reports table)")
        yield con
    finally:
        con.close()


# ------------------------------------------------------------------------------ rows

def _provenance_values(p: Provenance | None) -> dict[str, Any]:
    """The provenance columns of a row (tables.PROVENANCE_COLUMNS)."""
    values = (None,) * 5 if p is None else (p.locator, p.page, p.table, p.row, p.col)
    return dict(zip(PROVENANCE_COLUMNS, values, strict=True))


def provenance_dict(p: Provenance) -> dict[str, Any]:
    return {"document": p.document, "locator": p.locator, "page": p.page, "table": p.table,
            "row": p.row, "col": p.col}


def evidence_json(evidence: Sequence[Provenance], own_document: str) -> str:
    """check_results.evidence: the cited cells, each {locator, page, table, row, col} without its
    NULLs, and `document` only when the cell is not in the report's own document (a cross-year
    flag cites last year's): the path of the report's document is in documents.source once, not
    in every cell of every flag. Read back with queries.evidence_of."""
    cells = []
    for p in evidence:
        cell = {k: v for k, v in provenance_dict(p).items() if v is not None and k != "document"}
        if p.document and p.document != own_document:
            cell["document"] = p.document
        cells.append(cell)
    return json.dumps(cells, ensure_ascii=False)


_Fitted = tuple[Any, str | None, str | None]


def _fit_bigint(value: int | None, note: str | None, null_reason: str | None) -> _Fitted:
    if value is not None and abs(value) >= _BIGINT_LIMIT:
        return None, _join_notes(note, f"value {value} is too large to store; kept as NULL"), NullReason.OUT_OF_RANGE
    return value, note, null_reason


def fits_decimal(value: Decimal) -> bool:
    """Whether DECIMAL(38,10) holds `value` exactly (no rounding of its printed decimals)."""
    if not value.is_finite() or abs(value) >= _DECIMAL_LIMIT:
        return False
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))  # 1.2300 is exact at scale 2
    return exponent + zeros >= -DECIMAL_SCALE


def _fit_decimal(value: Decimal | None, note: str | None, null_reason: str | None) -> _Fitted:
    if value is not None and not fits_decimal(value):
        return (None, _join_notes(note, f"value {value} does not fit {DECIMAL_TYPE} exactly; kept as NULL"),
                NullReason.OUT_OF_RANGE)
    return value, note, null_reason


def _join_notes(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b


def fit_number(value: Decimal | int | None) -> Decimal | None:
    """expected/actual of a check: NULL rather than a failed load (or a rounded number) when it
    does not fit."""
    if value is None:
        return None
    value = Decimal(value)
    return value if fits_decimal(value) else None


def as_printed(value: Decimal | None) -> Decimal | None:
    """A DECIMAL(38,10) read back (31.0000000000, 5949.0886670000) as the report printed it
    (31, 5949.088667): trailing zeros of the scale dropped, never an exponent (100, not 1E+2)."""
    if value is None:
        return None
    with localcontext(prec=60):  # 38 digits: the default 28-digit context would round them
        value = value.normalize()
        exponent = value.as_tuple().exponent
        return value.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else value


def _code(value: str | None) -> str | None:
    """An enum code as the plain string the warehouse stores."""
    return None if value is None else str(value)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class LoadOutcome:
    document_id: str
    report_id: str | None
    n_flags: int
    error: str | None = None  # load_many: why the document could not be stored (recorded as failed)


# ------------------------------------------------------------------------------ writer

class Warehouse:
    """A write session on one warehouse file. Create with `write_session(db)`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path
        self._run_seq: dict[str, int] = {}
        self._pending: dict[str, list[tuple[Any, ...]]] = {}  # rows of the load being written
        # (agency, year) groups loaded since the cross-year checks last ran; those of the open transaction
        self._touched: set[tuple[str | None, int | None]] = set()
        self._txn_touched: set[tuple[str | None, int | None]] = set()

    # -- schema ---------------------------------------------------------------------------
    def ensure_schema(self) -> None:
        try:
            self.con.execute(_schema_sql())
            row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        except duckdb.Error as exc:
            raise WarehouseError(f"{self.path} cannot be used as a nianbao warehouse: {exc}") from exc
        found = row[0] if row else None
        if found is not None and found > SCHEMA_VERSION:
            raise WarehouseError(
                f"{self.path} was written by a newer nianbao (schema version {found}; this one "
                f"knows {SCHEMA_VERSION}); upgrade nianbao or use another --db")
        self._widen_decimals()
        if found is not None and found < 5:
            self._drop_key_indexes()
        if found is None or found < SCHEMA_VERSION:  # new, or upgraded by the idempotent DDL above
            self.con.execute(table("schema_version").insert_sql(), [SCHEMA_VERSION, utc_now(), SCHEMA_DESCRIPTION])

    def _drop_key_indexes(self) -> None:
        """Schema 5: the per-cell tables keep no PRIMARY KEY index (the ART index of a key is a second
        copy of its columns: two thirds of a schema 4 file). DuckDB cannot drop a constraint, so
        each such table is copied into one created from tables.py, in one transaction."""
        enforced = {t.name for t in TABLES if t.enforced}
        keyed = [name for (name,) in self.con.execute(
            "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
            "AND schema_name = 'main' AND database_name = current_database()").fetchall() if name not in enforced]
        keyed = [name for name in (t.name for t in TABLES) if name in keyed]
        if not keyed:
            return
        log.warning("%s: upgrading to schema %d (%s): rewriting them without their key index",
                    self.path, SCHEMA_VERSION, ", ".join(keyed))
        self.con.begin()
        try:
            for name in keyed:
                t = table(name)
                old = {c for (c,) in self.con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
                    "AND database_name = current_database()", [name]).fetchall()}
                columns = [c for c in t.names if c in old]
                self.con.execute(f"ALTER TABLE {name} RENAME TO {name}__v4")
                self.con.execute(t.create_sql())
                self.con.execute(f"INSERT INTO {name} ({t.select_list(columns)}) "
                                 f"SELECT {t.select_list(columns)} FROM {name}__v4")
                self.con.execute(f"DROP TABLE {name}__v4")
            self.con.execute("\n".join(v.create_sql() for v in VIEWS))
            self.con.commit()
        except duckdb.Error as exc:
            self._rollback()
            raise WarehouseError(
                f"{self.path} (schema version 4) could not be upgraded to version {SCHEMA_VERSION} ({exc}); "
                f"rebuild it with `nianbao ingest PATH... --db NEW.duckdb --force` from the same files") from exc
        self.con.execute("CHECKPOINT")

    def compact_copy(self) -> Path | None:
        """When enough of the file is free blocks (COMPACT_FREE_SHARE), copy the warehouse into a
        new file next to it (COPY FROM DATABASE: every table, key and view), from this connection,
        so the file stays locked meanwhile; write_session puts the copy in its place. None when
        the file is compact enough, or the copy failed (logged: the warehouse stays as it is)."""
        try:
            self.con.execute("CHECKPOINT")
            name, total, free = self.con.execute(
                "SELECT database_name, total_blocks, free_blocks FROM pragma_database_size() "
                "WHERE database_name = current_database()").fetchone()
        except duckdb.Error:
            return None
        if free < COMPACT_MIN_FREE_BLOCKS or free < COMPACT_FREE_SHARE * total:
            return None
        tmp = self.path.with_name(f"{self.path.name}.compact.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        quoted = str(tmp).replace("'", "''")
        source = '"' + name.replace('"', '""') + '"'
        try:
            self.con.execute(f"ATTACH '{quoted}' AS nianbao_compact")
            try:
                self.con.execute(f"COPY FROM DATABASE {source} TO nianbao_compact")
                self.con.execute("CHECKPOINT nianbao_compact")
            finally:
                self.con.execute("DETACH nianbao_compact")
        except duckdb.Error as exc:
            log.warning("%s: could not compact the warehouse (%s); it stays as it is", self.path, exc)
            tmp.unlink(missing_ok=True)
            Path(str(tmp) + ".wal").unlink(missing_ok=True)
            return None
        return tmp

    def _widen_decimals(self) -> None:
        """ALTER the numeric columns of a warehouse written before schema 4 to DECIMAL(38,10)
        (only those still narrower: the ALTER rewrites the column)."""
        types = {(t, c): d for t, c, d in self.con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'main'").fetchall()}
        for name, column in _DECIMAL_COLUMNS:
            if types.get((name, column), DECIMAL_TYPE).replace(" ", "") != DECIMAL_TYPE:
                self.con.execute(f"ALTER TABLE {name} ALTER COLUMN {column} TYPE {DECIMAL_TYPE}")

    # -- runs -----------------------------------------------------------------------------
    def start_run(self, *, orchestrator: str, paths: Sequence[str], workers: int | None,
                  flow_run_id: str | None = None) -> str:
        run_id = "run_" + utc_now().strftime("%Y%m%dT%H%M%S") + "_" + uuid4().hex[:8]
        self.con.execute(
            "INSERT INTO runs (run_id, started_at, orchestrator, flow_run_id, workers, paths) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, utc_now(), orchestrator, flow_run_id, workers, _json([storable(p) for p in paths])])
        self._run_seq[run_id] = 0
        return run_id

    def stored_versions(self, document_ids: Sequence[str]) -> dict[str, tuple[str | None, str, str | None]]:
        """{document_id: (pipeline_version, status, error)} for the documents of `document_ids`
        the warehouse holds (what an incremental run decides on)."""
        if not document_ids:
            return {}
        rows = self.con.execute(
            "SELECT document_id, pipeline_version, status, error FROM documents "
            "WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [list(document_ids)]).fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def record_skipped(self, run_id: str, skipped: Sequence[Any], reason: str) -> None:
        """Note in run_documents the files this run saw but did not read (each with .source,
        .document_id, .status, .error: the stored record stands), in one transaction."""
        if not skipped:
            return
        seq = self._run_seq.get(run_id, 0)
        self.con.begin()
        try:
            self._append("run_documents", [_run_document(run_id, seq + i, s.source, s.document_id, s.status, s.error,
                                                         reason) for i, s in enumerate(skipped, start=1)])
            self._flush_pending()
            self.con.commit()
        except BaseException:
            self._rollback()
            raise
        self._run_seq[run_id] = seq + len(skipped)

    def finish_run(self, run_id: str, plan: dict[str, int] | None = None) -> None:
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
                   n_unsupported = ?, n_not_a_report = ?, n_reports = ?, n_flags = ?, plan = ?
            WHERE run_id = ?
            """,
            [utc_now(), sum(by_status.values()), *(by_status.get(s, 0) for s in STATUSES),
             n_reports, n_flags, _json(plan), run_id])

    # -- loading: one document per transaction ---------------------------------------------
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
            self._touched |= self._txn_touched
            self._txn_touched = set()
        except Exception as exc:
            self._rollback()
            raise LoadError(
                f"{result.source}: could not be stored in {self.path} and was left out "
                f"({type(exc).__name__}: {exc})") from exc
        except BaseException:
            self._rollback()
            raise
        return outcome

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
            self._rollback()
            raise
        self._touched |= old_groups

    def record_discovery_skip(self, run_id: str, source: str, reason: str) -> None:
        """Note in the run something discovery left out (a FIFO, a link loop...): status `skipped`,
        no documents row (nothing was read)."""
        document_id = "skipped:" + hashlib.sha256((storable(source) or "").encode()).hexdigest()
        self._record_run_document(run_id, source, document_id, "skipped", reason)

    def take_touched(self) -> set[tuple[str | None, int | None]]:
        """The (agency_id, year) groups committed since the last call: what the warehouse-scope
        rules (cross-year, duplication) must look at again. The ingest job runs them
        (nianbao.jobs.recheck); storage only records what changed."""
        touched, self._touched = self._touched, set()
        return touched

    def _rollback(self) -> None:
        self._pending = {}
        self._txn_touched = set()
        with suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
            self.con.rollback()

    def _record_run_document(self, run_id: str, source: str, document_id: str, status: str,
                             error: str | None) -> None:
        seq = self._run_seq.get(run_id, 0) + 1
        self.con.execute(table("run_documents").insert_sql(),
                         list(_run_document(run_id, seq, source, document_id, status, error)))
        self._run_seq[run_id] = seq

    def _load(self, result: DocumentResult) -> LoadOutcome:
        seen = self._first_seen(result.document_id)
        # A new document has nothing to delete: skip the deletes, which scan the cell tables.
        old_groups = self._delete_document(result.document_id) if seen else set()
        self._insert_document(result, seen, status=result.status, error=result.error)
        if result.report is None:
            for agency_id, year in old_groups:
                self._recompute_current(agency_id, year)
            self._txn_touched |= old_groups
            return LoadOutcome(result.document_id, None, 0)
        if result.agency is not None:
            self._upsert_agency(result.agency)
        group = self._queue_report(result)
        self._flush_pending()
        for agency_id, year in {group, *old_groups}:
            self._recompute_current(agency_id, year)
        self._txn_touched |= {group, *old_groups}
        return LoadOutcome(result.document_id, report_id_for(result.document_id), len(result.checks))

    def _first_seen(self, document_id: str) -> tuple[str, datetime] | None:
        """(source, fetched_at) of a document already stored, kept when it is loaded again."""
        return self.con.execute(
            "SELECT source, fetched_at FROM documents WHERE document_id = ?", [document_id]).fetchone()

    def _insert_document(self, result: DocumentResult, seen: tuple[str, datetime] | None, *,
                         status: str, error: str | None) -> None:
        self.con.execute(table("documents").insert_sql(), list(_document_row(result, seen, status=status, error=error)))

    def _delete_document(self, document_id: str) -> set[tuple[str | None, int | None]]:
        """Remove a document's rows; returns the (agency_id, year) groups its report was in."""
        report_id = report_id_for(document_id)
        groups = {tuple(r) for r in self.con.execute(
            "SELECT agency_id, year FROM reports WHERE document_id = ?", [document_id]).fetchall()}
        if groups:
            for name in REPORT_CHILD_TABLES:
                self.con.execute(f"DELETE FROM {name} WHERE report_id = ?", [report_id])
            self.con.execute("DELETE FROM reports WHERE document_id = ?", [document_id])
        self.con.execute("DELETE FROM documents WHERE document_id = ?", [document_id])
        return groups  # type: ignore[return-value]

    def _upsert_agency(self, agency: AgencyRecord) -> None:
        fields = [getattr(agency, f) for f in AGENCY_FIELDS]
        # fetchall, not fetchone: an appender cannot start while a result is left unfinished.
        rows = self.con.execute(f"SELECT {', '.join(AGENCY_FIELDS)} FROM agencies WHERE agency_id = ?",
                                [agency.agency_id]).fetchall()
        stored = rows[0] if rows else None
        if stored is None:
            self.con.execute(table("agencies").insert_sql(), [agency.agency_id, *fields])
            return
        merged = _merge_agency_fields(list(stored), fields)
        if merged != list(stored):
            self.con.execute(
                "UPDATE agencies SET name = ?, province = ?, city = ?, county = ?, region_code = ?, "
                "level = ?, category = ? WHERE agency_id = ?", [*merged, agency.agency_id])

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

    # -- loading: a batch per transaction --------------------------------------------------
    def load_many(self, results: Sequence[DocumentResult], run_id: str | None = None) -> list[LoadOutcome]:
        """Store a batch of documents in one transaction, with one statement per table; returns
        their outcomes in order. The tables end up exactly as after `load`ing them one by one.

        Nothing is ever half-written: if the batch cannot be stored, its transaction is rolled
        back and each document is stored alone with `load` (one transaction each). One that
        fails again is recorded as `failed` (`record_failure`), and its outcome says why in
        `error`, instead of raising LoadError."""
        if len(results) > 1:
            try:
                return self._load_batch(results, run_id)
            except Exception as exc:  # noqa: BLE001 -- each document is retried alone below
                log.warning("%s: a batch of %d documents could not be stored together (%s: %s); "
                            "storing them one at a time", self.path, len(results), type(exc).__name__, exc)
        outcomes = []
        for result in results:
            try:
                outcomes.append(self.load(result, run_id))
            except LoadError as exc:
                self.record_failure(result, str(exc), run_id)
                outcomes.append(LoadOutcome(result.document_id, None, 0, error=str(exc)))
        return outcomes

    def _load_batch(self, results: Sequence[DocumentResult], run_id: str | None) -> list[LoadOutcome]:
        """One transaction whose statements each cover the whole batch: delete what its
        documents had stored, insert their rows (one appender per table), upsert their agencies,
        recompute is_current for every (agency_id, year) they touched. Rolled back and re-raised
        on any error."""
        self.con.begin()
        try:
            # As if loaded one by one: a document's last result wins and its first sighting is kept.
            latest = {r.document_id: r for r in results}
            first_seen = self._first_seen_many(list(latest))
            stored = set(first_seen)
            for r in results:
                first_seen.setdefault(r.document_id, (r.source, r.fetched_at))
            groups = self._delete_documents([d for d in latest if d in stored])
            for document_id, result in latest.items():
                self._append("documents", [_document_row(result, first_seen[document_id],
                                                         status=result.status, error=result.error)])
                if result.report is not None:
                    groups.add(self._queue_report(result))
            if run_id is not None:
                seq = self._run_seq.get(run_id, 0)
                self._append("run_documents", [_run_document(run_id, seq + i, r.source, r.document_id, r.status,
                                                             r.error) for i, r in enumerate(results, start=1)])
            self._flush_pending()
            self._upsert_agencies([r.agency for r in results if r.report is not None and r.agency is not None])
            self._recompute_current_many(groups)
            self.con.commit()
        except BaseException:
            self._rollback()
            raise
        self._touched |= groups
        if run_id is not None:
            self._run_seq[run_id] = self._run_seq.get(run_id, 0) + len(results)
        return [LoadOutcome(r.document_id, report_id_for(r.document_id), len(r.checks)) if r.report is not None
                else LoadOutcome(r.document_id, None, 0) for r in results]

    def _first_seen_many(self, document_ids: list[str]) -> dict[str, tuple[str, datetime]]:
        """_first_seen for the documents of a batch that are already stored."""
        rows = self.con.execute(
            "SELECT document_id, source, fetched_at FROM documents "
            "WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [document_ids]).fetchall()
        return {document_id: (source, fetched_at) for document_id, source, fetched_at in rows}

    def _delete_documents(self, document_ids: list[str]) -> set[tuple[str | None, int | None]]:
        """_delete_document for several stored documents, one DELETE per table."""
        if not document_ids:
            return set()
        reports = self.con.execute(
            "SELECT report_id, agency_id, year FROM reports WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
            [document_ids]).fetchall()
        if reports:
            report_ids = [r[0] for r in reports]
            for name in (*REPORT_CHILD_TABLES, "reports"):
                self.con.execute(f"DELETE FROM {name} WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
                                 [report_ids])
        self.con.execute("DELETE FROM documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                         [document_ids])
        return {(agency_id, year) for _, agency_id, year in reports}

    def _upsert_agencies(self, agencies: Sequence[AgencyRecord]) -> None:
        """_upsert_agency for a batch, in one INSERT … ON CONFLICT: a field known before (from
        the stored row or an earlier document of the batch) is kept when a later one does not know it."""
        merged: dict[str, list[Any]] = {}
        for agency in agencies:
            fields = [getattr(agency, f) for f in AGENCY_FIELDS]
            known = merged.get(agency.agency_id)
            merged[agency.agency_id] = fields if known is None else _merge_agency_fields(known, fields)
        if not merged:
            return
        row = "(" + ", ".join(["?"] * (1 + len(AGENCY_FIELDS))) + ")"
        keep_known = ", ".join(f"{f} = coalesce(excluded.{f}, agencies.{f})" for f in AGENCY_FIELDS)
        self.con.execute(
            f"INSERT INTO agencies (agency_id, {', '.join(AGENCY_FIELDS)}) VALUES {', '.join([row] * len(merged))} "
            f"ON CONFLICT (agency_id) DO UPDATE SET {keep_known}",
            [v for agency_id, fields in merged.items() for v in (agency_id, *fields)])

    def _recompute_current_many(self, groups: set[tuple[str | None, int | None]]) -> None:
        """_recompute_current for all the groups of a batch, in one UPDATE (same order: first
        seen latest, then the larger document_id; a report without agency or year is current)."""
        if not groups:
            return
        keyed = sorted(g for g in groups if g[0] is not None and g[1] is not None)
        self.con.execute(
            """
            UPDATE reports SET is_current = ranked.current
            FROM (
                SELECT r.report_id,
                       row_number() OVER (PARTITION BY r.agency_id, r.year
                                          ORDER BY d.fetched_at DESC NULLS LAST, r.document_id DESC) = 1
                           AS current
                FROM reports r JOIN documents d USING (document_id)
                WHERE (r.agency_id, r.year) IN (SELECT unnest(?::VARCHAR[]), unnest(?::INTEGER[]))
                UNION ALL
                SELECT report_id, TRUE FROM reports WHERE agency_id IS NULL OR year IS NULL
            ) AS ranked
            WHERE reports.report_id = ranked.report_id AND reports.is_current <> ranked.current
            """, [[a for a, _ in keyed], [y for _, y in keyed]])

    # -- rows, shared by both paths --------------------------------------------------------
    def _queue_report(self, result: DocumentResult) -> tuple[str | None, int | None]:
        """Queue the rows of a document's report; returns its (agency_id, year) group."""
        report = result.report
        report_id = report_id_for(result.document_id)
        agency_id = result.agency.agency_id if result.agency else None
        self._append("reports", [table("reports").row(
            report_id=report_id, document_id=result.document_id, agency_id=agency_id, year=report.year,
            title=report.title, template_version=report.template_version, published_on=report.published_on,
            is_current=False, agency_name=report.agency, agency_in_title=report.agency_in_title,
            signed_on=report.signed_on, status=report.status, status_reason=report.status_reason,
            version_evidence=_json(dict(report.version_evidence)), sections_found=_json(list(report.sections_found)),
            issuer_kind=_code(report.issuer_kind), issuer_basis=report.issuer_basis,
        )])
        self._append_cells(report_id, report)
        self._append_checks(report_id, result.checks, result.source)
        notes, blocks, buckets = table("structure_notes"), table("narrative_blocks"), table("narrative_buckets")
        self._append("structure_notes", [
            notes.row(report_id=report_id, seq=i, section=n.section, kind=_code(n.kind),
                      detail=structure_note_text(n), params=_json(dict(n.params)), **_provenance_values(n.provenance))
            for i, n in enumerate(report.structure, start=1)])
        self._append("narrative_blocks", [
            blocks.row(report_id=report_id, seq=i, section=b.section, text=b.text, **_provenance_values(b.provenance))
            for i, b in enumerate(report.narrative, start=1)])
        self._append("narrative_buckets", [buckets.row(report_id=report_id, band=band, bucket=bucket)
                                           for band, bucket in enumerate(result.text_buckets)])
        return agency_id, report.year

    def _append(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """Queue rows for `table` (values in its column order, tables.Table.row) until _flush_pending."""
        self._pending.setdefault(table, []).extend(rows)

    def _flush_pending(self) -> None:
        """Write the queued rows: one appender per table. The per-cell tables have no key index
        (tables.py): their keys are checked here, over the rows of the load (a document's rows are
        deleted before they are written again, so no stored row can share a key with them)."""
        pending, self._pending = self._pending, {}
        for name, rows in pending.items():
            if rows and not table(name).enforced:
                _check_unique(name, rows)
        for name, rows in pending.items():
            if rows:
                with self.con.appender(name, columns=list(table(name).names)) as appender:
                    appender.append_rows(rows)

    def _append_cells(self, report_id: str, report: Any) -> None:
        apps, active, appeals = table("applications"), table("active_disclosure"), table("appeals")
        rows = []
        for v in report.applications:
            value, note, reason = _fit_bigint(v.value, v.note, v.null_reason)
            rows.append(apps.row(report_id=report_id, row=v.row, applicant=v.applicant, value=value, raw=v.raw,
                                 note=note, null_reason=_code(reason), **_provenance_values(v.provenance)))
        self._append("applications", rows)
        rows = []
        for v in report.active:
            value, note, reason = _fit_decimal(v.value, v.note, v.null_reason)
            rows.append(active.row(report_id=report_id, item=v.item, row=v.row, metric=v.metric, value=value,
                                   unit=v.unit, raw=v.raw, note=note, null_reason=_code(reason),
                                   **_provenance_values(v.provenance)))
        self._append("active_disclosure", rows)
        rows = []
        for v in report.appeals:
            value, note, reason = _fit_bigint(v.value, v.note, v.null_reason)
            rows.append(appeals.row(report_id=report_id, proceeding=v.proceeding, outcome=v.outcome, value=value,
                                    raw=v.raw, note=note, null_reason=_code(reason), **_provenance_values(v.provenance)))
        self._append("appeals", rows)

    def _append_checks(self, report_id: str, checks: Sequence[Any], own_document: str) -> None:
        self._append("check_results", [check_row(report_id, seq, c, own_document)
                                       for seq, c in enumerate(checks, start=1)])


def check_row(report_id: str, seq: int, c: Any, own_document: str) -> tuple[Any, ...]:
    """A check_results row for the CheckResult `c` (also written by the warehouse-scope rules)."""
    rule = SPEC.rules.get(c.rule)
    return table("check_results").row(
        report_id=report_id, rule=c.rule, severity=c.severity, subject=c.subject, expected=fit_number(c.expected),
        actual=fit_number(c.actual), message=c.message, seq=seq, rule_description=rule.check if rule else None,
        evidence=evidence_json(c.evidence, own_document), fingerprint=c.fingerprint)


class DuplicateKey(ValueError):
    """Two rows of one load have the same key (a normalizer bug: the load is refused)."""


def _check_unique(name: str, rows: Sequence[tuple[Any, ...]]) -> None:
    t = table(name)
    if not t.key:
        return
    positions = [t.names.index(k) for k in t.key]
    seen: set[tuple[Any, ...]] = set()
    for row in rows:
        key = tuple(row[i] for i in positions)
        if key in seen:
            raise DuplicateKey(f"{name}: two rows with the key ({', '.join(t.key)}) = {key}")
        seen.add(key)


def _run_document(run_id: str, seq: int, source: str, document_id: str, status: str, error: str | None,
                  skip_reason: str | None = None) -> tuple[Any, ...]:
    return table("run_documents").row(run_id=run_id, seq=seq, source=storable(source), document_id=document_id,
                                      status=status, error=storable(error), skip_reason=skip_reason)


def _document_row(result: DocumentResult, seen: tuple[str, datetime] | None, *, status: str,
                  error: str | None) -> tuple[Any, ...]:
    source, fetched_at = seen if seen else (result.source, result.fetched_at)
    # A document recorded as failed without its result being stored was not read: no version.
    version = result.pipeline_version if (status, error) == (result.status, result.error) else None
    source, this_source, error = storable(source), storable(result.source), storable(error)
    if error and source != this_source:
        # The same bytes under another name: the row keeps its first name, so must its message.
        error = error.replace(this_source, source).replace(Path(this_source).name, Path(source).name)
    return table("documents").row(
        document_id=result.document_id, source=source, format=result.format, fetched_at=fetched_at,
        size_bytes=result.size_bytes, status=status, error=error, pdf_engine=result.pdf_engine,
        pipeline_version=version,
        source_bytes=(result.source_bytes or name_bytes(result.source)) if source == this_source else None)


def _merge_agency_fields(known: list[Any], new: list[Any]) -> list[Any]:
    """A field another document filled in is kept when this one does not know it."""
    return [n if n is not None else k for n, k in zip(new, known, strict=True)]
