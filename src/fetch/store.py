"""The crawler's tables (schema.sql) in the warehouse's DuckDB file: crawl_runs, fetches,
found_reports and source_status. Written under the warehouse's lock file, so a crawl and an
ingest never write the file at the same time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from uuid import uuid4

import duckdb

from nianbao.common.dbfile import WarehouseError, exclusive_lock, utc_now
from nianbao.fetch.client import Validators


@dataclass(frozen=True)
class FetchRecord:
    """One row of `fetches`."""

    source_url: str | None
    kind: str  # robots / listing / report_page / attachment
    url: str
    final_url: str | None
    fetched_at: datetime
    http_status: int | None
    outcome: str  # downloaded / unchanged / not_modified / error / refused
    sha256: str | None = None
    content_type: str | None = None
    bytes: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    published_on: date | None = None
    title: str | None = None
    raw_path: str | None = None
    attempts: int | None = None
    seconds: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class PreviousFetch:
    """The last time a URL's body was received, for a conditional request."""

    sha256: str
    validators: Validators
    raw_path: str | None = None


@dataclass(frozen=True)
class SourceStatus:
    source_url: str
    agency: str | None
    region: str | None
    status: str
    message: str | None
    last_run_at: datetime | None
    last_success_at: datetime | None
    reports_found: int
    best_reports_found: int
    new_since_last_run: int
    errors: int
    last_error: str | None
    resume: str | None = None  # JSON: report links found but not read, read first by the next pass


_FETCH_COLUMNS = ("crawl_id", "seq", *FetchRecord.__dataclass_fields__)
_REPORT_COLUMNS = ("crawl_id", "source_url", "url", "title", "year", "published_on", "documents", "is_new",
                   "readable", "old_format")
_STATUS_COLUMNS = (*SourceStatus.__dataclass_fields__, "crawl_id")


def _insert(con: duckdb.DuckDBPyConnection, table: str, columns: tuple[str, ...], rows: list[list[Any]],
            *, replace: bool = False) -> None:
    """All rows in one statement (DuckDB's executemany runs one statement per row)."""
    if not rows:
        return
    one = "(" + ", ".join("?" * len(columns)) + ")"
    verb = "INSERT OR REPLACE" if replace else "INSERT"
    con.execute(f"{verb} INTO {table} ({', '.join(columns)}) VALUES {', '.join([one] * len(rows))}",
                [v for row in rows for v in row])


def _schema_sql() -> str:
    return resources.files("nianbao.fetch").joinpath("schema.sql").read_text(encoding="utf-8")


