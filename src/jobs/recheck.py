"""The warehouse-scope rules (cross-year carry-overs, duplication) kept up to date after every load.

A load touches some (agency, year) groups. Their agencies' reports are checked again against the
current version of the year before, and the current reports of those years against their
duplication candidates (peers sharing a MinHash LSH bucket), in both directions. Each report's
warehouse-scope flags are rewritten whole, in a fixed order after its own flags, so the
warehouse ends up the same whatever order the documents arrived in. Non-current versions keep
their own flags but get none of these: flags follow the current version.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import duckdb

from nianbao.normalize.checks import SCOPE_WAREHOUSE, run_warehouse_checks, scope_rules
from nianbao.normalize.checks_history import ReportContext, StoredReport
from nianbao.normalize.model import (
    DocumentResult,
    Report,
)
from nianbao.warehouse.queries import stored_records
from nianbao.warehouse.store import LoadOutcome, Warehouse, check_row
from nianbao.warehouse.tables import table

log = logging.getLogger("nianbao.warehouse")

Group = tuple[str | None, int | None]


def refresh_cross_checks(con: duckdb.DuckDBPyConnection, groups: Iterable[Group]) -> int:
    """Re-run the warehouse rules for the agencies and years of `groups`, in one transaction of
    its own. Returns the number of flags written. A failure is logged and rolled back, never
    raised: the documents are stored already, and a flag never stops an ingest."""
    groups = {g for g in groups if g[0] is not None and g[1] is not None}
    if not groups:
        return 0
    try:
        con.begin()
    except duckdb.Error as exc:
        log.warning("cross-year and duplication checks skipped: cannot start a transaction (%s)", exc)
        return 0
    try:
        n = _refresh(con, groups)
        con.commit()
        return n
    except Exception as exc:  # noqa: BLE001 -- logged; the next load or `nianbao recheck` redoes it
        log.warning("cross-year and duplication checks failed and were left as they were "
                    "(%s: %s); run `nianbao recheck` to redo them", type(exc).__name__, exc)
        try:
            con.rollback()
        except duckdb.Error:
            pass
        return 0


def store_results(warehouse: Warehouse, results: Sequence[DocumentResult],
                  run_id: str | None = None, checks: CrossChecks | None = None) -> list[LoadOutcome]:
    """Load a batch (Warehouse.load_many: one transaction, document by document if that fails),
    then re-run the warehouse-scope rules for every agency and year the batch touched: at once,
    or, given `checks`, when it holds enough groups (CrossChecks)."""
    outcomes = warehouse.load_many(results, run_id)
    if checks is None:
        refresh_cross_checks(warehouse.con, warehouse.take_touched())
    else:
        checks.add(warehouse.take_touched())
    return outcomes


# A run re-checks the agencies and years it touched once they number REFRESH_GROUPS, and at its
# end, REFRESH_SLICE groups per refresh. Re-checking after every batch cost more than the loads
# (the same agencies' reports and their peers were loaded again batch after batch); a slice bounds
# the reports held in memory at once.
REFRESH_GROUPS = 1024
REFRESH_SLICE = 128


class CrossChecks:
    """The (agency, year) groups a run has loaded and not re-checked yet (at most REFRESH_GROUPS:
    a bounded set, whatever the corpus). Each refresh rewrites its reports' warehouse flags from
    what the warehouse holds then, so checking late gives the flags checking after every batch
    would have ended with."""

    def __init__(self, con: duckdb.DuckDBPyConnection, threshold: int = REFRESH_GROUPS,
                 slice_size: int = REFRESH_SLICE) -> None:
        self.con, self.threshold, self.slice_size = con, threshold, slice_size
        self.pending: set[Group] = set()
        self.n_flags = 0

    def add(self, groups: Iterable[Group]) -> None:
        self.pending.update(g for g in groups if g[0] is not None and g[1] is not None)
        if len(self.pending) >= self.threshold:
            self.flush()

    def flush(self) -> int:
        """Re-check every pending group now (sorted: an agency's years in one slice); the flags written."""
        groups, self.pending = sorted(self.pending, key=repr), set()
        n = 0
        for start in range(0, len(groups), self.slice_size):
            n += refresh_cross_checks(self.con, groups[start:start + self.slice_size])
        self.n_flags += n
        return n


def refresh_all(con: duckdb.DuckDBPyConnection) -> int:
    """Every agency and year (`nianbao recheck`)."""
    rows = con.execute("SELECT DISTINCT agency_id, year FROM reports "
                       "WHERE agency_id IS NOT NULL AND year IS NOT NULL").fetchall()
    return refresh_cross_checks(con, {(a, y) for a, y in rows})


# ------------------------------------------------------------------------------ which reports

def _ids(values: Iterable[Any]) -> list[Any]:
    return sorted(set(values))


def _targets(con: duckdb.DuckDBPyConnection, agencies: list[str], years: list[int],
             rules: Sequence[str]) -> set[str]:
    """The reports whose warehouse flags may change: every version of the touched agencies; the
    current reports of the touched years that share an LSH bucket with one of theirs; and the
    reports that name one of them as a duplication peer now."""
    targets = {r[0] for r in con.execute(
        "SELECT report_id FROM reports WHERE agency_id IN (SELECT unnest(?::VARCHAR[]))", [agencies]).fetchall()}
    targets |= {r[0] for r in con.execute(
        """
        SELECT DISTINCT o.report_id
        FROM reports m
        JOIN narrative_buckets mb ON mb.report_id = m.report_id
        JOIN narrative_buckets ob ON ob.band = mb.band AND ob.bucket = mb.bucket AND ob.report_id <> mb.report_id
        JOIN reports o ON o.report_id = ob.report_id
        WHERE m.is_current AND o.is_current AND o.year = m.year
          AND m.agency_id IN (SELECT unnest(?::VARCHAR[])) AND m.year IN (SELECT unnest(?::INTEGER[]))
        """, [agencies, years]).fetchall()}
    if "DUPLICATION" in rules:
        targets |= {r[0] for r in con.execute(
            """
            SELECT DISTINCT c.report_id FROM check_results c
            JOIN reports r USING (report_id)
            WHERE c.rule = 'DUPLICATION' AND r.year IN (SELECT unnest(?::INTEGER[]))
              AND c.subject IN (SELECT 'peer:' || name FROM agencies WHERE agency_id IN (SELECT unnest(?::VARCHAR[])))
            """, [years, agencies]).fetchall()}
    return targets


def _text_candidates(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, set[str]]:
    """For each report, the current reports sharing an LSH bucket with it: of the same year and
    another agency (peers), or of the same agency the year before."""
    out: dict[str, set[str]] = defaultdict(set)
    for mine, other in con.execute(
            """
            SELECT DISTINCT m.report_id, o.report_id
            FROM reports m
            JOIN narrative_buckets mb ON mb.report_id = m.report_id
            JOIN narrative_buckets ob ON ob.band = mb.band AND ob.bucket = mb.bucket AND ob.report_id <> mb.report_id
            JOIN reports o ON o.report_id = ob.report_id
            WHERE m.report_id IN (SELECT unnest(?::VARCHAR[])) AND o.is_current
              AND ((o.year = m.year AND o.agency_id IS DISTINCT FROM m.agency_id)
                   OR (o.year = m.year - 1 AND o.agency_id = m.agency_id))
            """, [report_ids]).fetchall():
        out[mine].add(other)
    return out


# ------------------------------------------------------------------------------ loading reports

def load_reports(con: duckdb.DuckDBPyConnection, report_ids: Iterable[str]) -> dict[str, StoredReport]:
    """The reports as the warehouse holds them, cells and narrative included."""
    ids = _ids(report_ids)
    if not ids:
        return {}
    heads = con.execute(
        """
        SELECT r.report_id, r.agency_id, coalesce(a.name, r.agency_name, ''), r.year, d.source,
               r.template_version, r.title, r.sections_found
        FROM reports r JOIN documents d USING (document_id) LEFT JOIN agencies a USING (agency_id)
        WHERE r.report_id IN (SELECT unnest(?::VARCHAR[]))
        """, [ids]).fetchall()
    sources = {h[0]: h[4] or "" for h in heads}
    cells = {kind: stored_records(con, name, ids, sources) for kind, name in (
        ("applications", "applications"), ("active", "active_disclosure"), ("appeals", "appeals"),
        ("narrative", "narrative_blocks"))}
    out = {}
    for report_id, agency_id, agency, year, source, version, title, sections_found in heads:
        c = {kind: tuple(by_report.get(report_id, ())) for kind, by_report in cells.items()}
        report = Report(
            source=source or "", title=title, agency=agency, agency_in_title=None, year=year,
            template_version=version or "unknown", applications=c["applications"], active=c["active"],
            appeals=c["appeals"], sections_found=tuple(json.loads(sections_found) if sections_found else ()),
            narrative=c["narrative"],
        )
        out[report_id] = StoredReport(report_id, agency_id, agency, year, source or "", report)
    return out


# ------------------------------------------------------------------------------ the refresh

def _refresh(con: duckdb.DuckDBPyConnection, groups: set[Group]) -> int:
    rules = scope_rules(SCOPE_WAREHOUSE)
    agencies = _ids(a for a, _ in groups)
    years = _ids(y for _, y in groups)
    targets = _targets(con, agencies, years, rules)
    if not targets:
        return 0
    con.execute("DELETE FROM check_results WHERE report_id IN (SELECT unnest(?::VARCHAR[])) "
                "AND rule IN (SELECT unnest(?::VARCHAR[]))", [_ids(targets), list(rules)])
    current = con.execute(
        "SELECT report_id, agency_id, year FROM reports WHERE is_current AND agency_id IS NOT NULL "
        "AND year IS NOT NULL AND report_id IN (SELECT unnest(?::VARCHAR[]))", [_ids(targets)]).fetchall()
    if not current:
        return 0
    previous_ids = dict(con.execute(
        """
        SELECT t.report_id, p.report_id FROM reports t
        JOIN reports p ON p.agency_id = t.agency_id AND p.year = t.year - 1 AND p.is_current
        WHERE t.report_id IN (SELECT unnest(?::VARCHAR[]))
        """, [[c[0] for c in current]]).fetchall())
    candidates = _text_candidates(con, [c[0] for c in current])
    peers = {r: {o for o in others if o != previous_ids.get(r)} for r, others in candidates.items()}
    stored = load_reports(con, [c[0] for c in current] + list(previous_ids.values())
                          + [p for ps in peers.values() for p in ps])
    rows = []
    next_seq = dict(con.execute(
        "SELECT report_id, max(seq) FROM check_results WHERE report_id IN (SELECT unnest(?::VARCHAR[])) "
        "GROUP BY report_id", [[c[0] for c in current]]).fetchall())
    for report_id, _, _ in sorted(current):
        context = ReportContext(
            current=stored[report_id],
            previous=stored.get(previous_ids.get(report_id, "")),
            peers=tuple(stored[p] for p in sorted(peers.get(report_id, ())) if p in stored),
            text_candidates=frozenset(candidates.get(report_id, ())),
        )
        seq = next_seq.get(report_id) or 0
        for result in run_warehouse_checks(context):
            seq += 1
            rows.append(check_row(report_id, seq, result, stored[report_id].source))
    if rows:
        con.executemany(table("check_results").insert_sql(), rows)
    return len(rows)
