"""Every warehouse table in one place: its columns (type, nullability, meaning), key and indexes,
in the manner of PUDL's resource metadata. The DDL, the loader's column lists and the readers'
row mapping are derived from it, and so is the table section of docs/warehouse.md:

    python -m nianbao.warehouse.tables --markdown     # the section, as docs/warehouse.md holds it
    python -m nianbao.warehouse.tables --sql          # the DDL a new warehouse is created with
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

# DuckDB words that must be quoted as column names.
_RESERVED = frozenset({"row"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str
    nullable: bool = True
    spec: bool = False  # named by shared/spec/warehouse.md: a public name, never renamed

    @property
    def sql_name(self) -> str:
        return f'"{self.name}"' if self.name in _RESERVED else self.name

    def ddl(self) -> str:
        return f"{self.sql_name} {self.type}" + ("" if self.nullable else " NOT NULL")


@dataclass(frozen=True)
class Index:
    name: str
    columns: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Table:
    """One table. `key` identifies a row. An `enforced` key is a PRIMARY KEY (DuckDB keeps an ART
    index of it: a second copy of the key columns); the others are kept unique by the loader,
    which deletes a document's rows before writing them again (a test holds it to that)."""

    name: str
    meaning: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    enforced: bool = False
    indexes: tuple[Index, ...] = ()
    spec: bool = False  # one of the tables of shared/spec/warehouse.md
    grows: str = "document"  # what adds rows: document (cells, per report), run, decision, fixed

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @cached_property
    def _name_set(self) -> frozenset[str]:
        return frozenset(self.names)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name}")

    def select_list(self, columns: Sequence[str] | None = None, alias: str = "") -> str:
        prefix = f"{alias}." if alias else ""
        return ", ".join(prefix + self.column(c).sql_name for c in (columns or self.names))

    def insert_sql(self, columns: Sequence[str] | None = None, verb: str = "INSERT") -> str:
        columns = tuple(columns or self.names)
        return (f"{verb} INTO {self.name} ({self.select_list(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})")

    def create_sql(self) -> str:
        lines = [c.ddl() for c in self.columns]
        if self.key and self.enforced:
            lines.append(f"PRIMARY KEY ({', '.join(self.column(k).sql_name for k in self.key)})")
        body = ",\n    ".join(lines)
        out = [f"CREATE TABLE IF NOT EXISTS {self.name} (\n    {body}\n);"]
        # A warehouse of an older schema gets the columns added since (NULL for its stored rows).
        out += [f"ALTER TABLE {self.name} ADD COLUMN IF NOT EXISTS {c.sql_name} {c.type};"
                for c in self.columns if c.nullable]
        out += [f"CREATE INDEX IF NOT EXISTS {i.name} ON {self.name} ({', '.join(i.columns)});"
                for i in self.indexes]
        return "\n".join(out)

    def row(self, **values: Any) -> tuple[Any, ...]:
        """One row's values in column order (what the loader's appender takes); every column named."""
        if values.keys() != self._name_set:
            raise ValueError(f"{self.name}: a row names {sorted(values.keys() ^ self._name_set)} wrongly")
        return tuple(values[n] for n in self.names)

    def records(self, rows: Iterable[Sequence[Any]], columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Rows selected with `select_list(columns)` as {column: value}."""
        names = tuple(columns or self.names)
        return [dict(zip(names, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class View:
    name: str
    meaning: str
    sql: str
    columns: str = ""  # what it returns, for the documentation

    def create_sql(self) -> str:
        return f"CREATE OR REPLACE VIEW {self.name} AS\n{self.sql.strip()};"


def _c(name: str, type_: str, meaning: str, *, null: bool = True, spec: bool = False) -> Column:
    return Column(name, type_, meaning, nullable=null, spec=spec)


# Provenance of a value, a paragraph or a note: where in the document it was read.
PROVENANCE = (
    _c("source_locator", "VARCHAR", "element path (HTML), `line N` (text), `page N, table M` (PDF)"),
    _c("source_page", "INTEGER", "1-based page, when the format has pages"),
    _c("source_table", "INTEGER", "0-based table, in document order"),
    _c("source_row", "INTEGER", "0-based grid row"),
    _c("source_col", "INTEGER", "0-based grid column"),
)
PROVENANCE_COLUMNS = tuple(c.name for c in PROVENANCE)
_CELL = (
    _c("raw", "VARCHAR", "the cell text as printed"),
    _c("note", "VARCHAR", "why `value` is NULL (blank, `-`, unreadable…), or how the text was read"),
    _c("null_reason", "VARCHAR", "the code of why `value` is NULL (see below); NULL when it is not"),
)
DECIMAL = "DECIMAL(38,10)"
_SPEC_REPORT = _c("report_id", "VARCHAR", "the report", null=False, spec=True)
_COUNT = _c("value", "BIGINT", "the count; NULL when blank or unreadable", spec=True)
_REPORT_SEQ = (_c("report_id", "VARCHAR", "the report", null=False),
               _c("seq", "INTEGER", "order within the report", null=False))
# The flag a review decision (review_decisions, review_log) is about, and who decided what.
_FLAG_REVIEWED = (
    _c("decision_key", "VARCHAR", "`<agency_id>/<year>`, or `report/<report_id>`", null=False),
    _c("rule", "VARCHAR", "the flag's rule", null=False),
    _c("subject", "VARCHAR", "the flag's subject", null=False),
    _c("fingerprint", "VARCHAR", "the flag's fingerprint when reviewed", null=False),
)
_REVIEW = {c.name: c for c in (
    _c("note", "VARCHAR", "the reviewer's note"),
    _c("reviewer", "VARCHAR", "who recorded it"),
    _c("report_id", "VARCHAR", "the report the decision was recorded on"),
    _c("agency_id", "VARCHAR", "the agency"),
    _c("year", "INTEGER", "the year"),
    _c("message", "VARCHAR", "the flag as it read when reviewed"),
)}

TABLES: tuple[Table, ...] = (
    Table("schema_version", "one row per schema version this warehouse was written with", (
        _c("version", "INTEGER", "schema version (`SCHEMA_VERSION` in store.py)", null=False),
        _c("applied_at", "TIMESTAMP", "when this nianbao first wrote it", null=False),
        _c("description", "VARCHAR", "what the versions added"),
    ), grows="fixed"),
    Table("agencies", "one row per agency", (
        _c("agency_id", "VARCHAR", "stable id: a slug of the canonical name and region", null=False, spec=True),
        _c("name", "VARCHAR", "canonical full name, e.g. 舞阳县工业和信息化局", null=False, spec=True),
        _c("province", "VARCHAR", "province it belongs to (NULL above its level)", spec=True),
        _c("city", "VARCHAR", "city it belongs to", spec=True),
        _c("county", "VARCHAR", "county it belongs to", spec=True),
        _c("region_code", "VARCHAR", "6-digit administrative division code where known", spec=True),
        _c("level", "VARCHAR", "central / province / city / county / township", spec=True),
        _c("category", "VARCHAR", "government, or the department line (教育, 公安 …)", spec=True),
    ), key=("agency_id",), enforced=True, spec=True, grows="agency"),
    Table("documents", "one row per distinct file ever seen (content-addressed)", (
        _c("document_id", "VARCHAR", "sha256 of the bytes", null=False, spec=True),
        _c("source", "VARCHAR", "URL or local path where it was first seen", spec=True),
        _c("format", "VARCHAR", "html / pdf / docx / doc / wps / txt / image / …", spec=True),
        _c("fetched_at", "TIMESTAMP", "first seen; kept on re-ingest", spec=True),
        _c("size_bytes", "BIGINT", "size of the file", spec=True),
        _c("status", "VARCHAR", "ok / partial / failed / unsupported / not_a_report", null=False, spec=True),
        _c("error", "VARCHAR", "why, in words a user understands, when status is not ok", spec=True),
        _c("pdf_engine", "VARCHAR", "PDFs: the engine that read the text layer (pdfium / pdfplumber)"),
        _c("pipeline_version", "VARCHAR", "the code + spec version that read it (NULL: not read)"),
        _c("source_bytes", "BLOB", "the raw bytes of a file name that is not UTF-8 (`source` holds \\xNN)"),
    ), key=("document_id",), enforced=True, spec=True),
    Table("reports", "one row per document that is an annual report", (
        _c("report_id", "VARCHAR", "`rp_` + document_id[:16]", null=False, spec=True),
        _c("document_id", "VARCHAR", "the document it was read from", null=False, spec=True),
        _c("agency_id", "VARCHAR", "NULL when the agency could not be read", spec=True),
        _c("year", "INTEGER", "the year the report covers", spec=True),
        _c("title", "VARCHAR", "the title as printed", spec=True),
        _c("template_version", "VARCHAR", "v2019 / v2021 / unknown", spec=True),
        _c("published_on", "DATE", "publication date when the page or document states one", spec=True),
        _c("is_current", "BOOLEAN", "exactly one current report per (agency_id, year): the latest seen",
           null=False, spec=True),
        _c("agency_name", "VARCHAR", "the agency as the normalizer read it, before resolution"),
        _c("agency_in_title", "VARCHAR", "the agency as the title names it"),
        _c("signed_on", "DATE", "the date under the signature (成文日期)"),
        _c("status", "VARCHAR", "ok / partial: could every table be read whole", null=False),
        _c("status_reason", "VARCHAR", "why partial"),
        _c("version_evidence", "JSON", "{part of the report: format version its labels match}"),
        _c("sections_found", "JSON", "section codes found, in order"),
        _c("issuer_kind", "VARCHAR", "government / department / township / other (cannot tell)"),
        _c("issuer_basis", "VARCHAR", "the words of the report the kind was read from"),
    ), key=("report_id",), enforced=True, spec=True),
    Table("applications", "section 三, long format: one row per cell", (
        _SPEC_REPORT,
        _c("row", "VARCHAR", "row code (template.yaml `applications.rows`)", null=False, spec=True),
        _c("applicant", "VARCHAR", "column code (template.yaml `applications.applicants`)", null=False, spec=True),
        _COUNT,
        *_CELL, *PROVENANCE,
    ), key=("report_id", "row", "applicant"), spec=True),
    Table("active_disclosure", "section 二, long format: one row per cell", (
        _SPEC_REPORT,
        _c("item", "VARCHAR", "item code (art20_1 …)", null=False, spec=True),
        _c("row", "VARCHAR", "row code (rules, licensing, …)", null=False, spec=True),
        _c("metric", "VARCHAR", "metric code (issued, decisions, amount, …)", null=False, spec=True),
        _c("value", DECIMAL, "exactly as printed (fees have up to six decimals)", spec=True),
        _c("unit", "VARCHAR", "NULL, or 万元 / 元", spec=True),
        *_CELL, *PROVENANCE,
    ), key=("report_id", "item", "row", "metric"), spec=True),
    Table("appeals", "section 四, long format: one row per cell", (
        _SPEC_REPORT,
        _c("proceeding", "VARCHAR", "review / litigation_direct / litigation_after_review", null=False, spec=True),
        _c("outcome", "VARCHAR", "upheld / corrected / other / pending / total", null=False, spec=True),
        _COUNT,
        *_CELL, *PROVENANCE,
    ), key=("report_id", "proceeding", "outcome"), spec=True),
    Table("check_results", "one row per rule outcome that is not a pass", (
        _SPEC_REPORT,
        _c("rule", "VARCHAR", "rule id from template.yaml (T3_STATED, T3_ROW_TOTAL, …)", null=False, spec=True),
        _c("severity", "VARCHAR", "error / warn / info", null=False, spec=True),
        _c("subject", "VARCHAR", "what the rule was applied to, e.g. the applicant column", spec=True),
        _c("expected", DECIMAL, "one side of the equation", spec=True),
        _c("actual", DECIMAL, "the other side", spec=True),
        _c("message", "VARCHAR", "one sentence a supervisor can act on", spec=True),
        _c("seq", "INTEGER", "order in which the checks reported it", null=False),
        _c("rule_description", "VARCHAR", "the rule as template.yaml states it"),
        _c("evidence", "JSON", "the cells the flag rests on: [{locator, page, table, row, col}, …], "
           "with `document` only when the cell is in another report's document (nulls left out)"),
        _c("fingerprint", "VARCHAR", "rule, subject, numbers and cited cell values (review decisions)"),
    ), key=("report_id", "seq"), spec=True),
    Table("structure_notes", "what the normalizer noticed about the document's structure", (
        *_REPORT_SEQ,
        _c("section", "VARCHAR", "section code"),
        _c("kind", "VARCHAR", "extra_row, missing_section, heading_only … (see below)"),
        _c("detail", "VARCHAR", "what was seen, in Chinese (nianbao.normalize.notes says `params`)"),
        *PROVENANCE,
        _c("params", "JSON", "the note's details as codes, quoted labels and numbers (each kind's in "
           "the section below); NULL in rows stored before them"),
    ), key=("report_id", "seq")),
    Table("narrative_blocks", "the report's running text, paragraph by paragraph", (
        *_REPORT_SEQ,
        _c("section", "VARCHAR", "preamble (before 一、), overview … other_matters"),
        _c("text", "VARCHAR", "the paragraph"),
        *PROVENANCE,
    ), key=("report_id", "seq")),
    Table("narrative_buckets", "MinHash LSH buckets of each report's narrative (DUPLICATION's candidates)", (
        _c("report_id", "VARCHAR", "the report", null=False),
        _c("band", "INTEGER", "LSH band", null=False),
        _c("bucket", "BIGINT", "the band's hash", null=False),
    ), key=("report_id", "band")),
    Table("runs", "one row per ingest run", (
        _c("run_id", "VARCHAR", "run_<time>_<random>", null=False),
        _c("started_at", "TIMESTAMP", "when it started", null=False),
        _c("finished_at", "TIMESTAMP", "NULL: the run did not finish"),
        _c("orchestrator", "VARCHAR", "prefect / plain"),
        _c("flow_run_id", "VARCHAR", "the Prefect flow run, when there is one"),
        _c("workers", "INTEGER", "worker processes"),
        _c("paths", "JSON", "the paths the run was given"),
        _c("n_documents", "INTEGER", "files processed"),
        _c("n_ok", "INTEGER", "of which ok"),
        _c("n_partial", "INTEGER", "partial"),
        _c("n_failed", "INTEGER", "failed"),
        _c("n_unsupported", "INTEGER", "unsupported"),
        _c("n_not_a_report", "INTEGER", "not a report"),
        _c("n_reports", "INTEGER", "reports stored"),
        _c("n_flags", "INTEGER", "flags raised"),
        _c("plan", "JSON", "files read by reason (new, pipeline_changed, …) and skipped"),
    ), key=("run_id",), enforced=True, grows="run"),
    Table("run_documents", "which files a run saw, in the order their results arrived", (
        _c("run_id", "VARCHAR", "the run", null=False),
        _c("seq", "INTEGER", "order in which results arrived", null=False),
        _c("source", "VARCHAR", "the path this run read", null=False),
        _c("document_id", "VARCHAR", "the document", null=False),
        _c("status", "VARCHAR", "its status", null=False),
        _c("error", "VARCHAR", "why, when not ok"),
        _c("skip_reason", "VARCHAR", "NULL: read this run; `unchanged`: same bytes, same pipeline version"),
    ), key=("run_id", "seq"), grows="run"),
    Table("review_decisions", "supervisors' decisions on flags (`nianbao review`), the one in force", (
        *_FLAG_REVIEWED[:4],
        _c("status", "VARCHAR", "confirmed / dismissed", null=False),
        _REVIEW["note"],
        _c("decided_at", "TIMESTAMP", "when", null=False),
        *(_REVIEW[n] for n in ("agency_id", "year", "report_id")),
        _c("severity", "VARCHAR", "the flag's severity"),
        _REVIEW["message"], _REVIEW["reviewer"],
    ), key=("decision_key", "rule", "subject", "fingerprint"), enforced=True, grows="decision"),
    Table("review_log", "every decision recorded or undone, append-only", (
        _c("logged_at", "TIMESTAMP", "when", null=False),
        _c("action", "VARCHAR", "confirmed / dismissed / undone", null=False),
        *_FLAG_REVIEWED[:4],
        *(_REVIEW[n] for n in ("note", "reviewer", "report_id", "agency_id", "year", "message")),
    ), grows="decision"),
    Table("expected_publishers", "the registry of expected publishers (`nianbao registry load FILE`)", (
        _c("seq", "INTEGER", "order in the file", null=False),
        _c("agency", "VARCHAR", "the name as the registry writes it", null=False),
        _c("region", "VARCHAR", "its region"),
        _c("years", "VARCHAR", "JSON list of years; NULL: every year"),
        _c("origin", "VARCHAR", "the file it was loaded from"),
        _c("loaded_at", "TIMESTAMP", "when", null=False),
    ), key=("seq",), enforced=True, grows="fixed"),
)

VIEWS: tuple[View, ...] = (
    View("flag_reviews", "every flag that has a review decision, with it", """
SELECT c.report_id, c.seq, d.status AS review_status, d.note AS review_note, d.decided_at
FROM check_results c
JOIN reports r USING (report_id)
JOIN review_decisions d
  ON d.rule = c.rule AND d.subject = c.subject
 -- rows written before fingerprints existed are keyed by their message
 AND d.fingerprint = coalesce(c.fingerprint, 'legacy:' || md5(coalesce(c.message, '')))
 AND d.decision_key = CASE WHEN r.agency_id IS NOT NULL AND r.year IS NOT NULL
                           THEN r.agency_id || '/' || CAST(r.year AS VARCHAR)
                           ELSE 'report/' || r.report_id END
""", "report_id, seq, review_status, review_note, decided_at"),
    View("open_flags", "every check result but those a supervisor dismissed; `nianbao compare` reads it", """
SELECT c.*, f.review_status, f.review_note
FROM check_results c LEFT JOIN flag_reviews f USING (report_id, seq)
WHERE f.review_status IS DISTINCT FROM 'dismissed'
""", "the columns of check_results, review_status, review_note"),
)

_BY_NAME = {t.name: t for t in TABLES}
# Data tables: the ones re-ingesting a document must leave unchanged (runs/run_documents are a log).
DATA_TABLES = tuple(t.name for t in TABLES if t.grows in ("document", "agency"))
# The tables whose rows belong to one report (deleted with it).
REPORT_CHILD_TABLES = tuple(t.name for t in TABLES if t.grows == "document" and t.key[:1] == ("report_id",)
                            and t.name != "reports")


def table(name: str) -> Table:
    return _BY_NAME[name]


def ddl() -> str:
    """The whole schema: every statement idempotent (run on every write session)."""
    return "\n\n".join([t.create_sql() for t in TABLES] + [v.create_sql() for v in VIEWS]) + "\n"


# ------------------------------------------------------------------------------ documentation

DOC_BEGIN = "<!-- tables.py: begin (generated by `python -m nianbao.warehouse.tables --markdown`) -->"
DOC_END = "<!-- tables.py: end -->"


def markdown() -> str:
    """The table section of docs/warehouse.md."""
    out = [DOC_BEGIN, "", "Columns in **bold** are named by shared/spec/warehouse.md (public names: never renamed).", ""]
    for t in TABLES:
        key = ", ".join(t.key) if t.key else "—"
        how = "PRIMARY KEY" if t.enforced else "kept unique by the loader (no index)" if t.key else ""
        origin = "a table of shared/spec/warehouse.md" if t.spec else "an addition"
        out += [f"### `{t.name}`", "", f"{t.meaning[0].upper()}{t.meaning[1:]}: {origin}; "
                f"key `{key}`" + (f" ({how})." if how else "."), ""]
        out += ["| column | type | null | meaning |", "|---|---|---|---|"]
        for c in t.columns:
            name = f"**{c.name}**" if c.spec else c.name
            out.append(f"| {name} | {c.type} | {'yes' if c.nullable else 'no'} | {c.meaning} |")
        for i in t.indexes:
            out.append(f"\nIndex `{i.name}` on ({', '.join(i.columns)}): {i.why}")
        out.append("")
    for v in VIEWS:
        out += [f"### `{v.name}` (view)", "", f"{v.meaning[0].upper()}{v.meaning[1:]}: {v.columns}.", ""]
    out.append(DOC_END)
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--markdown", action="store_true", help="the table section of docs/warehouse.md")
    group.add_argument("--sql", action="store_true", help="the DDL")
    args = parser.parse_args(argv)
    sys.stdout.write((markdown() + "\n") if args.markdown else ddl())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["DATA_TABLES", "PROVENANCE_COLUMNS", "REPORT_CHILD_TABLES", "TABLES", "VIEWS", "Column", "Index",
           "Table", "View", "ddl", "markdown", "table"]