def connect(db: str | Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection with the crawler's tables in place (read_only: they must exist already)."""
    try:
        con = duckdb.connect(str(db), read_only=read_only)
    except duckdb.Error as exc:
        raise WarehouseError(f"cannot open {db}: {exc}") from exc
    if not read_only:
        con.execute(_schema_sql())
    return con


class CrawlLog:
    """A write session on the crawler's tables for one crawl pass. Create with `crawl_log(db)`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, crawl_id: str) -> None:
        self.con = con
        self.crawl_id = crawl_id
        self._pending: list[list[Any]] = []
        # The last body of every URL, read once: a re-run asks for each conditionally.
        rows = con.execute(
            """
            SELECT url, sha256, etag, last_modified, raw_path FROM fetches
            WHERE sha256 IS NOT NULL AND outcome IN ('downloaded', 'unchanged', 'not_modified')
            QUALIFY row_number() OVER (PARTITION BY url ORDER BY fetched_at DESC, crawl_id DESC, seq DESC) = 1
            """).fetchall()
        self._previous = {url: PreviousFetch(sha, Validators(etag, lm), path) for url, sha, etag, lm, path in rows}

    def record(self, rec: FetchRecord) -> None:
        """Queue a fetches row (written by flush: one transaction, not one commit per request)."""
        self._pending.append([self.crawl_id, len(self._pending) + 1,
                              *(getattr(rec, f) for f in FetchRecord.__dataclass_fields__)])

    def flush(self) -> None:
        if not self._pending:
            return
        rows, self._pending = self._pending, []
        _insert(self.con, "fetches", _FETCH_COLUMNS, rows)

    def previous(self, url: str) -> PreviousFetch | None:
        return self._previous.get(url)

    def previous_statuses(self) -> dict[str, tuple[int, datetime | None]]:
        """source_url -> (best_reports_found, last_success_at) before this pass."""
        rows = self.con.execute("SELECT source_url, best_reports_found, last_success_at FROM source_status").fetchall()
        return {url: (int(best or 0), last) for url, best, last in rows}

    def save_reports(self, rows: Iterable[tuple[Any, ...]]) -> None:
        _insert(self.con, "found_reports", _REPORT_COLUMNS, [[self.crawl_id, *row] for row in rows],
                replace=True)

    def resume_states(self) -> dict[str, str]:
        """source_url -> the report links its last pass left unread (JSON)."""
        rows = self.con.execute("SELECT source_url, resume FROM source_status WHERE resume IS NOT NULL").fetchall()
        return {url: text for url, text in rows}

    def save_statuses(self, statuses: Iterable[SourceStatus]) -> None:
        _insert(self.con, "source_status", _STATUS_COLUMNS,
                [[getattr(s, f) for f in SourceStatus.__dataclass_fields__] + [self.crawl_id] for s in statuses],
                replace=True)

    def finish(self, **counts: Any) -> None:
        sets = ", ".join(f"{k} = ?" for k in counts)
        self.con.execute(f"UPDATE crawl_runs SET finished_at = ?, {sets} WHERE crawl_id = ?",
                         [utc_now(), *counts.values(), self.crawl_id])

    def stored_documents(self, sha256s: Iterable[str]) -> set[str]:
        """The document ids (sha256) the warehouse already holds."""
        tables = {r[0] for r in self.con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        wanted = list(set(sha256s))
        if "documents" not in tables or not wanted:
            return set()
        rows = self.con.execute("SELECT document_id FROM documents WHERE list_contains(?, document_id)",
                                [wanted]).fetchall()
        return {r[0] for r in rows}


@contextmanager
def crawl_log(db: str | Path, *, sources_file: str | None, n_sources: int) -> Iterator[CrawlLog]:
    """Lock the warehouse, open it, start a crawl_runs row; closed (lock released) on exit."""
    db = Path(db)
    if db.is_dir():
        raise WarehouseError(f"{db} is a folder; give the path of a .duckdb file (e.g. data/nianbao.duckdb)")
    db.parent.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(db):
        con = connect(db)
        try:
            crawl_id = "crawl_" + utc_now().strftime("%Y%m%dT%H%M%S") + "_" + uuid4().hex[:8]
            con.execute("INSERT INTO crawl_runs (crawl_id, started_at, sources_file, n_sources) VALUES (?, ?, ?, ?)",
                        [crawl_id, utc_now(), sources_file, n_sources])
            log_ = CrawlLog(con, crawl_id)
            try:
                yield log_
            finally:
                log_.flush()  # what was fetched before an error is still recorded
        finally:
            con.close()


def set_ingest_run(db: str | Path, crawl_id: str, run_id: str) -> None:
    db = Path(db)
    with exclusive_lock(db):
        con = connect(db)
        try:
            con.execute("UPDATE crawl_runs SET ingest_run_id = ? WHERE crawl_id = ?", [run_id, crawl_id])
        finally:
            con.close()


def read_statuses(db: str | Path) -> list[SourceStatus]:
    """source_status, worst first (failing, warn, ok), for `nianbao sources status`."""
    db = Path(db)
    if not db.exists():
        raise WarehouseError(f"there is no warehouse at {db}; run `nianbao crawl --db {db}` first")
    con = connect(db, read_only=True)
    try:
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        if "source_status" not in tables:
            return []
        rows = con.execute(
            """
            SELECT source_url, agency, region, status, message, last_run_at, last_success_at, reports_found,
                   best_reports_found, new_since_last_run, errors, last_error, resume
            FROM source_status
            ORDER BY CASE status WHEN 'failing' THEN 0 WHEN 'partial' THEN 1 WHEN 'warn' THEN 2 ELSE 3 END,
                     agency, source_url
            """).fetchall()
    finally:
        con.close()
    return [SourceStatus(*row) for row in rows]


def documents_json(documents: Iterable[Any]) -> str:
    return json.dumps([{"url": d.url, "sha256": d.sha256, "outcome": d.outcome} for d in documents],
                      ensure_ascii=False)
